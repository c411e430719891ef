import MCPCore

/// The canonical form of a tool call's arguments, which a confirmation token is bound to.
///
/// Keys are sorted at every level, `confirmation_token` is dropped from the top level, integral numbers
/// are written as integers (so `100` and `100.0` bind alike), and strings are escaped minimally. This is
/// deliberately separate from the wire serializer: the wire keeps insertion order, a binding must not.
enum CanonicalJSON {
    /// The text that is hashed; also used for audit lines (sorted keys read fine there).
    static func encode(_ value: JSONValue, sortKeys: Bool = true) -> String {
        var out = ""
        write(value, into: &out, sortKeys: sortKeys)
        return out
    }

    /// The arguments as bound by a token: everything but the token itself.
    static func arguments(_ arguments: JSONObject) -> String {
        var a = arguments
        a[ConfirmationStore.tokenArgument] = nil
        return encode(.object(a))
    }

    private static func write(_ value: JSONValue, into out: inout String, sortKeys: Bool) {
        switch value {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .int(let i): out += String(i)
        case .double(let d):
            if let i = value.intValue { out += String(i) } else if d.isFinite { out += "\(d)" } else { out += "null" }
        case .string(let s): writeString(s, into: &out)
        case .array(let items):
            out += "["
            for (n, item) in items.enumerated() {
                if n > 0 { out += "," }
                write(item, into: &out, sortKeys: sortKeys)
            }
            out += "]"
        case .object(let object):
            out += "{"
            let entries = sortKeys ? object.entries.sorted { $0.key < $1.key } : object.entries
            for (n, entry) in entries.enumerated() {
                if n > 0 { out += "," }
                writeString(entry.key, into: &out)
                out += ":"
                write(entry.value, into: &out, sortKeys: sortKeys)
            }
            out += "}"
        }
    }

    private static func writeString(_ s: String, into out: inout String) {
        out += "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20 || scalar.value == 0x2028 || scalar.value == 0x2029:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }
}
