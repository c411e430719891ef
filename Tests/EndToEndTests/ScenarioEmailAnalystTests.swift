import Foundation
import MCPCore
import Testing

/// The email analyst scenario, run as a new user would: `checkpoint-mcp --demo`, no credentials,
/// only tool calls. Find the phishing mails from one sender in the last 7 days, read one verdict and its
/// reasons, quarantine them all after confirmation, see the tasks complete, restore one with allow-listing.
@Suite("Scenario: email analyst in --demo")
struct ScenarioEmailAnalystTests {
    static let sender = "billing@paypa1-secure.com"

    func call(_ mcp: MCPProcess, _ tool: String, _ args: JSONObject, timeout: Duration = .seconds(60)) async throws -> ToolCallResult {
        let response = try await mcp.callTool(tool, .object(args), timeout: timeout)
        let result = try #require(response.toolResult, "\(tool): \(response.wireText)")
        #expect(!result.isError, "\(tool) failed: \(result.text)")
        return result
    }

    @Test("find, read, quarantine with confirmation, wait for the tasks, restore one with allow-listing")
    func analystScenario() async throws {
        let mcp = try MCPProcess.launch(["--demo"])
        try await mcp.initialize()

        // 1. Find the phishing mails from the sender in the last 7 days.
        let found = try await call(mcp, "search_entities", ["sender": .string(Self.sender), "verdict": "phishing", "duration": "7d"])
        let rows = found.structured?["entities"]?.arrayValue ?? []
        let ids = rows.compactMap { $0["entity_id"]?.stringValue }
        try #require(ids.count >= 5, "the demo tenant has a campaign from \(Self.sender): \(found.text)")
        #expect(found.text.contains("demo"))

        // 2. Read one: verdict and reasons.
        let details = try await call(mcp, "get_entity_details", ["entity_id": .string(ids[0])])
        #expect(details.text.lowercased().contains("phishing"))
        #expect(details.text.contains("«"), "untrusted values are fenced")

        // 3. Quarantine them all: preview (nothing changes), then confirm with the token.
        let args: JSONObject = ["entity_ids": .array(ids.map(JSONValue.string))]
        let preview = try await call(mcp, "quarantine_entities", args)
        #expect(preview.status == "preview")
        #expect(preview.structured?["items"]?.arrayValue?.count == ids.count)
        let stillThere = try await call(mcp, "search_entities", ["sender": .string(Self.sender), "duration": "7d", "quarantined": true])
        let quarantinedBefore = (stillThere.structured?["entities"]?.arrayValue ?? []).count
        #expect(quarantinedBefore == 0, "the preview changed nothing")

        var confirmed = args
        confirmed["confirmation_token"] = .string(try #require(preview.token))
        let done = try await call(mcp, "quarantine_entities", confirmed)
        #expect(done.status == "executed")
        #expect(done.text.hasPrefix("Quarantined \(ids.count) of \(ids.count)"))
        #expect(done.structured?["counts"] == ["submitted": .int(Int64(ids.count))], "\(done.text)")
        let taskIDs = done.structured?["task_ids"]?.arrayValue?.compactMap(\.stringValue) ?? []
        #expect(!taskIDs.isEmpty && taskIDs.count <= ids.count)

        // 4. See the tasks complete.
        let tasks = try await call(mcp, "get_task_status", ["task_ids": .array(taskIDs.map(JSONValue.string)), "wait_seconds": 20],
                                   timeout: .seconds(60))
        #expect(tasks.structured?["all_done"] == true, "\(tasks.text)")
        let quarantined = try await call(mcp, "search_entities", ["sender": .string(Self.sender), "duration": "7d", "quarantined": true])
        #expect((quarantined.structured?["entities"]?.arrayValue ?? []).count == ids.count)

        // 5. Restore one (a false positive, say) and allow-list its sender.
        let restoreArgs: JSONObject = ["entity_ids": [.string(ids[0])], "add_to_allow_list": true]
        let restorePreview = try await call(mcp, "restore_entities", restoreArgs)
        #expect(restorePreview.structured?["allow_list"]?.arrayValue?.first?["sender"] == .string(Self.sender))
        var restoreConfirmed = restoreArgs
        restoreConfirmed["confirmation_token"] = .string(try #require(restorePreview.token))
        let restored = try await call(mcp, "restore_entities", restoreConfirmed)
        #expect(restored.outcomes[ids[0]]?["status"] == "submitted")
        #expect(restored.structured?["allow_list"]?.arrayValue?.first?["status"] == "added", "\(restored.text)")
        let entry = try await call(mcp, "get_entity_details", ["entity_id": .string(ids[0])])
        #expect(entry.structured?["quarantine_state"] == "restored")

        // The audit trail on stderr has both writes, and no subject text.
        #expect(await mcp.waitForStderr("\"tool\":\"restore_entities\""))
        let audit = auditLines(mcp.stderrText)
        #expect(audit.compactMap { $0["tool"]?.stringValue } == ["quarantine_entities", "restore_entities"])
        #expect(!mcp.stderrText.contains("Your account has been limited"))
    }
}
