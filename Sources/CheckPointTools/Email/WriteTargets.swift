import CheckPointAPI
import Foundation
import MCPCore

/// One requested id resolved to an email (entity), with the scope an action on it must name.
struct TargetEntity: Sendable {
    /// The id as the caller gave it (an entity id, or an event id about the entity).
    var requested: String
    var viaEvent: String?
    var entity: ActionTargetEntity
    /// `farm:tenant`, or nil for a single-scope key (the API needs none then).
    var scope: String?
    var entityType: String { entity.entityType ?? ((entity.saas ?? "office365_emails") + "_email") }
}

/// A requested id the write will not act on, and why (a status word for the report and audit, and a text).
struct SkippedID: Sendable {
    var id: String
    var status: String
    var reason: String
}

/// What the preview found for a list of entity (or event) ids.
struct EntityResolution: Sendable {
    var targets: [TargetEntity] = []
    var skipped: [SkippedID] = []
    /// Ids whose state came from a search of this session (no request), and when the oldest was read.
    var fromSearch = 0
    var searchedAt: Date?
}

/// Resolution of ids for entity actions: the rows a search of this session just returned are reused as read
/// (no request), the rest looked up concurrently (with progress), event ids bridged to their entity with one
/// batched event query, duplicates folded, and the scope of each entity worked out.
///
/// Lookups that fail (rate budget, timeout, upstream) leave the id "not_checked": it is not acted on, so
/// nothing happens to an id the user has not seen in the preview.
enum WriteTargets {
    /// Lookups in flight per preview: the limiter's default ceiling per key (it still bounds them, and lowers
    /// them after a 429). 177 lookups at ~10 ms each: ~0.4 s; they were 168 s under the former 60/min cap.
    static let lookupConcurrency = 5
    /// Same words as `TextReport`'s demo line, for write texts that are not built with a `TextReport`.
    static let demoBanner = "[demo mode: simulated tenant data, no real Check Point tenant is contacted]"

    static func resolveEntities(
        _ requested: [String], scope: String?, hec: HECAPI, context: any ToolContext
    ) async throws -> EntityResolution {
        let ids = unique(requested)
        let scopes = try await scopesToUse(scope, hec: hec)
        var result = EntityResolution()
        var entities: [String: ActionTargetEntity] = [:]
        var failures: [String: String] = [:]

        for id in ids {
            guard let seen = hec.searchedEntity(id) else { continue }
            entities[id] = seen.entity
            result.fromSearch += 1
            result.searchedAt = min(result.searchedAt ?? seen.read, seen.read)
        }
        try await lookUp(ids.filter { entities[$0] == nil }, hec: hec, into: &entities, failures: &failures, context: context)

        // Ids that are not entities may be events about one: one batched query, then the entities behind them.
        let unknown = ids.filter { entities[$0] == nil && failures[$0] == nil }
        var eventToEntity: [String: String] = [:]
        if !unknown.isEmpty {
            do {
                for event in try await EventLookup.events(unknown, hec: hec) {
                    if let entityID = event.entityID { eventToEntity[event.eventID] = entityID }
                }
            } catch let e as CheckPointError where e.kind != .cancelled {
                for id in unknown { failures[id] = "event lookup failed: \(shortReason(e))" }
            }
            for entityID in Set(eventToEntity.values) where entities[entityID] == nil {
                if let seen = hec.searchedEntity(entityID) { entities[entityID] = seen.entity }
            }
            let behind = unique(eventToEntity.values.filter { entities[$0] == nil })
            try await lookUp(behind, hec: hec, into: &entities, failures: &failures, context: nil)
        }

        var seen: [String: String] = [:]  // entity id → requested id that first named it
        for id in ids {
            let viaEvent = eventToEntity[id] != nil ? id : nil
            let entityID = eventToEntity[id] ?? id
            if let failure = failures[id] ?? (viaEvent != nil ? failures[entityID] : nil) {
                result.skipped.append(SkippedID(id: id, status: "not_checked", reason: "could not be looked up (\(failure)); not acted on, call again for it"))
                continue
            }
            guard let entity = entities[entityID] else {
                result.skipped.append(SkippedID(id: id, status: "not_found", reason: "no email or security event with this id"))
                continue
            }
            if entity.isSplitMaster {
                let message = entity.internetMessageId.map { " (search_entities with internet_message_id \($0) lists them)" } ?? ""
                result.skipped.append(SkippedID(id: id, status: "split_master", reason: "the master record of a split email: act on its per-mailbox copies instead\(message)"))
                continue
            }
            if let first = seen[entity.entityID] {
                result.skipped.append(SkippedID(id: id, status: "duplicate", reason: "same email as \(first)"))
                continue
            }
            let entityScope: String?
            switch scopes {
            case .single: entityScope = scope
            case .many(let all):
                guard let match = all.first(where: { tenant(of: $0) == entity.customerID }) else {
                    throw ToolInputError(
                        field: "scope", "the key sees several scopes and the scope of email \(entity.entityID) could not be worked out",
                        hint: "pass `scope`, one of: \(all.joined(separator: ", "))")
                }
                entityScope = match
            }
            if let scope, let customer = entity.customerID, tenant(of: scope) != customer {
                result.skipped.append(SkippedID(id: id, status: "not_in_scope", reason: "belongs to tenant \(customer), not to scope \(scope)"))
                continue
            }
            seen[entity.entityID] = id
            result.targets.append(TargetEntity(requested: id, viaEvent: viaEvent, entity: entity, scope: entityScope))
        }
        return result
    }

