import Foundation
import MCPCore
import Testing

@testable import CheckPointAPI
@testable import CheckPointTools

/// `search_entities` over several SaaS on a fake gateway: each SaaS walked in turn, one cursor across them, and
/// the total counts every SaaS searched.
@Suite("SaasWalk")
struct SaasWalkTests {
    /// A fake `/search/query`: `counts` rows per SaaS, pages of 100 (or `pageSize`), scroll ids "saas:offset".
    static func fetch(_ counts: [String: Int], log: Log) -> SaasWalk.Fetch {
        { saas, _, _, scrollId, pageSize in
            await log.add(saas + (scrollId == nil ? " first" : " next"))
            let total = counts[saas] ?? 0
            let from = scrollId.flatMap { Int($0.split(separator: ":").last ?? "") } ?? 0
            let size = pageSize ?? 100
            let rows = (from..<min(total, from + size)).map { i in
                try! JSONDecoder().decode(HECEntity.self, from: Data(#"{"entityInfo": {"entityId": "\#(saas)-\#(i)", "saas": "\#(saas)"}}"#.utf8))
            }
            let next = from + rows.count < total ? "\(saas):\(from + rows.count)" : nil
            return HECResult(data: rows, recordsNumber: total, scrollId: next)
        }
    }

    actor Log {
        var calls: [String] = []
        func add(_ s: String) { calls.append(s) }
    }

    func start(_ args: JSONObject) throws -> WalkStart {
        try WalkStart(JSONArguments(args), tool: "search_entities", filterKeys: ["duration"])
    }

    @Test("both email services by default, in order, with their rows and the sum as total")
    func bothServices() async throws {
        let log = Log()
        let walk = SaasWalk(saas: HECEnums.emailSaas, fetch: Self.fetch(["office365_emails": 30, "google_mail": 20], log: log), time: { _ in nil }, progress: { _, _ in })
        let out = try await walk.run(from: try start(["duration": "7d", "limit": 100]))
        #expect(out.walk.rows.count == 50)
        #expect(out.walk.rows.first?.info.saas == "office365_emails" && out.walk.rows.last?.info.saas == "google_mail")
        #expect(out.walk.next == nil)
        #expect(out.total == 50)
    }

    @Test("stopping at limit in the first SaaS: the others are counted with one row each, the cursor continues")
    func limitThenContinue() async throws {
        let log = Log()
        let fetch = Self.fetch(["office365_emails": 150, "google_mail": 84], log: log)
        let walk = SaasWalk(saas: HECEnums.emailSaas, fetch: fetch, time: { _ in nil }, progress: { _, _ in })
        let first = try start(["duration": "7d", "limit": 120])
        let out = try await walk.run(from: first)
        #expect(out.walk.rows.count == 120)
        #expect(out.total == 234, "Gmail's 84 counted by a one-row probe")
        #expect(await log.calls == ["office365_emails first", "office365_emails next", "google_mail first"])
        let cursor = first.cursor(tool: "search_entities", next: try #require(out.walk.next), delivered: 120, total: out.total, saasIndex: out.nextSaas)
        let second = try WalkStart(JSONArguments(["cursor": .string(cursor), "limit": 500]), tool: "search_entities", filterKeys: [])
        let rest = try await walk.run(from: second)
        #expect(rest.walk.rows.count == 114, "30 more from Office 365, then all 84 from Gmail")
        #expect(rest.walk.next == nil)
        #expect(second.total(walkTotal: rest.total, complete: true, delivered: 114) == 234)
    }
}
