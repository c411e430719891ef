import Foundation
import MCPCore
import Testing

/// The Check Point client's own log lines (retries, rate-limit waits, re-authentication) reach the MCP
/// client as `notifications/message` of the tool call that caused them, at the session's (legacy) or the
/// request's (2026) level, before the call's response, and never carry the secret or a bearer token.
/// One simulator of its own: faults are global to a simulator.
/// - SeeAlso: docs/protocol.md "Logging"; Sources/CheckPointTools/ToolKit/ClientLog.swift.
@Suite("Client log lines as MCP log notifications (end to end)", .serialized)
struct ClientLoggingTests {
    static let scopesRoute = "GET /app/hec-api/v1.0/scopes"

    /// The `checkpoint-api` log notifications received so far.
    static func clientMessages(_ mcp: MCPProcess) -> [JSONValue] {
        mcp.notifications(method: "notifications/message").filter { $0["params"]?["logger"] == "checkpoint-api" }
    }

    static func text(_ message: JSONValue) -> String { message["params"]?["data"]?.stringValue ?? "" }

    /// Nothing the server wrote (notifications, results, stderr) holds a secret or a simulator bearer token.
    static func expectNoSecrets(_ mcp: MCPProcess) {
        let output = mcp.allOutput
        for secret in [SimProcess.clientSecret, SimProcess.mobileClientSecret] {
            #expect(!output.contains(secret), "the client secret appeared in the server's output")
        }
        // The simulator's tokens are "sim." followed by hex; a header would read "Bearer ...".
        #expect(output.range(of: #"sim\.[0-9a-f]{8,}"#, options: .regularExpression) == nil, "a bearer token appeared")
        #expect(!output.contains("Bearer "), "an Authorization header appeared")
    }

    @Test("a 429 retried by the client is reported to the caller at the session's level, before the result",
          arguments: [false, true])
    func rateLimitedRetryIsLogged(modern: Bool) async throws {
        let sim = try await SimProcess.shared("client-logging")
        try await sim.clearFaults()
        let mcp = try MCPProcess.launch(against: sim)
        let handshake = modern ? try await mcp.discover() : try await mcp.initialize()
        try #require(handshake["result"] != nil, "handshake failed: \(handshake.wireText)")
        if !modern { #expect(try await mcp.request("logging/setLevel", ["level": "info"])["result"] == [:]) }

        let before = try await sim.requestCount(Self.scopesRoute)
        try await sim.setFault(["kind": "status", "status": 429, "retry_after": 0, "count": 1,
                                "route": .string(Self.scopesRoute)])
        let response = try await mcp.callTool("list_scopes", [:], logLevel: modern ? "info" : nil, timeout: .seconds(30))
        let result = try #require(response.toolResult, "no result: \(response.wireText)")
        #expect(!result.isError, "\(result.text)")
        #expect(try await sim.requestCount(Self.scopesRoute) - before == 2, "one refused attempt, one retry")

        let messages = Self.clientMessages(mcp)
        let retry = messages.first { Self.text($0).contains("rate limited (HTTP 429)") }
        let line = try #require(retry, "no rate-limit notification among: \(messages.map(Self.text))")
        #expect(Self.text(line).contains("GET /scopes"))
        #expect(Self.text(line).contains("retry 1/"))
        #expect(Self.text(line).contains("Retry-After"))
        #expect(line["params"]?["level"] == "warning")
        // info was asked for: nothing below it is sent (the client's per-request lines are debug).
        #expect(messages.allSatisfy { $0["params"]?["level"] != "debug" }, "\(messages.map(Self.text))")

        let responseLine = mcp.stdoutLines.firstIndex { $0.json?["id"] == response["id"] && $0.json?["method"] == nil } ?? -1
        let retryLine = mcp.stdoutLines.firstIndex { $0.json.map { Self.text($0).contains("rate limited (HTTP 429)") } ?? false } ?? .max
        #expect(retryLine < responseLine, "the log line came after the call's response")
        // stderr gets the same line once (the server's default stderr level is info), not twice.
        let stderrLines = mcp.stderrText.split(separator: "\n").filter { $0.contains("rate limited (HTTP 429)") }
        #expect(stderrLines.count == 1, "\(stderrLines)")
        Self.expectNoSecrets(mcp)
    }

    @Test("without a log level the client's lines stay on stderr: no notifications are sent")
    func silentWithoutLevel() async throws {
        let sim = try await SimProcess.shared("client-logging")
        try await sim.clearFaults()
        let mcp = try MCPProcess.launch(against: sim)
        _ = try await mcp.initialize()
        try await sim.setFault(["kind": "status", "status": 429, "retry_after": 0, "count": 1,
                                "route": .string(Self.scopesRoute)])
        let response = try await mcp.callTool("list_scopes", [:], timeout: .seconds(30))
        #expect(response.toolResult?.isError == false, "\(response.wireText)")
        #expect(mcp.notifications(method: "notifications/message").isEmpty)
        #expect(mcp.stderrText.contains("rate limited (HTTP 429)"), "the retry was not logged on stderr")
        Self.expectNoSecrets(mcp)
    }
}
