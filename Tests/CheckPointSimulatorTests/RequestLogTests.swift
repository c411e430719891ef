import Foundation
import Testing
@testable import CheckPointSimulator

/// `GET /_sim/requests` (Sources/CheckPointSimulator/Support/RequestLog.swift): what arrived, as it arrived.
@Suite("Request log")
struct RequestLogTests {
    static func request(_ method: String, _ path: String, body: String = "", headers: [String: String] = [:]) -> HTTPRequest {
        HTTPRequest(method: method, path: path, query: [:], headers: headers, body: Data(body.utf8), keepAlive: true, target: path)
    }

    static func entries(_ log: RequestLog, route: String? = nil) throws -> [[String: Any]] {
        var get = request("GET", RequestLog.route)
        get.query = route.map { ["route": $0] } ?? [:]
        let answer = try #require(log.control(get))
        let object = try #require(try JSONSerialization.jsonObject(with: answer.body) as? [String: Any])
        return try #require(object["requests"] as? [[String: Any]])
    }

    @Test("a bodyless POST shows no Content-Length and 0 bytes; a POST with a body shows both; oldest first")
    func bodies() throws {
        let log = RequestLog()
        log.record(Self.request("POST", "/app/x/delete/1"))
        log.record(Self.request("POST", "/app/x/delete/2", body: #"{"requestData":{}}"#,
                                headers: ["content-length": "18", "content-type": "application/json"]))
        let all = try Self.entries(log)
        #expect(all.map { $0["route"] as? String } == ["POST /app/x/delete/1", "POST /app/x/delete/2"])
        #expect(all[0]["content_length"] is NSNull && all[0]["body_bytes"] as? Int == 0 && all[0]["body"] as? String == "")
        #expect(all[1]["content_length"] as? String == "18" && all[1]["body_bytes"] as? Int == 18)
        #expect(all[1]["body"] as? String == #"{"requestData":{}}"#)
        #expect(all[1]["content_type"] as? String == "application/json")
        #expect(try Self.entries(log, route: "POST /app/x/delete/2").count == 1)
    }

    @Test("credentials posted to /auth/external are not logged; control routes are not API traffic")
    func leftOut() throws {
        let log = RequestLog()
        log.record(Self.request("POST", "/auth/external", body: #"{"clientId":"a","accessKey":"made-up-secret"}"#))
        log.record(Self.request("GET", "/_sim/stats"))
        let all = try Self.entries(log)
        #expect(all.count == 1)
        #expect(!"\(all)".contains("made-up-secret"))
        #expect(all.first?["body_bytes"] as? Int == 45)
    }

    @Test("bounded to the newest requests, bodies cut; DELETE and reset clear it (reset is then answered by Control)")
    func boundsAndClearing() throws {
        let log = RequestLog()
        for n in 0..<(RequestLog.capacity + 5) { log.record(Self.request("GET", "/r/\(n)")) }
        let all = try Self.entries(log)
        #expect(all.count == RequestLog.capacity)
        #expect(all.first?["route"] as? String == "GET /r/5")
        log.record(Self.request("POST", "/big", body: String(repeating: "x", count: RequestLog.maxBody + 100)))
        let big = try #require(try Self.entries(log, route: "POST /big").first)
        #expect((big["body"] as? String)?.count == RequestLog.maxBody && big["body_bytes"] as? Int == RequestLog.maxBody + 100)

        #expect(log.control(Self.request("POST", "/_sim/reset")) == nil)
        #expect(try Self.entries(log).isEmpty)
        log.record(Self.request("GET", "/r"))
        #expect(log.control(Self.request("DELETE", RequestLog.route))?.status == 200)
        #expect(try Self.entries(log).isEmpty)
        #expect(log.control(Self.request("GET", "/_sim/stats")) == nil)
    }
}
