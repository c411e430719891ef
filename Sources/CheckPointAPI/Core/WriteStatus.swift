/// The one rule for a write answered with a server error: may the gateway have acted on it?
///
/// Writes happen exactly once or say they might have. A 5xx says the answer failed, not that the request
/// was not carried out: a 500, or a proxy's 502, 504, 520 or 524, can come after the application applied the
/// write. So every 5xx leaves a write's outcome unknown (`.ambiguousWrite`: reported `unknown`, never
/// re-sent) unless its documented meaning is that the request was never processed:
///
/// - 501: the server does not support the functionality the request needs (RFC 9110 §15.6.2).
/// - 503: the server is unable to handle the request now (RFC 9110 §15.6.4); the gateway answers it
///   `{"success": false, "message": "temporarily unavailable"}` (docs/checkpoint-api.md "Envelopes and
///   errors"). The client retries it like a 429.
/// - 505: the server refuses the request's HTTP major version (RFC 9110 §15.6.6).
/// - 521, 523, 525, 526: Cloudflare's origin errors where the request never reached the origin (it refused
///   the connection, was unreachable, the TLS handshake failed, its certificate was invalid).
///
/// Not in the list although often read as "not reached": 522. Cloudflare documents two causes, and one is an
/// established connection whose origin did not acknowledge the request within 90 s, so it may have arrived.
/// 520 (an empty or unreadable answer from the origin) and 524 (no answer within 100 s of a connection
/// that succeeded) say the origin had the request.
///
/// An envelope's `responseCode` is written by the application that had the request in hand: every envelope
/// 5xx to a write leaves its outcome unknown, whatever the code.
/// - SeeAlso: docs/safety.md "Ambiguous writes"; docs/configuration.md "Timeouts, deadline and retries".
enum WriteStatus {
    /// The 5xx statuses whose meaning is that the request was not processed (sources above).
    static let notProcessed: Set<Int> = [501, 503, 505, 521, 523, 525, 526]

    /// Whether a write answered with `status` may have been applied: any 5xx but `notProcessed`; any 5xx at
    /// all when `status` is an envelope's `responseCode` (`inEnvelope`).
    static func mayHaveActed(_ status: Int, inEnvelope: Bool = false) -> Bool {
        guard (500..<600).contains(status) else { return false }
        return inEnvelope || !notProcessed.contains(status)
    }
}
