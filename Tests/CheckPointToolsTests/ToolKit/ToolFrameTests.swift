@testable import CheckPointAPI
import Foundation
import MCPCore
import Testing

@testable import CheckPointTools

/// A `ToolContext` that keeps the log lines and progress messages it is sent, to show the frame routes the
/// client's lines to the call and what a tool reports while it works.
final class RecordingContext: ToolContext, @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [(LogLevel, String, JSONValue)] = []
    private var messages: [String] = []
    var requestID: RequestID { .int(1) }
    var clientCapabilities: JSONValue { [:] }
    func progress(_ progress: Double, total: Double?, message: String?) async {
        lock.withLock { messages.append(message ?? "\(progress)") }
    }
    /// The progress messages, in order.
    var progressed: [String] { lock.withLock { messages } }
    func log(_ level: LogLevel, logger: String, _ data: JSONValue) async {
        lock.withLock { lines.append((level, logger, data)) }
    }
    var logged: [(LogLevel, String, JSONValue)] { lock.withLock { lines } }
}

/// What a handler saw of the frame: the deadline it ran under and the environment's tool name.
struct Seen: Sendable {
    var deadline: ContinuousClock.Instant?
    var tool: String
}

actor SeenBox {
    var value: Seen?
    func set(_ s: Seen) { value = s }
}

/// The frame every tool call runs in (`ToolFrame.run`, applied by `ToolSpec.tool(in:)`).
@Suite("ToolFrame: deadline, tool name, log routing, errors, cancellation")
struct ToolFrameTests {
    /// On a clock of its own that stands still, so a deadline is read exactly.
    static func env(callDeadline: Duration = .seconds(7), time: ManualTime = ManualTime()) -> ToolEnvironment {
        var configuration = Configuration(gatewayURL: nil)
        configuration.callDeadline = callDeadline
        return ToolEnvironment(client: CheckPointClient(configuration: configuration, transport: makeTransport(maxConnections: 1),
                                                        logger: nil, time: time))
    }

    static func spec(
        name: String = "probe_tool", readOnly: Bool = true, deadline: DeadlinePolicy? = nil,
        subject: (@Sendable (JSONArguments) -> String?)? = nil, _ handler: @escaping ToolSpec.Handler
    ) -> ToolSpec {
        ToolSpec(
            toolset: .email,
            definition: ToolDefinition(
                name: name, title: "Probe", description: "A tool for frame tests.", inputSchema: Schema.object([:]),
                outputSchema: ["type": "object"],
                annotations: ToolAnnotations(readOnly: readOnly, destructive: !readOnly, idempotent: true, openWorld: true)),
            deadline: deadline, subject: subject, handler: handler)
    }

