import Foundation

/// One HTTP exchange as the transport sees it: absolute URL, headers (including auth), body, timeout.
struct TransportRequest: Sendable {
    var url: URL
    var method: String
    var headers: [String: String]
    var body: Data?
    var timeout: Duration
    /// A write: sent on a fresh connection that is closed afterwards, so no layer can re-send it (libcurl
    /// silently re-sends a request whose kept-alive connection died before any answer byte).
    var isWrite = false
    /// The transfer is aborted once the answer's body exceeds this (`.responseTooLarge`).
    var maxResponseBytes = Configuration.defaultMaxResponseBytes
}

/// Why an exchange produced no HTTP response. `mayHaveBeenSent` decides whether a write may be retried.
enum TransportFailure: Error, Sendable, Equatable {
    /// No answer within the timeout (the request may have been processed).
    case timedOut
    /// Reset or closed after sending (may have been processed).
    case connectionLost(String)
    /// Refused or unreachable before anything was sent.
    case cannotConnect(String)
    /// The host name did not resolve.
    case hostNotFound(String)
    /// TLS handshake or certificate failure (nothing sent).
    case tls(String)
    case cancelled
    /// The answer's body passed the cap (its limit in bytes); the transfer was aborted.
    case responseTooLarge(Int)
    case other(String)

    var mayHaveBeenSent: Bool {
        switch self {
        case .timedOut, .connectionLost, .other, .responseTooLarge: true
        case .cannotConnect, .hostNotFound, .tls, .cancelled: false
        }
    }
}

/// Performs single HTTP exchanges. On Linux the real one is `CurlTransport` (libcurl loaded on first use, so
/// a process that never calls Check Point never maps the networking stack); elsewhere, or when built with
/// `-Xswiftc -DCHECKPOINT_URLSESSION`, `URLSessionTransport`. A unit test of one function may substitute its own.
protocol HTTPTransport: Sendable {
    func perform(_ request: TransportRequest) async throws(TransportFailure) -> APIResponse
}

/// The platform's transport.
func makeTransport(maxConnections: Int) -> any HTTPTransport {
    #if os(Linux) && !CHECKPOINT_URLSESSION
    CurlTransport(maxConnections: maxConnections)
    #else
    URLSessionTransport(maxConnections: maxConnections)
    #endif
}

/// One in-flight exchange and the continuation waiting for it; whichever of completion, timeout or
/// cancellation comes first resumes it, exactly once, and stops the underlying transfer (`abort`).
/// A final class with a lock: it is touched from the transport's own threads, never from an actor.
final class Exchange: @unchecked Sendable {
    private let lock = NSLock()
    private var abort: (@Sendable () -> Void)?
    private var continuation: CheckedContinuation<Result<APIResponse, TransportFailure>, Never>?
    private var early: Result<APIResponse, TransportFailure>?
    private var done = false

    func start(abort: @escaping @Sendable () -> Void, _ continuation: CheckedContinuation<Result<APIResponse, TransportFailure>, Never>) {
        lock.lock()
        if done, let early {
            lock.unlock()
            abort()
            continuation.resume(returning: early)
            return
        }
        self.abort = abort
        self.continuation = continuation
        lock.unlock()
    }

    func finish(_ result: Result<APIResponse, TransportFailure>) {
        lock.lock()
        if done { lock.unlock(); return }
        done = true
        guard let continuation else {
            early = result  // cancelled before the task started
            lock.unlock()
            return
        }
        let abort = self.abort
        self.continuation = nil
        lock.unlock()
        if case .failure = result { abort?() }
        continuation.resume(returning: result)
    }
}

extension Duration {
    /// Seconds as a Double (for Foundation APIs and messages).
    public var seconds: Double {
        let (s, atto) = components
        return Double(s) + Double(atto) / 1e18
    }
}
