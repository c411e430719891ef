import Foundation
import MCPCore
import Testing

/// Every fault `checkpoint-sim` offers, at tool level, through the built `checkpoint-mcp`: a transient
/// fault gives the same answer as no fault (and `/_sim/stats` shows the retry); a persistent one gives an
/// isError result with a typed `error.kind` and a text naming the endpoint and the next step, within the
/// call deadline, and the server still answers `ping`. Writes meeting an ambiguous failure are sent once
/// and reported as unknown. One simulator per suite (faults are cleared between cases); each case starts
/// its own server (cheap) so its environment and token state are its own.
/// - SeeAlso: FaultMatrix.swift (the table); docs/simulator.md "Tool-level outcome of each fault".
@Suite("Fault matrix: email tools (end to end)", .serialized)
struct FaultMatrixEmailTests {
    static func sim() async throws -> SimProcess {
        // Newest first, so the target's walk is one window with a scroll continuation to break (an
        // oldest-first gateway is walked in newest-first sub-windows instead: ResultOrderTests).
        let sim = try await SimProcess.shared("fault-matrix-email", arguments: ["--order", "newest-first"])
        try await sim.clearFaults()
        return sim
    }

    @Test("every fault kind at tool level: search_entities", arguments: FaultMatrix.all(FaultMatrix.email))
    func matrix(_ c: FaultMatrix.Case) async throws {
        try await FaultRun.run(c, on: Self.sim())
    }

    @Test("a lost answer to a scroll continuation: get_security_events (stable scroll id)", arguments: FaultMatrix.scrollCases(FaultMatrix.events))
    func eventsScroll(_ c: FaultMatrix.Case) async throws {
        try await FaultRun.run(c, on: Self.sim())
    }

    @Test("a token that expires mid-scroll: re-authenticated once, same rows as without the fault")
    func expireMidScroll() async throws {
        let sim = try await Self.sim()
        let t = FaultMatrix.email
        var args = t.arguments.objectValue ?? [:]
        args["limit"] = 300
        let mcp = try await FaultRun.server(sim, FaultMatrix.recoveryEnv)
        let clean = try await FaultRun.ok(mcp, t.tool, .object(args))
        let before = try await sim.stats()
        // Slow pages give the test time to expire the token after the first page, before the last.
        try await sim.setFault(["kind": "latency", "latency_ms": 300, "route": .string(t.route)])
        let id = JSONValue.int(mcp.nextID())
        try mcp.send([
            "jsonrpc": "2.0", "id": id, "method": "tools/call",
            "params": ["name": .string(t.tool), "arguments": .object(args), "_meta": ["progressToken": "mid-scroll"]],
        ])
        _ = try await mcp.wait(for: "the first page's progress", timeout: .seconds(30)) {
            $0["method"] == "notifications/progress" && $0["params"]?["progressToken"] == "mid-scroll"
        }
        try await sim.setFault(["kind": "expire_token"])
        let response = try await mcp.response(to: id, timeout: .seconds(60))
        try await sim.clearFaults()
        let r = try #require(response.toolResult, "\(response.wireText)")
        #expect(!r.isError, "\(r.text)")
        #expect(t.ids(r) == t.ids(clean) && t.ids(clean).count == 300)
        let after = try await sim.stats()
        #expect(FaultRun.delta(before, after, \.authCalls) == 1, "one re-authentication")
        #expect(FaultRun.delta(before, after, { $0.status("401") }) == 1, "one page was refused with 401")
    }

