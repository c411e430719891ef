import Foundation
import MCPCore
import Testing

/// Allow/block list writes through the built server against the simulator: `add_exception`,
/// `delete_exception`, and `restore_entities` with `add_to_allow_list`.
@Suite("Email write tools: allow/block lists (end to end)", .serialized)
struct EmailWriteExceptionsTests {
    func sim() async throws -> SimProcess { try await SimProcess.shared("email-write-exceptions") }

    func server(_ sim: SimProcess) async throws -> MCPProcess {
        let mcp = try MCPProcess.launch(against: sim, environment: ["CHECKPOINT_RATE_LIMIT_PER_MINUTE": "100000"])
        try await mcp.initialize()
        return mcp
    }

    @Test("restore with allow-listing: restored, sender added once to the anti-phishing allow-list")
    func restoreWithAllowList() async throws {
        let sim = try await sim()
        let api = EmailWriteSimAPI(sim: sim)
        let ids = try await api.entityIDs(days: 9, extended: [EmailWriteSimAPI.flag("isRestoreRequested", true)], limit: 2)
        try #require(ids.count == 2)
        let mcp = try await server(sim)
        let args: JSONObject = ["entity_ids": .array(ids.map(JSONValue.string)), "add_to_allow_list": true]
        let preview = try await mcp.write("restore_entities", args)
        #expect(preview.status == "preview", "\(preview.text)")
        #expect((preview.structured?["allow_list"]?.arrayValue ?? []).count >= 1)
        let done = try await mcp.write("restore_entities", args, token: try #require(preview.token) as String)
        #expect(done.status == "executed", "\(done.text)")
        for id in ids {
            #expect(done.outcomes[id]?["status"] == "submitted")
            #expect(try await api.isQuarantined(id) == false)
        }
        let senders = done.structured?["allow_list"]?.arrayValue ?? []
        #expect(!senders.isEmpty)
        #expect(senders.allSatisfy { $0["status"] == "added" }, "\(done.text)")
        let list = try await api.call("GET", "/exceptions/whitelist")
        let listed = (list["responseData"]?.arrayValue ?? []).compactMap { ($0["senderEmail"] ?? $0["sender_email"])?.stringValue?.lowercased() }
        for s in senders { #expect(listed.contains(s["sender"]?.stringValue ?? "?")) }
    }

    @Test("allow/block lists: add previews the exact entry, adds it once, delete removes it")
    func exceptions() async throws {
        let sim = try await sim()
        let api = EmailWriteSimAPI(sim: sim)
        let mcp = try await server(sim)
        let add: JSONObject = ["list": "url_block_domain", "value": "evil-test-domain.example", "comment": "e2e"]
        let preview = try await mcp.write("add_exception", add)
        #expect(preview.status == "preview", "\(preview.text)")
        #expect(preview.structured?["entry"]?["exceptionStr"] == "evil-test-domain.example")
        #expect(preview.structured?["entry"]?["exceptionType"] == "block-domain")
        let added = try await mcp.write("add_exception", add, token: try #require(preview.token) as String)
        #expect(added.outcomes.values.first?["status"] == "added", "\(added.text)")
        let again = try await mcp.write("add_exception", add)
        #expect(again.status == "nothing_to_do", "\(again.text)")

        let del: JSONObject = ["list": "url_block_domain", "value": "evil-test-domain.example"]
        let delPreview = try await mcp.write("delete_exception", del)
        #expect(delPreview.status == "preview", "\(delPreview.text)")
        let deleted = try await mcp.write("delete_exception", del, token: try #require(delPreview.token) as String)
        #expect(deleted.outcomes.values.first?["status"] == "deleted", "\(deleted.text)")
        let gone = try await api.call("GET", "/sectool-exceptions/avanan_url/exceptions/block-domain/evil-test-domain.example")
        let goneRows = gone["responseData"]?.arrayValue ?? []
        #expect(goneRows.isEmpty)

        let ap: JSONObject = ["list": "blacklist", "sender_email": "fraud@phish-test.example"]
        let apPreview = try await mcp.write("add_exception", ap)
        let apDone = try await mcp.write("add_exception", ap, token: try #require(apPreview.token) as String)
        #expect(apDone.outcomes.values.first?["status"] == "added", "\(apDone.text)")
    }

}
