@testable import CheckPointAPI
import MCPCore
import Testing

@testable import CheckPointTools

/// `add_exception` and `delete_exception` in process: the previewed entry, the exact request the token
/// sends per list family, "already there" and "no such entry", argument errors, and an unknown outcome.
@Suite("add_exception, delete_exception (in process)")
struct ExceptionWriteToolsTests {
    static let root = "/app/hec-api/v1.0"

    @Test("anti-phishing add: the preview shows the exact entry; the token posts it once, audited, and list_exceptions shows it")
    func addAntiPhishing() async throws {
        let tenant = try InProcessTenant()
        let args: JSONObject = ["list": "whitelist", "sender_email": "invoices@partner.example", "comment": "vendor"]
        let (preview, done) = try await tenant.confirm(ExceptionWriteTools.add, args)
        #expect(preview.structured?["summary"] == "Will add 1 entry to whitelist (/exceptions/whitelist): matching mail will be allowed through.")
        #expect(preview.structured?["entry"] == ["comment": "vendor", "senderEmail": "invoices@partner.example", "senderEmailMatching": "exact"])
        #expect(preview.text.contains("Entry: comment=«vendor», senderEmail=«invoices@partner.example», senderEmailMatching=«exact»"), "\(preview.text)")

        #expect(done.structured?["outcome"] == "executed", "\(done.text)")
        #expect(tenant.writes.map(\.route) == ["POST \(Self.root)/exceptions/whitelist"])
        #expect(tenant.writes.first?.body == ["requestData": ["comment": "vendor", "senderEmail": "invoices@partner.example", "senderEmailMatching": "exact"]])
        let result = try #require(done.structured?["results"]?[0])
        #expect(result["id"] == "whitelist:senderEmail=invoices@partner.example")
        #expect(result["status"] == "added")
        #expect(result["detail"]?.stringValue?.hasPrefix("exception id ") == true)
        #expect(tenant.audit.last?.items.map(\.id) == ["whitelist:senderEmail=invoices@partner.example"])

        let listed = try await tenant.call(ListExceptions.spec, ["list": "whitelist", "contains": "partner.example"])
        #expect(listed.structured?["lists"]?[0]?["entries"]?[0]?["value"] == "invoices@partner.example")
    }

    @Test("an entry already on the list is nothing to do; a subject is never written to the audit log")
    func alreadyAndRedaction() async throws {
        let tenant = try InProcessTenant(confirm: .never)
        let again = try await tenant.call(ExceptionWriteTools.add, ["list": "whitelist", "sender_email": "BILLING@partner-invoices.example"])
        #expect(again.structured?["status"] == "nothing_to_do")
        #expect(again.structured?["summary"] == "This entry is already on whitelist: nothing to add.")
        #expect(tenant.writes.isEmpty)

        let subject = try await tenant.call(ExceptionWriteTools.add, ["list": "blacklist", "subject": "Payroll update for Dana", "match": "contains"])
        #expect(subject.structured?["outcome"] == "executed", "\(subject.text)")
        #expect(tenant.writes.first?.body?["requestData"] == ["subject": "Payroll update for Dana", "subjectMatching": "contains"])
        #expect(tenant.audit.last?.items.map(\.id) == ["blacklist:subject=[redacted]"])
    }

