import Foundation
import MCPCore
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Memory stays bounded whatever the client sends or fails to read, measured on the built binary as the
/// kernel reports it (`VmHWM`, the peak resident set, in /proc/PID/status): memory, never time.
@Suite("Protocol resource bounds (end to end)", .serialized)
struct ProtocolResourceBoundsTests {
    /// The child's peak resident set in MB, from /proc (Linux only).
    static func peakMB(_ pid: Int32) throws -> Double {
        let status = try String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)
        let line = try #require(status.split(separator: "\n").first { $0.hasPrefix("VmHWM:") })
        let kb = try #require(Double(line.split(separator: " ", omittingEmptySubsequences: true)[1]))
        return kb / 1024
    }

    /// Newlines in `count` bytes (memchr: a per-byte Swift loop in a debug build would be the bottleneck).
    static func newlines(_ base: UnsafeRawPointer, _ count: Int) -> Int {
        var found = 0
        var at = base
        let end = base + count
        while at < end, let hit = memchr(at, 0x0A, end - at) {
            found += 1
            at = UnsafeRawPointer(hit) + 1
        }
        return found
    }

    @Test("a 50 MB line of [0,0,…] is refused with a parse error naming the limit, at a small multiple of its size")
    func hugeArrayLine() async throws {
        #if os(Linux)
        let mcp = try MCPProcess.launch()
        try await mcp.initialize()
        // "[" + "0," × 25,000,000 with the last comma replaced by "]": 50,000,000 bytes.
        var line = Array(("[" + String(repeating: "0,", count: 25_000_000)).utf8)
        line[line.count - 1] = UInt8(ascii: "]")
        try mcp.send(rawBytes: line + [0x0A])
        let refusal = try await mcp.wait(for: "the parse error", timeout: .seconds(60)) { $0["error"]?["code"] == -32700 }
        let text = refusal["error"]?["message"]?.stringValue ?? ""
        #expect(text.contains("100000 JSON values"), "\(refusal.wireText)")
        let pong = try await mcp.request("ping")
        #expect(pong["result"] != nil, "the server still serves")
        let peak = try Self.peakMB(mcp.pid)
        // Without the value bound this line peaked at 880 MB; the line itself is 48 MB.
        #expect(peak < 150, "peak RSS \(peak) MB for a 48 MB line")
        mcp.closeStdin()
        #expect(try await mcp.waitForExit() == .exited(0))
        #endif
    }

    @Test("10,000 pipelined tools/list read by the client keep the peak RSS under 100 MB")
    func pipelinedToolsList() async throws {
        #if os(Linux)
        let child = try SpawnedChild.spawn(Binaries.mcp, [], environment: SpawnedChild.baseEnvironment([:]))
        let total = 10_000
        PipeReader.readAll(fd: child.stderr, name: "stderr", into: TextSink())
        let writer = PipeWriter(fd: child.stdin)
        var requests = #"{"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{}}}"# + "\n"
        for id in 1...total { requests += #"{"jsonrpc":"2.0","id":\#(id),"method":"tools/list"}"# + "\n" }
        let bytes = Array(requests.utf8)
        // The reader only counts newlines (holding 770 MB of answers would measure the test, not the
        // server), and reports once every answer is in, or at EOF.
        let answers: Int = await withCheckedContinuation { done in
            let reading = Thread {
                var buffer = [UInt8](repeating: 0, count: 1 << 16)
                var lines = 0
                var reported = false
                while true {
                    let n = buffer.withUnsafeMutableBytes { read(child.stdout, $0.baseAddress, $0.count) }
                    if n <= 0 { break }
                    lines += buffer.withUnsafeBytes { Self.newlines($0.baseAddress!, n) }
                    if lines >= total + 1, !reported { reported = true; done.resume(returning: lines) }
                }
                if !reported { done.resume(returning: lines) }
            }
            reading.start()
            let writing = Thread { try? writer.write(bytes, timeout: .seconds(300)) }
            writing.start()
        }
        #expect(answers == total + 1, "answers: \(answers)")
        let peak = try Self.peakMB(child.pid)
        writer.close()
        var status: Int32 = 0
        waitpid(child.pid, &status, 0)
        // Before the output bound this peaked at 952 MB (answers queued faster than the client read them).
        #expect(peak < 100, "peak RSS \(peak) MB")
        #endif
    }

    final class Reaped: @unchecked Sendable {
        let lock = NSLock()
        var done = false
    }

    /// The wiring of the drain bound in the binary, at 0.2 s instead of the default 5 s (twice: the reader's
    /// stall, then the shutdown drain), so the test does not wait 10 s; the bound's logic at its default is
    /// `StdioTransportTests.neverReadingClient`, on an injected clock.
    @Test("a client that closes stdin and never reads stdout: the server stops reading at the bound and exits on its own")
    func neverReadingClient() async throws {
        #if os(Linux)
        let child = try SpawnedChild.spawn(Binaries.mcp, [], environment: SpawnedChild.baseEnvironment(["CHECKPOINT_MCP_DRAIN_SECONDS": "0.2"]))
        PipeReader.readAll(fd: child.stderr, name: "stderr", into: TextSink())
        // 2,000 requests (~100 KB, asking for ~150 MB of answers) must fit in the stdin pipe at once,
        // so the test never waits on a server that has (rightly) stopped reading.
        _ = fcntl(child.stdin, 1031, 1 << 20)  // F_SETPIPE_SZ
        var requests = #"{"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{}}}"# + "\n"
        for id in 1...2000 { requests += #"{"jsonrpc":"2.0","id":\#(id),"method":"tools/list"}"# + "\n" }
        let bytes = Array(requests.utf8)
        #expect(bytes.withUnsafeBytes { write(child.stdin, $0.baseAddress, $0.count) } == bytes.count)
        close(child.stdin)  // stdout stays open and is never read
        // Liveness bound: a server that never exits (as before the drain bound) is killed after 60 s,
        // which fails the test; `reaped` keeps the kill off a pid reused after reaping.
        let reaped = Reaped()
        DispatchQueue.global().asyncAfter(deadline: .now() + 60) {
            reaped.lock.withLock { if !reaped.done { kill(child.pid, SIGKILL) } }
        }
        let status: Int32 = await withCheckedContinuation { done in
            Thread {
                var status: Int32 = 0
                waitpid(child.pid, &status, 0)
                reaped.lock.withLock { reaped.done = true }
                done.resume(returning: status)
            }.start()
        }
        #expect(status == 0, "exited by itself with code 0 (wait status \(status))")
        // What reached stdout: the answers that fit in the pipe, not 2,000: reading stopped at the bound.
        // (The peak RSS is asserted by the pipelined test above; wait4's ru_maxrss would count the test
        // process's own memory, shared until exec.)
        _ = fcntl(child.stdout, F_SETFL, fcntl(child.stdout, F_GETFL) | O_NONBLOCK)
        var answers = 0
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(child.stdout, $0.baseAddress, $0.count) }
            if n <= 0 { break }
            answers += buffer.withUnsafeBytes { Self.newlines($0.baseAddress!, n) }
        }
        close(child.stdout)
        #expect(answers > 0 && answers < 200, "answers written: \(answers) of 2,001")
        #endif
    }
}
