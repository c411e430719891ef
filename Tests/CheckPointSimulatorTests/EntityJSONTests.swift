import Foundation
import Testing
@testable import CheckPointSimulator

/// The simulator's entities (Sources/CheckPointSimulator/Tenant/EntityJSON.swift) against the recorded
/// answers: same keys, nesting and JSON types, and the variants the recordings show.
@Suite("Simulator shapes: entities")
struct EntityJSONTests {
    static let hec = "/app/hec-api/v1.0"
    /// Declared simulator-only: search attributes the recordings lack, `cc` (no recorded email had one), and
    /// DLP match lists (recorded only empty, on clean mail). docs/simulator.md "Lenient extras".
    static let lenient = EntityJSON.simulatorOnlyPayloadKeys.map { "responseData[].entityPayload." + $0 }
        + ["responseData[].entityPayload.cc[]", "responseData[].entityPayload.ccUser[]",
           "responseData[].entitySecurityResult.dlp[].payload.found_text[]",
           "responseData[].entitySecurityResult.dlp[].payload.matches_dlp_rules[]",
           "responseData[].entitySecurityResult.dlp[].payload.scan_details[]"]

    /// Eight search pages over 30 days, so every variant (attachments, clicks, DLP, split) is in the sample: read
    /// once for the suite, as answer bodies (three tests read the same pages; each read rendered 800 entities).
    static let sample = Task<[Data], any Error> {
        let sim = SimFixture()
        let token = try await sim.http.token()
        var out: [Data] = []
        var scroll: String?
        for _ in 0..<8 {
            var rd: [String: Any] = ["entityFilter": ["saas": "office365_emails", "startDate": daysAgo(30)]]
            if let scroll { rd["scrollId"] = scroll }
            let r = try await sim.http.search(token, rd)
            out.append(r.body)
            scroll = r.envelope["scrollId"] as? String
            if scroll == nil || r.rows.isEmpty { break }
        }
        return out
    }

    /// The first `count` pages of `sample`, parsed.
    func pages(count: Int = 8) async throws -> [[String: Any]] {
        try await Self.sample.value.prefix(count).map { try #require(JSONSerialization.jsonObject(with: $0) as? [String: Any]) }
    }

    @Test("POST /search/query has the shape of the recorded search_emails page")
    func searchShape() async throws {
        let pages = try await pages()
        expectSameShape(recorded: [try FixtureFile.xsoar("search_emails")], sim: pages, lenient: Self.lenient)
    }

    @Test("GET /search/entity/{id} has the shape of the recorded get_entity answer")
    func entityShape() async throws {
        let sim = SimFixture()  // the same tenant as the sample's (one per seed and process)
        let token = try await sim.http.token()
        let rows = try await pages(count: 3).flatMap { ($0["responseData"] as? [[String: Any]]) ?? [] }
        // Like the recorded one: an email with malicious attachments.
        let malware = try #require(rows.first {
            ((($0["entitySecurityResult"] as? [String: Any])?["combinedVerdict"] as? [String: Any])?["av"] as? String) == "malicious"
        })
        let id = try #require((malware["entityInfo"] as? [String: Any])?["entityId"] as? String)
        let one = try await sim.http.call("GET", "\(Self.hec)/search/entity/\(id)", token: token)
        // Every recorded key of the single read; beyond them only what the recorded search page shows of the
        // same entity object (e.g. customerOem, entityActions items).
        var searchShape = JSONShape()
        searchShape.add(try FixtureFile.xsoar("search_emails"), "")
        expectSameShape(recorded: [try FixtureFile.xsoar("get_entity")], sim: [one.object],
                        lenient: Self.lenient, allowed: Set(searchShape.types.keys))
    }

    @Test("the recorded variants appear: [] available actions, null engine lists, string scores, split masters, toUser mail null")
    func variants() async throws {
        let rows = try await pages().flatMap { ($0["responseData"] as? [[String: Any]]) ?? [] }
        #expect(rows.count >= 500)
        #expect(rows.allSatisfy { ($0["entityAvailableActions"] as? [Any])?.isEmpty == true })
        let security = rows.compactMap { $0["entitySecurityResult"] as? [String: Any] }
        for engine in ["dlp", "clicktimeProtection", "av"] {
            // A tool's list is null exactly when its combined verdict is null.
            #expect(security.allSatisfy { s in
                let verdict = (s["combinedVerdict"] as? [String: Any])?[engine]
                return (verdict is NSNull) == (s[engine] is NSNull)
            }, "\(engine)")
            #expect(security.contains { $0[engine] is NSNull }, "\(engine) never null")
        }
        let scores = security.flatMap { s in ["ap", "av", "dlp", "shadowIt", "clicktimeProtection"].flatMap { (s[$0] as? [[String: Any]]) ?? [] } }
        #expect(scores.allSatisfy { $0["score"] is String && $0["statusCode"] is String })
        let payloads = rows.compactMap { $0["entityPayload"] as? [String: Any] }
        #expect(payloads.contains { $0["emailSplit"] as? String == "split" })
        #expect(payloads.allSatisfy { ($0["toUser"] as? [[String: Any]])?.allSatisfy { $0["mail"] is NSNull && $0["entity_id"] is String } == true })
        #expect(payloads.allSatisfy { ($0["fromUser"] as? [String: Any])?.isEmpty == true })
        #expect(payloads.contains { $0["replyToEmail"] is NSNull } && payloads.contains { $0["replyToEmail"] is String })
        let clicks = security.flatMap { ($0["clicktimeProtection"] as? [[String: Any]]) ?? [] }
            .filter { $0["securityResultEntityType"] as? String == "clicktime_protection_scan_clicks" }
        #expect(!clicks.isEmpty)
        let av = security.flatMap { ($0["av"] as? [[String: Any]]) ?? [] }
        #expect(!av.isEmpty && av.allSatisfy { ($0["entityId"] as? String)?.count == 40 && $0["entityType"] as? String == "office365_emails_attachment" })
    }

    @Test("AP reasons agree with the data: no SPF reason unless SPF failed, no Reply-To reason when it is the sender's domain")
    func reasonsFromData() async throws {
        let rows = try await pages().flatMap { ($0["responseData"] as? [[String: Any]]) ?? [] }
        var checked = 0
        for row in rows {
            let p = try #require(row["entityPayload"] as? [String: Any])
            let ap = ((row["entitySecurityResult"] as? [String: Any])?["ap"] as? [[String: Any]])?.first
            let byCategory = ((ap?["payload"] as? [String: Any])?["reasons_by_category"] as? [String: [[String: Any]]]) ?? [:]
            let texts = byCategory.values.flatMap { $0 }.compactMap { $0["short_text"] as? String }
            if texts.contains(where: { $0.hasPrefix("SPF check failed") }) {
                checked += 1
                #expect(["fail", "softfail"].contains(p["SpfResult"] as? String), "\(texts)")
            }
            if texts.contains(where: { $0.hasPrefix("Reply-to") }) {
                checked += 1
                let reply = try #require(p["replyToEmail"] as? String)
                #expect(reply.split(separator: "@").last?.lowercased() != (p["fromDomain"] as? String)?.lowercased())
            }
        }
        #expect(checked > 0)
    }
}
