import Foundation
import MCPCore
import Testing

/// The Mobile analyst scenario as a new user runs it: `checkpoint-mcp --demo`, no credentials, one MCP session.
@Suite("Harmony Mobile scenario (--demo)")
struct MobileScenarioTests {
    @Test("find high-risk devices in a group, read one and its alerts, quarantine it after confirmation, see the audit trail")
    func quarantineScenario() async throws {
        let audit = FileManager.default.temporaryDirectory.appendingPathComponent("mobile-scenario-\(UUID().uuidString).jsonl").path
        defer { try? FileManager.default.removeItem(atPath: audit) }
        let mcp = try MCPProcess.launch(["--demo", "--audit-log", audit])
        try await mcp.initialize()

        // 1. Which Executives phones are at high risk?
        let group = try await Mobile.ok(mcp, "list_mobile_groups", ["name": "Executives"])
        #expect(group.structured?["groups"]?.arrayValue?.count == 1)
        let search = try await Mobile.ok(mcp, "search_mobile_devices", ["groups_any": ["Executives"], "risks": ["high"]])
        let device = try #require(Mobile.devices(search).first, "the demo tenant has high-risk Executives devices")
        let id = try #require(device["id"]?.intValue)

        // 2. Read the device and its recent alerts.
        let details = try await Mobile.ok(mcp, "get_mobile_device", ["device_id": .int(id)])
        #expect(details.structured?["device"]?["risk"]?["name"] == "high")
        let alerts = try await Mobile.ok(mcp, "list_mobile_alerts", ["device_ids": [.int(id)], "duration": "30d"])
        #expect(alerts.structured?["alerts"]?.arrayValue?.allSatisfy { $0["device_id"]?.intValue == id } == true)
        let auditBefore = try await Mobile.ok(mcp, "list_mobile_audit_events", ["after_id": 0, "limit": 100_000])
        let lastAudit = auditBefore.structured?["next_after_id"]?.intValue ?? 0

        // 3. Move it to the quarantine group: preview (nothing changes), then confirm.
        let quarantine = try await Mobile.ok(mcp, "list_mobile_groups", ["name": "Quarantine"])
        #expect(quarantine.structured?["groups"]?.arrayValue?.count == 1)
        let args: JSONValue = ["device_id": .int(id), "groups": ["Quarantine"]]
        let preview = try await Mobile.ok(mcp, "move_mobile_device", args)
        #expect(preview.text.contains("PREVIEW ONLY") && preview.text.contains("«Quarantine»"))
        _ = try await Mobile.ok(mcp, "get_mobile_device", ["device_id": .int(id)])  // still there
        let (_, done) = try await Mobile.confirmed(mcp, "move_mobile_device", args)
        let newID = try #require(done.structured?["new_device_id"]?.intValue)
        let inQuarantine = Mobile.devices(try await Mobile.ok(mcp, "search_mobile_devices", ["groups_any": ["Quarantine"], "limit": 1000]))
        #expect(Mobile.ids(inQuarantine).contains(newID))
        #expect(!Mobile.ids(Mobile.devices(try await Mobile.ok(mcp, "search_mobile_devices", ["groups_any": ["Executives"], "limit": 1000]))).contains(id))

        // 4. The audit trails show the change: Harmony Mobile's own, and ours.
        let auditAfter = try await Mobile.ok(mcp, "list_mobile_audit_events", ["after_id": .int(lastAudit)])
        let newEntries = auditAfter.structured?["events"]?.arrayValue ?? []
        #expect(!newEntries.isEmpty, "the tenant's audit trail records the device add and delete")
        let ours = ((try? String(contentsOfFile: audit, encoding: .utf8)) ?? "").split(separator: "\n")
        let line = try #require(ours.first { $0.contains("\"tool\":\"move_mobile_device\"") })
        #expect(line.contains("\"outcome\":\"executed\"") && line.contains("\"\(id)\"") && line.contains("\"\(newID)\""))
        #expect(mcp.invalidStdoutLines.isEmpty)
    }
}
