import CheckPointAPI
import Foundation
import MCPCore
import Testing

@testable import CheckPointTools

/// The fault matrix the `FaultMatrix*` suites drive: every fault kind `checkpoint-sim` offers, against one
/// email and one mobile read tool, with the tool-level outcome each must produce. The table is
/// documented in docs/simulator.md ("Tool-level outcome of each fault"); keep both in step.
/// - SeeAlso: docs/simulator.md (fault kinds); SimulatorFault.swift.
enum FaultMatrix {
    /// Now, whole seconds (a fixed end for the windows below, so every call of a case reads the same rows).
    static let now = CheckPointDate.isoSeconds(Date())

    /// A read tool and the upstream route its calls go to.
    struct Target: Sendable, CustomTestStringConvertible {
        var tool: String
        var arguments: JSONObject
        /// Prefix of `"METHOD /path"` the faults are routed to (and the stats are read for).
        var route: String
        /// The endpoint as error texts name it (service root stripped).
        var endpoint: String
        var rowsKey: String
        var idKey: String
        var isMobile: Bool
        /// A cheap call on the same API key, so a fresh server holds a token (as `expire_token` needs).
        var warmUp: String

        var testDescription: String { tool }

        var spec: ToolSpec { Toolbox.allSpecs.first { $0.name == tool }! }

        func ids(_ r: ToolResult) -> [String] {
            (r.structured?[rowsKey]?.arrayValue ?? []).compactMap { row -> String? in
                guard let id = row[idKey] else { return nil }
                return id.stringValue ?? id.intValue.map(String.init)
            }
        }
    }

    /// Spam in a fixed 7-day window of one service, 150 rows: two pages (100 + 50), so a scroll continuation
    /// exists and a partial answer is a prefix of the whole (over several services it is each service's own
    /// prefix: SaasWalkTests).
    static let email = Target(
        tool: "search_entities",
        arguments: ["verdict": "spam", "saas": ["office365_emails"], "duration": "7d", "end_date": .string(now), "limit": 150],
        route: "POST /app/hec-api/v1.0/search/query", endpoint: "POST /search/query",
        rowsKey: "entities", idKey: "entity_id", isMobile: false, warmUp: "list_scopes")

    /// Every security event of one fixed day (about 190): two pages (100 + the rest), read to the end.
    static let events = Target(
        tool: "get_security_events",
        arguments: ["duration": "1d", "end_date": .string(now), "limit": 300],
        route: "POST /app/hec-api/v1.0/event/query", endpoint: "POST /event/query",
        rowsKey: "events", idKey: "event_id", isMobile: false, warmUp: "list_scopes")

    /// High-risk devices: one tastypie page.
    static let mobile = Target(
        tool: "search_mobile_devices", arguments: ["risks": ["high"], "limit": 150],
        route: "GET /app/SBM/external_api/v1/device_status/", endpoint: "GET /external_api/v1/device_status/",
        rowsKey: "devices", idKey: "id", isMobile: true, warmUp: "list_mobile_groups")

    enum Outcome: Sendable {
        /// The same rows as a fault-free call, with `extra` more upstream requests on the route than that
        /// call needed (nil: at least one more) and `reauth` more auth calls.
        case recovers(extra: Int?, reauth: Int = 0)
        /// An isError result whose `error.kind` is `kind`, after `requests` requests on the route (nil: not
        /// counted, e.g. when the deadline decides how many attempts fit).
        case fails(kind: String, requests: Int?)
        /// Not an error: the rows read before the failure (a prefix of the fault-free rows), marked
        /// incomplete with `reason`, the failure in the text and a cursor to continue.
        case partial(reason: String, requests: Int?)
    }

    /// One row of the matrix. `fault` is the `/_sim/faults` body without `route`; `routed` adds the
    /// target's route. `env` is added to the server's environment for this case only.
    struct Case: Sendable, CustomTestStringConvertible {
        var target: Target
        var label: String
        var fault: JSONObject
        var routed = true
        var env: [String: String] = [:]
        var outcome: Outcome

        var kind: String { fault["kind"]?.stringValue ?? "?" }
        var testDescription: String { "\(target.tool): \(label)" }
        var isRecovery: Bool { if case .recovers = outcome { true } else { false } }
    }

