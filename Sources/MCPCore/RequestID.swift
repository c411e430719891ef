/// A JSON-RPC request id: a string or an integer, echoed back with the same JSON type.
/// `null`, floats and objects are not ids (answered with -32600 and `"id": null`).
/// - SeeAlso: https://modelcontextprotocol.io/specification/2025-11-25/basic#requests
public enum RequestID: Sendable, Hashable, CustomStringConvertible {
    case int(Int64)
    case string(String)

    public var json: JSONValue {
        switch self {
        case .int(let i): return .int(i)
        case .string(let s): return .string(s)
        }
    }

    public init?(json: JSONValue) {
        switch json {
        case .int(let i): self = .int(i)
        case .string(let s): self = .string(s)
        default: return nil
        }
    }

    public var description: String {
        switch self {
        case .int(let i): return String(i)
        case .string(let s): return "\"\(s)\""
        }
    }
}
