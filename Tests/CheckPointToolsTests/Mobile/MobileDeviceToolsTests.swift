import MCPCore
import Testing

@testable import CheckPointTools

/// `search_mobile_devices` and `get_mobile_device` in process, against the seeded Mobile tenant (devices
/// #1-6 are high-risk, active executives; #7-8 sit in Quarantine).
@Suite("search_mobile_devices, get_mobile_device (in process)")
struct MobileDeviceToolsTests {
    static let statusPath = "GET /app/SBM/external_api/v1/device_status/"

    @Test("group and risk filters go upstream as groups__in / risk_in, and every row is re-checked")
    func groupAndRisk() async throws {
        let tenant = try InProcessTenant()
        let r = try await tenant.call(MobileDeviceTools.search, ["groups_any": ["Executives"], "risks": ["high"], "limit": 1000])
        #expect(!r.isError, "\(r.text)")
        let sent = try #require(tenant.gateway.sent(Self.statusPath).first)
        #expect(sent.query["groups__in"] == "4")
        #expect(sent.query["risk_in"] == "3")
        #expect(sent.query["format"] == "json")
        let rows = r.structured?["devices"]?.arrayValue ?? []
        let ids = Set(rows.compactMap { $0["id"]?.intValue })
        #expect(ids.isSuperset(of: [1, 2, 3, 4, 5, 6]), "\(ids.sorted())")
        let shared = r.structured?["row_defaults"]?.objectValue ?? [:]  // risk and status most rows share are said once
        for row in rows {
            #expect((row["risk"] ?? shared["risk"]) == ["code": 3, "name": "high"])
            #expect(row["groups"]?.arrayValue?.contains("Executives") == true)
        }
        #expect(r.structured?["complete"] == true)
        #expect(r.structured?["count"] == .int(Int64(rows.count)))
        #expect(r.text.hasPrefix("Found \(rows.count) devices"), "\(r.text)")
        #expect(r.text.contains("\n#1 «"), "one line per device, id first")
    }

    @Test("a limit below the matches gives a cursor; the cursor continues without overlap; another tool's cursor is refused")
    func cursor() async throws {
        let tenant = try InProcessTenant()
        let first = try await tenant.call(MobileDeviceTools.search, ["groups_any": ["Quarantine"], "limit": 2])
        #expect(first.structured?["complete"] == false)
        #expect(first.structured?["incomplete_reason"] == "limit")
        let cursor = try #require(first.structured?["next_cursor"]?.stringValue)
        let firstIDs = (first.structured?["devices"]?.arrayValue ?? []).compactMap { $0["id"]?.intValue }
        #expect(firstIDs.count == 2)

        let rest = try await tenant.call(MobileDeviceTools.search, ["groups_any": ["Quarantine"], "limit": 1000, "cursor": .string(cursor)])
        let restIDs = (rest.structured?["devices"]?.arrayValue ?? []).compactMap { $0["id"]?.intValue }
        #expect(!restIDs.isEmpty)
        #expect(Set(firstIDs).isDisjoint(with: restIDs), "\(firstIDs) then \(restIDs)")
        #expect(rest.structured?["complete"] == true)

        let foreign = Cursor.encode(tool: "search_entities", state: ["offset": 2])
        let refused = try await tenant.call(MobileDeviceTools.search, ["cursor": .string(foreign)])
        #expect(refused.isError)
        #expect(refused.text == "Invalid argument `cursor`: is not a cursor this tool issued. Next step: pass `next_cursor` from a previous search_mobile_devices result unchanged, or drop `cursor` to start from the first page.")
    }

    @Test("status_during sends the status and the window in epoch milliseconds")
    func statusDuring() async throws {
        let tenant = try InProcessTenant()
        let r = try await tenant.call(MobileDeviceTools.search, [
            "status_during": "active", "start_time": "2026-11-01T00:00:00Z", "end_time": "2026-11-08T00:00:00Z",
        ])
        #expect(!r.isError, "\(r.text)")
        let sent = try #require(tenant.gateway.sent(Self.statusPath).first)
        #expect(sent.query["status"] == "1")
        #expect(sent.query["time_gte"] == "1793491200000")
        #expect(sent.query["time_lte"] == "1794096000000")
        #expect(r.text.contains("that were active between 2026-11-01T00:00:00Z and 2026-11-08T00:00:00Z"), "\(r.text)")
    }

    @Test("argument errors name the field and the fix, and send nothing")
    func argumentErrors() async throws {
        let tenant = try InProcessTenant()
        let noWindow = try await tenant.call(MobileDeviceTools.search, ["status_during": "active"])
        #expect(noWindow.isError)
        #expect(noWindow.text.hasPrefix("Invalid argument `status_during`: needs a window: start_time (and optionally end_time) or duration"), "\(noWindow.text)")
        let badStatus = try await tenant.call(MobileDeviceTools.search, ["statuses": ["dormant"]])
        #expect(badStatus.text == "Invalid argument `statuses`: \"dormant\" is not a status; use processing, provisioned, user_notified, active, inactive.")
        let badRisk = try await tenant.call(MobileDeviceTools.search, ["risks": ["severe"]])
        #expect(badRisk.text == "Invalid argument `risks`: \"severe\" is not a risk; use none, low, medium, high.")
        #expect(tenant.gateway.sent(Self.statusPath).isEmpty)

        let near = try await tenant.call(MobileDeviceTools.search, ["groups_any": ["Executive"]])
        #expect(near.isError)
        #expect(near.text.contains("Invalid argument `groups_any`: unknown group «Executive»; close names: «Executives» (id 4, under «ALL»)"), "\(near.text)")
    }

    @Test("get_mobile_device returns every field, groups with their parents; an unknown id names the lookup tools")
    func getDevice() async throws {
        let tenant = try InProcessTenant()
        let r = try await tenant.call(MobileDeviceTools.get, ["device_id": 1])
        #expect(!r.isError, "\(r.text)")
        let device = try #require(r.structured?["device"])
        #expect(device["id"] == 1)
        #expect(device["status"] == ["code": 1, "name": "active"])
        #expect(device["risk"] == ["code": 3, "name": "high"])
        #expect(device["groups"]?[0]?["id"] == 4)
        #expect(device["groups"]?[0]?["name"] == "Executives")
        #expect(device["email"]?.stringValue?.hasSuffix("@acme-demo.com") == true)
        #expect(tenant.gateway.sent(Self.statusPath + "1/").count == 1)
        #expect(r.text.hasPrefix(MobileText.untrustedNote + "\nDevice #1\n  owner name: «"), "\(r.text)")
        #expect(r.text.contains("  status: active (code 1)\n  risk: high (code 3)"))

        let missing = try await tenant.call(MobileDeviceTools.get, ["device_id": 99_999])
        #expect(missing.isError)
        #expect(missing.text.hasPrefix("Not found (GET /external_api/v1/device_status/99999/, HTTP 404)"), "\(missing.text)")
        #expect(missing.text.contains("search_mobile_devices lists devices"))
    }
}
