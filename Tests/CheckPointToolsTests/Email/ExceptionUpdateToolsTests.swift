import MCPCore
import Testing

@testable import CheckPointTools

/// `update_exception`, `add_anomaly_exception` and `delete_anomaly_exception` in process: before and after,
/// the PUT that keeps the whole entry, "nothing to change", and the anomaly rules by their canonical text.
@Suite("update_exception, add/delete_anomaly_exception (in process)")
struct ExceptionUpdateToolsTests {
    static let root = "/app/hec-api/v1.0"

    static func entryID(_ tenant: InProcessTenant, _ list: String, value: String) async throws -> String {
        let r = try await tenant.call(ListExceptions.spec, ["list": .string(list)])
        let entry = r.structured?["lists"]?[0]?["entries"]?.arrayValue?.first { $0["value"] == .string(value) }
        return try #require(entry?["id"]?.stringValue, "\(r.text)")
    }

    @Test("an anti-phishing comment change previews before/after and PUTs the whole entry, so no field is lost")
    func updateAntiPhishing() async throws {
        let tenant = try InProcessTenant()
        let id = try await Self.entryID(tenant, "whitelist", value: "billing@partner-invoices.example")
        let (preview, done) = try await tenant.confirm(ExceptionUpdateTools.update, ["list": "whitelist", "exception_id": .string(id), "comment": "renewed"])
        #expect(preview.structured?["summary"] == "Will change 1 entry on whitelist (/exceptions/whitelist): comment.")
        #expect(preview.structured?["before"]?["comment"] == "Vendor invoices")
        #expect(preview.structured?["after"]?["comment"] == "renewed")
        #expect(preview.structured?["after"]?["senderEmail"] == "billing@partner-invoices.example")

        #expect(done.structured?["outcome"] == "executed", "\(done.text)")
        #expect(tenant.writes.map(\.route) == ["PUT \(Self.root)/exceptions/whitelist/\(id)"])
        let sent = try #require(tenant.writes.first?.body?["requestData"])
        #expect(sent["comment"] == "renewed")
        #expect(sent["senderEmail"] == "billing@partner-invoices.example")
        #expect(sent["senderEmailMatching"] == "exact")
        #expect(done.structured?["results"] == [["id": .string("whitelist:" + id), "status": "updated"]])

        let after = try await tenant.call(ListExceptions.spec, ["list": "whitelist", "contains": "partner-invoices"])
        #expect(after.structured?["lists"]?[0]?["entries"]?[0]?["comment"] == "renewed")
    }

    @Test("the same values again, and an entry that does not exist, are nothing to change")
    func nothingToChange() async throws {
        let tenant = try InProcessTenant()
        let id = try await Self.entryID(tenant, "whitelist", value: "billing@partner-invoices.example")
        let same = try await tenant.call(ExceptionUpdateTools.update, ["list": "whitelist", "exception_id": .string(id), "comment": "Vendor invoices"])
        #expect(same.structured?["status"] == "nothing_to_do")
        #expect(same.structured?["summary"] == "The entry already has these values: nothing to change.")
        let missing = try await tenant.call(ExceptionUpdateTools.update, ["list": "whitelist", "exception_id": "000000001", "comment": "x"])
        #expect(missing.structured?["summary"] == "No such entry on whitelist (000000001): nothing to change. See list_exceptions.")
        #expect(missing.structured?["before"] == .null)
        #expect(tenant.writes.isEmpty)
    }

