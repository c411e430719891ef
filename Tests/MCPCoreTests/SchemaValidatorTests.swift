import Testing

@testable import MCPCore

@Suite("Schema validator")
struct SchemaValidatorTests {
    static let schema: JSONValue = [
        "type": "object",
        "properties": [
            "limit": ["type": "integer", "minimum": 1, "maximum": 100],
            "ratio": ["type": "number", "exclusiveMinimum": 0, "exclusiveMaximum": 1],
            "severity": ["type": "string", "enum": ["low", "medium", "high"]],
            "kind": ["const": "email"],
            "entity_id": ["type": "string", "pattern": "^[0-9a-f]{32}$", "examples": ["0123456789abcdef0123456789abcdef"]],
            "since": ["type": "string", "format": "date-time"],
            "sender": ["type": "string", "format": "email"],
            "query": ["type": "string", "minLength": 2, "maxLength": 5],
            "ids": ["type": "array", "items": ["type": "string"], "minItems": 1, "maxItems": 3, "uniqueItems": true],
            "note": ["type": ["string", "null"]],
            "target": ["anyOf": [["type": "string", "format": "email"], ["type": "integer", "minimum": 0]]],
            "choice": ["oneOf": [["type": "integer"], ["type": "number", "minimum": 5]]],
            "filter": ["type": "object", "properties": ["field": ["type": "string"]], "required": ["field"],
                       "additionalProperties": false],
        ],
        "required": ["limit"],
        "additionalProperties": false,
    ]

    static let cases: [(JSONValue, String)] = [
        (["limit": 500], "`limit`: expected an integer from 1 to 100, got 500. Example: 100"),
        (["limit": "1x"], "`limit`: expected an integer from 1 to 100, got \"1x\" (a string). Example: 1"),
        (["limit": 2.5], "`limit`: expected an integer from 1 to 100, got 2.5 (a number). Example: 3"),
        ([:], "`limit`: missing required argument; expected an integer from 1 to 100. Example: 1"),
        (["limit": 1, "ratio": 1], "`ratio`: expected a number greater than 0 and less than 1, got 1. Example: 0.5"),
        (["limit": 1, "severity": "urgent"], "`severity`: expected one of \"low\", \"medium\", \"high\", got \"urgent\". Example: \"high\""),
        (["limit": 1, "kind": "sms"], "`kind`: expected exactly \"email\", got \"sms\". Example: \"email\""),
        (["limit": 1, "entity_id": "xyz"],
         "`entity_id`: expected a string matching the pattern ^[0-9a-f]{32}$, got \"xyz\". Example: \"0123456789abcdef0123456789abcdef\""),
        (["limit": 1, "since": "yesterday"],
         "`since`: expected a string in RFC 3339 date-time form, got \"yesterday\". Example: \"2026-01-31T09:00:00Z\""),
        (["limit": 1, "since": "2026-02-30T10:00:00Z"],
         "`since`: expected a string in RFC 3339 date-time form, got \"2026-02-30T10:00:00Z\". Example: \"2026-01-31T09:00:00Z\""),
        (["limit": 1, "sender": "bob at example"],
         "`sender`: expected a string holding an email address, got \"bob at example\". Example: \"analyst@example.com\""),
        (["limit": 1, "query": "a"], "`query`: expected a string of 2 to 5 characters, got \"a\""),
        (["limit": 1, "query": "abcdef"], "`query`: expected a string of 2 to 5 characters, got \"abcdef\". Example: \"abcde\""),
        (["limit": 1, "ids": []], "`ids`: expected an array of strings with 1 to 3 items, no repeats, got []"),
        (["limit": 1, "ids": ["a", "a"]],
         "`ids`: expected an array of strings with 1 to 3 items, no repeats, got a repeated item at index 1. Example: [\"a\"]"),
        (["limit": 1, "ids": ["a", 2]], "`ids[1]`: expected a string, got 2 (an integer). Example: \"2\""),
        (["limit": 1, "note": 5], "`note`: expected a string or null, got 5 (an integer). Example: \"5\""),
        (["limit": 1, "target": "nobody"],
         "`target`: expected a string holding an email address or an integer of at least 0, got \"nobody\". Example: \"analyst@example.com\""),
        (["limit": 1, "choice": 7], "`choice`: expected exactly one of an integer or a number of at least 5, got 7 which matches several. Example: 1"),
        (["limit": 1, "filter": [:]], "`filter.field`: missing required argument; expected a string"),
        (["limit": 1, "filter": ["field": "a", "op": "eq"]], "`filter.op`: unknown argument (allowed: `field`)"),
        (["limit": 1, "severity": "hihg"], "`severity`: expected one of \"low\", \"medium\", \"high\", got \"hihg\". Did you mean \"high\"?"),
        (["limit": 1, "severty": "high"],
         "`severty`: unknown argument; did you mean `severity`? (allowed: `limit`, `ratio`, `severity`, `kind`, `entity_id`, `since`, `sender`, `query`, `ids`, `note`, `target`, `choice`, `filter`)"),
        (["limit": 1, "colour": "red"],
         "`colour`: unknown argument (allowed: `limit`, `ratio`, `severity`, `kind`, `entity_id`, `since`, `sender`, `query`, `ids`, `note`, `target`, `choice`, `filter`)"),
    ]

