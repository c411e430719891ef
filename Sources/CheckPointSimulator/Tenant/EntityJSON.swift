import Foundation

/// Renders an email the way `/search/query` and `/search/entity/{id}` return it.
/// - SeeAlso: checkpoint-api.md §2.3 "Entity" (XS test_data get_entity / search_emails, BL).
enum EntityJSON {
    static func render(_ e: Email, _ f: EmailFlags, customer: String) -> J {
        let userType: J = .s(e.saas == "google_mail" ? "google_user" : "office365_emails_user")
        let lastAction = f.actions.map(\.date).max()
        let updated = max(e.created.addingTimeInterval(2), lastAction ?? e.created)
        func users(_ mails: [String]) -> J {
            .a(mails.map { ["entity_id": .s(pseudoID(e.id, $0)), "entity_type": userType, "mail": .s($0)] })
        }
        let payload: J = [
            "internetMessageId": .s(e.internetMessageId), "subject": .s(e.subject), "received": .s(HTTPDate.isoZ(e.received)),
            "size": .i(e.size), "emailLinks": .strings(e.links), "emailLinksDomains": .strings(e.linkDomains),
            "attachmentCount": .i(e.attachments.count),
            "attachments": .a(e.attachments.map { ["name": .s($0.name), "mimetype": .s($0.mimetype), "size": .i($0.size), "MD5": .s($0.md5)] }),
            "mode": .s(e.mode), "recipients": .strings(e.recipients), "to": .strings(e.recipients), "toUser": users(e.recipients),
            "cc": .strings(e.cc), "ccUser": users(e.cc), "bcc": [], "bccUser": [],
            "fromEmail": .s(e.fromEmail), "fromDomain": .s(e.fromDomain), "fromName": .s(e.fromName),
            "fromUser": ["entity_id": .s(pseudoID(e.id, e.fromEmail)), "entity_type": userType, "mail": .s(e.fromEmail),
                         "name": .s(e.fromName)],
            "replyToEmail": .s(e.replyTo), "replyToNickname": .s(e.fromName),
            "isRead": .b(e.isRead), "isDeleted": false, "isIncoming": .b(e.direction == .incoming),
            "isInternal": .b(e.direction == .internal), "isOutgoing": .b(e.direction == .outgoing),
            "isQuarantined": .b(f.isQuarantined), "isQuarantineNotification": false, "isQuarantineUserNotification": false,
            "isRestored": .b(f.isRestored), "isRestoreRequested": .b(f.isRestoreRequested),
            "isRestoreDeclined": .b(f.isRestoreDeclined), "isUserExposed": .b(!f.isQuarantined && e.direction != .outgoing),
            "saasSpamVerdict": .s(e.saasSpamVerdict), "SpfResult": .s(e.spf),
            "restoreRequestTime": .opt(f.restoreRequestTime.map(HTTPDate.isoZ)),
            "restoreCommentary": .opt(f.restoreCommentary),
            "senderServerIp": .s(e.senderServerIp), "senderClientIp": .s(e.senderClientIp),
        ]
        let avVerdict: J = e.attachments.isEmpty ? nil : .s(e.avMalicious ? "malicious" : "clean")
        let ctp: J = e.links.isEmpty ? nil : .s(e.maliciousURL ? "malicious_url" : "no_links_replaced")
        let security: J = [
            "combinedVerdict": ["ap": .s(e.verdict.rawValue), "dlp": e.dlpLeak ? "leak" : nil, "clicktimeProtection": ctp,
                                "shadowIt": nil, "av": avVerdict],
            "ap": [apResult(e)],
            "dlp": e.dlpLeak ? [engine(e, "avanan_dlp", "leak", [])] : nil,
            "clicktimeProtection": e.links.isEmpty ? nil
                : [engine(e, "clicktime_protection_scan", e.maliciousURL ? "malicious_url" : "clean", [("links", .strings(e.links))])],
            "shadowIt": nil,
            "av": e.attachments.isEmpty ? nil : .a(e.attachments.map { a in
                engine(e, "checkpoint2", e.avMalicious ? "malicious" : "clean",
                       [("file_name", .s(a.name)), ("md5", .s(a.md5))], entityType: "office365_emails_attachment")
            }),
        ]
        let actions: J = .a(f.actions.map {
            ["entityActionName": .s($0.name), "entityActionDate": .s(HTTPDate.isoZ($0.date)), "entityActionResponseCode": 200,
             "entityActionResponseText": "", "entityActionState": .s($0.state)]
        })
        var available: [String] = f.isQuarantined ? ["restore"] : ["quarantine"]
        if f.isRestoreRequested && f.isQuarantined { available.append("decline_restore_request") }
        return [
            "entityInfo": ["entityId": .s(e.id), "customerId": .s(customer), "customerOem": "checkpoint", "saas": .s(e.saas),
                           "saasEntityType": .s(e.saasEntityType), "entityCreated": .s(HTTPDate.isoZ(e.created)),
                           "entityUpdated": .s(HTTPDate.isoZ(updated)),
                           "entityActionState": e.maliciousURL ? "links_replaced" : nil],
            "entityPayload": payload,
            "entitySecurityResult": security,
            "entityActions": actions,
            "entityAvailableActions": .strings(available),
        ]
    }

    private static func apResult(_ e: Email) -> J {
        var categories: [String] = []
        var byCategory: [String: [J]] = [:]
        for r in e.reasons {
            if byCategory[r.category] == nil { categories.append(r.category) }
            byCategory[r.category, default: []].append(["short_text": .s(r.short), "full_text": .s(r.full)])
        }
        let score: String
        switch e.verdict {
        case .clean: score = "0.0"
        case .graymail: score = "35.0"
        case .spam: score = "60.0"
        case .suspiciousPhishing: score = "72.5"
        case .phishing: score = "96.3"
        case .malware: score = "99.0"
        }
        return engine(e, "avanan_ap_scan", e.verdict.rawValue,
                      [("reasons", .strings(e.reasons.map(\.short))),
                       ("reasons_by_category", .o(categories.map { ($0, .a(byCategory[$0]!)) }))], score: score)
    }

    private static func engine(_ e: Email, _ type: String, _ verdict: String, _ payload: [(String, J)],
                               score: String = "0", entityType: String? = nil) -> J {
        ["entityId": .s(e.id), "entityType": .s(entityType ?? e.saasEntityType), "payload": .o(payload), "score": .s(score),
         "securityResultEntityId": .s(pseudoID(e.id, type)), "securityResultEntityType": .s(type),
         "statusCode": 200, "statusDescription": "Scan completed", "verdict": .s(verdict)]
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
