import Foundation

/// A Check Point look-alike (Infinity Portal auth, Harmony Email & Collaboration, Harmony Mobile) over
/// HTTP/1.1 on 127.0.0.1, with a seeded tenant and fault injection. Used in-process by
/// `checkpoint-mcp --demo` and by tests, and out-of-process by the `checkpoint-sim` executable.
///
/// - SeeAlso: docs/simulator.md; `docs/checkpoint-api.md` (the behaviour it imitates).
public final class SimulatorServer: Sendable {
    public let options: SimulatorOptions
    private let state: SimState
    private let http: HTTPServer
    /// What arrived, as `GET /_sim/requests` shows it (`RequestLog`).
    private let requests = RequestLog()

    public init(options: SimulatorOptions = SimulatorOptions()) {
        self.options = options
        let state = SimState(options: options)
        self.state = state
        let router = Router(state: state)
        let log = requests
        self.http = HTTPServer { req in
            if let answer = log.control(req) { return .response(answer) }
            log.record(req)
            return router.handle(req)
        }
    }

    /// Binds 127.0.0.1 (`options.port`, 0 = ephemeral) and serves on background threads. Returns the port.
    @discardableResult
    public func start() throws -> UInt16 {
        try http.start(port: options.port)
    }

    /// Builds the seeded tenant now instead of on the first request that needs it (requests arriving
    /// meanwhile wait for it). Takes ~0.6 s in a release build.
    public func prewarm() {
        state.sync { s in
            _ = s.hec()
            s.mobile { _ in }
        }
    }

    /// Stops accepting and closes every open connection.
    public func stop() { http.stop() }

    var heldRequests: HeldRequests { state.held }

    /// The bound port (0 before `start()`).
    public var port: UInt16 { http.port }

    /// `http://127.0.0.1:PORT`: the gateway URL clients should use.
    public var baseURL: String { "http://127.0.0.1:\(port)" }

    /// Adds a fault, as `POST /_sim/faults` would.
    public func inject(_ fault: SimulatorFault) {
        state.sync { s in
            if fault.kind == .expireToken && fault.route == nil { s.expireAllTokens() } else { s.faults.append(fault) }
        }
    }

    /// Clears faults, as `DELETE /_sim/faults` would.
    public func clearFaults() { state.sync { $0.faults = [] } }

    /// As `POST /_sim/reset`: clears faults and counters and puts tenant state back to the seed;
    /// `regenerate` rebuilds the tenant relative to now (`?tenant=1`).
    public func reset(regenerate: Bool = false) {
        requests.clear()
        state.sync { s in
            s.faults = []
            s.stats = Stats()
            if regenerate { s.regenerate() } else { s.restoreSeedState() }
        }
    }

    /// The counters `GET /_sim/stats` returns.
    public var stats: SimulatorStats {
        state.sync { s in
            SimulatorStats(authCalls: s.stats.authCalls, requests: s.stats.requests, maxConcurrent: s.stats.maxConcurrent)
        }
    }
}

/// A snapshot of the request counters (the `GET /_sim/stats` body as a value).
public struct SimulatorStats: Sendable, Equatable {
    public let authCalls: Int
    /// "METHOD /path" (no query) → count.
    public let requests: [String: Int]
    public let maxConcurrent: Int
}
