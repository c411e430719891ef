import CheckPointAPI
import Foundation
import MCPCore
import Testing

@testable import CheckPointTools

/// `list_session_writes`: the audit log's in-memory copy, newest first, filtered by tool and outcome; it
/// needs no gateway at all (here there is none configured).
@Suite("list_session_writes")
struct ListSessionWritesTests {
    static let spec = ListSessionWrites.spec(writeTools: Toolbox.allSpecs.filter(\.isWrite).map(\.name))

    static func env(path: String? = nil) -> ToolEnvironment {
        var env = ToolEnvironment(client: CheckPointClient(configuration: Configuration(gatewayURL: nil)))
        env.audit = AuditLog(path: path, writeToStderr: false)
        return env
    }

    static func call(_ env: ToolEnvironment, _ args: JSONObject = [:]) async throws -> ToolResult {
        try await ToolFrame.run(spec, args, env, RecordingContext())
    }

    static let time = Date(timeIntervalSince1970: 1_795_166_043)  // 2026-11-20T09:14:03Z

    static func record(_ env: ToolEnvironment) {
        env.audit.record(AuditEntry(time: time, tool: "quarantine_entities", confirm: "token", outcome: "partial", scope: "mt-prod-3:acme-demo", items: [
            AuditItem(id: "aa11", status: "submitted", taskID: "1691525788820900"), AuditItem(id: "bb22", status: "failed", detail: "batch 1: HTTP 500"),
        ]))
        env.audit.record(AuditEntry(time: time.addingTimeInterval(60), tool: "delete_exception", confirm: "token", outcome: "refused", reason: "token_expired"))
        env.audit.record(AuditEntry(time: time.addingTimeInterval(120), tool: "quarantine_entities", confirm: "user", outcome: "executed",
                                    items: (1...7).map { AuditItem(id: "id\($0)", status: "submitted") }))
    }

    @Test("nothing recorded: says so, complete, no gateway needed")
    func empty() async throws {
        let r = try await Self.call(Self.env())
        #expect(r.text == "No write has been made by this server since it started.")
        #expect(r.structured == ["writes": [], "count": 0, "matching": 0, "recorded": 0, "complete": true, "audit_log_path": .null])
    }

    @Test("newest first, each with its confirmation, outcome, counts and items")
    func entries() async throws {
        let env = Self.env()
        Self.record(env)
        let r = try await Self.call(env)
        let writes = r.structured?["writes"]?.arrayValue ?? []
        #expect(writes.map { $0["outcome"] } == ["executed", "refused", "partial"])
        #expect(writes[1]["reason"] == "token_expired")
        let partial = writes[2]
        #expect(partial["time"] == "2026-11-20T09:14:03.000Z")
        #expect(partial["confirm"] == "token" && partial["scope"] == "mt-prod-3:acme-demo")
        #expect(partial["counts"] == ["failed": 1, "submitted": 1])
        #expect(partial["items"] == [
            ["id": "aa11", "status": "submitted", "task_id": "1691525788820900"], ["id": "bb22", "status": "failed", "detail": "batch 1: HTTP 500"],
        ])
        #expect(r.text.hasPrefix("3 of 3 matching writes (newest first); 3 recorded since the server started."))
        #expect(r.text.contains("«id1» «id2» «id3» «id4» «id5» +2 more"), "\(r.text)")
    }

    @Test("tool, outcome and limit filter; a cut list says how to see the rest")
    func filters() async throws {
        let env = Self.env()
        Self.record(env)
        let byTool = try await Self.call(env, ["tool": "quarantine_entities"])
        #expect(byTool.structured?["count"] == 2 && byTool.structured?["matching"] == 2 && byTool.structured?["recorded"] == 3)
        let refused = try await Self.call(env, ["outcome": "refused"])
        #expect(refused.structured?["writes"]?[0]?["tool"] == "delete_exception")
        let one = try await Self.call(env, ["limit": 1])
        #expect(one.structured?["complete"] == false)
        #expect(one.structured?["writes"]?[0]?["outcome"] == "executed")
        #expect(one.text.hasSuffix("Incomplete: raise `limit` (up to 200) or filter by `tool` / `outcome` to see older entries."))
    }

    @Test("with --audit-log the result names the file that holds every entry")
    func auditPath() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("session-writes-\(UUID().uuidString).jsonl").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let env = Self.env(path: path)
        Self.record(env)
        let r = try await Self.call(env)
        #expect(r.structured?["audit_log_path"] == .string(path))
        #expect(r.text.contains("Every entry is also in the audit log file \(path)."))
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 3)
    }
}
