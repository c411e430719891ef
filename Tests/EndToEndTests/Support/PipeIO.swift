import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reads a pipe on a dedicated thread (blocking `read`, no polling) and hands over complete lines, then
/// `onEOF` once. Used for the children's stdout; stderr uses `TextSink`.
enum PipeReader {
    static func readLines(fd: Int32, name: String, onLine: @escaping @Sendable ([UInt8]) -> Void,
                          onEOF: @escaping @Sendable ([UInt8]) -> Void) {
        let thread = Thread {
            var pending: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: 1 << 16)
            while true {
                let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { break }
                var start = 0
                for i in 0..<n where buffer[i] == 0x0A {
                    pending.append(contentsOf: buffer[start..<i])
                    onLine(pending)
                    pending.removeAll(keepingCapacity: true)
                    start = i + 1
                }
                pending.append(contentsOf: buffer[start..<n])
            }
            close(fd)
            onEOF(pending)
        }
        thread.name = name
        thread.start()
    }

    static func readAll(fd: Int32, name: String, into sink: TextSink) {
        let thread = Thread {
            var buffer = [UInt8](repeating: 0, count: 1 << 14)
            while true {
                let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { break }
                sink.append(buffer[0..<n])
            }
            close(fd)
            sink.finish()
        }
        thread.name = name
        thread.start()
    }
}

/// Accumulates a child's stderr. A lock, not an actor: the reader thread appends synchronously.
final class TextSink: @unchecked Sendable {
    private let lock = NSLock()
    private var bytes: [UInt8] = []
    private var finished = false

    func append(_ chunk: ArraySlice<UInt8>) {
        lock.lock()
        bytes.append(contentsOf: chunk)
        lock.unlock()
    }

    func finish() {
        lock.lock()
        finished = true
        lock.unlock()
    }

    var text: String {
        lock.lock()
        defer { lock.unlock() }
        return String(decoding: bytes, as: UTF8.self)
    }

    var isFinished: Bool {
        lock.lock()
        defer { lock.unlock() }
        return finished
    }

    /// Waits (bounded) until the text contains `needle`; returns whether it did.
    func waitFor(_ needle: String, timeout: Duration) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if text.contains(needle) { return true }
            if isFinished { return text.contains(needle) }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return text.contains(needle)
    }
}

/// Writes to a child's stdin without ever blocking forever: the fd is non-blocking and each write
/// waits for room with `poll`, up to a deadline (a server that stops reading fails the test).
final class PipeWriter: @unchecked Sendable {
    private let lock = NSLock()
    private var fd: Int32?

    init(fd: Int32) {
        self.fd = fd
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
    }

    /// Writes all of `bytes` (one message: the lock keeps concurrent senders from interleaving).
    func write(_ bytes: [UInt8], timeout: Duration = .seconds(20)) throws {
        lock.lock()
        defer { lock.unlock() }
        guard let fd else { throw HarnessError("stdin of the child is already closed") }
        let deadline = ContinuousClock.now + timeout
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { sysWrite(fd, $0.baseAddress, $0.count) }
            if n > 0 {
                offset += n
                continue
            }
            if n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR {
                throw HarnessError("write to the child's stdin failed: \(String(cString: strerror(errno)))")
            }
            let left = deadline - ContinuousClock.now
            guard left > .zero else {
                throw HarnessError("the child did not read its stdin for \(timeout) (wrote \(offset) of \(bytes.count) bytes)")
            }
            var pfd = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
            _ = poll(&pfd, 1, Int32(min(left.components.seconds * 1000 + 1, 100)))
        }
    }

    func close() {
        lock.lock()
        defer { lock.unlock() }
        if let fd { _ = sysClose(fd) }
        fd = nil
    }
}

@inline(__always) private func sysWrite(_ fd: Int32, _ p: UnsafeRawPointer?, _ n: Int) -> Int {
    #if canImport(Glibc)
        return Glibc.write(fd, p, n)
    #else
        return Darwin.write(fd, p, n)
    #endif
}

@inline(__always) private func sysClose(_ fd: Int32) -> Int32 {
    #if canImport(Glibc)
        return Glibc.close(fd)
    #else
        return Darwin.close(fd)
    #endif
}
