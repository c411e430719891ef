import Foundation

/// A security event tied to one email. The immutable part; `state` and `actions` live in `EventFlags`.
/// - SeeAlso: checkpoint-api.md "HEC endpoints" "Event".
struct SecurityEvent: Sendable {
    var id: String
    var scope: Int
    var entityIndex: Int
    var entityId: String
    var saas: String
    var type: String
    var severity: Int
    var confidence: String
    var created: Date
    var description: String
    var label: String
    var senderAddress: String
}

struct EventAction: Sendable {
    let type: String
    let date: Date
    let entityId: String
}

struct EventFlags: Sendable {
    var state: String
    var actions: [EventAction] = []
}

enum EventGenerator {
    /// The events of one email (usually zero or one), with their initial state.
    static func events(for e: Email, index: Int, flags emailFlags: EmailFlags, fixture: Bool,
                       seed: UInt64) -> [(SecurityEvent, EventFlags)] {
        var r = SeededRandom(seed: seed, stream: UInt64(e.scope + 201), index: UInt64(index))
        var kinds: [(String, Int, String, String)] = []  // type, severity, confidence, label
        switch e.verdict {
        case .phishing:
            kinds.append(("phishing", 4, r.chance(0.1) ? "alert" : "malicious", "Phishing"))
            if e.maliciousURL && r.chance(0.3) { kinds.append(("malicious_url_click", 5, "malicious_url", "Malicious URL click")) }
        case .suspiciousPhishing: kinds.append(("suspicious_phishing", 3, "detected", "Suspected phishing"))
        case .malware:
            kinds.append(r.chance(0.3) ? ("suspicious_malware", 3, "detected", "Suspected malware")
                                       : ("malware", 5, "malicious", "Malware"))
        case .spam: kinds.append(("spam", 2, "detected", "Spam"))
        case .graymail: if r.chance(0.5) { kinds.append(("graymail", 1, "detected", "Graymail")) }
        case .clean: if e.dlpLeak { kinds.append(("dlp", 3, "detected", "DLP")) }
        }
        return kinds.enumerated().map { k, kind in
            let id = r.hex(32)
            let created = HTTPDate.wholeMicroseconds(e.created.addingTimeInterval(Double(r.int(in: 2...40)) + r.unit() + Double(k * 60)))
            var flags: EventFlags
            if emailFlags.isQuarantined {
                flags = EventFlags(state: "remediated",
                                   actions: [EventAction(type: "quarantine_email", date: created.addingTimeInterval(3), entityId: e.id)])
            } else if fixture {
                flags = EventFlags(state: "new")
            } else {
                let roll = r.unit()
                flags = EventFlags(state: roll < 0.7 ? "new" : roll < 0.8 ? "detected" : roll < 0.9 ? "dismissed"
                                   : roll < 0.95 ? "pending" : "exception")
            }
            let subjectPreview = String(e.subject.prefix(120))
            let description = "\(kind.3) attempt detected in an email from \(e.fromEmail) - \(subjectPreview)"
            let event = SecurityEvent(id: id, scope: e.scope, entityIndex: index, entityId: e.id, saas: e.saas,
                                      type: kind.0, severity: kind.1, confidence: kind.2, created: created,
                                      description: description, label: kind.3, senderAddress: e.fromEmail)
            return (event, flags)
        }
    }

    /// Canonical event type: lower case, spaces as underscores ("Suspicious malware" == "suspicious_malware").
    static func normalizeType(_ s: String) -> String {
        s.trimmingCharacters(in: .whitespaces).lowercased().replacingOccurrences(of: " ", with: "_")
    }

    /// Severity from an int, a numeric string or a name (lowest...critical); nil if unknown.
    /// - SeeAlso: docs/email-tools.md "get_security_events" (severities: integers, strings or words, a CONFLICT between sources).
    static func severity(_ v: Any) -> Int? {
        if let i = v as? Int { return i }
        guard let s = v as? String else { return nil }
        if let i = Int(s) { return i }
        switch s.lowercased().replacingOccurrences(of: "_", with: " ") {
        case "lowest", "very low", "verylow": return 1
        case "low": return 2
        case "medium": return 3
        case "high": return 4
        case "critical", "highest": return 5
        default: return nil
        }
    }
}