    @Test("a write meeting an ambiguous failure is sent once and reported unknown, never retried",
          arguments: FaultMatrix.ambiguousWriteFaults)
    func ambiguousWrite(_ fault: JSONObject) async throws {
        let sim = try await Self.sim()
        let api = EmailWriteSimAPI(sim: sim)
        let kind = fault["kind"]?.stringValue ?? "?"
        let skip = FaultMatrix.ambiguousWriteFaults.firstIndex { $0 == fault } ?? 0
        let ids = try await api.entityIDs(days: 6, limit: 1 + skip) { $0["entityPayload"]?["isQuarantined"] == false }
        let entity = try #require(ids.last)
        let mcp = try await FaultRun.server(sim, FaultMatrix.shortTimeout)
        let args: JSONObject = ["entity_ids": [.string(entity)]]
        let preview = try await mcp.write("quarantine_entities", args)
        let token = try #require(preview.token, "\(preview.text)")
        let before = try await sim.requestCount(FaultMatrix.actionRoute)
        var routed = fault
        routed["route"] = .string(FaultMatrix.actionRoute)
        try await sim.setFault(.object(routed))
        let done = try await mcp.write("quarantine_entities", args, token: token)
        try await sim.clearFaults()

        #expect(try await sim.requestCount(FaultMatrix.actionRoute) - before == 1, "\(kind): the action was sent exactly once")
        #expect(done.outcomes[entity]?["status"] == "unknown", "\(kind): \(done.text)")
        #expect(done.structured?["outcome"] == "unknown")
        #expect(done.text.contains("marked unknown may or may not have been applied: re-read with get_entity_details"), "\(done.text)")
        #expect(done.text.contains("get_entity_details"), "the text says how to re-read the state")
        // The state can be re-read, and the server still serves.
        let reread = try await FaultRun.ok(mcp, "get_entity_details", ["entity_id": .string(entity)])
        #expect(reread.structured != nil)
        #expect(!mcp.allOutput.contains(SimProcess.clientSecret))
    }

    @Test("every fault kind checkpoint-sim --help lists is in the matrix, for both tools")
    func coverage() async throws {
        let help = try MCPProcess.launch(["--help"], executable: Binaries.sim)
        #expect(try await help.waitForExit() == .exited(0))
        let line = try #require(help.stdoutLines.map(\.text).first { $0.trimmingCharacters(in: .whitespaces).hasPrefix("kinds:") },
                                "checkpoint-sim --help has no `kinds:` line")
        let kinds = line.trimmingCharacters(in: .whitespaces).dropFirst("kinds:".count)
            .split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        #expect(kinds.count >= 8, "parsed \(kinds) from \(line)")
        for target in [FaultMatrix.email, FaultMatrix.mobile] {
            let cases = FaultMatrix.all(target)
            for kind in kinds {
                #expect(cases.contains { $0.kind == kind }, "\(target.tool): no case for fault kind \(kind)")
            }
            // Each kind that can be transient must have a recovery case too.
            for kind in kinds {
                #expect(cases.contains { $0.kind == kind && $0.isRecovery } || kind == "envelope_error" && target.isMobile
                            || FaultMatrix.neverRetried.contains(kind),
                        "\(target.tool): no recovery case for \(kind)")
            }
        }
        let writes = Set(FaultMatrix.ambiguousWriteFaults.compactMap { $0["kind"]?.stringValue })
        #expect(writes.isSuperset(of: ["reset", "timeout"]))
    }
}

/// The same lost-continuation cases against a gateway that hands out a fresh scroll id per page (the
/// other documented style): a re-sent continuation there is refused as stale rather than skipping a page,
/// but the walk must not depend on that.
@Suite("Fault matrix: scroll continuations, per-page scroll ids (end to end)", .serialized)
struct FaultMatrixPerPageScrollTests {
    static func sim() async throws -> SimProcess {
        // Newest-first gateway, as the stable-scroll suite: the request counts below are those of a plain
        // page-by-page walk (an oldest-first gateway is walked in newest-first sub-windows: ResultOrderTests).
        let sim = try await SimProcess.shared("fault-matrix-per-page", arguments: ["--scroll-style", "per-page", "--order", "newest-first"])
        try await sim.clearFaults()
        return sim
    }

    @Test("a lost answer to a scroll continuation (per-page scroll ids)",
          arguments: FaultMatrix.scrollCases(FaultMatrix.email) + FaultMatrix.scrollCases(FaultMatrix.events))
    func scroll(_ c: FaultMatrix.Case) async throws {
        try await FaultRun.run(c, on: Self.sim())
    }
}

