import Foundation
import MCPCore
import Testing

@testable import CheckPointAPI
@testable import CheckPointTools

/// `get_task_status` rendering: an id that is not found is never "done".
@Suite("GetTaskStatus")
struct GetTaskStatusTests {
    func task(_ id: String, _ status: String) throws -> HECTask {
        try JSONDecoder().decode(HECTask.self, from: Data(#"{"id": "\#(id)", "status": "\#(status)", "total": 1, "succeed": 1, "failed": 0}"#.utf8))
    }

    func text(_ r: ToolResult) -> String { r.content.first?["text"]?.stringValue ?? "" }

    @Test("every id found and done: all_done")
    func allDone() throws {
        let r = GetTaskStatus.render(ids: ["1"], tasks: ["1": try task("1", "completed")], waited: 0, demo: false)
        #expect(!r.isError)
        #expect(r.structuredContent?["all_done"] == true)
        #expect(text(r).hasPrefix("1 of 1 task(s) found; all done."))
    }

    @Test("one id not found beside a done one: all_done false, NOT FOUND in the summary and in not_found")
    func someNotFound() throws {
        let r = GetTaskStatus.render(ids: ["1", "999"], tasks: ["1": try task("1", "completed"), "999": Optional<HECTask>.none], waited: 0, demo: false)
        #expect(!r.isError)
        #expect(r.structuredContent?["all_done"] == false)
        #expect(r.structuredContent?["not_found"] == ["999"])
        #expect(text(r).hasPrefix("1 of 2 task(s) found; the found ones are done; NOT FOUND: «999»."), "\(text(r))")
    }

    @Test("no id found: an error that says not found, and structured all_done false")
    func noneFound() {
        let r = GetTaskStatus.render(ids: ["999"], tasks: ["999": Optional<HECTask>.none], waited: 0, demo: false)
        #expect(r.isError)
        #expect(text(r).lowercased().contains("not found"), "\(text(r))")
        #expect(r.structuredContent?["all_done"] == false)
    }

    @Test("a wait cut short by the promise says the status is from the poll before")
    func cutShort() throws {
        let r = GetTaskStatus.render(ids: ["1"], tasks: ["1": try task("1", "in_progress")], waited: 2, cutShort: true, demo: false)
        #expect(r.structuredContent?["all_done"] == false)
        #expect(text(r).contains("did not finish within wait_seconds"))
    }
}
