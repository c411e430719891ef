import Testing

@testable import MCPCore

/// Session shutdown at stdin EOF: every request still owed an answer gets exactly one.
@Suite("Session shutdown (Session.swift)")
struct SessionTests {
    /// A handler that ignores cancellation: it waits until the test opens the gate (as a call blocked in
    /// a shared authentication request did), and tells the test when it has started.
    final class Gate: Sendable {
        let started: AsyncStream<Void>
        private let startedContinuation: AsyncStream<Void>.Continuation
        private let waiter = Locked<CheckedContinuation<Void, Never>?>(nil)
        private let opened = Locked(false)

        init() { (started, startedContinuation) = AsyncStream<Void>.makeStream() }

        func enter() async {
            await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
                let open = opened.withLock { o -> Bool in
                    if !o { waiter.withLock { $0 = c } }
                    return o
                }
                startedContinuation.yield()
                if open { c.resume() }
            }
        }

        func open() {
            opened.withLock { $0 = true }
            waiter.withLock { w in w?.resume(); w = nil }
        }
    }

    static func stuckTool(_ gate: Gate) -> Tool {
        Tool(definition: TestTools.definition("stuck", input: ["type": "object"])) { _, _ in
            await gate.enter()
            return .success(text: "finished late", structured: [:])
        }
    }

    @Test("a call whose handler ignores cancellation still gets exactly one answer before run returns")
    func abandonedCallIsAnswered() async throws {
        let gate = Gate()
        var options = ServerOptions(
            info: ServerInfo(name: "t", version: "1"), tools: [Self.stuckTool(gate), TestTools.echo],
            stderrLogLevel: .emergency, shutdownGraceSeconds: 0.05)
        // Both graces (0.05 s, then 0.5 s for the cancelled handler) pass at their first look at this clock.
        options.clock = TickingClock(step: .seconds(1)).serverClock
        let client = PipeClient(options)
        try await client.initialize()
        client.send(["jsonrpc": "2.0", "id": 7, "method": "tools/call", "params": ["name": "stuck", "arguments": [:]]])
        var started = gate.started.makeAsyncIterator()
        _ = await started.next()
        await client.finish()
        let answer = try await client.next()
        #expect(answer["id"] == 7)
        #expect(answer["result"]?["isError"] == true)
        #expect(answer["result"]?["content"]?[0]?["text"]?.stringValue?.contains("shut down") == true, "\(answer)")
        #expect(await client.inbox.next() == nil, "nothing more after the one answer")
        gate.open()  // the late reply is dropped: the id was answered
    }

    @Test("at EOF, a cancelled call gets nothing, a running one its own answer, each exactly once")
    func mixedAtEOF() async throws {
        let gate = Gate()
        var options = ServerOptions(
            info: ServerInfo(name: "t", version: "1"), tools: [Self.stuckTool(gate), TestTools.slow],
            stderrLogLevel: .emergency, shutdownGraceSeconds: 0.05)
        options.clock = TickingClock(step: .seconds(1)).serverClock
        let client = PipeClient(options)
        try await client.initialize()
        client.send(["jsonrpc": "2.0", "id": 1, "method": "tools/call", "params": ["name": "stuck", "arguments": [:]]])
        var started = gate.started.makeAsyncIterator()
        _ = await started.next()
        client.send(["jsonrpc": "2.0", "method": "notifications/cancelled", "params": ["requestId": 1]])
        client.send(["jsonrpc": "2.0", "id": 2, "method": "tools/call", "params": ["name": "slow", "arguments": [:]]])
        client.send(["jsonrpc": "2.0", "id": 3, "method": "ping"])
        await client.finish()
        var ids: [JSONValue] = []
        while let message = await client.inbox.next() { ids.append(message["id"] ?? .null) }
        #expect(ids.sorted { $0.serializedString() < $1.serializedString() } == [2, 3], "\(ids)")
        gate.open()
    }
}
