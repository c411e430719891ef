import MCPCore
import Testing

@testable import CheckPointTools

/// `JSONArguments`: typed reads of a tool's arguments, lenient by the core's rules only (`ArgumentRules`:
/// digits as strings, "true"/"false", one value for a list, an option ignoring case), each repair recorded
/// for the result, and an error naming the field where they drift from the schema.
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

    @Test("booleans and numbers take what the core takes (\"TRUE\", \"0.5\") and nothing else")
    func boolsAndNumbers() throws {
        #expect(try JSONArguments(["flag": true]).bool("flag") == true)
        #expect(try JSONArguments(["flag": " TRUE "]).bool("flag") == true)
        #expect(try JSONArguments(["ratio": "0.5"]).double("ratio") == 0.5)
        #expect(Self.problem { try JSONArguments(["flag": "1"]).bool("flag") } == "Invalid argument `flag`: must be true or false, got string.")
        #expect(Self.problem { try JSONArguments(["flag": "yes"]).bool("flag") } == "Invalid argument `flag`: must be true or false, got string.")
        #expect(try JSONArguments(["ratio": 0.5]).double("ratio") == 0.5)
        #expect(Self.problem { try JSONArguments(["ratio": "half"]).double("ratio") } == "Invalid argument `ratio`: must be a number, got string.")
    }

    /// Changed by the merge with the core's rules: list() no longer splits at commas (a group may be named
    /// "Sales, EMEA"; the core reads "a,b" for an array as one item too), and an integer among strings is its
    /// digits (the core's "integer for a string") instead of an error.
    @Test("lists: one value is a one-element list; items are never split at commas; integers are their digits")
    func lists() throws {
        #expect(try JSONArguments(["ids": "a"]).strings("ids") == ["a"])
        #expect(try JSONArguments(["ids": ["a", "b"]]).strings("ids") == ["a", "b"])
        #expect(try JSONArguments(["ids": ["a", 1]]).strings("ids") == ["a", "1"])
        #expect(Self.problem { try JSONArguments(["ids": ["a", true]]).strings("ids") } == "Invalid argument `ids`: must contain only strings, got boolean.")
        #expect(JSONArguments(["groups": ["Sales", 7, " Sales, EMEA ", ""]]).list("groups") == ["Sales", "7", "Sales, EMEA"])
        #expect(JSONArguments(["groups": "Sales,Board"]).list("groups") == ["Sales,Board"])
        #expect(JSONArguments([:]).list("groups") == [])
        #expect(try JSONArguments(["ids": [3, "4"]]).ints("ids") == [3, 4])
        #expect(Self.problem { try JSONArguments(["ids": ["4.5"]]).ints("ids") } == "Invalid argument `ids`: expected integer ids, got string.")
    }

    @Test("every read that took a value differently from how it was sent is recorded, once per path; exact values are not")
    func repairsRecorded() throws {
        let repairs = ArgumentRepairs()
        try ArgumentRepairs.$current.withValue(repairs) {
            let a = JSONArguments(["n": "12", "b": "False", "s": "User Notified", "ids": [1, "2"], "exact": 5, "ok": "active"])
            _ = try a.int("n")
            _ = try a.int("n")
            _ = try a.bool("b")
            _ = try a.enumeration("s", ["user_notified", "active"])
            _ = try a.ints("ids")
            _ = try a.int("exact")
            _ = try a.enumeration("ok", ["user_notified", "active"])
        }
        #expect(repairs.all.map(\.note) == [
            "took \"12\" for `n` as the integer 12", "took \"False\" for `b` as the boolean false",
            "took \"User Notified\" for `s` as \"user_notified\"", "took \"2\" for `ids[1]` as the integer 2",
        ])
        // Outside a call nothing is recorded and nothing fails.
        #expect(try JSONArguments(["n": "12"]).int("n") == 12)
    }

    @Test("an enumeration ignores case and reads - and space as _ (both sides, as the core does); anything else names the choices")
    func enumeration() throws {
        let allowed = ["user_notified", "active"]
        #expect(try JSONArguments(["s": "ACTIVE"]).enumeration("s", ["Active", "Dormant"]) == "Active")
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
