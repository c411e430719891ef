import CheckPointAPI
import Testing

@testable import CheckPointTools

/// `MobileGroupResolver`: what a group argument (id or name) means, and the error for one that means nothing.
@Suite("MobileGroupResolver")
struct MobileGroupResolverTests {
    static let groups = [
        MobileGroup(id: 1, name: "ALL"), MobileGroup(id: 2, name: "Sales", parentID: 1, parentName: "ALL"),
        MobileGroup(id: 7, name: "EMEA Sales", parentID: 2, parentName: "Sales"),
        MobileGroup(id: 12, name: "sales", parentID: 1, parentName: "ALL"),
        MobileGroup(id: 13, name: "Board", parentID: 1, parentName: "ALL"),
        MobileGroup(id: 14, name: "Ops", parentID: 1, parentName: "ALL"), MobileGroup(id: 15, name: "OPS", parentID: 1, parentName: "ALL"),
    ]

    static func error(_ ref: String) -> String {
        do {
            let g = try MobileGroupResolver.resolve(ref, in: groups, field: "groups")
            return "resolved to \(g.id)"
        } catch { return "\(error)" }
    }

    @Test("an id, an exact spelling, then a case-insensitive name")
    func resolves() throws {
        #expect(try MobileGroupResolver.resolve("7", in: Self.groups, field: "groups").id == 7)
        #expect(try MobileGroupResolver.resolve("Sales", in: Self.groups, field: "groups").id == 2, "the exact spelling wins over «sales»")
        #expect(try MobileGroupResolver.resolve("sales", in: Self.groups, field: "groups").id == 12)
        #expect(try MobileGroupResolver.resolve("board", in: Self.groups, field: "groups").id == 13)
        #expect(try MobileGroupResolver.resolve(["2", "Board"], in: Self.groups, field: "groups").map(\.id) == [2, 13])
    }

    @Test("a name two groups share ignoring case is ambiguous and asks for the id")
    func ambiguous() {
        #expect(Self.error("ops") == "Invalid argument `groups`: group name «ops» is ambiguous: «Ops» (id 14, under «ALL»), «OPS» (id 15, under «ALL»). Next step: pass the group id instead.")
    }

    @Test("an unknown id and an unknown name say what to do; a near miss lists close names, closest first")
    func unknown() {
        #expect(Self.error("99") == "Invalid argument `groups`: no group has id 99. Next step: call list_mobile_groups to see the groups and their ids.")
        #expect(Self.error("Baord") == "Invalid argument `groups`: unknown group «Baord»; close names: «Board» (id 13, under «ALL»).")
        #expect(Self.error("Marketing") == "Invalid argument `groups`: unknown group «Marketing»; no group has a similar name; call list_mobile_groups to see them all.")
        #expect(MobileGroupResolver.closeMatches("sale", in: Self.groups).map(\.id) == [7, 2, 12])
    }

    @Test("edit distance counts an adjacent swap once")
    func distance() {
        #expect(MobileGroupResolver.distance("board", "baord") == 1)
        #expect(MobileGroupResolver.distance("sales", "sails") == 2)
        #expect(MobileGroupResolver.distance("", "abc") == 3)
        #expect(MobileGroupResolver.distance("abc", "abc") == 0)
    }
}
