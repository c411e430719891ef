import CheckPointAPI
import Foundation
import MCPCore

/// `diagnose`: one call that says why things fail — configuration, credentials, gateway, scopes,
/// the Mobile key, clock skew and the client-side rate budget. Never prints a secret: client ids are
/// masked, secrets and tokens are never read here.
/// - SeeAlso: checkpoint-api.md "Auth" (auth, gateways), §1.4 (scopes), §4 (Mobile ping), §5 ("Empty results").
enum Diagnose {
    static let name = "diagnose"

    static let spec = ToolSpec(
        toolset: .email,
        definition: ToolDefinition(
            name: name, title: "Diagnose",
            description: "Why tools fail or find nothing: configuration, keys, gateway, scopes (none means empty results), clock skew, rate limits, server mode; no secrets. Example: {}",
            inputSchema: Schema.object([:]),
            outputSchema: OutputSchema.object(required: ["ok", "demo", "server", "hec", "mobile", "warnings"]),
            annotations: EmailArgs.readAnnotations),
        handler: { _, env, _ in try await run(env) })

    static func mask(_ id: String) -> String {
        id.count <= 6 ? String(repeating: "•", count: id.count) : String(id.prefix(4)) + "…" + String(repeating: "•", count: 4)
    }

    static func run(_ env: ToolEnvironment) async throws -> ToolResult {
        let config = env.client.configuration
        var warnings: [String] = []
        var hecAccepted: Bool?
        var hecError: String?
        var scopes: [String] = []
        var emptyScopes = 0
        var skew: Double?
        let hecKey = config.credentials(for: .hec)
        if hecKey != nil {
            do {
                let response = try await env.client.send(APIRequest(.hec, .get, "/scopes"))
                if let date = response.headers["date"].flatMap(CheckPointDate.parse) { skew = date.timeIntervalSinceNow }
                if (200..<300).contains(response.status) {
                    hecAccepted = true
                    let read = HECAPI.scopes(fromBody: response.body) ?? HECScopes(scopes: [])
                    scopes = read.scopes
                    emptyScopes = read.emptyDropped
                    env.client.cache.store(read, for: ScopeCache.key, ttl: .seconds(300))
                } else {
                    let e = CheckPointError.from(response, service: .hec, endpoint: "GET /scopes")
                    hecAccepted = e.kind == .authentication ? false : nil
                    hecError = ErrorText.text(e)
                }
            } catch let e as CheckPointError {
                if e.kind == .cancelled { throw CancellationError() }
                hecAccepted = e.kind == .authentication ? false : nil
                hecError = ErrorText.text(e)
            }
        }
        var mobileWorks: Bool?
        var mobileError: String?
        if config.credentials(for: .mobile) != nil {
            do {
                let response = try await env.client.send(
                    APIRequest(.mobile, .get, "/external_api/v1/device_status/", query: [(name: "limit", value: "1"), (name: "offset", value: "0")]))
                if skew == nil, let date = response.headers["date"].flatMap(CheckPointDate.parse) { skew = date.timeIntervalSinceNow }
                if (200..<300).contains(response.status) {
                    mobileWorks = true
                } else {
                    mobileWorks = false
                    mobileError = ErrorText.text(CheckPointError.from(response, service: .mobile, endpoint: "GET /external_api/v1/device_status/"))
                }
            } catch let e as CheckPointError {
                if e.kind == .cancelled { throw CancellationError() }
                mobileWorks = false
                mobileError = ErrorText.text(e)
            }
        }

        let problems = config.problems
        warnings += problems
        if hecKey == nil { warnings.append("No Harmony Email & Collaboration key: set CHECKPOINT_CLIENT_ID and CHECKPOINT_CLIENT_SECRET.") }
        if hecAccepted == false {
            warnings.append(config.hecAPI == .smartAPI
                ? "The Smart API app id/secret were refused: check them, the Smart API host, and the local clock (requests are signed with it)."
                : "The HEC credentials were refused: check the key, its service (\"Email & Collaboration\") and the region/gateway.")
        }
        if let hecError, hecAccepted != false { warnings.append("HEC check failed: " + hecError) }
        if emptyScopes > 0 { warnings.append(ListScopes.emptyScopeWarning) }
        if hecAccepted == true && scopes.isEmpty { warnings.append("ZERO scopes: " + ListScopes.noScopeWarning) }
        if mobileWorks == false { warnings.append("Harmony Mobile does not work with the configured key: " + (mobileError ?? "unknown error")) }
        if let skew, abs(skew) > 120 {
            warnings.append("Local clock differs from the gateway by \(Int(skew.rounded())) s: relative windows (\"24h\") will be off; fix the system clock.")
        }
        let stats = await env.client.statistics()
        let ok = hecAccepted == true && !scopes.isEmpty

        var t = TextReport(ok ? "Check Point connection OK." : "Check Point connection has problems (see warnings).", demo: env.demo)
        t.field("Gateway", config.gatewayURL.map { "\($0.absoluteString)" } ?? "none configured")
        t.field("Region", config.region.map { "\($0.rawValue)" })
        if config.hecAPI == .smartAPI { t.field("HEC API", "legacy Avanan Smart API (signed requests under /v1.0; Harmony Mobile unavailable)") }
        t.field("HEC key", hecKey.map { mask($0.clientID) } ?? "not set")
        t.field("HEC credentials", hecAccepted.map { $0 ? "accepted" : "REFUSED" } ?? (hecKey == nil ? "not tried" : "unknown (check failed)"))
        t.field("Scopes", scopes.isEmpty ? "none" : "\(scopes.count): " + UntrustedText.quoteList(scopes, maxItems: 10, maxLength: 100))
        t.field("Harmony Mobile", mobileWorks.map { $0 ? "works" : "FAILS" } ?? "no key configured")
        t.field("Clock skew", skew.map { String(format: "%+.1f s (gateway minus local)", $0) } ?? "unknown (no Date header)")
        let hecLimit = await env.client.rateLimitSummary(for: .hec)
        let cap = config.rateLimitPerMinute.map { "\($0)/min cap" } ?? "no per-minute cap (adapts to HTTP 429)"
        t.field("Rate limit", "\(hecLimit ?? "\(config.maxConcurrency) in flight"); \(cap); \(stats.requests) requests sent so far, \(stats.retries) retries")
        let toolsets = Toolset.allCases.filter { env.toolsets.contains($0) }.map(\.rawValue)
        t.field("Server", "checkpoint-mcp \(env.serverVersion); toolsets \(toolsets.joined(separator: ", ")); "
            + (env.readOnly ? "read-only" : "writes enabled") + "; confirmation \(env.confirm.rawValue); audit log "
            + (env.auditLogPath ?? "stderr only"))
        t.field("Demo mode", env.demo ? "yes (simulated tenant)" : "no")
        if !warnings.isEmpty {
            t.section("Warnings")
            for w in warnings { t.line("- " + w) }
        }
        let structured: JSONValue = [
            "ok": .bool(ok), "demo": .bool(env.demo),
            "gateway": .orNull(config.gatewayURL?.absoluteString), "region": .orNull(config.region?.rawValue),
            "configuration_problems": .strings(problems),
            "hec": [
                "configured": .bool(hecKey != nil), "client_id": .orNull(hecKey.map { mask($0.clientID) }),
                "credentials_accepted": .orNull(hecAccepted), "scopes": .strings(scopes), "error": .orNull(hecError),
            ],
            "mobile": ["configured": .bool(config.credentials(for: .mobile) != nil), "works": .orNull(mobileWorks), "error": .orNull(mobileError)],
            "clock_skew_seconds": skew.map { .double(($0 * 10).rounded() / 10) } ?? .null,
            "server": [
                "version": .string(env.serverVersion), "toolsets": .strings(toolsets), "read_only": .bool(env.readOnly),
                "confirmation": .string(env.confirm.rawValue), "audit_log": .orNull(env.auditLogPath),
            ],
            "rate_limit": [
                "per_minute": config.rateLimitPerMinute.map { .int(Int64($0)) } ?? .null, "max_in_flight": .int(Int64(config.maxConcurrency)),
                "hec_now": .orNull(hecLimit),
                "requests_sent": .int(Int64(stats.requests)), "retries": .int(Int64(stats.retries)),
            ],
            "warnings": .strings(warnings),
        ]
        return .success(text: t.text, structured: structured)
    }
}
