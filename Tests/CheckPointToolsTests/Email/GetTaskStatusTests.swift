import CheckPointSimulator
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

/// `get_task_status` waiting for real tasks of the in-process simulator, on the tenant's one clock: the tool's
/// pauses between polls move it, the simulator's tasks complete by it, so the test sees the poll schedule
/// (2 s pauses, then 5 s) and the `wait_seconds` promise exactly, without waiting.
@Suite("get_task_status waits (in process)")
struct GetTaskStatusWaitTests {
    static let taskRoute = "GET /app/hec-api/v1.0/task/"

    /// Quarantines `count` campaign emails in a tenant whose tasks stay pending `delay` seconds; their task ids.
    func tasks(_ count: Int, delay: Double) async throws -> (InProcessTenant, [String]) {
        var options = SimulatorOptions()
        options.taskCompletionDelay = delay
        let tenant = try InProcessTenant(options, confirm: .never)
        let ids = try await EmailFixtures.campaign(tenant, count)
        let done = try await tenant.call(EntityActionTools.quarantine, ["entity_ids": .array(ids.map(JSONValue.string))])
        let taskIDs = done.structured?["task_ids"]?.arrayValue?.compactMap(\.stringValue) ?? []
        try #require(!taskIDs.isEmpty, "\(done.text)")
        return (tenant, taskIDs)
    }

    @Test("follows the tasks until they are done: a poll at once, then every 2 s; done after the simulator's 3 s")
    func untilDone() async throws {
        let (tenant, taskIDs) = try await tasks(3, delay: 3)
        let context = RecordingContext()
        let start = tenant.time.now
        let r = try await tenant.call(GetTaskStatus.spec, ["task_ids": .array(taskIDs.map(JSONValue.string)), "wait_seconds": 20], context: context)
        #expect(!r.isError, "\(r.text)")
        #expect(r.structured?["all_done"] == true, "\(r.text)")
        #expect(r.structured?["counts"]?["succeeded"]?.intValue == Int64(taskIDs.count))
        // Polls at 0 s (pending), 2 s (pending), 4 s (done): the wait ended with the tasks, not at 20 s.
        #expect(tenant.time.now - start == .seconds(4))
        #expect(tenant.gateway.sent(Self.taskRoute).count == 3 * taskIDs.count)
        #expect(context.progressed == Array(repeating: "0 of \(taskIDs.count) tasks done", count: 2) + ["\(taskIDs.count) of \(taskIDs.count) tasks done"])
    }

    @Test("wait_seconds is a promise: tasks still pending at the end are reported running after exactly the wait")
    func waitRunsOut() async throws {
        let (tenant, taskIDs) = try await tasks(1, delay: 600)
        let start = tenant.time.now
        let r = try await tenant.call(GetTaskStatus.spec, ["task_ids": .array(taskIDs.map(JSONValue.string)), "wait_seconds": 15])
        #expect(!r.isError, "\(r.text)")
        #expect(r.structured?["all_done"] == false)
        #expect(r.structured?["counts"]?["running"] == 1)
        // Pauses of 2, 2, 2, 2, 2 s, then 5 s cut to the 3 s left: polls at 0, 2, 4, 6, 8, 10 and 15 s.
        #expect(tenant.time.now - start == .seconds(15))
        #expect(tenant.gateway.sent(Self.taskRoute).count == 7)
    }

    @Test("without wait_seconds: one poll, no pause")
    func noWait() async throws {
        let (tenant, taskIDs) = try await tasks(1, delay: 600)
        let start = tenant.time.now
        let r = try await tenant.call(GetTaskStatus.spec, ["task_ids": .array(taskIDs.map(JSONValue.string))])
        #expect(r.structured?["all_done"] == false)
        #expect(tenant.time.now == start)
        #expect(tenant.gateway.sent(Self.taskRoute).count == 1)
    }
}
