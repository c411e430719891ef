import Foundation
import MCPCore
import Testing

/// Alerts, audit trail, registration details and the missing-key behaviour, through the built binaries.
@Suite("Harmony Mobile alerts, audit, registration, keys", .serialized)
struct MobileAlertAuditTests {
    @Test("alerts: after_id polling continues without gaps or repeats; since/duration, severity and email filter")
    func alerts() async throws {
        let mcp = try await Mobile.server(try await SimProcess.shared())
        let all = try await Mobile.ok(mcp, "list_mobile_alerts", ["after_id": 0, "limit": 100_000])
        let rows = try #require(all.structured?["alerts"]?.arrayValue)
        #expect(rows.count >= 10 && all.structured?["complete"] == true)
        let ids = rows.compactMap { $0["id"]?.intValue }
        #expect(all.structured?["next_after_id"]?.intValue == ids.max())

        // Poll in pages of 40 by after_id: the concatenation is the full list.
        var polled: [Int64] = []
        var after: Int64 = 0
        for _ in 0..<1000 {
            let page = try await Mobile.ok(mcp, "list_mobile_alerts", ["after_id": .int(after), "limit": 40])
            let pageIDs = page.structured?["alerts"]?.arrayValue?.compactMap { $0["id"]?.intValue } ?? []
            #expect(pageIDs.allSatisfy { $0 > after })
            polled += pageIDs
            guard let next = page.structured?["next_after_id"]?.intValue, !pageIDs.isEmpty else { break }
            #expect(next >= after)
            after = next
            if page.structured?["complete"] == true { break }
        }
        #expect(polled == ids)

        // A row carries the fields an analyst needs; times are ISO 8601 UTC.
        let row = rows[0]
        for key in ["id", "time", "event", "severity", "attack_vector", "threat_factors", "device_id", "email"] {
            #expect(row[key] != nil, "\(key)")
        }
        #expect(rows.contains { $0["app_sha256"] != nil || $0["app_version"] != nil }, "app alerts carry app fields")
        #expect(rows.contains { $0["network_certificate"] != nil || $0["location"] != nil }, "network alerts carry network fields")
        if let t = rows.compactMap({ $0["time"]?.stringValue }).first { #expect(t.hasSuffix("Z") && t.count == 20) }

        // Severity and email filters.
        let severity = try #require(row["severity"]?.stringValue)
        let bySeverity = try await Mobile.ok(mcp, "list_mobile_alerts", ["after_id": 0, "severity": [.string(severity.uppercased())], "limit": 100_000])
        let sevRows = bySeverity.structured?["alerts"]?.arrayValue ?? []
        #expect(sevRows.count == rows.filter { $0["severity"]?.stringValue?.lowercased() == severity.lowercased() }.count)
        let emails = rows.compactMap { $0["email"]?.stringValue }
        let email = try #require(emails.first)
        let byEmail = try await Mobile.ok(mcp, "list_mobile_alerts", ["after_id": 0, "emails": [.string(email)], "limit": 100_000])
        #expect(byEmail.structured?["alerts"]?.arrayValue?.allSatisfy { $0["email"]?.stringValue == email } == true)

        // Since a time: a window covering everything gives everything; the default says it is 7 days.
        let since = try await Mobile.ok(mcp, "list_mobile_alerts", ["since": "2000-01-01T00:00:00Z", "limit": 100_000])
        #expect(since.structured?["alerts"]?.arrayValue?.count == rows.count)
        let future = try await Mobile.ok(mcp, "list_mobile_alerts", ["since": "2099-01-01T00:00:00Z"])
        #expect(future.structured?["alerts"]?.arrayValue?.isEmpty == true)
        let both = try await Mobile.fails(mcp, "list_mobile_alerts", ["since": "2000-01-01T00:00:00Z", "duration": "7d"])
        #expect(both.contains("duration") && both.contains("since"))
        let recent = try await Mobile.ok(mcp, "list_mobile_alerts", [:])
        #expect(recent.text.contains("last 7 days"))
        #expect((recent.structured?["alerts"]?.arrayValue?.count ?? 0) <= rows.count)
    }

    @Test("audit trail: after_id, since and module filters")
    func audit() async throws {
        let mcp = try await Mobile.server(try await SimProcess.shared())
        let all = try await Mobile.ok(mcp, "list_mobile_audit_events", ["after_id": 0, "limit": 100_000])
        let rows = try #require(all.structured?["events"]?.arrayValue)
        #expect(!rows.isEmpty && all.structured?["complete"] == true)
        for key in ["id", "time", "category", "module", "severity", "admin_user", "event", "details"] {
            #expect(rows[0][key] != nil, "\(key)")
        }
        let ids = rows.compactMap { $0["id"]?.intValue }
        let mid = ids[ids.count / 2]
        let after = try await Mobile.ok(mcp, "list_mobile_audit_events", ["after_id": .int(mid), "limit": 100_000])
        #expect(after.structured?["events"]?.arrayValue?.compactMap { $0["id"]?.intValue } == ids.filter { $0 > mid })
        let modules = rows.compactMap { $0["module"]?.stringValue }
        let module = try #require(modules.first)
        let byModule = try await Mobile.ok(mcp, "list_mobile_audit_events", ["after_id": 0, "module": .string(module), "limit": 100_000])
        let moduleRows = byModule.structured?["events"]?.arrayValue ?? []
        #expect(!moduleRows.isEmpty && moduleRows.allSatisfy { $0["module"]?.stringValue == module })
        #expect(moduleRows.count == rows.filter { $0["module"]?.stringValue == module }.count)
        let since = try await Mobile.ok(mcp, "list_mobile_audit_events", ["since": "2000-01-01T00:00:00Z", "limit": 100_000])
        #expect(since.structured?["events"]?.arrayValue?.count == rows.count)
    }

    @Test("registration code by device id, by email and by MDM id")
    func registration() async throws {
        let mcp = try await Mobile.server(try await SimProcess.shared())
        let row = try #require(
            Mobile.devices(try await Mobile.ok(mcp, "search_mobile_devices", ["statuses": ["provisioned"], "limit": 1])).first)
        let id = try #require(row["id"])
        let byID = try await Mobile.ok(mcp, "get_mobile_registration", ["device_id": id])
        #expect(byID.structured?["device_id"] == id)
        #expect(byID.structured?["registration_code"]?.stringValue?.isEmpty == false)
        let byEmail = try await Mobile.ok(mcp, "get_mobile_registration", ["email": row["email"]!])
        #expect(byEmail.structured?["registration_code"]?.stringValue?.isEmpty == false)
        let none = try await Mobile.fails(mcp, "get_mobile_registration", [:])
        #expect(none.contains("device_id"))
    }

