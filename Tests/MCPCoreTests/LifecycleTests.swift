import Testing

@testable import MCPCore

@Suite("Lifecycle in both eras")
struct LifecycleTests {
    @Test("initialize echoes every supported handshake version", arguments: ProtocolVersion.legacy)
    func echoesVersion(version: String) async throws {
        let client = PipeClient(instructions: "Be careful.")
        let response = try await client.initialize(version)
        let result = try #require(response["result"])
        #expect(result["protocolVersion"] == .string(version))
        #expect(result["serverInfo"] == ["name": "test-server", "version": "9.9.9"])
        #expect(result["capabilities"] == ["tools": ["listChanged": false], "logging": [:]])
        #expect(result["instructions"] == "Be careful.")
        #expect(try await client.request(1, "ping")["result"] == [:])
        await client.finish()
    }

    @Test("initialize with an unknown or modern version gets the newest handshake version", arguments: [
        "2026-07-28", "1999-01-01", "2025-12-01",
    ])
    func offersLatest(version: String) async throws {
        let client = PipeClient()
        let response = try await client.initialize(version)
        #expect(response["result"]?["protocolVersion"] == "2025-11-25")
        await client.finish()
    }

    @Test("requests before initialize get an error with their id; ping works; the server stays up")
    func beforeInitialize() async throws {
        let client = PipeClient()
        let list = try await client.request("a", "tools/list")
        #expect(list["error"]?["code"] == -32600)
        #expect(list["id"] == "a")
        let call = try await client.request(7, "tools/call", ["name": "echo", "arguments": ["text": "x"]])
        #expect(call["error"]?["code"] == -32600)
        #expect(try await client.request(8, "ping")["result"] == [:])
        try await client.initialize()
        #expect(try await client.request(9, "tools/list")["result"]?["tools"]?.arrayValue?.count == TestTools.all.count)
        await client.finish()
    }

    @Test("a second initialize is refused and names the negotiated version")
    func secondInitialize() async throws {
        let client = PipeClient()
        try await client.initialize("2025-06-18")
        let again = try await client.request(5, "initialize", ["protocolVersion": "2025-11-25", "capabilities": [:]])
        #expect(again["error"]?["code"] == -32600)
        #expect(again["error"]?["message"]?.stringValue?.contains("2025-06-18") == true)
        await client.finish()
    }

    @Test("initialize without a protocolVersion is invalid params")
    func initializeWithoutVersion() async throws {
        let client = PipeClient()
        #expect(try await client.request(1, "initialize", ["capabilities": [:]])["error"]?["code"] == -32602)
        await client.finish()
    }

    @Test("server/discover answers the modern probe with versions, capabilities, cache fields and serverInfo")
    func discover() async throws {
        let client = PipeClient(instructions: "Hello.")
        let response = try await client.request(1, "server/discover", ["_meta": envelope()])
        let result = try #require(response["result"])
        #expect(result["resultType"] == "complete")
        #expect(result["supportedVersions"] == .array(ProtocolVersion.all.map { .string($0) }))
        #expect(result["capabilities"]?["tools"] != nil)
        #expect(result["instructions"] == "Hello.")
        #expect(result["ttlMs"]?.intValue.map { $0 >= 0 } == true)
        #expect(result["cacheScope"] == "private")
        #expect(result["_meta"]?[MetaKey.serverInfo] == ["name": "test-server", "version": "9.9.9"])
        await client.finish()
    }

    @Test("a modern request needs no handshake and carries resultType, cache fields and the serverInfo stamp")
    func modernToolsList() async throws {
        let client = PipeClient()
        let response = try await client.request(2, "tools/list", ["_meta": envelope()])
        let result = try #require(response["result"])
        #expect(result["tools"]?.arrayValue?.count == TestTools.all.count)
        #expect(result["resultType"] == "complete")
        #expect(result["cacheScope"] == "private")
        #expect(result["ttlMs"] == 300_000, "the default list TTL: five minutes")
        #expect(result["_meta"]?[MetaKey.serverInfo]?["name"] == "test-server")
        let call = try await client.request(3, "tools/call", ["name": "echo", "arguments": ["text": "hi"], "_meta": envelope()])
        #expect(call["result"]?["resultType"] == "complete")
        #expect(call["result"]?["structuredContent"] == ["echo": "hi"])
        await client.finish()
    }

    @Test("an unsupported modern version is -32022 with supported and requested")
    func unsupportedVersion() async throws {
        let client = PipeClient()
        let response = try await client.request(1, "tools/list", ["_meta": envelope(version: "2099-01-01")])
        #expect(response["error"]?["code"] == -32022)
        #expect(response["error"]?["data"]?["requested"] == "2099-01-01")
        #expect(response["error"]?["data"]?["supported"] == .array(ProtocolVersion.all.map { .string($0) }))
        await client.finish()
    }

