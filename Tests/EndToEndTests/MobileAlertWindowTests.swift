import Foundation
import MCPCore
import Testing

/// `list_mobile_alerts` with an end of window (`until` → `backend_last_updated__lte`) and older pages
/// (`before_id` → `id__lt`), through the built binaries against the simulator.
@Suite("Harmony Mobile alerts: until and before_id (end to end)", .serialized)
struct MobileAlertWindowTests {
    @Test("before_id returns exactly the alerts with a smaller id; until cuts the window's end")
    func window() async throws {
        let mcp = try await Mobile.server(try await SimProcess.shared())
        let all = try await Mobile.ok(mcp, "list_mobile_alerts", ["after_id": 0, "limit": 100_000])
        let rows = try #require(all.structured?["alerts"]?.arrayValue)
        try #require(rows.count >= 10)
        let ids = Mobile.ids(rows)
        let mid = ids[ids.count / 2]

        let older = try await Mobile.ok(mcp, "list_mobile_alerts", ["before_id": .int(mid), "limit": 100_000])
        #expect(Mobile.ids(older.structured?["alerts"]?.arrayValue ?? []) == ids.filter { $0 < mid })
        let between = try await Mobile.ok(mcp, "list_mobile_alerts", ["after_id": .int(ids[1]), "before_id": .int(mid), "limit": 100_000])
        #expect(Mobile.ids(between.structured?["alerts"]?.arrayValue ?? []) == ids.filter { $0 > ids[1] && $0 < mid })

        let f = ISO8601DateFormatter()
        let times = rows.compactMap { $0["time"]?.stringValue.flatMap(f.date(from:)) }.sorted()
        try #require(times.count == rows.count)
        let cut = times[times.count / 2]
        let until = try await Mobile.ok(mcp, "list_mobile_alerts", ["since": "2000-01-01T00:00:00Z", "until": .string(f.string(from: cut)), "limit": 100_000])
        let kept = until.structured?["alerts"]?.arrayValue ?? []
        let keptTimes = kept.compactMap { $0["time"]?.stringValue.flatMap(f.date(from:)) }
        #expect(!kept.isEmpty && kept.count < rows.count, "\(kept.count) of \(rows.count)")
        #expect(keptTimes.allSatisfy { $0 <= cut })
        // Alerts clearly before the cut (the API's update time trails the event by up to 2 s) are all there.
        #expect(keptTimes.count >= times.filter { $0 < cut.addingTimeInterval(-3) }.count)

        let reversed = try await Mobile.fails(mcp, "list_mobile_alerts", ["since": "2026-01-02T00:00:00Z", "until": "2026-01-01T00:00:00Z"])
        #expect(reversed.contains("until"))
    }
}
