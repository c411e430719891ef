import CheckPointAPI
import Foundation
import MCPCore

/// `list_scopes`: the tenant scopes the HEC key sees (`GET /scopes`), cached for five minutes.
/// - SeeAlso: checkpoint-api.md "HEC endpoints" (scopes are `farm:tenant`; MSP keys see several; none means empty results).
enum ListScopes {
    static let name = "list_scopes"

    static let spec = ToolSpec(
        toolset: .email,
        definition: ToolDefinition(
            name: name, title: "List scopes",
            description: "The tenant scopes (`farm:tenant`) the key sees; with an MSP key call it first, then pass one as `scope`. Example: {}",
            inputSchema: Schema.object([
                "refresh": Schema.boolean("Skip the 5-minute cache.", default: false)
            ]),
            outputSchema: OutputSchema.object(required: ["scopes", "count", "multi_scope", "complete"], collections: [
                ("scopes", OutputSchema.strings),
            ]),
            annotations: EmailArgs.readAnnotations),
        handler: { args, env, _ in
            let refresh = try JSONArguments(args).bool("refresh") ?? false
            let (scopes, cached) = try await ScopeCache.scopes(env.hec, refresh: refresh)
            return render(scopes, cached: cached, demo: env.demo)
        })

    static let noScopeWarning =
        "This key sees NO scope: the real API then answers every query with empty results and no error. Assign the key to a tenant in Infinity Portal (or use the MSP key of that tenant)."

    static let emptyScopeWarning =
        "The gateway listed an empty scope (\"\"): the key is not associated with any farm/tenant yet, so queries return nothing. In Infinity Portal, check that the key belongs to the Email & Collaboration service of the right tenant (or ask Check Point support to finish the tenant's onboarding); the empty entry was dropped."

    static func render(_ read: HECScopes, cached: Bool, demo: Bool) -> ToolResult {
        let scopes = read.scopes
        var report = TextReport("\(scopes.count) scope\(scopes.count == 1 ? "" : "s") visible to this key\(cached ? " (cached)" : "").", demo: demo)
        let warning = read.emptyDropped > 0 ? emptyScopeWarning + (scopes.isEmpty ? " " + noScopeWarning : "")
            : (scopes.isEmpty ? noScopeWarning : nil)
        if let warning { report.line("WARNING: " + warning) }
        if scopes.count > 1 { report.line("Multi-scope (MSP) key: pass `scope` to writes and task lookups; queries cover all scopes unless given one.") }
        report.rows(scopes.map { [UntrustedText.quote($0, maxLength: 120)] })
        report.line("Complete: every scope is listed.")
        var o: JSONObject = [
            "scopes": .strings(scopes), "count": .int(Int64(scopes.count)), "multi_scope": .bool(scopes.count > 1),
            "cached": .bool(cached), "complete": true,
        ]
        o["warning"] = .orNull(warning)
        return .success(text: report.text, structured: .object(o))
    }
}

/// Scopes kept five minutes in the client's TTL cache: they change when an admin reassigns a key, not per call.
enum ScopeCache {
    static let key = "hec:scopes"

    static func scopes(_ hec: HECAPI, refresh: Bool = false) async throws -> (scopes: HECScopes, cached: Bool) {
        if !refresh, let hit = hec.client.cache.value(for: key, as: HECScopes.self) { return (hit, true) }
        let scopes = try await hec.hecScopes()
        hec.client.cache.store(scopes, for: key, ttl: .seconds(300))
        return (scopes, false)
    }
}
