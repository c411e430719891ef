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

    @Test("only exceptions are listed: succeeded tasks are counted, running and failed ones shown")
    func exceptionsOnly() throws {
        let failed = try JSONDecoder().decode(HECTask.self, from: Data(#"{"id": "3", "status": "completed", "total": 2, "succeed": 1, "failed": 1}"#.utf8))
        let r = GetTaskStatus.render(ids: ["1", "2", "3"], tasks: ["1": try task("1", "completed"), "2": try task("2", "in_progress"), "3": failed],
                                     waited: 0, demo: false)
        #expect(r.structuredContent?["tasks"]?.arrayValue?.compactMap { $0["task_id"]?.stringValue } == ["2", "3"])
        #expect(r.structuredContent?["counts"] == ["succeeded": 1, "with_failures": 1, "running": 1, "not_found": 0])
        #expect(text(r).contains("1 succeeded, 1 with failures, 1 running."), "\(text(r))")
        #expect(!text(r).contains("1. 1 |"), "\(text(r))")
    }

    @Test("a wait cut short by the promise says the status is from the poll before")
    func cutShort() throws {
        let r = GetTaskStatus.render(ids: ["1"], tasks: ["1": try task("1", "in_progress")], waited: 2, cutShort: true, demo: false)
        #expect(r.structuredContent?["all_done"] == false)
        #expect(text(r).contains("did not finish within wait_seconds"))
    }
}
