import CheckPointAPI
import Foundation

/// Security events by id, for write previews and for ids that name an event rather than an email:
/// `POST /event/query` filtered by `eventIds` over the whole retention (a start far back), in batches of
/// `HECAPI.maxActionBatch` ids, each read by the one HEC walk (`ScrollWalk`: a lost continuation re-reads, a
/// scroll handle is never sent twice). Ids the API does not return are absent; a batch that fails part-way
/// throws, so that an id not read is never taken for one that does not exist.
enum EventLookup {
    /// Retention reaches back less than this: 2000-01-01.
    static let retentionStart = Date(timeIntervalSince1970: 946_684_800)

    static func events(_ ids: [String], hec: HECAPI, scopes: [String] = []) async throws -> [ActionTargetEvent] {
        var found: [ActionTargetEvent] = []
        var seen = Set<String>()
        for start in stride(from: 0, to: ids.count, by: HECAPI.maxActionBatch) {
            let chunk = Array(ids[start..<min(start + HECAPI.maxActionBatch, ids.count)])
            var query = EventQuery(start: retentionStart, end: hec.client.time.date)
            query.eventIds = chunk
            query.scopes = scopes
            let walk = ScrollWalk<HECEvent>(fetch: GetSecurityEvents.pages(query, hec: hec), time: { $0.created }, id: \.eventId, progress: { _, _ in })
            let out = try await walk.run(from: WalkPosition(window: TimeWindow(start: query.start, end: query.end)), limit: chunk.count)
            if out.reason == .pageFailed || out.reason == .deadline { throw out.failure ?? .noAnswer("the event lookup stopped part-way", service: .hec, endpoint: "POST /event/query") }
            for e in out.rows where !e.eventId.isEmpty && seen.insert(e.eventId).inserted {
                found.append(ActionTargetEvent(
                    eventID: e.eventId, entityID: e.entityId, customerID: e.customerId, type: e.type, state: e.state,
                    severity: e.severity.map { String($0.rawValue) }, created: e.created.map(CheckPointDate.iso8601),
                    sender: e.senderAddress, description: e.description))
            }
        }
        return found
    }
}
