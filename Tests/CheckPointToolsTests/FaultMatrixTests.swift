import Foundation
import MCPCore
import Testing

@testable import CheckPointAPI
@testable import CheckPointSimulator
@testable import CheckPointTools

/// Every fault the simulator offers, at tool level, in process: each case gets a simulator of its own (the
/// generated tenant is shared process-wide, so that costs a port, not a tenant) and a client configured from
/// the same environment variables the server reads (`Configuration.fromEnvironment`), with the real
/// transport over loopback HTTP. A transient fault gives the same answer as no fault (and the simulator's
/// counters show the retry); a persistent one gives an isError result with a typed `error.kind` and a text
/// naming the endpoint and the next step, within the call deadline. Nothing emitted carries a secret.
///
/// Cases are independent; each target's cases run one after another, the targets beside each other and beside
/// the rest of the run. Only a request the simulator holds times out, on the virtual clock; an answered one has
/// the default 30 s real timeout, a bound a loaded machine does not reach.
/// Before, they ran end to end, one server process per case, all serialized on shared simulators: the email
/// matrix alone was the run's critical path (110 s of a 112 s run on the shared 2-core machine). The built server's wiring of faults into results stays covered
/// end to end (`EmailReadFaultTests`, `FaultMatrixTests` for ambiguous writes, `CallDeadlineTests`).
/// - SeeAlso: FaultMatrix.swift (the table); docs/simulator.md "Tool-level outcome of each fault".
@Suite("Fault matrix: read tools (in process)")
struct FaultMatrixTests {
    static let newestFirst: SimulatorOptions = {
        // Newest first, so the target's walk is one window with a scroll continuation to break (an
        // oldest-first gateway is walked in newest-first sub-windows instead: ResultOrderTests).
        var o = SimulatorOptions()
        o.order = .newestFirst
        return o
    }()

    static let perPage: SimulatorOptions = {
        var o = newestFirst
        o.scrollStyle = .perPage
        return o
    }()

    @Test("a token that expires mid-scroll: re-authenticated once, same rows as without the fault")
    func expireMidScroll() async throws {
        let t = FaultMatrix.email
        var args = t.arguments
        args["limit"] = 300
        let tenant = try FaultTenant(Self.newestFirst, FaultMatrix.recoveryEnv)
        let clean = try await tenant.ok(t.spec, args)
        let before = tenant.server.stats
        // The token is invalidated the moment the first page's answer is in, before the continuation is sent:
        // an event, where the end-to-end test needed 300 ms pages to have time to do it.
        tenant.hook.afterFirst(t.route) { tenant.server.inject(SimulatorFault(kind: .expireToken)) }
        let r = try await tenant.call(t.spec, args)
        #expect(!r.isError, "\(r.text)")
        #expect(t.ids(r) == t.ids(clean) && t.ids(clean).count == 300)
        let after = tenant.server.stats
        #expect(after.authCalls - before.authCalls == 1, "one re-authentication")
        #expect(tenant.hook.fired, "the token was expired mid-walk")
    }

    @Test("every fault kind the simulator offers is in the matrix, for both tools")
    func coverage() throws {
        let line = try #require(SimulatorFault.optionHelp.split(separator: "\n").first { $0.trimmingCharacters(in: .whitespaces).hasPrefix("kinds:") },
                                "checkpoint-sim --help has no `kinds:` line")
        let kinds = line.trimmingCharacters(in: .whitespaces).dropFirst("kinds:".count)
            .split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        #expect(Set(kinds) == Set(SimulatorFault.Kind.allCases.map(\.rawValue)), "the help lists every kind: \(kinds)")
        for target in [FaultMatrix.email, FaultMatrix.mobile] {
            let cases = FaultMatrix.all(target)
            for kind in kinds {
                #expect(cases.contains { $0.kind == kind }, "\(target.tool): no case for fault kind \(kind)")
            }
            // Each kind that can be transient must have a recovery case too.
            for kind in kinds {
                #expect(cases.contains { $0.kind == kind && $0.isRecovery } || kind == "envelope_error" && target.isMobile
                            || FaultMatrix.neverRetried.contains(kind),
                        "\(target.tool): no recovery case for \(kind)")
            }
        }
    }
}

@Suite("Fault matrix: search_entities, transient faults (in process)", .serialized)
struct FaultMatrixEmailTests {
    @Test("every transient fault kind at tool level: search_entities", arguments: FaultMatrix.recovering(FaultMatrix.email))
    func email(_ c: FaultMatrix.Case) async throws {
        try await FaultRun.run(c, options: FaultMatrixTests.newestFirst)
    }
}

@Suite("Fault matrix: search_entities, persistent faults (in process)", .serialized)
struct FaultMatrixEmailPersistentTests {
    @Test("every persistent fault kind at tool level: search_entities", arguments: FaultMatrix.persistent(FaultMatrix.email))
    func email(_ c: FaultMatrix.Case) async throws {
        try await FaultRun.run(c, options: FaultMatrixTests.newestFirst)
    }
}

