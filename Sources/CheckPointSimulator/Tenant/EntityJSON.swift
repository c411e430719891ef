import Foundation

/// Renders an email the way `/search/query` and `/search/entity/{id}` return it, key for key and type for
/// type as the recorded answers (XSOAR test_data get_entity / search_emails): 34 payload keys, `fromUser` {},
/// snake_case `toUser` items with `mail` null, string scores and status codes, a null engine list wherever
/// its combined verdict is null, `entityAvailableActions` []. Keys the recordings lack are listed in
/// `simulatorOnlyPayloadKeys` (docs/simulator.md "Lenient extras").
enum EntityJSON {
    /// Payload keys the simulator adds beyond the recorded 34 (search attributes the API filters on).
    static let simulatorOnlyPayloadKeys = ["emailLinksDomains", "senderServerIp", "senderClientIp", "restoreCommentary", "emailSplit"]

    static func render(_ e: Email, _ f: EmailFlags, customer: String) -> J {
        let userType: J = .s(e.saas == "google_mail" ? "google_user" : "office365_emails_user")
        let lastAction = f.actions.map(\.date).max()
        let updated = max(e.created.addingTimeInterval(2), lastAction ?? e.created)
        func users(_ mails: [String]) -> J {
            .a(mails.map { ["entity_id": .s(pseudoID(e.id, $0)), "entity_type": userType, "mail": nil] })
        }
        let payload: J = [
            "internetMessageId": .s(e.internetMessageId), "subject": .s(e.subject), "received": .s(HTTPDate.isoSeconds(e.received)),
            "size": nil, "emailLinks": .strings(e.links), "attachmentCount": .i(e.attachments.count),
            "attachments": .a(e.attachments.map { ["name": .s($0.name), "mimetype": .s($0.mimetype), "size": .i($0.size), "MD5": .s($0.md5)] }),
            "mode": .s(e.mode), "recipients": .strings(e.recipients), "fromEmail": .s(e.fromEmail), "fromDomain": .s(e.fromDomain),
            "fromUser": .o([]), "fromName": .s(e.fromName), "to": .strings(e.recipients), "toUser": users(e.recipients),
            "cc": .strings(e.cc), "ccUser": users(e.cc), "bcc": [], "bccUser": [],
            "replyToEmail": .opt(e.replyTo), "replyToNickname": e.replyTo == nil ? nil : "",
            "isRead": nil, "isDeleted": .b(f.isQuarantined), "isIncoming": .b(e.direction == .incoming),
            "isInternal": .b(e.direction == .internal), "isOutgoing": .b(e.direction == .outgoing),
            "isQuarantined": .b(f.isQuarantined), "isQuarantineNotification": false,
            "isRestored": .b(f.isRestored), "isRestoreRequested": .b(f.isRestoreRequested),
            "isRestoreDeclined": .b(f.isRestoreDeclined), "saasSpamVerdict": .s(e.saasSpamVerdict), "SpfResult": .s(e.spf),
            "restoreRequestTime": .opt(f.restoreRequestTime.map(HTTPDate.isoZ)),
            // Simulator-only (see simulatorOnlyPayloadKeys).
            "emailLinksDomains": .strings(e.linkDomains), "senderServerIp": .s(e.senderServerIp),
            "senderClientIp": .s(e.senderClientIp), "restoreCommentary": .opt(f.restoreCommentary), "emailSplit": .opt(e.emailSplit),
        ]
        let clicked = e.maliciousURL ? e.links.first : nil
        let ctpVerdict: String? = e.links.isEmpty ? nil : (clicked != nil ? "malicious_url" : (e.mode == "inline" ? "links_replaced" : "no_links_replaced"))
        let avVerdict: String? = e.attachments.isEmpty ? nil : (e.avMalicious ? "malicious" : "clean")
        let dlpVerdict: String? = e.direction == .incoming && !e.dlpLeak && e.mode == "monitor" ? nil : (e.dlpLeak ? "leak" : "clean")
        var ctpRows: [J] = []
        if let verdict = ctpVerdict {
            ctpRows.append(engine(e, "clicktime_protection_scan", verdict, payload: clicked.map { ["malicious_url_clicks": .strings([$0])] } ?? nil))
            if let url = clicked { ctpRows.append(click(e, url: url, customer: customer)) }
        }
        let security: J = [
            "combinedVerdict": ["ap": .s(e.verdict.rawValue), "dlp": .opt(dlpVerdict), "clicktimeProtection": .opt(ctpVerdict),
                                "shadowIt": "clean", "av": .opt(avVerdict)],
            "ap": [apResult(e)],
            "dlp": dlpVerdict == nil ? nil : .a([dlpResult(e, leak: e.dlpLeak)]),
            "clicktimeProtection": ctpRows.isEmpty ? nil : .a(ctpRows),
            "shadowIt": [engine(e, "shadow_it_emails_scan", "clean", statusCode: "clean", description: "Clean",
                                payload: ["from": .s(e.fromEmail), "subject": .s(e.subject), "domain": ""])],
            "av": avVerdict == nil ? nil : .a(e.attachments.map { a in
                let detections: [String] = e.avMalicious ? ["Malicious file: \(a.name)"] : []
                return engine(e, "checkpoint2", e.avMalicious ? "malicious" : "clean", score: e.avMalicious ? "100" : "0",
                              description: detections.first ?? "Clean", payload: ["scan_details": .strings(detections)],
                              entityId: pseudoID40(e.id, a.md5), entityType: e.saas + "_attachment")
            }),
        ]
        var actions: [J] = f.actions.map {
            ["entityActionName": .s($0.name), "entityActionDate": .s(HTTPDate.isoZ($0.date)), "entityActionResponseCode": nil,
             "entityActionResponseText": nil, "entityActionState": .s($0.state)]
        }
        if ctpVerdict == "links_replaced" || clicked != nil {
            actions.insert(["entityActionName": "links_replace", "entityActionDate": .s(HTTPDate.isoZ(e.created)),
                            "entityActionResponseCode": nil, "entityActionResponseText": nil, "entityActionState": "links_replaced"], at: 0)
        }
        return [
            "entityInfo": ["entityId": .s(e.id), "customerId": .s(customer), "customerOem": "Avanan", "saas": .s(e.saas),
                           "saasEntityType": .s(e.saasEntityType), "entityCreated": .s(HTTPDate.isoZ(e.created)),
                           "entityUpdated": .s(HTTPDate.isoZ(updated)),
                           "entityActionState": f.isQuarantined ? "quarantined" : (ctpVerdict == "links_replaced" ? "links_replaced" : nil)],
            "entityPayload": payload,
            "entitySecurityResult": security,
            "entityActions": .a(actions),
            // Recorded real entities list no available actions, whatever their state.
            "entityAvailableActions": [],
        ]
    }

