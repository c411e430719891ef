import Foundation

/// One thing wrong with the environment: which variable, what form was expected, which services it blocks.
///
/// A problem with an empty `services` set is a warning: the default was used and nothing is blocked.
public struct ConfigurationProblem: Sendable, Hashable, CustomStringConvertible {
    public var variable: String
    public var message: String
    public var services: Set<Service>

    public init(variable: String, message: String, services: Set<Service>) {
        self.variable = variable
        self.message = message
        self.services = services
    }

    public var description: String { message }
}

/// Settings read from the environment. Never crashes on bad input: every missing or malformed setting
/// becomes a `ConfigurationProblem`, reported at startup and by every call that needs the service.
///
/// - SeeAlso: docs/configuration.md for every variable, its default and why.
public struct Configuration: Sendable {
    /// Scheme + host (+ port) of the Infinity Portal gateway; nil when the settings do not name a usable one.
    public var gatewayURL: URL?
    public var region: Region?
    /// Infinity Portal unless the gateway is a `smart-api-production-*.avanan.net` host or `CHECKPOINT_HEC_API` says `smart-api`.
    public var hecAPI: HECAPIKind = .infinity
    /// API key of the Harmony Email & Collaboration service.
    public var hecCredentials: Credentials?
    /// API key of the Harmony Mobile service (falls back to the HEC pair).
    public var mobileCredentials: Credentials?
    /// An explicit per-minute cap per key (`CHECKPOINT_RATE_LIMIT_PER_MINUTE`); nil (the default): none, the limiter adapts to 429s.
    public var rateLimitPerMinute: Int?
    public var maxConcurrency: Int = 5
    public var requestTimeout: Duration = .seconds(30)
    public var callDeadline: Duration = .seconds(120)
    /// Retries after the first attempt for 429/5xx/timeouts/connection errors.
    public var maxRetries: Int = 4
    /// An answer whose body is larger is aborted and reported (`.responseTooLarge`). The largest honest
    /// answer is a 100-record search page of a few MB, so 32 MB is generous while a hostile or broken
    /// gateway (a 3 GB or endless body) can no longer grow memory without bound.
    public var maxResponseBytes: Int = Configuration.defaultMaxResponseBytes
    public static let defaultMaxResponseBytes = 32 << 20
    public var issues: [ConfigurationProblem]

    /// Every problem, as text (blocking ones and warnings).
    public var problems: [String] { issues.map(\.message) }

    /// The problems that stop calls to `service`, as text. Empty means the service is usable.
    public func problems(for service: Service) -> [String] {
        issues.filter { $0.services.contains(service) }.map(\.message)
    }

    public init(gatewayURL: URL?, problems: [String] = []) {
        self.gatewayURL = gatewayURL
        self.issues = problems.map { ConfigurationProblem(variable: "", message: $0, services: [.hec, .mobile]) }
    }

    /// A ready configuration (tests, `--demo`): one gateway, explicit keys, default tunables.
    public init(gatewayURL: URL, hec: Credentials?, mobile: Credentials? = nil) {
        self.gatewayURL = gatewayURL
        self.hecCredentials = hec
        self.mobileCredentials = mobile ?? hec
        self.issues = []
        if hec == nil {
            issues.append(.init(variable: Env.clientID, message: "no Harmony Email & Collaboration API key configured", services: [.hec]))
        }
        if mobileCredentials == nil {
            issues.append(.init(variable: Env.mobileClientID, message: "no Harmony Mobile API key configured", services: [.mobile]))
        }
    }

    public func credentials(for service: Service) -> Credentials? {
        service == .hec ? hecCredentials : mobileCredentials
    }

