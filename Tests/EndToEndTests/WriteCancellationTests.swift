import Foundation
import MCPCore
import Testing

/// A write cancelled once its request may have left (by `notifications/cancelled` or stdin EOF) is
/// reported `unknown` everywhere it is reported: the tool result (when one is sent), the audit file and
/// `list_session_writes`. Before, it was audited "failed: not sent" although the gateway applied it.
@Suite("Writes cancelled in flight (end to end)", .serialized)
struct WriteCancellationTests {
    static let actionRoute = "POST /app/hec-api/v1.0/action/entity"
    static let addDeviceRoute = "POST /app/SBM/external_api/v2/device/"

    static func auditPath() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("cancel-audit-\(UUID().uuidString).jsonl").path
    }

    static func auditEntries(_ path: String) -> [JSONValue] {
        let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").compactMap { try? JSONValue.parse(string: String($0)) }
    }

    @Test("notifications/cancelled while the action request is at the gateway: audited and listed as unknown")
    func cancelledByTheClient() async throws {
        let sim = try await SimProcess.shared("write-cancel")
        try await sim.clearFaults()
        let ids = try await EmailWriteSimAPI(sim: sim).entityIDs(days: 4, limit: 20) { $0["entityPayload"]?["isQuarantined"] == false }
        let entity = try #require(ids.randomElement())
        let audit = Self.auditPath()
        defer { try? FileManager.default.removeItem(atPath: audit) }
        let mcp = try MCPProcess.launch(against: sim, ["--audit-log", audit], environment: ["CHECKPOINT_MCP_CONFIRM": "never"])
        try await mcp.initialize()
        let before = try await sim.requestCount(Self.actionRoute)
        // The gateway holds the request (accepted, never answered) until the server hangs up: the call is in
        // flight when the cancellation arrives, however slow the machine.
        try await sim.setFault(["kind": "timeout", "route": .string(Self.actionRoute), "count": 1])
        let id = JSONValue.int(mcp.nextID())
        try mcp.send(["jsonrpc": "2.0", "id": id, "method": "tools/call",
                      "params": ["name": "quarantine_entities", "arguments": ["entity_ids": [.string(entity)]]]])
        try await sim.waitForRequest(Self.actionRoute, after: before)
        try mcp.notify("notifications/cancelled", ["requestId": id, "reason": "user pressed stop"])
        #expect(await mcp.waitForStderr(#""tool":"quarantine_entities""#, timeout: .seconds(60)), "the attempt is audited")

        let line = try #require(Self.auditEntries(audit).last, "no audit line")
        #expect(line["outcome"] == "unknown", "\(line.wireText)")
        #expect(line["items"]?[0]?["status"] == "unknown", "\(line.wireText)")
        let listed = try #require(try await mcp.callTool("list_session_writes", [:]).toolResult)
        let entry = listed.structured?["writes"]?.arrayValue?.first
        #expect(entry?["outcome"] == "unknown", "\(listed.text)")
        #expect(!(listed.text + line.wireText).contains("not sent"))
        try await sim.clearFaults()
    }

    @Test("stdin EOF while a write waits for the gateway: the call is answered unknown, and audited so")
    func stdinClosed() async throws {
        let sim = try await SimProcess.shared("write-cancel")
        try await sim.clearFaults()
        let audit = Self.auditPath()
        defer { try? FileManager.default.removeItem(atPath: audit) }
        let mcp = try MCPProcess.launch(against: sim, ["--audit-log", audit], environment: ["CHECKPOINT_MCP_CONFIRM": "never"])
        try await mcp.initialize()
        let before = try await sim.requestCount(Self.addDeviceRoute)
        try await sim.setFault(["kind": "timeout", "route": .string(Self.addDeviceRoute), "count": 1])
        let id = JSONValue.int(mcp.nextID())
        try mcp.send(["jsonrpc": "2.0", "id": id, "method": "tools/call",
                      "params": ["name": "add_mobile_device", "arguments": ["name": "Cut Off", "email": "cut.off@example.com"]]])
        try await sim.waitForRequest(Self.addDeviceRoute, after: before)
        mcp.closeStdin()
        let response = try await mcp.response(to: id, timeout: .seconds(30))
        let result = try #require(response.toolResult, "\(response.wireText)")
        #expect(result.isError && result.text.contains("outcome of this write is unknown"), "\(result.text)")
        #expect(try await mcp.waitForExit(timeout: .seconds(30)) == .exited(0))
        let line = try #require(Self.auditEntries(audit).last, "no audit line")
        #expect(line["tool"] == "add_mobile_device" && line["outcome"] == "unknown", "\(line.wireText)")
        try await sim.clearFaults()
    }
}
