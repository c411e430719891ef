import MCPCore
import Testing

/// Tool calls through the built binary against a `checkpoint-sim`: results in both eras, pipelining,
/// concurrency (ping during a slow call), cancellation, progress and logging.
@Suite("Protocol: tool calls against the simulator")
struct ProtocolToolCallTests {
    static let searchRoute = "POST /app/hec-api/v1.0/search/query"
    /// A call that logs (at debug) and changes nothing: the preview of a write.
    static let loggingCall: (name: String, arguments: JSONValue) = ("create_mobile_group", ["name": "harness-logging-probe"])

    private func server(_ sim: SimProcess, modern: Bool = false) async throws -> MCPProcess {
        let mcp = try MCPProcess.launch(against: sim)
        let response = modern ? try await mcp.discover() : try await mcp.initialize()
        try #require(response["result"] != nil, "handshake failed: \(response.wireText)")
        return mcp
    }

    /// Index of the first stdout line matching `predicate`.
    private func lineIndex(_ mcp: MCPProcess, where predicate: (JSONValue) -> Bool) -> Int? {
        mcp.stdoutLines.firstIndex { $0.json.map(predicate) ?? false }
    }

    private func expectCleanOutput(_ mcp: MCPProcess) {
        #expect(mcp.invalidStdoutLines.map(\.text) == [])
        for secret in [SimProcess.clientSecret, SimProcess.mobileClientSecret] {
            #expect(!mcp.allOutput.contains(secret), "the client secret appeared in the server's output")
        }
    }

