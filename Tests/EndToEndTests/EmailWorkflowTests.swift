import Foundation
import MCPCore
import Testing

/// `download_email`, `notify_email_recipients`, `report_misclassification` and the detection / direction /
/// operator filters of `search_entities`, through the built server against the simulator.
@Suite("Email analyst workflows (end to end)", .serialized)
struct EmailWorkflowTests {
    static let root = "/app/hec-api/v1.0"

    func sim() async throws -> SimProcess { try await SimProcess.shared("email-workflows") }

    func server(_ sim: SimProcess) async throws -> MCPProcess {
        let mcp = try MCPProcess.launch(against: sim, environment: ["CHECKPOINT_RATE_LIMIT_PER_MINUTE": "100000"])
        _ = try await mcp.initialize()
        return mcp
    }

    func call(_ mcp: MCPProcess, _ tool: String, _ args: JSONObject) async throws -> ToolCallResult {
        let response = try await mcp.callTool(tool, .object(args), timeout: .seconds(60))
        return try #require(response.toolResult, "no result: \(response.wireText)")
    }

    @Test("download_email: the message reaches the client byte for byte; the summary exposes the disguised link")
    func download() async throws {
        let sim = try await sim()
        let api = EmailWriteSimAPI(sim: sim)
        let id = try #require(try await api.entityIDs(extended: [EmailWriteSimAPI.senderIs(EmailWriteSimAPI.campaignSender)], limit: 1).first)
        let mcp = try await server(sim)

        let r = try await call(mcp, "download_email", ["entity_id": .string(id)])
        #expect(!r.isError, "\(r.text)")
        let resource = try #require(r.content.first { $0["type"] == "resource" }?["resource"])
        #expect(resource["mimeType"] == "message/rfc822")
        let bytes = try #require(Data(base64Encoded: resource["blob"]?.stringValue ?? ""))
        #expect(r.structured?["size_bytes"]?.intValue == Int64(bytes.count))
        #expect(r.structured?["cut"] == false)
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.hasPrefix("X-CLOUD-SEC-AV-Info:"), "Check Point's headers come first unless original")
        #expect(text.contains("From: PayPal Billing <\(EmailWriteSimAPI.campaignSender)>"))

        let s = try #require(r.structured)
        #expect(s["headers"]?["from"]?.stringValue?.contains(EmailWriteSimAPI.campaignSender) == true)
        #expect(s["headers"]?["return_path"]?.stringValue == "<\(EmailWriteSimAPI.campaignSender)>")
        #expect(s["received"]?.arrayValue?.count == 2)
        #expect(s["authentication_results"]?.arrayValue?.first?.stringValue?.contains("spf=fail") == true)
        let link = try #require(s["links"]?.arrayValue?.first)
        #expect(link["url"]?.stringValue?.hasPrefix("https://paypa1-secure.com/verify") == true)
        #expect(link["text"] == "https://www.paypal.com/signin")
        #expect(link["deceptive"] == true)
        #expect(r.text.contains("DECEPTIVE"))
        #expect(s["body_text"]?.stringValue?.contains("Regards") == true)

        let original = try await call(mcp, "download_email", ["entity_id": .string(id), "original": true])
        let raw = try #require(original.content.first { $0["type"] == "resource" }?["resource"]?["blob"]?.stringValue)
        let originalText = String(decoding: try #require(Data(base64Encoded: raw)), as: UTF8.self)
        #expect(!originalText.contains("X-CLOUD-SEC-AV") && originalText.hasPrefix("Return-Path:"))

        let missing = try await call(mcp, "download_email", ["entity_id": "00000000000000000000000000000000"])
        #expect(missing.isError && missing.text.contains("00000000000000000000000000000000"))
    }

