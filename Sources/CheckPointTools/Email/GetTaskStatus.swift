import CheckPointAPI
import Foundation
import MCPCore

/// `get_task_status`: the status of the task(s) an action returned, optionally waiting until done.
/// - SeeAlso: checkpoint-api.md "HEC endpoints" (`GET /task/{taskId}`, `?scope=` for MSP keys).
enum GetTaskStatus {
    static let name = "get_task_status"
    static let maxWait = 120

    static let spec = ToolSpec(
        toolset: .email,
        definition: ToolDefinition(
            name: name, title: "Get task status",
            description: "Whether the tasks of a quarantine/restore/dismiss have finished; can wait up to wait_seconds (max \(maxWait)). Example: {\"task_ids\": [\"1691529376887109\"], \"wait_seconds\": 30}",
            inputSchema: Schema.object([
                "task_ids": Schema.array(Schema.string(),
                                         minItems: 1, maxItems: 100, unique: true),
                "scope": EmailArgs.scope,
                "wait_seconds": Schema.integer("Wait until all are done.", minimum: 0, maximum: maxWait, default: 0),
            ], required: ["task_ids"]),
            outputSchema: OutputSchema.object(required: ["tasks", "all_done", "complete"], collections: [
                ("tasks", OutputSchema.array(OutputSchema.row(["task_id", "found", "done"]))),
            ]),
            annotations: EmailArgs.readAnnotations),
        deadline: .configuredPlus { args in .seconds(wait(args)) },
        handler: { args, env, context in
            let a = JSONArguments(args)
            return try await run(a, wait: wait(a), env, context)
        })

    /// `wait_seconds`, clamped to 0…`maxWait`; the call's deadline grows by it.
    static func wait(_ a: JSONArguments) -> Int { min(maxWait, max(0, ((try? a.int("wait_seconds")) ?? nil) ?? 0)) }

    static func run(_ a: JSONArguments, wait: Int, _ env: ToolEnvironment, _ context: any ToolContext) async throws -> ToolResult {
        guard let ids = try a.strings("task_ids"), !ids.isEmpty else {
            throw ToolInputError(field: "task_ids", "needs at least one task id", hint: "pass the task ids an action tool returned")
        }
        let scope = try a.string("scope")
        let clock = env.client.time
        let started = clock.now
        let until = started.advanced(by: .seconds(wait))
        // `wait_seconds` is a promise: a poll starts only before `until`, and the polls after the first run under a
        // deadline of `until` + one request's time, so the call ends at most one request after the wait (a poll cut
        // by it keeps the status read before). The ids of a round are read concurrently (the client's limit applies).
        let late = until + env.client.configuration.requestTimeout
        var tasks: [String: HECTask?] = [:]
        var polls = 0
        var cutShort = false
        while true {
            try Task.checkCancellation()
            let due = ids.filter { !(tasks[$0].flatMap { $0?.isDone } ?? false) }
            let round = { @Sendable () async throws -> [(String, HECTask?)] in
                var read: [(String, HECTask?)] = []
                try await WriteTargets.forEach(due) { id in (id, try await env.hec.task(id, scope: scope)) } each: { read.append($0) }
                return read
            }
            do {
                let read = polls == 0 ? try await round() : try await CallDeadline.$current.withValue(min(CallDeadline.current ?? late, late)) { try await round() }
                for (id, task) in read { tasks[id] = task }
            } catch let e as CheckPointError where polls > 0 && (e.kind == .timeout || e.kind == .rateLimited) {
                cutShort = true
                break
            }
            polls += 1
            let pending = ids.filter { !(tasks[$0].flatMap { $0?.isDone } ?? false) && tasks[$0] != .some(nil) }
            let done = ids.count - pending.count
            await context.progress(Double(done), total: Double(ids.count), message: "\(done) of \(ids.count) tasks done")
            if pending.isEmpty || clock.now >= until { break }
            // Poll every 2 s at first, then 5 s: tasks usually finish in seconds.
            let pause: Duration = polls < 5 ? .seconds(2) : .seconds(5)
            let left = until - clock.now
            try await clock.sleep(for: min(pause, left))
        }
        let elapsed = (clock.now - started).components
        let waited = Double(elapsed.seconds) + Double(elapsed.attoseconds) / 1e18
        return render(ids: ids, tasks: tasks, waited: wait > 0 ? (waited * 10).rounded() / 10 : 0, cutShort: cutShort, demo: env.demo)
    }

