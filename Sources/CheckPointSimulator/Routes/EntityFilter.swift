import Foundation

/// The parsed filters of a `/search/query` request, evaluated against one email at a time.
/// - SeeAlso: checkpoint-api.md "Entity" (request, extended filters, attributes) and "Detection filters".
struct EntityFilter {
    enum Value { case s(String), list([String]), b(Bool), i(Int), null }

    struct Extended {
        let name: String
        let op: String
        let value: String
    }

    /// The operators usp-adapters' Harmony README lists (XSOAR uses is, isNot, contains, greaterThan).
    static let ops = ["is", "isNot", "contains", "notContains", "startsWith", "greaterThan", "lessThan", "isEmpty", "isNotEmpty"]

    var saas: Set<String>
    var saasEntity: String?
    var start: Date
    var end: Date?
    var extended: [Extended] = []
    var cpDetection: Set<String> = []
    var msDetection: Set<String> = []
    var detectionAnd = false
    var cpQuarantined: String?
    var msQuarantined: String?
    var quarantinedAnd = false

    /// Parses `requestData`, or throws the 422 the real API would give.
    init(_ rd: [String: Any]) throws(ErrorResponse) {
        let base: [Any] = ["body", "requestData", "entityFilter"]
        guard let ef = rd["entityFilter"] as? [String: Any] else {
            throw ErrorResponse(HECRouter.validation(["body", "requestData", "entityFilter"], "Field required", "missing"))
        }
        if let one = ef["saas"] as? String, !one.isEmpty { saas = [one] }
        else if let many = ef["saas"] as? [String], !many.isEmpty { saas = Set(many) }  // XS-old sent a list
        else { throw ErrorResponse(HECRouter.validation(base + ["saas"], "Field required", "missing")) }
        saasEntity = ef["saasEntity"] as? String
        guard let startText = ef["startDate"] as? String else {
            throw ErrorResponse(HECRouter.validation(base + ["startDate"], "Field required", "missing"))
        }
        guard let s = HTTPDate.parseISO(startText) else {
            throw ErrorResponse(HECRouter.validation(base + ["startDate"], "Input should be a valid datetime", "datetime_parsing"))
        }
        start = s
        if let endText = ef["endDate"] as? String, !endText.isEmpty {
            guard let e = HTTPDate.parseISO(endText) else {
                throw ErrorResponse(HECRouter.validation(base + ["endDate"], "Input should be a valid datetime", "datetime_parsing"))
            }
            end = e
        }
        for (n, item) in ((rd["entityExtendedFilter"] as? [Any]) ?? []).enumerated() {
            let loc: [Any] = ["body", "requestData", "entityExtendedFilter", n]
            guard let f = item as? [String: Any], let name = f["saasAttrName"] as? String else {
                throw ErrorResponse(HECRouter.validation(loc + ["saasAttrName"], "Field required", "missing"))
            }
            let op = (f["saasAttrOp"] as? String) ?? "is"
            guard Self.ops.contains(op) else {
                throw ErrorResponse(HECRouter.validation(loc + ["saasAttrOp"],
                    "Input should be " + Self.ops.dropLast().map { "'\($0)'" }.joined(separator: ", ") + " or 'isNotEmpty'", "enum"))
            }
            guard Self.attribute(name, Self.probe, EmailFlags()) != nil else {
                throw ErrorResponse(HECRouter.validation(loc + ["saasAttrName"], "Unsupported attribute \(name)", "value_error"))
            }
            let value: String
            if let v = f["saasAttrValue"] as? String { value = v } else if let v = f["saasAttrValue"] { value = "\(v)" } else { value = "" }
            extended.append(Extended(name: name, op: op, value: value))
        }
        if let d = rd["entityDetectionResolutionFilter"] as? [String: Any] {
            cpDetection = Set((d["cpDetection"] as? [String]) ?? [])
            msDetection = Set((d["msDetection"] as? [String]) ?? [])
            detectionAnd = (d["detectionOp"] as? String)?.uppercased() == "AND"
            cpQuarantined = (d["cpQuarantinedState"] as? String).flatMap { $0 == "all" || $0.isEmpty ? nil : $0 }
            msQuarantined = (d["msQuarantinedState"] as? String).flatMap { $0 == "all" || $0.isEmpty ? nil : $0 }
            quarantinedAnd = (d["quarantinedStateOp"] as? String)?.uppercased() == "AND"
        }
    }

