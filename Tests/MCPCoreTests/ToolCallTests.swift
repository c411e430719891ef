import Testing

@testable import MCPCore

@Suite("tools/list and tools/call")
struct ToolCallTests {
    @Test("tools/list returns every definition in order, as its wire form")
    func list() async throws {
        let client = PipeClient()
        try await client.initialize()
        let tools = try #require(try await client.request(1, "tools/list")["result"]?["tools"]?.arrayValue)
        #expect(tools == TestTools.all.map { $0.definition.json })
        #expect(tools.first?["annotations"]?["readOnlyHint"] == true)
        await client.finish()
    }

    @Test("a call returns structuredContent, a text copy and isError false")
    func call() async throws {
        let client = PipeClient()
        try await client.initialize()
        let result = try #require(try await client.request(1, "tools/call", ["name": "echo", "arguments": ["text": "héllo"]])["result"])
        #expect(result == ["content": [["type": "text", "text": "héllo"]], "structuredContent": ["echo": "héllo"], "isError": false])
        await client.finish()
    }

    @Test("a bad argument is an isError result naming field, expectation, value and example; the handler never runs")
    func badArgument() async throws {
        let client = PipeClient()
        try await client.initialize()
        let response = try await client.request(1, "tools/call", ["name": "progress", "arguments": ["steps": 500]])
        let result = try #require(response["result"])
        #expect(result["isError"] == true)
        #expect(result["content"]?[0]?["text"] == .string("""
            Invalid arguments for tool 'progress' (nothing was done):
            - `steps`: expected an integer from 1 to 50, got 500. Example: 50
            Fix the arguments and call again; tools/list shows the full inputSchema.
            """))
        await client.finish()
    }

    @Test("an argument with one reading is repaired before the handler runs, and the result says so in text and structure")
    func coercedArgument() async throws {
        let client = PipeClient()
        try await client.initialize()
        let result = try #require(try await client.request(1, "tools/call", ["name": "slow", "arguments": ["seconds": "0"]])["result"])
        #expect(result["isError"] == false)
        #expect(result["content"]?[0]?["text"] == "done\nNote: took \"0\" for `seconds` as the integer 0.")
        #expect(result["structuredContent"] == ["done": true, "coerced": [["argument": "seconds", "sent": "0", "used": 0]]])
        let refused = try #require(try await client.request(2, "tools/call", ["name": "slow", "arguments": ["seconds": "soon"]])["result"])
        #expect(refused["isError"] == true)
        #expect(refused["content"]?[0]?["text"]?.stringValue?.contains("`seconds`: expected a number, got \"soon\" (a string)") == true)
        await client.finish()
    }

    @Test("an unknown tool is -32602 pointing at tools/list and suggesting close names")
    func unknownTool() async throws {
        let client = PipeClient()
        try await client.initialize()
        let response = try await client.request(1, "tools/call", ["name": "ecko", "arguments": [:]])
        #expect(response["error"]?["code"] == -32602)
        #expect(response["error"]?["message"] == "Unknown tool: 'ecko'. Call tools/list to see the available tool names. Did you mean 'echo'?")
        let far = try await client.request(2, "tools/call", ["name": "zzzzzzzzzz"])
        #expect(far["error"]?["message"] == "Unknown tool: 'zzzzzzzzzz'. Call tools/list to see the available tool names.")
        await client.finish()
    }

    @Test("a tool the server was started without is refused with the reason")
    func hiddenTool() async throws {
        let client = PipeClient(unavailable: ["quarantine_email": "the server runs with --read-only, which disables write tools"])
        try await client.initialize()
        let response = try await client.request(1, "tools/call", ["name": "quarantine_email", "arguments": [:]])
        #expect(response["error"]?["code"] == -32602)
        #expect(response["error"]?["message"] == "Tool 'quarantine_email' is not available: the server runs with --read-only, which disables write tools")
        await client.finish()
    }

    @Test("malformed tools/call params are -32602", arguments: [
        ["arguments": [:]] as JSONValue, ["name": 5], ["name": "echo", "arguments": [1, 2]], ["name": "echo", "arguments": "x"],
    ])
    func malformedCall(params: JSONValue) async throws {
        let client = PipeClient()
        try await client.initialize()
        #expect(try await client.request(1, "tools/call", params)["error"]?["code"] == -32602)
        await client.finish()
    }

    @Test("a throwing handler becomes an isError result with the error's description")
    func failingHandler() async throws {
        let client = PipeClient()
        try await client.initialize()
        let result = try await client.request(1, "tools/call", ["name": "failing"])["result"]
        #expect(result?["isError"] == true)
        #expect(result?["content"]?[0]?["text"] == "upstream said 403: the API key lacks the Events scope")
        await client.finish()
    }

    @Test("the debug hook turns structuredContent that breaks outputSchema into an isError result")
    func outputValidation() async throws {
        let client = PipeClient()
        try await client.initialize()
        let result = try await client.request(1, "tools/call", ["name": "bad_output"])["result"]
        #expect(result?["isError"] == true)
        let text = result?["content"]?[0]?["text"]?.stringValue ?? ""
        #expect(text.contains("does not match its outputSchema"))
        #expect(text.contains("`count`"))
        await client.finish()
    }

    @Test("a cursor we never issued is -32602")
    func badCursor() async throws {
        let client = PipeClient()
        try await client.initialize()
        #expect(try await client.request(1, "tools/list", ["cursor": "abc"])["error"]?["code"] == -32602)
        #expect(try await client.request(2, "tools/list", ["cursor": nil])["result"] != nil)
        await client.finish()
    }
}
