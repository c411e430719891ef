import Foundation
import MCPCore
import Testing

/// Shared steps of the Harmony Mobile end-to-end tests: a started server and tool calls that must succeed.
enum Mobile {
    static let readTools = [
        "search_mobile_devices", "get_mobile_device", "list_mobile_groups", "list_mobile_alerts",
        "list_mobile_audit_events", "get_mobile_registration",
    ]
    static let writeTools = [
        "add_mobile_device", "delete_mobile_device", "move_mobile_device", "resend_mobile_registration",
        "mark_mobile_registration_sent", "create_mobile_group", "update_mobile_group", "delete_mobile_group",
    ]

    static func server(_ sim: SimProcess, _ arguments: [String] = [], environment: [String: String] = [:]) async throws
        -> MCPProcess
    {
        // The default client-side budget (60 requests/min) is for real tenants; tests make hundreds of calls.
        let env = ["CHECKPOINT_RATE_LIMIT_PER_MINUTE": "6000"].merging(environment) { _, new in new }
        let mcp = try MCPProcess.launch(against: sim, arguments, environment: env)
        try await mcp.initialize()
        return mcp
    }

    /// Calls a tool and returns its result; fails the test (with the text) if it is an error.
    static func ok(
        _ mcp: MCPProcess, _ name: String, _ args: JSONValue = [:], progressToken: JSONValue? = nil,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> ToolCallResult {
        let response = try await mcp.callTool(name, args, progressToken: progressToken, timeout: .seconds(60))
        let result = try #require(response.toolResult, "no result: \(response.wireText)", sourceLocation: sourceLocation)
        #expect(!result.isError, "\(name) failed: \(result.text)", sourceLocation: sourceLocation)
        return result
    }

    /// Calls a tool that must fail with an `isError` result; returns its text.
    static func fails(
        _ mcp: MCPProcess, _ name: String, _ args: JSONValue = [:], sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> String {
        let response = try await mcp.callTool(name, args, timeout: .seconds(60))
        let result = try #require(response.toolResult, "no result: \(response.wireText)", sourceLocation: sourceLocation)
        #expect(result.isError, "\(name) should have failed: \(result.text)", sourceLocation: sourceLocation)
        return result.text
    }

    /// Runs a write through its preview and confirmation: returns (preview, executed) results.
    static func confirmed(
        _ mcp: MCPProcess, _ name: String, _ args: JSONValue, sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> (ToolCallResult, ToolCallResult) {
        let preview = try await ok(mcp, name, args, sourceLocation: sourceLocation)
        #expect(preview.structured?["status"] == "preview", "\(preview.text)", sourceLocation: sourceLocation)
        let token = try #require(preview.structured?["confirmation_token"]?.stringValue, sourceLocation: sourceLocation)
        var withToken = args.objectValue ?? [:]
        withToken["confirmation_token"] = .string(token)
        let done = try await ok(mcp, name, .object(withToken), sourceLocation: sourceLocation)
        #expect(done.structured?["status"] == "executed", "\(done.text)", sourceLocation: sourceLocation)
        return (preview, done)
    }

    /// Device rows with `row_defaults` filled back in (a row leaves out the risk and status most rows share).
    static func devices(_ r: ToolCallResult) -> [JSONValue] {
        let defaults = r.structured?["row_defaults"]?.objectValue ?? [:]
        return (r.structured?["devices"]?.arrayValue ?? []).map { row in
            var o = row.objectValue ?? [:]
            for (k, v) in defaults where !o.keys.contains(k) { o[k] = v }
            return .object(o)
        }
    }
    static func ids(_ rows: [JSONValue]) -> [Int64] { rows.compactMap { $0["id"]?.intValue } }
    static func groupNames(_ row: JSONValue) -> [String] { row["groups"]?.arrayValue?.compactMap(\.stringValue) ?? [] }
}
