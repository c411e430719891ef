#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Newline-delimited JSON-RPC over two file descriptors.
///
/// - A dedicated thread blocks in `read(2)` on the input (never a sleep-poll) and hands every complete
///   line to the server synchronously, in order. It never writes, so a client that sends a burst of
///   requests before reading anything cannot deadlock against us while their answers fit in
///   `maxQueuedBytes` (4 MiB); past that, back-pressure (below) applies.
/// - A second thread owns the output. Messages are queued whole and written with one `write(2)` loop
///   per wake-up (several queued messages are coalesced into one buffer), so they never interleave.
/// - Lines may be many megabytes; one larger than `maxLineBytes` is skipped and reported.
/// - Back-pressure: while more than `maxQueuedBytes` of output wait for the client, the reader reads no
///   further request (so a client that stops reading stdout feels it as a full stdin pipe, and memory stays
///   bounded: 20,000 unread `tools/list` answers would otherwise queue ~1.5 GB). A client that has also
///   closed stdin and reads nothing for `drainSeconds` is treated as gone: reading ends as at EOF.
/// - Shutdown writes what is queued for at most `drainSeconds`, then gives up, so the process exits after
///   stdin closes even if stdout is never read.
/// - SeeAlso: https://modelcontextprotocol.io/specification/2025-11-25/basic/transports#stdio
public final class StdioTransport: Sendable {
    /// Bigger lines are dropped (and answered with -32600) instead of growing memory without bound.
    public static let maxLineBytes = 64 << 20

    private let input: Int32
    private let output: Int32
    /// A terminal's output is left blocking (see `startWriting`), so only the writer thread writes to it.
    private let outputIsTerminal: Bool
    private let queue = Locked(OutputQueue())
    private let wake: Condition
    /// Output bytes (queued or being written by the writer thread) above which no more input is read.
    /// 4 MiB: ~50 `tools/list` answers (~77 KB each), far above any burst a well-behaved client causes.
    let maxQueuedBytes: Int
    /// How long shutdown waits for the client to take queued output, and how long a full queue may sit
    /// untouched after the client closed stdin before the reader gives up.
    let drainSeconds: Double
    /// The default bound: 5 s, far longer than any client that is still there takes to read a burst.
    public static let defaultDrainSeconds = 5.0
    /// Where both bounds are measured (injected by tests, which then decide when the bound has passed).
    private let clock: ServerClock

    private struct OutputQueue {
        var pending: [UInt8] = []
        var writing = false
        /// Bytes the writer thread took from `pending` and has not finished writing.
        var writingBytes = 0
        var closed = false  // the peer is gone (EPIPE) or we are shutting down
        var drainWaiters = 0
        /// The most output ever waiting at once (`pending` + `writingBytes`), for tests and benchmarks.
        var peakQueued = 0

        var queued: Int { pending.count + writingBytes }
    }

    /// A transport on the given descriptors (tests use pipe pairs, small output bounds and their own clock).
    public init(input: Int32, output: Int32, maxQueuedBytes: Int = 4 << 20, drainSeconds: Double = defaultDrainSeconds,
                clock: ServerClock = .system) {
        self.input = input
        self.output = output
        outputIsTerminal = isatty(output) == 1
        self.maxQueuedBytes = maxQueuedBytes
        self.drainSeconds = drainSeconds
        self.clock = clock
        wake = Condition()
    }

    /// The most output bytes that ever waited for the client at once.
    var peakQueuedBytes: Int { queue.withLock { $0.peakQueued } }

    /// The process's stdio, set up so that nothing but protocol messages can reach stdout: the
    /// protocol gets a private duplicate of fd 1, and fd 1 itself is pointed at stderr, so a stray
    /// `print` from any library lands in the log. SIGPIPE is ignored so a vanished client is an
    /// `EPIPE` we handle, not a silent death.
    /// `drainSeconds`: see `defaultDrainSeconds` (`CHECKPOINT_MCP_DRAIN_SECONDS` may shorten it).
    /// - SeeAlso: python-sdk `src/mcp/server/stdio.py` (same trick).
    public static func standardIO(drainSeconds: Double = defaultDrainSeconds) -> StdioTransport {
        signal(SIGPIPE, SIG_IGN)
        let protocolOut = dup(1)
        precondition(protocolOut >= 0, "dup(1) failed")
        _ = fcntl(protocolOut, F_SETFD, FD_CLOEXEC)
        dup2(2, 1)
        return StdioTransport(input: 0, output: protocolOut, drainSeconds: drainSeconds)
    }