    func inWindow(_ e: Email) -> Bool { e.created >= start && (end.map { e.created <= $0 } ?? true) }

    func matches(_ e: Email, _ f: EmailFlags) -> Bool {
        guard saas.contains(e.saas), inWindow(e) else { return false }
        if let se = saasEntity, !se.isEmpty, se != e.saasEntityType { return false }
        for x in extended where !Self.test(Self.attribute(x.name, e, f) ?? .null, x.op, x.value) { return false }
        return detection(e) && quarantine(e, f)
    }

    private func detection(_ e: Email) -> Bool {
        var tags: Set<String> = [e.verdict.cpDetection]
        if e.maliciousURL { tags.insert("cp_malicious_url") }
        // Derived from the id so they stay deterministic: a quarter of malicious-URL mails were clicked, and
        // one clean mail with attachments in sixteen has an attachment anti-malware found suspicious.
        if e.maliciousURL && "0123".contains(e.id.last ?? "f") { tags.insert("cp_malicious_url_click") }
        if e.verdict == .clean && !e.attachments.isEmpty && e.id.last == "0" { tags.insert("cp_av_suspicious") }
        if e.dlpLeak { tags.insert("cp_leak") }
        if e.avMalicious { tags.insert("cp_malicious") }
        let cp = cpDetection.isEmpty ? nil : !cpDetection.isDisjoint(with: tags)
        let ms = msDetection.isEmpty ? nil : msDetection.contains(e.msDetection)
        return combine(cp, ms, detectionAnd)
    }

    private func quarantine(_ e: Email, _ f: EmailFlags) -> Bool {
        let cp = cpQuarantined.map { state -> Bool in
            switch state {
            case "cp_not_quarantined": return !f.isQuarantined
            case "cp_quarantined_by_cp": return f.isQuarantined && f.quarantinedBy == "cp"
            case "cp_quarantined_by_analyst": return f.isQuarantined && f.quarantinedBy == "analyst"
            case "cp_quarantined_by_admin": return f.isQuarantined && f.quarantinedBy == "admin"
            default: return f.isQuarantined
            }
        }
        let ms = msQuarantined.map { state -> Bool in
            state == "ms_not_quarantined" ? e.msQuarantinedState != "ms_quarantined" : e.msQuarantinedState == state
        }
        return combine(cp, ms, quarantinedAnd)
    }

    private func combine(_ a: Bool?, _ b: Bool?, _ and: Bool) -> Bool {
        switch (a, b) {
        case (nil, nil): return true
        case (let x?, nil), (nil, let x?): return x
        case (let x?, let y?): return and ? (x && y) : (x || y)
        }
    }