    /// Reads the `CHECKPOINT_*` variables (see docs/configuration.md).
    public static func fromEnvironment(_ env: [String: String] = ProcessInfo.processInfo.environment) -> Configuration {
        var config = Configuration(gatewayURL: nil)
        func value(_ name: String) -> String? {
            guard let raw = env[name]?.trimmingCharacters(in: .whitespacesAndNewlines), !raw.isEmpty else { return nil }
            return raw
        }
        let both: Set<Service> = [.hec, .mobile]

        // Gateway: an explicit URL wins over the region.
        if let raw = value(Env.gatewayURL) {
            switch GatewayURL.parse(raw) {
            case .success(let parsed):
                config.gatewayURL = parsed.url
                if let note = parsed.note { config.issues.append(.init(variable: Env.gatewayURL, message: Env.gatewayURL + note, services: [])) }
            case .failure(let why):
                config.issues.append(.init(variable: Env.gatewayURL, message: Env.gatewayURL + why.text, services: both))
            }
            if let region = value(Env.region), Region(parsing: region) == nil {
                config.issues.append(.init(variable: Env.region, message: "\(Env.region)=\"\(region)\" is not a region (ignored because \(Env.gatewayURL) is set); expected one of \(Region.accepted)", services: []))
            }
        } else if let raw = value(Env.region) {
            if let region = Region(parsing: raw) {
                config.region = region
                config.gatewayURL = region.gatewayURL
            } else {
                config.issues.append(.init(variable: Env.region, message: "\(Env.region)=\"\(raw)\" is not a region; expected one of \(Region.accepted), or set \(Env.gatewayURL)", services: both))
            }
        } else {
            config.region = Region.defaultRegion
            config.gatewayURL = Region.defaultRegion.gatewayURL
        }

        // Which HEC API: the Smart API by its host, or by the explicit variable (e.g. a local simulator).
        if let raw = value(Env.hecAPI) {
            if let kind = HECAPIKind(rawValue: raw.lowercased()) {
                config.hecAPI = kind
            } else {
                config.issues.append(.init(variable: Env.hecAPI, message: "\(Env.hecAPI)=\"\(raw)\" is not an API kind; expected infinity or smart-api", services: [.hec]))
            }
        } else if SmartAPI.isSmartAPIHost(config.gatewayURL?.host) {
            config.hecAPI = .smartAPI
        }
        if config.hecAPI == .smartAPI {
            config.issues.append(.init(variable: Env.gatewayURL, message: "Harmony Mobile is not served by the Avanan Smart API (\(Env.gatewayURL) or \(Env.hecAPI) selects it): run a second server with an Infinity Portal gateway for the mobile tools", services: [.mobile]))
        }

        // Keys.
        let hecID = value(Env.clientID), hecSecret = value(Env.clientSecret)
        switch (hecID, hecSecret) {
        case let (id?, secret?): config.hecCredentials = Credentials(clientID: id, secret: secret)
        case (nil, nil):
            config.issues.append(.init(variable: Env.clientID, message: "\(Env.clientID) and \(Env.clientSecret) are not set: create an API key for the \"Email & Collaboration\" service in Infinity Portal (Global Settings > API Keys) and set both", services: [.hec]))
        case (nil, _):
            config.issues.append(.init(variable: Env.clientID, message: "\(Env.clientID) is not set (\(Env.clientSecret) is): set it to the Client ID of the same Infinity Portal API key", services: [.hec]))
        case (_, nil):
            config.issues.append(.init(variable: Env.clientSecret, message: "\(Env.clientSecret) is not set (\(Env.clientID) is): set it to the Secret Key shown when the API key was created", services: [.hec]))
        }
        let mobileID = value(Env.mobileClientID), mobileSecret = value(Env.mobileClientSecret)
        switch (mobileID, mobileSecret) {
        case let (id?, secret?): config.mobileCredentials = Credentials(clientID: id, secret: secret)
        case (nil, nil):
            if let hec = config.hecCredentials {
                config.mobileCredentials = hec
            } else {
                config.issues.append(.init(variable: Env.mobileClientID, message: "Harmony Mobile has no API key: set \(Env.mobileClientID) and \(Env.mobileClientSecret) to a key of the \"Harmony Mobile\" service (or \(Env.clientID)/\(Env.clientSecret) if one key serves both)", services: [.mobile]))
            }
        case (nil, _):
            config.issues.append(.init(variable: Env.mobileClientID, message: "\(Env.mobileClientID) is not set (\(Env.mobileClientSecret) is): set it to the Client ID of the Harmony Mobile API key", services: [.mobile]))
        case (_, nil):
            config.issues.append(.init(variable: Env.mobileClientSecret, message: "\(Env.mobileClientSecret) is not set (\(Env.mobileClientID) is): set it to the Secret Key of the Harmony Mobile API key", services: [.mobile]))
        }

        // Tunables: a malformed value is a warning and the default stays.
        func number(_ name: String, _ range: ClosedRange<Double>, integer: Bool, unit: String) -> Double? {
            guard let raw = value(name) else { return nil }
            guard let v = Double(raw), v.isFinite, range.contains(v), !integer || v == v.rounded() else {
                let form = integer ? "a whole number" : "a number of seconds"
                let bounds = integer ? "\(Int(range.lowerBound))...\(Int(range.upperBound))" : "\(range.lowerBound)...\(range.upperBound)"
                config.issues.append(.init(variable: name, message: "\(name)=\"\(raw)\" is not valid: expected \(form) in \(bounds) \(unit); using the default", services: []))
                return nil
            }
            return v
        }
        if let v = number(Env.rateLimit, 1...100_000, integer: true, unit: "requests per minute") { config.rateLimitPerMinute = Int(v) }
        if let v = number(Env.maxConcurrency, 1...64, integer: true, unit: "requests in flight") { config.maxConcurrency = Int(v) }
        if let v = number(Env.requestTimeout, 0.1...600, integer: false, unit: "") { config.requestTimeout = .milliseconds(Int(v * 1000)) }
        if let v = number(Env.callDeadline, 0.5...3600, integer: false, unit: "") { config.callDeadline = .milliseconds(Int(v * 1000)) }
        if let v = number(Env.maxRetries, 0...10, integer: true, unit: "retries") { config.maxRetries = Int(v) }
        if let v = number(Env.maxResponseMB, 1...1024, integer: true, unit: "MB") { config.maxResponseBytes = Int(v) << 20 }
        return config
    }

    /// Variable names, spelled once.
    public enum Env {
        public static let clientID = "CHECKPOINT_CLIENT_ID"
        public static let clientSecret = "CHECKPOINT_CLIENT_SECRET"
        public static let region = "CHECKPOINT_REGION"
        public static let gatewayURL = "CHECKPOINT_GATEWAY_URL"
        public static let mobileClientID = "CHECKPOINT_MOBILE_CLIENT_ID"
        public static let mobileClientSecret = "CHECKPOINT_MOBILE_CLIENT_SECRET"
        public static let rateLimit = "CHECKPOINT_RATE_LIMIT_PER_MINUTE"
        public static let maxConcurrency = "CHECKPOINT_MAX_CONCURRENCY"
        public static let requestTimeout = "CHECKPOINT_REQUEST_TIMEOUT"
        public static let callDeadline = "CHECKPOINT_CALL_DEADLINE"
        public static let maxRetries = "CHECKPOINT_MAX_RETRIES"
        public static let hecAPI = "CHECKPOINT_HEC_API"
        public static let maxResponseMB = "CHECKPOINT_MAX_RESPONSE_MB"
    }
}
