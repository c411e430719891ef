import Testing

@testable import MCPCore

@Suite("Malformed input is answered per spec and the server stays alive")
struct MalformedInputTests {
    struct Case: Sendable, CustomStringConvertible {
        var description: String
        var line: [UInt8]
        /// Expected error code, or nil for "no reply at all".
        var code: Int64?
        var id: JSONValue = .null

        init(_ description: String, _ line: String, _ code: Int64?, id: JSONValue = .null) {
            self.init(description, Array(line.utf8), code, id: id)
        }
        init(_ description: String, _ line: [UInt8], _ code: Int64?, id: JSONValue = .null) {
            self.description = description
            self.line = line
            self.code = code
            self.id = id
        }
    }

    static let cases: [Case] = [
        Case("not JSON", "hello", -32700),
        Case("truncated JSON", #"{"jsonrpc":"2.0","id":1,"#, -32700),
        Case("invalid UTF-8", [0x7B, 0x22, 0xFF, 0x22, 0x3A, 0x31, 0x7D], -32700),
        Case("a bare number", "42", -32600),
        Case("wrong jsonrpc", #"{"jsonrpc":"1.0","id":1,"method":"ping"}"#, -32600, id: 1),
        Case("missing jsonrpc", #"{"id":2,"method":"ping"}"#, -32600, id: 2),
        Case("null id", #"{"jsonrpc":"2.0","id":null,"method":"ping"}"#, -32600),
        Case("float id", #"{"jsonrpc":"2.0","id":1.5,"method":"ping"}"#, -32600),
        Case("object id", #"{"jsonrpc":"2.0","id":{"a":1},"method":"ping"}"#, -32600),
        Case("boolean id", #"{"jsonrpc":"2.0","id":true,"method":"ping"}"#, -32600),
        Case("missing method", #"{"jsonrpc":"2.0","id":3}"#, -32600, id: 3),
        Case("numeric method", #"{"jsonrpc":"2.0","id":4,"method":7}"#, -32600, id: 4),
        Case("string params", #"{"jsonrpc":"2.0","id":5,"method":"tools/list","params":"x"}"#, -32600, id: 5),
        Case("array params", #"{"jsonrpc":"2.0","id":6,"method":"tools/list","params":[1]}"#, -32602, id: 6),
        Case("unknown method", #"{"jsonrpc":"2.0","id":"u","method":"frobnicate"}"#, -32601, id: "u"),
        Case("empty batch", "[]", -32600),
        Case("batch outside 2025-03-26", #"[{"jsonrpc":"2.0","id":8,"method":"ping"}]"#, -32600),
        Case("unknown notification", #"{"jsonrpc":"2.0","method":"notifications/whatever"}"#, nil),
        Case("a response from the client", #"{"jsonrpc":"2.0","id":9,"result":{}}"#, nil),
        Case("empty line", "", nil),
        Case("blank line", "   \t ", nil),
    ]

    @Test("each malformed line gets the specified answer (or none), then ping still works", arguments: cases)
    func malformed(c: Case) async throws {
        let client = PipeClient()
        try await client.initialize()
        client.sendBytes(c.line + [0x0A])
        if let code = c.code {
            let reply = try await client.next()
            #expect(reply["error"]?["code"] == .int(code), "\(reply)")
            #expect(reply["id"] == c.id)
            #expect(reply["error"]?["message"]?.stringValue?.isEmpty == false)
        }
        // The very next message must be the ping's answer: nothing was sent for a silent case.
        #expect(try await client.request(100, "ping") == ["jsonrpc": "2.0", "id": 100, "result": [:]])
        await client.finish()
    }

    @Test("a multi-megabyte line (2.5 MB) is handled")
    func hugeLine() async throws {
        let client = PipeClient(tools: [TestTools.slow, Tool(definition: TestTools.definition("size", input: ["type": "object"])) { args, _ in
            .success(text: "ok", structured: ["length": .int(Int64(args["blob"]?.stringValue?.utf8.count ?? 0))])
        }])
        try await client.initialize()
        let blob = String(repeating: "0123456789", count: 250_000)
        let message: JSONValue = ["jsonrpc": "2.0", "id": 1, "method": "tools/call",
                                  "params": ["name": "size", "arguments": ["blob": .string(blob)]]]
        await client.sendLarge(message.serialized() + [0x0A])
        let response = try await client.next()
        #expect(response["result"]?["structuredContent"]?["length"] == 2_500_000)
        await client.finish()
    }

    @Test("CRLF line endings and a final line without newline are accepted")
    func lineEndings() async throws {
        let client = PipeClient()
        client.sendBytes(Array(#"{"jsonrpc":"2.0","id":1,"method":"ping"}"#.utf8) + [0x0D, 0x0A])
        #expect(try await client.next()["id"] == 1)
        client.sendBytes(Array(#"{"jsonrpc":"2.0","id":2,"method":"ping"}"#.utf8))
        await client.finish()
        #expect(try await client.next()["id"] == 2)
    }

    @Test("2025-03-26 sessions accept batches and answer with one array")
    func batch() async throws {
        let client = PipeClient()
        try await client.initialize("2025-03-26")
        client.sendLine("""
            [{"jsonrpc":"2.0","id":1,"method":"ping"},{"jsonrpc":"2.0","method":"notifications/x"},\
            {"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"echo","arguments":{"text":"b"}}},\
            {"jsonrpc":"2.0","id":3,"method":"nope"},5]
            """)
        let reply = try #require(try await client.next().arrayValue)
        #expect(reply.count == 4)
        #expect(Set(reply.map { $0["id"] ?? nil }) == [1, 2, 3, .null])
        #expect(reply.first { $0["id"] == 2 }?["result"]?["structuredContent"] == ["echo": "b"])
        #expect(reply.first { $0["id"] == 3 }?["error"]?["code"] == -32601)
        client.sendLine(#"[{"jsonrpc":"2.0","method":"notifications/x"}]"#)
        #expect(try await client.request(9, "ping")["result"] == [:], "an all-notification batch gets no reply")
        await client.finish()
    }
}
