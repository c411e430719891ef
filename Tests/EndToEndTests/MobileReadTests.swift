import Foundation
import MCPCore
import Testing

/// The Harmony Mobile read tools through the built `checkpoint-mcp` against `checkpoint-sim` (one shared,
/// unmodified simulator: these tests only read).
@Suite("Harmony Mobile read tools", .serialized)
struct MobileReadTests {
    @Test("the catalog lists every Mobile tool with honest annotations")
    func catalog() async throws {
        let mcp = try await Mobile.server(try await SimProcess.shared())
        let tools = try await mcp.listTools()
        let byName = Dictionary(tools.compactMap { t in t["name"]?.stringValue.map { ($0, t) } }, uniquingKeysWith: { a, _ in a })
        for name in Mobile.readTools {
            let a = try #require(byName[name]?["annotations"], "\(name) missing")
            // All four hints, always: a read-only tool is not destructive, is idempotent, and reads the tenant.
            #expect(a["readOnlyHint"] == true && a["destructiveHint"] == false && a["idempotentHint"] == true && a["openWorldHint"] == true, "\(name)")
            #expect(byName[name]?["description"]?.stringValue?.contains("Example") == true, "\(name)")
        }
        for name in Mobile.writeTools {
            let a = try #require(byName[name]?["annotations"], "\(name) missing")
            #expect(a["readOnlyHint"] == false && a["openWorldHint"] == true && a["destructiveHint"]?.boolValue != nil
                    && a["idempotentHint"]?.boolValue != nil, "\(name)")
            #expect(byName[name]?["inputSchema"]?["properties"]?["confirmation_token"] != nil, "\(name)")
        }
        for name in ["delete_mobile_device", "delete_mobile_group", "move_mobile_device"] {
            #expect(byName[name]?["annotations"]?["destructiveHint"] == true, "\(name)")
        }
    }

    @Test("groups by name and risk: high-risk Executives devices, names in text, name and code in JSON")
    func groupAndRisk() async throws {
        let mcp = try await Mobile.server(try await SimProcess.shared())
        let r = try await Mobile.ok(mcp, "search_mobile_devices", ["groups_any": ["Executives"], "risks": ["high"], "limit": 1000])
        let rows = Mobile.devices(r)
        #expect(!rows.isEmpty, "the simulator seeds high-risk devices in Executives")
        for row in rows {
            #expect(row["risk"] == ["code": 3, "name": "high"])
            #expect(Mobile.groupNames(row).contains("Executives"))
            #expect(row["status"]?["name"]?.stringValue != nil && row["status"]?["code"]?.intValue != nil)
        }
        #expect(r.structured?["complete"] == true)
        #expect(r.text.contains("risk high") && r.text.contains("«Executives»"))
        #expect(!r.text.contains("risk 3"))
        // The same group by id gives the same devices.
        let groups = try await Mobile.ok(mcp, "list_mobile_groups", ["name": "executives"])
        let id = try #require(groups.structured?["groups"]?.arrayValue?.first?["id"]?.intValue)
        let byID = try await Mobile.ok(mcp, "search_mobile_devices", ["groups_any": [.int(id)], "risks": ["high"], "limit": 1000])
        #expect(Set(Mobile.ids(Mobile.devices(byID))) == Set(Mobile.ids(rows)))
    }

    @Test("each filter alone: email, name, mdm_uuid, statuses, risks, groups_all")
    func filters() async throws {
        let mcp = try await Mobile.server(try await SimProcess.shared())
        let all = Mobile.devices(try await Mobile.ok(mcp, "search_mobile_devices", ["limit": 100_000]))
        #expect(all.count >= 500)
        let sample = try #require(all.first { $0["email"]?.stringValue != nil && $0["name"]?.stringValue != nil })
        let email = try #require(sample["email"]?.stringValue)
        let byEmail = Mobile.devices(try await Mobile.ok(mcp, "search_mobile_devices", ["email": .string(email.uppercased())]))
        #expect(!byEmail.isEmpty && byEmail.allSatisfy { $0["email"]?.stringValue?.lowercased() == email.lowercased() })
        #expect(byEmail.count == all.filter { $0["email"]?.stringValue?.lowercased() == email.lowercased() }.count)
        let name = try #require(sample["name"]?.stringValue)
        let byName = Mobile.devices(try await Mobile.ok(mcp, "search_mobile_devices", ["name": .string(name), "limit": 1000]))
        #expect(byName.contains { $0["id"] == sample["id"] })
        #expect(byName.allSatisfy { $0["name"]?.stringValue?.lowercased().contains(name.lowercased()) == true })

        for status in ["active", "inactive", "processing", "provisioned"] {
            let rows = Mobile.devices(try await Mobile.ok(mcp, "search_mobile_devices", ["statuses": [.string(status)], "limit": 100_000]))
            #expect(rows.allSatisfy { $0["status"]?["name"]?.stringValue == status }, "\(status)")
            #expect(rows.count == all.filter { $0["status"]?["name"]?.stringValue == status }.count, "\(status)")
        }
        let notified = Mobile.devices(try await Mobile.ok(mcp, "search_mobile_devices", ["statuses": ["user_notified"], "limit": 100_000]))
        #expect(notified.allSatisfy { $0["status"]?["code"] == 0 })
        let lowMed = Mobile.devices(try await Mobile.ok(mcp, "search_mobile_devices", ["risks": ["low", "medium"], "limit": 100_000]))
        #expect(!lowMed.isEmpty && lowMed.allSatisfy { [1, 2].contains($0["risk"]?["code"]?.intValue ?? -9) })
        #expect(lowMed.count == all.filter { [1, 2].contains($0["risk"]?["code"]?.intValue ?? -9) }.count)

        // groups_all with the device's own groups must find it; groups_any over two groups is their union.
        let multi = all.first { Mobile.groupNames($0).count >= 2 } ?? sample
        let its = Mobile.groupNames(multi).map { JSONValue.string($0) }
        let allOf = Mobile.devices(try await Mobile.ok(mcp, "search_mobile_devices", ["groups_all": .array(its), "limit": 100_000]))
        #expect(allOf.contains { $0["id"] == multi["id"] })
        #expect(allOf.allSatisfy { row in its.allSatisfy { Mobile.groupNames(row).contains($0.stringValue!) } })
        let union = Mobile.devices(try await Mobile.ok(mcp, "search_mobile_devices", ["groups_any": ["Sales", "Engineering"], "limit": 100_000]))
        #expect(union.count == all.filter { !Set(Mobile.groupNames($0)).isDisjoint(with: ["Sales", "Engineering"]) }.count)

        // MDM id: found through get_mobile_device, which shows every field.
        var mdmDevice: JSONValue?
        for row in all.prefix(60) {
            let d = try await Mobile.ok(mcp, "get_mobile_device", ["device_id": row["id"]!])
            if let m = d.structured?["device"]?["mdm_uuid"]?.stringValue, !m.isEmpty { mdmDevice = d.structured?["device"]; break }
        }
        let withMDM = try #require(mdmDevice, "the simulator seeds MDM-enrolled devices")
        let byMDM = Mobile.devices(try await Mobile.ok(mcp, "search_mobile_devices", ["mdm_uuid": withMDM["mdm_uuid"]!]))
        #expect(Mobile.ids(byMDM) == [withMDM["id"]!.intValue!])
    }

    @Test("group names: unknown and misspelt names are argument errors listing close matches")
    func groupResolution() async throws {
        let mcp = try await Mobile.server(try await SimProcess.shared())
        let misspelt = try await Mobile.fails(mcp, "search_mobile_devices", ["groups_any": ["Salse"]])
        #expect(misspelt.contains("groups_any") && misspelt.contains("«Sales»") && misspelt.contains("id "))
        #expect(!misspelt.contains("«ALL» (id 1"), "only close names are suggested")
        let unknown = try await Mobile.fails(mcp, "search_mobile_devices", ["groups_all": ["Zebra Crossing Team"]])
        #expect(unknown.contains("groups_all") && unknown.contains("list_mobile_groups"))
        let badID = try await Mobile.fails(mcp, "search_mobile_devices", ["groups_any": [987_654]])
        #expect(badID.contains("987654"))
        let none = try await Mobile.ok(mcp, "list_mobile_groups", ["name": "Executive"])
        #expect(none.structured?["groups"]?.arrayValue?.isEmpty == true)
        #expect(none.text.contains("«Executives»"))
    }

    @Test("group tree: every group once, parents before children, root first")
    func groupTree() async throws {
        let mcp = try await Mobile.server(try await SimProcess.shared())
        let r = try await Mobile.ok(mcp, "list_mobile_groups")
        let groups = try #require(r.structured?["groups"]?.arrayValue)
        let names = groups.compactMap { $0["name"]?.stringValue }
        for expected in ["ALL", "Sales", "Engineering", "Executives", "Contractors", "Quarantine"] {
            #expect(names.contains(expected), "\(expected)")
        }
        #expect(names.first == "ALL")
        var seen = Set<Int64>()
        for g in groups {
            let id = try #require(g["id"]?.intValue)
            #expect(seen.insert(id).inserted)
            if let p = g["parent_id"]?.intValue { #expect(seen.contains(p), "parent \(p) listed before \(id)") }
        }
        #expect(r.structured?["complete"] == true)
        #expect(r.text.contains("  - «Sales»"))
    }

    @Test("a device by id shows every field; an unknown id is a not-found error naming it")
    func getDevice() async throws {
        let mcp = try await Mobile.server(try await SimProcess.shared())
        let row = try #require(Mobile.devices(try await Mobile.ok(mcp, "search_mobile_devices", ["limit": 1])).first)
        let d = try await Mobile.ok(mcp, "get_mobile_device", ["device_id": row["id"]!])
        let device = try #require(d.structured?["device"])
        for key in ["id", "name", "email", "status", "risk", "last_connection", "mdm_uuid", "groups", "os_version", "client_version"] {
            #expect(device[key] != nil, "\(key)")
        }
        #expect(device["status"]?["code"] != nil && device["risk"]?["name"] != nil)
        if let g = device["groups"]?.arrayValue?.first { #expect(g["parent"] != nil) }
        #expect(d.text.contains("status:") && d.text.contains("(code "))
        let missing = try await Mobile.fails(mcp, "get_mobile_device", ["device_id": 99_999_999])
        #expect(missing.contains("99999999") && missing.lowercased().contains("not found"))
    }

    @Test("status during a window: devices that were active in the last 7 days, epoch-ms window sent")
    func statusDuring() async throws {
        let sim = try await SimProcess.shared()
        let mcp = try await Mobile.server(sim)
        let r = try await Mobile.ok(
            mcp, "search_mobile_devices", ["status_during": "active", "duration": "7d", "limit": 100_000])
        #expect(!Mobile.devices(r).isEmpty)
        #expect(r.text.contains("that were active between"))
        let narrow = try await Mobile.ok(
            mcp, "search_mobile_devices",
            ["status_during": "inactive", "start_time": "2001-01-01T00:00:00Z", "end_time": "2001-01-02T00:00:00Z"])
        #expect(Mobile.devices(narrow).isEmpty, "no device existed in 2001")
        let noWindow = try await Mobile.fails(mcp, "search_mobile_devices", ["status_during": "active"])
        #expect(noWindow.contains("duration"))
    }

    @Test("paging: a limit cuts with a cursor that resumes exactly; a large limit walks all with progress")
    func paging() async throws {
        let mcp = try await Mobile.server(try await SimProcess.shared())
        let first = try await Mobile.ok(mcp, "search_mobile_devices", ["limit": 120])
        #expect(first.structured?["complete"] == false && first.structured?["incomplete_reason"] == "limit")
        #expect(first.text.contains("INCOMPLETE"))
        let cursor = try #require(first.structured?["next_cursor"]?.stringValue)
        let second = try await Mobile.ok(mcp, "search_mobile_devices", ["limit": 120, "cursor": .string(cursor)])
        let a = Mobile.ids(Mobile.devices(first)), b = Mobile.ids(Mobile.devices(second))
        #expect(a.count == 120 && b.count == 120 && Set(a).isDisjoint(with: b))
        let everything = try await Mobile.ok(mcp, "search_mobile_devices", ["limit": 100_000], progressToken: "mobile-walk")
        let all = Mobile.ids(Mobile.devices(everything))
        #expect(everything.structured?["complete"] == true && all.count >= 500)
        #expect(Array(all.prefix(240)) == a + b, "the cursor resumes exactly where the first page stopped")
        let progress = mcp.notifications(method: "notifications/progress").filter { $0["params"]?["progressToken"] == "mobile-walk" }
        #expect(progress.count >= 2, "one progress notification per page")
        #expect(progress.last?["params"]?["progress"]?.intValue == Int64(all.count))
        let values = progress.compactMap { $0["params"]?["progress"]?.doubleValue }
        #expect(values == values.sorted())
        let bad = try await Mobile.fails(mcp, "search_mobile_devices", ["cursor": "not-a-cursor"])
        #expect(bad.contains("cursor"))
    }
}