    /// Calls `spec` through the frame and returns what its handler saw, with the clock readings around the call
    /// (the same instant on the standing clock of `env()`).
    static func observe(_ spec: ToolSpec, _ args: JSONObject = [:], env: ToolEnvironment = env())
        async throws -> (seen: Seen, before: ContinuousClock.Instant, after: ContinuousClock.Instant)
    {
        let box = SeenBox()
        var probe = spec
        probe.handler = { _, env, _ in
            await box.set(Seen(deadline: CallDeadline.current, tool: env.tool))
            return .success(text: "ok", structured: [:])
        }
        let before = env.client.time.now
        _ = try await ToolFrame.run(probe, args, env, RecordingContext())
        let after = env.client.time.now
        return (try #require(await box.value), before, after)
    }

    /// The deadline the handler ran under, as an offset from the call's start, bounded by the clock
    /// readings around the call: `offset` is exact when the call took no time.
    static func expectDeadline(_ spec: ToolSpec, _ args: JSONObject = [:], offset: Duration) async throws {
        let (seen, before, after) = try await observe(spec, args)
        let deadline = try #require(seen.deadline, "the frame sets CallDeadline.current")
        #expect(before == after, "the clock stood still")
        #expect(deadline == before + offset, "deadline \(deadline - before) after the start, expected \(offset)")
    }

    @Test("a read runs under CHECKPOINT_CALL_DEADLINE as configured (7 s here)")
    func configured() async throws {
        try await Self.expectDeadline(Self.spec { _, _, _ in .success(text: "", structured: [:]) }, offset: .seconds(7))
    }

    @Test("a walk adds 3 s per 100-row page after the first: limit 1000 → +27 s, 50 → +0 s, 10000 → +297 s")
    func walk() async throws {
        let spec = Self.spec(deadline: .walk) { _, _, _ in .success(text: "", structured: [:]) }
        try await Self.expectDeadline(spec, ["limit": 1000], offset: .seconds(34))
        try await Self.expectDeadline(spec, ["limit": 50], offset: .seconds(7))
        try await Self.expectDeadline(spec, [:], offset: .seconds(7))
        try await Self.expectDeadline(spec, ["limit": 10_000], offset: .seconds(304))
    }

    @Test("a write adds 3 s per batch of 100 ids after the first (250 ids: 3 batches, +6 s); one id: as configured")
    func write() async throws {
        let spec = Self.spec(readOnly: false) { _, _, _ in .success(text: "", structured: [:]) }
        #expect(spec.isWrite)
        let ids = JSONValue.array((0..<250).map { .string("id\($0)") })
        try await Self.expectDeadline(spec, ["entity_ids": ids], offset: .seconds(13))
        try await Self.expectDeadline(spec, ["entity_ids": ["a"]], offset: .seconds(7))
        try await Self.expectDeadline(spec, ["name": "Dana"], offset: .seconds(7))
    }

    @Test("an outer, earlier deadline wins over the tool's own")
    func outerDeadlineWins() async throws {
        let outer = ContinuousClock.now + .seconds(1)
        let (seen, _, _) = try await CallDeadline.$current.withValue(outer) {
            try await Self.observe(Self.spec { _, _, _ in .success(text: "", structured: [:]) })
        }
        #expect(seen.deadline == outer)
    }

    @Test("the handler's environment names the tool being called")
    func toolName() async throws {
        let (seen, _, _) = try await Self.observe(Self.spec(name: "list_scopes") { _, _, _ in .success(text: "", structured: [:]) })
        #expect(seen.tool == "list_scopes")
    }

    @Test("the client's log lines during the call go to the call's context")
    func logRouting() async throws {
        let context = RecordingContext()
        let spec = Self.spec { _, _, _ in
            await CallLog.sink?.send(LogEvent(.warning, "POST /search/query: retry 1 of 3 after HTTP 503"))
            return .success(text: "", structured: [:])
        }
        _ = try await ToolFrame.run(spec, [:], Self.env(), context)
        let lines = context.logged
        #expect(lines.count == 1)
        #expect(lines.first?.0 == .warning)
        #expect(lines.first?.1 == ClientLog.logger)
        #expect(lines.first?.2 == "POST /search/query: retry 1 of 3 after HTTP 503")
    }

    @Test("a thrown error becomes an isError result naming the subject from the arguments")
    func errorRendering() async throws {
        let spec = Self.spec(subject: { a in ((try? a.string("entity_id")) ?? nil).map { "entity \($0)" } }) { _, _, _ in
            throw CheckPointError(.notFound, "no such entity", service: .hec, endpoint: "GET /search/entity/abc", httpStatus: 404)
        }
        let r = try await ToolFrame.run(spec, ["entity_id": "abc"], Self.env(), RecordingContext())
        #expect(r.isError)
        let text = r.content.first?["text"]?.stringValue ?? ""
        #expect(text.hasPrefix("Not found: entity abc (GET /search/entity/abc, HTTP 404)."), "\(text)")
        #expect(r.structuredContent?["error"]?["kind"] == "notFound")
        #expect(r.structuredContent?["error"]?["deadline_seconds"] == nil, "the deadline was not reached")
    }

    @Test("an error after the deadline ran out says so, with the figure")
    func deadlineReached() async throws {
        let spec = Self.spec { _, _, _ in
            throw CheckPointError(.timeout, "the call's deadline ran out before the request could be sent", service: .mobile)
        }
        // An outer deadline already in the past: the frame's deadline is spent before the handler starts.
        let time = ManualTime()
        let r = try await CallDeadline.$current.withValue(time.now - .seconds(1)) {
            try await ToolFrame.run(spec, [:], Self.env(callDeadline: .milliseconds(2500), time: time), RecordingContext())
        }
        #expect(r.isError)
        let text = r.content.first?["text"]?.stringValue ?? ""
        #expect(text.contains("The call stopped at its deadline of 2.5 s (CHECKPOINT_CALL_DEADLINE"), "\(text)")
        #expect(r.structuredContent?["error"]?["kind"] == "timeout")
        #expect(r.structuredContent?["error"]?["deadline_seconds"] == 2.5)
    }

    @Test("cancellation stays silent: a cancelled CheckPointError is rethrown as CancellationError")
    func cancellation() async {
        let spec = Self.spec { _, _, _ in throw CheckPointError(.cancelled, "the call was cancelled", service: .hec) }
        await #expect(throws: CancellationError.self) {
            _ = try await ToolFrame.run(spec, [:], Self.env(), RecordingContext())
        }
    }

