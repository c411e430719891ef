import Foundation
import MCPCore

/// Opaque continuation tokens for list tools.
///
/// A cursor is base64url of a small JSON object `{"v":1,"t":<tool>,"s":<state>}`. The state is whatever
/// the tool needs to resume (its resolved filters, absolute window and position), so a cursor keeps
/// working even when "now" moves on. It is opaque to agents, checked on the way back in (right tool,
/// right version, parseable), and never holds anything secret: only the caller's own arguments and
/// positions.
/// - SeeAlso: MCP spec "Pagination" (opaque cursors): https://modelcontextprotocol.io/specification/2025-11-25/server/utilities/pagination
public enum Cursor {
    static let version: Int64 = 1

    public static func encode(tool: String, state: JSONObject) -> String {
        let json: JSONValue = ["v": .int(version), "t": .string(tool), "s": .object(state)]
        let data = Data(json.serializedForCursor.utf8)
        return data.base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// The state, or a `ToolInputError` on `cursor` saying to start again without it.
    public static func decode(_ cursor: String, tool: String) throws -> JSONObject {
        let bad = ToolInputError(
            field: "cursor", "is not a cursor this tool issued",
            hint: "pass `next_cursor` from a previous \(tool) result unchanged, or drop `cursor` to start from the first page")
        var b64 = cursor.trimmingCharacters(in: .whitespaces)
            .replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while b64.count % 4 != 0 { b64 += "=" }
        guard let data = Data(base64Encoded: b64), let text = String(data: data, encoding: .utf8),
            let json = try? JSONValue.parseForCursor(text), let o = json.objectValue
        else { throw bad }
        guard o["v"]?.intValue == version, o["t"]?.stringValue == tool, let state = o["s"]?.objectValue else { throw bad }
        return state
    }
}

// Cursors use Foundation's Codable JSON (not MCPCore's serializer, which the core owns and may reshape):
// they are tiny and built once per result, so speed does not matter here. Codable keeps `true` and `1`
// apart on every platform, which `JSONSerialization`'s `NSNumber` does not.
struct CodableJSON: Codable {
    var value: JSONValue

    init(_ value: JSONValue) { self.value = value }

    init(from decoder: any Decoder) throws {
        if var a = try? decoder.unkeyedContainer() {
            var items: [JSONValue] = []
            while !a.isAtEnd { items.append(try a.decode(CodableJSON.self).value) }
            value = .array(items)
            return
        }
        if let o = try? decoder.container(keyedBy: AnyKey.self) {
            value = .object(JSONObject(try o.allKeys.map(\.stringValue).sorted().map {
                (key: $0, value: try o.decode(CodableJSON.self, forKey: AnyKey($0)).value)
            }))
            return
        }
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { value = .null }
        else if let b = try? c.decode(Bool.self) { value = .bool(b) }
        else if let i = try? c.decode(Int64.self) { value = .int(i) }
        else if let d = try? c.decode(Double.self) { value = .double(d) }
        else { value = .string(try c.decode(String.self)) }
    }

    func encode(to encoder: any Encoder) throws {
        switch value {
        case .null: var c = encoder.singleValueContainer(); try c.encodeNil()
        case .bool(let b): var c = encoder.singleValueContainer(); try c.encode(b)
        case .int(let i): var c = encoder.singleValueContainer(); try c.encode(i)
        case .double(let d): var c = encoder.singleValueContainer(); try c.encode(d)
        case .string(let s): var c = encoder.singleValueContainer(); try c.encode(s)
        case .array(let a):
            var c = encoder.unkeyedContainer()
            for v in a { try c.encode(CodableJSON(v)) }
        case .object(let o):
            var c = encoder.container(keyedBy: AnyKey.self)
            for (k, v) in o { try c.encode(CodableJSON(v), forKey: AnyKey(k)) }
        }
    }

    struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(_ s: String) { stringValue = s }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }
}

extension JSONValue {
    var serializedForCursor: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        guard let data = try? encoder.encode(CodableJSON(self)) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }

    static func parseForCursor(_ text: String) throws -> JSONValue {
        try JSONDecoder().decode(CodableJSON.self, from: Data(text.utf8)).value
    }
}
