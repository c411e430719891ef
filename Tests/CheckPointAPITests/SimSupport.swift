import CheckPointSimulator
import Foundation
import Testing
@testable import CheckPointAPI

/// A simulator on loopback for one suite, and clients wired to it whose every log line, error text and
/// bearer token is recorded for the secret scan.
///
/// The simulator and the clients share one virtual clock, `time`: a backoff, a Retry-After, the limiter's
/// pacing or a `latency` fault moves it at once instead of being waited out, and a request the simulator holds
/// without an answer times out when its tag is held, after moving `time` by the request's timeout. Only
/// loopback HTTP itself runs on the real clock.
final class SimFixture: Sendable {
    let server: SimulatorServer
    let gateway: URL
    let time = ManualTime()

    init(_ options: SimulatorOptions = SimulatorOptions()) throws {
        var options = options
        let time = self.time
        options.clock = SimClock(following: { time.date }, sleep: { time.advance(by: .milliseconds(Int($0 * 1000))) })
        server = SimulatorServer(options: options)
        let port = try server.start()
        gateway = URL(string: "http://127.0.0.1:\(port)")!
    }

    deinit { server.stop() }

    /// A client with generous limits (tests measure behaviour, not the default 60/min pacing). A request the
    /// simulator holds times out at once on the fixture's clock, unless `heldRequestsTimeOut` is false: then it
    /// stays in flight until cancelled (or the real transport's `timeout` passes), for a test of cancellation.
    func client(perMinute: Int = 60_000, concurrency: Int = 5, timeout: Duration = .seconds(10), retries: Int = 3,
                deadline: Duration = .seconds(30), mobile: Bool = false, secret: String? = nil,
                trace: TokenTrace? = nil, time: (any TimeSource)? = nil, heldRequestsTimeOut: Bool = true) -> CheckPointClient {
        let hec = Credentials(clientID: SimulatorOptions.defaultClientID, secret: secret ?? SimulatorOptions.defaultClientSecret)
        let mobileKey = Credentials(clientID: SimulatorOptions.defaultMobileClientID, secret: SimulatorOptions.defaultMobileClientSecret)
        var config = Configuration(gatewayURL: gateway, hec: hec, mobile: mobileKey)
        config.rateLimitPerMinute = perMinute
        config.maxConcurrency = concurrency
        config.requestTimeout = timeout
        config.maxRetries = retries
        config.callDeadline = deadline
        let time = time ?? self.time
        let transport = RecordingTransport(makeTransport(maxConnections: concurrency), trace: trace,
                                           holds: heldRequestsTimeOut ? (server, time) : nil)
        return CheckPointClient(configuration: config, transport: transport, logger: { SecretScan.shared.record($0.description) }, time: time)
    }

    var stats: SimulatorStats { server.stats }

    /// Count for one "METHOD /path" in the simulator's stats.
    func count(_ route: String) -> Int { server.stats.requests[route] ?? 0 }
}

/// Records every bearer token sent (for the scan) and passes the request to the real transport. A request
/// the simulator holds without an answer fails as the transport's timeout would, on the client's clock.
///
/// With holds, the real transport's own timer is never shorter than `hangBound`: the request's timeout is the
/// client's decision on the virtual clock, and a real one of 300-400 ms (`silentGateway`, `deadline`) raced
/// the hold: on a loaded machine it could fire before the simulator had read the request, an error without
/// the virtual clock moved, or cut an answered request short and add a retry.
struct RecordingTransport: HTTPTransport {
    static let hangBound: Duration = .seconds(60)

    let inner: any HTTPTransport
    let trace: TokenTrace?
    let holds: (server: SimulatorServer, time: any TimeSource)?
    init(_ inner: any HTTPTransport, trace: TokenTrace? = nil, holds: (server: SimulatorServer, time: any TimeSource)? = nil) {
        self.inner = inner
        self.trace = trace
        self.holds = holds
    }

    func perform(_ request: TransportRequest) async throws(TransportFailure) -> APIResponse {
        guard let holds else { return try await record(request) }
        let tag = UUID().uuidString
        let tagged = {
            var r = request
            r.headers[SimulatorServer.holdTagHeader] = tag
            r.timeout = max(r.timeout, Self.hangBound)
            return r
        }()
        let time = holds.time
        do {
            return try await holds.server.unlessHeld(tag: tag, { try await record(tagged) }) {
                // The transport waits out its timeout: here the clock is moved by it instead.
                (time as? ManualTime)?.advance(by: request.timeout)
                throw TransportFailure.timedOut
            }
        } catch let failure as TransportFailure {
            throw failure
        } catch {
            throw .cancelled
        }
    }

    private func record(_ request: TransportRequest) async throws(TransportFailure) -> APIResponse {
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