    @Test("with only the HEC key the Mobile tools say which key to set, and the email tools still work")
    func hecKeyOnly() async throws {
        let sim = try await SimProcess.shared()
        // The common pair is the HEC key; Mobile falls back to it and the gateway refuses it (403).
        let mcp = try await Mobile.server(
            sim, environment: ["CHECKPOINT_MOBILE_CLIENT_ID": "", "CHECKPOINT_MOBILE_CLIENT_SECRET": ""])
        let text = try await Mobile.fails(mcp, "search_mobile_devices", [:])
        #expect(text.contains("CHECKPOINT_MOBILE_CLIENT_ID") && text.contains("\"Mobile\""))
        // The email side keeps working with the same server and key.
        let scopes = try await mcp.callTool("list_scopes")
        #expect(scopes.toolResult?.isError == false, "\(scopes.wireText)")
        #expect(!mcp.allOutput.contains(SimProcess.clientSecret))
    }

    @Test("with no key at all the Mobile tools name the variables and the service instead of failing obscurely")
    func noKey() async throws {
        let sim = try await SimProcess.shared()
        let mcp = try MCPProcess.launch(environment: ["CHECKPOINT_GATEWAY_URL": sim.baseURL.absoluteString])
        try await mcp.initialize()
        for tool in ["search_mobile_devices", "list_mobile_groups", "list_mobile_alerts"] {
            let text = try await Mobile.fails(mcp, tool, [:])
            #expect(text.contains("CHECKPOINT_MOBILE_CLIENT_ID") && text.contains("CHECKPOINT_MOBILE_CLIENT_SECRET"), "\(tool)")
            #expect(text.contains("\"Mobile\""), "\(tool)")
        }
    }
}
