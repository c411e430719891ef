import MCPCore

/// Reading JSON-RPC responses and tool results in tests.
extension JSONValue {
    /// `error.code` of a JSON-RPC error response.
    var errorCode: Int64? { self["error"]?["code"]?.intValue }
    var errorMessage: String? { self["error"]?["message"]?.stringValue }

    /// The `result` of a `tools/call` response, if it is one.
    var toolResult: ToolCallResult? { self["result"].map(ToolCallResult.init) }
}

/// A `tools/call` result.
struct ToolCallResult {
    var raw: JSONValue

    init(_ raw: JSONValue) { self.raw = raw }

    var isError: Bool { raw["isError"]?.boolValue ?? false }
    var structured: JSONValue? { raw["structuredContent"] }
    var content: [JSONValue] { raw["content"]?.arrayValue ?? [] }
    /// All text blocks joined by newlines.
    var text: String { content.compactMap { $0["text"]?.stringValue }.joined(separator: "\n") }
}