    // MARK: - Reading

    /// Starts the reader thread. `onLine` is called on that thread for every non-empty line, without
    /// its newline; `onOversizedLine` for a line that was skipped; `onEOF` once, at the end of input.
    func startReading(
        onLine: @escaping @Sendable (UnsafeBufferPointer<UInt8>) -> Void,
        onOversizedLine: @escaping @Sendable () -> Void,
        onEOF: @escaping @Sendable () -> Void
    ) {
        let input = self.input
        startThread { [self] in
            Self.readLoop(fd: input, onLine: onLine, onOversizedLine: onOversizedLine, room: { waitForRoom() })
            onEOF()
        }
    }

    /// `room` is asked before every line is handed on; false ends reading as if at EOF.
    private static func readLoop(
        fd: Int32, onLine: (UnsafeBufferPointer<UInt8>) -> Void, onOversizedLine: () -> Void, room: () -> Bool
    ) {
        let chunkSize = 1 << 16
        let chunk = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: chunkSize)
        defer { chunk.deallocate() }
        var partial: [UInt8] = []  // the unfinished line carried over between reads
        var skipping = false       // inside an oversized line: drop bytes until its newline
        while true {
            let n = read(fd, chunk.baseAddress, chunkSize)
            if n < 0, errno == EINTR { continue }
            if n < 0, errno == EAGAIN || errno == EWOULDBLOCK {
                // "No input yet", not the end of it: someone else (another process sharing this open
                // file description, e.g. a terminal) made it non-blocking. Wait for input instead.
                var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
                _ = poll(&p, 1, -1)
                continue
            }
            if n <= 0 { break }
            var start = 0
            let bytes = UnsafeBufferPointer(rebasing: chunk[0..<n])
            while start < n {
                // memchr: the newline scan is the one per-byte loop every message goes through.
                guard let hit = memchr(bytes.baseAddress! + start, 0x0A, n - start) else {
                    if !skipping {
                        partial.append(contentsOf: bytes[start..<n])
                        if partial.count > maxLineBytes { partial = []; skipping = true; onOversizedLine() }
                    }
                    break
                }
                let nl = start + (UnsafeRawPointer(hit) - UnsafeRawPointer(bytes.baseAddress! + start))
                if skipping {
                    skipping = false
                } else if !room() {
                    return
                } else if partial.isEmpty {
                    onLine(UnsafeBufferPointer(rebasing: bytes[start..<nl]))
                } else {
                    partial.append(contentsOf: bytes[start..<nl])
                    partial.withUnsafeBufferPointer { onLine($0) }
                    partial.removeAll(keepingCapacity: partial.count < 1 << 20)
                }
                start = nl + 1
            }
        }
        // A last line without its newline is still a message (e.g. `printf '{...}' | checkpoint-mcp`).
        if !partial.isEmpty, !skipping, room() { partial.withUnsafeBufferPointer { onLine($0) } }
    }

    /// Back-pressure (see the type's comment): returns once the output queue is under `maxQueuedBytes`
    /// (or closed), or false when it stayed full for `drainSeconds` after the client closed stdin.
    private func waitForRoom() -> Bool {
        let limit = maxQueuedBytes
        let hasRoom = { [queue] in queue.withLock { q in q.closed || q.queued < limit } }
        if hasRoom() { return true }
        var stalledSince: ContinuousClock.Instant?
        while true {
            // 100 ms slices only to notice a hang-up and to look at the clock; any write progress wakes us at once.
            if wake.wait(until: hasRoom, timeout: 0.1) { return true }
            guard inputHungUp() else { stalledSince = nil; continue }
            let now = clock.now()
            if let since = stalledSince {
                if now - since >= drainBound { return false }
            } else {
                stalledSince = now
            }
        }
    }

    /// Whether the client has closed its end of stdin (unread requests may remain in the pipe).
    private func inputHungUp() -> Bool {
        var p = pollfd(fd: input, events: 0, revents: 0)
        return poll(&p, 1, 0) > 0 && p.revents & Int16(POLLHUP) != 0
    }

    private var drainBound: Duration { .milliseconds(Int64(drainSeconds * 1000)) }

    // MARK: - Writing

    /// Starts the writer thread, and makes the output non-blocking so that no thread (the stdin reader
    /// least of all) can ever block on a full pipe.
    ///
    /// Not on a terminal: `O_NONBLOCK` lives on the open file description, which a terminal's stdin,
    /// stdout and the shell all share, so setting it would make our own reads fail with `EAGAIN` and
    /// leave the user's shell non-blocking after we exit (`cat` then fails with "Resource temporarily
    /// unavailable"). A terminal's output stays blocking and goes through the writer thread only.
    func startWriting() {
        if !outputIsTerminal {
            let flags = fcntl(output, F_GETFL)
            if flags >= 0 { _ = fcntl(output, F_SETFL, flags | O_NONBLOCK) }
        }
        #if os(Linux)
        // A pipe holds 64 KiB by default, less than one `tools/list` answer (~77 KB): the first write
        // would stop short and the rest would wait for the writer thread and the client's first read.
        // Asking for 1 MiB (the default `pipe-max-size`) lets such answers go out in one write(2).
        // Not a pipe, or a lower limit: the call fails and nothing changes.
        let setPipeSize: Int32 = 1031  // F_SETPIPE_SZ (F_LINUX_SPECIFIC_BASE + 7)
        _ = fcntl(output, setPipeSize, 1 << 20)
        #endif
        startThread { [self] in writeLoop() }
    }

    /// Queues one message (a complete JSON text without newline). Never blocks on the peer.
    ///
    /// Fast path: when nothing is queued or being written, the calling thread writes the message itself
    /// (one non-blocking `write`), saving a thread hand-off per message; whatever the pipe does not take
    /// goes to the writer thread, ahead of anything queued meanwhile, so order is kept.
    func send(_ message: [UInt8]) {
        var line = message
        line.append(0x0A)
        let direct = queue.withLock { q -> Bool in
            guard !q.closed else { return false }
            if !q.writing && q.pending.isEmpty && !outputIsTerminal {
                q.writing = true
                return true
            }
            q.pending.append(contentsOf: line)
            q.peakQueued = max(q.peakQueued, q.queued)
            return false
        }
        // Only the direct path can leave work for the writer thread: an appender found someone
        // writing, and that writer picks the append up when it finishes.
        guard direct else {
            if outputIsTerminal { wake.broadcast() }  // nobody writes directly to a terminal: wake the writer
            return
        }
        let (written, failed) = line.withUnsafeBytes { Self.writeSome(fd: output, $0) }
        let needWake = queue.withLock { q -> Bool in
            q.writing = false
            if failed {
                q.closed = true
                q.pending = []
            } else if written < line.count {
                q.pending.insert(contentsOf: line[written...], at: 0)
                q.peakQueued = max(q.peakQueued, q.queued)
            }
            return !q.pending.isEmpty || q.drainWaiters > 0 || q.closed
        }
        if needWake { wake.broadcast() }  // no wake-up (and no context switch) in the common case
    }

    /// Blocks until everything queued so far has been written (or the peer is gone), for at most
    /// `drainSeconds` on the transport's clock; returns whether it was all written.
    @discardableResult
    func drain() -> Bool {
        queue.withLock { $0.drainWaiters += 1 }
        let done = { [queue] in queue.withLock { q in q.closed || (q.pending.isEmpty && !q.writing) } }
        let finished = wake.wait(until: done, seconds: drainSeconds, on: clock)
        queue.withLock { $0.drainWaiters -= 1 }
        return finished
    }

    /// Stops the writer thread once the queue is drained, or after `drainSeconds` if the client does not
    /// take it (what is left is dropped); later `send`s are dropped.
    func close() {
        drain()
        queue.withLock { q in
            q.closed = true
            q.pending = []
        }
        wake.broadcast()
    }

    private func writeLoop() {
        while true {
            var batch: [UInt8] = []
            wake.wait { [queue] in queue.withLock { q in q.closed || (!q.pending.isEmpty && !q.writing) } }
            let stop = queue.withLock { q -> Bool in
                if q.closed { return true }
                swap(&batch, &q.pending)
                q.writing = true
                q.writingBytes = batch.count
                return false
            }
            if stop { wake.broadcast(); return }
            let ok = batch.withUnsafeBytes { Self.writeAll(fd: output, $0, abandon: { [queue] in queue.withLock { $0.closed } }) }
            queue.withLock { q in
                q.writing = false
                q.writingBytes = 0
                if !ok { q.closed = true; q.pending = [] }
            }
            wake.broadcast()  // wakes `drain` waiters
        }
    }

    /// Writes what the non-blocking descriptor takes now: (bytes written, peer gone).
    private static func writeSome(fd: Int32, _ bytes: UnsafeRawBufferPointer) -> (Int, Bool) {
        var offset = 0
        while offset < bytes.count {
            let n = write(fd, bytes.baseAddress! + offset, bytes.count - offset)
            if n < 0 {
                if errno == EINTR { continue }
                if errno == EAGAIN || errno == EWOULDBLOCK { return (offset, false) }
                return (offset, true)
            }
            offset += n
        }
        return (offset, false)
    }

    /// Writes everything, waiting in `poll` while the pipe is full (only the writer thread does this);
    /// gives up when `abandon` says the transport was closed meanwhile (a shutdown drain that timed out).
    private static func writeAll(fd: Int32, _ bytes: UnsafeRawBufferPointer, abandon: () -> Bool) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let n = write(fd, bytes.baseAddress! + offset, bytes.count - offset)
            if n < 0 {
                if errno == EINTR { continue }
                if errno == EAGAIN || errno == EWOULDBLOCK {
                    if abandon() { return false }
                    var p = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
                    _ = poll(&p, 1, 200)  // 200 ms slices only to notice `abandon`
                    continue
                }
                return false
            }
            offset += n
        }
        return true
    }
}

