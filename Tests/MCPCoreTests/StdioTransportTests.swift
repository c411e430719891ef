#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Testing

@testable import MCPCore

/// Output back-pressure and the bounded shutdown drain, against a client that never reads stdout.
@Suite("Stdio transport bounds (StdioTransport.swift)")
struct StdioTransportTests {
    /// One tool whose description makes each `tools/list` answer ~100 KB.
    static let bigCatalog = [Tool(definition: ToolDefinition(
        name: "big", title: "Big", description: String(repeating: "d", count: 100_000), inputSchema: ["type": "object"],
        outputSchema: ["type": "object"], annotations: ToolAnnotations(readOnly: true, destructive: false, idempotent: true, openWorld: false))
    ) { _, _ in .success(text: "x", structured: [:]) }]

    @Test("a client that never reads: input stops at the output bound, and run returns after stdin closes, each wait ending at the 5 s bound of the injected clock",
          .timeLimit(.minutes(1)))
    func neverReadingClient() async throws {
        var input: [Int32] = [0, 0], output: [Int32] = [0, 0]
        #expect(pipe(&input) == 0 && pipe(&output) == 0)
        // The output pipe stays open: the writer thread may still be polling it for up to 200 ms after
        // `run` returns, and a closed, reused descriptor number must never receive its bytes.
        defer { close(input[0]) }
        let bound = 256 << 10
        // The default 5 s drain bound, on a clock 2.5 s later at every look: each wait ends at its third look.
        let clock = TickingClock(step: .milliseconds(2500))
        let transport = StdioTransport(input: input[0], output: output[1], maxQueuedBytes: bound, clock: clock.serverClock)
        #expect(transport.drainSeconds == 5)
        let server = MCPServer(options: ServerOptions(
            info: ServerInfo(name: "t", version: "1"), tools: Self.bigCatalog, stderrLogLevel: .emergency))
        // 200 requests (~12 KB, they fit in the input pipe at once) asking for ~20 MB of answers.
        var lines = #"{"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{}}}"# + "\n"
        for id in 1...200 { lines += #"{"jsonrpc":"2.0","id":\#(id),"method":"tools/list"}"# + "\n" }
        let bytes = Array(lines.utf8)
        #expect(bytes.withUnsafeBytes { write(input[1], $0.baseAddress, $0.count) } == bytes.count)
        close(input[1])  // the client hangs up and never reads stdout

        // Without the drain bounds `run` never returns (the test's time limit then fails it).
        await server.run(on: transport)
        // The reader's stall (its first look, then two more to reach 5 s) and the shutdown drain (its start,
        // then two more): a bound that ended early, or was not measured on this clock, looks fewer times.
        #expect(clock.count >= 6, "looks at the clock: \(clock.count)")
        let peak = transport.peakQueuedBytes
        #expect(peak <= bound + 2 * 101_000, "output waiting at once: \(peak) bytes")
        // What reached the pipe: far fewer than 200 answers, because reading stopped.
        _ = fcntl(output[0], F_SETFL, fcntl(output[0], F_GETFL) | O_NONBLOCK)
        var answers = 0
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(output[0], $0.baseAddress, $0.count) }
            if n <= 0 { break }
            answers += chunk[0..<n].filter { $0 == 0x0A }.count
        }
        #expect(answers > 0 && answers < 200, "answers written: \(answers)")
    }

    @Test("a burst whose answers fit under the bound is fully answered before the client reads anything")
    func burstUnderTheBound() async throws {
        let client = PipeClient()
        var burst = ""
        for id in 1...500 { burst += #"{"jsonrpc":"2.0","id":\#(id),"method":"ping"}"# + "\n" }
        client.sendLine(String(burst.dropLast()))
        var seen = Set<Int64>()
        for _ in 1...500 { if let id = try await client.next()["id"]?.intValue { seen.insert(id) } }
        #expect(seen.count == 500)
        await client.finish()
    }
}
