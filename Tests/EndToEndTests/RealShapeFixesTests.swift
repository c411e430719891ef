import Foundation
import MCPCore
import Testing

/// The fixes the recorded Check Point answers called for, through the built server against the simulator in
/// its real-shaped mode (oldest-first results, entityId-keyed exceptions, split emails, `[]` available actions).
@Suite("Real-shape fixes (end to end)", .serialized)
struct RealShapeFixesTests {
    static func server(_ sim: SimProcess, _ env: [String: String] = [:]) async throws -> MCPProcess {
        let mcp = try MCPProcess.launch(against: sim, environment: ["CHECKPOINT_RATE_LIMIT_PER_MINUTE": "100000"].merging(env) { $1 })
        try await mcp.initialize()
        return mcp
    }

    static func call(_ mcp: MCPProcess, _ tool: String, _ args: JSONValue) async throws -> ToolCallResult {
        let response = try await mcp.callTool(tool, args, timeout: .seconds(90))
        let r = try #require(response.toolResult, "no result: \(response.wireText)")
        #expect(!r.isError, "\(tool): \(r.text)")
        return r
    }

    static func ids(_ r: ToolCallResult, _ key: String = "entities") -> [String] {
        (r.structured?[key]?.arrayValue ?? []).compactMap { $0["entity_id"]?.stringValue ?? $0["event_id"]?.stringValue }
    }

    static func times(_ r: ToolCallResult, _ key: String, _ field: String) -> [String] {
        (r.structured?[key]?.arrayValue ?? []).compactMap { $0[field]?.stringValue }
    }

    @Test("\"7 days, limit 20\" gives the 20 newest, newest first, whichever order the gateway serves", arguments: ["oldest-first", "newest-first"])
    func newestFirst(order: String) async throws {
        // Oldest first is the simulator's default: the read-only default simulator serves it.
        let sim = order == "oldest-first" ? try await SimProcess.shared() : try await SimProcess.shared("order-\(order)", arguments: ["--order", order])
        let mcp = try await Self.server(sim)
        let end = ISO.now()
        let few = try await Self.call(mcp, "search_entities", ["verdict": "spam", "duration": "7d", "end_date": .string(end), "limit": 20])
        let all = try await Self.call(mcp, "search_entities", ["verdict": "spam", "duration": "7d", "end_date": .string(end), "limit": 2000])
        #expect(all.structured?["complete"] == true, "\(all.text)")
        let everything = Self.ids(all)
        #expect(everything.count > 40)
        #expect(Self.ids(few) == Array(everything.prefix(20)))
        // Rows come in Check Point's own order key, entityCreated, newest first, merged across both email
        // services; `received` (shown) precedes creation by up to 90 s in the simulator, so two services'
        // rows may show it up to 90 s out of step, never more.
        let received = Self.times(all, "entities", "received").compactMap(ISO.parse)
        #expect(received.count == everything.count)
        #expect(zip(received, received.dropFirst()).allSatisfy { $1 <= $0.addingTimeInterval(90) }, "rows are newest first")
        #expect(received.first.map { first in received.allSatisfy { $0 <= first.addingTimeInterval(90) } } == true)
        // Events over two days (every one of them read to be sure of the newest: over 7 days that read was most
        // of this test's CPU).
        let events = try await Self.call(mcp, "get_security_events", ["duration": "2d", "end_date": .string(end), "limit": 15])
        let allEvents = try await Self.call(mcp, "get_security_events", ["duration": "2d", "end_date": .string(end), "limit": 3000])
        #expect(allEvents.structured?["complete"] == true && Self.ids(allEvents, "events").count > 30, "\(allEvents.text.prefix(300))")
        #expect(Self.ids(events, "events") == Array(Self.ids(allEvents, "events").prefix(15)))
    }

    @Test("the same newest rows come back from both gateway orders")
    func sameRowsBothOrders() async throws {
        let oldest = try await SimProcess.shared()
        let newest = try await SimProcess.shared("order-newest-first", arguments: ["--order", "newest-first"])
        let end = ISO.now()
        let args: JSONValue = ["verdict": "spam", "duration": "14d", "end_date": .string(end), "limit": 25]
        let a = try await Self.call(try await Self.server(oldest), "search_entities", args)
        let b = try await Self.call(try await Self.server(newest), "search_entities", args)
        #expect(Self.ids(a).count == 25, "\(a.text.prefix(300))")
        #expect(Self.ids(a) == Self.ids(b))
    }

