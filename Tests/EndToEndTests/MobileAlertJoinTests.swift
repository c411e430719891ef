import Foundation
import MCPCore
import Testing

/// The joins the server makes for the agent: alerts of devices at a risk in one call, device rows with their
/// alert count, and counts without rows, through the built binaries against checkpoint-sim.
@Suite("Harmony Mobile alert joins and counts (end to end)", .serialized)
struct MobileAlertJoinTests {
    @Test("alerts by risks equal the alerts of those devices by device_ids; device rows count their alerts")
    func risksJoin() async throws {
        let mcp = try await Mobile.server(try await SimProcess.shared())
        let devices = try await Mobile.ok(mcp, "search_mobile_devices", ["risks": ["high"], "limit": 500])
        let rows = try #require(devices.structured?["devices"]?.arrayValue)
        let ids = rows.compactMap { $0["id"]?.intValue }
        try #require(!ids.isEmpty)
        let byRisk = try await Mobile.ok(mcp, "list_mobile_alerts", ["risks": ["high"], "duration": "30d", "limit": 100_000])
        let byIDs = try await Mobile.ok(mcp, "list_mobile_alerts", ["device_ids": .array(ids.map(JSONValue.int)), "duration": "30d", "limit": 100_000])
        let riskAlerts = byRisk.structured?["alerts"]?.arrayValue?.compactMap { $0["id"]?.intValue } ?? []
        #expect(riskAlerts == (byIDs.structured?["alerts"]?.arrayValue?.compactMap { $0["id"]?.intValue } ?? []))
        #expect(byRisk.text.contains("Devices at risk high: \(ids.count)"), "\(byRisk.text.prefix(300))")
        #expect(rows.compactMap { $0["alerts_count"]?.intValue }.reduce(0, +) == Int64(riskAlerts.count),
                "each row's 30-day alert count adds up to the join's alerts")
        #expect(devices.structured?["alerts_window_days"] == 30)
    }

    @Test("group_by severity counts every alert, no rows; count_only on devices equals the rows")
    func counts() async throws {
        let mcp = try await Mobile.server(try await SimProcess.shared())
        let all = try await Mobile.ok(mcp, "list_mobile_alerts", ["after_id": 0, "limit": 100_000])
        let grouped = try await Mobile.ok(mcp, "list_mobile_alerts", ["after_id": 0, "group_by": "severity"])
        #expect(grouped.structured?["alerts"]?.arrayValue?.isEmpty == true)
        let sum = grouped.structured?["groups"]?.arrayValue?.compactMap { $0["count"]?.intValue }.reduce(0, +)
        #expect(sum == Int64(all.structured?["alerts"]?.arrayValue?.count ?? -1))
        let devices = try await Mobile.ok(mcp, "search_mobile_devices", ["risks": ["high", "medium"], "limit": 100_000])
        let count = try await Mobile.ok(mcp, "search_mobile_devices", ["risks": ["high", "medium"], "count_only": true])
        #expect(count.structured?["count"]?.intValue == Int64(devices.structured?["devices"]?.arrayValue?.count ?? -1))
        #expect(count.structured?["complete"] == true)
    }

    @Test("an owner's name in an email filter is an error naming the argument that takes it")
    func nameInEmail() async throws {
        let mcp = try await Mobile.server(try await SimProcess.shared())
        let devices = try await Mobile.fails(mcp, "search_mobile_devices", ["email": "Dana Levi"])
        #expect(devices.contains("\"name\""), "\(devices)")
        let alerts = try await Mobile.fails(mcp, "list_mobile_alerts", ["emails": ["Dana Levi"]])
        #expect(alerts.contains("search_mobile_devices"), "\(alerts)")
    }
}
