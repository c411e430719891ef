/// Tools: what the server lists and calls.
///
/// The core knows tools only as definitions plus a handler; which tools exist, and which toolset
/// they belong to, is decided by the layer that registers them.
/// - SeeAlso: https://modelcontextprotocol.io/specification/2025-11-25/server/tools

/// Behaviour hints shown to clients: all four, always, so that no client has to know the spec's defaults
/// (`destructiveHint` defaults to true, `openWorldHint` to true, and `destructiveHint`/`idempotentHint` are
/// "meaningful only when readOnlyHint == false", schema 2025-11-25 `ToolAnnotations`). They cost 1.45 KB of the
/// 35-tool catalog over sending only what differs from a default.
public struct ToolAnnotations: Sendable, Hashable {
    public var readOnlyHint: Bool
    public var destructiveHint: Bool
    public var idempotentHint: Bool
    public var openWorldHint: Bool

    public init(readOnly: Bool, destructive: Bool, idempotent: Bool, openWorld: Bool) {
        readOnlyHint = readOnly
        destructiveHint = destructive
        idempotentHint = idempotent
        openWorldHint = openWorld
    }

    public var json: JSONValue {
        [
            "readOnlyHint": .bool(readOnlyHint), "destructiveHint": .bool(destructiveHint),
            "idempotentHint": .bool(idempotentHint), "openWorldHint": .bool(openWorldHint),
        ]
    }
}

/// One entry of `tools/list`.
public struct ToolDefinition: Sendable, Hashable {
    public var name: String
    public var title: String
    public var description: String
    /// A JSON Schema object (`"type": "object"`); arguments are validated against it before the handler runs.
    public var inputSchema: JSONValue
    /// A JSON Schema object; every successful result's `structuredContent` conforms to it.
    public var outputSchema: JSONValue
    public var annotations: ToolAnnotations

    public init(
        name: String, title: String, description: String, inputSchema: JSONValue, outputSchema: JSONValue,
        annotations: ToolAnnotations
    ) {
        self.name = name
        self.title = title
        self.description = description
        self.inputSchema = inputSchema
        self.outputSchema = outputSchema
        self.annotations = annotations
    }

    /// The wire form, as sent in `tools/list` and recorded in `tools.json`. The title is sent at most once,
    /// as `annotations.title`: clients of 2025-03-26 read only that one, and later revisions display
    /// "title, annotations.title, then name" (schema 2025-11-25, `Tool.annotations`), so a second copy at
    /// the top level would cost bytes in every `tools/list` and tell no client anything new. A title that
    /// only restates the name (`list_mobile_alerts` → "List mobile alerts") is left out too: it is optional,
    /// and the name is what a client then displays.
    public var json: JSONValue {
        var annotations = self.annotations.json.objectValue ?? [:]
        if title != Self.prettified(name) { annotations["title"] = .string(title) }
        return [
            "name": .string(name), "description": .string(description),
            "inputSchema": inputSchema, "outputSchema": outputSchema, "annotations": .object(annotations),
        ]
    }

    /// `list_mobile_alerts` → "List mobile alerts".
    public static func prettified(_ name: String) -> String {
        let words = String(name.map { $0 == "_" ? " " : $0 })
        return words.prefix(1).uppercased() + words.dropFirst()
    }
}

/// The result of `tools/call`.
/// - SeeAlso: https://modelcontextprotocol.io/specification/2025-11-25/server/tools#tool-result
public struct ToolResult: Sendable, Hashable {
    /// Content blocks (`{"type":"text","text":...}` and friends).
    public var content: [JSONValue]
    /// Must conform to the tool's `outputSchema` unless `isError` is set.
    public var structuredContent: JSONValue?
    public var isError: Bool

    public init(content: [JSONValue], structuredContent: JSONValue? = nil, isError: Bool = false) {
        self.content = content
        self.structuredContent = structuredContent
        self.isError = isError
    }

    /// A success: the text an older client shows, plus the structured data a newer one reads.
    public static func success(text: String, structured: JSONValue) -> ToolResult {
        ToolResult(content: [["type": "text", "text": .string(text)]], structuredContent: structured)
    }

