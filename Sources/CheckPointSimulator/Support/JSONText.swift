import Foundation

/// A typed JSON tree for the hot paths (entity and event pages). Building `[String: Any]` and handing it to
/// JSONSerialization cost ~180 ms per 100-entity page in a debug build, almost all of it dynamic casts;
/// this enum serialises with plain switches. Literals keep the rendering code readable.
indirect enum J: Sendable, ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral,
                 ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral, ExpressibleByNilLiteral {
    case s(String)
    case i(Int)
    case b(Bool)
    case null
    case a([J])
    case o([(String, J)])

    init(stringLiteral v: String) { self = .s(v) }
    init(integerLiteral v: Int) { self = .i(v) }
    init(booleanLiteral v: Bool) { self = .b(v) }
    init(arrayLiteral elements: J...) { self = .a(elements) }
    init(dictionaryLiteral elements: (String, J)...) { self = .o(elements) }
    init(nilLiteral: ()) { self = .null }

    static func opt(_ s: String?) -> J { s.map { .s($0) } ?? .null }
    static func strings(_ list: [String]) -> J { .a(list.map { .s($0) }) }

    var data: Data {
        var out: [UInt8] = []
        out.reserveCapacity(4096)
        write(&out)
        return Data(out)
    }

    func write(_ out: inout [UInt8]) {
        switch self {
        case .s(let s): J.string(s, &out)
        case .i(let i): out.append(contentsOf: String(i).utf8)
        case .b(let b): out.append(contentsOf: b ? J.trueBytes : J.falseBytes)
        case .null: out.append(contentsOf: J.nullBytes)
        case .a(let items):
            out.append(91)
            for n in items.indices {
                if n > 0 { out.append(44) }
                items[n].write(&out)
            }
            out.append(93)
        case .o(let pairs):
            out.append(123)
            for n in pairs.indices {
                if n > 0 { out.append(44) }
                J.string(pairs[n].0, &out)
                out.append(58)
                pairs[n].1.write(&out)
            }
            out.append(125)
        }
    }

    private static let trueBytes = Array("true".utf8), falseBytes = Array("false".utf8), nullBytes = Array("null".utf8)
    private static let hex: [UInt8] = Array("0123456789abcdef".utf8)

    static func string(_ s: String, _ out: inout [UInt8]) {
        out.append(34)
        let utf8 = s.utf8
        if !utf8.contains(where: { $0 < 0x20 || $0 == 34 || $0 == 92 }) {
            out.append(contentsOf: utf8)
        } else {
            for b in utf8 {
                switch b {
                case 34: out.append(92); out.append(34)
                case 92: out.append(92); out.append(92)
                case 10: out.append(92); out.append(110)
                case 13: out.append(92); out.append(114)
                case 9: out.append(92); out.append(116)
                case 0..<0x20: out.append(contentsOf: [92, 117, 48, 48, hex[Int(b >> 4)], hex[Int(b & 15)]])
                default: out.append(b)
                }
            }
        }
        out.append(34)
    }
}

extension HTTPResponse {
    static func json(_ status: Int, _ value: J, headers: [(String, String)] = []) -> HTTPResponse {
        HTTPResponse(status: status, headers: [("Content-Type", "application/json")] + headers, body: value.data)
    }
}
