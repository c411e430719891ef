/// 2026-07-28 multi round-trip requests: a call that needs the user's answer ends with an
/// `input_required` result, and the client retries it (new id, same name and arguments) carrying
/// `inputResponses` and the `requestState` we handed out.
///
/// `requestState` here is a handle, not a sealed blob: 192 random bits naming an entry in this process's
/// memory that holds what the call kept for later (for a write, the previewed plan). The client cannot
/// forge or edit what a handle points at, so nothing it sends back can change what executes. A handle is
/// bound to the tool and its exact arguments, works once, and expires (`ServerOptions.inputStateTTLSeconds`,
/// on the injectable `ServerClock`).
/// - SeeAlso: https://modelcontextprotocol.io/specification/2026-07-28/basic/patterns/multi-round-trip
/// - SeeAlso: https://modelcontextprotocol.io/specification/2026-07-28/schema#inputrequiredresult

/// Thrown by `ToolContext.elicit` in 2026-07-28 when the question must travel in the call's result.
/// The core turns it into the `input_required` result; tool code lets it pass (it is not a failure).
public struct InputRequired: Error, Sendable {
    let key: String
    let request: ElicitationRequest
    let requestState: String
}

/// Pending `requestState` handles. Bounded: an agent that asks thousands of times without answering
/// cannot grow memory without limit (the oldest are dropped first, and then refused as unknown).
final class InputStateStore: Sendable {
    struct Entry: Sendable {
        var tool: String
        var arguments: JSONObject
        var key: String
        var request: ElicitationRequest
        var payload: any Sendable
        var issuedAt: ContinuousClock.Instant
    }

    static let maxPending = 1_000
    static let maxRemembered = 10_000
    /// The key of our one question inside `inputRequests` / `inputResponses`.
    static let confirmKey = "confirm"

    private let clock: ServerClock
    let ttlSeconds: Int
    private let state = Locked((pending: [String: Entry](), used: Set<String>(), usedOrder: [String]()))

    init(clock: ServerClock, ttlSeconds: Int) {
        self.clock = clock
        self.ttlSeconds = max(1, ttlSeconds)
    }

    /// Keeps `payload` for the retry and returns the handle to send as `requestState`.
    func issue(tool: String, arguments: JSONObject, request: ElicitationRequest, payload: any Sendable) -> String {
        let handle = Self.newHandle()
        let entry = Entry(tool: tool, arguments: arguments, key: Self.confirmKey, request: request, payload: payload, issuedAt: clock.now())
        state.withLock { s in
            if s.pending.count >= Self.maxPending, let oldest = s.pending.min(by: { $0.value.issuedAt < $1.value.issuedAt }) {
                s.pending[oldest.key] = nil
            }
            s.pending[handle] = entry
        }
        return handle
    }

    /// Consumes the handle if it is fresh and was issued for this tool with these arguments. A mismatch
    /// consumes it too: a handle presented with other arguments has leaked, and must not work later.
    func redeem(_ handle: String, tool: String, arguments: JSONObject) -> Result<Entry, InputStateError> {
        let now = clock.now()
        return state.withLock { s in
            guard let entry = s.pending.removeValue(forKey: handle) else {
                return .failure(s.used.contains(handle) ? .used : .unknown)
            }
            s.used.insert(handle)
            s.usedOrder.append(handle)
            if s.usedOrder.count > Self.maxRemembered { s.used.remove(s.usedOrder.removeFirst()) }
            if entry.issuedAt.advanced(by: .seconds(ttlSeconds)) <= now { return .failure(.expired(ttlSeconds: ttlSeconds)) }
            guard entry.tool == tool, entry.arguments == arguments else { return .failure(.otherCall) }
            return .success(entry)
        }
    }

    var pendingCount: Int { state.withLock { $0.pending.count } }

    /// 24 bytes from the OS CSPRNG (`SystemRandomNumberGenerator`), as 48 hex digits after a prefix.
    static func newHandle() -> String {
        var rng = SystemRandomNumberGenerator()
        let digits = Array("0123456789abcdef")
        var out = "rs_"
        for _ in 0..<24 {
            let b = UInt8.random(in: .min ... .max, using: &rng)
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 0xF)])
        }
        return out
    }
}

extension InputRequired {
    /// The `input_required` result (without the modern stamp, which `Session.modernResult` adds).
    var resultObject: JSONObject {
        [
            "inputRequests": [key: ["method": "elicitation/create", "params": request.params(withMode: true)]],
            "requestState": .string(requestState),
        ]
    }
}

/// What a 2026-07-28 retry brought back to the call that asked (`ToolContext.resumption`).
public enum Resumption: Sendable {
    /// The retry answered the question: the payload kept when it was asked, and the answer.
    case answered(payload: any Sendable, outcome: ElicitationOutcome)
    /// The retry's `requestState` cannot be used; nothing that was kept with it is handed out.
    case refused(InputStateError)
}

/// Why a `requestState` was refused. Each text says what to do next.
public enum InputStateError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Not issued by this process (made up, mistyped, or from before a restart).
    case unknown
    /// Already answered once: a state is single use.
    case used
    /// Issued, but its lifetime ran out first.
    case expired(ttlSeconds: Int)
    /// Issued for another tool or other arguments.
    case otherCall

    public var description: String {
        let again = "Call the tool again without requestState to ask anew; nothing was changed."
        switch self {
        case .unknown: return "This requestState was not issued by this server (or the server restarted). \(again)"
        case .used: return "This requestState was already answered (it is single use). \(again)"
        case .expired(let ttl): return "This requestState expired (it lasts \(ttl) seconds). \(again)"
        case .otherCall: return "This requestState was issued for another tool or other arguments. \(again)"
        }
    }

    /// A short machine word for logs and audit lines.
    public var reason: String {
        switch self {
        case .unknown: return "unknown_request_state"
        case .used: return "request_state_reused"
        case .expired: return "request_state_expired"
        case .otherCall: return "request_state_other_call"
        }
    }
}
