import Testing

@testable import MCPCore

@Suite("elicitation: capability reading and answers")
struct ElicitationTests {
    @Test("form elicitation is offered for {form}, for {} (2025-06-18), not for url-only or none", arguments: [
        (["elicitation": ["form": [:], "url": [:]]] as JSONValue, true), (["elicitation": [:]], true),
        (["elicitation": ["url": [:]]], false), ([:], false), (["elicitation": true], false),
    ] as [(JSONValue, Bool)])
    func offered(capabilities: JSONValue, expected: Bool) {
        #expect((ElicitationChannel.offered(by: capabilities, version: ProtocolVersion.v2025_06_18, modern: false) != nil) == expected)
        #expect((ElicitationChannel.offered(by: capabilities, version: nil, modern: true) == .inputRequired) == expected)
    }

    @Test("an ElicitResult reads as its outcome")
    func outcomes() {
        #expect(ElicitationOutcome.from(result: ["action": "accept", "content": ["confirm": true]]) == .accepted(["confirm": true]))
        #expect(ElicitationOutcome.from(result: ["action": "accept"]) == .accepted([:]))
        #expect(ElicitationOutcome.from(result: ["action": "decline"]) == .declined)
        #expect(ElicitationOutcome.from(result: ["action": "cancel"]) == .cancelled)
        #expect(ElicitationOutcome.from(result: [:]) == .failed("the client's answer is not an elicitation result (action: no action)"))
    }

    @Test("mode is sent from 2025-11-25 on, never before")
    func mode() {
        #expect(AskingTools.question.params(withMode: true)["mode"] == "form")
        #expect(AskingTools.question.params(withMode: false)["mode"] == nil)
    }
}