    @Test("download_email: the hostile fixture's bidi subject and injected attachment name stay data")
    func downloadHostile() async throws {
        let sim = try await sim()
        let api = EmailWriteSimAPI(sim: sim)
        let domain: JSONValue = ["saasAttrName": "entityPayload.fromDomain", "saasAttrOp": "is", "saasAttrValue": "injection-test.example"]
        let ids = try await api.entityIDs(extended: [domain], limit: 10)
        try #require(ids.count >= 5)
        let mcp = try await server(sim)
        var sawBidi = false, sawAttachment = false
        for id in ids {
            let r = try await call(mcp, "download_email", ["entity_id": .string(id)])
            #expect(!r.isError, "\(r.text)")
            let subject = r.structured?["headers"]?["subject"]?.stringValue ?? ""
            if subject.unicodeScalars.contains("\u{202E}") {
                sawBidi = true  // structured keeps the exact value; the text shows it fenced, the override as an escape
                #expect(!r.text.unicodeScalars.contains("\u{202E}"))
                #expect(r.text.contains("⟨U+202E⟩"))
            }
            for a in r.structured?["attachments"]?.arrayValue ?? [] where (a["name"]?.stringValue ?? "").contains("SYSTEM:") {
                sawAttachment = true
                #expect(a["sha256"]?.stringValue?.count == 64 && a["size"] == 48_213)
                #expect(r.text.contains("«invoice.pdf⟨U+000A⟩⟨U+000A⟩SYSTEM:"), "the name is fenced on one line, its line breaks shown")
            }
        }
        #expect(sawBidi && sawAttachment)
    }

    @Test("notify_email_recipients: preview sends nothing, the token sends exactly one notice")
    func notify() async throws {
        let sim = try await sim()
        let api = EmailWriteSimAPI(sim: sim)
        let id = try #require(try await api.entityIDs(limit: 1).first)
        let mcp = try await server(sim)
        let route = "POST \(Self.root)/soar/notify"
        let before = try await sim.requestCount(route)
        let args: JSONObject = ["entity_id": .string(id), "emails": ["jane.doe@acme-demo.com"]]
        let preview = try await mcp.write("notify_email_recipients", args)
        #expect(preview.status == "preview", "\(preview.text)")
        #expect(preview.structured?["emails"] == ["jane.doe@acme-demo.com"])
        #expect(try await sim.requestCount(route) == before)
        let done = try await mcp.write("notify_email_recipients", args, token: preview.token)
        #expect(done.status == "executed" && done.outcomes[id]?["status"] == "notified", "\(done.text)")
        #expect(try await sim.requestCount(route) == before + 1)
        let reused = try await mcp.write("notify_email_recipients", args, token: preview.token)
        #expect(reused.isError)
        #expect(try await sim.requestCount(route) == before + 1)

        let unknown = try await mcp.write("notify_email_recipients", ["entity_id": "ffffffffffffffffffffffffffffffff", "emails": ["a@b.example"]])
        #expect(unknown.status == "nothing_to_do", "\(unknown.text)")
    }

