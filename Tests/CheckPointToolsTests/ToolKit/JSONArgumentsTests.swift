import MCPCore
import Testing

@testable import CheckPointTools

/// `JSONArguments`: typed reads of a tool's arguments, lenient where agents are (digits as strings, one
/// string for a list), and an error naming the field where they drift from the schema.
@Suite("JSONArguments")
struct JSONArgumentsTests {
    static func problem(_ body: () throws -> Any?) -> String {
        do { return "value \(String(describing: try body()))" } catch { return "\(error)" }
    }

    @Test("strings are trimmed; blank, null and absent read as nil; has() is false for null")
    func strings() throws {
        let a = JSONArguments(["name": "  Dana  ", "blank": "   ", "none": .null])
        #expect(try a.string("name") == "Dana")
        #expect(try a.string("blank") == nil)
        #expect(try a.string("none") == nil && !a.has("none"))
        #expect(try a.string("missing") == nil)
        #expect(a.has("blank"))
        #expect(Self.problem { try JSONArguments(["name": 5]).string("name") } == "Invalid argument `name`: must be a string, got integer.")
    }

    @Test("integers accept digit strings; limit defaults and never drops below 1")
    func integers() throws {
        #expect(try JSONArguments(["id": 412]).int("id") == 412)
        #expect(try JSONArguments(["id": " 412 "]).int("id") == 412)
        #expect(Self.problem { try JSONArguments(["id": "four"]).int("id") } == "Invalid argument `id`: must be an integer, got string.")
        #expect(try JSONArguments([:]).limit() == 50)
        #expect(try JSONArguments(["limit": 0]).limit() == 1)
        #expect(try JSONArguments([:]).limit(default: 20) == 20)
        #expect(try JSONArguments(["group": 7]).ref("group") == "7")
        #expect(try JSONArguments(["group": "Sales"]).ref("group") == "Sales")
    }

    @Test("booleans and numbers are strict")
    func boolsAndNumbers() throws {
        #expect(try JSONArguments(["flag": true]).bool("flag") == true)
        #expect(Self.problem { try JSONArguments(["flag": "yes"]).bool("flag") } == "Invalid argument `flag`: must be true or false, got string.")
        #expect(try JSONArguments(["ratio": 0.5]).double("ratio") == 0.5)
        #expect(Self.problem { try JSONArguments(["ratio": "half"]).double("ratio") } == "Invalid argument `ratio`: must be a number, got string.")
    }

    @Test("lists: one string is a one-element list; list() also splits commas and keeps integers as digits")
    func lists() throws {
        #expect(try JSONArguments(["ids": "a"]).strings("ids") == ["a"])
        #expect(try JSONArguments(["ids": ["a", "b"]]).strings("ids") == ["a", "b"])
        #expect(Self.problem { try JSONArguments(["ids": ["a", 1]]).strings("ids") } == "Invalid argument `ids`: must contain only strings, got integer.")
        #expect(JSONArguments(["groups": ["Sales", 7, " EMEA Sales , Board ", ""]]).list("groups") == ["Sales", "7", "EMEA Sales", "Board"])
        #expect(JSONArguments(["groups": "Sales,Board"]).list("groups") == ["Sales", "Board"])
        #expect(JSONArguments([:]).list("groups") == [])
    }

    @Test("an enumeration ignores case and reads - and space as _; anything else names the choices")
    func enumeration() throws {
        let allowed = ["user_notified", "active"]
        #expect(try JSONArguments(["s": "User Notified"]).enumeration("s", allowed) == "user_notified")
        #expect(try JSONArguments(["s": "user-notified"]).enumeration("s", allowed) == "user_notified")
        #expect(try JSONArguments([:]).enumeration("s", allowed) == nil)
        #expect(Self.problem { try JSONArguments(["s": "dormant"]).enumeration("s", allowed) } == "Invalid argument `s`: must be one of user_notified, active; got «dormant».")
    }

    @Test("a value a few edits from an allowed one is refused with a did-you-mean; a far one without")
    func didYouMean() {
        #expect(Self.problem { try JSONArguments.match("contians", ["exact", "contains"], field: "match") }
            == "Invalid argument `match`: must be one of exact, contains; got «contians» (did you mean \"contains\"?).")
        #expect(!Self.problem { try JSONArguments.match("zzzzzzzz", ["exact", "contains"], field: "match") }.contains("did you mean"))
    }

    @Test("an input error without a hint has no next step; with one it ends with it")
    func inputError() {
        #expect(ToolInputError(field: "x", "is required").description == "Invalid argument `x`: is required.")
        #expect(ToolInputError(field: "x", "is required", hint: "pass x").description == "Invalid argument `x`: is required. Next step: pass x.")
    }
}