    static func test(_ v: Value, _ op: String, _ want: String) -> Bool {
        let w = want.lowercased()
        switch op {
        case "isNot": return !test(v, "is", want)
        case "notContains": return !test(v, "contains", want)
        case "startsWith":
            switch v {
            case .s(let s): return s.lowercased().hasPrefix(w)
            case .list(let l): return l.contains { $0.lowercased().hasPrefix(w) }
            default: return false
            }
        case "isNotEmpty": return !test(v, "isEmpty", "true")
        case "isEmpty":
            let empty: Bool
            switch v {
            case .null: empty = true
            case .s(let s): empty = s.isEmpty
            case .list(let l): empty = l.isEmpty
            case .b, .i: empty = false
            }
            return w == "false" ? !empty : empty
        case "contains":
            switch v {
            case .s(let s): return s.lowercased().contains(w)
            case .list(let l): return l.contains { $0.lowercased().contains(w) }
            case .i(let i): return String(i).contains(w)
            default: return false
            }
        case "greaterThan", "lessThan":
            let sign: Double = op == "greaterThan" ? 1 : -1
            switch v {
            case .i(let i): return Double(want).map { sign * (Double(i) - $0) > 0 } ?? false
            case .s(let s):
                if let a = HTTPDate.parseISO(s), let b = HTTPDate.parseISO(want) { return sign * a.timeIntervalSince(b) > 0 }
                if let a = Double(s), let b = Double(want) { return sign * (a - b) > 0 }
                return false
            default: return false
            }
        default:  // "is"
            switch v {
            case .s(let s): return s.lowercased() == w
            case .list(let l): return l.contains { $0.lowercased() == w }
            case .b(let b): return (w == "true") == b && (w == "true" || w == "false")
            case .i(let i): return Int(want) == i
            case .null: return w.isEmpty || w == "null"
            }
        }
    }

    /// An attribute by its `saasAttrName`; nil when the simulator does not know it.
    static func attribute(_ name: String, _ e: Email, _ f: EmailFlags) -> Value? {
        if name == "entitySecurityResult.combinedVerdict.ap" { return .s(e.verdict.rawValue) }
        if name == "entitySecurityResult.combinedVerdict.av" {
            return e.attachments.isEmpty ? .null : .s(e.avMalicious ? "malicious" : "clean")
        }
        if name == "entityInfo.entityId" { return .s(e.id) }
        if name == "entityInfo.saas" { return .s(e.saas) }
        guard name.hasPrefix("entityPayload.") else { return nil }
        switch name.dropFirst("entityPayload.".count) {
        case "fromEmail": return .s(e.fromEmail)
        case "fromDomain": return .s(e.fromDomain)
        case "fromName": return .s(e.fromName)
        case "replyToEmail": return e.replyTo.map { .s($0) } ?? .null
        case "emailSplit": return e.emailSplit.map { .s($0) } ?? .null
        case "recipients", "to": return .list(e.recipients)
        case "origRecipient": return .list(e.recipients)
        case "cc": return .list(e.cc)
        case "senderServerIp": return .s(e.senderServerIp)
        case "senderClientIp": return .s(e.senderClientIp)
        case "subject": return .s(e.subject)
        case "internetMessageId": return .s(e.internetMessageId)
        case "emailLinks": return .list(e.links)
        case "emailLinksDomains": return .list(e.linkDomains)
        case "attachments.MD5", "attachments.md5": return .list(e.attachments.map(\.md5))
        case "attachments.name": return .list(e.attachments.map(\.name))
        case "attachmentCount": return .i(e.attachments.count)
        case "mode": return .s(e.mode)
        case "saasSpamVerdict": return .s(e.saasSpamVerdict)
        case "SpfResult", "spfResult": return .s(e.spf)
        case "restoreRequestTime": return f.restoreRequestTime.map { .s(HTTPDate.isoZ($0)) } ?? .null
        case "isIncoming": return .b(e.direction == .incoming)
        case "isInternal": return .b(e.direction == .internal)
        case "isOutgoing": return .b(e.direction == .outgoing)
        case "isQuarantined": return .b(f.isQuarantined)
        case "isRestoreRequested": return .b(f.isRestoreRequested)
        case "isRestored": return .b(f.isRestored)
        case "isRestoreDeclined": return .b(f.isRestoreDeclined)
        case "isRead": return .b(e.isRead)
        default: return nil
        }
    }

    /// A dummy email used only to check attribute names at parse time.
    private static let probe = EmailGenerator(seed: 1, scope: 0, tenantDomain: "probe.example", count: 1, now: Date()).email(0)
}
