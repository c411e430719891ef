import Testing

@testable import MCPCore

@Suite("Concurrency, cancellation, progress, logging")
struct ConcurrencyTests {
    @Test("ping, tools/list and another call are answered while a slow call runs")
    func pingDuringSlowCall() async throws {
        let client = PipeClient()
        try await client.initialize()
        client.send(["jsonrpc": "2.0", "id": "slow", "method": "tools/call", "params": ["name": "slow", "arguments": [:]]])
        #expect(try await client.request(1, "ping")["result"] == [:])
        #expect(try await client.request(2, "tools/list")["result"] != nil)
        #expect(try await client.request(3, "tools/call", ["name": "echo", "arguments": ["text": "a"]])["result"]?["isError"] == false)
        client.send(["jsonrpc": "2.0", "method": "notifications/cancelled", "params": ["requestId": "slow"]])
        await client.finish()
    }

    @Test("a cancelled call sends nothing more for its id, in both eras", arguments: [false, true])
    func cancellation(modern: Bool) async throws {
        let client = PipeClient()
        if !modern { try await client.initialize() }
        var params: JSONObject = ["name": "slow", "arguments": [:]]
        if modern { params["_meta"] = envelope(progressToken: 42) }
        client.send(["jsonrpc": "2.0", "id": 10, "method": "tools/call", "params": .object(params)])
        client.send(["jsonrpc": "2.0", "method": "notifications/cancelled", "params": ["requestId": 10, "reason": "user"]])
        // Unknown and malformed cancellations are ignored.
        client.send(["jsonrpc": "2.0", "method": "notifications/cancelled", "params": ["requestId": 999]])
        client.send(["jsonrpc": "2.0", "method": "notifications/cancelled", "params": "junk"])
        var seen: [JSONValue] = []
        let meta: JSONValue? = modern ? ["_meta": envelope()] : nil
        _ = try await client.request(11, modern ? "tools/list" : "ping", meta, notifications: &seen)
        _ = try await client.request(12, modern ? "tools/list" : "ping", meta, notifications: &seen)
        await client.finish()
        while let late = await client.inbox.next() { seen.append(late) }  // to the end of the output (run has returned)
        #expect(!seen.contains { $0["id"] == 10 }, "\(seen)")
    }

    @Test("progress only with a token, strictly increasing, all before the response")
    func progress() async throws {
        let client = PipeClient()
        try await client.initialize()
        var notes: [JSONValue] = []
        let response = try await client.request(
            1, "tools/call", ["name": "progress", "arguments": ["steps": 5], "_meta": ["progressToken": "tok"]],
            notifications: &notes)
        #expect(response["result"]?["isError"] == false)
        let values = notes.filter { $0["method"] == "notifications/progress" }.map { $0["params"]?["progress"] }
        #expect(values == [1, 2, 3, 4, 5])
        #expect(notes.allSatisfy { $0["params"]?["progressToken"] == "tok" })
        #expect(notes.first?["params"]?["message"] == "step 1/5")
        #expect(notes.first?["params"]?["total"] == 5)

        var none: [JSONValue] = []
        _ = try await client.request(2, "tools/call", ["name": "progress", "arguments": ["steps": 3]], notifications: &none)
        #expect(none.isEmpty, "no token, no progress: \(none)")
        await client.finish()
    }

    @Test("legacy logging: nothing before setLevel, then only at or above the level")
    func legacyLogging() async throws {
        let client = PipeClient()
        try await client.initialize()
        var before: [JSONValue] = []
        _ = try await client.request(1, "tools/call", ["name": "logging"], notifications: &before)
        #expect(before.isEmpty)
        #expect(try await client.request(2, "logging/setLevel", ["level": "error"])["result"] == [:])
        var after: [JSONValue] = []
        _ = try await client.request(3, "tools/call", ["name": "logging"], notifications: &after)
        #expect(after.map { $0["params"]?["level"] } == ["error", "critical", "alert", "emergency"])
        #expect(after.first == ["jsonrpc": "2.0", "method": "notifications/message", "params": ["level": "error", "logger": "test", "data": "error"]])
        let bad = try await client.request(4, "logging/setLevel", ["level": "verbose"])
        #expect(bad["error"]?["code"] == -32602)
        await client.finish()
    }

    @Test("2026 logging is request-scoped: only requests that ask get messages")
    func modernLogging() async throws {
        let client = PipeClient()
        var with: [JSONValue] = []
        _ = try await client.request(1, "tools/call", ["name": "logging", "_meta": envelope(logLevel: "warning")], notifications: &with)
        #expect(with.map { $0["params"]?["level"] } == ["warning", "error", "critical", "alert", "emergency"])
        var without: [JSONValue] = []
        _ = try await client.request(2, "tools/call", ["name": "logging", "_meta": envelope()], notifications: &without)
        #expect(without.isEmpty)
        await client.finish()
    }

    @Test("100 pipelined calls are all answered, each with its own id and result")
    func pipelined() async throws {
        let client = PipeClient()
        try await client.initialize()
        var burst: [UInt8] = []
        for i in 0..<100 {
            let message: JSONValue = ["jsonrpc": "2.0", "id": .int(Int64(i)), "method": "tools/call",
                                      "params": ["name": "echo", "arguments": ["text": .string("n\(i)")]]]
            burst += message.serialized() + [0x0A]
        }
        await client.sendLarge(burst)
        var answers: [Int64: JSONValue] = [:]
        for _ in 0..<100 {
            let m = try await client.next()
            answers[try #require(m["id"]?.intValue)] = m["result"]?["structuredContent"]?["echo"]
        }
        #expect(answers.count == 100)
        #expect((0..<100).allSatisfy { answers[Int64($0)] == .string("n\($0)") })
        await client.finish()
    }

    @Test("a reused in-flight id is refused without disturbing the running call")
    func duplicateID() async throws {
        let client = PipeClient()
        try await client.initialize()
        // The call stays in flight until the test opens its gate: no timer decides the order.
        let gate = JSONValue.string("duplicate-\(UInt64.random(in: 0...UInt64.max))")
        client.send(["jsonrpc": "2.0", "id": 5, "method": "tools/call", "params": ["name": "gated", "arguments": ["gate": gate]]])
        let dup = try await client.request(5, "tools/call", ["name": "echo", "arguments": ["text": "x"]])
        #expect(dup["error"]?["code"] == -32600)
        var others: [JSONValue] = []
        let opened = try await client.request(6, "tools/call", ["name": "open_gate", "arguments": ["gate": gate]], notifications: &others)
        #expect(opened["result"]?["structuredContent"] == ["opened": true])
        var done = others.first { $0["id"] == 5 }
        if done == nil { done = try await client.next() }
        #expect(done?["id"] == 5)
        #expect(done?["result"]?["structuredContent"] == ["done": true])
        await client.finish()
    }

    @Test("a burst far larger than the pipe buffer, sent before reading anything, cannot deadlock")
    func burstWithoutReading() async throws {
        let client = PipeClient()
        try await client.initialize()
        let big = String(repeating: "y", count: 95)
        var burst: [UInt8] = []
        for i in 0..<1500 {
            let message: JSONValue = ["jsonrpc": "2.0", "id": .int(Int64(i)), "method": "tools/call",
                                      "params": ["name": "echo", "arguments": ["text": .string(big)]]]
            burst += message.serialized() + [0x0A]
        }
        await client.sendLarge(burst)  // ~250 KB in, ~350 KB out: far beyond both pipe buffers
        var count = 0
        while count < 1500 { _ = try await client.next(); count += 1 }
        #expect(count == 1500)
        await client.finish()
    }
}
