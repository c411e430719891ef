import Foundation

/// A secured SaaS entity (an email, mostly) as `/search/query` and `/search/entity/{id}` return it.
///
/// Only the fields the tools use are modelled; every field is optional on the wire and decodes
/// tolerantly (see `HECDecoding.swift`), so one odd value does not lose a page.
/// - SeeAlso: checkpoint-api.md "Entity" "Entity" (XS test_data get_entity/search_emails, BL).
public struct HECEntity: Decodable, Sendable, Hashable {
    public var info: Info
    public var payload: Payload
    public var securityResult: SecurityResult
    public var actions: [Action]
    /// `entityAvailableActions`: action names (strings or objects with a name field). Recorded real entities
    /// carry `[]` whatever their state, so an empty list says nothing about what is possible; nil when absent.
    public var availableActions: [String]?

    /// `entityInfo`.
    public struct Info: Decodable, Sendable, Hashable {
        public var entityId: String
        public var customerId: String?
        public var saas: String?
        public var saasEntityType: String?
        public var entityCreated: Date?
        public var entityUpdated: Date?
        public var entityActionState: String?

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: FieldKey.self)
            entityId = c.str("entityId") ?? ""
            customerId = c.str("customerId")
            saas = c.str("saas")
            saasEntityType = c.str("saasEntityType")
            entityCreated = c.date("entityCreated")
            entityUpdated = c.date("entityUpdated")
            entityActionState = c.str("entityActionState")
        }
    }

    /// `entityPayload.attachments[]`.
    public struct Attachment: Decodable, Sendable, Hashable {
        public var name: String?
        public var mimetype: String?
        public var size: Int?
        public var md5: String?

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: FieldKey.self)
            name = c.str("name")
            mimetype = c.str("mimetype")
            size = c.int("size")
            md5 = c.str("MD5") ?? c.str("md5")
        }
    }

    /// `entityPayload`.
    public struct Payload: Decodable, Sendable, Hashable {
        public var internetMessageId: String?
        public var subject: String?
        public var received: Date?
        public var size: Int?
        public var emailLinks: [String]
        public var emailLinksDomains: [String]
        public var attachmentCount: Int?
        public var attachments: [Attachment]
        public var mode: String?
        public var recipients: [String]
        public var to: [String]
        public var cc: [String]
        public var bcc: [String]
        public var fromEmail: String?
        public var fromDomain: String?
        public var fromName: String?
        public var replyToEmail: String?
        public var replyToNickname: String?
        public var isIncoming: Bool?
        public var isInternal: Bool?
        public var isOutgoing: Bool?
        public var isQuarantined: Bool?
        public var isRestored: Bool?
        public var isRestoreRequested: Bool?
        public var isRestoreDeclined: Bool?
        public var isRead: Bool?
        public var isUserExposed: Bool?
        public var saasSpamVerdict: String?
        public var spfResult: String?
        public var restoreRequestTime: Date?
        public var restoreCommentary: String?
        /// `"split"` on the master record of an email delivered as per-mailbox copies (the copies are separate
        /// entities); absent or null otherwise. - SeeAlso: docs/checkpoint-api.md "Split emails".
        public var emailSplit: String?
        public var senderServerIp: String?
        public var senderClientIp: String?

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: FieldKey.self)
            internetMessageId = c.str("internetMessageId")
            subject = c.str("subject")
            received = c.date("received")
            size = c.int("size")
            emailLinks = c.strings("emailLinks")
            emailLinksDomains = c.strings("emailLinksDomains")
            attachmentCount = c.int("attachmentCount")
            attachments = c.list("attachments", of: Attachment.self)
            mode = c.str("mode")
            recipients = c.strings("recipients")
            to = c.strings("to")
            cc = c.strings("cc")
            bcc = c.strings("bcc")
            fromEmail = c.str("fromEmail")
            fromDomain = c.str("fromDomain")
            fromName = c.str("fromName")
            replyToEmail = c.str("replyToEmail")
            replyToNickname = c.str("replyToNickname")
            isIncoming = c.bool("isIncoming")
            isInternal = c.bool("isInternal")
            isOutgoing = c.bool("isOutgoing")
            isQuarantined = c.bool("isQuarantined")
            isRestored = c.bool("isRestored")
            isRestoreRequested = c.bool("isRestoreRequested")
            isRestoreDeclined = c.bool("isRestoreDeclined")
            isRead = c.bool("isRead")
            isUserExposed = c.bool("isUserExposed")
            saasSpamVerdict = c.str("saasSpamVerdict")
            spfResult = c.str("SpfResult") ?? c.str("spfResult")
            restoreRequestTime = c.date("restoreRequestTime")
            restoreCommentary = c.str("restoreCommentary")
            emailSplit = c.str("emailSplit")
            senderServerIp = c.str("senderServerIp")
            senderClientIp = c.str("senderClientIp")
        }

        static let empty = try! JSONDecoder().decode(Payload.self, from: Data("{}".utf8))

        /// Recipients from whichever field the source filled.
        public var allRecipients: [String] { !recipients.isEmpty ? recipients : to + cc }
    }

    /// One engine's result (`entitySecurityResult.ap[]`, `.dlp[]`, `.av[]`, ...). Each engine puts its
    /// evidence in its own `payload` keys; every one the recorded answers show is read here.
    /// - SeeAlso: docs/checkpoint-api.md "Entity" (`entitySecurityResult`; XSOAR test_data search_emails/get_entity).
    public struct EngineResult: Decodable, Sendable, Hashable {
        public var verdict: String?
        /// A decimal string on the wire ("100", "22.119542", "0.0").
        public var score: String?
        /// A string: "0", or "clean" for shadow IT rows.
        public var statusCode: String?
        public var statusDescription: String?
        public var securityResultEntityType: String?
        /// The scanned entity: the email, or an attachment (40-hex id, `entityType` `..._attachment`).
        public var resultEntityId: String?
        public var entityType: String?
        /// `payload.reasons[]` (AP engine).
        public var reasons: [String]
        /// `payload.reasons_by_category{category: [{short_text, full_text}]}`, flattened.
        public var reasonsByCategory: [Reason]
        /// `payload.scan_details[]`: anti-malware detection names (also present, empty, on DLP rows).
        public var scanDetails: [String]
        /// `payload.malicious_url_clicks[]` on a `clicktime_protection_scan` row.
        public var maliciousURLClicks: [String]
        /// A `clicktime_protection_scan_clicks` row: one click on a rewritten link.
        public var click: Click?
        /// DLP: `payload.matches_dlp_rules[]`, `payload.found_text[]`, `payload.hit_count`.
        public var dlpRules: [String]
        public var dlpFoundText: [String]
        public var dlpHitCount: Int?

        /// One click: the URL, the gateway's decision (`block`, ...), and where it came from.
        public struct Click: Sendable, Hashable {
            public var url: String?
            public var event: String?
            public var ipAddress: String?
            public var userAgent: String?
        }

        public var isAttachmentResult: Bool { entityType?.hasSuffix("_attachment") == true }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: FieldKey.self)
            verdict = c.str("verdict")
            score = c.str("score")
            statusCode = c.str("statusCode")
            statusDescription = c.str("statusDescription")
            securityResultEntityType = c.str("securityResultEntityType")
            resultEntityId = c.str("entityId")
            entityType = c.str("entityType")
            let p = try? c.nestedContainer(keyedBy: FieldKey.self, forKey: FieldKey("payload"))
            reasons = p?.strings("reasons") ?? []
            scanDetails = p?.strings("scan_details") ?? []
            maliciousURLClicks = p?.strings("malicious_url_clicks") ?? []
            dlpRules = p?.namedStrings("matches_dlp_rules") ?? []
            dlpFoundText = p?.namedStrings("found_text") ?? []
            dlpHitCount = p?.int("hit_count")
            if let r = try? p?.nestedContainer(keyedBy: FieldKey.self, forKey: FieldKey("result")) {
                click = Click(url: r.str("url") ?? p?.str("link"), event: r.str("event"), ipAddress: r.str("ip_address"),
                              userAgent: r.str("user_agent") ?? p?.str("user_agent"))
            }
            var byCat: [Reason] = []
            if let cats = try? p?.nestedContainer(keyedBy: FieldKey.self, forKey: FieldKey("reasons_by_category")) {
                for key in cats.allKeys.sorted(by: { $0.stringValue < $1.stringValue }) {
                    for r in cats.list(key.stringValue, of: ReasonText.self) {
                        byCat.append(Reason(category: key.stringValue, short: r.short ?? "", full: r.full ?? r.short ?? ""))
                    }
                }
            }
            reasonsByCategory = byCat
        }
    }

    /// One reason of an engine, from `reasons_by_category`.
    public struct Reason: Sendable, Hashable {
        public var category: String
        public var short: String
        public var full: String
    }

    /// `combinedVerdict.<engine>`.
    public struct EngineVerdict: Sendable, Hashable {
        public var engine: String
        public var verdict: String
    }

    /// The results of one engine (`entitySecurityResult.<engine>[]`).
    public struct EngineResults: Sendable, Hashable {
        public var engine: String
        public var results: [EngineResult]
    }

    struct ReasonText: Decodable {
        var short: String?
        var full: String?
        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: FieldKey.self)
            short = c.str("short_text")
            full = c.str("full_text")
        }
    }

    /// `entitySecurityResult`: combined verdicts per engine and each engine's results.
    public struct SecurityResult: Decodable, Sendable, Hashable {
        /// `combinedVerdict` as engine → verdict, in a fixed engine order (ap, av, clicktimeProtection, dlp, shadowIt).
        public var combinedVerdict: [EngineVerdict]
        /// Per-engine results, keyed like `combinedVerdict`.
        public var engines: [EngineResults]

        public static let engineOrder = ["ap", "av", "clicktimeProtection", "dlp", "shadowIt"]

        public init() { combinedVerdict = []; engines = [] }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: FieldKey.self)
            var verdicts: [EngineVerdict] = []
            if let cv = try? c.nestedContainer(keyedBy: FieldKey.self, forKey: FieldKey("combinedVerdict")) {
                let extra = cv.allKeys.map(\.stringValue).filter { !Self.engineOrder.contains($0) }.sorted()
                for engine in Self.engineOrder + extra { if let v = cv.str(engine) { verdicts.append(EngineVerdict(engine: engine, verdict: v)) } }
            }
            combinedVerdict = verdicts
            var e: [EngineResults] = []
            for engine in Self.engineOrder {
                let r = c.list(engine, of: EngineResult.self)
                if !r.isEmpty { e.append(EngineResults(engine: engine, results: r)) }
            }
            engines = e
        }

        /// The AP (anti-phishing) verdict: clean, spam, graymail, phishing, suspicious_phishing, malware.
        public var apVerdict: String? { combinedVerdict.first { $0.engine == "ap" }?.verdict }
    }

    /// `entityActions[]`: what was done to the entity.
    public struct Action: Decodable, Sendable, Hashable {
        public var name: String?
        public var date: Date?
        public var state: String?
        public var responseText: String?

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: FieldKey.self)
            name = c.str("entityActionName")
            date = c.date("entityActionDate")
            state = c.str("entityActionState")
            responseText = c.str("entityActionResponseText")
        }
    }

    struct NamedAction: Decodable {
        var name: String?
        init(from decoder: any Decoder) throws {
            if let s = try? decoder.singleValueContainer().decode(String.self) { name = s; return }
            let c = try decoder.container(keyedBy: FieldKey.self)
            name = c.str("actionName") ?? c.str("entityActionName") ?? c.str("name")
        }
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: FieldKey.self)
        info = try c.decode(Info.self, forKey: FieldKey("entityInfo"))
        payload = (try? c.decode(Payload.self, forKey: FieldKey("entityPayload"))) ?? Payload.empty
        securityResult = c.object("entitySecurityResult", as: SecurityResult.self) ?? SecurityResult()
        actions = c.list("entityActions", of: Action.self)
        availableActions = c.contains(FieldKey("entityAvailableActions"))
            ? c.list("entityAvailableActions", of: NamedAction.self).compactMap(\.name) : nil
    }

    /// The master record of a split email: its mailbox copies are the entities to count and act on.
    public var isSplitMaster: Bool { payload.emailSplit?.lowercased() == "split" }

    /// Quarantine state in words: quarantined, restored, restore_requested, restore_declined, not_quarantined.
    public var quarantineState: String {
        let p = payload
        if p.isQuarantined == true {
            // A declined request keeps `isRestoreRequested` set on the live gateway: declined wins.
            if p.isRestoreDeclined == true { return "quarantined_restore_declined" }
            if p.isRestoreRequested == true { return "quarantined_restore_requested" }
            return "quarantined"
        }
        if p.isRestored == true { return "restored" }
        return "not_quarantined"
    }
}

