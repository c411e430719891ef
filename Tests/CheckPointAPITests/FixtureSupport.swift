import Foundation
@testable import CheckPointAPI

/// The recorded Check Point responses in `Tests/Fixtures` (see its README for sources and licences), found
/// relative to this file so no bundle resources are needed.
enum FixtureFile {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures")

    static func data(_ path: String) throws -> Data { try Data(contentsOf: root.appendingPathComponent(path)) }

    /// `hec/xsoar/checkpointhec-<name>.json`.
    static func xsoar(_ name: String) throws -> Data { try data("hec/xsoar/checkpointhec-\(name).json") }

    static func json(_ path: String) throws -> Any { try JSONSerialization.jsonObject(with: data(path)) }
}

/// A gateway that answers each "METHOD /path" (HEC paths without the `/app/hec-api/v1.0` root) with a
/// recorded body, and records what the client sent. Auth is answered with a made-up token.
final class FixtureTransport: HTTPTransport, @unchecked Sendable {
    struct Sent: Sendable {
        var method: String
        var path: String
        var body: Data?
        var headers: [String: String]
        var requestData: [String: Any] {
            body.flatMap { try? JSONSerialization.jsonObject(with: $0) as? [String: Any] }.flatMap { $0["requestData"] as? [String: Any] } ?? [:]
        }
    }

    private let lock = NSLock()
    private var routes: [String: [(Int, Data)]] = [:]
    private var log: [Sent] = []

    /// Answers `route` ("GET /scopes") with `body`; several answers for one route are served in turn, the
    /// last one repeating.
    func answer(_ route: String, _ body: Data, status: Int = 200) {
        lock.withLock { routes[route, default: []].append((status, body)) }
    }

    var sent: [Sent] { lock.withLock { log } }

    func perform(_ request: TransportRequest) async throws(TransportFailure) -> APIResponse {
        if request.url.path == "/auth/external" {
            return APIResponse(status: 200, headers: [:], body: Data(#"{"success": true, "data": {"token": "tok-fixture", "expiresIn": 1800}}"#.utf8))
        }
        let path = request.url.path.replacingOccurrences(of: "/app/hec-api/v1.0", with: "")
        let route = "\(request.method) \(path)"
        let answer: (Int, Data)? = lock.withLock {
            log.append(Sent(method: request.method, path: path, body: request.body, headers: request.headers))
            guard var queue = routes[route], let first = queue.first else { return nil }
            if queue.count > 1 { queue.removeFirst(); routes[route] = queue }
            return first
        }
        guard let answer else { return APIResponse(status: 404, headers: [:], body: Data(#"{"detail": "Not Found"}"#.utf8)) }
        return APIResponse(status: answer.0, headers: [:], body: answer.1)
    }

    func client() -> CheckPointClient {
        let config = Configuration(gatewayURL: URL(string: "http://127.0.0.1:1")!, hec: Credentials(clientID: "c", secret: "made-up"),
                                   mobile: Credentials(clientID: "m", secret: "made-up-too"))
        return CheckPointClient(configuration: config, transport: self, logger: { SecretScan.shared.record($0.description) })
    }
}
