import MCPCore
import Testing

/// Both protocol eras through the built binary: the handshake in every version, `server/discover`
/// and the 2026 per-request envelope, logging levels, and what happens before `initialize`.
/// - SeeAlso: the MCP specification (modelcontextprotocol.io) §1, §3; the 2026-07-28 revision (server/discover)
@Suite("Protocol: handshake and eras")
struct ProtocolHandshakeTests {
    @Test("initialize echoes every supported handshake version", arguments: MCPProcess.allLegacyVersions)
    func handshakeEchoesVersion(version: String) async throws {
        let mcp = try MCPProcess.launch()
        let response = try await mcp.initialize(version: version)
        let result = try #require(response["result"], "initialize failed: \(response.wireText)")
        #expect(result["protocolVersion"]?.stringValue == version)
        #expect(result["serverInfo"]?["name"]?.stringValue?.isEmpty == false)
        #expect(result["serverInfo"]?["version"]?.stringValue?.isEmpty == false)
        #expect(result["capabilities"]?["tools"]?.objectValue != nil)
        #expect(result["capabilities"]?["logging"]?.objectValue != nil)
        #expect(try await mcp.request("ping")["result"] == [:])
        #expect(mcp.invalidStdoutLines.isEmpty)
    }

    @Test("an unknown or modern-only version in initialize gets the latest handshake version",
          arguments: ["2099-01-01", "1.0", "2026-07-28"])
    func unknownVersionGetsLatest(version: String) async throws {
        let mcp = try MCPProcess.launch()
        let response = try await mcp.initialize(version: version)
        #expect(response["result"]?["protocolVersion"]?.stringValue == MCPProcess.legacyVersion)
        #expect(try await mcp.request("ping")["result"] == [:])
    }

    @Test("a request before initialize is answered with an error carrying its id, and the server lives on")
    func requestBeforeInitialize() async throws {
        let mcp = try MCPProcess.launch()
        try mcp.notify("notifications/initialized")  // a stray notification: no answer
        let early = try await mcp.request("tools/list")
        #expect(early["error"] != nil, "tools/list before initialize was served: \(early.wireText)")
        #expect(early["id"] == 1)
        let string = JSONValue.string("early-string-id")
        try mcp.send(["jsonrpc": "2.0", "id": string, "method": "tools/call", "params": ["name": "list_scopes"]])
        #expect(try await mcp.response(to: string)["error"] != nil)
        #expect(try await mcp.initialize()["result"] != nil)
        #expect(try await mcp.request("tools/list")["result"]?["tools"]?.arrayValue != nil)
        // Nothing answered the notification: exactly one line per request.
        #expect(mcp.stdoutLines.count == 4)
        #expect(mcp.invalidStdoutLines.isEmpty)
    }

    @Test("server/discover describes the server in the 2026 shape")
    func discover() async throws {
        let mcp = try MCPProcess.launch()
        let response = try await mcp.discover()
        let result = try #require(response["result"], "discover failed: \(response.wireText)")
        #expect(result["resultType"] == "complete")
        let versions = result["supportedVersions"]?.arrayValue?.compactMap(\.stringValue) ?? []
        #expect(versions.contains(MCPProcess.modernVersion))
        #expect(result["capabilities"]?["tools"]?.objectValue != nil)
        #expect((result["ttlMs"]?.intValue ?? -1) >= 0)
        #expect(["public", "private"].contains(result["cacheScope"]?.stringValue ?? ""))
        #expect(result["_meta"]?["io.modelcontextprotocol/serverInfo"]?["name"]?.stringValue?.isEmpty == false)
    }

