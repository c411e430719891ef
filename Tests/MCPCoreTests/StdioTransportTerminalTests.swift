#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Testing

@testable import MCPCore

/// `StdioTransport` on a terminal: a pseudo-terminal's slave side is one open file description used for
/// both input and output, exactly like a shell's stdin and stdout.
@Suite("StdioTransport on a terminal")
struct StdioTransportTerminalTests {
    /// A pty pair; the slave is what the server would see as stdin and stdout.
    struct PTY {
        let master: Int32
        let slave: Int32

        init() throws {
            let m = posix_openpt(O_RDWR | O_NOCTTY)
            #expect(m >= 0)
            #expect(grantpt(m) == 0 && unlockpt(m) == 0)
            let name = try #require(ptsname(m))
            let s = open(name, O_RDWR | O_NOCTTY)
            #expect(s >= 0)
            // Raw-ish output: no "\n" -> "\r\n" translation, so what the master reads is what was sent.
            var t = termios()
            tcgetattr(s, &t)
            t.c_oflag &= ~tcflag_t(OPOST)
            t.c_lflag &= ~tcflag_t(ECHO)
            tcsetattr(s, TCSANOW, &t)
            master = m
            slave = s
        }

        func close() { _ = closeFD(master); _ = closeFD(slave) }
    }

    @Test("the terminal's file status flags are unchanged: no O_NONBLOCK on the shared description")
    func flagsUnchanged() throws {
        let pty = try PTY()
        defer { pty.close() }
        let before = fcntl(pty.slave, F_GETFL)
        let transport = StdioTransport(input: pty.slave, output: pty.slave)
        transport.startWriting()
        #expect(fcntl(pty.slave, F_GETFL) == before)
        #expect(fcntl(pty.slave, F_GETFL) & O_NONBLOCK == 0)
        transport.close()
    }

    @Test("a line typed on the terminal is read and the answer reaches the terminal")
    func servesTypedLines() throws {
        let pty = try PTY()
        defer { pty.close() }
        let transport = StdioTransport(input: pty.slave, output: pty.slave)
        let lines = Locked<[String]>([])
        let got = Condition()
        transport.startWriting()
        transport.startReading(
            onLine: { line in
                lines.withLock { $0.append(String(decoding: line, as: UTF8.self)) }
                got.broadcast()
            },
            onOversizedLine: {}, onEOF: { got.broadcast() })
        let typed = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}\n"
        _ = typed.withCString { systemWrite(pty.master, $0, strlen($0)) }
        got.wait(until: { lines.withLock { !$0.isEmpty } })
        #expect(lines.withLock { $0 } == ["{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}"])

        transport.send(Array("{\"ok\":true}".utf8))
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 256)
        while !received.contains(0x0A) {
            let n = read(pty.master, &buffer, buffer.count)
            try #require(n > 0)
            received += buffer[0..<n]
        }
        #expect(String(decoding: received, as: UTF8.self) == "{\"ok\":true}\n")
        transport.close()
    }

    @Test("a reader whose input another process made non-blocking waits for input instead of ending")
    func nonBlockingInputIsNotEOF() throws {
        var fds: [Int32] = [0, 0]
        try #require(pipe(&fds) == 0)
        defer { _ = closeFD(fds[0]) }
        _ = fcntl(fds[0], F_SETFL, fcntl(fds[0], F_GETFL) | O_NONBLOCK)
        let transport = StdioTransport(input: fds[0], output: fds[1])
        let events = Locked<[String]>([])
        let changed = Condition()
        // "first" is read, then the pipe is empty (EAGAIN) until "second" arrives: before the fix the
        // reader took EAGAIN for the end of input and reported EOF between the two lines. Which comes
        // first, the reader's second read or our write, is up to the scheduler, so the old code failed
        // this only when the read won; `flagsUnchanged` is the deterministic guard of the terminal case
        // (checked: it fails on the old transport), this one covers EAGAIN set by someone else.
        _ = "first\n".withCString { systemWrite(fds[1], $0, strlen($0)) }
        transport.startReading(
            onLine: { line in
                events.withLock { $0.append(String(decoding: line, as: UTF8.self)) }
                changed.broadcast()
            },
            onOversizedLine: {},
            onEOF: {
                events.withLock { $0.append("EOF") }
                changed.broadcast()
            })
        changed.wait(until: { events.withLock { !$0.isEmpty } })
        _ = "second\n".withCString { systemWrite(fds[1], $0, strlen($0)) }
        _ = closeFD(fds[1])
        changed.wait(until: { events.withLock { $0.last == "EOF" } })
        #expect(events.withLock { $0 } == ["first", "second", "EOF"])
    }
}

#if os(Linux)
// Glibc's module map hides the XSI pseudo-terminal functions (they need _XOPEN_SOURCE); same C ABI.
@_silgen_name("posix_openpt") private func posix_openpt(_ flags: Int32) -> Int32
@_silgen_name("grantpt") private func grantpt(_ fd: Int32) -> Int32
@_silgen_name("unlockpt") private func unlockpt(_ fd: Int32) -> Int32
@_silgen_name("ptsname") private func ptsname(_ fd: Int32) -> UnsafeMutablePointer<CChar>?
#endif

/// `close(2)`; the name avoids the transport's own `close()`.
private func closeFD(_ fd: Int32) -> Int32 {
    #if canImport(Glibc)
    Glibc.close(fd)
    #else
    Darwin.close(fd)
    #endif
}
