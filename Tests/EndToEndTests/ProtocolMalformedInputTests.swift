import MCPCore
import Testing

/// Everything a broken or hostile client can put on stdin, each answered as JSON-RPC 2.0 and MCP say,
/// with the server alive (ping answers) and stdout clean afterwards.
/// - SeeAlso: https://www.jsonrpc.org/specification#error_object ; the MCP specification (modelcontextprotocol.io) §6
@Suite("Protocol: malformed input")
struct ProtocolMalformedInputTests {
    /// A server after `initialize`, for one malformed-input case.
    private func server() async throws -> MCPProcess {
        let mcp = try MCPProcess.launch()
        let response = try await mcp.initialize()
        try #require(response["result"] != nil, "initialize failed: \(response.wireText)")
        return mcp
    }

    /// The one error answer with `"id": null` the server writes after `line`.
    private func nullIDError(after line: String, on mcp: MCPProcess) async throws -> JSONValue {
        try mcp.send(raw: line)
        return try await mcp.wait(for: "an error with id null") { $0["error"] != nil && $0["id"] == .null }
    }

    private func expectAlive(_ mcp: MCPProcess) async throws {
        #expect(try await mcp.request("ping")["result"] == [:], "the server no longer answers ping")
        #expect(mcp.invalidStdoutLines.map(\.text) == [], "stdout carried something that is not JSON-RPC")
        #expect(mcp.exitStatus == nil)
    }

    @Test("a line that is not JSON gets -32700 with id null")
    func notJSON() async throws {
        let mcp = try await server()
        #expect(try await nullIDError(after: "this is not json", on: mcp).errorCode == -32700)
        #expect(try await nullIDError(after: #"{"jsonrpc":"2.0","id":1,"method":"ping""#, on: mcp).errorCode == -32700)
        try await expectAlive(mcp)
    }

