/// JSON text out of a `JSONValue`: our own writer, because it runs for every message sent.
///
/// The compact form never contains a raw newline (control characters are escaped inside strings and
/// no whitespace is emitted between tokens), so it is safe as one line of the stdio transport.
/// Non-finite doubles, which JSON cannot express, are written as `null`.
/// - SeeAlso: https://www.rfc-editor.org/rfc/rfc8259#section-7
/// - SeeAlso: https://modelcontextprotocol.io/specification/2025-11-25/basic/transports#stdio
extension JSONValue {
    /// The value as UTF-8 JSON text. `sortedKeys` orders object keys by their UTF-8 bytes (stable
    /// snapshots such as `tools.json`); `pretty` indents with two spaces and puts a space after `:`.
    public func serialized(sortedKeys: Bool = false, pretty: Bool = false) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(256)
        write(to: &out, sortedKeys: sortedKeys, pretty: pretty)
        return out
    }

    /// The value as JSON text in a `String`.
    public func serializedString(sortedKeys: Bool = false, pretty: Bool = false) -> String {
        String(decoding: serialized(sortedKeys: sortedKeys, pretty: pretty), as: UTF8.self)
    }

    /// Appends the value's JSON text to `out` (the transport's hot path: one buffer per message).
    public func write(to out: inout [UInt8], sortedKeys: Bool = false, pretty: Bool = false) {
        var writer = JSONWriter(sortedKeys: sortedKeys, pretty: pretty)
        writer.write(self, to: &out)
    }
}

extension JSONValue: CustomStringConvertible {
    /// Compact JSON text, so that string interpolation of a value shows what goes on the wire.
    public var description: String { serializedString() }
}

struct JSONWriter {
    let sortedKeys: Bool
    let pretty: Bool
    private var indent = 0

    init(sortedKeys: Bool, pretty: Bool) {
        self.sortedKeys = sortedKeys
        self.pretty = pretty
    }

    mutating func write(_ value: JSONValue, to out: inout [UInt8]) {
        switch value {
        case .null: out.append(contentsOf: "null".utf8)
        case .bool(let b): out.append(contentsOf: (b ? "true" : "false").utf8)
        case .int(let n): Self.writeInteger(n, to: &out)
        case .double(let d):
            if !d.isFinite {
                out.append(contentsOf: "null".utf8)
            } else if d == d.rounded(), abs(d) < 1e15 {
                // Integral doubles print without ".0" noise but keep their sign (-0 stays a number).
                if d == 0, d.sign == .minus { out.append(contentsOf: "-0.0".utf8) } else {
                    Self.writeInteger(Int64(d), to: &out)
                    out.append(contentsOf: ".0".utf8)
                }
            } else {
                out.append(contentsOf: d.description.utf8)
            }
        case .string(let s): Self.writeString(s, to: &out)
        case .array(let elements):
            if elements.isEmpty { out.append(contentsOf: "[]".utf8); return }
            out.append(UInt8(ascii: "["))
            indent += 1
            for (n, element) in elements.enumerated() {
                if n > 0 { out.append(UInt8(ascii: ",")) }
                newline(&out)
                write(element, to: &out)
            }
            indent -= 1
            newline(&out)
            out.append(UInt8(ascii: "]"))
        case .object(let object):
            if object.isEmpty { out.append(contentsOf: "{}".utf8); return }
            out.append(UInt8(ascii: "{"))
            indent += 1
            var entries = object.entries
            if sortedKeys { entries.sort { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) } }
            for (n, entry) in entries.enumerated() {
                if n > 0 { out.append(UInt8(ascii: ",")) }
                newline(&out)
                Self.writeString(entry.key, to: &out)
                out.append(UInt8(ascii: ":"))
                if pretty { out.append(UInt8(ascii: " ")) }
                write(entry.value, to: &out)
            }
            indent -= 1
            newline(&out)
            out.append(UInt8(ascii: "}"))
        }
    }

    private func newline(_ out: inout [UInt8]) {
        guard pretty else { return }
        out.append(0x0A)
        for _ in 0..<indent { out.append(0x20); out.append(0x20) }
    }

    static func writeInteger(_ n: Int64, to out: inout [UInt8]) {
        if n >= 0, n < 10 { out.append(UInt8(ascii: "0") + UInt8(n)); return }
        out.append(contentsOf: String(n).utf8)
    }

    private static let hex: [UInt8] = Array("0123456789abcdef".utf8)

    /// Writes a quoted string, copying runs of bytes that need no escape in one go.
    static func writeString(_ s: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        var copy = s
        copy.withUTF8 { bytes in
            var runStart = 0
            for (i, b) in bytes.enumerated() where b < 0x20 || b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") {
                if runStart < i { out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<i])) }
                runStart = i + 1
                out.append(UInt8(ascii: "\\"))
                switch b {
                case UInt8(ascii: "\""): out.append(UInt8(ascii: "\""))
                case UInt8(ascii: "\\"): out.append(UInt8(ascii: "\\"))
                case 0x0A: out.append(UInt8(ascii: "n"))
                case 0x0D: out.append(UInt8(ascii: "r"))
                case 0x09: out.append(UInt8(ascii: "t"))
                case 0x08: out.append(UInt8(ascii: "b"))
                case 0x0C: out.append(UInt8(ascii: "f"))
                default:
                    out.append(contentsOf: "u00".utf8)
                    out.append(hex[Int(b >> 4)])
                    out.append(hex[Int(b & 0xF)])
                }
            }
            if runStart < bytes.count { out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart...])) }
        }
        out.append(UInt8(ascii: "\""))
    }
}