    /// Retries enough for `503 ×2`. The deadline only bounds a case that goes wrong: the outcomes never depend
    /// on it, and a loaded 2-core machine (load average 20 from parallel builds) has needed over 20 s for a
    /// 300-row walk in a debug build.
    static let recoveryEnv = ["CHECKPOINT_MAX_RETRIES": "2", "CHECKPOINT_CALL_DEADLINE": "120"]
    /// One retry: persistent faults end after two attempts with an error. The deadline is far above those two
    /// attempts, so the retry budget decides, never a loaded machine. The attempt timeout is the real clock's for
    /// an answered request (a request the simulator holds times out at once on the test's clock, `HookTransport`):
    /// 1 s made a loaded machine decide after all (a page of 100 emails past 1 s was retried: "scroll invalid on
    /// every continuation" counted 10 requests, not 9, once in a run of the whole target).
    /// No case sets a short one either: the `timeout` cases ("timeout once", a continuation lost by timeout)
    /// ran with 1 s, the same race on every page they read.
    static let persistentEnv = ["CHECKPOINT_MAX_RETRIES": "1", "CHECKPOINT_REQUEST_TIMEOUT": "30", "CHECKPOINT_CALL_DEADLINE": "120"]
    /// A 1 MB answer cap, so the body-size faults are decided after 1 MB rather than the default 32 MB.
    static let smallBodyCap = ["CHECKPOINT_MAX_RESPONSE_MB": "1"]
    /// Kinds that never recover by retrying, so the coverage guard asks no recovery case of them.
    static let neverRetried: Set<String> = ["huge_body", "endless_body"]

    /// Transient faults: the answer must be the fault-free one, and the stats must show the retry.
    static func recovering(_ t: Target) -> [Case] {
        var cases = [
            Case(target: t, label: "latency 200 ms on every request", fault: ["kind": "latency", "latency_ms": 200], outcome: .recovers(extra: 0)),
            // Retry-After 0: the retry is what is shown here; that the wait is honoured, in ClientResilienceTests.
            Case(target: t, label: "429 once (Retry-After 0)", fault: ["kind": "status", "status": 429, "retry_after": 0, "count": 1], outcome: .recovers(extra: 1)),
            Case(target: t, label: "500 once", fault: ["kind": "status", "status": 500, "count": 1], outcome: .recovers(extra: 1)),
            Case(target: t, label: "503 twice", fault: ["kind": "status", "status": 503, "count": 2], outcome: .recovers(extra: 2)),
            Case(target: t, label: "timeout once", fault: ["kind": "timeout", "count": 1], outcome: .recovers(extra: 1)),
            Case(target: t, label: "connection reset once", fault: ["kind": "reset", "count": 1], outcome: .recovers(extra: 1)),
            Case(target: t, label: "malformed JSON once", fault: ["kind": "malformed", "count": 1], outcome: .recovers(extra: 1)),
            Case(target: t, label: "token expired now", fault: ["kind": "expire_token"], routed: false, outcome: .recovers(extra: 1, reauth: 1)),
            Case(target: t, label: "token expires at the request (routed)", fault: ["kind": "expire_token"], outcome: .recovers(extra: 1, reauth: 1)),
            // A read whose answer is lost after the gateway served it is simply asked again.
            Case(target: t, label: "served, then closed without answer, once", fault: ["kind": "close_after_act", "count": 1], outcome: .recovers(extra: 1)),
            // An error body echoing the credentials is retried like any 500, and never shown.
            Case(target: t, label: "500 echoing the key and token, once", fault: ["kind": "echo_secret", "count": 1], outcome: .recovers(extra: 1)),
            // One request per second: the first page's `X-RateLimit-Remaining: 0` pauses the key until the reset,
            // so the email walk's second page is sent after it and never refused (no 429, no extra request).
            Case(target: t, label: "gateway quota of 1 request/s", fault: ["kind": "rate_limit", "limit": 1, "window_ms": 1000],
                 outcome: .recovers(extra: 0)),
        ]
        if t.isMobile {
            // Tastypie lists have no scroll: the fault waits for a continuation that never comes.
            cases.append(Case(target: t, label: "invalid scroll (no scroll in tastypie)", fault: ["kind": "invalid_scroll"], outcome: .recovers(extra: 0)))
            // A GET served and its answer lost is simply asked again: nothing moved on the gateway.
            cases.append(Case(target: t, label: "served, answer lost (500) once", fault: ["kind": "lost_answer"], outcome: .recovers(extra: 1)))
        } else {
            cases += lostContinuation(t)
            cases.append(Case(target: t, label: "envelope responseCode 500 once", fault: ["kind": "envelope_error", "count": 1], outcome: .recovers(extra: 1)))
            // The walk restarts from the first page: page 1, the refused continuation, page 1 and 2 again.
            cases.append(Case(target: t, label: "scroll invalid once", fault: ["kind": "invalid_scroll"], outcome: .recovers(extra: 2)))
            cases.append(Case(target: t, label: "scroll invalid twice", fault: ["kind": "invalid_scroll", "count": 2], outcome: .recovers(extra: 4)))
        }
        return cases
    }

