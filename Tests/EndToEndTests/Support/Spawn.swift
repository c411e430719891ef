import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Errors of the harness itself. Each says what was awaited and carries the tail of the child's stderr,
/// so a broken server fails a test with a reason instead of hanging it.
struct HarnessError: Error, CustomStringConvertible {
    var description: String

    init(_ description: String) { self.description = description }

    func with(stderr: String) -> HarnessError {
        let tail = stderr.count > 2_000 ? "…" + stderr.suffix(2_000) : stderr
        return HarnessError(tail.isEmpty ? description : "\(description)\n--- stderr of the child ---\n\(tail)")
    }
}

/// A child process started with `posix_spawn`, its stdin/stdout/stderr on pipes.
///
/// Not Foundation's `Process`: every pipe end here is close-on-exec, so a child started by a test running
/// in parallel can never inherit (and keep open) another child's stdin, which would hide its EOF.
struct SpawnedChild: Sendable {
    let pid: pid_t
    let stdin: Int32
    let stdout: Int32
    let stderr: Int32

    /// Starts `path` with `arguments` and exactly `environment` (nothing inherited).
    static func spawn(_ path: String, _ arguments: [String], environment: [String: String]) throws -> SpawnedChild {
        Self.ignoreSIGPIPE
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw HarnessError("no executable at \(path): run `swift build` first (or set CHECKPOINT_MCP_BIN / CHECKPOINT_SIM_BIN)")
        }
        spawnLock.lock()
        defer { spawnLock.unlock() }
        let inPipe = try makePipe(), outPipe = try makePipe(), errPipe = try makePipe()

        #if canImport(Glibc)
            var actions = posix_spawn_file_actions_t()
        #else
            var actions: posix_spawn_file_actions_t? = nil
        #endif
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        // dup2 clears close-on-exec on the target, so only 0, 1 and 2 survive into the child.
        posix_spawn_file_actions_adddup2(&actions, inPipe.read, 0)
        posix_spawn_file_actions_adddup2(&actions, outPipe.write, 1)
        posix_spawn_file_actions_adddup2(&actions, errPipe.write, 2)
        #if canImport(Glibc)
            // Pipes other code in this process made without close-on-exec (in-process server tests) must
            // not leak into a child that may outlive them: an inherited write end hides their EOF.
            // (glibc ≥ 2.34 has closefrom as a spawn action; Swift's Glibc module does not export it.)
            if let closeFrom = Self.addCloseFrom { _ = closeFrom(&actions, 3) }
        #endif

        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, path, &actions, nil, argv, envp)
        close(inPipe.read)
        close(outPipe.write)
        close(errPipe.write)
        guard rc == 0 else {
            close(inPipe.write)
            close(outPipe.read)
            close(errPipe.read)
            throw HarnessError("posix_spawn \(path) failed: \(String(cString: strerror(rc)))")
        }
        return SpawnedChild(pid: pid, stdin: inPipe.write, stdout: outPipe.read, stderr: errPipe.read)
    }

    /// PATH and HOME of the test process, nothing else: the developer's real CHECKPOINT_* variables
    /// must never leak into a test.
    static func baseEnvironment(_ extra: [String: String]) -> [String: String] {
        let env = ProcessInfo.processInfo.environment
        var out = ["PATH": env["PATH"] ?? "/usr/bin:/bin", "HOME": env["HOME"] ?? "/tmp"]
        for (k, v) in extra { out[k] = v }
        return out
    }

    #if canImport(Glibc)
        private typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
        private static let addCloseFrom: AddCloseFrom? = {
            guard let handle = dlopen(nil, RTLD_NOW),
                  let symbol = dlsym(handle, "posix_spawn_file_actions_addclosefrom_np") else { return nil }
            return unsafeBitCast(symbol, to: AddCloseFrom.self)
        }()
    #endif

    /// Serialises pipe creation and spawning, so no child spawned by the harness inherits a pipe end
    /// created for another one before it was marked close-on-exec.
    private static let spawnLock = NSLock()

    private static let ignoreSIGPIPE: Void = {
        // A write to a dead child must fail with EPIPE, not kill the test runner.
        signal(SIGPIPE, SIG_IGN)
    }()

    private static func makePipe() throws -> (read: Int32, write: Int32) {
        var fds: [Int32] = [0, 0]
        // pipe2(O_CLOEXEC) is not exported to Swift; the gap before fcntl is closed by `spawnLock`.
        guard pipe(&fds) == 0 else { throw HarnessError("pipe failed: errno \(errno)") }
        _ = fcntl(fds[0], F_SETFD, FD_CLOEXEC)
        _ = fcntl(fds[1], F_SETFD, FD_CLOEXEC)
        return (fds[0], fds[1])
    }
}

/// Exit status of a reaped child.
enum ExitStatus: Sendable, Equatable, CustomStringConvertible {
    case exited(Int32)
    case signalled(Int32)

    init(waitStatus status: Int32) {
        if status & 0x7f == 0 { self = .exited((status >> 8) & 0xff) } else { self = .signalled(status & 0x7f) }
    }

    var description: String {
        switch self {
        case .exited(let c): return "exit code \(c)"
        case .signalled(let s): return "killed by signal \(s)"
        }
    }
}

/// Reaps and kills one child, once. Thread-safe (a lock: `waitpid` must run once per exit).
final class ChildReaper: @unchecked Sendable {
    let pid: pid_t
    private let lock = NSLock()
    private var status: ExitStatus?

    init(pid: pid_t) { self.pid = pid }

    /// Non-blocking check; nil while running.
    func poll() -> ExitStatus? {
        lock.lock()
        defer { lock.unlock() }
        if let status { return status }
        var raw: Int32 = 0
        if waitpid(pid, &raw, WNOHANG) == pid { status = ExitStatus(waitStatus: raw) }
        return status
    }

    /// Waits until the child exits, polling every 5 ms; nil on timeout.
    func wait(timeout: Duration) async -> ExitStatus? {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let s = poll() { return s }
            try? await Task.sleep(for: .milliseconds(5))
        }
        return poll()
    }

    /// SIGKILL and reap (blocking briefly: a killed process exits at once).
    func kill() {
        lock.lock()
        defer { lock.unlock() }
        guard status == nil else { return }
        _ = sendSignal(pid, SIGKILL)
        var raw: Int32 = 0
        if waitpid(pid, &raw, 0) == pid { status = ExitStatus(waitStatus: raw) }
    }

    func signal(_ sig: Int32) {
        if poll() == nil { _ = sendSignal(pid, sig) }
    }
}

@inline(__always) private func sendSignal(_ pid: pid_t, _ sig: Int32) -> Int32 {
    #if canImport(Glibc)
        return Glibc.kill(pid, sig)
    #else
        return Darwin.kill(pid, sig)
    #endif
}
