/// Why a byte sequence is not JSON, and where. Rendered to text in one place (`description`).
/// - SeeAlso: https://www.rfc-editor.org/rfc/rfc8259
public struct JSONParseError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Kind: Sendable, Hashable {
        /// The input ended inside a value (or was empty).
        case unexpectedEnd
        /// A byte that cannot start or continue a value here.
        case unexpectedByte(UInt8)
        /// Bytes that are not well-formed UTF-8 (overlong forms, encoded surrogates, truncated sequences...).
        case invalidUTF8
        /// A raw control character (U+0000 to U+001F) inside a string; JSON requires it escaped.
        case controlCharacterInString
        /// A backslash escape that JSON does not define, or a malformed `\u` escape.
        case invalidEscape
        /// A number that breaks the JSON number grammar (leading zeros, `1.`, `-`, `.5`...).
        case invalidNumber
        /// Nesting deeper than the limit; a guard against stack exhaustion from hostile input.
        case tooDeep(limit: Int)
        /// A complete value followed by more than whitespace.
        case trailingData
        /// More values (array elements, object members, scalars) than the limit; a guard against
        /// memory blow-up: each parsed value costs ~24 bytes however few input bytes (`0,`) it took.
        case tooManyValues(limit: Int)
    }

    public var kind: Kind
    /// Byte offset into the input where the problem was found.
    public var offset: Int

    public init(_ kind: Kind, at offset: Int) {
        self.kind = kind
        self.offset = offset
    }

    public var description: String {
        switch kind {
        case .unexpectedEnd: return "unexpected end of input at byte \(offset)"
        case .unexpectedByte(let b):
            let shown = (0x21...0x7E).contains(b) ? "'\(Character(Unicode.Scalar(b)))'" : "0x" + String(b, radix: 16)
            return "unexpected byte \(shown) at byte \(offset)"
        case .invalidUTF8: return "invalid UTF-8 at byte \(offset)"
        case .controlCharacterInString: return "unescaped control character in string at byte \(offset)"
        case .invalidEscape: return "invalid escape sequence at byte \(offset)"
        case .invalidNumber: return "invalid number at byte \(offset)"
        case .tooDeep(let limit): return "nesting deeper than \(limit) levels at byte \(offset)"
        case .trailingData: return "unexpected data after the JSON value at byte \(offset)"
        case .tooManyValues(let limit): return "more than \(limit) JSON values in one message (at byte \(offset)); split the request"
        }
    }
}

extension JSONValue {
    /// The default nesting limit. MCP messages nest a handful of levels; 512 leaves room for any
    /// honest document while keeping the recursive parser far from the stack's end.
    public static let defaultMaxDepth = 512

    /// Parses one JSON text (RFC 8259) from UTF-8 bytes.
    ///
    /// Integers that fit in `Int64` become `.int`, every other number `.double`. Invalid UTF-8 is
    /// rejected. A lone surrogate escape (`"\uD800"`) cannot live in a Swift `String`, so it becomes
    /// U+FFFD, as WHATWG and Python's `surrogateescape`-free decoders do; a valid pair is combined.
    /// Duplicate object keys: the last one wins (RFC 8259 §4 leaves this open).
    /// `maxValues` bounds the values (every scalar, array and object counts one) the text may hold, so
    /// that memory stays a small multiple of the input: `[0,0,…]` costs 2 input bytes per value but
    /// ~24 bytes parsed, so a 50 MB line of it would take over 600 MB without the bound.
    public static func parse(
        _ bytes: some Collection<UInt8>, maxDepth: Int = defaultMaxDepth, maxValues: Int = .max
    ) throws(JSONParseError) -> JSONValue {
        let result: Result<JSONValue, JSONParseError>? = bytes.withContiguousStorageIfAvailable { buffer in
            var parser = JSONParser(buffer, maxDepth: maxDepth, maxValues: maxValues)
            return Result { () throws(JSONParseError) -> JSONValue in try parser.parseDocument() }
        }
        if let result { return try result.get() }
        return try parse(Array(bytes), maxDepth: maxDepth, maxValues: maxValues)
    }