@Suite("Fault matrix: lost scroll continuations (in process)", .serialized)
struct FaultMatrixScrollTests {
    @Test("a lost answer to a scroll continuation: get_security_events (stable scroll id)", arguments: FaultMatrix.scrollCases(FaultMatrix.events))
    func eventsScroll(_ c: FaultMatrix.Case) async throws {
        try await FaultRun.run(c, options: FaultMatrixTests.newestFirst)
    }

    /// The same lost-continuation cases against a gateway that hands out a fresh scroll id per page (the
    /// other documented style): a re-sent continuation there is refused as stale rather than skipping a page,
    /// but the walk must not depend on that.
    @Test("a lost answer to a scroll continuation (per-page scroll ids)",
          arguments: FaultMatrix.scrollCases(FaultMatrix.email) + FaultMatrix.scrollCases(FaultMatrix.events))
    func perPageScroll(_ c: FaultMatrix.Case) async throws {
        try await FaultRun.run(c, options: FaultMatrixTests.perPage)
    }
}

@Suite("Fault matrix: search_mobile_devices (in process)", .serialized)
struct FaultMatrixMobileTests {
    @Test("every fault kind at tool level: search_mobile_devices", arguments: FaultMatrix.all(FaultMatrix.mobile))
    func mobile(_ c: FaultMatrix.Case) async throws {
        try await FaultRun.run(c, options: SimulatorOptions())
    }
}

/// A simulator of its own and a client configured from server environment variables, as the built server
/// would be; tool calls go through `ToolFrame`. Both run on one virtual clock (`time`): latency, backoff,
/// Retry-After, the gateway's quota windows and the timeout of a request the simulator holds move it at once,
/// so no case waits on the real clock.
final class FaultTenant: Sendable {
    let server: SimulatorServer
    let env: ToolEnvironment
    let hook: HookTransport
    let context = RecordingContext()
    let time = ManualTime()

    init(_ options: SimulatorOptions, _ variables: [String: String]) throws {
        var options = options
        options.clock = time.simulatorClock
        server = SimulatorServer(options: options)
        let port = try server.start()
        let base = [
            "CHECKPOINT_GATEWAY_URL": "http://127.0.0.1:\(port)",
            "CHECKPOINT_CLIENT_ID": SimulatorOptions.defaultClientID, "CHECKPOINT_CLIENT_SECRET": SimulatorOptions.defaultClientSecret,
            "CHECKPOINT_MOBILE_CLIENT_ID": SimulatorOptions.defaultMobileClientID,
            "CHECKPOINT_MOBILE_CLIENT_SECRET": SimulatorOptions.defaultMobileClientSecret,
            "CHECKPOINT_RATE_LIMIT_PER_MINUTE": "100000",
        ]
        let configuration = Configuration.fromEnvironment(base.merging(variables) { _, new in new })
        hook = HookTransport(makeTransport(maxConnections: configuration.maxConcurrency), server: server, time: time)
        let lines = LogLines()
        self.lines = lines
        var env = ToolEnvironment(
            client: CheckPointClient(configuration: configuration, transport: hook, logger: { lines.append($0.message) }, time: time),
            confirm: .required)
        env.audit = AuditLog(path: nil, writeToStderr: false)
        self.env = env
    }

    private let lines: LogLines

    deinit { server.stop() }

    func call(_ spec: ToolSpec, _ args: JSONObject) async throws -> ToolResult {
        try await ToolFrame.run(spec, args, env, context)
    }

    func ok(_ spec: ToolSpec, _ args: JSONObject, sourceLocation: SourceLocation = #_sourceLocation) async throws -> ToolResult {
        let r = try await call(spec, args)
        #expect(!r.isError, "\(spec.name): \(r.text)", sourceLocation: sourceLocation)
        return r
    }

    /// Everything the call path emitted: the client's log lines and those routed to the call's context.
    var emitted: String { (lines.all + context.logged.map { "\($0.2)" }).joined(separator: "\n") }
}

final class LogLines: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []
    func append(_ line: String) { lock.withLock { lines.append(line) } }
    var all: [String] { lock.withLock { lines } }
}

/// The real transport, with one hook: run an action once the first answer on a route is in (before the
/// caller sees it), to change the gateway between two requests of one walk without a clock. A request the
/// simulator holds without an answer fails as the transport's timeout would, after moving `time` by it.
final class HookTransport: HTTPTransport, @unchecked Sendable {
    private let inner: any HTTPTransport
    private let server: SimulatorServer
    private let time: ManualTime
    private let lock = NSLock()
    private var pending: (route: String, action: @Sendable () -> Void)?
    private var didFire = false

    init(_ inner: any HTTPTransport, server: SimulatorServer, time: ManualTime) {
        self.inner = inner
        self.server = server
        self.time = time
    }

    func afterFirst(_ route: String, _ action: @escaping @Sendable () -> Void) { lock.withLock { pending = (route, action) } }
    var fired: Bool { lock.withLock { didFire } }