    @Test("modern tools/list and tools/call carry resultType, ttlMs and cacheScope")
    func modernCalls() async throws {
        let mcp = try MCPProcess.launch()
        try await mcp.discover()
        let list = try #require(try await mcp.request("tools/list")["result"])
        #expect(list["resultType"] == "complete")
        #expect((list["ttlMs"]?.intValue ?? -1) >= 0)
        #expect(["public", "private"].contains(list["cacheScope"]?.stringValue ?? ""))
        #expect(list["tools"]?.arrayValue != nil)
        let unknown = try await mcp.callTool("no_such_tool")
        #expect(unknown.errorCode == -32602)
        #expect(unknown["id"] != nil && unknown["id"] != .null)
    }

    @Test("a modern request naming an unsupported version gets -32022 with supported and requested")
    func unsupportedModernVersion() async throws {
        let mcp = try MCPProcess.launch()
        let response = try await mcp.request(
            "tools/list", ["_meta": MCPProcess.envelope(version: "2099-12-31")], envelope: false)
        #expect(response.errorCode == -32022)
        let data = try #require(response["error"]?["data"])
        #expect(data["requested"] == "2099-12-31")
        let supported = data["supported"]?.arrayValue?.compactMap(\.stringValue) ?? []
        #expect(supported.contains(MCPProcess.modernVersion))
        // The client retries with a supported version and is served.
        try await mcp.discover()
        #expect(try await mcp.request("tools/list")["result"] != nil)
    }

    @Test("a modern request whose _meta envelope lacks a required key is -32602")
    func incompleteEnvelope() async throws {
        let mcp = try MCPProcess.launch()
        try await mcp.discover()
        let noCapabilities = try await mcp.request(
            "tools/list", ["_meta": ["io.modelcontextprotocol/protocolVersion": "2026-07-28"]], envelope: false)
        #expect(noCapabilities.errorCode == -32602)
        let noMeta = try await mcp.request("tools/list", [:], envelope: false)
        #expect(noMeta["error"] != nil, "tools/list without _meta in a modern session was served")
        #expect(noMeta["id"] != .null)
    }

    @Test("legacy-only methods are not found in the modern era")
    func pingIsGoneInModernEra() async throws {
        let mcp = try MCPProcess.launch()
        try await mcp.discover()
        #expect(try await mcp.request("ping").errorCode == -32601)
    }

    @Test("logging/setLevel accepts every RFC 5424 level and rejects others with -32602")
    func setLevel() async throws {
        let mcp = try MCPProcess.launch()
        try await mcp.initialize()
        for level in LogLevel.allCases {
            #expect(try await mcp.request("logging/setLevel", ["level": .string(level.rawValue)])["result"] == [:])
        }
        #expect(try await mcp.request("logging/setLevel", ["level": "verbose"]).errorCode == -32602)
        #expect(try await mcp.request("logging/setLevel", [:]).errorCode == -32602)
    }

    @Test("a 2025-03-26 session takes a batch and answers it as one array")
    func batchIn20250326() async throws {
        let mcp = try MCPProcess.launch()
        try await mcp.initialize(version: "2025-03-26")
        try mcp.send(raw: #"[{"jsonrpc":"2.0","id":30,"method":"ping"},{"jsonrpc":"2.0","id":31,"method":"ping"}]"#)
        let answer = try await mcp.wait(for: "the batch answer") { $0.arrayValue != nil }
        let ids = Set(answer.arrayValue?.compactMap { $0["id"]?.intValue } ?? [])
        #expect(ids == [30, 31])
        #expect(mcp.invalidStdoutLines.isEmpty)
    }

    @Test("outside 2025-03-26 a batch is refused with -32600 and id null")
    func batchRefusedElsewhere() async throws {
        let mcp = try MCPProcess.launch()
        try await mcp.initialize(version: "2025-11-25")
        try mcp.send(raw: #"[{"jsonrpc":"2.0","id":40,"method":"ping"}]"#)
        let error = try await mcp.wait(for: "the batch refusal") { $0["error"] != nil && $0["id"] == .null }
        #expect(error.errorCode == -32600)
        #expect(try await mcp.request("ping")["result"] == [:])
    }
}
