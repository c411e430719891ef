import Foundation

/// The AP verdict of an email (`entitySecurityResult.combinedVerdict.ap`).
/// - SeeAlso: docs/checkpoint-api.md "Entity" (`entitySecurityResult.combinedVerdict`).
enum Verdict: String, Sendable, CaseIterable {
    case clean, spam, graymail, phishing, suspiciousPhishing = "suspicious_phishing", malware

    /// The `cpDetection` values of `entityDetectionResolutionFilter` this verdict answers to.
    var cpDetection: String {
        switch self {
        case .clean: return "cp_clean"
        case .spam, .graymail: return "cp_spam"
        case .phishing: return "cp_phishing"
        case .suspiciousPhishing: return "cp_ap_suspicious"
        case .malware: return "cp_malicious"
        }
    }
}

enum Direction: Sendable { case incoming, `internal`, outgoing }

struct Attachment: Sendable {
    var name: String
    var mimetype: String
    var size: Int
    var md5: String
}

/// One reason of the AP engine, grouped by category in `reasons_by_category`.
struct Reason: Sendable {
    var category: String
    var short: String
    var full: String
}

/// One generated email entity: the immutable part. State that actions change lives in `EmailFlags`.
/// - SeeAlso: checkpoint-api.md "Entity" "Entity".
struct Email: Sendable {
    var id: String
    var scope: Int
    var saas: String
    var created: Date
    var received: Date
    var verdict: Verdict
    var fromEmail: String
    var fromName: String
    var fromDomain: String
    /// Null in about half the recorded entities (with `replyToNickname` null too).
    var replyTo: String?
    var subject: String
    var recipients: [String]
    var cc: [String]
    var links: [String]
    var linkDomains: [String]
    var attachments: [Attachment]
    var senderServerIp: String
    var senderClientIp: String
    var spf: String
    var internetMessageId: String
    var size: Int
    var direction: Direction
    var mode: String
    var saasSpamVerdict: String
    var msDetection: String
    var avMalicious: Bool
    var maliciousURL: Bool
    var dlpLeak: Bool
    /// Reasons the data cannot give (spam/malware pools, fixture text); the rest come from `VerdictReasons`.
    var reasons: [Reason]
    var isRead: Bool
    /// `"split"` on the master record of a split email (its copies are the next two emails).
    var emailSplit: String? = nil

    var saasEntityType: String { saas + "_email" }

    /// Microsoft's placement, from the SCL (`saasSpamVerdict`): 7-9 quarantine, 5-6 junk [FLOW].
    var msQuarantinedState: String {
        let scl = Int(saasSpamVerdict) ?? -1
        if scl >= 7 { return "ms_quarantined" }
        return scl >= 5 ? "ms_delivered_junk" : "ms_delivered_inbox"
    }
}

/// An entry of `entityActions`.
struct EntityAction: Sendable {
    var name: String
    var date: Date
    var state: String
}

/// The mutable state of an email: what quarantine / restore / decline change.
struct EmailFlags: Sendable {
    var isQuarantined = false
    /// "cp", "analyst" or "admin": feeds `cpQuarantinedState`.
    var quarantinedBy: String?
    var isRestoreRequested = false
    var restoreRequestTime: Date?
    var restoreCommentary: String?
    var isRestored = false
    var isRestoreDeclined = false
    var actions: [EntityAction] = []
}
