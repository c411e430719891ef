import CheckPointAPI
import Foundation
import MCPCore
import Testing

@testable import CheckPointTools

/// `search_entities`' detection, direction, sender and free-operator arguments → `/search/query` requestData.
@Suite("search_entities filters → requestData")
struct SearchEntityFiltersTests {
    static func data(_ args: JSONObject) throws -> [String: WireJSON] {
        var q = EntityQuery(start: Date(timeIntervalSince1970: 0), end: Date(timeIntervalSince1970: 60))
        try SearchEntityFilters.apply(JSONArguments(args), to: &q)
        guard case .object(let o) = q.requestData() else { return [:] }
        return o
    }

    static func conditions(_ d: [String: WireJSON]) -> [[String: WireJSON]] {
        guard case .array(let items)? = d["entityExtendedFilter"] else { return [] }
        return items.compactMap { if case .object(let o) = $0 { return o } else { return nil } }
    }

    @Test("detections and quarantine origin go to entityDetectionResolutionFilter, ORed as XSOAR does")
    func detections() throws {
        let d = try Self.data(["cp_detections": ["cp_leak", "CP_MALICIOUS_URL_CLICK"], "ms_detections": ["ms_phishing"],
                               "cp_quarantine": "cp_quarantined_by_admin", "ms_quarantine": "ms_delivered_junk"])
        guard case .object(let f)? = d["entityDetectionResolutionFilter"] else { Issue.record("no detection filter"); return }
        #expect(f["cpDetection"] == .array([.string("cp_leak"), .string("cp_malicious_url_click")]))
        #expect(f["msDetection"] == .array([.string("ms_phishing")]))
        #expect(f["detectionOp"] == .string("OR"))
        #expect(f["cpQuarantinedState"] == .string("cp_quarantined_by_admin"))
        #expect(f["msQuarantinedState"] == .string("ms_delivered_junk"))
        #expect(try Self.data([:])["entityDetectionResolutionFilter"] == nil)
        guard case .object(let and)? = try Self.data(["cp_detections": ["cp_clean"], "ms_detections": ["ms_phishing"], "detection_op": "AND"])["entityDetectionResolutionFilter"]
        else { Issue.record("no detection filter"); return }
        #expect(and["detectionOp"] == .string("AND"))
    }

    @Test("direction, sender name and IPs, and conditions with negation become extended filters")
    func extended() throws {
        let c = Self.conditions(try Self.data([
            "direction": "outgoing", "sender_name": "Help", "sender_ip": "192.0.2.1", "sender_client_ip": "10.0.0.1",
            "conditions": [["field": "subject", "op": "contains", "value": "invoice"], ["field": "sender_domain", "op": "isnot", "value": "@acme.example"],
                           ["field": "link", "op": "startsWith", "value": "http://"]],
        ]))
        let triples = c.map { [$0["saasAttrName"], $0["saasAttrOp"], $0["saasAttrValue"]].map { v -> String in if case .string(let s)? = v { return s } else { return "?" } } }
        #expect(triples.contains(["entityPayload.isOutgoing", "is", "true"]))
        #expect(triples.contains(["entityPayload.fromName", "contains", "Help"]))
        #expect(triples.contains(["entityPayload.senderServerIp", "is", "192.0.2.1"]))
        #expect(triples.contains(["entityPayload.senderClientIp", "is", "10.0.0.1"]))
        #expect(triples.contains(["entityPayload.subject", "contains", "invoice"]))
        #expect(triples.contains(["entityPayload.fromDomain", "isNot", "acme.example"]))
        #expect(triples.contains(["entityPayload.emailLinks", "startsWith", "http://"]))
    }

    @Test("a wrong field or operator names the condition")
    func errors() {
        #expect(throws: ToolInputError.self) { try Self.data(["conditions": [["field": "body", "op": "is", "value": "x"]]]) }
        #expect(throws: ToolInputError.self) { try Self.data(["conditions": [["field": "subject", "op": "matches", "value": "x"]]]) }
        #expect(throws: ToolInputError.self) { try Self.data(["cp_detections": ["cp_nope"]]) }
    }
}