    private struct Lookup: Sendable {
        var id: String
        var entity: ActionTargetEntity?
        var failure: String?
    }

    /// `GET /search/entity/{id}` for each id, a few at a time, reporting progress when `context` is given.
    private static func lookUp(
        _ ids: [String], hec: HECAPI, into entities: inout [String: ActionTargetEntity],
        failures: inout [String: String], context: (any ToolContext)?
    ) async throws {
        var done = 0
        try await forEach(ids) { id -> Lookup in
            do {
                return Lookup(id: id, entity: try await hec.actionTargetEntity(id))
            } catch let e as CheckPointError where e.kind != .cancelled {
                return Lookup(id: id, failure: shortReason(e))
            }
        } each: { (r: Lookup) in
            if let entity = r.entity { entities[r.id] = entity }
            if let failure = r.failure { failures[r.id] = failure }
            done += 1
            await context?.progress(Double(done), total: Double(ids.count), message: "Looked up \(done) of \(ids.count) ids")
        }
    }

    enum Scopes { case single, many([String]) }

    /// With an explicit scope, or a key that sees one scope: `.single`. Otherwise the scopes to match entities against.
    static func scopesToUse(_ scope: String?, hec: HECAPI) async throws -> Scopes {
        if scope != nil { return .single }
        let all = try await ScopeCache.scopes(hec).scopes.scopes
        return all.count > 1 ? .many(all) : .single
    }

    static func tenant(of scope: String) -> String {
        scope.split(separator: ":", maxSplits: 1).last.map(String.init) ?? scope
    }

