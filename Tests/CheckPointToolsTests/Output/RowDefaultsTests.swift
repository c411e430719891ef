import MCPCore
import Testing

@testable import CheckPointTools

@Suite("RowDefaults")
struct RowDefaultsTests {
    @Test("a value on at least half of the rows is said once; rows keep only what differs, and a row without the field says null")
    func lifted() {
        let rows: [JSONValue] = [
            ["id": "a", "saas": "office365_emails", "verdict": "clean"],
            ["id": "b", "saas": "google_mail", "verdict": "clean"],
            ["id": "c", "saas": "office365_emails"],
            ["id": "d", "saas": "office365_emails", "verdict": "phishing"],
        ]
        let (out, defaults) = RowDefaults.lift(rows, keys: ["saas", "verdict"])
        #expect(defaults == ["saas": "office365_emails", "verdict": "clean"])
        #expect(out == [["id": "a"], ["id": "b", "saas": "google_mail"], ["id": "c", "verdict": nil], ["id": "d", "verdict": "phishing"]])
    }

    @Test("filling the defaults back in gives the rows as they were, for every field lifted")
    func roundTrip() {
        let rows: [JSONValue] = [["id": 1, "risk": ["code": 3]], ["id": 2, "risk": ["code": 3]], ["id": 3, "risk": ["code": 1]]]
        let (out, defaults) = RowDefaults.lift(rows, keys: ["risk"])
        let restored = out.map { row -> JSONValue in
            var o = row.objectValue ?? [:]
            for (k, v) in defaults where !o.keys.contains(k) { o[k] = v }
            return .object(o)
        }
        #expect(restored == rows)
    }

    @Test("nothing is lifted from one row, nor a value on fewer than half of the rows")
    func kept() {
        let one: [JSONValue] = [["id": "a", "saas": "box"]]
        #expect(RowDefaults.lift(one, keys: ["saas"]).rows == one)
        let mixed: [JSONValue] = [["saas": "a"], ["saas": "b"], ["saas": "c"]]
        let (out, defaults) = RowDefaults.lift(mixed, keys: ["saas"])
        #expect(defaults == [:] && out == mixed)
    }
}