    @Test("ids that are null, floats or objects get -32600 with id null", arguments: ["null", "1.5", #"{"a":1}"#, "[1]", "true"])
    func badIDs(id: String) async throws {
        let mcp = try await server()
        let error = try await nullIDError(after: #"{"jsonrpc":"2.0","id":\#(id),"method":"ping"}"#, on: mcp)
        #expect(error.errorCode == -32600)
        try await expectAlive(mcp)
    }

    @Test("a wrong jsonrpc version or a missing method gets -32600 carrying the id")
    func invalidRequests() async throws {
        let mcp = try await server()
        for (id, line) in [
            (101, #"{"jsonrpc":"1.0","id":101,"method":"ping"}"#),
            (102, #"{"id":102,"method":"ping"}"#),
            (103, #"{"jsonrpc":"2.0","id":103}"#),
            (104, #"{"jsonrpc":"2.0","id":104,"method":42}"#),
        ] {
            try mcp.send(raw: line)
            let response = try await mcp.response(to: .int(Int64(id)))
            #expect(response.errorCode == -32600, "\(line) → \(response.wireText)")
        }
        try await expectAlive(mcp)
    }

    @Test("a string id is echoed as a string, an integer id as an integer")
    func idTypesEchoed() async throws {
        let mcp = try await server()
        try mcp.send(raw: #"{"jsonrpc":"2.0","id":"7","method":"ping"}"#)
        try mcp.send(raw: #"{"jsonrpc":"2.0","id":7,"method":"ping"}"#)
        #expect(try await mcp.response(to: "7")["result"] == [:])
        #expect(try await mcp.response(to: 7)["result"] == [:])
    }

    @Test("params of the wrong type are refused with the request's id")
    func paramsOfWrongType() async throws {
        let mcp = try await server()
        try mcp.send(raw: #"{"jsonrpc":"2.0","id":201,"method":"tools/list","params":"all"}"#)
        let stringParams = try await mcp.response(to: 201)
        #expect([-32600, -32602].contains(stringParams.errorCode ?? 0), "\(stringParams.wireText)")
        let badName = try await mcp.request("tools/call", ["name": 5, "arguments": [:]])
        #expect(badName.errorCode == -32602)
        let badArguments = try await mcp.request("tools/call", ["name": "list_scopes", "arguments": "none"])
        #expect(badArguments.errorCode == -32602)
        let noName = try await mcp.request("tools/call", ["arguments": [:]])
        #expect(noName.errorCode == -32602)
        let badCursor = try await mcp.request("tools/list", ["cursor": 12])
        #expect(badCursor.errorCode == -32602)
        try await expectAlive(mcp)
    }

    @Test("an unknown method gets -32601 with its id; an unknown notification gets nothing")
    func unknownMethod() async throws {
        let mcp = try await server()
        let response = try await mcp.request("resources/frobnicate")
        #expect(response.errorCode == -32601)
        let before = mcp.stdoutLines.count
        try mcp.notify("notifications/frobnicated")
        try await expectAlive(mcp)
        #expect(mcp.stdoutLines.count == before + 1, "a notification was answered")
    }

    @Test("an unknown tool is -32602 and says how to find the right name")
    func unknownTool() async throws {
        let mcp = try await server()
        let response = try await mcp.callTool("frobnicate_entities")
        #expect(response.errorCode == -32602)
        #expect(response.errorMessage?.contains("frobnicate_entities") == true)
        #expect(response.errorMessage?.contains("tools/list") == true)
        try await expectAlive(mcp)
    }

    @Test("a bad argument is an isError result naming the field, before any upstream call")
    func badArguments() async throws {
        let mcp = try await server()
        let unexpected = try #require(try await mcp.callTool("list_scopes", ["no_such_argument": 1]).toolResult)
        #expect(unexpected.isError)
        #expect(unexpected.text.contains("no_such_argument"))
        let wrongType = try #require(try await mcp.callTool("search_entities", ["limit": "many"]).toolResult)
        #expect(wrongType.isError)
        #expect(wrongType.text.contains("limit"))
        #expect(wrongType.text.contains("integer"))
        try await expectAlive(mcp)
    }

    @Test("a line of several megabytes is read whole and answered")
    func hugeLine() async throws {
        let mcp = try await server()
        let padding = String(repeating: "x", count: 6 << 20)
        try mcp.send(raw: #"{"jsonrpc":"2.0","id":301,"method":"tools/call","params":{"name":"no_such_tool","arguments":{"pad":"\#(padding)"}}}"#)
        #expect(try await mcp.response(to: 301).errorCode == -32602)
        let garbage = String(repeating: "#", count: 5 << 20)
        #expect(try await nullIDError(after: garbage, on: mcp).errorCode == -32700)
        try await expectAlive(mcp)
    }

    @Test("empty and whitespace-only lines are ignored")
    func emptyLines() async throws {
        let mcp = try await server()
        let before = mcp.stdoutLines.count
        try mcp.send(rawBytes: Array("\n\n   \n\r\n".utf8))
        try await expectAlive(mcp)
        #expect(mcp.stdoutLines.count == before + 1, "an empty line was answered: \(mcp.stdoutLines.map(\.text))")
    }

    @Test("invalid UTF-8 gets -32700 with id null")
    func invalidUTF8() async throws {
        let mcp = try await server()
        var bytes = Array(#"{"jsonrpc":"2.0","id":401,"method":"ping","params":{"x":""#.utf8)
        bytes += [0xFF, 0xFE, 0xC3]
        bytes += Array(#""}}"#.utf8) + [0x0A]
        try mcp.send(rawBytes: bytes)
        let error = try await mcp.wait(for: "an error with id null") { $0["error"] != nil && $0["id"] == .null }
        #expect(error.errorCode == -32700)
        // Lines are answered in order: once the ping after it is answered, a reply to 401 would be in already.
        try await expectAlive(mcp)
        #expect(!mcp.stdoutLines.contains { $0.json?["id"] == 401 }, "the invalid line was also answered as a ping")
    }

    @Test("one server survives every malformed input in a row")
    func allInARow() async throws {
        let mcp = try await server()
        var bytes: [UInt8] = []
        for line in [
            "garbage", #"{"jsonrpc":"2.0","id":null,"method":"ping"}"#, #"{"jsonrpc":"2.0","id":2.5,"method":"ping"}"#,
            #"{"jsonrpc":"2.0","id":{},"method":"ping"}"#, #"{"jsonrpc":"3.0","id":501,"method":"ping"}"#,
            #"{"jsonrpc":"2.0","id":502}"#, #"{"jsonrpc":"2.0","id":503,"method":"tools/list","params":7}"#,
            #"{"jsonrpc":"2.0","id":504,"method":"nope"}"#, "", "[]", "{}", "null", "42", #""str""#,
            #"{"jsonrpc":"2.0","id":505,"method":"tools/call","params":{"name":"nope"}}"#,
        ] { bytes += Array(line.utf8) + [0x0A] }
        bytes += [0xC0, 0x80, 0x0A]
        try mcp.send(rawBytes: bytes)
        for id in 501...505 { #expect(try await mcp.response(to: .int(Int64(id)))["error"] != nil) }
        try await expectAlive(mcp)
        #expect(mcp.stdoutLines.allSatisfy { $0.json?["result"] != nil || $0.json?["error"] != nil })
    }
}