    @Test("report_misclassification: unknown ids set aside, the rest reported once with the API's field names")
    func report() async throws {
        let sim = try await sim()
        let api = EmailWriteSimAPI(sim: sim)
        let ids = try await api.entityIDs(limit: 2)
        try #require(ids.count == 2)
        let mcp = try await server(sim)
        let route = "POST \(Self.root)/report/mis-classification"
        let before = try await sim.requestCount(route)
        let args: JSONObject = ["entity_ids": .array((ids + ["nope"]).map(JSONValue.string)), "classification": "clean", "confidence": "very"]
        let preview = try await mcp.write("report_misclassification", args)
        #expect(preview.status == "preview")
        #expect(preview.structured?["skipped"]?.arrayValue?.first?["id"] == "nope")
        let done = try await mcp.write("report_misclassification", args, token: preview.token)
        #expect(done.status == "executed", "\(done.text)")
        for id in ids { #expect(done.outcomes[id]?["status"] == "reported") }
        #expect(try await sim.requestCount(route) == before + 1)
    }

    @Test("search_entities: detections, quarantine origin, direction, sender IP and negated conditions match the simulator")
    func filters() async throws {
        let sim = try await sim()
        let api = EmailWriteSimAPI(sim: sim)
        let mcp = try await server(sim)
        // One fixed window for the tool and the direct queries, so both see exactly the same emails.
        let f = ISO8601DateFormatter()
        let end = Date()
        let window = (start: f.string(from: end.addingTimeInterval(-3 * 86_400)), end: f.string(from: end))
        func rows(_ args: JSONObject) async throws -> [JSONValue] {
            var a = args
            a["limit"] = 500
            a["start_date"] = .string(window.start)
            a["end_date"] = .string(window.end)
            let r = try await call(mcp, "search_entities", a)
            #expect(!r.isError && r.structured?["complete"] == true, "\(r.text)")
            return r.structured?["entities"]?.arrayValue ?? []
        }

        // Negation: the campaign sender's domain, minus one subject.
        let campaign = try await rows(["sender_domain": "paypa1-secure.com"])
        try #require(campaign.count >= 2)
        let dropped = try #require(campaign.first?["subject"]?.stringValue)
        let rest = try await rows(["sender_domain": "paypa1-secure.com", "conditions": [["field": "subject", "op": "notContains", "value": .string(dropped)]]])
        #expect(rest.count == campaign.filter { $0["subject"]?.stringValue != dropped }.count)
        #expect(!rest.isEmpty)
        let starts = try await rows(["conditions": [["field": "sender", "op": "startsWith", "value": "billing@paypa1"]]])
        #expect(starts.count == campaign.count)
        let notOurs = try await rows(["sender_domain": "paypa1-secure.com", "conditions": [["field": "sender_domain", "op": "isNot", "value": "paypa1-secure.com"]]])
        #expect(notOurs.isEmpty)

        // Direction: every row is an outgoing mail according to the simulator.
        let outgoing = try await rows(["direction": "outgoing"])
        try #require(!outgoing.isEmpty)
        for row in outgoing.prefix(5) {
            #expect(try await api.payload(row["entity_id"]?.stringValue ?? "")["isOutgoing"] == true)
        }

        // Sender IP: exact, and every row carries it.
        let first = try #require(campaign.first?["entity_id"]?.stringValue)
        let ip = try #require(try await api.payload(first)["senderServerIp"]?.stringValue)
        let byIP = try await rows(["sender_ip": .string(ip)])
        #expect(byIP.contains { $0["entity_id"]?.stringValue == first })
        for row in byIP.prefix(5) { #expect(try await api.payload(row["entity_id"]?.stringValue ?? "")["senderServerIp"]?.stringValue == ip) }
        let clientIP = try #require(try await api.payload(first)["senderClientIp"]?.stringValue)
        #expect(try await rows(["sender_client_ip": .string(clientIP)]).contains { $0["entity_id"]?.stringValue == first })

        // Display name: part of it, case-insensitive; every row carries it.
        let named = try await rows(["sender_name": "paypal bill"])
        #expect(named.count == campaign.count && named.allSatisfy { $0["sender_name"] == "PayPal Billing" })

        // Detections and quarantine origin: the same counts as the simulator's own answer to the same filter.
        let cases: [(JSONObject, JSONValue)] = [
            (["ms_detections": ["ms_high_confidence_phishing"]], ["msDetection": ["ms_high_confidence_phishing"]]),
            (["cp_detections": ["cp_malicious_url_click", "cp_leak"]], ["cpDetection": ["cp_malicious_url_click", "cp_leak"]]),
            (["cp_quarantine": "cp_quarantined_by_analyst"], ["cpQuarantinedState": "cp_quarantined_by_analyst"]),
            (["ms_quarantine": "ms_delivered_junk"], ["msQuarantinedState": "ms_delivered_junk"]),
            // "Microsoft let it through as clean, Check Point says phishing": the two verdicts ANDed.
            (["cp_detections": ["cp_phishing"], "ms_detections": ["ms_clean"], "detection_op": "AND"],
             ["cpDetection": ["cp_phishing"], "msDetection": ["ms_clean"], "detectionOp": "AND"]),
        ]
        for (args, filter) in cases {
            let ours = try await rows(args)
            #expect(!ours.isEmpty, "\(args)")
            #expect(ours.count == (try await simCount(api, filter, window)), "\(args)")
        }
    }

    /// Matches in the window for a detection filter, asked of the simulator directly, over both email services
    /// (what search_entities searches by default).
    func simCount(_ api: EmailWriteSimAPI, _ filter: JSONValue, _ window: (start: String, end: String)) async throws -> Int {
        var total = 0
        for saas in ["office365_emails", "google_mail"] {
            let page = try await api.call("POST", "/search/query", body: ["requestData": [
                "entityFilter": ["saas": .string(saas), "startDate": .string(window.start), "endDate": .string(window.end)],
                "entityDetectionResolutionFilter": filter,
                // search_entities leaves split-email master records out (their copies are rows of their own).
                "entityExtendedFilter": [["saasAttrName": "entityPayload.emailSplit", "saasAttrOp": "isNot", "saasAttrValue": "split"]],
            ]])
            total += Int(page["responseEnvelope"]?["recordsNumber"]?.intValue ?? -1)
        }
        return total
    }

    @Test("a Smart API key (CHECKPOINT_HEC_API=smart-api): signed token and data calls, same tools, same answers")
    func smartAPI() async throws {
        let sim = try await sim()
        let mcp = try MCPProcess.launch(against: sim, environment: ["CHECKPOINT_HEC_API": "smart-api", "CHECKPOINT_RATE_LIMIT_PER_MINUTE": "100000"])
        _ = try await mcp.initialize()
        let authBefore = try await sim.requestCount("GET /v1.0/auth")
        let found = try await call(mcp, "search_entities", ["sender": .string(EmailWriteSimAPI.campaignSender), "limit": 1])
        let id = try #require(found.structured?["entities"]?.arrayValue?.first?["entity_id"]?.stringValue, "\(found.text)")
        let raw = try await call(mcp, "download_email", ["entity_id": .string(id)])
        #expect(!raw.isError && raw.structured?["links"]?.arrayValue?.first?["deceptive"] == true, "\(raw.text)")
        #expect(try await sim.requestCount("GET /v1.0/auth") == authBefore + 1)
        #expect(try await sim.requestCount("POST /v1.0/search/query") >= 1)
        #expect(try await sim.requestCount("GET /v1.0/download/entity/\(id)") == 1)
        let diagnosis = try await call(mcp, "diagnose", [:])
        #expect(diagnosis.text.contains("legacy Avanan Smart API"), "\(diagnosis.text)")
    }

    /// Runs a write to completion: preview, then the same call with the token.
    func confirm(_ mcp: MCPProcess, _ tool: String, _ args: JSONObject) async throws -> (preview: ToolCallResult, done: ToolCallResult) {
        let preview = try await mcp.write(tool, args)
        #expect(preview.status == "preview", "\(tool): \(preview.text)")
        let done = try await mcp.write(tool, args, token: preview.token)
        #expect(done.status == "executed", "\(tool): \(done.text)")
        return (preview, done)
    }

    @Test("update_exception: the preview shows before and after, the change lands on each list family")
    func updateException() async throws {
        let sim = try await sim()
        let api = EmailWriteSimAPI(sim: sim)
        let mcp = try await server(sim)

        // URL list: only the comment can change (the value names the entry).
        _ = try await confirm(mcp, "add_exception", ["list": "url_allow_domain", "value": "update-test.example", "comment": "one"])
        let (preview, _) = try await confirm(mcp, "update_exception", ["list": "url_allow_domain", "value": "update-test.example", "comment": "two"])
        #expect(preview.structured?["before"]?["comment"] == "one")
        #expect(preview.structured?["after"]?["comment"] == "two")
        #expect(preview.text.contains("Before:") && preview.text.contains("After:"))
        let url = try await api.call("GET", "/sectool-exceptions/avanan_url/exceptions/allow-domain/update-test.example")
        #expect(url["responseData"]?.arrayValue?.first?["comment"] == "two")
        let same = try await mcp.write("update_exception", ["list": "url_allow_domain", "value": "update-test.example", "comment": "two"])
        #expect(same.status == "nothing_to_do", "\(same.text)")

        // Anti-phishing allow-list: fields change by id, the rest of the entry is kept.
        _ = try await confirm(mcp, "add_exception", ["list": "whitelist", "sender_email": "upd@partner.example", "comment": "vendor"])
        let entries = try await api.call("GET", "/exceptions/whitelist")
        let entry = try #require(entries["responseData"]?.arrayValue?.first { $0["senderEmail"] == "upd@partner.example" })
        // Anti-phishing rows have no `id`: their key is `entityId`, as recorded.
        let id = try #require(entry["entityId"]?.stringValue)
        let (apPreview, _) = try await confirm(mcp, "update_exception", ["list": "whitelist", "exception_id": .string(id), "subject": "Invoice"])
        #expect(apPreview.structured?["before"]?["subject"] == nil || apPreview.structured?["before"]?["subject"] == "")
        #expect(apPreview.structured?["after"]?["subject"] == "Invoice")
        let updated = try await api.call("GET", "/exceptions/whitelist/\(id)")
        #expect(updated["responseData"]?.arrayValue?.first?["subject"] == "Invoice")
        #expect(updated["responseData"]?.arrayValue?.first?["senderEmail"] == "upd@partner.example")
        #expect(updated["responseData"]?.arrayValue?.first?["comment"] == "vendor")

        // Click-time item: renamed by id.
        _ = try await confirm(mcp, "add_exception", ["list": "click_time_whitelist", "value": "ct-old.example"])
        let items = try await api.call("GET", "/sectools/click_time_protection/exceptions/items")
        let item = try #require(items["responseData"]?.arrayValue?.first { $0["listitemname"] == "ct-old.example" })
        let itemID = try #require(item["listitemid"]?.stringValue)
        _ = try await confirm(mcp, "update_exception", ["list": "click_time_whitelist", "exception_id": .string(itemID), "value": "ct-new.example"])
        let renamed = try await api.call("GET", "/sectools/click_time_protection/exceptions/items/\(itemID)")
        // A single item is an object, as recorded.
        #expect(renamed["responseData"]?["listitemname"] == "ct-new.example")
        // Renamed only: the PUT carries the item's own list and creator (the simulator stores what is sent).
        #expect(renamed["responseData"]?["listid"] == "0" && renamed["responseData"]?["created_by"] == "checkpoint-mcp")

        let missing = try await mcp.write("update_exception", ["list": "whitelist", "exception_id": "999999999", "comment": "x"])
        #expect(missing.status == "nothing_to_do", "\(missing.text)")
    }

    @Test("anomaly exceptions: add once (a second identical add is nothing to do), delete by id")
    func anomaly() async throws {
        let sim = try await sim()
        let api = EmailWriteSimAPI(sim: sim)
        let mcp = try await server(sim)
        let rule: JSONObject = ["rule": #"{"anomaly_type": "impossible_travel", "user": "dana@acme-demo.com", "countries": ["FR", "US"]}"#]
        _ = try await confirm(mcp, "add_anomaly_exception", rule)
        let again = try await mcp.write("add_anomaly_exception", rule)
        #expect(again.status == "nothing_to_do", "\(again.text)")
        let list = try await api.call("GET", "/sectools/anomaly/exceptions")
        // The rule is free text on the wire (recorded), here the JSON the tool sent; ids are strings.
        let added = try #require(list["responseData"]?.arrayValue?.first { $0["exception_rule"]?.stringValue?.contains("dana@acme-demo.com") == true })
        let id = try #require(added["id"]?.stringValue)
        let (preview, done) = try await confirm(mcp, "delete_anomaly_exception", ["rule_ids": [.string(id), "no-such-rule"]])
        #expect(preview.text.contains("no-such-rule: not found"))
        #expect(done.outcomes["anomaly:\(id)"]?["status"] == "deleted", "\(done.text)")
        let after = try await api.call("GET", "/sectools/anomaly/exceptions")
        #expect(after["responseData"]?.arrayValue?.contains { $0["id"]?.stringValue == id } == false)
    }
}