    static let brokenEnvelopes: [(JSONValue, String)] = [
        (["name": "x"], "Missing params._meta"),
        (["_meta": "nope"], "params._meta must be an object"),
        (["_meta": [MetaKey.clientCapabilities: [:]]], "Missing \"io.modelcontextprotocol/protocolVersion\""),
        (["_meta": [MetaKey.protocolVersion: 2026]], "must be a string"),
        (["_meta": [MetaKey.protocolVersion: "2026-07-28"]], "Missing \"io.modelcontextprotocol/clientCapabilities\""),
        (["_meta": [MetaKey.protocolVersion: "2026-07-28", MetaKey.clientCapabilities: [:], MetaKey.logLevel: "loud"]],
         "must be one of debug"),
    ]

    @Test("a broken modern envelope is -32602 naming the missing key", arguments: brokenEnvelopes)
    func brokenEnvelope(params: JSONValue, fragment: String) async throws {
        let client = PipeClient()
        let response = try await client.request(1, "server/discover", params)
        #expect(response["error"]?["code"] == -32602)
        #expect(response["error"]?["message"]?.stringValue?.contains(fragment) == true, "\(response)")
        await client.finish()
    }

    @Test("methods removed in 2026-07-28 are -32601 with the envelope")
    func removedMethods() async throws {
        let client = PipeClient()
        for (n, method) in ["ping", "logging/setLevel", "initialize", "resources/list"].enumerated() {
            let response = try await client.request(.int(Int64(n)), method, ["_meta": envelope()])
            #expect(response["error"]?["code"] == -32601, "\(method)")
        }
        await client.finish()
    }

    @Test("both eras on one process: legacy session plus enveloped requests")
    func dualEra() async throws {
        let client = PipeClient()
        try await client.initialize()
        let legacy = try await client.request(1, "tools/list")
        #expect(legacy["result"]?["resultType"] == nil)
        let modern = try await client.request(2, "tools/list", ["_meta": envelope()])
        #expect(modern["result"]?["resultType"] == "complete")
        await client.finish()
    }

    @Test("stdin EOF ends run promptly once pending replies are written")
    func eof() async throws {
        let client = PipeClient()
        client.sendLine(#"{"jsonrpc":"2.0","id":1,"method":"ping"}"#)
        await client.finish()
        #expect(try await client.next()["id"] == 1)
    }

    @Test("a call still running at stdin EOF is answered before run returns")
    func eofWaitsForRunningCall() async throws {
        let client = PipeClient()
        try await client.initialize()
        let gate = "eof-running-\(UInt64.random(in: 0...UInt64.max))"
        client.send(["jsonrpc": "2.0", "id": 1, "method": "tools/call", "params": ["name": "gated", "arguments": ["gate": .string(gate)]]])
        client.send(["jsonrpc": "2.0", "id": 2, "method": "tools/call", "params": ["name": "echo", "arguments": ["text": "x"]]])
        client.endInput()
        // Both lines and the EOF reach the server together; once the echo is answered, the gated call is
        // still running (its gate is shut) and the server is at EOF. Only then does the call finish.
        #expect(try await client.next()["id"] == 2)
        await Gates.shared.open(gate)
        #expect(try await client.next()["id"] == 1, "the running call is answered before run returns and the output closes")
        await client.finish()
    }

    @Test("a lazily provided catalog is built once and serves list, call and refusal reasons")
    func lazyCatalog() async throws {
        let builds = Locked(0)
        var options = ServerOptions(info: ServerInfo(name: "lazy", version: "1"), stderrLogLevel: .emergency) {
            builds.withLock { $0 += 1 }
            return ToolCatalog(tools: [TestTools.echo], unavailable: ["secret_tool": "it is switched off"])
        }
        options.shutdownGraceSeconds = 30
        let client = PipeClient(options)
        try await client.initialize()
        #expect(try await client.request(1, "tools/list")["result"]?["tools"]?.arrayValue?.count == 1)
        #expect(try await client.request(2, "tools/call", ["name": "echo", "arguments": ["text": "x"]])["result"]?["isError"] == false)
        let refused = try await client.request(3, "tools/call", ["name": "secret_tool"])
        #expect(refused["error"]?["message"] == "Tool 'secret_tool' is not available: it is switched off")
        await client.finish()
        #expect(builds.withLock { $0 } == 1)
    }
}
