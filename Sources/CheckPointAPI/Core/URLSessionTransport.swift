import Foundation
#if !os(Linux) || CHECKPOINT_URLSESSION
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

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
                    exchange.finish(Self.result(data: data, response: response, error: error, limit: request.maxResponseBytes))
                }
                exchange.start(abort: { [task] in task.cancel() }, continuation)
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

    /// URLSession collects the whole body before answering, so here the cap is checked afterwards (the
    /// streaming cap is `CurlTransport`'s, the Linux default).
    private static func result(data: Data?, response: URLResponse?, error: Error?, limit: Int) -> Result<APIResponse, TransportFailure> {
        if let data, data.count > limit { return .failure(.responseTooLarge(limit)) }
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

/// Redirects are answered, not followed: a 3xx from the gateway means a wrong URL, and following it
/// could carry the bearer token to another host.
private final class NoRedirects: NSObject, URLSessionTaskDelegate, @unchecked Sendable {
    func urlSession(_ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
                    newRequest request: URLRequest, completionHandler: @escaping (URLRequest?) -> Void) {
        completionHandler(nil)
    }
}

#endif
