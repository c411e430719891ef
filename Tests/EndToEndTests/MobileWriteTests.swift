import Foundation
import MCPCore
import Testing

/// Every Mobile write through preview → confirm → execute, with the state visible afterwards, against a
/// simulator of its own (these tests change it), plus read-only mode and the audit log.
@Suite("Harmony Mobile write tools", .serialized)
struct MobileWriteTests {
    static func sim() async throws -> SimProcess { try await SimProcess.shared("mobile-writes") }

    static func auditPath() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("mobile-audit-\(UUID().uuidString).jsonl").path
    }

    static func auditLines(_ path: String) -> [String] {
        ((try? String(contentsOfFile: path, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
    }

    @Test("add a device into a group, see it, resend and mark its registration, then delete it by id")
    func deviceLifecycle() async throws {
        let audit = Self.auditPath()
        defer { try? FileManager.default.removeItem(atPath: audit) }
        let mcp = try await Mobile.server(try await Self.sim(), ["--audit-log", audit])
        let email = "new.hire.\(UUID().uuidString.prefix(8).lowercased())@example.com"
        let args: JSONValue = ["name": "New Hire", "email": .string(email), "number": "+1 555 0100", "groups": ["Sales"]]

        let preview = try await Mobile.ok(mcp, "add_mobile_device", args)
        #expect(preview.text.contains("PREVIEW ONLY") && preview.text.contains("«Sales»"))
        #expect(Mobile.devices(try await Mobile.ok(mcp, "search_mobile_devices", ["email": .string(email)])).isEmpty, "a preview changes nothing")
        let (_, added) = try await Mobile.confirmed(mcp, "add_mobile_device", args)
        let newID = try #require(added.structured?["device_id"]?.intValue)
        let found = Mobile.devices(try await Mobile.ok(mcp, "search_mobile_devices", ["email": .string(email)]))
        #expect(Mobile.ids(found) == [newID])
        #expect(found.first.map(Mobile.groupNames) == ["Sales"])
        #expect(found.first?["status"]?["name"] == "provisioned")

        // A token works once, and only for the same arguments.
        let again = try await Mobile.ok(mcp, "add_mobile_device", ["name": "Other", "email": "other@example.com"])
        var wrong = (args.objectValue ?? [:])
        wrong["confirmation_token"] = again.structured?["confirmation_token"]
        let refused = try await mcp.callTool("add_mobile_device", .object(wrong))
        #expect(refused.toolResult?.isError == true)

        let (resendPreview, _) = try await Mobile.confirmed(mcp, "resend_mobile_registration", ["device_id": .int(newID)])
        #expect(resendPreview.text.contains("#\(newID)"))
        let mark = try await Mobile.ok(mcp, "mark_mobile_registration_sent", ["device_id": .int(newID)])
        #expect(["preview", "nothing_to_do"].contains(mark.structured?["status"]?.stringValue ?? ""))

        // An active device is not eligible for a resend: nothing to do, no token.
        if let active = Mobile.devices(try await Mobile.ok(mcp, "search_mobile_devices", ["statuses": ["active"], "limit": 1])).first {
            let r = try await Mobile.ok(mcp, "resend_mobile_registration", ["device_id": active["id"]!])
            #expect(r.structured?["status"] == "nothing_to_do" && r.structured?["confirmation_token"] == nil)
        }

        let (delPreview, deleted) = try await Mobile.confirmed(mcp, "delete_mobile_device", ["device_id": .int(newID)])
        #expect(delPreview.text.contains("#\(newID)") && delPreview.text.contains("«New Hire»"))
        #expect(deleted.structured?["outcome"] == "executed")
        let gone = try await Mobile.fails(mcp, "get_mobile_device", ["device_id": .int(newID)])
        #expect(gone.lowercased().contains("not found"))
        let nothing = try await Mobile.ok(mcp, "delete_mobile_device", ["device_id": .int(newID)])
        #expect(nothing.structured?["status"] == "nothing_to_do")

        let lines = Self.auditLines(audit)
        for tool in ["add_mobile_device", "resend_mobile_registration", "delete_mobile_device"] {
            #expect(lines.contains { $0.contains("\"tool\":\"\(tool)\"") && $0.contains("\"outcome\":\"executed\"") }, "\(tool)")
        }
        #expect(lines.contains { $0.contains("\"outcome\":\"refused\"") })
        #expect(!lines.joined().contains(SimProcess.mobileClientSecret))
    }

    @Test("delete by owner email: the preview lists exactly the owner's devices, all are removed")
    func deleteByEmail() async throws {
        let mcp = try await Mobile.server(try await Self.sim(), ["--confirm", "never"])
        let email = "twice.\(UUID().uuidString.prefix(8).lowercased())@example.com"
        for name in ["Phone A", "Phone B"] {
            let r = try await Mobile.ok(mcp, "add_mobile_device", ["name": .string(name), "email": .string(email)])
            #expect(r.structured?["status"] == "executed" && r.structured?["confirm_mode"] == "never")
        }
        let mcp2 = try await Mobile.server(try await Self.sim())
        let (preview, done) = try await Mobile.confirmed(mcp2, "delete_mobile_device", ["email": .string(email)])
        #expect(preview.structured?["devices"]?.arrayValue?.count == 2)
        #expect(preview.text.contains("«Phone A»") && preview.text.contains("«Phone B»"))
        #expect(done.text.contains("Deleted 2 of 2"))
        #expect(Mobile.devices(try await Mobile.ok(mcp2, "search_mobile_devices", ["email": .string(email)])).isEmpty)
    }

    @Test("groups: create, rename, move under another parent, ambiguous names, delete")
    func groupLifecycle() async throws {
        let mcp = try await Mobile.server(try await Self.sim())
        let name = "Field Team \(UUID().uuidString.prefix(6))"
        let (_, created) = try await Mobile.confirmed(mcp, "create_mobile_group", ["name": .string(name), "parent": "Sales"])
        let id = try #require(created.structured?["group"]?["id"]?.intValue)
        let listed = try await Mobile.ok(mcp, "list_mobile_groups", ["name": .string(name)])
        #expect(listed.structured?["groups"]?.arrayValue?.first?["parent_name"] == "Sales")
        let dup = try await Mobile.ok(mcp, "create_mobile_group", ["name": .string(name), "parent": "Sales"])
        #expect(dup.structured?["status"] == "nothing_to_do")

        let renamed = name + " (renamed)"
        _ = try await Mobile.confirmed(mcp, "update_mobile_group", ["group": .int(id), "new_name": .string(renamed), "new_parent": "Engineering"])
        let after = try await Mobile.ok(mcp, "list_mobile_groups", ["name": .string(renamed)])
        #expect(after.structured?["groups"]?.arrayValue?.first?["id"]?.intValue == id)
        #expect(after.structured?["groups"]?.arrayValue?.first?["parent_name"] == "Engineering")
        let cycle = try await Mobile.fails(mcp, "update_mobile_group", ["group": "Engineering", "new_parent": .int(id)])
        #expect(cycle.contains("new_parent"))

        // Names are matched ignoring case unless one is spelt exactly: two groups differing only in case make
        // a third spelling ambiguous, and the error lists both with their ids.
        let lower = renamed.lowercased()
        let (_, second) = try await Mobile.confirmed(mcp, "create_mobile_group", ["name": .string(lower), "parent": "Contractors"])
        let secondID = try #require(second.structured?["group"]?["id"]?.intValue)
        let exact = try await Mobile.ok(mcp, "search_mobile_devices", ["groups_any": .array([.string(lower)])])
        #expect(exact.structured?["complete"] == true)
        let ambiguous = try await Mobile.fails(mcp, "search_mobile_devices", ["groups_any": .array([.string(renamed.uppercased())])])
        #expect(ambiguous.contains("ambiguous") && ambiguous.contains("id \(id)") && ambiguous.contains("id \(secondID)"))
        // The API refuses a duplicate name: the executed write fails with the API's own message.
        let dupArgs: JSONObject = ["name": .string(lower), "parent": "Sales"]
        let dupPreview = try await Mobile.ok(mcp, "create_mobile_group", .object(dupArgs))
        #expect(dupPreview.text.contains("already exist"))
        var withToken = dupArgs
        withToken["confirmation_token"] = dupPreview.structured?["confirmation_token"]
        let refused = try await Mobile.fails(mcp, "create_mobile_group", .object(withToken))
        #expect(refused.contains("already exists"))
        let (preview, _) = try await Mobile.confirmed(mcp, "delete_mobile_group", ["group": .int(id)])
        #expect(preview.text.contains("Devices in it: 0"))
        let left = try await Mobile.ok(mcp, "list_mobile_groups", ["name": .string(renamed)])
        #expect(left.structured?["groups"]?.arrayValue?.compactMap { $0["id"]?.intValue }.contains(id) == false)
        let root = try await Mobile.fails(mcp, "delete_mobile_group", ["group": "ALL"])
        #expect(root.contains("root"))
    }

    @Test("move a device to another group by re-enrolment: new id in the target group, old record gone")
    func move() async throws {
        let mcp = try await Mobile.server(try await Self.sim())
        let row = try #require(
            Mobile.devices(try await Mobile.ok(mcp, "search_mobile_devices", ["groups_any": ["Contractors"], "limit": 1])).first)
        let oldID = try #require(row["id"]?.intValue)
        let (preview, done) = try await Mobile.confirmed(mcp, "move_mobile_device", ["device_id": .int(oldID), "groups": ["Quarantine"]])
        #expect(preview.text.contains("new device id") && preview.text.contains("«Quarantine»"))
        let newID = try #require(done.structured?["new_device_id"]?.intValue)
        #expect(newID != oldID)
        let moved = try await Mobile.ok(mcp, "get_mobile_device", ["device_id": .int(newID)])
        #expect(moved.structured?["device"]?["groups"]?.arrayValue?.compactMap { $0["name"]?.stringValue } == ["Quarantine"])
        #expect(moved.structured?["device"]?["email"] == row["email"])
        _ = try await Mobile.fails(mcp, "get_mobile_device", ["device_id": .int(oldID)])
    }

    @Test("cancelling a device walk in flight sends no response for it, and the server keeps answering")
    func cancellation() async throws {
        // The gateway holds every device page (accepted, never answered): the walk stays in flight for as long
        // as the test needs, however loaded the machine (a 1.5 s latency hold needed that margin before).
        let sim = try await SimProcess.holding("mobile-walk")
        let mcp = try await Mobile.server(sim)
        let route = "GET /app/SBM/external_api/v1/device_status/"
        let before = try await sim.requestCount(route)
        let id = JSONValue.int(mcp.nextID())
        try mcp.send([
            "jsonrpc": "2.0", "id": id, "method": "tools/call",
            "params": ["name": "search_mobile_devices", "arguments": ["statuses": ["active"], "limit": 100_000]],
        ])
        try await sim.waitForRequest(route, after: before)
        try mcp.notify("notifications/cancelled", ["requestId": id, "reason": "test"])
        let pong = try await mcp.request("ping")
        #expect(pong["result"] != nil)
        _ = try await Mobile.ok(mcp, "list_mobile_groups")
        // Had the cancellation not stopped the walk, it would still be in flight at stdin EOF and be answered
        // then (every call in flight at EOF is): the exit, not a wait for silence, decides.
        mcp.closeStdin()
        #expect(try await mcp.waitForExit(timeout: .seconds(30)) == .exited(0))
        let late = mcp.stdoutLines.compactMap(\.json).first { $0["id"] == id && $0["method"] == nil }
        #expect(late == nil, "a cancelled call must get no response: \(late?.wireText ?? "")")
    }

    @Test("read-only mode hides every Mobile write and refuses calls to them")
    func readOnly() async throws {
        let mcp = try await Mobile.server(try await Self.sim(), ["--read-only"])
        let names = Set(try await mcp.listTools().compactMap { $0["name"]?.stringValue })
        #expect(Set(Mobile.readTools).isSubset(of: names))
        #expect(names.isDisjoint(with: Mobile.writeTools))
        let r = try await mcp.callTool("delete_mobile_device", ["device_id": 1])
        #expect(r.toolResult?.isError == true || r.errorCode != nil)
        #expect(!Mobile.devices(try await Mobile.ok(mcp, "search_mobile_devices", ["limit": 1])).isEmpty)
    }
}
