import MCPCore
import Testing

@testable import CheckPointTools

@Suite("EntityActionExecution")
struct EntityActionExecutionTests {
    static func items(submitted: Int, already: Int, failed: Int = 0, unknown: Int = 0) -> [AuditItem] {
        (0..<submitted).map { AuditItem(id: "s\($0)", status: "submitted", taskID: "t\($0 / 2)") }
            + (0..<already).map { AuditItem(id: "q\($0)", status: "already_quarantined", detail: "already quarantined") }
            + (0..<failed).map { AuditItem(id: "f\($0)", status: "failed", detail: "HTTP 400") }
            + (0..<unknown).map { AuditItem(id: "u\($0)", status: "unknown", detail: "outcome unknown") }
    }

    @Test("up to 20 ids: every id is listed")
    func small() {
        let all = Self.items(submitted: 12, already: 8)
        #expect(EntityActionExecution.listedItems(all) == all)
    }

    @Test("above 20 ids: every failed and unknown id, 5 examples of each routine status")
    func large() {
        let all = Self.items(submitted: 106, already: 154, failed: 7, unknown: 30)
        let listed = EntityActionExecution.listedItems(all)
        #expect(listed.filter { $0.status == "failed" }.count == 7)
        #expect(listed.filter { $0.status == "unknown" }.count == 30)
        #expect(listed.filter { $0.status == "submitted" }.map(\.id) == ["s0", "s1", "s2", "s3", "s4"])
        #expect(listed.filter { $0.status == "already_quarantined" }.count == 5)
        #expect(listed.count == 47)
    }
}
