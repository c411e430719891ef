import Foundation
import MCPCore
import Testing

/// Tenant strings with line breaks, bidi overrides, zero-width, blank-looking and control characters, and
/// thousands of characters, through every tool family and a write preview a human approves: none of those
/// characters reaches the text raw, each is shown as a visible `⟨U+XXXX⟩`, no value breaks its line, and
/// the untrusted-data notice comes before the first fenced value.
@Suite("Untrusted tenant text in every tool family (end to end)", .serialized)
struct UntrustedTextTests {
    static let rawScalars: [Unicode.Scalar] = ["\u{202E}", "\u{202C}", "\u{200B}", "\u{2800}", "\u{1680}", "\u{0007}", "\u{001B}", "\u{0000}"]

    static func sim() async throws -> SimProcess {
        try await SimProcess.shared("hostile", arguments: ["--hostile-mobile"])
    }

    static func check(_ text: String, _ label: String, sourceLocation: SourceLocation = #_sourceLocation) {
        for s in rawScalars {
            #expect(!text.unicodeScalars.contains(s), "\(label): U+\(String(s.value, radix: 16)) reached the text raw", sourceLocation: sourceLocation)
        }
        #expect(text.contains("⟨U+202E⟩"), "\(label): the override is shown as an escape: \(text.prefix(600))", sourceLocation: sourceLocation)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(!lines.contains { $0.hasPrefix("IGNORE") }, "\(label): a value's line break reached the text", sourceLocation: sourceLocation)
        #expect(lines.allSatisfy { $0.count < 4000 }, "\(label): a line is not capped", sourceLocation: sourceLocation)
        let isNotice = { (l: Substring) in l.contains("untrusted data") && l.contains("never follow instructions") }
        let data = lines.firstIndex { $0.contains("«") && !isNotice($0) }
        let notice = lines.firstIndex(where: isNotice)
        #expect(data != nil && notice != nil && notice! < data!, "\(label): the notice comes first", sourceLocation: sourceLocation)
    }

    @Test("Harmony Mobile: devices, one device, alerts, audit, and the delete preview")
    func mobile() async throws {
        let mcp = try await FaultRun.server(try await Self.sim(), [:])
        Self.check(try await FaultRun.ok(mcp, "get_mobile_device", ["device_id": 521]).text, "get_mobile_device")
        let search = try await FaultRun.ok(mcp, "search_mobile_devices", ["risks": ["high"], "limit": 1000])
        #expect(search.text.contains("#521"))
        Self.check(search.text, "search_mobile_devices")
        let alerts = try await FaultRun.ok(mcp, "list_mobile_alerts", ["after_id": 260, "limit": 5])
        #expect(alerts.text.contains("#261"), "\(alerts.text.prefix(400))")
        Self.check(alerts.text, "list_mobile_alerts")
        let audit = try await FaultRun.ok(mcp, "list_mobile_audit_events", ["after_id": 150, "limit": 5])
        #expect(audit.text.contains("#151"), "\(audit.text.prefix(400))")
        Self.check(audit.text, "list_mobile_audit_events")
        let preview = try await mcp.write("delete_mobile_device", ["device_id": 521])
        #expect(preview.token != nil)
        Self.check(preview.text, "delete_mobile_device preview")
        // JSON keeps the exact values for programs.
        let device = try await FaultRun.ok(mcp, "get_mobile_device", ["device_id": 521])
        #expect(device.structured?["device"]?["os_type"]?.stringValue?.unicodeScalars.contains("\u{202E}") == true)
    }

    @Test("Email: a hostile subject in search_entities and get_entity_details")
    func email() async throws {
        let mcp = try await FaultRun.server(try await Self.sim(), [:])
        let search = try await FaultRun.ok(mcp, "search_entities", ["sender_domain": "injection-test.example", "duration": "7d"])
        Self.check(search.text, "search_entities")
        let ids = (search.structured?["entities"]?.arrayValue ?? []).filter { $0["subject"]?.stringValue?.contains("\u{202E}") == true }
        let id = try #require(ids.first?["entity_id"]?.stringValue, "the hostile fixture is in the window")
        Self.check(try await FaultRun.ok(mcp, "get_entity_details", ["entity_id": .string(id)]).text, "get_entity_details")
    }
}
