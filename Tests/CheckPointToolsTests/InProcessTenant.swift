import CheckPointSimulator
import Foundation
import MCPCore
import Testing

@testable import CheckPointAPI
@testable import CheckPointTools

/// A tool handler against the simulator in this process (loopback HTTP, no subprocess): the fast way to
/// test what one tool does with real wire data. Calls go through `ToolFrame`, as in the server.
///
/// Every request the client sends is recorded (`sent`, `writes`), and a route can be answered by a stub
/// instead of the simulator (`gateway.stub`), so a test asserts the exact upstream requests and can make
/// one of them fail without waiting for anything. The client and the simulator share one clock, `time`, a
/// `ManualTime`: expiry (confirmation tokens, bearer tokens, caches, action tasks) follows the test's
/// `advance(by:)`, and a tool's own waits (a poll's pause, a backoff) move it at once; no test here sleeps.
final class InProcessTenant: Sendable {
    let server: SimulatorServer
    let env: ToolEnvironment
    let gateway: TestGateway
    let time: ManualTime

    /// `confirm` is the server's `--confirm` mode; `msp` uses the simulator's key that sees three scopes.
    /// Retries are off and the client-side rate limit is out of the way: a failure a test stubs is seen once,
    /// at once, and many small calls never wait for the 60/min budget.
    init(_ options: SimulatorOptions = SimulatorOptions(), confirm: ConfirmMode = .required, msp: Bool = false,
         configure: (inout Configuration) -> Void = { _ in }) throws {
        let time = ManualTime()
        self.time = time
        var options = options
        options.clock = time.simulatorClock
        server = SimulatorServer(options: options)
        let port = try server.start()
        var configuration = Configuration(
            gatewayURL: URL(string: "http://127.0.0.1:\(port)")!,
            hec: msp
                ? Credentials(clientID: SimulatorOptions.defaultMSPClientID, secret: SimulatorOptions.defaultMSPClientSecret)
                : Credentials(clientID: SimulatorOptions.defaultClientID, secret: SimulatorOptions.defaultClientSecret),
            mobile: Credentials(clientID: SimulatorOptions.defaultMobileClientID, secret: SimulatorOptions.defaultMobileClientSecret))
        configuration.maxRetries = 0
        configuration.rateLimitPerMinute = 60_000
        configure(&configuration)
        gateway = TestGateway(makeTransport(maxConnections: configuration.maxConcurrency))
        var env = ToolEnvironment(
            client: CheckPointClient(configuration: configuration, transport: gateway, logger: nil, time: time),
            confirm: confirm)
        env.audit = AuditLog(path: nil, writeToStderr: false)
        env.confirmations = ConfirmationStore(time: time)
        self.env = env
    }

    deinit { server.stop() }

    /// Calls `spec` with `arguments` in the frame and returns its result.
    func call(_ spec: ToolSpec, _ arguments: JSONObject = [:], context: any ToolContext = RecordingContext()) async throws -> ToolResult {
        try await ToolFrame.run(spec, arguments, env, context)
    }

    /// Previews `spec`, then calls it again with the preview's token: (preview, execution).
    func confirm(_ spec: ToolSpec, _ arguments: JSONObject) async throws -> (preview: ToolResult, executed: ToolResult) {
        let preview = try await call(spec, arguments)
        let token = try #require(preview.structured?["confirmation_token"]?.stringValue, "a preview with a token: \(preview.text)")
        var confirmed = arguments
        confirmed["confirmation_token"] = .string(token)
        return (preview, try await call(spec, confirmed))
    }

    /// Requests the simulator counted for one "METHOD /path".
    func count(_ route: String) -> Int { server.stats.requests[route] ?? 0 }

    /// The audit entries recorded so far, oldest first.
    var audit: [AuditEntry] { env.audit.snapshot().entries }

    /// Requests that could change something (not GET, not auth, not a `POST .../query` read), in the order sent.
    var writes: [SentRequest] {
        gateway.sent.filter { $0.method != "GET" && !$0.path.hasSuffix("/auth/external") && !$0.path.hasSuffix("/query") }
    }
}

