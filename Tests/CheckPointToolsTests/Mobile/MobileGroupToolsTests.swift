import Testing

@testable import CheckPointTools

/// `list_mobile_groups` in process: the tree, a name lookup, and close matches for a near miss.
@Suite("list_mobile_groups (in process)")
struct MobileGroupToolsTests {
    @Test("a name is matched case-insensitively; a near miss lists close names and no group")
    func byName() async throws {
        let tenant = try InProcessTenant()
        let all = try await tenant.call(MobileGroupTools.list)
        #expect(all.structured?["complete"] == true)
        let count = all.structured?["groups"]?.arrayValue?.count ?? 0
        #expect(count >= 3)

        let one = try await tenant.call(MobileGroupTools.list, ["name": "executives"])
        #expect(one.structured?["groups"]?.arrayValue?.count == 1)
        #expect(one.structured?["groups"]?[0]?["name"] == "Executives")

        let near = try await tenant.call(MobileGroupTools.list, ["name": "Executive"])
        #expect(near.structured?["groups"] == [])
        #expect(near.text.contains("Close names:") && near.text.contains("«Executives»"), "\(near.text)")
    }
}