    /// A tool execution error (`isError: true`): the text tells the agent what to do next.
    public static func failure(_ text: String, structured: JSONValue? = nil) -> ToolResult {
        ToolResult(content: [["type": "text", "text": .string(text)]], structuredContent: structured, isError: true)
    }
}

/// What a running tool may do besides returning: report progress, log, look at the caller.
/// Implemented by the server for each call; all methods are safe to call from any task.
public protocol ToolContext: Sendable {
    /// The id of the `tools/call` request being served.
    var requestID: RequestID { get }
    /// The client's declared capabilities (`initialize` params or the 2026 `_meta` envelope).
    var clientCapabilities: JSONValue { get }
    /// Sends `notifications/progress` when the caller asked for it (a `progressToken`); a no-op otherwise.
    /// Values that do not increase are dropped, so callers need not track what was sent.
    func progress(_ progress: Double, total: Double?, message: String?) async
    /// Sends `notifications/message` if the level passes the session's (or, in 2026, the request's) level,
    /// and always writes to stderr at or above the server's own level.
    func log(_ level: LogLevel, logger: String, _ data: JSONValue) async
    /// How this call can ask its user a question; `nil` when the client declared no form elicitation
    /// (or speaks a protocol before 2025-06-18).
    var elicitation: ElicitationChannel? { get }
    /// Asks the user. Handshake era: sends `elicitation/create` and returns the answer (or `.noAnswer`
    /// after `ServerOptions.elicitationTimeoutSeconds`). 2026-07-28: keeps `payload` under a fresh
    /// `requestState` and throws `InputRequired`, which ends the call with an `input_required` result;
    /// the client's retry then arrives with `resumption` set. Only call it when `elicitation` is non-nil.
    func elicit(_ request: ElicitationRequest, keeping payload: any Sendable) async throws -> ElicitationOutcome
    /// Set on a 2026-07-28 retry that carries a `requestState`: the payload kept when the question was
    /// asked and the user's answer, or why the state was refused. `nil` otherwise (always in the handshake era).
    var resumption: Resumption? { get }
}

extension ToolContext {
    public var elicitation: ElicitationChannel? { nil }
    public func elicit(_ request: ElicitationRequest, keeping payload: any Sendable) async throws -> ElicitationOutcome {
        .failed("this client cannot be asked questions")
    }
    public var resumption: Resumption? { nil }
}

/// A tool ready to serve: its definition and what runs when it is called.
/// Arguments have already been validated against `definition.inputSchema` when `handler` runs.
/// A thrown `CancellationError` means "cancelled: send nothing"; any other thrown error becomes
/// an `isError` result carrying the error's `description` (so throw errors whose text is actionable).
public struct Tool: Sendable {
    public var definition: ToolDefinition
    public var handler: @Sendable (_ arguments: JSONObject, _ context: any ToolContext) async throws -> ToolResult

    public init(
        definition: ToolDefinition,
        handler: @escaping @Sendable (_ arguments: JSONObject, _ context: any ToolContext) async throws -> ToolResult
    ) {
        self.definition = definition
        self.handler = handler
    }
}

extension ToolResult {
    /// The result saying which arguments were read differently from how they were sent: a `Note:` line at the
    /// end of its first text block and the `coerced` list of an object `structuredContent` (output schemas
    /// leave objects open, so the extra member still conforms), added to what an earlier reader noted.
    /// Unchanged when `coercions` is empty.
    public func noting(_ coercions: [Coercion]) -> ToolResult {
        guard !coercions.isEmpty else { return self }
        var result = self
        let line = Coercion.line(coercions)
        if let i = result.content.firstIndex(where: { $0["type"] == "text" }), var block = result.content[i].objectValue,
           case .string(let text)? = block["text"] {
            block["text"] = .string(text + "\n" + line)
            result.content[i] = .object(block)
        } else {
            result.content.insert(["type": "text", "text": .string(line)], at: 0)
        }
        if case .object(var structured)? = result.structuredContent {
            structured["coerced"] = .array((structured["coerced"]?.arrayValue ?? []) + coercions.map(\.json))
            result.structuredContent = .object(structured)
        }
        return result
    }
}
