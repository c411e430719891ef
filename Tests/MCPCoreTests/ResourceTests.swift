import Testing

@testable import MCPCore

/// Resource templates: matching and expanding URIs, `resources/templates/list`, `resources/read` in both eras.
@Suite("resources")
struct ResourceTests {
    static let email = ResourceTemplate(uriTemplate: "mail://email/{id}", name: "email", title: "Email", description: "One email.")

    static let provider = ResourceProvider(template: email) { uri, variables, _ in
        guard variables["id"] != "missing" else { throw ResourceReadError.notFound("Not found: email missing") }
        guard variables["id"] != "broken" else { throw ResourceReadError.failed("upstream said 503") }
        return [ResourceContents(uri: uri, mimeType: "text/plain", text: "email \(variables["id"] ?? "")")]
    }

    func client() -> PipeClient {
        var options = ServerOptions(info: ServerInfo(name: "t", version: "1"), tools: [TestTools.echo], stderrLogLevel: .emergency)
        options.resources = [Self.provider]
        return PipeClient(options)
    }

    @Test("match takes one non-empty segment per variable, percent-decoded; expand encodes")
    func matching() {
        #expect(Self.email.match("mail://email/abc") == ["id": "abc"])
        #expect(Self.email.match("mail://email/a%20b") == ["id": "a b"])
        #expect(Self.email.match("mail://email/") == nil)
        #expect(Self.email.match("mail://email/a/b") == nil)
        #expect(Self.email.match("mail://event/a") == nil)
        #expect(Self.email.match("mail://email/%zz") == nil)
        #expect(Self.email.expand(["id": "a b/c"]) == "mail://email/a%20b%2Fc")
        #expect(Self.email.match(Self.email.expand(["id": "ü/?"])) == ["id": "ü/?"])
    }

    @Test("capabilities declare resources (no subscriptions); templates list, resources list is empty")
    func lists() async throws {
        let c = client()
        #expect(try await c.initialize()["result"]?["capabilities"]?["resources"] == ["subscribe": false, "listChanged": false])
        #expect(try await c.request(1, "resources/templates/list")["result"] == ["resourceTemplates": [Self.email.json]])
        #expect(try await c.request(2, "resources/list")["result"] == ["resources": []])
        let modern = try #require(try await c.request(3, "resources/templates/list", ["_meta": envelope()])["result"])
        #expect(modern["ttlMs"] == 300_000 && modern["cacheScope"] == "private")
        await c.finish()
    }

    @Test("read returns the contents; 2026-07-28 marks them ttlMs 0, private")
    func read() async throws {
        let c = client()
        try await c.initialize()
        let legacy = try await c.request(1, "resources/read", ["uri": "mail://email/42"])
        #expect(legacy["result"] == ["contents": [["uri": "mail://email/42", "mimeType": "text/plain", "text": "email 42"]]])
        let modern = try #require(try await c.request(2, "resources/read", ["uri": "mail://email/42", "_meta": envelope()])["result"])
        #expect(modern["ttlMs"] == 0 && modern["cacheScope"] == "private" && modern["resultType"] == "complete")
        await c.finish()
    }

    @Test("not found is -32002 (with the uri) in the handshake era and -32602 in 2026-07-28; a failure is -32603")
    func errors() async throws {
        let c = client()
        try await c.initialize()
        let unknown = try #require(try await c.request(1, "resources/read", ["uri": "other://x"])["error"])
        #expect(unknown["code"] == -32002 && unknown["data"] == ["uri": "other://x"])
        #expect(try await c.request(2, "resources/read", ["uri": "mail://email/missing"])["error"]?["code"] == -32002)
        #expect(try await c.request(3, "resources/read", ["uri": "mail://email/missing", "_meta": envelope()])["error"]?["code"] == -32602)
        let broken = try #require(try await c.request(4, "resources/read", ["uri": "mail://email/broken"])["error"])
        #expect(broken["code"] == -32603 && broken["message"] == "Internal error: upstream said 503")
        await c.finish()
    }
}
