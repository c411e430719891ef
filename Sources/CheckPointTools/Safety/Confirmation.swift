import CheckPointAPI
import Foundation
import MCPCore

/// Why a `confirmation_token` was refused. Each case's text tells the agent what to do next:
/// call the tool again without the token to get a fresh preview.
public enum ConfirmationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Never issued by this server process (typo, made up, or issued before a restart).
    case unknown
    /// Already used once; tokens are single use.
    case reused
    /// Issued, but its lifetime ran out before it was used.
    case expired(ttlSeconds: Int)
    /// Issued for different arguments (or another tool); the token stays valid for what it was issued for.
    case argumentsChanged(issuedFor: String)

    public var description: String {
        let again = "Call the tool again without confirmation_token to get a fresh preview and a new token; nothing was changed."
        switch self {
        case .unknown:
            return "Confirmation refused: this confirmation_token was not issued by this server (or the server restarted). \(again)"
        case .reused:
            return "Confirmation refused: this confirmation_token was already used (tokens are single use). \(again)"
        case .expired(let ttl):
            return "Confirmation refused: this confirmation_token expired (tokens last \(ttl) seconds). \(again)"
        case .argumentsChanged(let tool):
            return "Confirmation refused: the arguments differ from the ones this confirmation_token was issued for "
                + "(\(tool)). A token is bound to exactly the previewed arguments: repeat that call unchanged plus the "
                + "token, or \(again.prefix(1).lowercased() + again.dropFirst())"
        }
    }
}

/// A token handed out with a preview.
public struct ConfirmationTicket: Sendable {
    public var token: String
    public var expiresAt: Date
    public var ttlSeconds: Int
}

/// Pending confirmations: token → (tool, digest of the canonical arguments, expiry, the previewed plan).
///
/// Tokens are 192 bits from `SystemRandomNumberGenerator` (the OS CSPRNG: `getrandom` on Linux,
/// `arc4random` on Apple platforms), so they cannot be guessed; they live only in this process's memory.
/// Redeemed and expired tokens are remembered (without their plans) so a refusal can say *why*.
public actor ConfirmationStore {
    /// The argument every write tool accepts.
    public static let tokenArgument = "confirmation_token"
    /// Default lifetime: 10 minutes. `CHECKPOINT_MCP_CONFIRM_TTL_SECONDS` may shorten it (for tests); it is
    /// never lengthened beyond this.
    public static let defaultTTLSeconds = 600
    /// Bound on pending tokens; the oldest are dropped first (an agent that previews thousands of times
    /// without confirming should not grow memory without limit).
    static let maxPending = 1_000
    static let maxRemembered = 10_000

    private struct Pending {
        var tool: String
        var digest: String
        var expiresAt: ContinuousClock.Instant
        var issuedAt: ContinuousClock.Instant
        var plan: any Sendable
    }

    private enum Spent { case redeemed, expired }

    public nonisolated let ttlSeconds: Int
    private var pending: [String: Pending] = [:]
    private var spent: [String: Spent] = [:]
    private var spentOrder: [String] = []
    /// Decides when a token expires; a `ManualTime` in tests.
    private let clock: any TimeSource

    public init(ttlSeconds: Int = ConfirmationStore.defaultTTLSeconds, time: any TimeSource = SystemTime()) {
        self.ttlSeconds = max(1, min(ttlSeconds, Self.defaultTTLSeconds))
        self.clock = time
    }

    /// The lifetime configured by the environment (`CHECKPOINT_MCP_CONFIRM_TTL_SECONDS`, 1...600), else 600.
    public static let ttlVariable = "CHECKPOINT_MCP_CONFIRM_TTL_SECONDS"

    public static func ttlFromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> Int {
        guard let raw = environment[ttlVariable], let v = Int(raw), v > 0 else {
            return defaultTTLSeconds
        }
        return min(v, defaultTTLSeconds)
    }

    /// Issues a single-use token bound to `tool` and exactly `arguments` (minus any token in them),
    /// keeping `plan` so the confirmed call executes what was previewed.
    public func issue(tool: String, arguments: JSONObject, plan: any Sendable) -> ConfirmationTicket {
        prune()
        if pending.count >= Self.maxPending, let oldest = pending.min(by: { $0.value.issuedAt < $1.value.issuedAt }) {
            pending[oldest.key] = nil
            remember(oldest.key, as: .expired)
        }
        let token = Self.newToken()
        let now = clock.now
        pending[token] = Pending(
            tool: tool, digest: Self.digest(tool: tool, arguments: arguments),
            expiresAt: now.advanced(by: .seconds(ttlSeconds)), issuedAt: now, plan: plan)
        return ConfirmationTicket(token: token, expiresAt: clock.date.addingTimeInterval(Double(ttlSeconds)), ttlSeconds: ttlSeconds)
    }

    /// Consumes `token` if it was issued for `tool` with these `arguments` and is still fresh, returning the
    /// plan stored with it. A mismatch does not consume the token.
    public func redeem(token: String, tool: String, arguments: JSONObject) throws(ConfirmationError) -> any Sendable {
        prune()
        guard let entry = pending[token] else {
            switch spent[token] {
            case .redeemed: throw .reused
            case .expired: throw .expired(ttlSeconds: ttlSeconds)
            case nil: throw .unknown
            }
        }
        guard entry.tool == tool, entry.digest == Self.digest(tool: tool, arguments: arguments) else {
            throw .argumentsChanged(issuedFor: entry.tool)
        }
        pending[token] = nil
        remember(token, as: .redeemed)
        return entry.plan
    }

    /// How many tokens are waiting (for tests and diagnostics).
    public var pendingCount: Int { prune(); return pending.count }

    static func digest(tool: String, arguments: JSONObject) -> String {
        SHA256Digest.hex(tool + "\n" + CanonicalJSON.arguments(arguments))
    }

    static func newToken() -> String {
        var rng = SystemRandomNumberGenerator()
        let bytes = (0..<24).map { _ in UInt8.random(in: .min ... .max, using: &rng) }
        let b64 = Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
        return "ct_" + b64
    }

    private func prune() {
        let now = clock.now
        for (token, entry) in pending where entry.expiresAt <= now {
            pending[token] = nil
            remember(token, as: .expired)
        }
    }

    private func remember(_ token: String, as state: Spent) {
        if spent[token] == nil { spentOrder.append(token) }
        spent[token] = state
        if spentOrder.count > Self.maxRemembered {
            let drop = spentOrder.count - Self.maxRemembered
            for t in spentOrder.prefix(drop) { spent[t] = nil }
            spentOrder.removeFirst(drop)
        }
    }
}
