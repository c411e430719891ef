import Testing

@testable import MCPCore

/// Handshake-era `elicitation/create`: the server's own request, matched to the client's response,
/// bounded by the injected clock, withdrawn when the asking call is cancelled.
@Suite("server-to-client requests (elicitation/create)")
struct SessionClientRequestsTests {
    /// Calls `ask` and returns the `elicitation/create` request the server sent for it.
    func startAsking(_ client: PipeClient, id: JSONValue = 1) async throws -> JSONValue {
        client.send(["jsonrpc": "2.0", "id": id, "method": "tools/call", "params": ["name": "ask", "arguments": ["what": "all"]]])
        let request = try await client.next()
        #expect(request["method"] == "elicitation/create")
        return request
    }

    @Test("the question goes out with an id of ours and form mode; the matching answer reaches the tool")
    func accept() async throws {
        let clock = ManualClock()
        let client = PipeClient(asking: clock)
        try await client.initializeAsking()
        let request = try await startAsking(client)
        #expect(request["params"] == ["mode": "form", "message": "Delete «everything»?", "requestedSchema": AskingTools.question.requestedSchema])
        let ours = try #require(request["id"])
        // A response to an id we never used is dropped; the real one is matched.
        client.send(["jsonrpc": "2.0", "id": 999, "result": ["action": "decline"]])
        client.send(["jsonrpc": "2.0", "id": ours, "result": ["action": "accept", "content": ["confirm": true]]])
        let response = try await client.next()
        #expect(response["id"] == 1)
        #expect(response["result"]?["structuredContent"]?["outcome"] == "accepted {\"confirm\":true}")
        await client.finish()
    }

    @Test("decline, cancel and an error answer each reach the tool as such", arguments: [
        (["action": "decline"] as JSONValue, "declined"), (["action": "cancel"], "cancelled"),
        (["action": "maybe"], "failed: the client's answer is not an elicitation result (action: \"maybe\")"),
    ] as [(JSONValue, String)])
    func otherAnswers(answer: JSONValue, expected: String) async throws {
        let client = PipeClient(asking: ManualClock())
        try await client.initializeAsking()
        let request = try await startAsking(client)
        client.send(["jsonrpc": "2.0", "id": request["id"]!, "result": answer])
        #expect(try await client.next()["result"]?["structuredContent"]?["outcome"] == .string(expected))
        await client.finish()
    }

    @Test("an error response is a failed outcome naming the client's message")
    func errorAnswer() async throws {
        let client = PipeClient(asking: ManualClock())
        try await client.initializeAsking()
        let request = try await startAsking(client)
        client.send(["jsonrpc": "2.0", "id": request["id"]!, "error": ["code": -32601, "message": "no dialogs here"]])
        let outcome = try await client.next()["result"]?["structuredContent"]?["outcome"]?.stringValue
        #expect(outcome == "failed: the client answered the question with an error: no dialogs here")
        await client.finish()
    }

    @Test("no answer: when the clock passes the bound the question is withdrawn and the tool hears noAnswer; a late answer is dropped")
    func timeout() async throws {
        let clock = ManualClock()
        let client = PipeClient(asking: clock)
        try await client.initializeAsking()
        let request = try await startAsking(client)
        await clock.waitForSleepers(1)
        clock.advance(by: .seconds(119))
        #expect(clock.sleeping == 1, "the wait ended before its bound")
        clock.advance(by: .seconds(1))
        let withdrawn = try await client.next()
        #expect(withdrawn["method"] == "notifications/cancelled")
        #expect(withdrawn["params"]?["requestId"] == request["id"])
        #expect(try await client.next()["result"]?["structuredContent"]?["outcome"] == "no answer in 120 s")
        // The late answer changes nothing: the next line is the answer to the next request.
        client.send(["jsonrpc": "2.0", "id": request["id"]!, "result": ["action": "accept", "content": ["confirm": true]]])
        #expect(try await client.request(2, "tools/call", ["name": "echo", "arguments": ["text": "next"]])["result"]?["structuredContent"] == ["echo": "next"])
        await client.finish()
    }

    @Test("cancelling the asking call withdraws the question and sends nothing for the call")
    func cancelled() async throws {
        let client = PipeClient(asking: ManualClock())
        try await client.initializeAsking()
        let request = try await startAsking(client)
        client.send(["jsonrpc": "2.0", "method": "notifications/cancelled", "params": ["requestId": 1]])
        let withdrawn = try await client.next()
        #expect(withdrawn["method"] == "notifications/cancelled")
        #expect(withdrawn["params"]?["requestId"] == request["id"])
        // Nothing for id 1: the next line answers the next request.
        let next = try await client.request(2, "tools/call", ["name": "echo", "arguments": ["text": "after"]])
        #expect(next["id"] == 2)
        await client.finish()
    }

    @Test("no elicitation without the capability, or before protocol 2025-06-18", arguments: [
        (ProtocolVersion.v2025_11_25, false), (ProtocolVersion.v2025_03_26, true), (ProtocolVersion.v2024_11_05, true),
    ])
    func notOffered(version: String, declares: Bool) async throws {
        let client = PipeClient(asking: ManualClock())
        if declares { try await client.initializeAsking(version) } else { try await client.initialize(version) }
        let response = try await client.request(1, "tools/call", ["name": "ask", "arguments": [:]])
        #expect(response["result"]?["structuredContent"] == ["asked": false])
        await client.finish()
    }
}
