import Foundation
import MCPCore
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The harness itself, driven with `/bin/cat` (which echoes every line): recording, waiting, timeouts,
/// EOF and exit. If these fail, every end-to-end test's verdict is suspect.
@Suite("End-to-end harness")
struct HarnessSelfTests {
    @Test("records every stdout line, parsed or not, and sees a clean exit on stdin EOF")
    func recordsLinesAndExit() async throws {
        let cat = try MCPProcess.launch(executable: "/bin/cat")
        try cat.notify("notifications/hello", ["n": 1])
        try cat.send(raw: "not json")
        let echoed = try await cat.nextNotification(method: "notifications/hello", timeout: .seconds(30))
        #expect(echoed["params"]?["n"] == 1)
        cat.closeStdin()
        #expect(try await cat.waitForExit(timeout: .seconds(30)) == .exited(0))
        #expect(cat.stdoutLines.map(\.text) == [#"{"jsonrpc":"2.0","method":"notifications/hello","params":{"n":1}}"#, "not json"])
        #expect(cat.invalidStdoutLines.map(\.text) == ["not json"])
    }

    @Test("a wait that is never satisfied fails with a timeout instead of hanging")
    func waitsAreBounded() async throws {
        let cat = try MCPProcess.launch(executable: "/bin/cat")
        await #expect(throws: HarnessError.self) {
            try await cat.nextNotification(method: "notifications/never", timeout: .milliseconds(200))
        }
    }

    @Test("a wait ends with an error as soon as the child closes stdout")
    func waitEndsOnEOF() async throws {
        let cat = try MCPProcess.launch(executable: "/bin/cat")
        let clock = ContinuousClock()
        let start = clock.now
        cat.closeStdin()
        await #expect(throws: HarnessError.self) {
            try await cat.nextNotification(method: "notifications/never", timeout: .seconds(60))
        }
        // Not a timing assertion about the server: a 60 s wait ending early proves EOF ends waits.
        #expect(clock.now - start < .seconds(30))
    }

    @Test("the child gets PATH and HOME only, plus what the test passes")
    func emptyEnvironment() async throws {
        let env = try MCPProcess.launch(["-0"], environment: ["EXTRA": "1"], executable: "/usr/bin/env")
        _ = try await env.waitForExit()
        let names = Set(env.stdoutLines.map(\.text).joined().split(separator: "\0").map { String($0.prefix { $0 != "=" }) })
        #expect(names == ["PATH", "HOME", "EXTRA"])
    }

    @Test("the child inherits no file descriptors but stdin, stdout and stderr")
    func noInheritedDescriptors() async throws {
        var leaky: [Int32] = [0, 0]
        #expect(pipe(&leaky) == 0)  // no close-on-exec, as in-process tests make them
        defer { leaky.forEach { close($0) } }
        let ls = try MCPProcess.launch(["/proc/self/fd"], executable: "/bin/ls")
        _ = try await ls.waitForExit()
        // ls itself opens one descriptor (3) to read the directory.
        #expect(Set(ls.stdoutLines.map(\.text)) == ["0", "1", "2", "3"])
    }

    @Test("notifications are handed out once each, in order")
    func notificationsInOrder() async throws {
        let cat = try MCPProcess.launch(executable: "/bin/cat")
        for i in 1...3 { try cat.notify("notifications/progress", ["progress": .int(Int64(i))]) }
        for i in 1...3 {
            let n = try await cat.nextNotification(method: "notifications/progress", timeout: .seconds(30))
            #expect(n["params"]?["progress"]?.intValue == Int64(i))
        }
    }
}

/// SimProcess against the built `checkpoint-sim`: port discovery and the control endpoints.
@Suite("End-to-end harness: simulator")
struct SimHarnessSelfTests {
    @Test("launches on an ephemeral port and serves stats, faults and reset")
    func controlEndpoints() async throws {
        let sim = try await SimProcess.launch()
        #expect(sim.port > 0)
        let stats = try await sim.stats()
        #expect(stats["auth_calls"]?.intValue == 0)
        #expect(stats["requests"] == [:], "a fresh simulator has counted nothing")
        try await sim.setFault(["kind": "latency", "latency_ms": 10, "route": "POST /app/hec-api/v1.0/search/query"])
        try await sim.clearFaults()
        try await sim.reset()
        #expect(try await sim.stats()["auth_calls"]?.intValue == 0)
    }

    @Test("the shared simulator is one process per name")
    func shared() async throws {
        async let a = SimProcess.shared("self-test")
        async let b = SimProcess.shared("self-test")
        let (x, y) = try await (a, b)
        #expect(x === y)
    }
}

/// A guard on the test code itself: no test decides anything by waiting on the real clock.
/// - End to end, a call is held in flight by a fault that never answers (`timeout`, `SimProcess.holding(_:)`),
///   "nothing was sent" is decided by stdin EOF and the exit, deadlines are shown in process.
/// - In process, the client, the tools and the simulator share a virtual clock (`ManualTime`, a `SimClock`
///   following it): a backoff, a Retry-After, a poll's pause or a `latency` fault moves it at once, and a held
///   request times out when the simulator says it holds it. So a latency there is no wait; end to end it is.
/// - MCP core tests hold a call with a tool that runs until cancelled or a gate, and the transport's drain bound
///   runs on an injected clock.
/// The harness's bounded polls and timeouts (the files in `harness`, this guard's own list included) are the
/// exception; test tools in `Support/` (e.g. MCPCoreTests' `slow`) are checked like tests.
@Suite("Tests do not wait on the clock")
struct ClockFreeTestsGuard {
    /// Spellings of a real sleep, in any test.
    static let sleeps = ["Task.sleep(", "usleep(", "Thread.sleep"]
    /// Spellings of a wait against the built binaries: a latency hold, a wait for silence.
    static let endToEndWaits = ["\"latency_ms\"", "--latency-ms", "latencyMs:", "messageArriving("]
    static let harness: Set<String> = ["HarnessSelfTests.swift", "MCPProcess.swift", "PipeIO.swift", "SimProcess.swift", "Spawn.swift", "PipeClient.swift"]

    @Test("no test sleeps; no end-to-end test holds a call with latency or waits for silence")
    func noWaits() throws {
        let fm = FileManager.default
        var found: [String] = []
        let dirs = ["Tests/EndToEndTests", "Tests/CheckPointToolsTests", "Tests/CheckPointAPITests", "Tests/CheckPointSimulatorTests", "Tests/MCPCoreTests"]
        for dir in dirs {
            let waits = Self.sleeps + (dir == "Tests/EndToEndTests" ? Self.endToEndWaits : [])
            let root = Binaries.repoRoot.appendingPathComponent(dir)
            let files = try #require(fm.enumerator(atPath: root.path)).compactMap { $0 as? String }
            #expect(files.count > 10, "read \(dir)")
            for file in files where file.hasSuffix(".swift") && !Self.harness.contains((file as NSString).lastPathComponent) {
                let text = try String(contentsOf: root.appendingPathComponent(file), encoding: .utf8)
                for wait in waits where text.contains(wait) { found.append("\(dir)/\(file): \(wait)") }
            }
        }
        #expect(found.isEmpty, "waits on the clock: \(found)")
    }
}
