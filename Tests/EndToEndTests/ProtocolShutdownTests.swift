import Foundation
import MCPCore
import Testing

/// Every request still in flight when stdin closes gets exactly one answer before the process exits,
/// including calls stuck behind an authentication request (which is shared, so cancelling one caller
/// does not stop it). Before, 5 of 40 calls waiting on the gateway and 1 of 1 in the auth phase got none.
@Suite("Shutdown answers every call (end to end)", .serialized)
struct ProtocolShutdownTests {
    @Test("40 calls waiting on a slow gateway, the first still authenticating: 40 answers, then exit 0")
    func fortyCallsAtEOF() async throws {
        let sim = try await SimProcess.shared("shutdown-answers")
        try await sim.clearFaults()
        // Every request is held (accepted, never answered), authentication included, so every call waits in
        // the auth phase for as long as the test needs, whatever the machine's speed.
        try await sim.setFault(["kind": "timeout"])
        let mcp = try MCPProcess.launch(against: sim, environment: ["CHECKPOINT_RATE_LIMIT_PER_MINUTE": "100000"])
        try await mcp.initialize()
        var ids: [JSONValue] = []
        for _ in 1...40 {
            let id = JSONValue.int(mcp.nextID())
            ids.append(id)
            try mcp.send(["jsonrpc": "2.0", "id": id, "method": "tools/call", "params": ["name": "list_scopes", "arguments": [:]]])
        }
        // Wait (on events: each check is a request to the simulator) until authentication is under way.
        try await sim.waitForRequest("POST /auth/external", after: 0)
        mcp.closeStdin()
        var answered = 0
        for id in ids {
            let response = try await mcp.response(to: id, timeout: .seconds(30))
            if response["result"] != nil || response["error"] != nil { answered += 1 }
        }
        #expect(answered == 40)
        #expect(try await mcp.waitForExit(timeout: .seconds(30)) == .exited(0))
        let perID = Dictionary(grouping: mcp.stdoutLines.compactMap(\.json).filter { $0["method"] == nil }) {
            $0["id"]?.wireText ?? "null"
        }
        #expect(ids.allSatisfy { perID[$0.wireText]?.count == 1 }, "exactly one answer per id")
        try await sim.clearFaults()
    }
}