    /// Parses one JSON text from a string.
    public static func parse(string: String, maxDepth: Int = defaultMaxDepth) throws(JSONParseError) -> JSONValue {
        var s = string
        let result = s.withUTF8 { buffer in
            var parser = JSONParser(buffer, maxDepth: maxDepth)
            return Result { () throws(JSONParseError) -> JSONValue in try parser.parseDocument() }
        }
        return try result.get()
    }
}

/// A recursive-descent parser over a contiguous byte buffer. Only used inside `parse`, where the buffer
/// is guaranteed alive, which is why it may hold an unsafe pointer.
struct JSONParser {
    private let bytes: UnsafeBufferPointer<UInt8>
    private var i = 0
    private var depth = 0
    private let maxDepth: Int
    /// Values still allowed (see `maxValues` in `parse`).
    private var valuesLeft: Int
    private let maxValues: Int

    init(_ bytes: UnsafeBufferPointer<UInt8>, maxDepth: Int, maxValues: Int = .max) {
        self.bytes = bytes
        self.maxDepth = maxDepth
        self.maxValues = maxValues
        valuesLeft = maxValues
    }

    mutating func parseDocument() throws(JSONParseError) -> JSONValue {
        skipWhitespace()
        let value = try parseValue()
        skipWhitespace()
        guard i == bytes.count else { throw JSONParseError(.trailingData, at: i) }
        return value
    }

    // MARK: - Values

    private mutating func parseValue() throws(JSONParseError) -> JSONValue {
        guard i < bytes.count else { throw JSONParseError(.unexpectedEnd, at: i) }
        valuesLeft -= 1
        guard valuesLeft >= 0 else { throw JSONParseError(.tooManyValues(limit: maxValues), at: i) }
        switch bytes[i] {
        case UInt8(ascii: "{"): return try parseObject()
        case UInt8(ascii: "["): return try parseArray()
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try expectLiteral("true"); return .bool(true)
        case UInt8(ascii: "f"): try expectLiteral("false"); return .bool(false)
        case UInt8(ascii: "n"): try expectLiteral("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
        case let b: throw JSONParseError(b >= 0x80 ? .invalidUTF8 : .unexpectedByte(b), at: i)
        }
    }

    private mutating func expectLiteral(_ literal: StaticString) throws(JSONParseError) {
        for expected in UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount) {
            guard i < bytes.count else { throw JSONParseError(.unexpectedEnd, at: i) }
            guard bytes[i] == expected else { throw JSONParseError(.unexpectedByte(bytes[i]), at: i) }
            i += 1
        }
    }

    private mutating func enter() throws(JSONParseError) {
        depth += 1
        if depth > maxDepth { throw JSONParseError(.tooDeep(limit: maxDepth), at: i) }
    }

    private mutating func parseObject() throws(JSONParseError) -> JSONValue {
        try enter()
        i += 1  // {
        var entries: [(key: String, value: JSONValue)] = []
        var seen: Set<String>? = nil  // built only for large objects, to keep duplicate checks linear
        skipWhitespace()
        if i < bytes.count, bytes[i] == UInt8(ascii: "}") {
            i += 1; depth -= 1
            return .object(JSONObject())
        }
        while true {
            guard i < bytes.count else { throw JSONParseError(.unexpectedEnd, at: i) }
            guard bytes[i] == UInt8(ascii: "\"") else { throw JSONParseError(.unexpectedByte(bytes[i]), at: i) }
            let key = try parseString()
            skipWhitespace()
            guard i < bytes.count else { throw JSONParseError(.unexpectedEnd, at: i) }
            guard bytes[i] == UInt8(ascii: ":") else { throw JSONParseError(.unexpectedByte(bytes[i]), at: i) }
            i += 1
            skipWhitespace()
            let value = try parseValue()
            if entries.count >= 16, seen == nil { seen = Set(entries.map(\.key)) }
            let duplicate = seen.map { $0.contains(key) } ?? entries.contains(where: { $0.key == key })
            if duplicate {
                if let index = entries.firstIndex(where: { $0.key == key }) { entries[index].value = value }
            } else {
                entries.append((key: key, value: value))
                seen?.insert(key)
            }
            skipWhitespace()
            guard i < bytes.count else { throw JSONParseError(.unexpectedEnd, at: i) }
            switch bytes[i] {
            case UInt8(ascii: ","): i += 1; skipWhitespace()
            case UInt8(ascii: "}"):
                i += 1; depth -= 1
                return .object(JSONObject(uniqueEntries: entries))
            case let b: throw JSONParseError(.unexpectedByte(b), at: i)
            }
        }
    }