@Suite("Fault matrix: mobile tools (end to end)", .serialized)
struct FaultMatrixMobileTests {
    @Test("every fault kind at tool level: search_mobile_devices", arguments: FaultMatrix.all(FaultMatrix.mobile))
    func matrix(_ c: FaultMatrix.Case) async throws {
        let sim = try await SimProcess.shared("fault-matrix-mobile")
        try await sim.clearFaults()
        try await FaultRun.run(c, on: sim)
    }

    @Test("a Mobile write meeting an ambiguous failure is sent once and reported unknown, never retried",
          arguments: FaultMatrix.ambiguousWriteFaults.filter { $0["kind"] != "envelope_error" })
    func ambiguousWrite(_ fault: JSONObject) async throws {
        let sim = try await SimProcess.shared("fault-matrix-mobile")
        try await sim.clearFaults()
        let kind = fault["kind"]?.stringValue ?? "?"
        let mcp = try await FaultRun.server(sim, FaultMatrix.shortTimeout)
        let args: JSONObject = ["name": "Fault Matrix", "email": .string("fault-\(kind)@example.com")]
        let preview = try await mcp.write("add_mobile_device", args)
        let token = try #require(preview.token, "\(preview.text)")
        let before = try await sim.requestCount(FaultMatrix.mobileAddRoute)
        var routed = fault
        routed["route"] = .string(FaultMatrix.mobileAddRoute)
        try await sim.setFault(.object(routed))
        let done = try await mcp.write("add_mobile_device", args, token: token)
        try await sim.clearFaults()

        #expect(try await sim.requestCount(FaultMatrix.mobileAddRoute) - before == 1, "\(kind): the add was sent exactly once")
        #expect(done.isError)
        #expect(done.structured?["error"]?["kind"] == "ambiguousWrite", "\(kind): \(done.text)")
        #expect(done.text.contains("do NOT repeat it blindly") && done.text.contains("search_mobile_devices"), "\(done.text)")
        let pong = try await mcp.request("ping")
        #expect(pong["result"] != nil)
    }
}

extension FaultMatrixMobileTests {
    @Test("a group create answered 200 without the group is reported unknown, never created")
    func groupCreateWithoutGroup() async throws {
        let sim = try await SimProcess.shared("fault-matrix-mobile")
        try await sim.clearFaults()
        let mcp = try await FaultRun.server(sim, [:])
        let args: JSONObject = ["name": "Fault Matrix No Body"]
        let preview = try await mcp.write("create_mobile_group", args)
        let token = try #require(preview.token, "\(preview.text)")
        try await sim.setFault(["kind": "envelope_error", "count": 1, "route": "POST /app/SBM/external_api/v1/groups/"])
        let done = try await mcp.write("create_mobile_group", args, token: token)
        try await sim.clearFaults()
        #expect(!done.text.contains("Created group"), "\(done.text)")
        #expect(done.text.contains("may or may not"), "\(done.text)")
    }
}

/// Running one matrix case.
enum FaultRun {
    static func server(_ sim: SimProcess, _ env: [String: String]) async throws -> MCPProcess {
        let base = ["CHECKPOINT_RATE_LIMIT_PER_MINUTE": "100000"]
        let mcp = try MCPProcess.launch(against: sim, environment: base.merging(env) { _, new in new })
        try await mcp.initialize()
        return mcp
    }

    static func call(_ mcp: MCPProcess, _ tool: String, _ args: JSONValue) async throws -> ToolCallResult {
        // The bound that makes "never a hang" a failure rather than a stuck run; far above every deadline used.
        let response = try await mcp.callTool(tool, args, timeout: .seconds(60))
        return try #require(response.toolResult, "no result: \(response.wireText)")
    }