    @Test("each violation names the field, the expectation, the value and an example", arguments: cases)
    func violation(arguments: JSONValue, sentence: String) {
        let violations = SchemaValidator().validate(arguments, against: Self.schema)
        #expect(violations.map(\.sentence) == [sentence])
    }

    @Test("valid arguments pass, including integral doubles, nulls and date-time offsets")
    func valid() {
        let ok: JSONValue = [
            "limit": 3.0, "ratio": 0.5, "severity": "high", "kind": "email", "entity_id": "0123456789abcdef0123456789abcdef",
            "since": "2024-02-29T23:59:60.123+05:30", "sender": "a.b+c@mail.example.co", "query": "héllo", "ids": ["a", "b"],
            "note": nil, "target": 3, "choice": 6.5, "filter": ["field": "x"],
        ]
        #expect(SchemaValidator().validate(ok, against: Self.schema) == [])
    }

    @Test("the rendered tool error lists every problem between a header and the next step")
    func rendered() {
        let violations = SchemaValidator().validate(["limit": 0, "severity": 1], against: Self.schema)
        #expect(SchemaViolation.render(violations, tool: "search") == """
            Invalid arguments for tool 'search' (nothing was done):
            - `limit`: expected an integer from 1 to 100, got 0. Example: 1
            - `severity`: expected one of "low", "medium", "high", got 1 (an integer). Example: "low"
            Fix the arguments and call again; tools/list shows the full inputSchema.
            """)
    }

    @Test("date-time and email formats", arguments: [
        ("2026-01-31T09:00:00Z", true), ("2026-01-31t09:00:00z", true), ("2026-01-31T09:00:00.5-08:00", true),
        ("2026-01-31 09:00:00Z", false), ("2026-13-01T00:00:00Z", false), ("2025-02-29T00:00:00Z", false),
        ("2026-01-31T24:00:00Z", false), ("2026-01-31T09:00:00", false), ("2026-01-31T09:00:00+0800", false),
        ("2026-01-31", false),
    ])
    func dateTime(text: String, valid: Bool) {
        #expect(Formats.isDateTime(text) == valid)
    }

    @Test("email format", arguments: [
        ("analyst@example.com", true), ("first.last+tag@sub.example.org", true), ("no-at.example.com", false),
        ("a@b", false), ("a@@b.com", false), ("a b@example.com", false), ("a@-x.com", false), ("a@example.c0m", false),
    ])
    func email(text: String, valid: Bool) {
        #expect(Formats.isEmail(text) == valid)
    }

    @Test("tool-name suggestions use edit distance and containment")
    func suggestions() {
        let names = ["search_emails", "get_email", "quarantine_email", "list_mobile_devices"]
        #expect(ToolNameSuggestions.closest(to: "search_email", among: names) == ["search_emails"])
        #expect(ToolNameSuggestions.closest(to: "get_emial", among: names) == ["get_email"])
        #expect(ToolNameSuggestions.closest(to: "mobile_devices", among: names) == ["list_mobile_devices"])
        #expect(ToolNameSuggestions.closest(to: "zzz", among: names) == [])
    }

    @Test("every MCPError case has its JSON-RPC code and renders an error object")
    func errorCodes() {
        let cases: [(MCPError, Int64)] = [
            (.parseError("x"), -32700), (.invalidRequest("x"), -32600), (.methodNotFound("m"), -32601),
            (.invalidParams("x"), -32602), (.internalError("x"), -32603),
            (.missingRequiredClientCapability("x", required: ["elicitation": [:]]), -32021),
            (.unsupportedProtocolVersion(requested: "1", supported: ["2026-07-28"]), -32022),
        ]
        for (error, code) in cases {
            #expect(error.code == code)
            #expect(error.errorObject["code"] == .int(code))
            #expect(error.errorObject["message"]?.stringValue?.isEmpty == false)
        }
        #expect(MCPError.unsupportedProtocolVersion(requested: "1", supported: ["2026-07-28"]).errorObject
            == ["code": -32022, "message": "Unsupported protocol version", "data": ["supported": ["2026-07-28"], "requested": "1"]])
    }
}
