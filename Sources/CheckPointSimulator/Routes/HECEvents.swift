import Foundation

/// `POST /event/query` and `GET /event/{id}`.
/// - SeeAlso: docs/checkpoint-api.md "HEC endpoints" (`POST /event/query`) and "Event states".
struct HECEvents {
    let ctx: HECContext
    static let route = "POST \(Router.hecPrefix)/event/query"

    struct Filter {
        var start: Date
        var end: Date?
        var types: Set<String> = []
        var states: Set<String> = []
        var severities: Set<Int> = []
        var saas: Set<String> = []
        var ids: Set<String> = []
        var confidence: String?
        var description: String?

        func matches(_ e: SecurityEvent, _ f: EventFlags) -> Bool {
            guard e.created >= start, end.map({ e.created <= $0 }) ?? true else { return false }
            if !types.isEmpty, !types.contains(e.type) { return false }
            if !states.isEmpty, !states.contains(f.state) { return false }
            if !severities.isEmpty, !severities.contains(e.severity) { return false }
            if !saas.isEmpty, !saas.contains(e.saas) { return false }
            if !ids.isEmpty, !ids.contains(e.id) { return false }
            if let c = confidence, c.lowercased() != e.confidence { return false }
            if let d = description, !e.description.lowercased().contains(d) { return false }
            return true
        }
    }

    func query() throws(ErrorResponse) -> HTTPResponse {
        let rd = try ctx.requestData()
        let state = ctx.state
        if let scrollID = rd["scrollId"] as? String, !scrollID.isEmpty {
            let result = state.sync { s -> (Page, HECTenant, [Ref: EventFlags])? in
                if s.takeInvalidScroll(route: Self.route) { s.scrolls[scrollID] = nil; return nil }
                guard let page = Paging.resume(s, id: scrollID, route: Self.route, owner: ctx.token.clientID) else { return nil }
                return (page, s.hec(), Self.snapshot(s, page.refs))
            }
            guard let (page, tenant, flags) = result else { return HECSearch.invalidScroll() }
            return render(page, tenant, flags)
        }
        let filter = try parse(rd)
        let scopes = ctx.queryScopes(rd)
        let size = Paging.pageSize(rd)
        let (page, tenant, flags) = state.sync { s -> (Page, HECTenant, [Ref: EventFlags]) in
            let t = s.hec()
            var refs: [Ref] = []
            for scope in scopes {
                let events = t.events[scope]
                let fl = s.eventFlags[scope]
                for i in events.indices where filter.matches(events[i], fl[i]) { refs.append(Ref(scope: scope, index: i)) }
            }
            if scopes.count > 1 { refs.sort { t.events[$0.scope][$0.index].created > t.events[$1.scope][$1.index].created } }
            let page = Paging.start(s, refs: refs, pageSize: size, route: Self.route, owner: ctx.token.clientID)
            return (page, t, Self.snapshot(s, page.refs))
        }
        return render(page, tenant, flags)
    }

    func event(_ id: String) -> HTTPResponse {
        let found = ctx.state.sync { s -> (SecurityEvent, EventFlags, EmailFlags)? in
            let t = s.hec()
            guard let ref = t.eventIndex[id], ctx.visibleScopes.contains(ref.scope) else { return nil }
            let e = t.events[ref.scope][ref.index]
            return (e, s.eventFlags[ref.scope][ref.index], s.emailFlags[ref.scope][e.entityIndex])
        }
        guard let (e, f, ef) = found else { return ctx.envelope([Any](), records: 0) }
        return ctx.envelope(rows: [Self.render(e, f, emailFlags: ef, detailed: true)], records: 1, scrollId: nil)
    }