    /// Persistent faults: a clear, typed error within the call deadline; the server keeps serving.
    static func persistent(_ t: Target) -> [Case] {
        let e = persistentEnv
        var cases = [
            Case(target: t, label: "503 always", fault: ["kind": "status", "status": 503], env: e, outcome: .fails(kind: "upstream", requests: 2)),
            Case(target: t, label: "500 always", fault: ["kind": "status", "status": 500], env: e, outcome: .fails(kind: "upstream", requests: 2)),
            Case(target: t, label: "429 always", fault: ["kind": "status", "status": 429, "retry_after": 0], env: e, outcome: .fails(kind: "rateLimited", requests: 2)),
            Case(target: t, label: "gateway quota of 0 requests/s", fault: ["kind": "rate_limit", "limit": 0, "window_ms": 1000], env: e, outcome: .fails(kind: "rateLimited", requests: 2)),
            Case(target: t, label: "never answers", fault: ["kind": "timeout"], env: e, outcome: .fails(kind: "timeout", requests: nil)),
            Case(target: t, label: "connection reset always", fault: ["kind": "reset"], env: e, outcome: .fails(kind: "network", requests: 2)),
            Case(target: t, label: "malformed JSON always", fault: ["kind": "malformed"], env: e, outcome: .fails(kind: "decoding", requests: 2)),
            Case(target: t, label: "token refused even after re-auth", fault: ["kind": "expire_token", "count": 5], env: e, outcome: .fails(kind: "authentication", requests: 2)),
            // 3 = our 2 attempts + libcurl's own silent re-send of the first, which went on a kept-alive
            // connection (harmless for a read; the reason writes never reuse one).
            Case(target: t, label: "served, then closed without answer, always", fault: ["kind": "close_after_act"], env: e, outcome: .fails(kind: "network", requests: 3)),
            // An oversized answer is never retried (the same request would get the same answer): one request.
            Case(target: t, label: "8 MB body over a 1 MB cap", fault: ["kind": "huge_body", "size_mb": 8], env: e.merging(smallBodyCap) { _, n in n }, outcome: .fails(kind: "responseTooLarge", requests: 1)),
            Case(target: t, label: "endless chunked body", fault: ["kind": "endless_body"], env: e.merging(smallBodyCap) { _, n in n }, outcome: .fails(kind: "responseTooLarge", requests: 1)),
            // The API's error message reaches the agent, without the echoed secrets (FaultRun scans all output).
            Case(target: t, label: "400 echoing the key and token", fault: ["kind": "echo_secret", "status": 400, "count": 1], env: e, outcome: .fails(kind: "validation", requests: 1)),
            Case(target: t, label: "500 echoing the key and token, always", fault: ["kind": "echo_secret"], env: e, outcome: .fails(kind: "upstream", requests: 2)),
        ]
        if t.isMobile {
            // A HEC envelope is not a tastypie page: an error, never "no devices".
            cases.append(Case(target: t, label: "HEC envelope instead of a page", fault: ["kind": "envelope_error", "count": 1], env: e, outcome: .fails(kind: "decoding", requests: 1)))
        } else {
            cases.append(Case(target: t, label: "envelope responseCode 500 always", fault: ["kind": "envelope_error"], env: e, outcome: .fails(kind: "upstream", requests: 2)))
            cases.append(Case(target: t, label: "envelope responseCode 422", fault: ["kind": "envelope_error", "status": 422, "count": 1], env: e, outcome: .fails(kind: "validation", requests: 1)))
            // Three re-reads of the window, then the first page's rows with a cursor (not an endless loop).
            cases.append(Case(target: t, label: "scroll invalid on every continuation", fault: ["kind": "invalid_scroll", "count": 100], env: persistentEnv, outcome: .partial(reason: "page_failed", requests: partialRequests(t))))
            cases.append(lostEveryContinuation(t))
        }
        return cases
    }

    /// The gateway serves the continuation (its cursor moves past page 2), then the answer is lost in each of
    /// the five ways. The continuation is never re-sent (in the stable style that would skip the page): the
    /// window is re-read, page 1 (skipped) and page 2 again, so the rows are the fault-free ones, 2 more
    /// requests. A lost 401 also re-authenticates once.
    static func lostContinuation(_ t: Target) -> [Case] {
        ["500", "401", "reset", "timeout", "truncated"].map { loss in
            Case(target: t, label: "continuation served, answer lost (\(loss))",
                 fault: ["kind": "lost_answer", "lose": .string(loss), "scroll_only": true],
                 outcome: .recovers(extra: 2, reauth: loss == "401" ? 1 : 0))
        }
    }

    /// Every continuation's answer lost: three re-reads, then page 1's rows, incomplete with a cursor.
    static func lostEveryContinuation(_ t: Target) -> Case {
        Case(target: t, label: "every continuation served, answer lost", fault: ["kind": "lost_answer", "count": 100, "scroll_only": true],
             env: persistentEnv, outcome: .partial(reason: "page_failed", requests: partialRequests(t)))
    }

    /// Requests of a walk cut short by a failing continuation: page 1 and three re-reads of pages 1-2; a search
    /// then asks one one-row query for the split masters its total leaves out (the matches it learnt from page 1).
    static func partialRequests(_ t: Target) -> Int { t.tool == "search_entities" ? 9 : 8 }

    /// The scroll cases, for the tools and styles beyond the main matrix.
    static func scrollCases(_ t: Target) -> [Case] { lostContinuation(t) + [lostEveryContinuation(t)] }

    static func all(_ t: Target) -> [Case] { recovering(t) + persistent(t) }
}
