import CheckPointAPI

/// The one place a failed write request becomes a per-id status and the "outcome unknown" advice.
///
/// The client throws `.ambiguousWrite` exactly when a write may have been applied (sent, then any HTTP 5xx
/// but the few that mean "not processed", `WriteStatus.notProcessed`: 501, 503, 505, 521, 523, 525, 526; an
/// envelope 5xx; a reset, a timeout, an oversized answer or an unreadable 2xx); every other failure
/// (`.timeout` included, which the client uses only for a deadline spent *before* sending) means the
/// gateway did not act.
/// - SeeAlso: docs/safety.md "Ambiguous writes"; docs/configuration.md "Timeouts, deadline and retries".
enum WriteOutcome {
    /// `unknown` for a write that may have been applied, else `otherwise` (`failed`, or e.g. `not_found`).
    static func status(_ e: CheckPointError, otherwise: String = "failed") -> String {
        e.kind == .ambiguousWrite ? "unknown" : otherwise
    }

    /// The summary of a one-item write whose outcome is unknown.
    static let unknownSummary = "Outcome unknown: the request may or may not have been applied."

    /// A per-id or per-batch reason for an unknown outcome: what was seen, and re-read before retrying.
    static func unknownReason(_ e: CheckPointError) -> String {
        "outcome unknown: " + (e.httpStatus.map { "HTTP \($0) from the gateway" } ?? "no answer after sending") + "; re-read the state before retrying"
    }

    /// The line under a report that holds `unknown` items: never retry blindly, re-read first.
    /// `what` names the items ("Ids", "The entry"), `reread` the tool that shows their current state.
    static func unknownAdvice(_ what: String, reread: String) -> String {
        "\(what) marked unknown may or may not have been applied: re-read with \(reread) before retrying."
    }
}
