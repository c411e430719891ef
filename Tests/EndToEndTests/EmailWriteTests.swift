import Foundation
import MCPCore
import Testing

/// The write tools through the built `checkpoint-mcp` against `checkpoint-sim`: preview changes nothing,
/// the token executes exactly what was previewed, token rules, per-id outcomes, audit lines.
/// One simulator for the suite (each test acts on its own ids); tests that inject faults or count
/// requests exactly start their own.
@Suite("Email write tools (end to end)", .serialized)
struct EmailWriteTests {
    static let writeTools = [
        "quarantine_entities", "restore_entities", "decline_restore_requests", "dismiss_security_events",
        "add_exception", "delete_exception",
    ]

    func sim() async throws -> SimProcess { try await SimProcess.shared("email-write") }

    func server(_ sim: SimProcess, _ args: [String] = [], env: [String: String] = [:]) async throws -> MCPProcess {
        let mcp = try MCPProcess.launch(against: sim, args, environment: ["CHECKPOINT_RATE_LIMIT_PER_MINUTE": "100000"].merging(env) { _, n in n })
        try await mcp.initialize()
        return mcp
    }

    @Test("quarantine: the preview changes nothing, the token executes, the state changes and is audited")
    func quarantineCycle() async throws {
        let sim = try await sim()
        let api = EmailWriteSimAPI(sim: sim)
        let ids = try await api.entityIDs(days: 3, limit: 3) { $0["entityPayload"]?["isQuarantined"] == false }
        try #require(ids.count == 3)
        let missing = "ffffffffffffffffffffffffffffffff"
        let mcp = try await server(sim)
        let before = try await sim.requestCount(EmailWriteSimAPI.actionRoute)

        let preview = try await mcp.write("quarantine_entities", ["entity_ids": .array((ids + [missing]).map(JSONValue.string))])
        #expect(!preview.isError, "\(preview.text)")
        #expect(preview.status == "preview")
        #expect(preview.text.contains("PREVIEW ONLY"))
        #expect(preview.text.contains("«"), "subjects and senders are fenced as untrusted data")
        #expect(preview.structured?["items"]?.arrayValue?.count == 3)
        let skipped = preview.structured?["skipped"]?.arrayValue ?? []
        #expect(skipped.contains { $0["id"]?.stringValue == missing && $0["status"] == "not_found" })
        #expect(try await sim.requestCount(EmailWriteSimAPI.actionRoute) == before, "a preview sends no action")
        for id in ids { #expect(try await api.isQuarantined(id) == false) }
        #expect(auditLines(mcp.stderrText).isEmpty, "previews are not audited as writes")

        let token = try #require(preview.token)
        let done = try await mcp.write("quarantine_entities", ["entity_ids": .array((ids + [missing]).map(JSONValue.string))], token: token)
        #expect(!done.isError, "\(done.text)")
        #expect(done.status == "executed")
        #expect(done.text.hasPrefix("Quarantined 3 of 4"))
        for id in ids {
            #expect(done.outcomes[id]?["status"] == "submitted")
            #expect(done.outcomes[id]?["task_id"]?.stringValue?.count == 16)
            #expect(try await api.isQuarantined(id))
        }
        #expect(done.outcomes[missing]?["status"] == "not_found")
        #expect(try await sim.requestCount(EmailWriteSimAPI.actionRoute) == before + 1, "3 ids fit one batch")

        #expect(await mcp.waitForStderr("\"tool\":\"quarantine_entities\""))
        let lines = auditLines(mcp.stderrText)
        #expect(lines.count == 1)
        #expect(lines.first?["outcome"] == "executed")
        #expect(lines.first?["confirm"] == "token")
        #expect(lines.first?["counts"]?["submitted"] == 3)

        // Same call again: everything is already quarantined, so there is nothing to confirm.
        let again = try await mcp.write("quarantine_entities", ["entity_ids": .array(ids.map(JSONValue.string))])
        #expect(again.status == "nothing_to_do")
        #expect(again.token == nil)
        #expect((again.structured?["skipped"]?.arrayValue ?? []).allSatisfy { $0["status"] == "already_quarantined" })
    }

    @Test("token rules: other arguments, reuse and unknown tokens are refused and audited (expiry: ConfirmationFlowTests)")
    func tokenRules() async throws {
        let sim = try await sim()
        let api = EmailWriteSimAPI(sim: sim)
        let ids = try await api.entityIDs(days: 4, limit: 4) { $0["entityPayload"]?["isQuarantined"] == false }
        try #require(ids.count == 4)
        let mcp = try await server(sim)
        let args: JSONObject = ["entity_ids": [.string(ids[0])]]
        let preview = try await mcp.write("quarantine_entities", args)
        let token = try #require(preview.token)

        let wrong = try await mcp.write("quarantine_entities", ["entity_ids": [.string(ids[1])]], token: token)
        #expect(wrong.isError)
        #expect(wrong.text.contains("arguments differ"))
        #expect(try await api.isQuarantined(ids[1]) == false)

        let unknown = try await mcp.write("quarantine_entities", args, token: "ct_" + String(repeating: "A", count: 32))
        #expect(unknown.isError)
        #expect(unknown.text.contains("without confirmation_token"))

        // Expiry is tested in process with an injected clock (ConfirmationFlowTests.expired), not by sleeping here.
        #expect(try await api.isQuarantined(ids[0]) == false)

        // A fresh preview and a timely confirmation work; the same token a second time does not.
        let fresh = try #require(try await mcp.write("quarantine_entities", args).token)
        let ok = try await mcp.write("quarantine_entities", args, token: fresh)
        #expect(ok.status == "executed")
        let reused = try await mcp.write("quarantine_entities", args, token: fresh)
        #expect(reused.isError)
        #expect(reused.text.contains("already used"))

        #expect(await mcp.waitForStderr("token_reused"))
        let reasons = auditLines(mcp.stderrText).compactMap { $0["reason"]?.stringValue }
        #expect(reasons == ["arguments_changed", "unknown_token", "token_reused"])
    }

    @Test("decline: only emails with a pending restore request are acted on")
    func declineRestoreRequests() async throws {
        let sim = try await sim()
        let api = EmailWriteSimAPI(sim: sim)
        let pending = try await api.entityIDs(days: 9, extended: [EmailWriteSimAPI.flag("isRestoreRequested", true)], limit: 10)
        try #require(pending.count >= 3)
        let plain = try await api.entityIDs(days: 2, limit: 1) { $0["entityPayload"]?["isRestoreRequested"] == false }
        let target = pending.last!
        let mcp = try await server(sim)
        let args: JSONObject = ["entity_ids": .array(([target] + plain).map(JSONValue.string)), "reason": "Confirmed phishing"]
        let preview = try await mcp.write("decline_restore_requests", args)
        #expect(preview.structured?["items"]?.arrayValue?.map { $0["entity_id"] } == [.string(target)])
        #expect(preview.structured?["skipped"]?.arrayValue?.first?["status"] == "no_restore_request")
        let done = try await mcp.write("decline_restore_requests", args, token: try #require(preview.token) as String)
        #expect(done.outcomes[target]?["status"] == "submitted", "\(done.text)")
        let after = try await api.payload(target)
        // The request flag stays set (live data shows it); the decline is its own flag, and a declined request
        // is no longer pending: a second decline has nothing to act on.
        #expect(after["isRestoreRequested"] == true)
        #expect(after["isRestoreDeclined"] == true)
        let again = try await mcp.write("decline_restore_requests", ["entity_ids": [.string(target)], "reason": "again"])
        #expect(again.token == nil && again.structured?["skipped"]?.arrayValue?.first?["status"] == "no_restore_request", "\(again.text)")
        let listed = try await mcp.callTool("list_restore_requests", ["duration": "15d", "state": "declined"])
        #expect(listed.toolResult?.structured?["requests"]?.arrayValue?.contains { $0["entity_id"] == .string(target) } == true,
                "list_restore_requests finds the declined request: \(listed.toolResult?.text ?? "")")
    }

    @Test("dismiss: security events are dismissed after confirmation")
    func dismissEvents() async throws {
        let sim = try await sim()
        let api = EmailWriteSimAPI(sim: sim)
        let start = ISO8601DateFormatter().string(from: Date().addingTimeInterval(-7 * 86_400))
        let events = try await api.call("POST", "/event/query", body: ["requestData": ["startDate": .string(start), "eventStates": ["new"], "scopes": ["mt-prod-3:acme-demo"]]])
        let ids = (events["responseData"]?.arrayValue ?? []).prefix(2).compactMap { $0["eventId"]?.stringValue }
        try #require(ids.count == 2)
        let mcp = try await server(sim)
        let args: JSONObject = ["event_ids": .array(ids.map(JSONValue.string))]
        let preview = try await mcp.write("dismiss_security_events", args)
        #expect(preview.structured?["items"]?.arrayValue?.count == 2, "\(preview.text)")
        let done = try await mcp.write("dismiss_security_events", args, token: try #require(preview.token) as String)
        #expect(done.status == "executed", "\(done.text)")
        for id in ids { #expect(done.outcomes[id]?["status"] == "submitted") }
        let again = try await mcp.write("dismiss_security_events", args)
        #expect(again.status == "nothing_to_do")
    }

    @Test("--confirm never executes at once and the audit file says confirm=never, without email content")
    func confirmNeverAndAuditFile() async throws {
        let sim = try await sim()
        let api = EmailWriteSimAPI(sim: sim)
        let ids = try await api.entityIDs(days: 5, limit: 2) { $0["entityPayload"]?["isQuarantined"] == false }
        try #require(ids.count == 2)
        let subject = try #require(try await api.payload(ids[0])["subject"]?.stringValue)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("audit-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("audit.jsonl").path
        let mcp = try await server(sim, ["--confirm", "never", "--audit-log", path])
        let done = try await mcp.write("quarantine_entities", ["entity_ids": .array(ids.map(JSONValue.string))])
        #expect(done.status == "executed", "\(done.text)")
        #expect(done.structured?["confirm_mode"] == "never")
        for id in ids { #expect(try await api.isQuarantined(id)) }

        let text = try String(contentsOfFile: path, encoding: .utf8)
        let lines = auditLines(text)
        #expect(lines.count == 1)
        #expect(lines.first?["confirm"] == "never")
        #expect(lines.first?["tool"] == "quarantine_entities")
        #expect(lines.first?["time"]?.stringValue?.hasSuffix("Z") == true)
        #expect(!text.contains(subject), "no email content in the audit log")
        #expect(!text.contains(SimProcess.clientSecret))
        #expect(!mcp.stderrText.contains(SimProcess.clientSecret))
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber
        #expect(mode?.intValue == 0o600)
    }

    @Test("--read-only hides every write tool")
    func readOnlyHidesWrites() async throws {
        let sim = try await sim()
        let mcp = try await server(sim, ["--read-only"])
        let names = try await mcp.listTools().compactMap { $0["name"]?.stringValue }
        for tool in Self.writeTools { #expect(!names.contains(tool)) }
        let call = try await mcp.callTool("quarantine_entities", ["entity_ids": ["ffffffffffffffffffffffffffffffff"]])
        #expect(call.toolResult?.isError == true || call.errorCode != nil)

        let full = try await server(sim)
        let all = try await full.listTools()
        for tool in Self.writeTools {
            let def = try #require(all.first { $0["name"]?.stringValue == tool }, "\(tool) is listed")
            #expect(def["annotations"]?["readOnlyHint"] == false)
            #expect(def["inputSchema"]?["properties"]?["confirmation_token"] != nil)
        }
    }

    @Test("an MSP key without scope: each email's scope is worked out from the email")
    func mspScopeResolution() async throws {
        let sim = try await sim()
        let api = EmailWriteSimAPI(sim: sim)
        let id = try #require(try await api.entityIDs(days: 6, limit: 1) { $0["entityPayload"]?["isQuarantined"] == false }.first)
        let mcp = try await server(sim, env: ["CHECKPOINT_CLIENT_ID": "sim-msp-id", "CHECKPOINT_CLIENT_SECRET": "sim-msp-secret"])
        let args: JSONObject = ["entity_ids": [.string(id)]]
        let preview = try await mcp.write("quarantine_entities", args)
        #expect(preview.structured?["items"]?.arrayValue?.first?["scope"] == "mt-prod-3:acme-demo", "\(preview.text)")
        let done = try await mcp.write("quarantine_entities", args, token: try #require(preview.token) as String)
        #expect(done.outcomes[id]?["status"] == "submitted", "\(done.text)")
        #expect(try await api.isQuarantined(id))
    }
}
