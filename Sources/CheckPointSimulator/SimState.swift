import Foundation

/// Which API key a token was issued to.
enum KeyKind: String, Sendable {
    case hec, mobile, msp
}

struct TokenInfo: Sendable {
    let kind: KeyKind
    let clientID: String
    let expires: Date
}

/// Counters behind `GET /_sim/stats`.
struct Stats: Sendable {
    var authCalls = 0
    var authFailures = 0
    var requests: [String: Int] = [:]
    var perKey: [String: Int] = [:]
    var statuses: [String: Int] = [:]
    var faultsApplied: [String: Int] = [:]
    var inFlight = 0
    var maxConcurrent = 0
}

/// Everything mutable in a simulator, behind one lock.
///
/// A final class with a lock rather than an actor: requests are served on plain blocking threads, and every
/// critical section is short (no I/O or sleeping while holding it). Data generation happens once, lazily.
final class SimState: @unchecked Sendable {
    let options: SimulatorOptions
    /// Requests held without an answer, for in-process tests that wait on them (`SimulatorServer.unlessHeld`).
    let held = HeldRequests()
    private let lock = NSLock()
    private var epoch = Date()
    /// Set by `regenerate()`: build a fresh tenant relative to now instead of using the process-wide cache.
    private var regenerated = false
    private(set) var tokens: [String: TokenInfo] = [:]
    var stats = Stats()
    var faults: [SimulatorFault]
    private var hecTenant: HECTenant?
    var emailFlags: [[EmailFlags]] = []
    var eventFlags: [[EventFlags]] = []
    var scrolls: [String: ScrollState] = [:]
    var tasks: [Int64: TaskRecord] = [:]
    var lastTaskID: Int64 = 0
    var exceptions: ExceptionStore?
    private var mobileTenant: MobileTenant?

    init(options: SimulatorOptions) {
        self.options = options
        self.faults = options.faults
    }

    /// Runs `body` holding the lock.
    func sync<T>(_ body: (SimState) throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body(self)
    }

    // MARK: - Tenant (call inside `sync`)

    /// The HEC tenant, generated on first use relative to the simulator's epoch.
    func hec() -> HECTenant {
        if let t = hecTenant { return t }
        let t = regenerated ? HECTenant(seed: options.seed, now: epoch) : TenantCache.shared.tenant(seed: options.seed, now: epoch)
        hecTenant = t
        emailFlags = t.emailFlags
        eventFlags = t.eventFlags
        return t
    }

    /// The Harmony Mobile tenant, generated on first use; `body` may change it in place.
    func mobile<T>(_ body: (inout MobileTenant) -> T) -> T {
        if mobileTenant == nil {
            mobileTenant = MobileTenant(seed: options.seed, now: epoch)
            if options.hostileMobile { mobileTenant!.addHostile(now: epoch) }
        }
        return body(&mobileTenant!)
    }

    func exceptionStore() -> ExceptionStore {
        if let e = exceptions { return e }
        let e = ExceptionStore(seed: options.seed, now: epoch)
        exceptions = e
        return e
    }

    /// Puts every mutable thing (flags, event states, devices, groups, exceptions, tasks, scrolls) back to
    /// the seed without regenerating: same ids, same times.
    func restoreSeedState() {
        if let t = hecTenant {
            emailFlags = t.emailFlags
            eventFlags = t.eventFlags
        }
        mobileTenant = nil
        exceptions = nil
        scrolls = [:]
        tasks = [:]
    }

    /// Drops all generated data and state; the next use regenerates relative to now.
    func regenerate() {
        epoch = Date()
        regenerated = true
        hecTenant = nil
        mobileTenant = nil
        exceptions = nil
        emailFlags = []
        eventFlags = []
        scrolls = [:]
        tasks = [:]
    }

    // MARK: - Tokens (call inside `sync`)

    func issueToken(kind: KeyKind, clientID: String) -> (String, TokenInfo) {
        var bytes = SystemRandomNumberGenerator()
        let token = (0..<4).map { _ in String(bytes.next() as UInt64, radix: 16) }.joined()
        let info = TokenInfo(kind: kind, clientID: clientID,
                             expires: options.clock.now.addingTimeInterval(Double(options.tokenLifetimeSeconds)))
        tokens[token] = info
        return ("sim." + token, info)
    }

    func token(_ bearer: String) -> TokenInfo? {
        let raw = bearer.hasPrefix("sim.") ? String(bearer.dropFirst(4)) : ""
        guard let info = tokens[raw] else { return nil }
        if info.expires <= options.clock.now {
            tokens[raw] = nil
            return nil
        }
        return info
    }

    func expireAllTokens() { tokens = [:] }

    // MARK: - Faults (call inside `sync`)

    /// The faults that apply to this request, consuming one use of each counted fault. A `rate_limit` fault
    /// applies only when it refuses; a request it lets through gets its headers in `quota`.
    func takeFaults(route: String, quota: inout RateLimitDecision?) -> [SimulatorFault] {
        var hits: [SimulatorFault] = []
        var i = 0
        while i < faults.count {
            let f = faults[i]
            if f.kind == .rateLimit, f.route.map({ route.hasPrefix($0) }) ?? true {
                let decision = faults[i].admit(now: options.clock.now.timeIntervalSinceReferenceDate)
                quota = decision
                if !decision.refused { i += 1; continue }
            }
            if f.kind != .invalidScroll, f.kind != .lostAnswer, f.route.map({ route.hasPrefix($0) }) ?? true {
                hits.append(f)
                stats.faultsApplied[f.kind.rawValue, default: 0] += 1
                if let c = f.count {
                    if c <= 1 { faults.remove(at: i); continue }
                    faults[i].count = c - 1
                }
            }
            i += 1
        }
        return hits
    }

    /// True (and one use consumed) when an `invalid_scroll` fault applies to this scroll continuation.
    func takeInvalidScroll(route: String) -> Bool {
        guard let i = faults.firstIndex(where: { $0.kind == .invalidScroll && ($0.route.map { route.hasPrefix($0) } ?? true) })
        else { return false }
        stats.faultsApplied["invalid_scroll", default: 0] += 1
        if let c = faults[i].count, c <= 1 { faults.remove(at: i) } else if let c = faults[i].count { faults[i].count = c - 1 }
        return true
    }

    /// The `lost_answer` fault that applies to this request (one use consumed), if any.
    func takeLostAnswer(route: String, isContinuation: Bool) -> SimulatorFault? {
        guard let i = faults.firstIndex(where: {
            $0.kind == .lostAnswer && ($0.route.map { route.hasPrefix($0) } ?? true) && (!$0.scrollOnly || isContinuation)
        }) else { return nil }
        let f = faults[i]
        stats.faultsApplied[f.kind.rawValue, default: 0] += 1
        if let c = f.count, c <= 1 { faults.remove(at: i) } else if let c = f.count { faults[i].count = c - 1 }
        return f
    }
}
