import Foundation

/// Renders an email the way `/search/query` and `/search/entity/{id}` return it.
/// - SeeAlso: checkpoint-api.md §2.3 "Entity" (XS test_data get_entity / search_emails, BL).
enum EntityJSON {
    static func render(_ e: Email, _ f: EmailFlags, customer: String) -> [String: Any] {
        let null = NSNull()
        let userType = e.saas == "google_mail" ? "google_user" : "office365_emails_user"
        let lastAction = f.actions.map(\.date).max()
        let updated = max(e.created.addingTimeInterval(2), lastAction ?? e.created)
        func users(_ mails: [String]) -> [[String: Any]] {
            mails.map { ["entity_id": pseudoID(e.id, $0), "entity_type": userType, "mail": $0] }
        }
        let payload: [String: Any] = [
            "internetMessageId": e.internetMessageId, "subject": e.subject, "received": HTTPDate.isoZ(e.received),
            "size": e.size, "emailLinks": e.links, "emailLinksDomains": e.linkDomains,
            "attachmentCount": e.attachments.count,
            "attachments": e.attachments.map { ["name": $0.name, "mimetype": $0.mimetype, "size": $0.size, "MD5": $0.md5] },
            "mode": e.mode, "recipients": e.recipients, "to": e.recipients, "toUser": users(e.recipients),
            "cc": e.cc, "ccUser": users(e.cc), "bcc": [String](), "bccUser": [[String: Any]](),
            "fromEmail": e.fromEmail, "fromDomain": e.fromDomain, "fromName": e.fromName,
            "fromUser": ["entity_id": pseudoID(e.id, e.fromEmail), "entity_type": userType, "mail": e.fromEmail,
                         "name": e.fromName],
            "replyToEmail": e.replyTo, "replyToNickname": e.fromName,
            "isRead": e.isRead, "isDeleted": false, "isIncoming": e.direction == .incoming,
            "isInternal": e.direction == .internal, "isOutgoing": e.direction == .outgoing,
            "isQuarantined": f.isQuarantined, "isQuarantineNotification": false, "isQuarantineUserNotification": false,
            "isRestored": f.isRestored, "isRestoreRequested": f.isRestoreRequested,
            "isRestoreDeclined": f.isRestoreDeclined, "isUserExposed": !f.isQuarantined && e.direction != .outgoing,
            "saasSpamVerdict": e.saasSpamVerdict, "SpfResult": e.spf,
            "restoreRequestTime": f.restoreRequestTime.map(HTTPDate.isoZ) ?? null,
            "restoreCommentary": f.restoreCommentary ?? null,
            "senderServerIp": e.senderServerIp, "senderClientIp": e.senderClientIp,
        ]
        let avVerdict: Any = e.attachments.isEmpty ? null : (e.avMalicious ? "malicious" : "clean")
        let ctp: Any = e.links.isEmpty ? null : (e.maliciousURL ? "malicious_url" : "no_links_replaced")
        let security: [String: Any] = [
            "combinedVerdict": ["ap": e.verdict.rawValue, "dlp": e.dlpLeak ? "leak" : null, "clicktimeProtection": ctp,
                                "shadowIt": null, "av": avVerdict],
            "ap": [apResult(e)],
            "dlp": e.dlpLeak ? [engine(e, "avanan_dlp", "leak", [:])] : null,
            "clicktimeProtection": e.links.isEmpty ? null
                : [engine(e, "clicktime_protection_scan", e.maliciousURL ? "malicious_url" : "clean", ["links": e.links])],
            "shadowIt": null,
            "av": e.attachments.isEmpty ? null : e.attachments.map { a in
                var r = engine(e, "checkpoint2", e.avMalicious ? "malicious" : "clean", ["file_name": a.name, "md5": a.md5])
                r["entityType"] = "office365_emails_attachment"
                return r
            } as Any,
        ]
        let actions: [[String: Any]] = f.actions.map {
            ["entityActionName": $0.name, "entityActionDate": HTTPDate.isoZ($0.date), "entityActionResponseCode": 200,
             "entityActionResponseText": "", "entityActionState": $0.state]
        }
        var available: [String] = f.isQuarantined ? ["restore"] : ["quarantine"]
        if f.isRestoreRequested && f.isQuarantined { available.append("decline_restore_request") }
        return [
            "entityInfo": ["entityId": e.id, "customerId": customer, "customerOem": "checkpoint", "saas": e.saas,
                           "saasEntityType": e.saasEntityType, "entityCreated": HTTPDate.isoZ(e.created),
                           "entityUpdated": HTTPDate.isoZ(updated),
                           "entityActionState": e.maliciousURL ? "links_replaced" : null],
            "entityPayload": payload,
            "entitySecurityResult": security,
            "entityActions": actions,
            "entityAvailableActions": available,
        ]
    }

    private static func apResult(_ e: Email) -> [String: Any] {
        var byCategory: [String: [[String: String]]] = [:]
        for r in e.reasons { byCategory[r.category, default: []].append(["short_text": r.short, "full_text": r.full]) }
        let score: String
        switch e.verdict {
        case .clean: score = "0.0"
        case .graymail: score = "35.0"
        case .spam: score = "60.0"
        case .suspiciousPhishing: score = "72.5"
        case .phishing: score = "96.3"
        case .malware: score = "99.0"
        }
        var r = engine(e, "avanan_ap_scan", e.verdict.rawValue,
                       ["reasons": e.reasons.map(\.short), "reasons_by_category": byCategory])
        r["score"] = score
        return r
    }

    private static func engine(_ e: Email, _ type: String, _ verdict: String, _ payload: [String: Any]) -> [String: Any] {
        ["entityId": e.id, "entityType": e.saasEntityType, "payload": payload, "score": "0",
         "securityResultEntityId": pseudoID(e.id, type), "securityResultEntityType": type,
         "statusCode": 200, "statusDescription": "Scan completed", "verdict": verdict]
    }

    /// A stable 32-hex id derived from an entity id and a salt (FNV-1a, twice).
    static func pseudoID(_ base: String, _ salt: String) -> String {
        var h1: UInt64 = 0xcbf2_9ce4_8422_2325
        var h2: UInt64 = 0x8422_2325_cbf2_9ce4
        for b in (base + "|" + salt).utf8 {
            h1 = (h1 ^ UInt64(b)) &* 0x100_0000_01b3
            h2 = (h2 ^ UInt64(b)) &* 0x100_0000_01b3 &+ 7
        }
        let a = String(h1, radix: 16), b = String(h2, radix: 16)
        return String(repeating: "0", count: 16 - a.count) + a + String(repeating: "0", count: 16 - b.count) + b
    }
}