    static func unique(_ ids: [String]) -> [String] {
        var seen = Set<String>()
        return ids.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty && seen.insert($0).inserted }
    }

    /// Runs `work` over `items` with bounded concurrency, handing each result to `each` in completion order.
    static func forEach<T: Sendable, R: Sendable>(
        _ items: [T], work: @escaping @Sendable (T) async throws -> R, each: (R) async throws -> Void
    ) async throws {
        try await withThrowingTaskGroup(of: R.self) { group in
            var next = 0
            while next < min(lookupConcurrency, items.count) {
                let item = items[next]
                group.addTask { try await work(item) }
                next += 1
            }
            while let r = try await group.next() {
                try await each(r)
                if next < items.count {
                    let item = items[next]
                    group.addTask { try await work(item) }
                    next += 1
                }
            }
        }
    }

    /// A failure in a few words, for per-id and per-batch reasons (no secrets: `CheckPointError.message` has none).
    static func shortReason(_ e: CheckPointError) -> String {
        // The status once: most messages already name it ("the … service failed (HTTP 520)").
        let status = e.httpStatus.flatMap { e.message.contains("HTTP \($0)") ? nil : "HTTP \($0) " } ?? ""
        switch e.kind {
        case .ambiguousWrite:
            return WriteOutcome.unknownReason(e)
        case .rateLimited: return "rate limited" + (e.retryAfterSeconds.map { ", retry in \(Int($0.rounded(.up))) s" } ?? "")
        default:
            let message = e.message.count > 160 ? String(e.message.prefix(160)) + "…" : e.message
            return status + message
        }
    }

    /// One preview/report line for an entity: id, then fenced sender and subject, received, state.
    static func describe(_ t: TargetEntity) -> [String] {
        let e = t.entity
        return [
            e.entityID + (t.viaEvent.map { " (from event \($0))" } ?? ""),
            "from " + UntrustedText.quote(e.sender, maxLength: 80),
            "subject " + UntrustedText.quote(e.subject, maxLength: 100),
            e.received.map { "received \($0)" } ?? "",
            e.stateWord,
            t.scope.map { "scope \($0)" } ?? "",
        ]
    }

    /// A compact preview row when the section heading already says the action and the shared state:
    /// id | «sender» | «subject» | MM-DD hh:mm (UTC) [| state when the targets' states differ] [| scope].
    /// 106 rows: 23 KB of text before (with "from", "subject", a full timestamp, the state and the action on each), ~14 KB now.
    static func previewRow(_ t: TargetEntity, showState: Bool) -> [String] {
        let e = t.entity
        let when = e.received.flatMap { r -> String? in
            guard r.count >= 16, r.dropFirst(10).first == "T" else { return r }
            return String(r.dropFirst(5).prefix(11)).replacingOccurrences(of: "T", with: " ")
        }
        return [
            e.entityID + (t.viaEvent.map { " (from event \($0))" } ?? ""),
            UntrustedText.quote(e.sender, maxLength: 80),
            UntrustedText.quote(e.subject, maxLength: 100),
            when ?? "",
            showState ? e.stateWord : "",
            t.scope.map { "scope \($0)" } ?? "",
        ]
    }

    /// A preview item: what an agent needs to confirm or to act on a subset (the id and where it came from), not
    /// a second copy of the text's sender and subject, nor the action and state every item shares (the summary and
    /// `items_state` say them once): 261 items were 106 KB, then 31 KB with state and action on each, ~13 KB now.
    static func json(_ t: TargetEntity, showState: Bool) -> JSONValue {
        let e = t.entity
        var o: JSONObject = ["entity_id": .string(e.entityID)]
        if showState { o["state"] = .string(e.stateWord) }
        if t.requested != e.entityID { o["requested_id"] = .string(t.requested) }
        if let via = t.viaEvent { o["via_event"] = .string(via) }
        if let scope = t.scope { o["scope"] = .string(scope) }
        return .object(o)
    }

    static func json(_ s: SkippedID) -> JSONValue {
        ["id": .string(s.id), "status": .string(s.status), "reason": .string(s.reason)]
    }

    /// Statuses whose ids the caller must act on (look up again, fix, pass a scope): always listed in full.
    static let actionableStatuses: Set<String> = ["not_found", "not_checked", "not_in_scope"]
    static let examplesPerStatus = 5

    /// Ids set aside, grouped by status: one text line per status with its count, its reason and the ids
    /// (all of them for an actionable status, else a few examples), the structured entries (the same ids) and
    /// the count per status. 100 already-quarantined ids cost one line and 5 entries, not 200 lines.
    static func setAside(_ skipped: [SkippedID]) -> (lines: [String], entries: [JSONValue], counts: JSONObject) {
        var order: [String] = []
        var groups: [String: [SkippedID]] = [:]
        for s in skipped {
            if groups[s.status] == nil { order.append(s.status) }
            groups[s.status, default: []].append(s)
        }
        var lines: [String] = []
        var entries: [JSONValue] = []
        var counts: JSONObject = [:]
        for status in order {
            let group = groups[status] ?? []
            counts[status] = .int(Int64(group.count))
            let shown = actionableStatuses.contains(status) ? group : Array(group.prefix(examplesPerStatus))
            entries += shown.map(json)
            let sameReason = Set(group.map(\.reason)).count == 1
            if sameReason {
                let more = group.count > shown.count ? " and \(group.count - shown.count) more" : ""
                lines.append("- \(status) (\(group.count)): \(group[0].reason) — " + shown.map(\.id).joined(separator: ", ") + more)
            } else {
                lines.append("- \(status) (\(group.count)):")
                for s in shown { lines.append("  - \(s.id): \(s.reason)") }
                if group.count > shown.count { lines.append("  - and \(group.count - shown.count) more") }
            }
        }
        return (lines, entries, counts)
    }
}
