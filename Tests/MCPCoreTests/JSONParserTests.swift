import Testing

@testable import MCPCore

@Suite("JSON parser")
struct JSONParserTests {
    @Test("parses every value kind, keeping object key order")
    func valueKinds() throws {
        let v = try JSONValue.parse(string: #" {"b": [1, -2, 3.5, true, false, null], "a": {"x": "y"}, "e": {}, "f": []} "#)
        #expect(v == ["b": [1, -2, 3.5, true, false, nil], "a": ["x": "y"], "e": [:], "f": []])
        #expect(v.objectValue?.keys == ["b", "a", "e", "f"])
    }

    @Test("integers that fit in Int64 stay exact; others become doubles", arguments: [
        ("0", JSONValue.int(0)), ("-0", .int(0)), ("42", .int(42)),
        ("9223372036854775807", .int(Int64.max)), ("-9223372036854775808", .int(Int64.min)),
        ("9223372036854775808", .double(9223372036854775808)), ("1.0", .double(1)), ("1e3", .double(1000)),
        ("-1.5E-2", .double(-0.015)), ("123456789012345678901234567890", .double(1.2345678901234568e29)),
    ])
    func numbers(text: String, expected: JSONValue) throws {
        #expect(try JSONValue.parse(string: text) == expected)
    }

    @Test("decodes escapes, surrogate pairs, and replaces lone surrogates with U+FFFD")
    func escapes() throws {
        #expect(try JSONValue.parse(string: #""a\"b\\c\/d\b\f\n\r\t""#) == .string("a\"b\\c/d\u{8}\u{c}\n\r\t"))
        #expect(try JSONValue.parse(string: #""\u00e9\u20AC""#) == .string("é€"))
        #expect(try JSONValue.parse(string: #""\ud83d\ude00""#) == .string("😀"))
        #expect(try JSONValue.parse(string: #""x\ud800y""#) == .string("x\u{FFFD}y"))
        #expect(try JSONValue.parse(string: #""\udc00""#) == .string("\u{FFFD}"))
        #expect(try JSONValue.parse(string: #""\ud800\u0041""#) == .string("\u{FFFD}A"))
        #expect(try JSONValue.parse(string: "\"héllo 😀\"") == .string("héllo 😀"))
    }

    @Test("duplicate keys: the last one wins, in small and large objects")
    func duplicates() throws {
        #expect(try JSONValue.parse(string: #"{"a":1,"a":2}"#) == ["a": 2])
        let many = (0..<40).map { "\"k\($0)\":\($0)" }.joined(separator: ",")
        let v = try JSONValue.parse(string: "{\(many),\"k3\":99}")
        #expect(v.objectValue?.count == 40)
        #expect(v["k3"] == 99)
    }

    @Test("rejects malformed text with a typed error", arguments: [
        ("", JSONParseError.Kind.unexpectedEnd), ("   ", .unexpectedEnd), ("{", .unexpectedEnd),
        ("[1,]", .unexpectedByte(UInt8(ascii: "]"))), ("{\"a\" 1}", .unexpectedByte(UInt8(ascii: "1"))),
        ("{a:1}", .unexpectedByte(UInt8(ascii: "a"))), ("tru", .unexpectedEnd), ("nul!", .unexpectedByte(UInt8(ascii: "!"))),
        ("01", .invalidNumber), ("1.", .invalidNumber), ("-", .invalidNumber), (".5", .unexpectedByte(UInt8(ascii: "."))),
        ("1e", .invalidNumber), ("\"a\\x\"", .invalidEscape), ("\"\\u12G4\"", .invalidEscape),
        ("\"a\nb\"", .controlCharacterInString), ("\"abc", .unexpectedEnd), ("1 2", .trailingData),
        ("{}x", .trailingData), ("NaN", .unexpectedByte(UInt8(ascii: "N"))),
    ])
    func malformed(text: String, kind: JSONParseError.Kind) {
        #expect(throws: JSONParseError.self) { try JSONValue.parse(string: text) }
        do { _ = try JSONValue.parse(string: text) } catch { #expect(error.kind == kind) }
    }

    @Test("rejects invalid UTF-8", arguments: [
        [0x22, 0xFF, 0x22], [0x22, 0xC0, 0xAF, 0x22] /* overlong */, [0x22, 0xED, 0xA0, 0x80, 0x22] /* surrogate */,
        [0x22, 0xE2, 0x82, 0x22] /* truncated */, [0x22, 0xF4, 0x90, 0x80, 0x80, 0x22] /* > U+10FFFF */,
        [0x22, 0x80, 0x22] /* lone continuation */, [0xC3, 0xA9] /* outside a string */,
    ] as [[UInt8]])
    func invalidUTF8(bytes: [UInt8]) {
        do {
            _ = try JSONValue.parse(bytes)
            Issue.record("accepted invalid UTF-8 \(bytes)")
        } catch { #expect(error.kind == .invalidUTF8) }
    }

    @Test("enforces the depth limit")
    func depth() throws {
        let ok = String(repeating: "[", count: 10) + String(repeating: "]", count: 10)
        let nested = (1..<10).reduce(JSONValue.array([])) { inner, _ in .array([inner]) }
        #expect(try JSONValue.parse(string: ok, maxDepth: 10) == nested)
        let deep = String(repeating: "[", count: 100_000)
        do {
            _ = try JSONValue.parse(string: deep)
            Issue.record("accepted 100000 levels")
        } catch { #expect(error.kind == .tooDeep(limit: JSONValue.defaultMaxDepth)) }
    }

    @Test("reports the byte offset and renders a readable message")
    func messages() {
        do { _ = try JSONValue.parse(string: #"{"a": tx}"#) } catch {
            #expect(error.offset == 7)
            #expect(error.description == "unexpected byte 'x' at byte 7")
        }
    }

    @Test("parses non-contiguous collections and multi-megabyte input")
    func bigAndNonContiguous() throws {
        let big = "\"" + String(repeating: "abcdefgh", count: 500_000) + "\""
        let v = try JSONValue.parse(Array(big.utf8))
        #expect(v.stringValue?.utf8.count == 4_000_000)
        #expect(try JSONValue.parse("[1,2]".utf8.lazy.map { $0 }) == [1, 2])
    }
}

@Suite("JSON parser value budget")
struct JSONParserBudgetTests {
    @Test("maxValues counts every scalar, array and object; one more is refused with the limit named")
    func budget() throws {
        #expect(try JSONValue.parse(Array("[0,0,{\"a\":1}]".utf8), maxValues: 5) == [0, 0, ["a": 1]])
        do {
            _ = try JSONValue.parse(Array("[0,0,{\"a\":1}]".utf8), maxValues: 4)
            Issue.record("a fifth value was accepted")
        } catch {
            #expect(error.kind == .tooManyValues(limit: 4))
            #expect(error.description.contains("more than 4 JSON values"))
        }
    }
}