    @Test("Harmony Mobile errors get the Mobile key's next step from the one renderer")
    func mobileHint() async throws {
        let spec = Self.spec { _, _, _ in
            throw CheckPointError(.permission, "forbidden", service: .mobile, endpoint: "GET /external_api/v1/device_status/", httpStatus: 403)
        }
        let r = try await ToolFrame.run(spec, [:], Self.env(), RecordingContext())
        let text = r.content.first?["text"]?.stringValue ?? ""
        #expect(text.hasPrefix("Harmony Mobile refused the API key (GET /external_api/v1/device_status/, HTTP 403): forbidden."), "\(text)")
        #expect(text.contains("CHECKPOINT_MOBILE_CLIENT_ID"))
    }

    @Test("a value the handler's reader repaired is reported like the core's repairs: a Note line and `coerced`, added to the core's")
    func readerRepairsAreNoted() async throws {
        let spec = Self.spec { args, _, _ in
            let state = try JSONArguments(args).enumeration("state", ["pending", "all"])
            return .success(text: "state \(state ?? "-")", structured: ["coerced": [["argument": "limit"]]])
        }
        let r = try await ToolFrame.run(spec, ["state": "PENDING"], Self.env(), RecordingContext())
        #expect(r.content.first?["text"]?.stringValue == "state pending\nNote: took \"PENDING\" for `state` as \"pending\".")
        #expect(r.structuredContent?["coerced"]?.arrayValue?.count == 2)
        #expect(r.structuredContent?["coerced"]?[1]?["argument"] == "state")
        let exact = try await ToolFrame.run(spec, ["state": "pending"], Self.env(), RecordingContext())
        #expect(exact.content.first?["text"]?.stringValue == "state pending")
    }
}

/// `CHECKPOINT_CALL_DEADLINE` holds for every tool in the catalog, in process and without waiting: with the
/// configured deadline at zero, each tool called with the example from its own description must stop before
/// any request leaves for Check Point and say it hit the deadline; local tools (`openWorldHint: false`) must
/// simply answer. Before the frame, 20 of 28 tools ignored the setting (a fixed 60 s) and ran to success,
/// which this fails: they would send requests and answer. The catalog is `Toolbox.allSpecs`, so a new tool is
/// covered without editing this test. (End to end, `CallDeadlineTests` shows the server reads the variable.)
@Suite("Every tool honours CHECKPOINT_CALL_DEADLINE")
struct EveryToolDeadlineTests {
    /// The JSON object after "Example: " in a tool's description, without what lengthens a call's deadline by
    /// design (`wait_seconds` of `get_task_status`; `limit`, `count_only` and `group_by` of the walk tools:
    /// `DeadlinePolicy.walk`), so every tool's deadline here is exactly the configured one.
    static func arguments(_ spec: ToolSpec) throws -> JSONObject {
        let description = spec.definition.description
        let range = try #require(description.range(of: "Example: {"), "\(spec.name) has no example")
        var depth = 0
        var end = range.upperBound
        for index in description[description.index(before: range.upperBound)...].indices {
            if description[index] == "{" { depth += 1 }
            if description[index] == "}" { depth -= 1 }
            if depth == 0 { end = description.index(after: index); break }
        }
        var object = try JSONValue.parse(string: String(description[description.index(before: range.upperBound)..<end])).objectValue ?? [:]
        for key in ["wait_seconds", "limit", "count_only", "group_by"] { object[key] = nil }
        return object
    }

    @Test("each tool that reaches Check Point stops at a zero deadline, sends nothing and says so; local tools answer",
          arguments: Toolbox.allSpecs.map(\.name))
    func everyTool(_ name: String) async throws {
        let spec = try #require(Toolbox.allSpecs.first { $0.name == name })
        let tenant = try InProcessTenant { $0.callDeadline = .zero }
        let args = try Self.arguments(spec)
        #expect(spec.deadline.duration(configured: .zero, JSONArguments(args)) == .zero, "\(name): its deadline is the configured one")
        let r = try await tenant.call(spec, args)
        if !spec.definition.annotations.openWorldHint {
            #expect(!r.isError, "\(name) is local and must answer: \(r.text)")
            return
        }
        #expect(tenant.gateway.sent.isEmpty, "\(name) sent requests past its deadline: \(tenant.gateway.sent)")
        #expect(r.text.lowercased().contains("deadline"), "\(name) must say it hit the deadline: \(r.text)")
        #expect(r.structured?["status"] != "executed", "\(name) must not act")
        if r.isError {
            #expect(r.structured?["error"]?["kind"] == "timeout", "\(name): \(r.text)")
            #expect(r.structured?["error"]?["deadline_seconds"] == .double(0), "\(name): \(r.structured.map { "\($0)" } ?? r.text)")
        }
    }
}
