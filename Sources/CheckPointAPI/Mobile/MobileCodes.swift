import Foundation

/// Device status and risk as the Harmony Mobile API codes them.
///
/// The codes come from the guide's "Table of Values"; the names are what we show. A code the tables do
/// not list is kept as `.unknown(code)` and shown as "unknown (7)": dropping it would hide a device.
/// - SeeAlso: Check Point's Harmony Mobile external API guide ("Cloud Infra-Tenants External API for Harmony Mobile Service"; see docs/checkpoint-api.md), "Table of Values"; `docs/checkpoint-api.md` "Harmony Mobile" [GS].
public enum MobileDeviceStatus: Sendable, Hashable {
    case processing, provisioned, active, inactive
    case unknown(Int)

    /// -1 processing, 0 provisioned ("User Notified"), 1 active, 4 inactive.
    public init(code: Int) {
        switch code {
        case -1: self = .processing
        case 0: self = .provisioned
        case 1: self = .active
        case 4: self = .inactive
        default: self = .unknown(code)
        }
    }

    public var code: Int {
        switch self {
        case .processing: return -1
        case .provisioned: return 0
        case .active: return 1
        case .inactive: return 4
        case .unknown(let c): return c
        }
    }

    /// The name shown in results; "unknown (7)" for a code outside the table.
    public var name: String {
        switch self {
        case .processing: return "processing"
        case .provisioned: return "provisioned"
        case .active: return "active"
        case .inactive: return "inactive"
        case .unknown(let c): return "unknown (\(c))"
        }
    }

    /// Every documented status, in table order.
    public static let documented: [MobileDeviceStatus] = [.processing, .provisioned, .active, .inactive]

    /// Parses a name as a user or the API may write it: "active", "Active", "user_notified",
    /// "User Notified", "In Active", "inactive", or the code itself ("-1", "4").
    public init?(name: String) {
        let key = MobileCodeKey.normalize(name)
        switch key {
        case "processing": self = .processing
        case "provisioned", "usernotified", "notified": self = .provisioned
        case "active": self = .active
        case "inactive": self = .inactive
        default:
            guard let code = Int(key) else { return nil }
            self.init(code: code)
        }
    }
}

/// The current risk of a device: 0 none, 1 low, 2 medium, 3 high; anything else kept as unknown.
public enum MobileDeviceRisk: Sendable, Hashable {
    case none, low, medium, high
    case unknown(Int)

    public init(code: Int) {
        switch code {
        case 0: self = .none
        case 1: self = .low
        case 2: self = .medium
        case 3: self = .high
        default: self = .unknown(code)
        }
    }

    public var code: Int {
        switch self {
        case .none: return 0
        case .low: return 1
        case .medium: return 2
        case .high: return 3
        case .unknown(let c): return c
        }
    }

    public var name: String {
        switch self {
        case .none: return "none"
        case .low: return "low"
        case .medium: return "medium"
        case .high: return "high"
        case .unknown(let c): return "unknown (\(c))"
        }
    }

    public static let documented: [MobileDeviceRisk] = [.none, .low, .medium, .high]

    /// "none", "No Risk", "NONE", "low", ..., or the code ("3").
    public init?(name: String) {
        let key = MobileCodeKey.normalize(name)
        switch key {
        case "none", "norisk": self = .none
        case "low": self = .low
        case "medium": self = .medium
        case "high": self = .high
        default:
            guard let code = Int(key) else { return nil }
            self.init(code: code)
        }
    }
}

enum MobileCodeKey {
    /// Lowercased with spaces, underscores and dashes (but a leading minus sign) removed.
    static func normalize(_ s: String) -> String {
        let t = s.trimmingCharacters(in: .whitespaces).lowercased()
        if t.hasPrefix("-"), Int(t) != nil { return t }
        return t.filter { $0 != " " && $0 != "_" && $0 != "-" }
    }
}