extension ManualTime {
    /// A simulator clock that reads this clock and moves it by what a `latency` fault waits: the one time
    /// the in-process tenants (`InProcessTenant`, `FaultTenant`) share with their simulator.
    var simulatorClock: SimClock {
        SimClock(following: { self.date }, sleep: { self.advance(by: .milliseconds(Int($0 * 1000))) })
    }
}

/// One request as the client sent it: method, path from the gateway root, query and JSON body.
struct SentRequest: Sendable, CustomStringConvertible {
    var method: String
    var path: String
    var query: [String: String]
    var body: JSONValue?
    var route: String { "\(method) \(path)" }
    var description: String { route + (query.isEmpty ? "" : " \(query)") + (body.map { " \($0)" } ?? "") }
}

/// The client's transport in these tests: records every request, answers stubbed routes itself and
/// passes the rest to the simulator. A stub is keyed by a prefix of "METHOD /path" and serves `count`
/// requests (then the simulator answers again).
final class TestGateway: HTTPTransport, @unchecked Sendable {
    enum Answer: Sendable {
        case status(Int, String)
        /// An answer with headers (names lowercased), e.g. a `date` far from the local clock.
        case response(Int, String, [String: String])
        /// The transport fails: `.connectionLost` after sending (a write's outcome is unknown), `.cannotConnect` before.
        case failure(TransportFailure)
    }

    private let inner: any HTTPTransport
    private let lock = NSLock()
    private var log: [SentRequest] = []
    private var stubs: [(prefix: String, answer: Answer, skip: Int, left: Int)] = []

    init(_ inner: any HTTPTransport) { self.inner = inner }

    var sent: [SentRequest] { lock.withLock { log } }

    /// Sent requests whose route starts with `prefix`.
    func sent(_ prefix: String) -> [SentRequest] { sent.filter { $0.route.hasPrefix(prefix) } }

    /// Answers `count` requests matching `prefix` with `answer`, after letting the first `skip` of them
    /// through to the simulator (e.g. `skip: 1` fails the second batch of a write).
    func stub(_ prefix: String, _ answer: Answer, skip: Int = 0, count: Int = 1) {
        lock.withLock { stubs.append((prefix, answer, skip, count)) }
    }

    /// Removes every stub: the simulator answers everything again.
    func clearStubs() { lock.withLock { stubs = [] } }

    func perform(_ request: TransportRequest) async throws(TransportFailure) -> APIResponse {
        // `URLComponents` keeps a trailing slash, which `URL.path` drops (Harmony Mobile paths end in one).
        let components = URLComponents(url: request.url, resolvingAgainstBaseURL: false)
        var query: [String: String] = [:]
        for item in components?.queryItems ?? [] { query[item.name] = item.value ?? "" }
        let body = request.body.flatMap { try? JSONValue.parse(Array($0)) }
        let sent = SentRequest(method: request.method, path: components?.path ?? request.url.path, query: query, body: body)
        let answer: Answer? = lock.withLock {
            log.append(sent)
            guard let i = stubs.firstIndex(where: { sent.route.hasPrefix($0.prefix) && $0.left > 0 }) else { return nil }
            if stubs[i].skip > 0 {
                stubs[i].skip -= 1
                return nil
            }
            stubs[i].left -= 1
            return stubs[i].answer
        }
        switch answer {
        case nil: return try await inner.perform(request)
        case .status(let status, let body)?: return APIResponse(status: status, headers: ["content-type": "application/json"], body: Data(body.utf8))
        case .response(let status, let body, let headers)?: return APIResponse(status: status, headers: headers, body: Data(body.utf8))
        case .failure(let failure)?: throw failure
        }
    }
}

extension ToolResult {
    var text: String { content.compactMap { $0["text"]?.stringValue }.joined(separator: "\n") }
    var structured: JSONValue? { structuredContent }
    /// The text without the untrusted-data notice line `ToolFrame` places before the first fenced value.
    var withoutNotice: String {
        text.split(separator: "\n", omittingEmptySubsequences: false)
            .filter { $0 != UntrustedText.notice && $0 != MobileText.untrustedNote }.joined(separator: "\n")
    }
}