    static func ok(_ mcp: MCPProcess, _ tool: String, _ args: JSONValue, sourceLocation: SourceLocation = #_sourceLocation) async throws
        -> ToolCallResult
    {
        let r = try await call(mcp, tool, args)
        #expect(!r.isError, "\(tool): \(r.text)", sourceLocation: sourceLocation)
        return r
    }

    static func run(_ c: FaultMatrix.Case, on sim: SimProcess) async throws {
        let t = c.target
        let env = (c.isRecovery ? FaultMatrix.recoveryEnv : [:]).merging(c.env) { _, new in new }
        let (clean, cleanRequests) = try await Baselines.shared.get(t, sim)
        let mcp = try await server(sim, env)
        _ = try await ok(mcp, t.warmUp, [:])
        let s1 = try await sim.stats()

        var fault = c.fault
        if c.routed { fault["route"] = .string(t.route) }
        try await sim.setFault(.object(fault))
        let r = try await call(mcp, t.tool, t.arguments)
        try await sim.clearFaults()
        let s2 = try await sim.stats()
        let requests = delta(s1, s2) { $0.requests(t.route) }

        switch c.outcome {
        case .recovers(let extra, let reauth):
            #expect(!r.isError, "\(r.text)")
            #expect(t.ids(r) == t.ids(clean), "the rows differ from the fault-free call")
            #expect(r.structured?["complete"] == clean.structured?["complete"])
            if let extra {
                #expect(requests == cleanRequests + extra, "requests on the route: \(requests), fault-free: \(cleanRequests)")
            } else {
                #expect(requests > cleanRequests)
            }
            #expect(delta(s1, s2, \.authCalls) == reauth, "auth calls")
        case .fails(let kind, let expected):
            #expect(r.isError, "should fail: \(r.text)")
            #expect(r.structured?["error"]?["kind"]?.stringValue == kind, "\(r.text)")
            #expect(r.text.contains(t.endpoint), "the text names what failed: \(r.text)")
            #expect(r.text.contains("Next step"), "the text says what to do: \(r.text)")
            if let expected { #expect(requests == expected, "requests on the route") }
            let pong = try await mcp.request("ping")
            #expect(pong["result"] != nil, "the server still answers after the failure")
        case .partial(let reason, let expected):
            #expect(!r.isError, "\(r.text)")
            let rows = t.ids(r)
            #expect(!rows.isEmpty && rows.count < t.ids(clean).count && Array(t.ids(clean).prefix(rows.count)) == rows)
            #expect(r.structured?["complete"] == false)
            #expect(r.structured?["incomplete_reason"]?.stringValue == reason, "\(r.text)")
            #expect(r.structured?["next_cursor"]?.stringValue != nil, "a cursor to continue")
            #expect(r.text.contains(t.endpoint) && r.text.contains("Next step"), "the text says what failed and what to do: \(r.text)")
            if let expected { #expect(requests == expected, "requests on the route") }
        }
        let all = mcp.allOutput
        #expect(!all.contains(SimProcess.clientSecret) && !all.contains(SimProcess.mobileClientSecret))
        #expect(!all.localizedCaseInsensitiveContains("bearer "))
    }

    /// The fault-free answer of each target and the requests it took, from a server of its own; once per
    /// simulator (the matrix never changes tenant state).
    actor Baselines {
        static let shared = Baselines()
        private var results: [String: (ToolCallResult, Int)] = [:]

        func get(_ t: FaultMatrix.Target, _ sim: SimProcess) async throws -> (ToolCallResult, Int) {
            let key = "\(sim.port) \(t.tool)"
            if let known = results[key] { return known }
            let mcp = try await FaultRun.server(sim, [:])
            let before = try await sim.stats()
            let clean = try await FaultRun.ok(mcp, t.tool, t.arguments)
            let requests = delta(before, try await sim.stats()) { $0.requests(t.route) }
            #expect(!t.ids(clean).isEmpty && requests > 0)
            results[key] = (clean, requests)
            return (clean, requests)
        }
    }

    static func delta(_ a: JSONValue, _ b: JSONValue, _ value: (JSONValue) -> Int) -> Int { value(b) - value(a) }
}

extension JSONValue {
    /// Readers of a `/_sim/stats` answer.
    var authCalls: Int { Int(self["auth_calls"]?.intValue ?? 0) }
    func requests(_ route: String) -> Int { Int(self["requests"]?[route]?.intValue ?? 0) }
    func status(_ code: String) -> Int { Int(self["statuses"]?[code]?.intValue ?? 0) }
}
