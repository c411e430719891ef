import MCPCore
import Testing

@testable import CheckPointTools

/// Ids of the seeded email fixtures, found through the read tools as an agent would.
enum EmailFixtures {
    static let campaignSender = "billing@paypa1-secure.com"
    static let unknownID = "0000000000000000000000000000dead"

    /// Entity ids of the phishing campaign (not quarantined, office365_emails), newest window first.
    static func campaign(_ tenant: InProcessTenant, _ count: Int) async throws -> [String] {
        let r = try await tenant.call(SearchEntities.spec, ["sender": .string(campaignSender), "duration": "7d", "limit": .int(Int64(count))])
        let ids = (r.structured?["entities"]?.arrayValue ?? []).compactMap { $0["entity_id"]?.stringValue }
        try #require(ids.count == count, "\(r.text)")
        return ids
    }

    /// Entity ids of the quarantined emails with a pending restore request made in the last 15 days,
    /// newest request first (the seed has the six fixtures and generated ones).
    static func restoreRequests(_ tenant: InProcessTenant) async throws -> [String] {
        let r = try await tenant.call(ListRestoreRequests.spec, ["duration": "15d", "limit": 1000])
        let ids = (r.structured?["requests"]?.arrayValue ?? []).compactMap { $0["entity_id"]?.stringValue }
        try #require(ids.count >= 6, "\(r.text)")
        return ids
    }

    /// Security event ids from the last week.
    static func events(_ tenant: InProcessTenant, _ count: Int) async throws -> [String] {
        let r = try await tenant.call(GetSecurityEvents.spec, ["duration": "7d", "limit": .int(Int64(count))])
        let ids = (r.structured?["events"]?.arrayValue ?? []).compactMap { $0["event_id"]?.stringValue }
        try #require(ids.count == count, "\(r.text)")
        return ids
    }
}
