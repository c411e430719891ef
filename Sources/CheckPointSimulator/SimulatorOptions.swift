import Foundation

/// The order `/search/query` and `/event/query` serve matches in. Check Point's XSOAR client and a live-verified
/// adapter read the real API as oldest first within the window (and the 10,000 cap keeps the oldest), so that
/// is the default; newest first is the other order a client must not depend on either way.
public enum ResultOrder: String, Sendable, CaseIterable {
    case oldestFirst = "oldest-first"
    case newestFirst = "newest-first"
}

/// How `scrollId` behaves while paging `/search/query` and `/event/query`.
/// - SeeAlso: docs/checkpoint-api.md "Paging" (scrollId: a CONFLICT between sources; the simulator can play both).
public enum ScrollStyle: String, Sendable, CaseIterable {
    /// One id repeated while records remain, a short final page with `scrollId: null`, then empty pages [PP, LC].
    case stable
    /// A fresh id on every page (the previous one stops working), `null` on the last page [EL mock].
    case perPage = "per-page"
}

/// Everything a simulator instance is started with. Defaults are documented in docs/simulator.md.
public struct SimulatorOptions: Sendable {
    /// HEC API key (one scope, `mt-prod-3:acme-demo`).
    public static let defaultClientID = "sim-client-id"
    public static let defaultClientSecret = "sim-client-secret"
    /// Harmony Mobile API key (Mobile service; HEC routes answer 403 for it).
    public static let defaultMobileClientID = "sim-mobile-id"
    public static let defaultMobileClientSecret = "sim-mobile-secret"
    /// MSP HEC key that sees three scopes, so actions without `scope` fail as on a multi-scope client.
    public static let defaultMSPClientID = "sim-msp-id"
    public static let defaultMSPClientSecret = "sim-msp-secret"
    public static let defaultSeed: UInt64 = 20_260_101
    public static let defaultTokenLifetimeSeconds = 1800
    public static let defaultTaskCompletionDelay = 0.5

    /// 0 picks an ephemeral port.
    public var port: UInt16
    public var clientID: String
    public var clientSecret: String
    public var mobileClientID: String
    public var mobileClientSecret: String
    public var mspClientID: String
    public var mspClientSecret: String
    /// Seeds the generated tenant; the same seed gives the same ids, subjects and devices.
    public var seed: UInt64
    /// `expiresIn` of issued tokens; tokens stop working after it.
    public var tokenLifetimeSeconds: Int
    /// Seconds a task stays `pending` before it reads `completed`.
    public var taskCompletionDelay: Double
    public var scrollStyle: ScrollStyle
    /// Order of query results (default oldest first, as the real API is read).
    public var order: ResultOrder
    /// When true, a finished scroll reports `scrollId: ""` instead of `null` (both occur: checkpoint-api.md "Envelopes and errors").
    public var scrollEndsWithEmptyString: Bool
    /// Faults active from the start (as if posted to `/_sim/faults`).
    public var faults: [SimulatorFault]
    /// When tokens and tasks expire; real time unless a test sets a manual `SimClock`.
    public var clock = SimClock()
    /// Adds a device, an alert and an audit entry with hostile strings to the Mobile tenant (`HostileMobile.swift`).
    public var hostileMobile = false
    /// The HEC keys have no farm association: `GET /scopes` answers `[""]`, as such a real key does
    /// (docs/checkpoint-api.md "HEC endpoints", `GET /scopes`). Other routes are unchanged.
    public var unassignedKey = false

    public init(port: UInt16 = 0,
                clientID: String = defaultClientID, clientSecret: String = defaultClientSecret,
                mobileClientID: String = defaultMobileClientID, mobileClientSecret: String = defaultMobileClientSecret,
                mspClientID: String = defaultMSPClientID, mspClientSecret: String = defaultMSPClientSecret,
                seed: UInt64 = defaultSeed, tokenLifetimeSeconds: Int = defaultTokenLifetimeSeconds,
                taskCompletionDelay: Double = defaultTaskCompletionDelay, scrollStyle: ScrollStyle = .stable,
                order: ResultOrder = .oldestFirst, scrollEndsWithEmptyString: Bool = false, faults: [SimulatorFault] = []) {
        self.port = port
        self.clientID = clientID
        self.clientSecret = clientSecret
        self.mobileClientID = mobileClientID
        self.mobileClientSecret = mobileClientSecret
        self.mspClientID = mspClientID
        self.mspClientSecret = mspClientSecret
        self.seed = seed
        self.tokenLifetimeSeconds = tokenLifetimeSeconds
        self.taskCompletionDelay = taskCompletionDelay
        self.scrollStyle = scrollStyle
        self.order = order
        self.scrollEndsWithEmptyString = scrollEndsWithEmptyString
        self.faults = faults
    }
}
