import Foundation

/// A secured SaaS entity (an email, mostly) as `/search/query` and `/search/entity/{id}` return it.
///
/// Only the fields the tools use are modelled; every field is optional on the wire and decodes
/// tolerantly (see `HECDecoding.swift`), so one odd value does not lose a page.
/// - SeeAlso: checkpoint-api.md §2.3 "Entity" (XS test_data get_entity/search_emails, BL).
public struct HECEntity: Decodable, Sendable, Hashable {
    public var info: Info
    public var payload: Payload
    public var securityResult: SecurityResult
    public var actions: [Action]
    /// `entityAvailableActions`: action names (strings in the sources; objects are read by their name field).
    public var availableActions: [String]

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
            let c = try decoder.container(keyedBy: HECKey.self)
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
            let c = try decoder.container(keyedBy: HECKey.self)
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
        public var senderServerIp: String?
        public var senderClientIp: String?

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: HECKey.self)
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
            senderServerIp = c.str("senderServerIp")
            senderClientIp = c.str("senderClientIp")
        }

        static let empty = try! JSONDecoder().decode(Payload.self, from: Data("{}".utf8))

        /// Recipients from whichever field the source filled.
        public var allRecipients: [String] { !recipients.isEmpty ? recipients : to + cc }
    }

    /// One engine's result (`entitySecurityResult.ap[]`, `.dlp[]`, `.av[]`, ...).
    public struct EngineResult: Decodable, Sendable, Hashable {
        public var verdict: String?
        public var score: String?
        public var statusDescription: String?
        public var securityResultEntityType: String?
        public var entityType: String?
        /// `payload.reasons[]` (AP engine).
        public var reasons: [String]
        /// `payload.reasons_by_category{category: [{short_text, full_text}]}`, flattened.
        public var reasonsByCategory: [Reason]
        /// `payload.file_name` / `payload.md5` (AV engine per attachment), when present.
        public var fileName: String?

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: HECKey.self)
            verdict = c.str("verdict")
            score = c.str("score")
            statusDescription = c.str("statusDescription")
            securityResultEntityType = c.str("securityResultEntityType")
            entityType = c.str("entityType")
            let p = try? c.nestedContainer(keyedBy: HECKey.self, forKey: HECKey("payload"))
            reasons = p?.strings("reasons") ?? []
            fileName = p?.str("file_name")
            var byCat: [Reason] = []
            if let cats = try? p?.nestedContainer(keyedBy: HECKey.self, forKey: HECKey("reasons_by_category")) {
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
            let c = try decoder.container(keyedBy: HECKey.self)
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
            let c = try decoder.container(keyedBy: HECKey.self)
            var verdicts: [EngineVerdict] = []
            if let cv = try? c.nestedContainer(keyedBy: HECKey.self, forKey: HECKey("combinedVerdict")) {
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
            let c = try decoder.container(keyedBy: HECKey.self)
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
            let c = try decoder.container(keyedBy: HECKey.self)
            name = c.str("actionName") ?? c.str("entityActionName") ?? c.str("name")
        }
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: HECKey.self)
        info = try c.decode(Info.self, forKey: HECKey("entityInfo"))
        payload = (try? c.decode(Payload.self, forKey: HECKey("entityPayload"))) ?? Payload.empty
        securityResult = c.object("entitySecurityResult", as: SecurityResult.self) ?? SecurityResult()
        actions = c.list("entityActions", of: Action.self)
        availableActions = c.list("entityAvailableActions", of: NamedAction.self).compactMap(\.name)
    }

    /// Quarantine state in words: quarantined, restored, restore_requested, restore_declined, not_quarantined.
    public var quarantineState: String {
        let p = payload
        if p.isQuarantined == true {
            if p.isRestoreRequested == true { return "quarantined_restore_requested" }
            if p.isRestoreDeclined == true { return "quarantined_restore_declined" }
            return "quarantined"
        }
        if p.isRestored == true { return "restored" }
        return "not_quarantined"
    }
}

