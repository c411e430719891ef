import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Testing
@testable import CheckPointSimulator

/// The HTTP/1.1 layer, spoken byte by byte over a plain loopback socket.
@Suite("HTTP/1.1 server")
struct HTTPServerTests {
    static let shared = SimFixture()

    /// Sends `request` on a fresh connection and reads until the server closes it.
    static func exchange(_ request: String) throws -> String {
        #if canImport(Glibc)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = shared.server.port.bigEndian
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let ok = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        try #require(ok == 0)
        // Every exchange ends with the server closing the connection: this only bounds a hang, far above a
        // loaded machine's pauses between two reads (a read cut short would lose the rest of the answer).
        var timeout = timeval(tv_sec: 30, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let bytes = Array(request.utf8)
        _ = bytes.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) }
        var out: [UInt8] = []
        var buf = [UInt8](repeating: 0, count: 65_536)
        while true {
            let n = buf.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n <= 0 { break }
            out += buf[0..<n]
        }
        return String(decoding: out, as: UTF8.self)
    }

    static let credentials = #"{"clientId":"sim-client-id","accessKey":"sim-client-secret"}"#

    @Test("Keep-alive: two pipelined requests on one connection get two answers in order")
    func keepAlive() throws {
        let body = Self.credentials
        let one = "POST /auth/external HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)"
        let two = "GET /_sim/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
        let reply = try Self.exchange(one + two)
        #expect(reply.components(separatedBy: "HTTP/1.1 200 OK").count == 3)
        #expect(reply.contains("Connection: keep-alive"))
        #expect(reply.contains("Connection: close"))
        #expect(reply.contains("\"token\""))
    }

    @Test("Chunked request bodies and Expect: 100-continue are understood")
    func chunked() throws {
        let body = Array(Self.credentials.utf8)
        let a = String(decoding: body[0..<20], as: UTF8.self), b = String(decoding: body[20...], as: UTF8.self)
        let chunks = "\(String(a.utf8.count, radix: 16))\r\n\(a)\r\n\(String(b.utf8.count, radix: 16))\r\n\(b)\r\n0\r\n\r\n"
        let reply = try Self.exchange("POST /auth/external HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
                                      + "Expect: 100-continue\r\nConnection: close\r\n\r\n" + chunks)
        #expect(reply.hasPrefix("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK"))
        #expect(reply.contains("\"success\":true"))
    }

    @Test("Unknown routes answer 404 JSON with a Content-Length; garbage closes the connection")
    func notFoundAndGarbage() throws {
        let reply = try Self.exchange("GET /nope HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        #expect(reply.hasPrefix("HTTP/1.1 404 Not Found"))
        #expect(reply.contains("Content-Length: "))
        #expect(reply.contains("Content-Type: application/json"))
        #expect(try Self.exchange("\r\n\r\n").isEmpty)
    }

    @Test("Many concurrent requests are served side by side, and max_concurrent shows it")
    func concurrency() async throws {
        // The latency fault's wait is a barrier on the simulator's clock: each request is held until 4 are
        // held at once, which only a server serving them side by side can reach (a serial one fails the
        // count below after the barrier's 30 s bound; nothing waits when it works).
        let barrier = Barrier(4)
        var options = SimulatorOptions(faults: [SimulatorFault(kind: .latency, route: "GET /app/hec-api/v1.0/scopes", latencyMs: 1)])
        options.clock = SimClock(following: { Date() }, sleep: { _ in barrier.arrive() })
        let sim = SimFixture(options)
        let token = try await sim.http.token()
        let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<12 { group.addTask { try await sim.http.call("GET", "/app/hec-api/v1.0/scopes", token: token).status } }
            return try await group.reduce(into: [Int]()) { $0.append($1) }
        }
        #expect(statuses == Array(repeating: 200, count: 12))
        let stats = try await sim.http.stats()
        #expect((stats["max_concurrent"] as? Int ?? 0) >= 4)
        #expect(barrier.filled)
        #expect((stats["requests"] as? [String: Int])?["GET /app/hec-api/v1.0/scopes"] == 12)
    }
}

/// Holds each arriving thread until `count` have arrived, then lets every one through (and all later ones at
/// once). Bounded: after 30 s a thread goes on anyway, so a server that never gets there fails a test
/// instead of hanging it.
final class Barrier: @unchecked Sendable {
    private let condition = NSCondition()
    private let count: Int
    private var arrived = 0

    init(_ count: Int) { self.count = count }

    var filled: Bool { condition.withLock { arrived >= count } }

    func arrive() {
        condition.lock()
        defer { condition.unlock() }
        arrived += 1
        if arrived >= count { condition.broadcast() }
        let bound = Date().addingTimeInterval(30)
        while arrived < count, condition.wait(until: bound) {}
    }
}
