import Foundation
import MCPCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// What happened to one id (entity, event, device, exception entry) in a write.
///
/// `status` is a short machine word (`submitted`, `done`, `already_quarantined`, `not_found`, `failed`,
/// `unknown`, ...); `detail` is a reason for failures. Neither may carry email content (subjects, bodies,
/// names) or secrets: write tools put only ids, states and error kinds here.
public struct AuditItem: Sendable, Hashable {
    public var id: String
    public var status: String
    public var taskID: String?
    public var detail: String?

    public init(id: String, status: String, taskID: String? = nil, detail: String? = nil) {
        self.id = id
        self.status = status
        self.taskID = taskID
        self.detail = detail
    }

    var json: JSONValue {
        var o: JSONObject = ["id": .string(id), "status": .string(status)]
        if let taskID { o["task_id"] = .string(taskID) }
        if let detail { o["detail"] = .string(detail) }
        return .object(o)
    }
}

/// One line of the audit log: an executed write, or an attempt to execute that was refused or failed.
///
/// Line format (one JSON object per line, keys in this order):
/// `{"audit":"checkpoint-mcp","time":"2026-11-23T18:40:12.345Z","tool":"quarantine_entities","confirm":"token",
///   "outcome":"partial","scope":"mt-prod-3:acme","counts":{"failed":100,"submitted":150},
///   "items":[{"id":"…","status":"submitted","task_id":"1691525788820900"}, …]}`
/// - `confirm`: `token` (confirmed with a token), `never` (`--confirm never`).
/// - `outcome`: `executed` (every item succeeded or was already so), `partial`, `failed`, `unknown` (the
///   write threw an ambiguous failure: it may have been applied), `refused`
///   (a token was rejected; `reason` says why), `nothing_to_do`.
public struct AuditEntry: Sendable {
    /// When it happened: `ToolEnvironment.now`, the clock the rest of the call uses.
    public var time: Date
    public var tool: String
    public var confirm: String
    public var outcome: String
    public var scope: String?
    public var items: [AuditItem]
    public var reason: String?

    public init(
        time: Date, tool: String, confirm: String, outcome: String, scope: String? = nil,
        items: [AuditItem] = [], reason: String? = nil
    ) {
        self.time = time
        self.tool = tool
        self.confirm = confirm
        self.outcome = outcome
        self.scope = scope
        self.items = items
        self.reason = reason
    }

    /// Items counted by status, e.g. `["submitted": 150, "failed": 100]`.
    public var counts: [String: Int] { items.reduce(into: [:]) { $0[$1.status, default: 0] += 1 } }

    public var json: JSONValue {
        var o: JSONObject = [
            "audit": "checkpoint-mcp", "time": .string(AuditLog.timestamp(time)), "tool": .string(tool),
            "confirm": .string(confirm), "outcome": .string(outcome),
        ]
        if let scope { o["scope"] = .string(scope) }
        if let reason { o["reason"] = .string(reason) }
        let counts = self.counts.sorted { $0.key < $1.key }
        o["counts"] = .object(JSONObject(counts.map { (key: $0.key, value: .int(Int64($0.value))) }))
        o["items"] = .array(items.map(\.json))
        return .object(o)
    }

    /// The line as written, without the trailing newline.
    public var line: String { CanonicalJSON.encode(json, sortKeys: false) }
}

