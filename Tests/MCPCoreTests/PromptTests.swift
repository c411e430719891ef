import Testing

@testable import MCPCore

/// `prompts/list`, `prompts/get` (arguments validated like tool arguments) and `completion/complete`.
@Suite("prompts and completion")
struct PromptTests {
    static let triage = Prompt(
        definition: PromptDefinition(
            name: "triage", title: "Triage", description: "Triage a sender.",
            arguments: [
                PromptArgument(name: "sender", description: "who", required: true, schema: ["type": "string", "minLength": 3]),
                PromptArgument(name: "days", description: "how long", schema: ["type": "string", "pattern": "^[0-9]{1,2}$"]),
            ]),
        complete: { argument, _, others in
            argument == "days" ? (1...150).map(String.init) : ["evil.com", "Example.org", "exam.net", others["days"] ?? "-"]
        },
        messages: { args in [PromptMessage(text: "Search \(args["sender"] ?? "") over \(args["days"] ?? "7") days.")] })

    func client(prompts: [Prompt] = [triage]) -> PipeClient {
        var options = ServerOptions(info: ServerInfo(name: "t", version: "1"), tools: [TestTools.echo], stderrLogLevel: .emergency)
        options.prompts = prompts
        return PipeClient(options)
    }

    @Test("capabilities declare prompts and completions only when served, in both eras")
    func capabilities() async throws {
        let with = client()
        let caps = try await with.initialize()["result"]?["capabilities"]
        #expect(caps == ["tools": ["listChanged": false], "logging": [:], "prompts": ["listChanged": false], "completions": [:]])
        let discovered = try await with.request(1, "server/discover", ["_meta": envelope()])["result"]?["capabilities"]
        #expect(discovered == caps)
        await with.finish()
        let without = client(prompts: [])
        #expect(try await without.initialize()["result"]?["capabilities"] == ["tools": ["listChanged": false], "logging": [:]])
        #expect(try await without.request(1, "prompts/list")["error"]?["code"] == -32601)
        await without.finish()
    }

    @Test("prompts/list: the definitions; 2026-07-28 adds ttlMs and cacheScope")
    func list() async throws {
        let c = client()
        try await c.initialize()
        let legacy = try #require(try await c.request(1, "prompts/list")["result"])
        #expect(legacy == ["prompts": [Self.triage.definition.json]])
        #expect(Self.triage.definition.json["arguments"]?[0] == ["name": "sender", "description": "who", "required": true])
        let modern = try #require(try await c.request(2, "prompts/list", ["_meta": envelope()])["result"])
        #expect(modern["ttlMs"] == 300_000 && modern["cacheScope"] == "private" && modern["resultType"] == "complete")
        await c.finish()
    }

    @Test("prompts/get fills in the arguments")
    func get() async throws {
        let c = client()
        try await c.initialize()
        let result = try #require(try await c.request(1, "prompts/get", ["name": "triage", "arguments": ["sender": "evil.com", "days": "14"]])["result"])
        #expect(result == ["description": "Triage a sender.", "messages": [["role": "user", "content": ["type": "text", "text": "Search evil.com over 14 days."]]]])
        await c.finish()
    }

    @Test("bad, missing or unknown arguments and unknown prompts are -32602 naming each problem")
    func invalid() async throws {
        let c = client()
        try await c.initialize()
        let bad = try #require(try await c.request(1, "prompts/get", ["name": "triage", "arguments": ["days": "365", "extra": "x"]])["error"])
        #expect(bad["code"] == -32602)
        let message = bad["message"]?.stringValue ?? ""
        #expect(message.hasPrefix("Invalid arguments for prompt 'triage':"))
        #expect(message.contains("`sender`") && message.contains("`days`") && message.contains("`extra`"))
        #expect(try await c.request(2, "prompts/get", ["name": "nope"])["error"]?["message"] == "Unknown prompt: 'nope'. Prompts: triage.")
        #expect(try await c.request(3, "prompts/get", ["name": "triage", "arguments": ["sender": 42]])["error"]?["code"] == -32602)
        await c.finish()
    }

    @Test("completion: case-insensitive prefix match, at most 100 values with total and hasMore; context arguments reach the completer")
    func completion() async throws {
        let c = client()
        try await c.initialize()
        let ref: JSONValue = ["type": "ref/prompt", "name": "triage"]
        let exa = try await c.request(1, "completion/complete", ["ref": ref, "argument": ["name": "sender", "value": "EXA"]])
        #expect(exa["result"] == ["completion": ["values": ["Example.org", "exam.net"], "total": 2, "hasMore": false]])
        let days = try #require(try await c.request(2, "completion/complete", ["ref": ref, "argument": ["name": "days", "value": ""]])["result"]?["completion"])
        #expect(days["values"]?.arrayValue?.count == 100 && days["total"] == 150 && days["hasMore"] == true)
        let context = try await c.request(3, "completion/complete", [
            "ref": ref, "argument": ["name": "sender", "value": "3"], "context": ["arguments": ["days": "30"]],
        ])
        #expect(context["result"]?["completion"]?["values"] == ["30"])
        let modern = try await c.request(4, "completion/complete", ["ref": ref, "argument": ["name": "sender", "value": ""], "_meta": envelope()])
        #expect(modern["result"]?["resultType"] == "complete")
        #expect(try await c.request(5, "completion/complete", ["ref": ["type": "ref/prompt", "name": "x"], "argument": ["name": "a", "value": ""]])["error"]?["code"] == -32602)
        await c.finish()
    }
}