/// A condition variable paired with its own mutex; predicates read state guarded elsewhere, so
/// `wait` re-checks after every wake-up and `signal` takes the mutex to avoid lost wake-ups.
final class Condition: @unchecked Sendable {
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let cond = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)

    init() {
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(cond, nil)
    }

    deinit {
        pthread_cond_destroy(cond); cond.deallocate()
        pthread_mutex_destroy(mutex); mutex.deallocate()
    }

    func wait(until predicate: () -> Bool) {
        pthread_mutex_lock(mutex)
        while !predicate() { pthread_cond_wait(cond, mutex) }
        pthread_mutex_unlock(mutex)
    }

    /// Like `wait`, but gives up after `seconds`; returns whether the predicate held.
    @discardableResult
    func wait(until predicate: () -> Bool, timeout seconds: Double) -> Bool {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        let total = Int(now.tv_nsec) + Int(seconds * 1e9)
        var deadline = timespec()
        deadline.tv_sec = now.tv_sec + total / 1_000_000_000
        deadline.tv_nsec = total % 1_000_000_000
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        while !predicate() {
            if pthread_cond_timedwait(cond, mutex, &deadline) == ETIMEDOUT { return predicate() }
        }
        return true
    }

    /// Like `wait(until:timeout:)`, with `seconds` measured on `clock`, looked at every 100 ms (a signal ends
    /// the wait at once): an injected clock decides when the bound has passed.
    @discardableResult
    func wait(until predicate: () -> Bool, seconds: Double, on clock: ServerClock) -> Bool {
        let start = clock.now()
        let bound = Duration.milliseconds(Int64(seconds * 1000))
        while true {
            if wait(until: predicate, timeout: min(0.1, seconds)) { return true }
            if clock.now() - start >= bound { return predicate() }
        }
    }

    func signal() {
        pthread_mutex_lock(mutex); pthread_cond_signal(cond); pthread_mutex_unlock(mutex)
    }

    func broadcast() {
        pthread_mutex_lock(mutex); pthread_cond_broadcast(cond); pthread_mutex_unlock(mutex)
    }
}
