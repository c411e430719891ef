import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A small blocking HTTP/1.1 server on 127.0.0.1: one thread per connection, keep-alive,
/// Content-Length and chunked request bodies, `Expect: 100-continue`.
///
/// A final class with a lock rather than an actor: the socket calls block, and each connection
/// runs on its own thread; the lock guards only the set of open sockets and the stop flag.
final class HTTPServer: @unchecked Sendable {
    typealias Handler = @Sendable (HTTPRequest) -> Reply

    private let handler: Handler
    private let lock = NSLock()
    private var listenFD: Int32 = -1
    private var open: Set<Int32> = []
    private var stopped = false
    private(set) var port: UInt16 = 0

    init(handler: @escaping Handler) { self.handler = handler }

    /// Binds 127.0.0.1:`port` (0 = ephemeral) and starts accepting. Returns the bound port.
    func start(port requested: UInt16) throws -> UInt16 {
        #if canImport(Glibc)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { throw SimulatorError.socket("socket() failed: errno \(errno)") }
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = requested.bigEndian
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")  // loopback only, never INADDR_ANY
        let bound = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0, listen(fd, 256) == 0 else {
            let code = errno
            close(fd)
            throw SimulatorError.socket("cannot bind 127.0.0.1:\(requested): errno \(code)")
        }
        var actual = sockaddr_in()
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &actual) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) }
        }
        let boundPort = UInt16(bigEndian: actual.sin_port)
        lock.lock()
        listenFD = fd
        port = boundPort
        lock.unlock()
        let thread = Thread { [self] in acceptLoop(fd) }
        thread.name = "checkpoint-sim accept"
        thread.start()
        return boundPort
    }

    /// Stops accepting and shuts every open connection so blocked threads return.
    func stop() {
        lock.lock()
        stopped = true
        let fd = listenFD
        listenFD = -1
        // Under the lock: a connection's thread removes its fd from `open` (under the lock) before closing it,
        // so every fd shut here is still ours. Shut after unlocking, one could have been closed and its number
        // reused by another socket of this process (another simulator's, or a client's), which this would cut:
        // seen as "no answer after sending" in tests that run many simulators in one process.
        for c in open { shutdown(c, Int32(SHUT_RDWR)) }
        lock.unlock()
        // Only shut: the accept loop closes the listening fd when it returns, so its number cannot be reused
        // (say by another simulator's listener) while the loop might still call accept on it.
        if fd >= 0 { shutdown(fd, Int32(SHUT_RDWR)) }
    }

    var isStopped: Bool {
        lock.lock(); defer { lock.unlock() }
        return stopped
    }

    private func acceptLoop(_ fd: Int32) {
        defer { close(fd) }
        while true {
            let client = accept(fd, nil, nil)
            if client < 0 {
                if isStopped { return }
                if errno == EINTR || errno == ECONNABORTED || errno == EMFILE { continue }
                return
            }
            #if canImport(Darwin)
            var one: Int32 = 1
            setsockopt(client, SOL_SOCKET, SO_NOSIGPIPE, &one, socklen_t(MemoryLayout<Int32>.size))
            #endif
            var nodelay: Int32 = 1
            setsockopt(client, Int32(IPPROTO_TCP), TCP_NODELAY, &nodelay, socklen_t(MemoryLayout<Int32>.size))
            lock.lock()
            if stopped { lock.unlock(); close(client); return }
            open.insert(client)
            lock.unlock()
            let thread = Thread { [self] in
                serve(HTTPConnection(fd: client))
                lock.lock()
                open.remove(client)
                lock.unlock()
                close(client)
            }
            thread.stackSize = 1 << 20
            thread.start()
        }
    }

    private func serve(_ conn: HTTPConnection) {
        while !isStopped {
            guard let request = conn.readRequest() else { return }
            switch handler(request) {
            case .response(let response):
                let keep = request.keepAlive && !isStopped
                guard conn.write(response.serialized(keepAlive: keep)), keep else { return }
            case .hang:
                conn.waitForPeerClose { [self] in isStopped }
                return
            case .reset:
                _ = conn.write(Array("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 4096\r\n\r\n{\"responseEnvelope\": {\"requ".utf8))
                conn.resetHard()
                return
            case .closeSilently:
                return  // `serve`'s caller closes the socket: an orderly end with zero answer bytes
            case .hugeBody(let bytes):
                // Valid JSON's start, then whitespace, 1 MiB per write, until the client gives up.
                let head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: \(bytes)\r\n\r\n{\"responseData\": ["
                guard conn.write(Array(head.utf8)) else { return }
                let block = [UInt8](repeating: 0x20, count: 1 << 20)
                var sent = 18
                while sent < bytes, !isStopped {
                    let part = min(block.count, bytes - sent)
                    guard conn.write(Array(block[0..<part])) else { return }
                    sent += part
                }
                return
            case .endlessBody:
                let head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
                guard conn.write(Array(head.utf8)) else { return }
                let chunk = Array("10000\r\n".utf8) + [UInt8](repeating: 0x20, count: 0x10000) + Array("\r\n".utf8)
                while !isStopped { guard conn.write(chunk) else { return } }
                return
            }
        }
    }
}

/// Errors the simulator reports to its host.
public enum SimulatorError: Error, CustomStringConvertible, Sendable {
    case socket(String)
    case badOption(String)

    public var description: String {
        switch self {
        case .socket(let m): return m
        case .badOption(let m): return m
        }
    }
}
