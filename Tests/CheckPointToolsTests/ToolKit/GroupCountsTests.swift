import MCPCore
import Testing

@testable import CheckPointTools

/// Counts per group, largest first, capped, values fenced.
@Suite("GroupCounts")
struct GroupCountsTests {
    @Test("groups largest first, ties by value, missing values as (none)")
    func order() {
        var c = GroupCounts(groupBy: "type")
        for k in ["phishing", "malware", "phishing", nil, "dlp", "malware", "phishing"] { c.add(k) }
        #expect(c.counted == 7)
        #expect(c.sorted.map(\.value) == ["phishing", "malware", "(none)", "dlp"])
        #expect(c.line(noun: "events", total: 7) == "7 events grouped by type: «phishing» 3, «malware» 2, «(none)» 1, «dlp» 1")
        #expect(c.fields(total: 7)["count"] == 7)
        #expect(c.fields(total: 7)["groups"]?.arrayValue?.first?["count"] == 3)
    }

    @Test("beyond 50 groups the rest is one (other) entry with their sum")
    func cap() {
        var c = GroupCounts(groupBy: "sender_domain")
        for i in 0..<60 { c.add("d\(i).example") }
        #expect(c.sorted.count == 51)
        #expect(c.sorted.last?.value == "(other)" && c.sorted.last?.count == 10)
    }

    @Test("count_only counts without groups")
    func bare() {
        var c = GroupCounts(groupBy: nil)
        c.add("x")
        #expect(c.groups.isEmpty && c.counted == 1)
        #expect(c.line(noun: "emails", total: 212) == "212 emails")
    }
}