    private func parse(_ rd: [String: Any]) throws(ErrorResponse) -> Filter {
        guard let startText = rd["startDate"] as? String else {
            throw ErrorResponse(HECRouter.validation(["body", "requestData", "startDate"], "Field required", "missing"))
        }
        guard let start = HTTPDate.parseISO(startText) else {
            throw ErrorResponse(HECRouter.validation(["body", "requestData", "startDate"], "Input should be a valid datetime", "datetime_parsing"))
        }
        var f = Filter(start: start)
        if let endText = rd["endDate"] as? String, !endText.isEmpty {
            guard let end = HTTPDate.parseISO(endText) else {
                throw ErrorResponse(HECRouter.validation(["body", "requestData", "endDate"], "Input should be a valid datetime", "datetime_parsing"))
            }
            f.end = end
        }
        f.types = Set(((rd["eventTypes"] as? [String]) ?? []).map(EventGenerator.normalizeType))
        // Without `eventStates` only new and detected events match, as one public client reads the API; a
        // client that wants every state must send them all.
        f.states = Set(((rd["eventStates"] as? [String]) ?? ["new", "detected"]).map { $0.lowercased() })
        for (n, v) in ((rd["severities"] as? [Any]) ?? []).enumerated() {
            guard let sev = EventGenerator.severity(v) else {
                throw ErrorResponse(HECRouter.validation(["body", "requestData", "severities", n],
                    "Input should be 1-5 or one of lowest, low, medium, high, critical", "enum"))
            }
            f.severities.insert(sev)
        }
        f.saas = Set((rd["saas"] as? [String]) ?? [])
        f.ids = Set((rd["eventIds"] as? [String]) ?? [])
        f.confidence = (rd["confidenceIndicator"] as? String).flatMap { $0.isEmpty ? nil : $0 }
        f.description = (rd["description"] as? String).flatMap { $0.isEmpty ? nil : $0.lowercased() }
        return f
    }

    static func snapshot(_ s: SimState, _ refs: ArraySlice<Ref>) -> [Ref: EventFlags] {
        var out: [Ref: EventFlags] = [:]
        for r in refs { out[r] = s.eventFlags[r.scope][r.index] }
        return out
    }

    private func render(_ page: Page, _ t: HECTenant, _ flags: [Ref: EventFlags]) -> HTTPResponse {
        let rows = page.refs.map { Self.render(t.events[$0.scope][$0.index], flags[$0] ?? EventFlags(state: "new"),
                                               emailFlags: nil, detailed: false) }
        return ctx.envelope(rows: Array(rows), records: page.recordsNumber, scrollId: page.scrollId)
    }

    /// Actions offered on an event, from its state and its email's quarantine flag.
    static func availableActions(_ e: SecurityEvent, _ f: EventFlags, _ ef: EmailFlags?) -> [String] {
        var names: [String] = []
        if f.state != "dismissed" { names.append("dismiss") }
        if let ef { names.append(ef.isQuarantined ? "restore" : "quarantine") }
        return names
    }

    static func render(_ e: SecurityEvent, _ f: EventFlags, emailFlags: EmailFlags?, detailed: Bool) -> J {
        let link = "https://portal.checkpoint.com/dashboard/email&collaboration/CGS1?route=" + Data(("event/" + e.id).utf8).base64EncodedString()
        // Open events offer dismiss and the severity changes, as Elastic's raw events show; closed ones null,
        // as XSOAR's recorded remediated event does.
        let open = f.state == "new" || f.state == "detected" || f.state == "pending"
        let severityChanges: [J] = ["Low", "Medium", "High", "Highest"].map { ["actionName": "severityChange", "actionParameter": ["newSeverity": .s($0)]] }
        let available: J = detailed
            ? .a(availableActions(e, f, emailFlags).map { ["actionName": .s($0), "actionParameter": ["eventId": .s(e.id)]] })
            : (open ? .a([["actionName": "dismiss", "actionParameter": ["eventId": .s(e.id)]]] + severityChanges) : nil)
        return [
            "eventId": .s(e.id), "customerId": .s(HECTenant.scopes[e.scope].customer), "saas": .s(e.saas),
            "entityId": .s(e.entityId), "state": .s(f.state), "type": .s(e.type), "confidenceIndicator": .s(e.confidence),
            "eventCreated": .s(HTTPDate.isoOffset(e.created)), "severity": .s(String(e.severity)),
            "description": .s(e.description),
            "data": .s("#{\"entity_id\": \"\(e.entityId)\", \"entity_type\": \"\(e.saas)_email\", \"label\": \"\(e.label)\"} attempt detected"),
            "additionalData": nil, "availableEventActions": available,
            "actions": .a(f.actions.map { ["actionType": .s($0.type), "createTime": .s(HTTPDate.isoZ($0.date)), "relatedEntityId": .s($0.entityId)] }),
            "senderAddress": .s(e.senderAddress), "entityLink": .s(link),
        ]
    }
}