    @Test("no states asked for means every state: events of closed states come back too")
    func allEventStates() async throws {
        let sim = try await SimProcess.shared()
        let mcp = try await Self.server(sim)
        // Two days' newest 300 events hold every state (one in ten is dismissed, the seeded tenant the same each
        // run): 30 days and 3,000 events showed the same at ten times the server's decoding.
        let r = try await Self.call(mcp, "get_security_events", ["duration": "2d", "limit": 300])
        #expect((r.structured?["events"]?.arrayValue ?? []).count >= 100, "enough events to hold every state")
        let shared = r.structured?["row_defaults"]?["state"]?.stringValue  // rows leave out the state most share
        let states = Set((r.structured?["events"]?.arrayValue ?? []).compactMap { $0["state"]?.stringValue ?? shared })
        #expect(states.contains("remediated") || states.contains("dismissed") || states.contains("exception"), "\(states)")
        #expect(states.contains("new"))
    }

    @Test("anti-phishing entries are listed by entityId and deleted by exactly that key; an unknown key is not found")
    func exceptionsByEntityID() async throws {
        let sim = try await SimProcess.fresh("real-shape-fixes")
        let mcp = try await Self.server(sim)
        let listed = try await Self.call(mcp, "list_exceptions", ["list": "whitelist"])
        let entries = listed.structured?["lists"]?[0]?["entries"]?.arrayValue ?? []
        #expect(entries.count >= 2)
        #expect(entries.allSatisfy { ($0["id"]?.stringValue).flatMap { Int($0) } != nil }, "ids are the numeric entityIds")
        let entry = try #require(entries.first { $0["fields"]?["sender_email"] != nil })
        let key = try #require(entry["id"]?.stringValue)
        let args: JSONObject = ["list": "whitelist", "exception_id": .string(key)]
        let preview = try await mcp.write("delete_exception", args)
        #expect(preview.status == "preview", "\(preview.text)")
        #expect(preview.structured?["entry"]?["entity_id"]?.stringValue == key)
        let done = try await mcp.write("delete_exception", args, token: try #require(preview.token) as String)
        #expect(done.outcomes["whitelist:\(key)"]?["status"] == "deleted", "\(done.text)")
        let after = try await Self.call(mcp, "list_exceptions", ["list": "whitelist"])
        #expect(!(after.structured?["lists"]?[0]?["entries"]?.arrayValue ?? []).contains { $0["id"]?.stringValue == key })
        let unknown = try await mcp.write("delete_exception", ["list": "whitelist", "exception_id": "999999999"])
        #expect(unknown.status == "nothing_to_do" && unknown.text.contains("No such entry"), "\(unknown.text)")
        // An add preview of an entry that does not exist does not claim it is already there.
        let add = try await mcp.write("add_exception", ["list": "whitelist", "sender_email": .string("nobody-\(UUID().uuidString.prefix(8))@example.org")])
        #expect(add.status == "preview", "\(add.text)")
    }

    @Test("a paged exception list is followed to its last page before it is called complete")
    func pagedExceptionList() async throws {
        let sim = try await SimProcess.fresh("real-shape-fixes")
        let api = EmailWriteSimAPI(sim: sim)
        for n in 0..<230 {
            _ = try await api.call("POST", "/sectool-exceptions/avanan_url", body: ["requestData": [
                "exceptionType": "block-domain", "exceptionStr": .string("paged-\(n).example")]])
        }
        let mcp = try await Self.server(sim)
        let r = try await Self.call(mcp, "list_exceptions", ["list": "url_block_domain"])
        let list = r.structured?["lists"]?[0]
        #expect(list?["count"]?.intValue == 230, "\(r.text.prefix(300))")
        #expect(r.structured?["complete"] == true)
        let seen = Set((list?["entries"]?.arrayValue ?? []).compactMap { $0["value"]?.stringValue })
        #expect(seen.count == 230)
        #expect(r.text.contains("read in full"))
        #expect(try await sim.requestCount("GET /app/hec-api/v1.0/sectool-exceptions/avanan_url/exceptions/block-domain") == 3, "three pages of 100")
    }

    @Test("get_entity_details shows each engine's evidence: anti-malware detections, clicks; [] actions are not 'none possible'")
    func engineEvidence() async throws {
        let sim = try await SimProcess.shared()
        let mcp = try await Self.server(sim)
        let malware = try await Self.call(mcp, "search_entities", ["verdict": "malware", "duration": "30d", "limit": 1])
        let mid = try #require(Self.ids(malware).first)
        let details = try await Self.call(mcp, "get_entity_details", ["entity_id": .string(mid)])
        let av = (details.structured?["verdicts"]?.arrayValue ?? []).first { $0["engine"] == "av" }
        #expect(av?["verdict"] == "malicious")
        #expect((av?["reasons"]?.arrayValue ?? []).contains { $0.stringValue?.contains("detected Malicious file") == true }, "\(details.text)")
        #expect(details.text.contains("detected Malicious file"))
        #expect(details.text.contains("not listed by the API"))
        let phishing = try await Self.call(mcp, "search_entities", ["sender": "billing@paypa1-secure.com", "duration": "7d", "limit": 10])
        var sawClick = false
        for id in Self.ids(phishing) {
            let d = try await Self.call(mcp, "get_entity_details", ["entity_id": .string(id)])
            let ctp = (d.structured?["verdicts"]?.arrayValue ?? []).first { $0["engine"] == "clicktimeProtection" }
            if (ctp?["reasons"]?.arrayValue ?? []).contains(where: { $0.stringValue?.hasPrefix("click on https://paypa1-secure.com") == true }) {
                sawClick = true
                #expect(d.text.contains("click on"))
                break
            }
        }
        #expect(sawClick)
    }

    @Test("split emails: the master is left out of search rows and refused as an action target")
    func splitEmails() async throws {
        let sim = try await SimProcess.shared()
        let api = EmailWriteSimAPI(sim: sim)
        let masters = try await api.entityIDs(days: 30, extended: [["saasAttrName": "entityPayload.emailSplit", "saasAttrOp": "is", "saasAttrValue": "split"]], limit: 1)
        let master = try #require(masters.first)
        let messageID = try #require(try await api.payload(master)["internetMessageId"]?.stringValue)
        let mcp = try await Self.server(sim)
        // The master's own email (not a 3,000-row walk of 30 days, which cost 7 s of CPU for the same check).
        let found = try await Self.call(mcp, "search_entities", ["internet_message_id": .string(messageID), "duration": "30d"])
        #expect((found.structured?["split_masters_skipped"]?.intValue ?? 0) > 0, "\(found.text.prefix(400))")
        #expect(!Self.ids(found).isEmpty && !Self.ids(found).contains(master))
        let preview = try await mcp.write("quarantine_entities", ["entity_ids": [.string(master)]])
        #expect(preview.text.contains("split"), "\(preview.text)")
        #expect(preview.status != "preview" || preview.token == nil, "nothing to act on: \(preview.text)")
    }

    @Test("split emails: one email counted once (copies listed, master left out of rows and totals); actions go to the copies")
    func splitEmailCopies() async throws {
        let sim = try await SimProcess.fresh("real-shape-fixes")
        let api = EmailWriteSimAPI(sim: sim)
        let split: JSONValue = ["saasAttrName": "entityPayload.emailSplit", "saasAttrOp": "is", "saasAttrValue": "split"]
        let master = try #require(try await api.entityIDs(days: 30, extended: [split], limit: 1).first)
        let messageID = try #require(try await api.payload(master)["internetMessageId"]?.stringValue)
        let mcp = try await Self.server(sim)

        let r = try await Self.call(mcp, "search_entities", ["internet_message_id": .string(messageID), "duration": "30d", "limit": 100])
        let copies = Self.ids(r)
        #expect(copies.count == 2 && !copies.contains(master), "the two mailbox copies, not the master: \(r.text)")
        #expect(r.structured?["count"] == 2)
        #expect(r.structured?["split_masters_skipped"] == 1)
        #expect(r.structured?["complete"] == true, "\(r.text)")
        #expect(r.structured?["total_matching"] == 2, "the master is not counted as a third email: \(r.text)")
        #expect(!r.text.contains("of 3 matching") && !r.text.contains("3 match in total"), "\(r.text)")

        // The master among the targets is skipped with the reason; its copies are what gets quarantined.
        let args: JSONObject = ["entity_ids": .array(([master] + copies).map(JSONValue.string))]
        let preview = try await mcp.write("quarantine_entities", args)
        #expect(preview.status == "preview", "\(preview.text)")
        #expect(preview.text.contains("split"), "\(preview.text)")
        let done = try await mcp.write("quarantine_entities", args, token: try #require(preview.token, "\(preview.text)") as String)
        #expect(done.status == "executed", "\(done.text)")
        let sent = try await sim.requests(EmailWriteSimAPI.actionRoute)
        let acted = Set(sent.flatMap { req -> [String] in
            let body = (try? JSONValue.parse(Array((req["body"]?.stringValue ?? "").utf8))) ?? .null
            return (body["requestData"]?["entityIds"]?.arrayValue ?? []).compactMap(\.stringValue)
        })
        #expect(acted == Set(copies), "the action request names the copies only: \(acted)")
        for id in copies { #expect(try await api.isQuarantined(id), "\(id)") }
        #expect(try await api.isQuarantined(master) == false)
    }

    @Test("get_entity_details shows a DLP verdict's evidence: the matched rules and text, fenced")
    func dlpEvidence() async throws {
        let sim = try await SimProcess.shared()
        let api = EmailWriteSimAPI(sim: sim)
        let leak = try #require(try await api.entityIDs(days: 30, extended: [EmailWriteSimAPI.flag("isOutgoing", true)], limit: 1) {
            $0["entitySecurityResult"]?["combinedVerdict"]?["dlp"] == "leak"
        }.first, "the demo tenant has outgoing mail with a DLP leak")
        let mcp = try await Self.server(sim)
        let d = try await Self.call(mcp, "get_entity_details", ["entity_id": .string(leak)])
        let dlp = (d.structured?["verdicts"]?.arrayValue ?? []).first { $0["engine"] == "dlp" }
        #expect(dlp?["verdict"] == "leak", "\(d.text)")
        let reasons = (dlp?["reasons"]?.arrayValue ?? []).compactMap(\.stringValue)
        #expect(reasons.contains { $0.hasPrefix("DLP rules matched: ") && $0.contains("PCI - Credit Card Numbers") }, "\(reasons)")
        #expect(reasons.contains { $0.hasPrefix("DLP matched text: ") }, "\(reasons)")
        #expect(d.text.contains("«DLP rules matched: PCI - Credit Card Numbers»"), "shown, and fenced: \(d.text)")
    }

    @Test("list_restore_requests finds requests by request time, newest first, by state")
    func restoreRequests() async throws {
        let sim = try await SimProcess.fresh("real-shape-fixes")
        let mcp = try await Self.server(sim)
        // One start for both reads (a window ends now): "15d" taken per call moves its start between them, and a
        // request crossing it would be in the pending read and not in "all".
        let since = JSONValue.string(ISO8601DateFormatter().string(from: Date().addingTimeInterval(-15 * 86_400)))
        let pending = try await Self.call(mcp, "list_restore_requests", ["since": since])
        let rows = pending.structured?["requests"]?.arrayValue ?? []
        #expect(!rows.isEmpty, "\(pending.text)")
        #expect(rows.allSatisfy { $0["state"] == "pending" })
        let times = Self.times(pending, "requests", "requested_at")
        #expect(times == times.sorted(by: >))
        let all = try await Self.call(mcp, "list_restore_requests", ["since": since, "state": "all"])
        #expect((all.structured?["count"]?.intValue ?? 0) >= rows.count)
        // Shown times are whole seconds: one second after the newest request, none is newer.
        let first = try #require(times.first)
        let newest = try #require(ISO8601DateFormatter().date(from: first))
        let after = ISO8601DateFormatter().string(from: newest.addingTimeInterval(1))
        let recent = try await Self.call(mcp, "list_restore_requests", ["since": .string(after)])
        #expect(recent.structured?["count"]?.intValue == 0, "\(recent.text)")
        let before = ISO8601DateFormatter().string(from: newest.addingTimeInterval(-1))
        let latest = try await Self.call(mcp, "list_restore_requests", ["since": .string(before)])
        #expect(Self.ids(latest, "requests") == [rows[0]["entity_id"]?.stringValue].compactMap { $0 })

        // A request made today about mail 5.5 days old: found by request time, and missed by a search of the
        // last 24 hours of mail (what the window of search_entities filters on).
        let today = try await Self.call(mcp, "list_restore_requests", ["duration": "24h"])
        let wire = try #require((today.structured?["requests"]?.arrayValue ?? []).first { $0["subject"] == "Re: wire details" }, "\(today.text)")
        let received = try #require(wire["received"]?.stringValue.flatMap { ISO8601DateFormatter().date(from: $0) })
        #expect(received < Date().addingTimeInterval(-5 * 86_400), "the email is older than the window: \(wire)")
        let byMailDate = try await Self.call(mcp, "search_entities", ["restore_requested": true, "duration": "24h", "limit": 100])
        #expect(!Self.ids(byMailDate).contains(wire["entity_id"]?.stringValue ?? "?"))
    }

    @Test("the portal's Authentication URL pasted as CHECKPOINT_GATEWAY_URL works, with a note")
    func gatewayWithPath() async throws {
        let sim = try await SimProcess.shared()
        let mcp = try await Self.server(sim, ["CHECKPOINT_GATEWAY_URL": sim.baseURL.absoluteString + "/auth/external"])
        let r = try await Self.call(mcp, "list_scopes", [:])
        #expect((r.structured?["count"]?.intValue ?? 0) >= 1)
        let diag = try await Self.call(mcp, "diagnose", [:])
        #expect(diag.text.contains("only the gateway is used"), "\(diag.text)")
    }
}
