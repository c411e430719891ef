import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads requests from and writes responses to one accepted socket.
final class HTTPConnection {
    let fd: Int32
    private var buffer: [UInt8] = []
    private static let maxHead = 64 * 1024
    private static let maxBody = 16 * 1024 * 1024

    init(fd: Int32) { self.fd = fd }

    /// The next request, or nil on EOF, a socket error or an unparseable request (the connection then closes).
    func readRequest() -> HTTPRequest? {
        var headEnd: Int?
        while true {
            if let end = findHeadEnd() { headEnd = end; break }
            if buffer.count > Self.maxHead || !fill() { return nil }
        }
        guard let end = headEnd,
              let head = String(bytes: buffer[0..<end], encoding: .utf8) else { return nil }
        buffer.removeFirst(end + 4)
        var lines = head.components(separatedBy: "\r\n")
        let requestLine = lines.removeFirst().split(separator: " ")
        guard requestLine.count >= 2 else { return nil }
        var headers: [String: String] = [:]
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let name = line[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
            headers[name] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        let target = requestLine[1]
        let path: Substring
        var query: [String: String] = [:]
        if let q = target.firstIndex(of: "?") {
            path = target[..<q]
            query = HTTPRequest.parseQuery(target[target.index(after: q)...])
        } else {
            path = target
        }
        let version = requestLine.count > 2 ? String(requestLine[2]) : "HTTP/1.0"
        let connection = headers["connection"]?.lowercased() ?? ""
        let keepAlive = version == "HTTP/1.1" ? !connection.contains("close") : connection.contains("keep-alive")
        if headers["expect"]?.lowercased() == "100-continue" {
            _ = write(Array("HTTP/1.1 100 Continue\r\n\r\n".utf8))
        }
        let body: [UInt8]
        if headers["transfer-encoding"]?.lowercased().contains("chunked") == true {
            guard let b = readChunked() else { return nil }
            body = b
        } else {
            let length = Int(headers["content-length"] ?? "0") ?? 0
            guard length >= 0, length <= Self.maxBody else { return nil }
            while buffer.count < length { if !fill() { return nil } }
            body = Array(buffer[0..<length])
            buffer.removeFirst(length)
        }
        return HTTPRequest(method: String(requestLine[0]).uppercased(), path: String(path), query: query,
                           headers: headers, body: Data(body), keepAlive: keepAlive, target: String(target))
    }

    private func findHeadEnd() -> Int? {
        guard buffer.count >= 4 else { return nil }
        for i in 0...(buffer.count - 4)
        where buffer[i] == 13 && buffer[i + 1] == 10 && buffer[i + 2] == 13 && buffer[i + 3] == 10 {
            return i
        }
        return nil
    }

    private func readLine() -> String? {
        while true {
            if let i = buffer.firstIndex(of: 10) {
                let line = String(decoding: buffer[0..<i], as: UTF8.self)
                buffer.removeFirst(i + 1)
                return line.trimmingCharacters(in: .whitespacesAndNewlines)
            }
            if buffer.count > Self.maxHead || !fill() { return nil }
        }
    }

    private func readChunked() -> [UInt8]? {
        var body: [UInt8] = []
        while true {
            guard let sizeLine = readLine(),
                  let size = Int(sizeLine.split(separator: ";").first ?? "", radix: 16) else { return nil }
            if size == 0 {
                while let trailer = readLine(), !trailer.isEmpty {}
                return body
            }
            guard body.count + size <= Self.maxBody else { return nil }
            while buffer.count < size + 2 { if !fill() { return nil } }
            body.append(contentsOf: buffer[0..<size])
            buffer.removeFirst(size + 2)
        }
    }

    /// Reads more bytes into the buffer; false on EOF or error.
    private func fill() -> Bool {
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        if n <= 0 { return false }
        buffer.append(contentsOf: chunk[0..<n])
        return true
    }

    func write(_ bytes: [UInt8]) -> Bool {
        var sent = 0
        #if canImport(Glibc)
        let flags = Int32(MSG_NOSIGNAL)
        #else
        let flags: Int32 = 0
        #endif
        while sent < bytes.count {
            let n = bytes.withUnsafeBytes { send(fd, $0.baseAddress! + sent, bytes.count - sent, flags) }
            if n <= 0 { return false }
            sent += n
        }
        return true
    }

    /// Holds the connection open without answering until the peer closes it or `stopped` says so.
    func waitForPeerClose(stopped: () -> Bool) {
        var sink = [UInt8](repeating: 0, count: 4096)
        while !stopped() {
            var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let r = poll(&p, 1, 200)
            if r < 0 && errno != EINTR { return }
            if r > 0 {
                let n = sink.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
                if n <= 0 { return }
            }
        }
    }

    /// Closes with SO_LINGER 0 so the peer sees a TCP reset, not an orderly end.
    func resetHard() {
        var l = linger(l_onoff: 1, l_linger: 0)
        setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, socklen_t(MemoryLayout<linger>.size))
    }
}
