/// Every protocol-level failure the server reports as a JSON-RPC `error` object.
///
/// Tool failures (a bad argument, an upstream error) are *not* here: they are `isError` results
/// (`ToolResult.failure`), as MCP 2025-11-25 requires for argument validation. This enum is rendered
/// to its wire form in exactly one place, `errorObject`.
/// - SeeAlso: https://www.jsonrpc.org/specification#error_object
/// - SeeAlso: https://modelcontextprotocol.io/specification/2025-11-25/basic#responses
/// - SeeAlso: https://modelcontextprotocol.io/specification/2026-07-28/schema#unsupportedprotocolversionerror
public enum MCPError: Error, Sendable, Hashable {
    /// -32700: the line is not JSON (or not UTF-8). Always answered with `"id": null`.
    case parseError(String)
    /// -32600: JSON, but not a valid request object: wrong `jsonrpc`, a `null`/float/object id,
    /// a missing or non-string `method`, non-structured `params`, an empty batch, a batch outside
    /// 2025-03-26, a request before `initialize`, a repeated `initialize`, an id already in flight.
    case invalidRequest(String)
    /// -32601: no such method in the era the request was sent in (e.g. `ping` with the 2026 envelope).
    case methodNotFound(String)
    /// -32602: the method exists but its params are wrong: wrong shape, a bad log level or cursor,
    /// a missing 2026 `_meta` key, an unknown tool, or a tool this server was started without.
    case invalidParams(String)
    /// -32002 (handshake era only; 2026-07-28 retired it for -32602): no resource at this URI.
    case resourceNotFound(String, uri: String)
    /// -32603: a fault inside the server. The message never carries a stack trace or a secret.
    case internalError(String)
    /// -32021 (2026-07-28): the request needs a client capability it did not declare.
    case missingRequiredClientCapability(String, required: JSONValue)
    /// -32022 (2026-07-28): the `_meta` protocol version is one this server does not serve.
    case unsupportedProtocolVersion(requested: JSONValue, supported: [String])

    /// The JSON-RPC error code.
    public var code: Int64 {
        switch self {
        case .parseError: return -32700
        case .invalidRequest: return -32600
        case .methodNotFound: return -32601
        case .invalidParams: return -32602
        case .resourceNotFound: return -32002
        case .internalError: return -32603
        case .missingRequiredClientCapability: return -32021
        case .unsupportedProtocolVersion: return -32022
        }
    }

    /// The human-readable message: what went wrong and, where possible, what to do instead.
    public var message: String {
        switch self {
        case .parseError(let detail): return "Parse error: \(detail)"
        case .invalidRequest(let detail): return "Invalid request: \(detail)"
        case .methodNotFound(let method): return "Method not found: \(method)"
        case .invalidParams(let detail): return detail
        case .resourceNotFound(let detail, _): return detail
        case .internalError(let detail): return "Internal error: \(detail)"
        case .missingRequiredClientCapability(let detail, _): return detail
        case .unsupportedProtocolVersion: return "Unsupported protocol version"
        }
    }

    /// Structured details, when the spec defines them.
    public var data: JSONValue? {
        switch self {
        case .methodNotFound(let method): return .string(method)
        case .resourceNotFound(_, let uri): return ["uri": .string(uri)]
        case .missingRequiredClientCapability(_, let required): return ["requiredCapabilities": required]
        case .unsupportedProtocolVersion(let requested, let supported):
            return ["supported": .array(supported.map { .string($0) }), "requested": requested]
        default: return nil
        }
    }

    /// The `error` member of a JSON-RPC response.
    public var errorObject: JSONValue {
        var o: JSONObject = ["code": .int(code), "message": .string(message)]
        if let data { o["data"] = data }
        return .object(o)
    }
}

extension MCPError: CustomStringConvertible {
    public var description: String { "\(code) \(message)" }
}
