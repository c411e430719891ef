import Foundation
import MCPCore
import Testing

/// Every tool that puts an id (or a lookup value) into a URL path refuses one that would change the request:
/// dots-only (which URL layers remove: `delete_exception {"exception_id": "."}` used to preview the list itself
/// and issue a token for it), or holding `/ ? # %`, whitespace or controls. Nothing reaches the gateway for
/// it, no confirmation token is issued, and the text says why.
@Suite("Ids that would change the request path (end to end)", .serialized)
struct PathIDTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var tool: String
        var arguments: JSONObject
        var testDescription: String { "\(tool) \(arguments.map { "\($0.key)=\($0.value.wireText)" }.sorted().joined(separator: " "))" }
    }

    static let cases: [Case] = [
        Case(tool: "get_entity_details", arguments: ["entity_id": ".."]),
        Case(tool: "get_entity_details", arguments: ["entity_id": "a/../../scopes"]),
        Case(tool: "get_task_status", arguments: ["task_ids": ["."]]),
        Case(tool: "get_task_status", arguments: ["task_ids": ["1?scope=other"]]),
        Case(tool: "delete_exception", arguments: ["list": "blacklist", "exception_id": "."]),
        Case(tool: "delete_exception", arguments: ["list": "whitelist", "exception_id": "12%2F.."]),
        Case(tool: "delete_exception", arguments: ["list": "click_time_whitelist", "exception_id": ".."]),
        Case(tool: "delete_exception", arguments: ["list": "url_block_domain", "value": ".."]),
        Case(tool: "download_email", arguments: ["entity_id": ".."]),
        Case(tool: "update_exception", arguments: ["list": "blacklist", "exception_id": ".", "comment": "x"]),
        Case(tool: "quarantine_entities", arguments: ["entity_ids": [".."]]),
        Case(tool: "restore_entities", arguments: ["entity_ids": ["a#b"]]),
        Case(tool: "decline_restore_requests", arguments: ["entity_ids": ["a b"], "reason": "test"]),
    ]

    @Test("refused before any request, with a reason and no token", arguments: cases)
    func refused(_ c: Case) async throws {
        let sim = try await SimProcess.shared("path-ids")
        let mcp = try MCPProcess.launch(against: sim, environment: ["CHECKPOINT_RATE_LIMIT_PER_MINUTE": "100000"])
        try await mcp.initialize()
        _ = try await mcp.callTool("list_scopes", [:])  // authenticated and warm, so only the tool's own requests count
        let before = try await sim.stats()["requests"]?.objectValue ?? [:]
        let r = try #require(try await mcp.callTool(c.tool, .object(c.arguments), timeout: .seconds(60)).toolResult)
        let after = try await sim.stats()["requests"]?.objectValue ?? [:]
        let sent = after.filter { (key, value) in
            (value.intValue ?? 0) > (before[key]?.intValue ?? 0) && (key.hasSuffix("/.") || key.contains("/..") || key.hasSuffix("/delete/")
                || key.hasSuffix("/blacklist") || key.hasSuffix("/whitelist") || key.hasSuffix("/items/") || key.hasSuffix("/search/entity/")
                || key.hasSuffix("/task/") || key.hasSuffix("/event/"))
        }
        #expect(sent.isEmpty, "requests the id could have redirected: \(sent.map(\.key))")
        #expect(r.structured?["confirmation_token"] == nil, "no token for a refused id: \(r.text)")
        // Click-time, URL, anti-malware and DLP entries are found by reading the list (filtered by value), never
        // by id or value in a path: "no such entry" is the truth.
        let why = ["not a valid id", "cannot be looked up", "No such entry on click_time_whitelist", "No such entry on url_block_domain"]
        #expect(why.contains { r.text.contains($0) }, "the text says why: \(r.text)")
    }
}
