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
/// - `outcome`: `executed` (every item succeeded or was already so), `partial`, `failed`, `refused`
///   (a token was rejected; `reason` says why), `nothing_to_do`.
public struct AuditEntry: Sendable {
    public var time: Date
    public var tool: String
    public var confirm: String
    public var outcome: String
    public var scope: String?
    public var items: [AuditItem]
    public var reason: String?

    public init(
        time: Date = Date(), tool: String, confirm: String, outcome: String, scope: String? = nil,
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

/// The append-only audit log: every line goes to stderr, and to `--audit-log PATH` when given
/// (opened with `O_APPEND | O_CREAT`, mode 0600 when created; an existing file keeps its mode).
/// The newest `keptEntries` entries also stay in memory for `list_session_writes`, so an agent (or the
/// analyst behind it) can ask what this server changed without access to stderr or the file.
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
    @discardableResult
    public func record(_ entry: AuditEntry) -> String? {
        let bytes = Array((entry.line + "\n").utf8)
        lock.lock()
        defer { lock.unlock() }
        recorded += 1
        kept.append(entry)
        if kept.count > Self.keptEntries { kept.removeFirst(kept.count - Self.keptEntries) }
        if writeToStderr { Self.writeAll(fd: 2, bytes) }
        guard let path else { return nil }
        let fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            let problem = "audit log \(path) could not be opened: \(String(cString: strerror(errno)))"
            Self.writeAll(fd: 2, Array("checkpoint-mcp: WARNING: \(problem)\n".utf8))
            return problem
        }
        defer { close(fd) }
        guard Self.writeAll(fd: fd, bytes) else {
            let problem = "audit log \(path) could not be written: \(String(cString: strerror(errno)))"
            Self.writeAll(fd: 2, Array("checkpoint-mcp: WARNING: \(problem)\n".utf8))
            return problem
        }
        return nil
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
