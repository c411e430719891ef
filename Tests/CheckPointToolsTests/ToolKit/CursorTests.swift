import Foundation
import MCPCore
import Testing

@testable import CheckPointAPI
@testable import CheckPointTools

@Suite("Cursors")
struct CursorTests {
    @Test("round-trips state for the same tool, including booleans and numbers")
    func roundTrip() throws {
        let state: JSONObject = ["q": ["sender": "a@b", "quarantined": true], "offset": 150, "ratio": 0.5, "none": .null]
        let c = Cursor.encode(tool: "search_entities", state: state)
        #expect(!c.contains("+") && !c.contains("/") && !c.contains("="))
        let back = try Cursor.decode(c, tool: "search_entities")
        #expect(back == state)
        #expect(back["q"]?["quarantined"] == .bool(true))
        #expect(back["offset"] == .int(150))
    }

    @Test("refuses another tool's cursor and garbage, naming the cursor argument")
    func refuses() {
        let c = Cursor.encode(tool: "get_security_events", state: ["offset": 1])
        for bad in [c, "garbage", "", "eyJ2IjoyfQ"] {
            #expect(throws: ToolInputError.self) { try Cursor.decode(bad, tool: "search_entities") }
        }
    }

    @Test("the refusal names the tool and says how to start again")
    func refusalText() {
        do {
            _ = try Cursor.decode("garbage", tool: "search_mobile_devices")
            Issue.record("garbage was accepted")
        } catch {
            #expect("\(error)" == "Invalid argument `cursor`: is not a cursor this tool issued. Next step: pass `next_cursor` from a previous search_mobile_devices result unchanged, or drop `cursor` to start from the first page.")
        }
    }

    @Test("a cursor of another version is refused even for the same tool; padding and spaces around are tolerated")
    func versionAndPadding() throws {
        let v2 = Data(#"{"s":{"offset":1},"t":"search_entities","v":2}"#.utf8).base64EncodedString()
        #expect(throws: ToolInputError.self) { try Cursor.decode(v2, tool: "search_entities") }
        let c = Cursor.encode(tool: "search_entities", state: ["offset": 7])
        #expect(try Cursor.decode("  \(c) ", tool: "search_entities") == ["offset": 7])
        let json = String(decoding: Data(base64Encoded: c.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
            + String(repeating: "=", count: (4 - c.count % 4) % 4))!, as: UTF8.self)
        #expect(json == #"{"s":{"offset":7},"t":"search_entities","v":1}"#, "sorted keys, nothing but the state")
    }
}
