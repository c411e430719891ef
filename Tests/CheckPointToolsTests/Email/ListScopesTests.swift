import Foundation
import MCPCore
import Testing

@testable import CheckPointAPI
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
        let r = ListScopes.render(HECScopes(scopes: []), cached: false, demo: false)
        #expect(r.structuredContent?["warning"] == .string(ListScopes.noScopeWarning))
        #expect(r.text.contains("WARNING: This key sees NO scope"))
        #expect(r.structuredContent?["multi_scope"] == false)
    }
}


/// `list_scopes` rendering (Sources/CheckPointTools/Email/ListScopes.swift).
@Suite("list_scopes rendering")
struct ListScopesRenderTests {
    static func text(_ r: ToolResult) -> String { r.content.first?["text"]?.stringValue ?? "" }

    @Test("a key answered [\"\"] lists no scope and says what it means and what to do")
    func emptyScope() {
        let r = ListScopes.render(HECScopes(scopes: [], emptyDropped: 1), cached: false, demo: false)
        #expect(r.structuredContent?["count"] == 0)
        #expect(r.structuredContent?["scopes"]?.arrayValue == [])
        let warning = r.structuredContent?["warning"]?.stringValue ?? ""
        #expect(warning.contains("empty scope") && warning.contains("not associated") && warning.contains("Infinity Portal"))
        #expect(Self.text(r).contains("WARNING"))
    }

    @Test("real scopes: no warning; none at all: the no-scope warning")
    func ordinary() {
        let one = ListScopes.render(HECScopes(scopes: ["mt-prod-3:acme"]), cached: true, demo: false)
        #expect(one.structuredContent?["warning"] == .null)
        #expect(one.structuredContent?["count"] == 1)
        let none = ListScopes.render(HECScopes(scopes: []), cached: false, demo: false)
        #expect(none.structuredContent?["warning"]?.stringValue == ListScopes.noScopeWarning)
    }
}
