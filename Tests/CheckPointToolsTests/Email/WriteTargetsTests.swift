import Foundation
import MCPCore
import Testing

@testable import CheckPointTools

/// Ids a write preview sets aside are counted per status with a few examples; ids the caller must act on
/// are all listed.
@Suite("WriteTargets")
struct WriteTargetsTests {
    @Test("100 already quarantined: one line and 5 examples, the count exact; every not_found id listed")
    func setAside() {
        var skipped = (0..<100).map { SkippedID(id: "q\($0)", status: "already_quarantined", reason: "already quarantined") }
        skipped += (0..<7).map { SkippedID(id: "m\($0)", status: "not_found", reason: "no email or security event with this id") }
        let aside = WriteTargets.setAside(skipped)
        #expect(aside.counts["already_quarantined"] == 100)
        #expect(aside.counts["not_found"] == 7)
        #expect(aside.entries.count == 5 + 7)
        #expect(aside.lines.count == 2)
        #expect(aside.lines[0] == "- already_quarantined (100): already quarantined — q0, q1, q2, q3, q4 and 95 more")
        #expect(aside.lines[1].hasPrefix("- not_found (7): no email or security event with this id — m0, m1"))
        #expect(aside.lines[1].hasSuffix("m6"))
    }

    @Test("different reasons in one status are shown one per example")
    func reasons() {
        let skipped = [SkippedID(id: "a", status: "duplicate", reason: "same email as x"),
                       SkippedID(id: "b", status: "duplicate", reason: "same email as y")]
        let aside = WriteTargets.setAside(skipped)
        #expect(aside.lines == ["- duplicate (2):", "  - a: same email as x", "  - b: same email as y"])
    }
}
