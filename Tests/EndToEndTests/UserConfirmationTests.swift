import MCPCore
import Testing

/// Writes confirmed by the user in the client, through the built server against `checkpoint-sim`: a
/// handshake-era `elicitation/create` answered on the pipe, and the 2026-07-28 `input_required` retry.
/// The simulator's counter of group creations shows the write happens exactly once on accept, never otherwise.
@Suite("User confirmation in the client (end to end)", .serialized)
struct UserConfirmationTests {
    static let createRoute = "POST /app/SBM/external_api/v1/groups/"
    static let asking: JSONValue = ["elicitation": ["form": [:]]]

    private func expectCleanOutput(_ mcp: MCPProcess) {
        #expect(mcp.invalidStdoutLines.map(\.text) == [])
        for secret in [SimProcess.clientSecret, SimProcess.mobileClientSecret] {
            #expect(!mcp.allOutput.contains(secret), "the client secret appeared in the server's output")
        }
    }

    /// Calls create_mobile_group, answers the question it raises with `answer`, returns the tool result.
    func legacyCall(_ mcp: MCPProcess, name: String, answer: JSONValue) async throws -> ToolCallResult {
        let id = JSONValue.int(mcp.nextID())
        try mcp.send(["jsonrpc": "2.0", "id": id, "method": "tools/call", "params": ["name": "create_mobile_group", "arguments": ["name": .string(name)]]])
        let question = try await mcp.wait(for: "elicitation/create", consume: true) { $0["method"] == "elicitation/create" && $0["id"] != nil }
        let message = question["params"]?["message"]?.stringValue ?? ""
        #expect(message.contains("create_mobile_group") && message.contains(name))
        #expect(question["params"]?["requestedSchema"]?["required"] == ["confirm"])
        try mcp.send(["jsonrpc": "2.0", "id": question["id"]!, "result": answer])
        return try #require(try await mcp.response(to: id).toolResult)
    }

    @Test("handshake era: accept creates the group once and is audited as confirmed by the user; decline creates nothing")
    func legacy() async throws {
        let sim = try await SimProcess.shared("user-confirmation")
        let mcp = try MCPProcess.launch(against: sim)
        try await mcp.initialize(capabilities: Self.asking)
        let before = try await sim.requestCount(Self.createRoute)
        let declined = try await legacyCall(mcp, name: "e2e-declined", answer: ["action": "decline"])
        #expect(declined.structured?["status"] == "declined", "\(declined.text)")
        #expect(try await sim.requestCount(Self.createRoute) == before)
        let done = try await legacyCall(mcp, name: "e2e-accepted", answer: ["action": "accept", "content": ["confirm": true]])
        #expect(done.structured?["status"] == "executed" && done.structured?["confirmed_by"] == "user", "\(done.text)")
        #expect(try await sim.requestCount(Self.createRoute) == before + 1)
        let writes = try #require(try await mcp.callTool("list_session_writes").toolResult?.structured?["writes"]?.arrayValue)
        #expect(writes.map { $0["confirm"] } == ["user", "user"])
        #expect(writes.map { $0["outcome"] } == ["executed", "refused"])
        expectCleanOutput(mcp)
    }

    @Test("2026-07-28: input_required, then the retry with the answer creates the group once; the state cannot be replayed")
    func modern() async throws {
        let sim = try await SimProcess.shared("user-confirmation")
        let mcp = try MCPProcess.launch(against: sim)
        try await mcp.discover(capabilities: Self.asking)
        func call(_ extra: JSONObject = [:]) async throws -> JSONValue {
            var params: JSONObject = ["name": "create_mobile_group", "arguments": ["name": "e2e-modern"],
                                      "_meta": MCPProcess.envelope(capabilities: Self.asking)]
            for (k, v) in extra { params[k] = v }
            return try #require(try await mcp.request("tools/call", .object(params))["result"])
        }
        let first = try await call()
        #expect(first["resultType"] == "input_required")
        #expect(first["inputRequests"]?["confirm"]?["method"] == "elicitation/create")
        let state = try #require(first["requestState"])
        let before = try await sim.requestCount(Self.createRoute)
        let answer: JSONValue = ["confirm": ["action": "accept", "content": ["confirm": true]]]
        let done = try await call(["requestState": state, "inputResponses": answer])
        #expect(done["structuredContent"]?["status"] == "executed", "\(done.wireText)")
        let replay = try await call(["requestState": state, "inputResponses": answer])
        #expect(replay["isError"] == true)
        #expect(try await sim.requestCount(Self.createRoute) == before + 1)
        expectCleanOutput(mcp)
    }
}
