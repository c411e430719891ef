import Foundation
import MCPCore
import Testing

@testable import CheckPointAPI
@testable import CheckPointTools

@Suite("Completeness")
struct CompletenessTests {
    @Test("an incomplete result says why, how many and how to continue")
    func incomplete() {
        let c = Completeness.incomplete(.limit, cursor: "abc", how: "call again with cursor", total: 10_000)
        #expect(c.fields["complete"] == false)
        #expect(c.fields["incomplete_reason"] == "limit")
        #expect(c.fields["next_cursor"] == "abc")
        #expect(c.text.contains("INCOMPLETE (limit), 10000+ match"))
        #expect(c.text.contains("next_cursor: abc"))
        #expect(Completeness.completeResult().fields["next_cursor"] == .null)
    }

    @Test("a complete result has one plain line and no reason, cursor or advice")
    func complete() {
        let c = Completeness.completeResult(total: 12)
        #expect(c.text == "Complete: all matching records are shown.")
        #expect(c.fields == ["complete": true, "next_cursor": .null, "total_matching": 12])
    }

    @Test("below the API cap the total is exact; a deadline stop without a cursor shows no cursor line")
    func exactTotal() {
        let c = Completeness.incomplete(.deadline, cursor: nil, how: "narrow the window", total: 9_999)
        #expect(c.text == "INCOMPLETE (deadline), 9999 match in total: narrow the window")
        #expect(c.fields["incomplete_reason"] == "deadline")
    }
}
