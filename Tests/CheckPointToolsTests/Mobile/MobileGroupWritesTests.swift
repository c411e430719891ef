import MCPCore
import Testing

@testable import CheckPointTools

/// `create_mobile_group` in process: preview (nothing created), confirm (created once, audited), and the
/// same token again refused; `list_session_writes` then reports the write.
@Suite("create_mobile_group (in process)")
struct MobileGroupWritesTests {
    @Test("preview changes nothing; the token creates the group once; a reused token is refused")
    func previewConfirmReuse() async throws {
        let tenant = try InProcessTenant()
        let args: JSONObject = ["name": "In-process Probe", "parent": "ALL"]
        let preview = try await tenant.call(MobileGroupWrites.create, args)
        #expect(preview.structured?["status"] == "preview", "\(preview.text)")
        let token = try #require(preview.structured?["confirmation_token"]?.stringValue)
        let before = try await tenant.call(MobileGroupTools.list, ["name": "In-process Probe"])
        #expect(before.structured?["groups"] == [], "a preview creates nothing")

        var confirmed = args
        confirmed["confirmation_token"] = .string(token)
        let done = try await tenant.call(MobileGroupWrites.create, confirmed)
        #expect(done.structured?["status"] == "executed", "\(done.text)")
        #expect(done.structured?["outcome"] == "executed")
        let after = try await tenant.call(MobileGroupTools.list, ["name": "in-process probe"])
        #expect(after.structured?["groups"]?.arrayValue?.count == 1)

        let again = try await tenant.call(MobileGroupWrites.create, confirmed)
        #expect(again.isError)
        #expect(again.structured?["reason"] == "token_reused")

        let writes = ListSessionWrites.spec(writeTools: Toolbox.allSpecs.filter(\.isWrite).map(\.name))
        let log = try await tenant.call(writes, ["tool": "create_mobile_group"])
        let outcomes = (log.structured?["writes"]?.arrayValue ?? []).compactMap { $0["outcome"]?.stringValue }
        #expect(outcomes == ["refused", "executed"], "newest first: the reuse, then the creation")
    }
}