    @Test("list_scopes answers with structuredContent and a text copy, in both eras", arguments: [false, true])
    func listScopes(modern: Bool) async throws {
        let sim = try await SimProcess.shared()
        let mcp = try await server(sim, modern: modern)
        let response = try await mcp.callTool("list_scopes")
        let result = try #require(response.toolResult, "\(response.wireText)")
        #expect(!result.isError, "\(result.text)")
        #expect(result.structured?["scopes"] == ["mt-prod-3:acme-demo"])
        #expect(result.text.contains("mt-prod-3:acme-demo"), "the text copy names the scope: \(result.text)")
        if modern { #expect(result.raw["resultType"] == "complete") }
        expectCleanOutput(mcp)
    }

    @Test("100 pipelined calls and 100 pings written at once are each answered once, ids matching")
    func pipelined() async throws {
        let sim = try await SimProcess.shared()
        let mcp = try await server(sim)
        // One call first fills the scope cache, so the burst measures the server, not the upstream limiter.
        #expect(try await mcp.callTool("list_scopes").toolResult?.isError == false)
        var burst = ""
        for i in 0..<100 {
            burst += #"{"jsonrpc":"2.0","id":\#(10_000 + i),"method":"tools/call","params":{"name":"list_scopes","arguments":{}}}"# + "\n"
            burst += #"{"jsonrpc":"2.0","id":"ping-\#(i)","method":"ping"}"# + "\n"
        }
        try mcp.send(rawBytes: Array(burst.utf8))
        for i in 0..<100 {
            let call = try await mcp.response(to: .int(Int64(10_000 + i)), timeout: .seconds(60))
            #expect(call.toolResult?.isError == false, "call \(i): \(call.wireText.prefix(300))")
            #expect(try await mcp.response(to: .string("ping-\(i)"))["result"] == [:])
        }
        let ids = mcp.stdoutLines.compactMap { $0.json?["id"] }
        #expect(ids.count == 202)  // initialize, the warm-up call, 200
        #expect(Set(ids).count == ids.count, "an id was answered twice")
        expectCleanOutput(mcp)
    }

    @Test("ping is answered while a slow tool call is in flight")
    func pingDuringSlowCall() async throws {
        let sim = try await SimProcess.holding("ping")
        let mcp = try await server(sim)
        let baseline = try await sim.requestCount(Self.searchRoute)
        try mcp.send(["jsonrpc": "2.0", "id": 900, "method": "tools/call",
                      "params": ["name": "search_entities", "arguments": ["limit": 5]]])
        try await sim.waitForRequest(Self.searchRoute, after: baseline)
        let ping = try await mcp.request("ping")
        #expect(ping["result"] == [:])
        #expect(try await mcp.request("tools/list")["result"] != nil)
        // The search is held by the gateway until stdin closes: then it is answered (every call in flight
        // at EOF is), after the ping. Nothing here waits for a clock.
        mcp.closeStdin()
        let slow = try await mcp.response(to: 900, timeout: .seconds(60))
        #expect(slow["result"] != nil || slow["error"] != nil)
        #expect(try await mcp.waitForExit(timeout: .seconds(30)) == .exited(0))
        let pingLine = lineIndex(mcp) { $0["id"] == ping["id"] }
        let slowLine = lineIndex(mcp) { $0["id"] == 900 }
        #expect((pingLine ?? .max) < (slowLine ?? -1), "ping waited for the slow call")
        expectCleanOutput(mcp)
    }

    @Test("notifications/cancelled stops a call: nothing is sent for its id, and the server serves on")
    func cancellation() async throws {
        let sim = try await SimProcess.holding("cancel")
        let mcp = try await server(sim)
        let baseline = try await sim.requestCount(Self.searchRoute)
        try mcp.send(["jsonrpc": "2.0", "id": "to-cancel", "method": "tools/call",
                      "params": ["name": "search_entities", "arguments": ["limit": 5],
                                 "_meta": ["progressToken": "cancel-progress"]]])
        try await sim.waitForRequest(Self.searchRoute, after: baseline)
        try mcp.notify("notifications/cancelled", ["requestId": "to-cancel", "reason": "test"])
        #expect(try await mcp.request("ping")["result"] == [:])
        // Cancelling an unknown id is ignored.
        try mcp.notify("notifications/cancelled", ["requestId": 12345])
        #expect(try await mcp.callTool("list_scopes").toolResult?.isError == false)
        // The gateway never answers the search: had the cancellation not stopped it, it would still be in
        // flight at stdin EOF and answered then (every call in flight at EOF is). So the exit, not a wait for
        // silence, decides that no answer was sent.
        mcp.closeStdin()
        #expect(try await mcp.waitForExit(timeout: .seconds(30)) == .exited(0))
        let late = mcp.stdoutLines.compactMap(\.json).first { $0["id"] == "to-cancel" }
        #expect(late == nil, "a response was sent for a cancelled request: \(late?.wireText ?? "")")
        expectCleanOutput(mcp)
    }

    @Test("a progressToken gets strictly increasing progress before the response, token echoed as sent",
          arguments: [JSONValue.int(7), JSONValue.string("progress-token")])
    func progress(token: JSONValue) async throws {
        let sim = try await SimProcess.shared()
        let mcp = try await server(sim)
        let response = try await mcp.callTool(
            "search_entities", ["limit": 300, "duration": "30d"], progressToken: token, timeout: .seconds(60))
        let result = try #require(response.toolResult)
        #expect(!result.isError, "\(result.text.prefix(500))")
        let notes = mcp.notifications(method: "notifications/progress")
        #expect(!notes.isEmpty, "no progress for a 300-row search")
        #expect(notes.allSatisfy { $0["params"]?["progressToken"] == token })
        let values = notes.compactMap { $0["params"]?["progress"]?.doubleValue }
        #expect(values.count == notes.count)
        #expect(zip(values, values.dropFirst()).allSatisfy { $0 < $1 }, "progress not strictly increasing: \(values)")
        let responseLine = lineIndex(mcp) { $0["id"] == response["id"] } ?? -1
        let lastProgress = mcp.stdoutLines.lastIndex { $0.json?["method"] == "notifications/progress" } ?? .max
        #expect(lastProgress < responseLine, "progress sent after the response")
        expectCleanOutput(mcp)
    }

    @Test("legacy logging: after setLevel debug a call's debug messages arrive; after setLevel error they do not")
    func legacyLogging() async throws {
        let sim = try await SimProcess.shared()
        let mcp = try await server(sim)
        #expect(try await mcp.request("logging/setLevel", ["level": "debug"])["result"] == [:])
        _ = try await mcp.callTool(Self.loggingCall.name, Self.loggingCall.arguments)
        let debugMessages = mcp.notifications(method: "notifications/message")
        #expect(!debugMessages.isEmpty, "no log messages at level debug")
        let levels = Set(LogLevel.allCases.map(\.rawValue))
        #expect(debugMessages.allSatisfy { levels.contains($0["params"]?["level"]?.stringValue ?? "") })
        #expect(debugMessages.allSatisfy { $0["params"]?["data"] != nil })

        #expect(try await mcp.request("logging/setLevel", ["level": "error"])["result"] == [:])
        let before = debugMessages.count
        _ = try await mcp.callTool(Self.loggingCall.name, Self.loggingCall.arguments)
        let after = mcp.notifications(method: "notifications/message").dropFirst(before)
        let low: Set<String> = ["debug", "info", "notice", "warning"]
        #expect(after.allSatisfy { !low.contains($0["params"]?["level"]?.stringValue ?? "") })
        expectCleanOutput(mcp)
    }

    @Test("modern logging is request-scoped: messages only for a request with logLevel, before its response")
    func modernLogging() async throws {
        let sim = try await SimProcess.shared()
        let mcp = try await server(sim, modern: true)
        let quiet = try await mcp.callTool(Self.loggingCall.name, Self.loggingCall.arguments)
        #expect(quiet.toolResult?.isError == false, "\(quiet.toolResult?.text ?? quiet.wireText)")
        #expect(mcp.notifications(method: "notifications/message").isEmpty, "logged without a logLevel")
        let loud = try await mcp.callTool(Self.loggingCall.name, Self.loggingCall.arguments, logLevel: "debug")
        let messages = mcp.notifications(method: "notifications/message")
        #expect(!messages.isEmpty, "no messages for a request with logLevel debug")
        let responseLine = lineIndex(mcp) { $0["id"] == loud["id"] } ?? -1
        let lastMessage = mcp.stdoutLines.lastIndex { $0.json?["method"] == "notifications/message" } ?? .max
        #expect(lastMessage < responseLine, "a log message came after its request's response")
        expectCleanOutput(mcp)
    }
}
