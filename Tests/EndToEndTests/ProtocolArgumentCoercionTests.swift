import MCPCore
import Testing

/// Forgiving input through the built `checkpoint-mcp`: arguments with one reading are repaired before the
/// tool runs and the result says so; the rest are refused with the nearest valid value and a "did you mean".
@Suite("Protocol: argument coercion and precise errors (end to end)", .serialized)
struct ProtocolArgumentCoercionTests {
    static func server() async throws -> MCPProcess {
        let sim = try await SimProcess.shared()
        let mcp = try MCPProcess.launch(against: sim)
        _ = try await mcp.initialize()
        return mcp
    }

    static func call(_ mcp: MCPProcess, _ args: JSONValue) async throws -> ToolCallResult {
        let response = try await mcp.callTool("get_security_events", args, timeout: .seconds(60))
        return try #require(response.toolResult, "no result: \(response.wireText)")
    }

    @Test("\"5\", \"High\" and \"Phishing\" are taken as 5, [\"high\"] and [\"phishing\"], and the result lists each")
    func coerced() async throws {
        let mcp = try await Self.server()
        let r = try await Self.call(mcp, ["limit": "5", "severities": "High", "event_types": "Phishing", "duration": "7d"])
        #expect(!r.isError, "\(r.text)")
        #expect(r.text.contains("Note: took "), "\(r.text)")
        #expect(r.text.contains("took \"5\" for `limit` as the integer 5"), "\(r.text)")
        let coerced = r.structured?["coerced"]?.arrayValue ?? []
        #expect(Set(coerced.compactMap { $0["argument"]?.stringValue }) == ["limit", "severities", "event_types"])
        #expect(coerced.contains(["argument": "severities", "sent": "High", "used": ["high"]]))
        let shared = r.structured?["row_defaults"]?.objectValue ?? [:]
        for row in r.structured?["events"]?.arrayValue ?? [] {
            #expect((row["type"] ?? shared["type"]) == "phishing" && (row["severity"] ?? shared["severity"]) == "high", "\(row)")
        }
    }

    @Test("what is ambiguous is refused with the nearest valid value, and misspelt names get a did-you-mean")
    func refused() async throws {
        let mcp = try await Self.server()
        let window = try await Self.call(mcp, ["duration": "last week"])
        #expect(window.isError)
        #expect(window.text.contains("`duration`: expected a string matching the pattern ^[0-9]{1,5}[mhdw]$, got \"last week\". Example: \"7d\""),
                "\(window.text)")
        let name = try await Self.call(mcp, ["sevrities": ["high"]])
        #expect(name.isError)
        #expect(name.text.contains("`sevrities`: unknown argument; did you mean `severities`?"), "\(name.text)")
        let value = try await Self.call(mcp, ["event_types": ["phishng"]])
        #expect(value.isError)
        #expect(value.text.contains("got \"phishng\". Did you mean \"phishing\"?"), "\(value.text)")
        #expect(!window.text.contains("[\"x\"]") && !value.text.contains("[\"x\"]"))
    }
}