    private mutating func parseArray() throws(JSONParseError) -> JSONValue {
        try enter()
        i += 1  // [
        var elements: [JSONValue] = []
        skipWhitespace()
        if i < bytes.count, bytes[i] == UInt8(ascii: "]") {
            i += 1; depth -= 1
            return .array([])
        }
        while true {
            elements.append(try parseValue())
            skipWhitespace()
            guard i < bytes.count else { throw JSONParseError(.unexpectedEnd, at: i) }
            switch bytes[i] {
            case UInt8(ascii: ","): i += 1; skipWhitespace()
            case UInt8(ascii: "]"):
                i += 1; depth -= 1
                return .array(elements)
            case let b: throw JSONParseError(.unexpectedByte(b), at: i)
            }
        }
    }

    private mutating func skipWhitespace() {
        while i < bytes.count {
            switch bytes[i] {
            case 0x20, 0x0A, 0x0D, 0x09: i += 1
            default: return
            }
        }
    }

    // MARK: - Numbers

    private mutating func parseNumber() throws(JSONParseError) -> JSONValue {
        let start = i
        var negative = false
        if bytes[i] == UInt8(ascii: "-") { negative = true; i += 1 }
        guard i < bytes.count else { throw JSONParseError(.invalidNumber, at: start) }
        // Integer part: "0" or [1-9][0-9]*; accumulate negatively so Int64.min fits.
        var magnitude: Int64 = 0
        var overflow = false
        if bytes[i] == UInt8(ascii: "0") {
            i += 1
            if i < bytes.count, isDigit(bytes[i]) { throw JSONParseError(.invalidNumber, at: start) }
        } else if isDigit(bytes[i]) {
            while i < bytes.count, isDigit(bytes[i]) {
                let d = Int64(bytes[i] &- UInt8(ascii: "0"))
                if !overflow {
                    let (m, o1) = magnitude.multipliedReportingOverflow(by: 10)
                    let (s, o2) = m.subtractingReportingOverflow(d)
                    if o1 || o2 { overflow = true } else { magnitude = s }
                }
                i += 1
            }
        } else {
            throw JSONParseError(.invalidNumber, at: start)
        }
        var isInteger = true
        if i < bytes.count, bytes[i] == UInt8(ascii: ".") {
            isInteger = false
            i += 1
            guard i < bytes.count, isDigit(bytes[i]) else { throw JSONParseError(.invalidNumber, at: start) }
            while i < bytes.count, isDigit(bytes[i]) { i += 1 }
        }
        if i < bytes.count, bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") {
            isInteger = false
            i += 1
            if i < bytes.count, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") { i += 1 }
            guard i < bytes.count, isDigit(bytes[i]) else { throw JSONParseError(.invalidNumber, at: start) }
            while i < bytes.count, isDigit(bytes[i]) { i += 1 }
        }
        if isInteger, !overflow {
            if negative { return .int(magnitude) }
            if magnitude != Int64.min { return .int(-magnitude) }
        }
        // The grammar has been checked, so the text is ASCII and Double's parser (strtod) accepts it.
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<i]), as: UTF8.self)
        guard let d = Double(text) else { throw JSONParseError(.invalidNumber, at: start) }
        return .double(d)
    }

    @inline(__always) private func isDigit(_ b: UInt8) -> Bool { b &- UInt8(ascii: "0") < 10 }

    // MARK: - Strings

    /// Parses a string starting at its opening quote. The common case (no escapes) validates the
    /// UTF-8 in place and builds the String with one copy.
    private mutating func parseString() throws(JSONParseError) -> String {
        i += 1  // opening quote
        let start = i
        while i < bytes.count {
            let b = bytes[i]
            if b == UInt8(ascii: "\"") {
                let s = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<i]), as: UTF8.self)
                i += 1
                return s
            }
            if b == UInt8(ascii: "\\") { return try parseEscapedString(from: start) }
            if b < 0x20 { throw JSONParseError(.controlCharacterInString, at: i) }
            if b < 0x80 { i += 1 } else { try skipUTF8Sequence() }
        }
        throw JSONParseError(.unexpectedEnd, at: i)
    }

    /// The slow path: the string has escapes, so it is assembled into a byte buffer.
    private mutating func parseEscapedString(from start: Int) throws(JSONParseError) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(i - start + 16)
        out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<i]))
        while i < bytes.count {
            let b = bytes[i]
            switch b {
            case UInt8(ascii: "\""):
                i += 1
                return String(decoding: out, as: UTF8.self)
            case UInt8(ascii: "\\"):
                i += 1
                guard i < bytes.count else { throw JSONParseError(.unexpectedEnd, at: i) }
                let e = bytes[i]
                i += 1
                switch e {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(e)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "u"): appendUTF8(try parseUnicodeEscape(), to: &out)
                default: throw JSONParseError(.invalidEscape, at: i - 2)
                }
            case 0..<0x20:
                throw JSONParseError(.controlCharacterInString, at: i)
            case 0..<0x80:
                out.append(b); i += 1
            default:
                let s = i
                try skipUTF8Sequence()
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[s..<i]))
            }
        }
        throw JSONParseError(.unexpectedEnd, at: i)
    }

    /// Reads the 4 hex digits after `\u` (and a following low surrogate escape if this is a high one).
    private mutating func parseUnicodeEscape() throws(JSONParseError) -> Unicode.Scalar {
        let high = try readHex4()
        switch high {
        case 0xD800...0xDBFF:
            // A high surrogate must be followed by `\uDC00`...`\uDFFF`; otherwise it is lone.
            if i + 6 <= bytes.count, bytes[i] == UInt8(ascii: "\\"), bytes[i + 1] == UInt8(ascii: "u") {
                let save = i
                i += 2
                let low = try readHex4()
                if (0xDC00...0xDFFF).contains(low) {
                    return Unicode.Scalar(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))!
                }
                i = save  // not a low surrogate: leave that escape for the caller to read next
            }
            return "\u{FFFD}"
        case 0xDC00...0xDFFF:
            return "\u{FFFD}"
        default:
            return Unicode.Scalar(high)!
        }
    }

    private mutating func readHex4() throws(JSONParseError) -> UInt32 {
        guard i + 4 <= bytes.count else { throw JSONParseError(.invalidEscape, at: i) }
        var v: UInt32 = 0
        for _ in 0..<4 {
            let b = bytes[i]
            let d: UInt8
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): d = b - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): d = b - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): d = b - UInt8(ascii: "A") + 10
            default: throw JSONParseError(.invalidEscape, at: i)
            }
            v = v << 4 | UInt32(d)
            i += 1
        }
        return v
    }

    private func appendUTF8(_ scalar: Unicode.Scalar, to out: inout [UInt8]) {
        UTF8.encode(scalar) { out.append($0) }
    }

    /// Validates one multi-byte UTF-8 sequence starting at `i` (lead byte ≥ 0x80) and moves past it.
    /// Follows the well-formed table of Unicode §3.9 (Table 3-7): no overlongs, no surrogates, ≤ U+10FFFF.
    private mutating func skipUTF8Sequence() throws(JSONParseError) {
        let lead = bytes[i]
        let length: Int
        var lowerBound: UInt8 = 0x80
        var upperBound: UInt8 = 0xBF
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; lowerBound = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED: length = 3; upperBound = 0x9F
        case 0xF0: length = 4; lowerBound = 0x90
        case 0xF1...0xF3: length = 4
        case 0xF4: length = 4; upperBound = 0x8F
        default: throw JSONParseError(.invalidUTF8, at: i)
        }
        guard i + length <= bytes.count else { throw JSONParseError(.invalidUTF8, at: i) }
        let second = bytes[i + 1]
        guard second >= lowerBound, second <= upperBound else { throw JSONParseError(.invalidUTF8, at: i) }
        var k = 2
        while k < length {
            guard bytes[i + k] & 0xC0 == 0x80 else { throw JSONParseError(.invalidUTF8, at: i) }
            k += 1
        }
        i += length
    }
}
