import Testing

@testable import MCPCore

@Suite("Argument coercion")
struct ArgumentCoercionTests {
    static let schema: JSONValue = [
        "type": "object",
        "properties": [
            "limit": ["type": "integer", "minimum": 1, "maximum": 500],
            "ratio": ["type": "number"],
            "dry_run": ["type": "boolean"],
            "verdict": ["type": "string", "enum": ["phishing", "clean", "suspected_phishing"]],
            "severities": ["type": "array", "items": ["type": "string", "enum": ["low", "medium", "high"]]],
            "ids": ["type": "array", "items": ["type": "string"]],
            "counts": ["type": "array", "items": ["type": "integer"]],
            "id": ["type": ["string", "integer"]],
            "window": ["type": "string", "pattern": "^[0-9]{1,5}[mhdw]$"],
            "twins": ["type": "string", "enum": ["a_b", "a-b"]],
            "filters": ["type": "object", "properties": ["verdict": ["type": "string", "enum": ["phishing", "clean"]]],
                        "additionalProperties": false],
        ],
        "additionalProperties": false,
    ]

    static func coerce(_ arguments: JSONValue) -> (JSONValue, [Coercion]) {
        ArgumentCoercion.coerce(arguments, schema, validator: SchemaValidator())
    }

    @Test("each unambiguous repair is applied, recorded, and the result validates", arguments: [
        (["limit": "412"], "limit", "412", 412, "took \"412\" for `limit` as the integer 412"),
        (["limit": " 7 "], "limit", " 7 ", 7, "took \" 7 \" for `limit` as the integer 7"),
        (["ratio": "0.25"], "ratio", "0.25", 0.25, "took \"0.25\" for `ratio` as the number 0.25"),
        (["dry_run": "true"], "dry_run", "true", true, "took \"true\" for `dry_run` as the boolean true"),
        (["dry_run": "False"], "dry_run", "False", false, "took \"False\" for `dry_run` as the boolean false"),
        (["verdict": "Phishing"], "verdict", "Phishing", "phishing", "took \"Phishing\" for `verdict` as \"phishing\""),
        (["verdict": "Suspected Phishing"], "verdict", "Suspected Phishing", "suspected_phishing",
         "took \"Suspected Phishing\" for `verdict` as \"suspected_phishing\""),
        (["severities": "high"], "severities", "high", ["high"], "took \"high\" for `severities` as the array [\"high\"]"),
        (["severities": "HIGH"], "severities", "HIGH", ["high"], "took \"HIGH\" for `severities` as the array [\"high\"]"),
        (["ids": "abc"], "ids", "abc", ["abc"], "took \"abc\" for `ids` as the array [\"abc\"]"),
        (["counts": "3"], "counts", "3", [3], "took \"3\" for `counts` as the array [3]"),
        (["severities": ["High", "low"]], "severities[0]", "High", "high", "took \"High\" for `severities[0]` as \"high\""),
        (["ids": 412], "ids", 412, ["412"], "took 412 for `ids` as the array [\"412\"]"),
        (["filters": ["verdict": "CLEAN"]], "filters.verdict", "CLEAN", "clean", "took \"CLEAN\" for `filters.verdict` as \"clean\""),
        // A list of a closed set of values: commas separate values, since no value holds one.
        (["severities": "high,low"], "severities", "high,low", ["high", "low"], "took \"high,low\" for `severities` as the array [\"high\",\"low\"]"),
        (["severities": ["High, medium"]], "severities[0]", "High, medium", ["high", "medium"],
         "took \"High, medium\" for `severities[0]` as the array [\"high\",\"medium\"]"),
        // Free text is never split: one name with a comma.
        (["ids": "Sales, EMEA"], "ids", "Sales, EMEA", ["Sales, EMEA"], "took \"Sales, EMEA\" for `ids` as the array [\"Sales, EMEA\"]"),
    ] as [(JSONValue, String, JSONValue, JSONValue, String)])
    func repaired(arguments: JSONValue, path: String, from: JSONValue, to: JSONValue, note: String) {
        let (out, found) = Self.coerce(arguments)
        #expect(found == [Coercion(path: path, from: from, to: to)])
        #expect(found.first?.note == note)
        #expect(SchemaValidator().conforms(out, to: Self.schema))
    }

    @Test("what has no single reading is left as sent, for validation to refuse", arguments: [
        ["limit": "4.5"], ["limit": "12abc"], ["limit": "1 2"], ["limit": "--3"], ["dry_run": "yes"], ["dry_run": 1],
        ["verdict": "phish"], ["severities": "high,urgent"], ["severities": ","], ["severities": "urgent"], ["twins": "A B"],
        ["limit": "9999"], ["window": "last week"], ["filters": ["verdict": "spam"]],
    ] as [JSONValue])
    func refused(arguments: JSONValue) {
        let (out, found) = Self.coerce(arguments)
        #expect(found == [])
        #expect(out == arguments)
    }

    @Test("values that already conform are never touched (a string id stays a string)")
    func untouched() {
        let arguments: JSONValue = ["id": "412", "limit": 3, "verdict": "clean", "severities": ["low"]]
        let (out, found) = Self.coerce(arguments)
        #expect(found == [] && out == arguments)
    }

    @Test("the result line and the structured entry say what was sent and what was used")
    func reported() {
        let found = [Coercion(path: "limit", from: "412", to: 412), Coercion(path: "severities", from: "high", to: ["high"])]
        #expect(Coercion.line(found)
            == "Note: took \"412\" for `limit` as the integer 412; took \"high\" for `severities` as the array [\"high\"].")
        #expect(found[0].json == ["argument": "limit", "sent": "412", "used": 412])
    }

    @Test("ArgumentRules, the readings every argument reader shares: one sign, digits only, true/false, one option")
    func rules() {
        #expect(ArgumentRules.integer(" -12 ") == -12 && ArgumentRules.integer("+7") == 7)
        #expect(ArgumentRules.integer("--1") == nil && ArgumentRules.integer("4.5") == nil && ArgumentRules.integer("1e3") == nil)
        #expect(ArgumentRules.number("4.5") == .double(4.5) && ArgumentRules.number("12") == .int(12) && ArgumentRules.number("nan") == nil)
        #expect(ArgumentRules.boolean(" FALSE ") == false && ArgumentRules.boolean("yes") == nil)
        #expect(ArgumentRules.option("Suspected Phishing", among: ["phishing", "suspected_phishing"]) == "suspected_phishing")
        #expect(ArgumentRules.option("a-b", among: ["a_b", "A B"]) == nil, "two options read alike: no single reading")
    }

    @Test("noting adds to a result's earlier repairs instead of replacing them; nothing to note leaves it as it is")
    func notingAdds() {
        let first = ToolResult.success(text: "ok", structured: [:]).noting([Coercion(path: "a", from: "1", to: 1)])
        let both = first.noting([Coercion(path: "b", from: "x", to: ["x"])])
        #expect(both.structuredContent?["coerced"]?.arrayValue?.compactMap { $0["argument"]?.stringValue } == ["a", "b"])
        #expect(both.noting([]) == both)
    }
}
