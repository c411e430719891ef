import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
@testable import CheckPointSimulator

/// A tiny HTTP client for the tests: real URLSession over loopback, JSON in and out.
struct SimHTTP: Sendable {
    let base: String
    let session: URLSession

    init(_ server: SimulatorServer) {
        base = server.baseURL
        let config = URLSessionConfiguration.ephemeral
        config.timeoutIntervalForRequest = 120
        session = URLSession(configuration: config)
    }

    struct Reply: @unchecked Sendable {
        let status: Int
        let headers: [String: String]
        let body: Data
        var json: Any? { try? JSONSerialization.jsonObject(with: body) }
        var object: [String: Any] { (json as? [String: Any]) ?? [:] }
        var envelope: [String: Any] { (object["responseEnvelope"] as? [String: Any]) ?? [:] }
        var rows: [[String: Any]] { (object["responseData"] as? [[String: Any]]) ?? [] }
        var objects: [[String: Any]] { (object["objects"] as? [[String: Any]]) ?? [] }
        var meta: [String: Any] { (object["meta"] as? [String: Any]) ?? [:] }
    }

    func call(_ method: String, _ path: String, body: Any? = nil, token: String? = nil, reqID: Bool = true,
              timeout: TimeInterval = 120, headers: [String: String] = [:]) async throws -> Reply {
        var r = URLRequest(url: URL(string: base + path)!)
        r.httpMethod = method
        r.timeoutInterval = timeout
        for (name, value) in headers { r.setValue(value, forHTTPHeaderField: name) }
        if let token { r.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        if reqID && path.hasPrefix("/app/hec-api") { r.setValue(UUID().uuidString, forHTTPHeaderField: "x-av-req-id") }
        if let body {
            r.httpBody = try JSONSerialization.data(withJSONObject: body)
            r.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        let (data, response) = try await session.data(for: r)
        let http = response as! HTTPURLResponse
        var headers: [String: String] = [:]
        for (k, v) in http.allHeaderFields { headers[String(describing: k).lowercased()] = String(describing: v) }
        return Reply(status: http.statusCode, headers: headers, body: data)
    }

    func token(_ id: String = SimulatorOptions.defaultClientID,
               _ secret: String = SimulatorOptions.defaultClientSecret) async throws -> String {
        let r = try await call("POST", "/auth/external", body: ["clientId": id, "accessKey": secret])
        guard let data = r.object["data"] as? [String: Any], let token = data["token"] as? String else {
            throw SimTestError.noToken(r.status)
        }
        return token
    }

    func mobileToken() async throws -> String {
        try await token(SimulatorOptions.defaultMobileClientID, SimulatorOptions.defaultMobileClientSecret)
    }

    func search(_ token: String, _ requestData: [String: Any]) async throws -> Reply {
        try await call("POST", "/app/hec-api/v1.0/search/query", body: ["requestData": requestData], token: token)
    }

    func stats() async throws -> [String: Any] { try await call("GET", "/_sim/stats").object }
}

enum SimTestError: Error { case noToken(Int) }

/// Starts a simulator for a suite; stopped when the suite's value is deinitialised.
final class SimFixture: Sendable {
    let server: SimulatorServer
    let http: SimHTTP

    init(_ options: SimulatorOptions = SimulatorOptions()) {
        server = SimulatorServer(options: options)
        _ = try! server.start()
        http = SimHTTP(server)
    }

    deinit { server.stop() }
}

/// ISO date `days` ago, as clients send it.
func daysAgo(_ days: Double) -> String {
    ISO8601DateFormatter().string(from: Date().addingTimeInterval(-days * 86_400))
}
