import Testing

@testable import MCPCore

/// `maxConcurrentCalls`: calls beyond the limit wait in arrival order (a burst costs no task each),
/// cheap requests are never held back, and a call cancelled while it waits sends nothing.
@Suite("Bounded tool concurrency")
struct ConcurrencyLimitTests {
    func client(limit: Int, shutdownGrace: Double = 30, clock: ServerClock = .system) -> PipeClient {
        var options = ServerOptions(
            info: ServerInfo(name: "test-server", version: "9.9.9"), tools: TestTools.all,
            stderrLogLevel: .emergency, validatesOutput: true, shutdownGraceSeconds: shutdownGrace)
        options.maxConcurrentCalls = limit
        options.clock = clock
        return PipeClient(options)
    }

    func call(_ id: String, _ name: String, _ arguments: JSONValue = [:]) -> JSONValue {
        ["jsonrpc": "2.0", "id": .string(id), "method": "tools/call", "params": ["name": .string(name), "arguments": arguments]]
    }

    func cancel(_ id: String) -> JSONValue {
        ["jsonrpc": "2.0", "method": "notifications/cancelled", "params": ["requestId": .string(id)]]
    }

    @Test("calls past the limit wait for a slot in order; ping is not held back; a waiting call can be cancelled")
    func parking() async throws {
        let client = client(limit: 2)
        try await client.initialize()
        // a and b hold both slots until the test opens their gates: the order below is decided by the test,
        // never by a timer.
        let run = UInt64.random(in: 0...UInt64.max)
        let gateA = "parking-a-\(run)", gateB = "parking-b-\(run)"
        client.send(call("a", "gated", ["gate": .string(gateA)]))
        client.send(call("b", "gated", ["gate": .string(gateB)]))
        client.send(call("c", "echo", ["text": "c"]))
        client.send(call("d", "echo", ["text": "d"]))
        client.send(call("e", "echo", ["text": "e"]))
        #expect(try await client.request(1, "ping")["result"] == [:], "ping answered while both slots are busy")
        client.send(cancel("d"))  // cancelled while waiting
        #expect(try await client.request(2, "ping")["result"] == [:], "the cancellation is read before the next line")

        // a's slot frees: the waiting calls run in arrival order, c then e (d was cancelled). Had c run before a
        // slot was free, or d despite its cancellation, it would show up in this sequence.
        await Gates.shared.open(gateA)
        var order: [JSONValue] = []
        for _ in 0..<3 { order.append(try await client.next()) }
        #expect(order.map { $0["id"] } == ["a", "c", "e"])
        #expect(order[1]["result"]?["structuredContent"]?["echo"] == "c")
        await Gates.shared.open(gateB)
        #expect(try await client.next()["id"] == "b")
        var between: [JSONValue] = []
        #expect(try await client.request(3, "ping", notifications: &between)["result"] == [:])
        #expect(between.isEmpty, "nothing else was sent, d never ran: \(between)")
        await client.finish()
    }

    @Test("a burst of 500 calls with a limit of 4 is answered once each, ids matching")
    func burst() async throws {
        let client = client(limit: 4)
        try await client.initialize()
        for i in 0..<500 { client.send(call("b\(i)", "echo", ["text": .string("\(i)")])) }
        var seen: Set<String> = []
        for _ in 0..<500 {
            let m = try await client.next()
            let id = try #require(m["id"]?.stringValue)
            #expect(m["result"]?["structuredContent"]?["echo"]?.stringValue == String(id.dropFirst()))
            seen.insert(id)
        }
        #expect(seen.count == 500)
        await client.finish()
    }

    @Test("at stdin EOF, calls still waiting for a slot are answered, not dropped")
    func shutdown() async throws {
        // The grace passes at the first look at this clock: the running `slow` call is then cancelled.
        let client = client(limit: 1, shutdownGrace: 0.2, clock: TickingClock(step: .seconds(1)).serverClock)
        try await client.initialize()
        client.send(call("run", "slow"))
        client.send(call("wait", "echo", ["text": "w"]))
        await client.finish()
        var answers: [String: JSONValue] = [:]
        while let m = await client.inbox.next() { if let id = m["id"]?.stringValue { answers[id] = m } }  // to the end of the output
        #expect(answers["wait"]?["result"]?["isError"] == true, "\(answers)")
        #expect(answers["wait"]?["result"]?["content"]?[0]?["text"]?.stringValue?.contains("shut down") == true)
    }
}

@Suite("tools/list answer")
struct ToolsListSpliceTests {
    @Test("the spliced tools/list equals the tree serialization, in both eras, even with the placeholder as id")
    func splice() async throws {
        let client = PipeClient()
        try await client.initialize()
        let expected = JSONValue.array(TestTools.all.map { $0.definition.json })
        let legacy = try await client.request(1, "tools/list")
        #expect(legacy["result"]?["tools"] == expected)
        let tricky = try await client.request(.string(Session.toolsPlaceholder), "tools/list")
        #expect(tricky["id"] == .string(Session.toolsPlaceholder))
        #expect(tricky["result"]?["tools"] == expected)
        await client.finish()
    }
}
