import Testing

@testable import MCPCore

@Suite("JSON serializer")
struct JSONSerializerTests {
    @Test("compact output keeps insertion order and has no whitespace")
    func compact() {
        let v: JSONValue = ["b": [1, 2.5, "x", nil, true], "a": [:], "c": []]
        #expect(v.serializedString() == #"{"b":[1,2.5,"x",null,true],"a":{},"c":[]}"#)
    }

    @Test("escapes quotes, backslashes and every control character; never a raw newline")
    func escaping() throws {
        let s = "q\"b\\n\nr\rt\tb\u{8}f\u{c}z\u{0}\u{1f}/é😀\u{7f}"
        let out = JSONValue.string(s).serializedString()
        #expect(out == #""q\"b\\n\nr\rt\tb\bf\fz\u0000\u001f/é😀\#u{7f}""#)
        #expect(!out.utf8.contains(0x0A))
        #expect(try JSONValue.parse(string: out) == .string(s))
    }

    @Test("numbers: integers exact, doubles round-trip, non-finite becomes null")
    func numbers() throws {
        #expect(JSONValue.int(Int64.min).serializedString() == "-9223372036854775808")
        #expect(JSONValue.double(3).serializedString() == "3.0")
        #expect(JSONValue.double(-0.0).serializedString() == "-0.0")
        #expect(JSONValue.double(.infinity).serializedString() == "null")
        #expect(JSONValue.double(.nan).serializedString() == "null")
        for d in [0.1, 1e-7, 1e300, -2.5e-300, 123456.789, 1e15, Double.leastNonzeroMagnitude] {
            #expect(try JSONValue.parse(string: JSONValue.double(d).serializedString()) == .double(d))
        }
    }

    @Test("sorted keys order by UTF-8 bytes, recursively")
    func sorted() {
        let v: JSONValue = ["b": 1, "a": ["z": 1, "B": 2], "A": 0]
        #expect(v.serializedString(sortedKeys: true) == #"{"A":0,"a":{"B":2,"z":1},"b":1}"#)
    }

    @Test("pretty output indents by two spaces")
    func pretty() {
        let v: JSONValue = ["tools": [["name": "x", "e": [:]]], "n": []]
        let expected = """
            {
              "n": [],
              "tools": [
                {
                  "e": {},
                  "name": "x"
                }
              ]
            }
            """
        #expect(v.serializedString(sortedKeys: true, pretty: true) == expected)
    }

    @Test("round-trips a nested document byte for byte")
    func roundTrip() throws {
        let text = #"{"jsonrpc":"2.0","id":7,"result":{"content":[{"type":"text","text":"a\nb"}],"isError":false,"n":-1.25}}"#
        #expect(try JSONValue.parse(string: text).serializedString() == text)
        #expect("\(try JSONValue.parse(string: text))" == text)
    }
}
