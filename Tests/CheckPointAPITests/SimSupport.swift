import CheckPointSimulator
import Foundation
import Testing
@testable import CheckPointAPI

/// A simulator on loopback for one suite, and clients wired to it whose every log line, error text and
/// bearer token is recorded for the secret scan.
final class SimFixture: Sendable {
    let server: SimulatorServer
    let gateway: URL

    init(_ options: SimulatorOptions = SimulatorOptions()) throws {
        server = SimulatorServer(options: options)
        let port = try server.start()
        gateway = URL(string: "http://127.0.0.1:\(port)")!
    }

    deinit { server.stop() }

    /// A client with generous limits (tests measure behaviour, not the default 60/min pacing).
    func client(perMinute: Int = 60_000, concurrency: Int = 5, timeout: Duration = .seconds(10), retries: Int = 3,
                deadline: Duration = .seconds(30), mobile: Bool = false, secret: String? = nil,
                trace: TokenTrace? = nil, time: any TimeSource = SystemTime()) -> CheckPointClient {
        let hec = Credentials(clientID: SimulatorOptions.defaultClientID, secret: secret ?? SimulatorOptions.defaultClientSecret)
        let mobileKey = Credentials(clientID: SimulatorOptions.defaultMobileClientID, secret: SimulatorOptions.defaultMobileClientSecret)
        var config = Configuration(gatewayURL: gateway, hec: hec, mobile: mobileKey)
        config.rateLimitPerMinute = perMinute
        config.maxConcurrency = concurrency
        config.requestTimeout = timeout
        config.maxRetries = retries
        config.callDeadline = deadline
        return CheckPointClient(configuration: config, transport: RecordingTransport(makeTransport(maxConnections: concurrency), trace: trace),
                                logger: { SecretScan.shared.record($0.description) }, time: time)
    }

    var stats: SimulatorStats { server.stats }

    /// Count for one "METHOD /path" in the simulator's stats.
    func count(_ route: String) -> Int { server.stats.requests[route] ?? 0 }
}

/// Records every bearer token sent (for the scan) and passes the request to the real transport.
struct RecordingTransport: HTTPTransport {
    let inner: any HTTPTransport
    let trace: TokenTrace?
    init(_ inner: any HTTPTransport, trace: TokenTrace? = nil) {
        self.inner = inner
        self.trace = trace
    }

    func perform(_ request: TransportRequest) async throws(TransportFailure) -> APIResponse {
        if let auth = request.headers["Authorization"] {
            let token = String(auth.dropFirst("Bearer ".count))
            SecretScan.shared.sawToken(token)
            trace?.append(.sent(token))
        }
        let response = try await inner.perform(request)
        if request.url.path.hasSuffix("/auth/external"),
            let object = try? JSONSerialization.jsonObject(with: response.body) as? [String: Any],
            let token = (object["data"] as? [String: Any])?["token"] as? String {
            SecretScan.shared.sawToken(token)
            trace?.append(.issued(token))
        }
        return response
    }
}

/// The order in which one client received tokens and sent them, to check which token each request used.
/// A final class with a lock: appended to from the transport, read by the test after the calls.
final class TokenTrace: @unchecked Sendable {
    enum Event: Equatable {
        case issued(String)
        case sent(String)
    }

    private let lock = NSLock()
    private var log: [Event] = []

    func append(_ event: Event) { lock.withLock { log.append(event) } }
    var events: [Event] { lock.withLock { log } }
}

