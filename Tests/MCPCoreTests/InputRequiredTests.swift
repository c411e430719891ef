import Testing

@testable import MCPCore

/// 2026-07-28 multi round-trip: `input_required` with our question, the retry with `inputResponses`
/// and the `requestState` handle (single use, bound to tool and arguments, expiring on the clock).
@Suite("input_required and requestState")
struct InputRequiredTests {
    func call(_ client: PipeClient, _ id: Int64, what: String = "all", state: JSONValue? = nil, responses: JSONValue? = nil) async throws -> JSONValue {
        var params: JSONObject = ["name": "ask", "arguments": ["what": .string(what)], "_meta": askingEnvelope()]
        if let state { params["requestState"] = state }
        if let responses { params["inputResponses"] = responses }
        return try #require(try await client.request(.int(id), "tools/call", .object(params))["result"])
    }

    static let yes: JSONValue = ["confirm": ["action": "accept", "content": ["confirm": true]]]

    @Test("the first call ends with input_required carrying the question; the retry resumes with the kept payload and the answer")
    func roundTrip() async throws {
        let client = PipeClient(asking: ManualClock())
        let first = try await call(client, 1)
        #expect(first["resultType"] == "input_required")
        #expect(first["inputRequests"] == ["confirm": ["method": "elicitation/create", "params": AskingTools.question.params(withMode: true)]])
        let state = try #require(first["requestState"]?.stringValue)
        #expect(state.hasPrefix("rs_") && state.count == 51)
        #expect(first["content"] == nil && first["_meta"]?[MetaKey.serverInfo] != nil)
        let second = try await call(client, 2, state: .string(state), responses: Self.yes)
        #expect(second["resultType"] == "complete")
        #expect(second["structuredContent"] == ["resumed": "accepted {\"confirm\":true}", "payload": "plan for all"])
        await client.finish()
    }

    @Test("a state answers once; a replay is refused as used")
    func singleUse() async throws {
        let client = PipeClient(asking: ManualClock())
        let state = try #require(try await call(client, 1)["requestState"])
        _ = try await call(client, 2, state: state, responses: Self.yes)
        let replay = try await call(client, 3, state: state, responses: Self.yes)
        #expect(replay["structuredContent"] == ["refused": "request_state_reused"])
        await client.finish()
    }

    @Test("other arguments, a made-up state and an expired one are refused; none hands out the payload")
    func refusals() async throws {
        let clock = ManualClock()
        let client = PipeClient(asking: clock)
        let state = try #require(try await call(client, 1, what: "one")["requestState"])
        #expect(try await call(client, 2, what: "two", state: state, responses: Self.yes)["structuredContent"] == ["refused": "request_state_other_call"])
        #expect(try await call(client, 3, state: "rs_made_up", responses: Self.yes)["structuredContent"] == ["refused": "unknown_request_state"])
        let late = try #require(try await call(client, 4)["requestState"])
        clock.advance(by: .seconds(600))
        #expect(try await call(client, 5, state: late, responses: Self.yes)["structuredContent"] == ["refused": "request_state_expired"])
        let fresh = try #require(try await call(client, 6)["requestState"])
        clock.advance(by: .seconds(599))
        #expect(try await call(client, 7, state: fresh, responses: Self.yes)["structuredContent"]?["payload"] == "plan for all")
        await client.finish()
    }

    @Test("a retry without the answer is asked again under a fresh state, the old one spent")
    func reask() async throws {
        let client = PipeClient(asking: ManualClock())
        let state = try #require(try await call(client, 1)["requestState"])
        let again = try await call(client, 2, state: state, responses: [:])
        #expect(again["resultType"] == "input_required")
        let fresh = try #require(again["requestState"])
        #expect(fresh != state)
        #expect(try await call(client, 3, state: fresh, responses: ["confirm": ["action": "decline"]])["structuredContent"]?["resumed"] == "declined")
        #expect(client.server.inputStates.pendingCount == 0)
        await client.finish()
    }

    @Test("a request that does not declare elicitation is never asked")
    func notDeclared() async throws {
        let client = PipeClient(asking: ManualClock())
        let response = try await client.request(1, "tools/call", ["name": "ask", "arguments": [:], "_meta": envelope()])
        #expect(response["result"]?["structuredContent"] == ["asked": false])
        #expect(response["result"]?["resultType"] == "complete")
        await client.finish()
    }

    @Test("the store drops its oldest handle beyond 1,000 pending")
    func bounded() {
        let clock = ManualClock()
        let store = InputStateStore(clock: clock.serverClock, ttlSeconds: 600)
        let first = store.issue(tool: "t", arguments: [:], request: AskingTools.question, payload: 0)
        for i in 1...InputStateStore.maxPending {
            clock.advance(by: .milliseconds(1))
            _ = store.issue(tool: "t", arguments: [:], request: AskingTools.question, payload: i)
        }
        #expect(store.pendingCount == InputStateStore.maxPending)
        guard case .failure(.unknown) = store.redeem(first, tool: "t", arguments: [:]) else { Issue.record("oldest handle still usable"); return }
    }
}
