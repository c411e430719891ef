import Testing

@testable import CheckPointTools

/// `list_scopes` in process: the scope list, the 5-minute cache and `refresh`.
@Suite("list_scopes (in process)")
struct ListScopesTests {
    static let route = "GET /app/hec-api/v1.0/scopes"

    @Test("names the tenant's scope, serves the second call from the cache, and refresh asks again")
    func scopesAndCache() async throws {
        let tenant = try InProcessTenant()
        let first = try await tenant.call(ListScopes.spec)
        #expect(!first.isError, "\(first.text)")
        #expect(first.structured?["scopes"] == ["mt-prod-3:acme-demo"])
        #expect(first.structured?["count"] == 1)
        #expect(first.structured?["multi_scope"] == false)
        #expect(first.structured?["cached"] == false)
        #expect(first.text.hasPrefix("1 scope visible to this key."))
        #expect(first.text.contains("«mt-prod-3:acme-demo»"), "scopes are fenced as untrusted text")

        let second = try await tenant.call(ListScopes.spec)
        #expect(second.structured?["cached"] == true)
        #expect(tenant.count(Self.route) == 1)

        let refreshed = try await tenant.call(ListScopes.spec, ["refresh": true])
        #expect(refreshed.structured?["cached"] == false)
        #expect(tenant.count(Self.route) == 2)
    }

    @Test("a key that sees no scope gets the warning in text and structure")
    func noScope() {
        let r = ListScopes.render([], cached: false, demo: false)
        #expect(r.structuredContent?["warning"] == .string(ListScopes.noScopeWarning))
        #expect(r.text.contains("WARNING: This key sees NO scope"))
        #expect(r.structuredContent?["multi_scope"] == false)
    }
}