    /// Only the exceptions are listed (running, with failures, not found); a task that finished with every
    /// sub-action succeeded is counted, not shown: 100 finished tasks were 37.6 KB of rows (6.2 KB text, 31.4 KB
    /// structured) that said "completed" 100 times.
    static func render(ids: [String], tasks: [String: HECTask?], waited: Double, cutShort: Bool = false, demo: Bool) -> ToolResult {
        var rows: [JSONValue] = []
        var lines: [[String]] = []
        var notFound: [String] = []
        var counts: [String: Int] = ["succeeded": 0, "with_failures": 0, "running": 0, "not_found": 0]
        for id in ids {
            if let t = tasks[id] ?? nil {
                let failed = (t.failed ?? 0) > 0 || t.actions.contains { ($0.status ?? "").lowercased().contains("fail") }
                let outcome = !t.isDone ? "running" : failed ? "with_failures" : "succeeded"
                counts[outcome, default: 0] += 1
                if outcome == "succeeded" { continue }
            }
            guard let t = tasks[id] ?? nil else {
                counts["not_found", default: 0] += 1
                notFound.append(id)
                rows.append(["task_id": .string(id), "found": false, "status": .null, "done": false, "actions": []])
                lines.append([UntrustedText.quote(id, maxLength: 100), "NOT FOUND (check the id and, for MSP keys, `scope`)"])
                continue
            }
            rows.append([
                "task_id": .string(id), "found": true, "status": .orNull(t.status), "done": .bool(t.isDone),
                "total": .orNull(t.total), "succeeded": .orNull(t.succeed), "failed": .orNull(t.failed), "name": .orNull(t.name),
                "updated": .orNull(t.updated.map(CheckPointDate.isoSeconds)),
                "actions": .array(t.actions.map { ["name": .orNull($0.name), "status": .orNull($0.status), "message": .orNull($0.message)] }),
            ])
            var line = [id, (t.status.map { UntrustedText.quote($0, maxLength: 30) } ?? "unknown") + (t.isDone ? " (done)" : " (not done)")]
            if let total = t.total { line.append("\(t.succeed ?? 0)/\(total) succeeded" + ((t.failed ?? 0) > 0 ? ", \(t.failed!) failed" : "")) }
            let failures = t.actions.filter { ($0.status ?? "").lowercased().contains("fail") }
            for f in failures.prefix(3) { line.append("failed: " + UntrustedText.quote(f.message ?? f.name, maxLength: 120)) }
            lines.append(line)
        }
        let known = ids.filter { !notFound.contains($0) }
        let knownDone = known.allSatisfy { (tasks[$0] ?? nil)?.isDone ?? false }
        // Not found is not done: `all_done` is true only when every id was found and has finished.
        let allDone = notFound.isEmpty && knownDone
        var summary = "\(known.count) of \(ids.count) task(s) found"
        if !known.isEmpty { summary += knownDone ? (notFound.isEmpty ? "; all done" : "; the found ones are done") : "; some still running" }
        if !notFound.isEmpty { summary += "; NOT FOUND: " + UntrustedText.quoteList(notFound, maxItems: 5, maxLength: 100) }
        if waited > 0 { summary += " after waiting \(Int(waited.rounded())) s" }
        summary += ". \(counts["succeeded"]!) succeeded, \(counts["with_failures"]!) with failures, \(counts["running"]!) running"
        var report = TextReport(summary + ".", demo: demo)
        if !lines.isEmpty { report.line("Listed: only the tasks not finished, with failures or not found.") }
        report.rows(lines)
        if cutShort { report.line("The last poll did not finish within wait_seconds; the status above is from the poll before.") }
        if !knownDone { report.line("Call again with wait_seconds (up to \(maxWait)) to wait for completion.") }
        let structured: JSONValue = [
            "tasks": .array(rows), "all_done": .bool(allDone), "waited_seconds": .double(waited), "complete": true,
            "not_found": .strings(notFound),
            "counts": .object(JSONObject(["succeeded", "with_failures", "running", "not_found"].map { (key: $0, value: .int(Int64(counts[$0]!))) })),
        ]
        if !notFound.isEmpty && notFound.count == ids.count {
            return .failure(ToolNotFound("task", ids: notFound, hint: "use the task ids an action returned; for MSP keys pass the same `scope`").description,
                            structured: structured)
        }
        return .success(text: report.text, structured: structured)
    }
}
