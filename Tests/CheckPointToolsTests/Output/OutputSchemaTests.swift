import CheckPointSimulator
import Foundation
import MCPCore
import Testing

@testable import CheckPointTools

/// Every tool's output schema is a contract its results keep: each catalog tool is called once in
/// process against the simulator (reads with everyday arguments, writes up to their preview) and its
/// structured result is validated against the schema it lists. A tool added without a sample here fails
/// the coverage test, so no output schema goes unchecked. Executed writes are validated by the debug
/// server in the end-to-end tests (`validatesOutput`) and by the Python SDK in Tests/interop.
@Suite("Output schemas")
struct OutputSchemaTests {
    /// Arguments for one successful call per tool; `$entity`, `$event`, `$device` and `$group` are
    /// replaced by ids read from the simulated tenant first.
    static let samples: [String: JSONObject] = [
        "list_scopes": [:],
        "search_entities": ["duration": "30d", "limit": 5],
        "get_entity_details": ["entity_id": "$entity"],
        "download_email": ["entity_id": "$entity"],
        "get_security_events": ["duration": "30d", "limit": 5],
        "list_restore_requests": ["duration": "15d", "state": "all"],
        "get_task_status": ["task_ids": ["$task"]],
        "list_exceptions": [:],
        "diagnose": [:],
        "quarantine_entities": ["entity_ids": ["$entity"]],
        "restore_entities": ["entity_ids": ["$entity"]],
        "decline_restore_requests": ["entity_ids": ["$entity"], "reason": "Phishing"],
        "dismiss_security_events": ["event_ids": ["$event"]],
        "add_exception": ["list": "whitelist", "sender_email": "ap@partner.example"],
        "delete_exception": ["list": "url_block_domain", "value": "paypa1-secure.com"],
        "update_exception": ["list": "url_block_domain", "value": "paypa1-secure.com", "comment": "renewed"],
        "add_anomaly_exception": ["rule": "{\"anomaly_type\": \"impossible_travel\"}"],
        "delete_anomaly_exception": ["rule_ids": ["1001"]],
        "notify_email_recipients": ["entity_id": "$entity", "emails": ["jane@acme.example"]],
        "report_misclassification": ["entity_ids": ["$entity"], "classification": "clean", "confidence": "very"],
        "search_mobile_devices": ["limit": 5],
        "get_mobile_device": ["device_id": "$device"],
        "list_mobile_groups": [:],
        "list_mobile_alerts": ["limit": 5],
        "list_mobile_audit_events": ["limit": 5],
        "get_mobile_registration": ["device_id": "$device"],
        "add_mobile_device": ["name": "Dana Levi", "email": "dana.levi@example.com"],
        "delete_mobile_device": ["device_id": "$device"],
        "move_mobile_device": ["device_id": "$device", "groups": ["$group"]],
        "resend_mobile_registration": ["device_id": "$device"],
        "mark_mobile_registration_sent": ["device_id": "$device"],
        "create_mobile_group": ["name": "Investigation"],
        "update_mobile_group": ["group": "$group", "new_name": "Renamed"],
        "delete_mobile_group": ["group": "$group"],
        "list_session_writes": [:],
    ]

    @Test("every catalog tool has a sample call here")
    func coverage() {
        let names = Set(Toolbox.allSpecs.map(\.name))
        #expect(names.subtracting(Self.samples.keys).sorted() == [], "tools without a sample: add one to OutputSchemaTests.samples")
        #expect(Set(Self.samples.keys).subtracting(names).sorted() == [], "samples for tools not in the catalog")
    }

    @Test("each tool's structured result validates against its outputSchema", arguments: Toolbox.allSpecs.map(\.name))
    func conforms(_ name: String) async throws {
        let tenant = try InProcessTenant()
        let spec = try #require(Toolbox.allSpecs.first { $0.name == name })
        let template = try #require(Self.samples[name], "no sample for \(name)")
        let arguments = try await Self.resolve(template, tenant)
        let result = try await tenant.call(spec, arguments)
        #expect(!result.isError, "\(name) failed, so its schema was not checked: \(result.text.prefix(300))")
        guard !result.isError else { return }
        let structured = try #require(result.structured, "\(name) returned no structuredContent")
        let violations = SchemaValidator().validate(structured, against: spec.definition.outputSchema)
        #expect(violations.isEmpty, "\(name): \(violations.prefix(3))")
    }

