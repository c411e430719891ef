@testable import CheckPointAPI
import MCPCore
import Testing

@testable import CheckPointTools

/// Security events by id through the one HEC walk, against the in-process simulator.
@Suite("EventLookup")
struct EventLookupTests {
    static let route = "POST /app/hec-api/v1.0/event/query"

    @Test("one query per 100 ids over the whole retention; unknown ids are absent")
    func batches() async throws {
        let tenant = try InProcessTenant()
        let ids = try await EmailFixtures.events(tenant, 120)
        let before = tenant.gateway.sent(Self.route).count
        let wanted = ids + ["no-such-event"]
        let found = try await EventLookup.events(wanted, hec: tenant.env.hec)
        #expect(Set(found.map(\.eventID)) == Set(ids))
        #expect(found.allSatisfy { $0.entityID != nil && $0.created != nil })
        let sent = tenant.gateway.sent(Self.route).dropFirst(before)
        #expect(sent.count == 2, "100 ids, then 21: \(sent.count) queries")
        let data = sent.compactMap { $0.body?["requestData"] }
        #expect(data.map { $0["eventIds"]?.arrayValue?.count ?? 0 } == [100, 21])
        #expect(data.allSatisfy { $0["startDate"]?.stringValue?.hasPrefix("2000-01-01") == true })
    }

    @Test("a lookup that cannot be read throws: an id not read is never reported as not existing")
    func failureThrows() async throws {
        let tenant = try InProcessTenant()
        let ids = try await EmailFixtures.events(tenant, 2)
        tenant.gateway.stub(Self.route, .status(400, #"{"responseEnvelope": {"responseCode": 400, "responseText": "Bad Request"}}"#), count: 10)
        await #expect(throws: CheckPointError.self) { _ = try await EventLookup.events(ids, hec: tenant.env.hec) }
    }
}
