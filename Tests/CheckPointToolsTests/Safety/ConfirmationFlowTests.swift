import CheckPointAPI
import Foundation
import MCPCore
import Testing

@testable import CheckPointTools

/// A `ToolContext` that records nothing: `performWrite` only logs previews at debug level through it.
struct SilentContext: ToolContext {
    var requestID: RequestID { .int(1) }
    var clientCapabilities: JSONValue { [:] }
    func progress(_ progress: Double, total: Double?, message: String?) async {}
    func log(_ level: LogLevel, logger: String, _ data: JSONValue) async {}
}

/// Counts executions, so a test can show a preview executes nothing.
actor Counter {
    var value = 0
    func bump() { value += 1 }
}

@Suite("performWrite: preview, confirm, execute, audit")
struct ConfirmationFlowTests {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("cfm-\(UUID().uuidString)")

    func environment(confirm: ConfirmMode = .required) throws -> ToolEnvironment {
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        var env = ToolEnvironment(
            client: CheckPointClient(configuration: Configuration(gatewayURL: nil)), confirm: confirm,
            auditLogPath: dir.appendingPathComponent("audit.jsonl").path)
        env.audit = AuditLog(path: env.auditLogPath, writeToStderr: false)
        env.tool = "quarantine_entities"
        return env
    }

    func write(_ env: ToolEnvironment, _ args: JSONObject, counter: Counter, hasWork: Bool = true) async throws -> ToolResult {
        try await env.performWrite(
            arguments: args, context: SilentContext(),
            plan: { WritePlan(summary: "Will quarantine 2 emails.", text: "- e1\n- e2", structured: ["ids": ["e1", "e2"]],
                              hasWork: hasWork, scope: "f:t", payload: ["e1", "e2"]) },
            execute: { plan in
                await counter.bump()
                return WriteReport(
                    summary: "Quarantined 1 of 2.", text: "e1 submitted, e2 failed",
                    items: [AuditItem(id: plan.payload[0], status: "submitted", taskID: "1691525788820900"),
                            AuditItem(id: plan.payload[1], status: "failed", detail: "upstream: HTTP 500")])
            })
    }

    func auditLines(_ env: ToolEnvironment) throws -> [JSONObject] {
        let text = (try? String(contentsOfFile: env.auditLogPath!, encoding: .utf8)) ?? ""
        return try text.split(separator: "\n").map { line in
            let any = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
            return JSONObject(any.map { (key: $0.key, value: JSONValue.string("\($0.value)")) })
        }
    }

    @Test("an audit entry's time is the tool's clock (`ToolEnvironment.now`), as every other time of the call")
    func auditTimeIsTheToolClock() async throws {
        let tenant = try InProcessTenant(confirm: .never)
        tenant.time.advance(by: .seconds(3 * 86_400))
        var env = tenant.env
        env.tool = "quarantine_entities"
        _ = try await write(env, ["entity_ids": ["e1", "e2"]], counter: Counter())
        let entry = try #require(tenant.audit.last)
        #expect(abs(entry.time.timeIntervalSince(tenant.env.now)) < 1)
        #expect(entry.time.timeIntervalSinceNow > 3 * 86_400 - 60, "three days ahead of the real clock, as the tool's clock is")
    }

    @Test("the first call previews, changes nothing and audits nothing; the token call executes once")
    func cycle() async throws {
        let env = try environment()
        let counter = Counter()
        let args: JSONObject = ["entity_ids": ["e1", "e2"]]
        let preview = try await write(env, args, counter: counter)
        #expect(await counter.value == 0)
        #expect(try auditLines(env).isEmpty)
        let s = try #require(preview.structuredContent?.objectValue)
        #expect(s["status"] == "preview")
        let token = try #require(s["confirmation_token"]?.stringValue)

        var confirmed = args
        confirmed["confirmation_token"] = .string(token)
        let done = try await write(env, confirmed, counter: counter)
        #expect(await counter.value == 1)
        #expect(!done.isError)
        #expect(done.structuredContent?["outcome"] == "partial")
        let lines = try auditLines(env)
        #expect(lines.count == 1)
        #expect(lines[0]["tool"] == "quarantine_entities")
        #expect(lines[0]["confirm"] == "token")
        #expect(lines[0]["outcome"] == "partial")
        #expect(lines[0]["scope"] == "f:t")

        let again = try await write(env, confirmed, counter: counter)
        #expect(again.isError)
        #expect(await counter.value == 1)
        let refused = try auditLines(env)
        #expect(refused.count == 2)
        #expect(refused[1]["outcome"] == "refused")
        #expect(refused[1]["reason"] == "token_reused")
    }

    @Test("an expired token is refused and audited as token_expired; nothing executes (injected clock)")
    func expired() async throws {
        var env = try environment()
        let time = ManualTime()
        env.confirmations = ConfirmationStore(ttlSeconds: 60, time: time)
        let counter = Counter()
        let args: JSONObject = ["entity_ids": ["e1", "e2"]]
        let token = try #require(try await write(env, args, counter: counter).structuredContent?["confirmation_token"]?.stringValue)
        time.advance(by: .seconds(60))
        var confirmed = args
        confirmed["confirmation_token"] = .string(token)
        let late = try await write(env, confirmed, counter: counter)
        #expect(late.isError)
        #expect(late.content.first?["text"]?.stringValue?.contains("expired") == true)
        #expect(late.structuredContent?["reason"] == "token_expired")
        #expect(await counter.value == 0)
        let lines = try auditLines(env)
        #expect(lines.count == 1)
        #expect(lines[0]["outcome"] == "refused")
        #expect(lines[0]["reason"] == "token_expired")
    }

    @Test("--confirm never executes at once and says so in the audit line")
    func confirmNever() async throws {
        let env = try environment(confirm: .never)
        let counter = Counter()
        let result = try await write(env, ["entity_ids": ["e1", "e2"]], counter: counter)
        #expect(await counter.value == 1)
        #expect(result.structuredContent?["status"] == "executed")
        let lines = try auditLines(env)
        #expect(lines.count == 1)
        #expect(lines[0]["confirm"] == "never")
    }

    @Test("nothing to do: no token is issued")
    func nothingToDo() async throws {
        let env = try environment()
        let counter = Counter()
        let result = try await write(env, ["entity_ids": ["e1"]], counter: counter, hasWork: false)
        #expect(result.structuredContent?["status"] == "nothing_to_do")
        #expect(result.structuredContent?["confirmation_token"] == nil)
        #expect(await counter.value == 0)
    }

    @Test("the audit file is created with mode 0600 and holds one JSON line per write")
    func auditFileMode() throws {
        let path = dir.appendingPathComponent("new/audit.jsonl").path
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        let log = AuditLog(path: path, writeToStderr: false)
        #expect(log.record(AuditEntry(time: Date(), tool: "add_exception", confirm: "token", outcome: "executed",
                                      items: [AuditItem(id: "whitelist:a@b.example", status: "done")])) == nil)
        #expect(log.record(AuditEntry(time: Date(), tool: "add_exception", confirm: "never", outcome: "executed")) == nil)
        let attrs = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attrs[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let lines = text.split(separator: "\n")
        #expect(lines.count == 2)
        #expect(lines[0].hasPrefix(#"{"audit":"checkpoint-mcp","time":""#))
        #expect(lines[0].contains(#""counts":{"done":1}"#))
        let unwritable = AuditLog(path: dir.appendingPathComponent("missing-dir/x.jsonl").path, writeToStderr: false)
        #expect(unwritable.record(AuditEntry(time: Date(), tool: "t", confirm: "token", outcome: "executed")) != nil)
    }
}
