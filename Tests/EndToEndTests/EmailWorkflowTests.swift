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
                sawBidi = true  // structured keeps the exact value; the text shows it fenced and without the override
                #expect(!r.text.unicodeScalars.contains("\u{202E}"))
            }
            for a in r.structured?["attachments"]?.arrayValue ?? [] where (a["name"]?.stringValue ?? "").contains("SYSTEM:") {
                sawAttachment = true
                #expect(a["sha256"]?.stringValue?.count == 64 && a["size"] == 48_213)
                #expect(r.text.contains("«invoice.pdf SYSTEM:"), "the name is fenced on one line")
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

        // Detections and quarantine origin: the same counts as the simulator's own answer to the same filter.
        let cases: [(JSONObject, JSONValue)] = [
            (["ms_detections": ["ms_high_confidence_phishing"]], ["msDetection": ["ms_high_confidence_phishing"]]),
            (["cp_detections": ["cp_malicious_url_click", "cp_leak"]], ["cpDetection": ["cp_malicious_url_click", "cp_leak"]]),
            (["cp_quarantine": "cp_quarantined_by_analyst"], ["cpQuarantinedState": "cp_quarantined_by_analyst"]),
            (["ms_quarantine": "ms_delivered_junk"], ["msQuarantinedState": "ms_delivered_junk"]),
        ]
        for (args, filter) in cases {
            let ours = try await rows(args)
            #expect(!ours.isEmpty, "\(args)")
            #expect(ours.count == (try await simCount(api, filter, window)), "\(args)")
        }
    }

    /// Matches in the window for a detection filter, asked of the simulator directly.
    func simCount(_ api: EmailWriteSimAPI, _ filter: JSONValue, _ window: (start: String, end: String)) async throws -> Int {
        let page = try await api.call("POST", "/search/query", body: ["requestData": [
            "entityFilter": ["saas": "office365_emails", "startDate": .string(window.start), "endDate": .string(window.end)],
            "entityDetectionResolutionFilter": filter,
        ]])
        return Int(page["responseEnvelope"]?["recordsNumber"]?.intValue ?? -1)
    }
}
