import Testing

@testable import MCPCore

@Suite("Nearest valid value")
struct NearestValueTests {
    static func example(_ got: JSONValue, _ schema: JSONValue) -> JSONValue? {
        SchemaDescription.example(schema, near: got, validator: SchemaValidator())
    }

    static let window: JSONValue = ["type": "string", "pattern": "^[0-9]{1,5}[mhdw]$"]
    static let severities: JSONValue = ["type": "array", "items": ["type": "string", "enum": ["low", "medium", "high"]]]

    @Test("a duration phrase becomes the compact duration", arguments: [
        ("last week", "7d"), ("past 24 hours", "24h"), ("3 days", "3d"), ("yesterday", "1d"), ("last 2 weeks", "14d"),
        ("30 minutes", "30m"), ("last month", "30d"), ("7days", "7d"),
    ])
    func duration(phrase: String, compact: String) {
        #expect(Self.example(.string(phrase), Self.window) == .string(compact))
    }

    @Test("enum values and list items: the option fewest edits away")
    func enums() {
        #expect(Self.example("hgh", Self.severities) == ["high"])
        #expect(Self.example(["meduim", "low"], Self.severities) == ["medium", "low"])
        #expect(Self.example("phising", ["type": "string", "enum": ["clean", "phishing", "spam"]]) == "phishing")
    }

    @Test("numbers are rounded and moved inside the bounds")
    func numbers() {
        let limit: JSONValue = ["type": "integer", "minimum": 1, "maximum": 100]
        #expect(Self.example(500, limit) == 100)
        #expect(Self.example(-3, limit) == 1)
        #expect(Self.example(2.6, limit) == 3)
        #expect(Self.example("12.2", limit) == 12)
    }

    @Test("no placeholder is invented: nothing sensible means no example")
    func noPlaceholder() {
        #expect(Self.example(5, ["type": "array", "items": ["type": "string", "pattern": "^[a-f]{4}$"]]) == nil)
        #expect(Self.example(true, ["type": "string", "minLength": 3]) == nil)
        #expect(Self.example("nonsense", Self.window) == nil)
    }
}
