import Foundation
import MCPCore

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// The built `checkpoint-sim` on an ephemeral loopback port, with its control endpoints.
///
/// Its stdin is a pipe from this process: `checkpoint-sim` exits when that pipe closes, so a simulator
/// never outlives the test run, even when the runner crashes.
/// Share one per suite with `SimProcess.shared()`; give a test its own (`launch`) when it sets faults
/// or needs exact request counts.
final class SimProcess: @unchecked Sendable {
    /// The credentials the simulator accepts by default (made up; documented in docs/simulator.md).
    static let clientID = "sim-client-id"
    static let clientSecret = "sim-client-secret"
    static let mobileClientID = "sim-mobile-id"
    static let mobileClientSecret = "sim-mobile-secret"

    let baseURL: URL
    let port: Int
    let arguments: [String]
    private let stdinPipe: PipeWriter
    private let lines: MessageLog
    private let stderrSink: TextSink
    private let reaper: ChildReaper

    private init(baseURL: URL, port: Int, arguments: [String], stdinPipe: PipeWriter, lines: MessageLog,
                 stderrSink: TextSink, reaper: ChildReaper)
    {
        self.baseURL = baseURL
        self.port = port
        self.arguments = arguments
        self.stdinPipe = stdinPipe
        self.lines = lines
        self.stderrSink = stderrSink
        self.reaper = reaper
    }

    deinit { stop() }