    @Test("URL lists change only the comment; click-time items are renamed by id")
    func sectoolAndClickTime() async throws {
        let tenant = try InProcessTenant(confirm: .never)
        let url = try await tenant.call(ExceptionUpdateTools.update, ["list": "url_allow_domain", "value": "contoso.com", "comment": "Partner portal (renewed)"])
        #expect(url.structured?["outcome"] == "executed", "\(url.text)")
        #expect(tenant.writes.last?.route == "PUT \(Self.root)/sectool-exceptions/avanan_url")
        #expect(tenant.writes.last?.body == ["requestData": ["exceptionType": "allow-domain", "exceptionStr": "contoso.com", "comment": "Partner portal (renewed)"]])

        let item = try await Self.entryID(tenant, "click_time_whitelist", value: "contoso.com")
        let ct = try await tenant.call(ExceptionUpdateTools.update, ["list": "click_time_whitelist", "exception_id": .string(item), "value": "contoso.org"])
        #expect(ct.structured?["outcome"] == "executed", "\(ct.text)")
        #expect(ct.structured?["entry"] == ["listitemname": "contoso.org"], "\(ct.text)")
        #expect(tenant.writes.last?.route == "PUT \(Self.root)/sectools/click_time_protection/exceptions/items/\(item)")
        // The whole item, as Check Point's XSOAR client sends it: the item's own list and creator with the new name.
        #expect(tenant.writes.last?.body == ["requestData": ["listId": "0", "listItemName": "contoso.org", "createdBy": "admin@acme-demo.com"]])
        let renamed = try await tenant.call(ListExceptions.spec, ["list": "click_time_whitelist"])
        let entry = renamed.structured?["lists"]?[0]?["entries"]?.arrayValue?.first { $0["id"] == .string(item) }
        #expect(entry?["value"] == "contoso.org", "\(renamed.text)")

        let noComment = try await tenant.call(ExceptionUpdateTools.update, ["list": "url_allow_domain", "value": "contoso.com"])
        #expect(noComment.text == "Invalid argument `comment`: is the only thing that can change on url_allow_domain. Next step: to change the value itself, delete the entry and add a new one.")
        let noID = try await tenant.call(ExceptionUpdateTools.update, ["list": "blacklist", "comment": "x"])
        #expect(noID.text == "Invalid argument `exception_id`: is required for blacklist. Next step: find it with list_exceptions.")
    }

    @Test("an anomaly rule is sent as requestJson, found again by its canonical text, and deleted by id")
    func anomaly() async throws {
        let tenant = try InProcessTenant()
        let rule = #"{"user": "dana@acme.example", "anomaly_type": "impossible_travel"}"#
        let (preview, done) = try await tenant.confirm(ExceptionUpdateTools.addAnomaly, ["rule": .string(rule)])
        #expect(preview.structured?["summary"] == "Will add 1 anomaly-detection exception.")
        #expect(preview.structured?["rules"] == [["rule": #"{"anomaly_type":"impossible_travel","user":"dana@acme.example"}"#]])
        #expect(tenant.writes.first?.route == "POST \(Self.root)/sectools/anomaly/exceptions")
        #expect(tenant.writes.first?.body == ["requestData": ["requestJson": ["anomaly_type": "impossible_travel", "user": "dana@acme.example"], "addedBy": "checkpoint-mcp"]])
        let added = try #require(done.structured?["results"]?[0]?["id"]?.stringValue)
        #expect(added.hasPrefix("anomaly:") && added.count > "anomaly:".count)

        let again = try await tenant.call(ExceptionUpdateTools.addAnomaly, ["rule": #"{"anomaly_type":"impossible_travel","user":"dana@acme.example"}"#])
        #expect(again.structured?["summary"] == "An anomaly exception with this exact rule exists: nothing to add.")

        let id = String(added.dropFirst("anomaly:".count))
        let (delPreview, deleted) = try await tenant.confirm(ExceptionUpdateTools.deleteAnomaly, ["rule_ids": [.string(id), "99999"]])
        #expect(delPreview.structured?["summary"] == "Will delete 1 of 2 anomaly exceptions.")
        #expect(delPreview.text.contains("- 99999: not found, nothing will happen"))
        #expect(tenant.writes.last?.route == "DELETE \(Self.root)/sectools/anomaly/exceptions")
        #expect(tenant.writes.last?.body == ["requestData": ["ruleId": [.string(id)]]], "only the ids that exist")
        #expect(deleted.structured?["summary"] == "Deleted 1 of 1 anomaly exceptions.")

        let bad = try await tenant.call(ExceptionUpdateTools.addAnomaly, ["rule": "impossible travel for dana"])
        #expect(bad.text.hasPrefix("Invalid argument `rule`: must be a JSON object as text."), "\(bad.text)")
    }
}
