import Foundation

/// Builds email `index` of a scope from the seed alone, so any entity can be (re)built in isolation and
/// two simulators with the same seed agree. Index 0 is the newest; times spread evenly over `days`.
struct EmailGenerator {
    let seed: UInt64
    let scope: Int
    let tenantDomain: String
    let count: Int
    let now: Date
    let days: Double = 30
    /// Well-known malware hashes, reused so `attachments.MD5` searches find several mails.
    let badHashes: [String]

    init(seed: UInt64, scope: Int, tenantDomain: String, count: Int, now: Date) {
        self.seed = seed
        self.scope = scope
        self.tenantDomain = tenantDomain
        self.count = count
        self.now = now
        var r = SeededRandom(seed: seed, stream: 77)
        badHashes = (0..<5).map { _ in r.hex(32) }
    }

    /// The index whose creation time is about `daysAgo` days before `now`.
    func index(daysAgo: Double) -> Int { min(count - 1, max(0, Int(daysAgo / days * Double(count)))) }

    /// Every 100th email (offset 37) is the master record of a split email; the two emails after it (older by
    /// microseconds, so the newest-first order holds) are its per-mailbox copies.
    static func isSplitMaster(_ index: Int, count: Int) -> Bool { index % 100 == 37 && index + 2 < count }

    func email(_ index: Int) -> Email {
        for back in 1...2 where index >= back && Self.isSplitMaster(index - back, count: count) {
            return splitCopy(of: base(index - back), copy: back - 1, index: index)
        }
        var e = base(index)
        if Self.isSplitMaster(index, count: count) {
            e.emailSplit = "split"
            if e.recipients.count < 2 { e.recipients.append("copy.\(index)@\(tenantDomain)") }
            e.recipients = Array(e.recipients.prefix(2))
            e.direction = .incoming
        }
        return e
    }

    /// Copy `copy` (0 or 1) of a split email: one recipient's mailbox, its own id, the master's content.
    private func splitCopy(of master: Email, copy: Int, index: Int) -> Email {
        var e = master
        var recipients = master.recipients
        if recipients.count < 2 { recipients.append("copy.\(index - copy - 1)@\(tenantDomain)") }
        e.id = EntityJSON.pseudoID(master.id, "copy\(copy)")
        e.recipients = [recipients[copy]]
        e.cc = []
        e.direction = .incoming
        e.created = HTTPDate.wholeMicroseconds(master.created.addingTimeInterval(-0.000_5 * Double(copy + 1)))
        return e
    }