    /// Starts `checkpoint-sim --port 0 arguments...` and waits (bounded) for its `listening on` line.
    static func launch(_ arguments: [String] = [], timeout: Duration = .seconds(30)) async throws -> SimProcess {
        let child = try SpawnedChild.spawn(
            Binaries.sim, ["--port", "0"] + arguments, environment: SpawnedChild.baseEnvironment([:]))
        let lines = MessageLog()
        let stderrSink = TextSink()
        let firstLine = FirstLine()
        PipeReader.readLines(
            fd: child.stdout, name: "sim-stdout-\(child.pid)",
            onLine: { bytes in
                firstLine.offer(String(decoding: bytes, as: UTF8.self))
                lines.append(bytes)
            }, onEOF: { lines.close(trailing: $0) })
        PipeReader.readAll(fd: child.stderr, name: "sim-stderr-\(child.pid)", into: stderrSink)
        let writer = PipeWriter(fd: child.stdin)
        let reaper = ChildReaper(pid: child.pid)

        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let line = firstLine.value {
                guard let range = line.range(of: "http://127.0.0.1:"),
                      let port = Int(line[range.upperBound...].prefix { $0.isNumber }),
                      let url = URL(string: "http://127.0.0.1:\(port)")
                else {
                    writer.close()
                    reaper.kill()
                    throw HarnessError("checkpoint-sim's first line is not `listening on http://127.0.0.1:PORT`: \(line)")
                }
                return SimProcess(baseURL: url, port: port, arguments: arguments, stdinPipe: writer, lines: lines,
                                  stderrSink: stderrSink, reaper: reaper)
            }
            if lines.isClosed { break }
            try await Task.sleep(for: .milliseconds(5))
        }
        writer.close()
        reaper.kill()
        throw HarnessError("checkpoint-sim did not print its port within \(timeout)").with(stderr: stderrSink.text)
    }

    /// One simulator per test process and `name`, started on first use. Tests on a shared simulator must
    /// not set faults or count requests exactly; launch their own for that.
    static func shared(_ name: String = "default", arguments: [String] = []) async throws -> SimProcess {
        try await SharedSims.instance.get(name, arguments: arguments)
    }

    /// The shared simulator `name`, put back to its seed (`/_sim/reset`: tenant state, faults, counters) with its
    /// request log emptied: for a `.serialized` suite whose tests each need a pristine simulator, one process
    /// (and one tenant generation, ~1 s of CPU in a debug build) per suite instead of one per test.
    static func fresh(_ name: String, arguments: [String] = []) async throws -> SimProcess {
        let sim = try await shared(name, arguments: arguments)
        try await sim.reset()
        _ = try await sim.control("DELETE", "/_sim/requests")
        return sim
    }

    /// A simulator that holds calls in flight: its email search and its device list accept requests and never
    /// answer (a `timeout` fault, set once), so a call stays in flight for as long as a test needs, however
    /// loaded the machine, and no clock decides anything. Only for tests that need a call held; one per `test`,
    /// so a test that waits for its own request to arrive cannot be woken by another test's.
    static func holding(_ test: String) async throws -> SimProcess {
        let sim = try await shared("holding-\(test)")
        try await HoldSetup.once.configure(sim)
        return sim
    }

    static let heldRoutes = ["POST /app/hec-api/v1.0/search/query", "GET /app/SBM/external_api/v1/device_status/"]

    /// What `checkpoint-mcp` needs to talk to this simulator (made-up credentials only).
    var serverEnvironment: [String: String] {
        [
            "CHECKPOINT_GATEWAY_URL": baseURL.absoluteString,
            "CHECKPOINT_CLIENT_ID": Self.clientID,
            "CHECKPOINT_CLIENT_SECRET": Self.clientSecret,
            "CHECKPOINT_MOBILE_CLIENT_ID": Self.mobileClientID,
            "CHECKPOINT_MOBILE_CLIENT_SECRET": Self.mobileClientSecret,
        ]
    }

    var stderrText: String { stderrSink.text }

    // MARK: Control endpoints (`/_sim/...`)

    /// `GET /_sim/stats`: `{"auth_calls": N, "requests": {"METHOD /path": n}}`.
    func stats() async throws -> JSONValue { try await control("GET", "/_sim/stats") }

    /// Requests counted so far for one route, e.g. `"POST /app/hec-api/v1.0/search/query"`.
    func requestCount(_ route: String) async throws -> Int {
        Int(try await stats()["requests"]?[route]?.intValue ?? 0)
    }

    /// Returns once the simulator has counted more than `before` requests on `route`; each check is a request
    /// to the simulator, so this waits on an event, not on a clock (bounded by `timeout` only as a liveness
    /// guard that fails the test).
    func waitForRequest(_ route: String, after before: Int, timeout: Duration = .seconds(30)) async throws {
        let deadline = ContinuousClock.now + timeout
        while try await requestCount(route) <= before {
            guard ContinuousClock.now < deadline else { throw HarnessError("the simulator never saw \(route)") }
        }
    }

    /// All upstream requests counted so far (auth included).
    func totalRequests() async throws -> Int {
        let requests = try await stats()["requests"]?.objectValue ?? [:]
        return requests.reduce(0) { $0 + Int($1.value.intValue ?? 0) }
    }

    /// `GET /_sim/requests`: the API requests the simulator received, oldest first, each with `route`,
    /// `target`, `content_length`, `transfer_encoding`, `content_type`, `body_bytes` and `body`; only those
    /// whose route starts with `routePrefix` when given.
    func requests(_ routePrefix: String = "") async throws -> [JSONValue] {
        let all = try await control("GET", "/_sim/requests")["requests"]?.arrayValue ?? []
        return all.filter { ($0["route"]?.stringValue ?? "").hasPrefix(routePrefix) }
    }

    /// `POST /_sim/faults`, e.g. `["kind": "latency", "latency_ms": 2000, "route": "POST /app/hec-api/v1.0/search/query"]`.
    @discardableResult
    func setFault(_ fault: JSONValue) async throws -> JSONValue { try await control("POST", "/_sim/faults", body: fault) }

    /// `DELETE /_sim/faults`.
    func clearFaults() async throws { _ = try await control("DELETE", "/_sim/faults") }

    /// `POST /_sim/reset`: tenant state and counters back to the seed.
    func reset() async throws { _ = try await control("POST", "/_sim/reset") }

    /// Any request to the simulator; returns the parsed JSON body (`null` when empty).
    func control(_ method: String, _ path: String, body: JSONValue? = nil, timeout: TimeInterval = 30) async throws
        -> JSONValue
    {
        var request = URLRequest(url: baseURL.appendingPathComponent(path), timeoutInterval: timeout)
        request.httpMethod = method
        if let body {
            request.httpBody = Data(body.wireText.utf8)
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        let (data, response) = try await URLSession.shared.data(for: request)
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        guard (200..<300).contains(status) else {
            throw HarnessError("\(method) \(path) answered HTTP \(status): \(String(decoding: data, as: UTF8.self))")
        }
        if data.isEmpty { return .null }
        do { return try JSONValue.parse(Array(data)) } catch {
            throw HarnessError("\(method) \(path) answered non-JSON: \(String(decoding: data, as: UTF8.self))")
        }
    }

    /// Stops the simulator (it exits when its stdin closes; killed if it has not after 5 s).
    func stop() {
        stdinPipe.close()
        Task.detached { [reaper] in
            if await reaper.wait(timeout: .seconds(5)) == nil { reaper.kill() }
        }
    }
}

/// Sets the holds on the shared holding simulator exactly once.
private actor HoldSetup {
    static let once = HoldSetup()
    private var configured: Set<ObjectIdentifier> = []

    func configure(_ sim: SimProcess) async throws {
        guard !configured.contains(ObjectIdentifier(sim)) else { return }
        for route in SimProcess.heldRoutes { try await sim.setFault(["kind": "timeout", "route": .string(route)]) }
        configured.insert(ObjectIdentifier(sim))
    }
}

/// The first stdout line of a starting simulator.
private final class FirstLine: @unchecked Sendable {
    private let lock = NSLock()
    private var line: String?
    func offer(_ s: String) { lock.withLock { if line == nil { line = s } } }
    var value: String? { lock.withLock { line } }
}

/// The process-wide shared simulators, started once each (concurrent first callers wait for one launch).
private actor SharedSims {
    static let instance = SharedSims()
    private var sims: [String: Task<SimProcess, any Error>] = [:]

    func get(_ name: String, arguments: [String]) async throws -> SimProcess {
        if let task = sims[name] { return try await task.value }
        let task = Task { try await SimProcess.launch(arguments) }
        sims[name] = task
        do { return try await task.value } catch {
            sims[name] = nil
            throw error
        }
    }
}
