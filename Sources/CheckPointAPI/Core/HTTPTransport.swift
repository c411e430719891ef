import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// One HTTP exchange as the transport sees it: absolute URL, headers (including auth), body, timeout.
struct TransportRequest: Sendable {
    var url: URL
    var method: String
    var headers: [String: String]
    var body: Data?
    var timeout: Duration
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
    case other(String)

    var mayHaveBeenSent: Bool {
        switch self {
        case .timedOut, .connectionLost, .other: true
        case .cannotConnect, .hostNotFound, .tls, .cancelled: false
        }
    }
}

/// Performs single HTTP exchanges. The real one is `URLSessionTransport`; a unit test of one function
/// may substitute its own.
protocol HTTPTransport: Sendable {
    func perform(_ request: TransportRequest) async throws(TransportFailure) -> APIResponse
}

/// Foundation URLSession, one shared session per client, created on the first upstream call so that a
/// process that never calls Check Point (startup, `initialize`, `tools/list`) never initialises the
/// networking stack. A final class with a lock rather than an actor: the session is created once and
/// then only read, and `perform` must not hop through an actor on every request.
final class URLSessionTransport: HTTPTransport, @unchecked Sendable {
    private let lock = NSLock()
    private var sessionStorage: URLSession?
    private let maxConnections: Int

    init(maxConnections: Int) { self.maxConnections = maxConnections }

    private var session: URLSession {
        lock.lock()
        defer { lock.unlock() }
        if let sessionStorage { return sessionStorage }
        let config = URLSessionConfiguration.ephemeral
        config.httpMaximumConnectionsPerHost = max(2, maxConnections + 1)
        config.requestCachePolicy = .reloadIgnoringLocalCacheData
        config.urlCache = nil
        config.httpCookieStorage = nil
        config.httpShouldSetCookies = false
        let made = URLSession(configuration: config, delegate: NoRedirects(), delegateQueue: nil)
        sessionStorage = made
        return made
    }

    func perform(_ request: TransportRequest) async throws(TransportFailure) -> APIResponse {
        var urlRequest = URLRequest(url: request.url)
        urlRequest.httpMethod = request.method
        urlRequest.httpBody = request.body
        for (name, value) in request.headers { urlRequest.setValue(value, forHTTPHeaderField: name) }
        // Our own timer below is authoritative; URLSession's is a backstop.
        urlRequest.timeoutInterval = request.timeout.seconds + 5
        let exchange = Exchange()
        let session = self.session
        let result: Result<APIResponse, TransportFailure> = await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let task = session.dataTask(with: urlRequest) { data, response, error in
                    exchange.finish(Self.result(data: data, response: response, error: error))
                }
                exchange.start(task, continuation)
                DispatchQueue.global().asyncAfter(deadline: .now() + request.timeout.seconds) {
                    exchange.finish(.failure(.timedOut))
                }
                task.resume()
            }
        } onCancel: {
            exchange.finish(.failure(.cancelled))
        }
        return try result.get()
    }

    private static func result(data: Data?, response: URLResponse?, error: Error?) -> Result<APIResponse, TransportFailure> {
        if let error {
            let code = (error as? URLError)?.code
            let text = (error as? URLError).map { "\($0.code.rawValue) \($0.localizedDescription)" } ?? "\(error)"
            switch code {
            case .timedOut?: return .failure(.timedOut)
            case .cancelled?: return .failure(.cancelled)
            case .cannotFindHost?, .dnsLookupFailed?: return .failure(.hostNotFound(text))
            case .cannotConnectToHost?, .notConnectedToInternet?: return .failure(.cannotConnect(text))
            case .networkConnectionLost?, .badServerResponse?, .cannotParseResponse?: return .failure(.connectionLost(text))
            case .secureConnectionFailed?, .serverCertificateUntrusted?, .serverCertificateHasBadDate?,
                .serverCertificateNotYetValid?, .serverCertificateHasUnknownRoot?, .clientCertificateRejected?:
                return .failure(.tls(text))
            default: return .failure(.other(text))
            }
        }
        guard let http = response as? HTTPURLResponse else { return .failure(.other("not an HTTP response")) }
        var headers: [String: String] = [:]
        for (key, value) in http.allHeaderFields {
            headers[String(describing: key).lowercased()] = String(describing: value)
        }
        return .success(APIResponse(status: http.statusCode, headers: headers, body: data ?? Data()))
    }
}

/// One in-flight URLSession task and the continuation waiting for it; whichever of completion, timeout
/// or cancellation comes first resumes it, exactly once, and cancels the task.
private final class Exchange: @unchecked Sendable {
    private let lock = NSLock()
    private var task: URLSessionDataTask?
    private var continuation: CheckedContinuation<Result<APIResponse, TransportFailure>, Never>?
    private var early: Result<APIResponse, TransportFailure>?
    private var done = false

    func start(_ task: URLSessionDataTask, _ continuation: CheckedContinuation<Result<APIResponse, TransportFailure>, Never>) {
        lock.lock()
        if done, let early {
            lock.unlock()
            task.cancel()
            continuation.resume(returning: early)
            return
        }
        self.task = task
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
        let task = self.task
        self.continuation = nil
        lock.unlock()
        if case .failure = result { task?.cancel() }
        continuation.resume(returning: result)
    }
}

/// Redirects are answered, not followed: a 3xx from the gateway means a wrong URL, and following it
/// could carry the bearer token to another host.
private final class NoRedirects: NSObject, URLSessionTaskDelegate, @unchecked Sendable {
    func urlSession(_ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
                    newRequest request: URLRequest, completionHandler: @escaping (URLRequest?) -> Void) {
        completionHandler(nil)
    }
}

extension Duration {
    /// Seconds as a Double (for Foundation APIs and messages).
    var seconds: Double {
        let (s, atto) = components
        return Double(s) + Double(atto) / 1e18
    }
}
