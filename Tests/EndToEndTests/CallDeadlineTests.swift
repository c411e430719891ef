import Foundation
import MCPCore
import Testing

/// `CHECKPOINT_CALL_DEADLINE` holds for every tool in the catalog: each tool is called with the example
/// from its own description while every upstream request takes 4 s, under a 2 s deadline and no retries.
/// Tools that reach Check Point must stop at the deadline and say so; local tools must simply answer.
/// The catalog comes from `tools/list`, so a new tool is covered without editing this test.
@Suite("Every tool honours CHECKPOINT_CALL_DEADLINE (end to end)", .serialized)
struct CallDeadlineTests {
    static let deadlineSeconds = 2.0
    /// Before the frame, tools that ignored the deadline ran two 4 s requests (8 s) and succeeded; 3 s of
    /// margin over the 2 s deadline separates the two on a loaded 2-core machine.
    static let margin = 3.0
    static let servers = 4

    struct Outcome: Sendable {
        var tool: JSONValue
        var result: ToolCallResult
        var seconds: Double
    }

    /// The JSON object after "Example: " in a tool's description, without `wait_seconds`: waiting for a
    /// task lengthens `get_task_status`'s deadline by design (by 30 s in its example).
    static func arguments(_ tool: JSONValue) throws -> JSONValue {
        var object = try example(tool).objectValue ?? [:]
        object["wait_seconds"] = nil
        return .object(object)
    }

    static func example(_ tool: JSONValue) throws -> JSONValue {
        let description = tool["description"]?.stringValue ?? ""
        let range = try #require(description.range(of: "Example: {"), "\(tool["name"] ?? "?") has no example")
        var depth = 0
        var end = range.upperBound
        for index in description[description.index(before: range.upperBound)...].indices {
            if description[index] == "{" { depth += 1 }
            if description[index] == "}" { depth -= 1 }
            if depth == 0 { end = description.index(after: index); break }
        }
        return try JSONValue.parse(string: String(description[description.index(before: range.upperBound)..<end]))
    }

    static func server(_ sim: SimProcess) async throws -> MCPProcess {
        let mcp = try MCPProcess.launch(against: sim, environment: [
            "CHECKPOINT_CALL_DEADLINE": "\(deadlineSeconds)", "CHECKPOINT_MAX_RETRIES": "0",
        ])
        _ = try await mcp.initialize()
        return mcp
    }

    @Test("reads and write previews stop at the 2 s deadline and say so; local tools answer")
    func everyTool() async throws {
        // Every request, authentication included, takes 4 s: no call can get past the deadline by luck.
        let sim = try await SimProcess.launch(["--latency-ms", "4000"])
        var servers: [MCPProcess] = []
        for _ in 0..<Self.servers { servers.append(try await Self.server(sim)) }
        let tools = try await servers[0].listTools()
        #expect(tools.count >= 28)

        let outcomes = try await withThrowingTaskGroup(of: [Outcome].self) { group in
            for (n, mcp) in servers.enumerated() {
                let mine = tools.enumerated().filter { $0.offset % Self.servers == n }.map(\.element)
                group.addTask {
                    var outcomes: [Outcome] = []
                    for tool in mine {
                        let name = try #require(tool["name"]?.stringValue)
                        let started = ContinuousClock.now
                        let response = try await mcp.callTool(name, try Self.arguments(tool), timeout: .seconds(60))
                        let seconds = (ContinuousClock.now - started) / .seconds(1)
                        outcomes.append(Outcome(tool: tool, result: try #require(response.toolResult, "\(name): \(response.wireText)"), seconds: seconds))
                    }
                    return outcomes
                }
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }

        #expect(outcomes.count == tools.count)
        for o in outcomes {
            let name = o.tool["name"]?.stringValue ?? "?"
            let text = o.result.text
            if o.tool["annotations"]?["openWorldHint"] == false {
                #expect(!o.result.isError, "\(name) is local and must answer: \(text)")
                continue
            }
            #expect(text.lowercased().contains("deadline"), "\(name) must say it hit the deadline: \(text)")
            #expect(o.seconds < Self.deadlineSeconds + Self.margin, "\(name) took \(o.seconds) s")
            #expect(o.result.structured?["status"] != "executed", "\(name) must not act")
            if o.result.isError {
                #expect(o.result.structured?["error"]?["deadline_seconds"] == .double(Self.deadlineSeconds),
                        "\(name): \(o.result.structured?.wireText ?? text)")
            }
        }
    }
}