    private static func apResult(_ e: Email) -> J {
        var categories: [String] = []
        var byCategory: [String: [J]] = [:]
        let reasons = VerdictReasons.ap(e)
        for r in reasons {
            if byCategory[r.category] == nil { categories.append(r.category) }
            byCategory[r.category, default: []].append(["short_text": .s(r.short), "full_text": .s(r.full)])
        }
        let score: String
        switch e.verdict {
        case .clean: score = "12.405188"
        case .graymail: score = "35.0"
        case .spam: score = "60.0"
        case .suspiciousPhishing: score = "172.5"
        case .phishing: score = "207.210314"
        case .malware: score = "99.0"
        }
        return engine(e, "avanan_ap_scan", e.verdict.rawValue, score: score, description: nil,
                      payload: ["reasons_by_category_list": .strings(categories),
                                "reasons_by_category": .o(categories.map { ($0, .a(byCategory[$0]!)) }),
                                "reasons": .strings(e.verdict == .clean ? [] : ["First Time Sender"])])
    }

    private static func dlpResult(_ e: Email, leak: Bool) -> J {
        let rules: [String] = leak ? ["PCI - Credit Card Numbers"] : []
        let found: [String] = leak ? ["4111 **** **** 1111"] : []
        return engine(e, "avanan_dlp", leak ? "leak" : "clean", description: leak ? "Leak" : "Clean",
                      payload: ["matches_dlp_rules": .strings(rules), "found_text": .strings(found), "scan_details": .strings(rules),
                                "hit_count": .i(found.count)])
    }

    /// A `clicktime_protection_scan_clicks` row: one blocked click on a rewritten link.
    private static func click(_ e: Email, url: String, customer: String) -> J {
        let agent = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36"
        let result: J = ["entity_type": .s(e.saasEntityType), "guid": .s(String(Int(e.created.timeIntervalSince1970) % 10_000)),
                         "ip_address": .s("\(e.senderClientIp), 10.0.0.1"), "entity_id": .s(e.id), "event": "block", "brand": "avanan",
                         "request_id": .s(String(pseudoID(e.id, "click").prefix(16))), "url": .s(url), "user_agent": .s(agent),
                         "customer": .s(customer), "farm_id": "mt-prod-3", "detection_info": nil]
        return engine(e, "clicktime_protection_scan_clicks", "malicious_url", score: "0.0", description: nil,
                      payload: ["result": result, "link": .s(url), "client_ip_address": nil, "user_agent": .s(agent), "detection_info": "{}"],
                      resultId: pseudoID(e.id, "click-result"))
    }

    private static func engine(_ e: Email, _ type: String, _ verdict: String, score: String = "0", statusCode: String = "0",
                               description: String? = "Clean", payload: J, entityId: String? = nil, entityType: String? = nil,
                               resultId: String? = nil) -> J {
        let id = entityId ?? e.id
        return ["entityId": .s(id), "entityType": .s(entityType ?? e.saasEntityType), "payload": payload, "score": .s(score),
                "securityResultEntityId": .s(resultId ?? id), "securityResultEntityType": .s(type),
                "statusCode": .s(statusCode), "statusDescription": .opt(description), "verdict": .s(verdict)]
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

    /// A 40-hex id, the form recorded attachment results are keyed by.
    static func pseudoID40(_ base: String, _ salt: String) -> String {
        String((pseudoID(base, salt) + pseudoID(salt, base)).prefix(40))
    }
}