    private func base(_ index: Int) -> Email {
        var r = SeededRandom(seed: seed, stream: UInt64(scope + 1), index: UInt64(index))
        let id = r.hex(32)
        let offset = (Double(index) + r.unit()) * days * 86_400 / Double(count)
        let created = HTTPDate.wholeMicroseconds(now.addingTimeInterval(-offset))  // stored as served
        let received = created.addingTimeInterval(-Double(r.int(in: 1...90)) - r.unit())
        let roll = r.unit()
        let verdict: Verdict = roll < 0.70 ? .clean : roll < 0.80 ? .spam : roll < 0.87 ? .graymail
            : roll < 0.93 ? .phishing : roll < 0.96 ? .suspiciousPhishing : .malware
        let saas = r.chance(0.65) ? "office365_emails" : "google_mail"
        let user = { (r: inout SeededRandom) -> String in "\(r.pick(Pools.firstNames)).\(r.pick(Pools.lastNames))" }
        var direction = Direction.incoming
        if verdict == .clean {
            let d = r.unit()
            direction = d < 0.7 ? .incoming : d < 0.9 ? .internal : .outgoing
        }
        let fromLocal: String
        let fromDomain: String
        switch (verdict, direction) {
        case (_, .internal), (_, .outgoing): fromLocal = user(&r); fromDomain = tenantDomain
        case (.clean, _):
            if r.chance(0.3) { fromLocal = "newsletter"; fromDomain = r.pick(Pools.newsletters) }
            else { fromLocal = user(&r); fromDomain = r.pick(Pools.partners) }
        case (.graymail, _): fromLocal = r.pick(["news", "offers", "hello"]); fromDomain = r.pick(Pools.newsletters)
        case (.spam, _): fromLocal = r.pick(["promo", "winner", "sales", "info"]); fromDomain = r.pick(Pools.spamDomains)
        case (.phishing, _), (.suspiciousPhishing, _):
            fromLocal = r.pick(["security", "no-reply", "account", "support", "hr"]); fromDomain = r.pick(Pools.phishDomains)
        case (.malware, _): fromLocal = r.pick(["accounts", "scanner", "billing"]); fromDomain = r.pick(Pools.malwareDomains)
        }
        let fromEmail = "\(fromLocal)@\(fromDomain)"
        let fromName = fromLocal.split(separator: ".").map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined(separator: " ")
        let recipientDomain = direction == .outgoing ? r.pick(Pools.partners) : tenantDomain
        let recipients = (0..<r.int(in: 1...3)).map { _ in "\(user(&r))@\(recipientDomain)" }
        let cc = r.chance(0.2) ? ["\(user(&r))@\(tenantDomain)"] : []
        let subjectPool: [String]
        switch verdict {
        case .clean: subjectPool = fromLocal == "newsletter" ? Pools.newsletterSubjects : Pools.cleanSubjects
        case .graymail: subjectPool = Pools.newsletterSubjects
        case .spam: subjectPool = Pools.spamSubjects
        case .phishing, .suspiciousPhishing: subjectPool = Pools.phishSubjects
        case .malware: subjectPool = Pools.malwareSubjects
        }
        let subject = fill(r.pick(subjectPool), &r)
        var links: [String] = []
        switch verdict {
        case .phishing, .suspiciousPhishing:
            links.append("https://\(fromDomain)/login?session=\(r.hex(12))")
        case .clean where r.chance(0.5):
            links.append("https://www.\(r.pick(Pools.partners))/docs/\(r.hex(8))")
        case .spam, .graymail:
            links.append("https://\(fromDomain)/offer/\(r.hex(6))")
            links.append("https://\(fromDomain)/unsubscribe")
        default: break
        }
        var linkDomains: [String] = []
        for link in links {
            let host = String(link.dropFirst("https://".count).prefix { $0 != "/" && $0 != "?" })
            if !linkDomains.contains(host) { linkDomains.append(host) }
        }
        var attachments: [Attachment] = []
        if verdict == .malware {
            let (name, mime) = r.pick(Pools.malwareAttachments)
            attachments.append(Attachment(name: fill(name, &r), mimetype: mime, size: r.int(in: 20_000...900_000),
                                          md5: r.pick(badHashes)))
        } else if verdict == .clean && r.chance(0.3) {
            for _ in 0..<r.int(in: 1...2) {
                let (name, mime) = r.pick(Pools.cleanAttachments)
                attachments.append(Attachment(name: name, mimetype: mime, size: r.int(in: 5_000...4_000_000), md5: r.hex(32)))
            }
        }
        let scl: String
        let ms: String
        switch verdict {
        case .clean: scl = r.pick(["-1", "1"]); ms = "ms_clean"
        case .graymail: scl = "5"; ms = "ms_bulk"
        case .spam: scl = String(r.int(in: 5...9)); ms = r.pick(["ms_spam", "ms_bulk", "ms_high_confidence_spam"])
        case .phishing, .suspiciousPhishing:
            scl = String(r.pick([-1, 1, 5, 9])); ms = r.pick(["ms_phishing", "ms_high_confidence_phishing", "ms_clean"])
        case .malware: scl = "-1"; ms = r.pick(["ms_malware", "ms_clean"])
        }
        let reasons: [Reason]
        switch verdict {
        case .clean: reasons = []
        case .spam, .graymail: reasons = [r.pick(Pools.spamReasons)]
        case .phishing, .suspiciousPhishing: reasons = []  // from the data: VerdictReasons
        case .malware: reasons = Pools.malwareReasons
        }
        let spf = verdict == .clean ? "pass" : r.pick(["pass", "fail", "softfail", "neutral", "none"])
        let ip = "\(r.pick(["203.0.113", "198.51.100", "192.0.2"])).\(r.int(in: 1...254))"
        return Email(
            id: id, scope: scope, saas: saas, created: created, received: received, verdict: verdict,
            fromEmail: fromEmail, fromName: fromName, fromDomain: fromDomain,
            replyTo: verdict == .phishing && r.chance(0.5) ? "reply@\(r.pick(Pools.phishDomains))" : (r.chance(0.5) ? fromEmail : nil),
            subject: subject, recipients: recipients, cc: cc, links: links, linkDomains: linkDomains,
            attachments: attachments, senderServerIp: ip, senderClientIp: "10.\(r.int(256)).\(r.int(256)).\(r.int(in: 1...254))",
            spf: spf, internetMessageId: "<\(r.hex(16))@\(fromDomain)>",
            size: 2_000 + r.int(60_000) + attachments.reduce(0) { $0 + $1.size },
            direction: direction, mode: r.chance(0.8) ? "inline" : "monitor", saasSpamVerdict: scl, msDetection: ms,
            avMalicious: verdict == .malware, maliciousURL: verdict == .phishing && !links.isEmpty && r.chance(0.4),
            dlpLeak: direction == .outgoing && r.chance(0.1), reasons: reasons, isRead: r.chance(0.6))
    }

    /// The initial mutable state of email `index`: some threats quarantined, some with restore requests.
    func initialFlags(_ email: Email, index: Int) -> EmailFlags {
        var r = SeededRandom(seed: seed, stream: UInt64(scope + 101), index: UInt64(index))
        var f = EmailFlags()
        let p: Double
        switch email.verdict {
        case .phishing, .malware: p = 0.6
        case .suspiciousPhishing: p = 0.2
        case .spam: p = 0.1
        default: p = 0
        }
        if r.chance(p) {
            f.isQuarantined = true
            f.quarantinedBy = email.verdict == .spam ? "admin" : (r.chance(0.85) ? "cp" : "analyst")
            f.actions = [EntityAction(name: "quarantine", date: email.created.addingTimeInterval(5), state: "completed")]
            if r.chance(0.08) && now.timeIntervalSince(email.created) < 15 * 86_400 {
                f.isRestoreRequested = true
                f.restoreRequestTime = email.created.addingTimeInterval(Double(r.int(in: 600...36_000)))
                f.restoreCommentary = "I think this is legit, please release"
            }
        }
        return f
    }

    /// Replaces `%s` with a word and each `%d` with a number (no Foundation: this runs 20,000 times).
    private func fill(_ template: String, _ r: inout SeededRandom) -> String {
        guard template.utf8.contains(37) else { return template }
        var out = ""
        var it = template.makeIterator()
        while let ch = it.next() {
            guard ch == "%" else { out.append(ch); continue }
            switch it.next() {
            case "s": out += r.pick(["ACME", "Q3", "ops", "EMEA", "north"])
            case "d": out += String(r.int(in: 2...98_765))
            case let other?: out.append("%"); out.append(other)
            case nil: out.append("%")
            }
        }
        return out
    }
}
