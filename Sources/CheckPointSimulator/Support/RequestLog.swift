import Foundation

/// The last API requests as the simulator received them, for tests that must assert on the wire rather
/// than on counters: whether a bodyless write carried an explicit body and its `Content-Length`, which
/// `eventStates` a query sent. Served at `GET /_sim/requests` (oldest first; `?route=METHOD%20/path`
/// keeps one route), cleared by `DELETE /_sim/requests` and `POST /_sim/reset`.
///
/// Bounded: the newest `capacity` requests, each body cut at `maxBody` bytes (a 100-row search answer is
/// ~60 KB, but request bodies here are under 2 KB). Auth requests are logged without their body, so the
/// access key never shows up in a log a test might print.
final class RequestLog: @unchecked Sendable {
    static let capacity = 500
    static let maxBody = 8 * 1024
    static let route = "/_sim/requests"

    private let lock = NSLock()
    private var entries: [[String: Any]] = []

    /// Answers the log's own control routes, and forgets everything on `POST /_sim/reset` (which `Control`
    /// then answers). Nil for every other request.
    func control(_ req: HTTPRequest) -> HTTPResponse? {
        switch (req.method, req.path) {
        case ("GET", Self.route):
            let all = lock.withLock { entries }
            let kept = req.query["route"].map { route in all.filter { $0["route"] as? String == route } } ?? all
            return .json(200, ["requests": kept, "count": kept.count])
        case ("DELETE", Self.route):
            clear()
            return .json(200, ["requests": [Any](), "count": 0])
        case ("POST", "/_sim/reset"):
            clear()
            return nil
        default:
            return nil
        }
    }

    func clear() { lock.withLock { entries.removeAll() } }

    /// Records an API request (control routes under `/_sim` are not API traffic and are left out).
    func record(_ req: HTTPRequest) {
        guard req.path != "/_sim", !req.path.hasPrefix("/_sim/") else { return }
        let isAuth = req.path.hasPrefix("/auth/")
        let body = req.body.prefix(Self.maxBody)
        let entry: [String: Any] = [
            "route": req.routeKey,
            "target": req.target,
            "content_length": req.headers["content-length"] ?? NSNull(),
            "transfer_encoding": req.headers["transfer-encoding"] ?? NSNull(),
            "content_type": req.headers["content-type"] ?? NSNull(),
            "body_bytes": req.body.count,
            "body": isAuth ? "(not logged: credentials)" : String(decoding: body, as: UTF8.self),
        ]
        lock.withLock {
            entries.append(entry)
            if entries.count > Self.capacity { entries.removeFirst(entries.count - Self.capacity) }
        }
    }
}