    @Test("a result missing a required key fails the schema (the check can fail)")
    func checkCanFail() throws {
        let spec = try #require(Toolbox.allSpecs.first { $0.name == "search_entities" })
        let broken: JSONValue = ["entities": [["quarantine_state": "quarantined"]], "count": 1, "complete": true]
        let violations = SchemaValidator().validate(broken, against: spec.definition.outputSchema)
        #expect(violations.count >= 2, "next_cursor and the row's entity_id are missing: \(violations)")
    }

    @Test("a list schema requires every field Completeness.fields always sets, and rows of the given shape")
    func listRequiresCompleteness() {
        let schema = OutputSchema.list(rowsKey: "rows", row: OutputSchema.row(["id"]))
        let required = Set(schema["required"]?.arrayValue?.compactMap(\.stringValue) ?? [])
        let always = Set(Completeness.completeResult().fields.keys)  // complete, next_cursor (null when done)
        #expect(always.isSubset(of: required), "\(always.subtracting(required)) not required")
        #expect(required.isSuperset(of: ["rows", "count"]))
        #expect(schema["properties"]?["rows"]?["items"] == ["type": "object", "required": ["id"]])
    }

    // MARK: Ids from the tenant

    static func resolve(_ template: JSONObject, _ tenant: InProcessTenant) async throws -> JSONObject {
        var out: JSONObject = [:]
        for (key, value) in template { out[key] = try await substitute(value, tenant) }
        return out
    }

    static func substitute(_ value: JSONValue, _ tenant: InProcessTenant) async throws -> JSONValue {
        if let items = value.arrayValue {
            var out: [JSONValue] = []
            for item in items { out.append(try await substitute(item, tenant)) }
            return .array(out)
        }
        guard let placeholder = value.stringValue, placeholder.hasPrefix("$") else { return value }
        // A task exists only in the simulator that ran the action; the other ids are the generated tenant's, the same
        // in every simulator of this process, so each is looked up once (a 30-day search scans the tenant).
        if placeholder == "$task" { return try await executedTaskID(tenant) }
        if let known = await Self.ids.value(placeholder) { return known }
        let found: JSONValue
        switch placeholder {
        case "$entity": found = try await firstID(tenant, "search_entities", ["duration": "30d", "limit": 1], rows: "entities", key: "entity_id")
        case "$event": found = try await firstID(tenant, "get_security_events", ["duration": "30d", "limit": 1], rows: "events", key: "event_id")
        case "$device": found = try await firstID(tenant, "search_mobile_devices", ["limit": 1], rows: "devices", key: "id")
        case "$group": found = try await firstID(tenant, "list_mobile_groups", [:], rows: "groups", key: "name", skip: "ALL")
        default: return value
        }
        await Self.ids.remember(placeholder, found)
        return found
    }

    /// Placeholder ids already looked up in this process.
    static let ids = KnownIDs()

    actor KnownIDs {
        private var values: [String: JSONValue] = [:]
        func value(_ placeholder: String) -> JSONValue? { values[placeholder] }
        func remember(_ placeholder: String, _ id: JSONValue) { values[placeholder] = id }
    }

    /// Quarantines one email (preview, then the token) and returns the task id the executed result names;
    /// the executed result is checked against the tool's schema on the way.
    static func executedTaskID(_ tenant: InProcessTenant) async throws -> JSONValue {
        let spec = try #require(Toolbox.allSpecs.first { $0.name == "quarantine_entities" })
        let id = try await firstID(tenant, "search_entities", ["duration": "30d", "limit": 1, "quarantined": false], rows: "entities", key: "entity_id")
        let preview = try await tenant.call(spec, ["entity_ids": [id]])
        let token = try #require(preview.structured?["confirmation_token"], "no token: \(preview.text.prefix(200))")
        let executed = try await tenant.call(spec, ["entity_ids": [id], "confirmation_token": token])
        let structured = try #require(executed.structured)
        #expect(SchemaValidator().validate(structured, against: spec.definition.outputSchema).isEmpty)
        let task = structured["results"]?.arrayValue?.compactMap { $0["task_id"] }.first
        return try #require(task, "the executed quarantine named no task: \(executed.text.prefix(200))")
    }

    static func firstID(_ tenant: InProcessTenant, _ tool: String, _ args: JSONObject, rows: String, key: String,
                        skip: String? = nil) async throws -> JSONValue {
        let spec = try #require(Toolbox.allSpecs.first { $0.name == tool })
        let result = try await tenant.call(spec, args)
        let found = (result.structured?[rows]?.arrayValue ?? []).compactMap { $0[key] }.first { skip == nil || $0.stringValue != skip }
        return try #require(found, "\(tool) found no \(key) in the simulated tenant")
    }
}