    func perform(_ request: TransportRequest) async throws(TransportFailure) -> APIResponse {
        let tag = UUID().uuidString
        let tagged = { var r = request; r.headers[SimulatorServer.holdTagHeader] = tag; return r }()
        let (inner, time) = (self.inner, self.time)
        let response: APIResponse
        do {
            response = try await server.unlessHeld(tag: tag, { try await inner.perform(tagged) }) {
                time.advance(by: request.timeout)
                throw TransportFailure.timedOut
            }
        } catch let failure as TransportFailure {
            throw failure
        } catch {
            throw .cancelled
        }
        let path = URLComponents(url: request.url, resolvingAgainstBaseURL: false)?.path ?? request.url.path
        let action: (@Sendable () -> Void)? = lock.withLock {
            guard let p = pending, "\(request.method) \(path)".hasPrefix(p.route) else { return nil }
            pending = nil
            didFire = true
            return p.action
        }
        action?()
        return response
    }
}

/// Running one matrix case.
enum FaultRun {
    static func run(_ c: FaultMatrix.Case, options: SimulatorOptions) async throws {
        let t = c.target
        let env = (c.isRecovery ? FaultMatrix.recoveryEnv : [:]).merging(c.env) { _, new in new }
        let (clean, cleanRequests) = try await Baselines.shared.get(t, options)
        let tenant = try FaultTenant(options, env)
        _ = try await tenant.ok(try #require(Toolbox.allSpecs.first { $0.name == t.warmUp }), [:])
        let s1 = tenant.server.stats

        var body = c.fault
        if c.routed { body["route"] = .string(t.route) }
        let json = try JSONSerialization.jsonObject(with: Data(JSONValue.object(body).serialized())) as? [String: Any] ?? [:]
        tenant.server.inject(try SimulatorFault.parse(json: json))
        let r = try await tenant.call(t.spec, t.arguments)
        tenant.server.clearFaults()
        let s2 = tenant.server.stats
        let requests = (s2.requests[t.route] ?? 0) - (s1.requests[t.route] ?? 0)
        let auth = s2.authCalls - s1.authCalls

        switch c.outcome {
        case .recovers(let extra, let reauth):
            #expect(!r.isError, "\(r.text)")
            #expect(t.ids(r) == t.ids(clean), "the rows differ from the fault-free call")
            #expect(r.structured?["complete"] == clean.structured?["complete"])
            if let extra {
                #expect(requests == cleanRequests + extra, "requests on the route: \(requests), fault-free: \(cleanRequests)")
            } else {
                #expect(requests > cleanRequests)
            }
            #expect(auth == reauth, "auth calls")
        case .fails(let kind, let expected):
            #expect(r.isError, "should fail: \(r.text)")
            #expect(r.structured?["error"]?["kind"]?.stringValue == kind, "\(r.text)")
            #expect(r.text.contains(t.endpoint), "the text names what failed: \(r.text)")
            #expect(r.text.contains("Next step"), "the text says what to do: \(r.text)")
            if let expected { #expect(requests == expected, "requests on the route") }
            // The client still serves after the failure.
            _ = try await tenant.ok(try #require(Toolbox.allSpecs.first { $0.name == t.warmUp }), [:])
        case .partial(let reason, let expected):
            #expect(!r.isError, "\(r.text)")
            let rows = t.ids(r)
            #expect(!rows.isEmpty && rows.count < t.ids(clean).count && Array(t.ids(clean).prefix(rows.count)) == rows)
            #expect(r.structured?["complete"] == false)
            #expect(r.structured?["incomplete_reason"]?.stringValue == reason, "\(r.text)")
            #expect(r.structured?["next_cursor"]?.stringValue != nil, "a cursor to continue")
            #expect(r.text.contains(t.endpoint) && r.text.contains("Next step"), "the text says what failed and what to do: \(r.text)")
            if let expected { #expect(requests == expected, "requests on the route") }
        }
        let all = r.text + "\n" + "\(r.structured ?? .null)" + "\n" + tenant.emitted
        #expect(!all.contains(SimulatorOptions.defaultClientSecret) && !all.contains(SimulatorOptions.defaultMobileClientSecret))
        #expect(!all.localizedCaseInsensitiveContains("bearer "))
    }

    /// The fault-free answer of each target and the requests it took, once per simulator setup (the matrix
    /// never changes tenant state, and every simulator of a process serves the same generated tenant).
    actor Baselines {
        static let shared = Baselines()
        private var results: [String: Task<(ToolResult, Int), any Error>] = [:]

        func get(_ t: FaultMatrix.Target, _ options: SimulatorOptions) async throws -> (ToolResult, Int) {
            let key = "\(options.order) \(options.scrollStyle) \(t.tool)"
            if let known = results[key] { return try await known.value }
            let task = Task { () throws -> (ToolResult, Int) in
                let tenant = try FaultTenant(options, [:])
                let clean = try await tenant.ok(t.spec, t.arguments)
                let requests = tenant.server.stats.requests[t.route] ?? 0
                #expect(!t.ids(clean).isEmpty && requests > 0)
                return (clean, requests)
            }
            results[key] = task
            return try await task.value
        }
    }
}
