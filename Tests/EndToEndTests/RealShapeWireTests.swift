import Foundation
import MCPCore
import Testing

/// The real-shape fixes that show on the wire, through the built server against `checkpoint-sim`, asserted on
/// what the simulator received (`GET /_sim/requests`) or on an answer only a real gateway gives (`[""]`).
@Suite("Real-shape fixes on the wire (end to end)", .serialized)
struct RealShapeWireTests {
    typealias Fix = RealShapeFixesTests

    /// A write whose API call carries no data still sends a JSON body, with a `Content-Length` that matches
    /// it and no chunked encoding: what Check Point's XSOAR client sends, and what a strict proxy needs.
    static func expectExplicitJSONBody(_ request: JSONValue, sourceLocation: SourceLocation = #_sourceLocation) {
        let route = request["route"]?.stringValue ?? "?"
        let bytes = request["body_bytes"]?.intValue ?? 0
        #expect(bytes > 0, "\(route) went out bodyless", sourceLocation: sourceLocation)
        #expect(request["content_length"]?.stringValue == String(bytes), "\(route): \(request)", sourceLocation: sourceLocation)
        #expect(request["transfer_encoding"] == .null, "\(route): \(request)", sourceLocation: sourceLocation)
        let body = request["body"]?.stringValue ?? ""
        #expect((try? JSONValue.parse(Array(body.utf8)))?.objectValue != nil, "\(route): body \(body) is not a JSON object",
                sourceLocation: sourceLocation)
    }

    @Test("bodyless writes (exception delete, Mobile mark-sent) go out with an empty JSON body and its Content-Length; so does resend")
    func bodylessWrites() async throws {
        let sim = try await SimProcess.fresh("real-shape-wire")
        let mcp = try await Fix.server(sim)

        let listed = try await Fix.call(mcp, "list_exceptions", ["list": "whitelist"])
        let key = try #require(listed.structured?["lists"]?[0]?["entries"]?[0]?["id"]?.stringValue, "\(listed.text)")
        let args: JSONObject = ["list": "whitelist", "exception_id": .string(key)]
        let preview = try await mcp.write("delete_exception", args)
        let done = try await mcp.write("delete_exception", args, token: try #require(preview.token, "\(preview.text)") as String)
        #expect(done.status == "executed", "\(done.text)")
        let deletes = try await sim.requests("POST /app/hec-api/v1.0/exceptions/whitelist/delete/")
        #expect(deletes.count == 1, "one delete, sent once: \(deletes)")
        for r in deletes {
            Self.expectExplicitJSONBody(r)
            #expect(r["body"] == #"{"requestData":{}}"#, "the HEC write envelope with no data")
        }

        // An active device can be marked as notified (back to provisioned), which a resend then accepts.
        let active = Mobile.devices(try await Mobile.ok(mcp, "search_mobile_devices", ["statuses": ["active"], "limit": 1]))
        let id = try #require(active.first?["id"]?.intValue)
        _ = try await Mobile.confirmed(mcp, "mark_mobile_registration_sent", ["device_id": .int(id)])
        _ = try await Mobile.confirmed(mcp, "resend_mobile_registration", ["device_id": .int(id)])
        let root = "POST /app/SBM/external_api/v1/device_status/\(id)/"
        let marks = try await sim.requests(root + "mark_email_sent")
        let resends = try await sim.requests(root + "resend")
        #expect(marks.count == 1 && resends.count == 1, "\(marks + resends)")
        for r in marks + resends { Self.expectExplicitJSONBody(r) }
        #expect(marks.first?["body"] == "{}", "mark-sent carries no data: the empty JSON object")
    }

    @Test("a key with no farm association (GET /scopes answers [\"\"]): no scope listed, and a warning saying what it means and what to do")
    func emptyScope() async throws {
        let sim = try await SimProcess.launch(["--unassigned-key"])
        let raw = try await EmailWriteSimAPI(sim: sim).call("GET", "/scopes")
        try #require(raw["responseData"] == [""], "the simulator plays the real answer: \(raw)")
        let mcp = try await Fix.server(sim)

        let r = try await Fix.call(mcp, "list_scopes", [:])
        #expect(r.structured?["scopes"] == [], "the empty string is dropped: \(r.text)")
        #expect(r.structured?["count"] == 0)
        let warning = r.structured?["warning"]?.stringValue ?? ""
        #expect(warning.contains("empty scope") && warning.contains("not associated"), "what it means: \(warning)")
        #expect(warning.contains("Infinity Portal"), "what to do: \(warning)")
        #expect(r.text.hasPrefix("0 scopes visible"), "\(r.text)")
        #expect(r.text.contains("WARNING: The gateway listed an empty scope"))
        #expect(!r.text.contains("«»"), "no empty scope row")

        let diag = try await mcp.callTool("diagnose", [:], timeout: .seconds(60))
        let d = try #require(diag.toolResult, "\(diag.wireText)")
        #expect(d.structured?["ok"] == false, "a key that sees no scope is not working: \(d.text)")
        #expect(d.structured?["hec"]?["scopes"] == [], "\(d.text)")
        #expect(d.text.contains("empty scope"), "\(d.text)")
    }

    @Test("no states asked for: get_security_events sends every event state explicitly")
    func explicitEventStates() async throws {
        let sim = try await SimProcess.fresh("real-shape-wire")
        let mcp = try await Fix.server(sim)
        _ = try await Fix.call(mcp, "get_security_events", ["duration": "1d", "limit": 5])
        let queries = try await sim.requests("POST /app/hec-api/v1.0/event/query")
        #expect(!queries.isEmpty)
        for q in queries {
            let body = try JSONValue.parse(Array((q["body"]?.stringValue ?? "").utf8))
            let states = Set((body["requestData"]?["eventStates"]?.arrayValue ?? []).compactMap(\.stringValue))
            #expect(states == ["new", "detected", "pending", "remediated", "dismissed", "exception"], "\(q)")
        }
        _ = try await Fix.call(mcp, "get_security_events", ["duration": "1d", "limit": 5, "states": ["new"]])
        let last = try #require(try await sim.requests("POST /app/hec-api/v1.0/event/query").last)
        let body = try JSONValue.parse(Array((last["body"]?.stringValue ?? "").utf8))
        #expect(body["requestData"]?["eventStates"] == ["new"], "the states asked for, and only those")
    }

    @Test("a URL list entry is looked up through the list filtered by value (never the value in the path); absent means add")
    func urlEntryLookup() async throws {
        let sim = try await SimProcess.fresh("real-shape-wire")
        let mcp = try await Fix.server(sim)
        let value = "https://absent-\(UUID().uuidString.prefix(8).lowercased()).example/login"
        let add: JSONObject = ["list": "url_block_url", "value": .string(value)]
        let preview = try await mcp.write("add_exception", add)
        #expect(preview.status == "preview" && preview.token != nil, "not found is not 'already there': \(preview.text)")
        #expect(!preview.text.contains("already"), "\(preview.text)")
        let reads = try await sim.requests("GET /app/hec-api/v1.0/sectool-exceptions/avanan_url/")
        #expect(reads.map { $0["route"]?.stringValue } == ["GET /app/hec-api/v1.0/sectool-exceptions/avanan_url/exceptions/block-url"],
                "\(reads)")
        let body = try JSONValue.parse(Array((reads.first?["body"]?.stringValue ?? "").utf8))
        #expect(body["requestData"]?["filterStr"]?.stringValue == value)
        #expect(body["requestData"]?["filterIndex"] == "exception_str")

        let unknown = try await mcp.write("delete_exception", add)
        #expect(unknown.status == "nothing_to_do", "deleting an absent entry has nothing to do: \(unknown.text)")
        #expect(unknown.token == nil)
    }
}