    @Test("URL and click-time adds send the family's own request")
    func addSectoolAndClickTime() async throws {
        let tenant = try InProcessTenant(confirm: .never)
        let url = try await tenant.call(ExceptionWriteTools.add, ["list": "url_block_domain", "value": "evil.example", "comment": "campaign"])
        #expect(url.structured?["summary"] == "Added 1 entry to url_block_domain.", "\(url.text)")
        #expect(url.structured?["entry"] == ["exceptionStr": "evil.example", "exceptionType": "block-domain", "comment": "campaign"])
        let ct = try await tenant.call(ExceptionWriteTools.add, ["list": "click_time_blacklist", "value": "evil.example"])
        #expect(ct.structured?["results"]?[0]?["status"] == "added", "\(ct.text)")
        #expect(tenant.writes.map(\.route) == [
            "POST \(Self.root)/sectool-exceptions/avanan_url", "POST \(Self.root)/sectools/click_time_protection/exceptions/items",
        ])
        #expect(tenant.writes[0].body == ["requestData": ["exceptionType": "block-domain", "exceptionStr": "evil.example", "comment": "campaign"]])
        #expect(tenant.writes[1].body == ["requestData": ["listId": "1", "listItemName": "evil.example", "createdBy": "checkpoint-mcp"]])
    }

    @Test("arguments of the wrong list family are refused, naming the field and what to pass instead")
    func argumentErrors() async throws {
        let tenant = try InProcessTenant()
        let value = try await tenant.call(ExceptionWriteTools.add, ["list": "whitelist", "value": "x"])
        #expect(value.text == "Invalid argument `value`: is not used by whitelist. Next step: use sender_email, sender_domain, sender_name, sender_ip, recipient, subject, link_domains or attachment_md5.")
        let sender = try await tenant.call(ExceptionWriteTools.add, ["list": "url_block_domain", "sender_email": "a@b.example"])
        #expect(sender.text == "Invalid argument `sender_email`: only applies to the anti-phishing/spam lists. Next step: give the entry as `value`.")
        let empty = try await tenant.call(ExceptionWriteTools.add, ["list": "blacklist", "comment": "nothing to match"])
        #expect(empty.text.hasPrefix("Invalid argument `sender_email`: an anti-phishing/spam entry needs at least one thing to match."), "\(empty.text)")
        let noID = try await tenant.call(ExceptionWriteTools.delete, ["list": "whitelist"])
        #expect(noID.text == "Invalid argument `exception_id`: is required for whitelist. Next step: find the entry's id with list_exceptions.")
        #expect(tenant.gateway.sent.isEmpty, "argument errors reach no gateway")
    }

    @Test("delete by id and by click-time value: the preview shows the entry, the token removes exactly it")
    func delete() async throws {
        let tenant = try InProcessTenant()
        let listed = try await tenant.call(ListExceptions.spec, ["list": "blacklist"])
        let id = try #require(listed.structured?["lists"]?[0]?["entries"]?[0]?["id"]?.stringValue)
        let (preview, done) = try await tenant.confirm(ExceptionWriteTools.delete, ["list": "blacklist", "exception_id": .string(id)])
        #expect(preview.structured?["summary"] == "Will delete 1 entry from blacklist (/exceptions/blacklist).")
        #expect(preview.structured?["entry"]?["sender_domain"] == "micros0ft-support.com")
        #expect(done.structured?["results"] == [["id": .string("blacklist:" + id), "status": "deleted"]])
        #expect(tenant.writes.map(\.route) == ["POST \(Self.root)/exceptions/blacklist/delete/\(id)"])

        let ct = try await tenant.confirm(ExceptionWriteTools.delete, ["list": "click_time_blacklist", "value": "paypa1-secure.com"])
        let itemID = try #require(ct.preview.structured?["entry"]?["listitemid"]?.stringValue)
        #expect(itemID.count == 16)
        #expect(tenant.writes.last?.route == "DELETE \(Self.root)/sectools/click_time_protection/exceptions/items/\(itemID)")
        #expect(ct.executed.structured?["outcome"] == "executed")
    }

    @Test("deleting an entry that does not exist is nothing to do and names list_exceptions")
    func deleteMissing() async throws {
        let tenant = try InProcessTenant()
        let r = try await tenant.call(ExceptionWriteTools.delete, ["list": "url_block_domain", "value": "never-listed.example"])
        #expect(r.structured?["status"] == "nothing_to_do")
        #expect(r.structured?["summary"] == "No such entry on url_block_domain (never-listed.example): nothing to delete. See list_exceptions.")
        #expect(r.structured?["entry"] == .null)
        #expect(tenant.writes.isEmpty)
    }

    @Test("a write whose answer is lost is unknown, with the advice to re-read before retrying")
    func unknownOutcome() async throws {
        let tenant = try InProcessTenant(confirm: .never)
        tenant.gateway.stub("POST \(Self.root)/exceptions/blacklist", .failure(.connectionLost("reset")))
        let r = try await tenant.call(ExceptionWriteTools.add, ["list": "blacklist", "sender_domain": "evil.example"])
        #expect(r.isError)
        #expect(r.structured?["outcome"] == "unknown")
        #expect(r.structured?["results"]?[0]?["status"] == "unknown")
        #expect(r.text.contains("The entry marked unknown may or may not have been applied: re-read with list_exceptions before retrying."), "\(r.text)")
        #expect(tenant.writes.count == 1)
    }
}