/// The append-only audit log: every line goes to stderr, and to `--audit-log PATH` when given.
/// The newest `keptEntries` entries also stay in memory for `list_session_writes`, so an agent (or the
/// analyst behind it) can ask what this server changed without access to stderr or the file.
///
/// The file is opened for each line (so an outside rotation is followed) with `O_APPEND | O_CREAT`,
/// mode 0600 when created (an existing file keeps its mode), plus:
/// - `O_NOFOLLOW`: a symlink planted at the path is refused (`ELOOP`), never followed to another file;
/// - `O_NONBLOCK`, then `fstat` must say "regular file": a FIFO or device at the path is refused at once
///   instead of wedging the write (opening a FIFO for writing blocks until a reader appears);
/// - the open happens outside the lock, so a slow or odd path can never hold up other tool calls,
///   `list_session_writes` or shutdown; only the in-memory list and the `write(2)` calls are locked.
/// `check(path:)` applies the same rules at startup, so a bad path is a clear error before serving.
/// - SeeAlso: open(2) (O_NOFOLLOW, O_NONBLOCK on FIFOs), fifo(7).
///
/// A final class with a lock rather than an actor: `record` must finish writing before the tool returns
/// (an audit line must never be lost to a cancelled task), and one `write(2)` per line under the lock
/// keeps lines whole when several writes finish at once.
public final class AuditLog: @unchecked Sendable {
    public let path: String?
    private let lock = NSLock()
    private let writeToStderr: Bool
    /// How many entries stay in memory; older ones remain only on stderr and in the file.
    public static let keptEntries = 500
    private var kept: [AuditEntry] = []
    private var recorded = 0

    public init(path: String?, writeToStderr: Bool = true) {
        self.path = path
        self.writeToStderr = writeToStderr
    }

    /// Appends one entry. Returns a problem text when the file could not be written (the caller puts it in
    /// the tool result: a write that is not in the audit file must not look as if it were).
    /// The file is written before stderr, so whoever sees the line on stderr finds it in the file (an
    /// end-to-end test read the file on seeing stderr and, once in CI, found it still empty). The file is
    /// opened outside the lock, as above; both writes happen under it, so the two keep the same order.
    @discardableResult
    public func record(_ entry: AuditEntry) -> String? {
        let bytes = Array((entry.line + "\n").utf8)
        let opened = path.map(Self.openForAppend)
        defer { if case .success(let fd)? = opened { close(fd) } }
        return lock.withLock {
            recorded += 1
            kept.append(entry)
            if kept.count > Self.keptEntries { kept.removeFirst(kept.count - Self.keptEntries) }
            var problem: String?
            switch opened {
            case .failure(let refused)?: problem = refused.text
            case .success(let fd)?:
                if !Self.writeAll(fd: fd, bytes) {
                    problem = "audit log \(path ?? "") could not be written: \(String(cString: strerror(errno)))"
                }
            case nil: break
            }
            if writeToStderr { Self.writeAll(fd: 2, bytes) }
            if let problem { Self.writeAll(fd: 2, Array("checkpoint-mcp: WARNING: \(problem)\n".utf8)) }
            return problem
        }
    }

    /// The startup check of `--audit-log PATH`: nil when the path can be appended to under the rules
    /// above (creating the file if needed), else the problem to report before serving.
    public static func check(path: String) -> String? {
        switch openForAppend(path) {
        case .failure(let problem): return problem.text
        case .success(let fd):
            close(fd)
            return nil
        }
    }

    private struct PathProblem: Error { let text: String }

    /// Opens `path` for appending without following a symlink or blocking; the descriptor is a regular file.
    private static func openForAppend(_ path: String) -> Result<Int32, PathProblem> {
        let flags = O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK
        let fd = open(path, flags, 0o600)
        guard fd >= 0 else {
            let code = errno
            let why = code == ELOOP ? "it is a symbolic link, which is never followed; give the real file's path"
                : code == ENXIO ? "it is a FIFO or socket, not a regular file"
                : String(cString: strerror(code))
            return .failure(PathProblem(text: "audit log \(path) could not be opened: \(why)"))
        }
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else {
            close(fd)
            return .failure(PathProblem(text: "audit log \(path) could not be opened: it is not a regular file (a FIFO, device or directory would block or lose lines)"))
        }
        return .success(fd)
    }

    /// The entries kept in memory, oldest first, and how many were recorded since the server started.
    public func snapshot() -> (entries: [AuditEntry], recorded: Int) {
        lock.lock()
        defer { lock.unlock() }
        return (kept, recorded)
    }

    @discardableResult
    private static func writeAll(fd: Int32, _ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                return false
            }
            offset += n
        }
        return true
    }

    /// ISO 8601 UTC with milliseconds, e.g. `2026-11-23T18:40:12.345Z`.
    public static func timestamp(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: TimeZone(identifier: "UTC")!))
    }
}
