import CheckPointAPI
import Foundation
import MCPCore
import Testing

@testable import CheckPointTools

/// A context whose client can be asked: it records each question and answers with a fixed outcome
/// (handshake era), or plays a 2026-07-28 retry (`resumption`).
final class AskingContext: ToolContext, @unchecked Sendable {
    var requestID: RequestID { .int(1) }
    var clientCapabilities: JSONValue { ["elicitation": [:]] }
    let elicitation: ElicitationChannel?
    let resumption: Resumption?
    let answer: ElicitationOutcome
    private(set) var asked: [ElicitationRequest] = []

    init(answer: ElicitationOutcome = .declined, channel: ElicitationChannel? = .request, resumption: Resumption? = nil) {
        self.answer = answer
        self.elicitation = channel
        self.resumption = resumption
    }

    func progress(_ progress: Double, total: Double?, message: String?) async {}
    func log(_ level: LogLevel, logger: String, _ data: JSONValue) async {}
    func elicit(_ request: ElicitationRequest, keeping payload: any Sendable) async throws -> ElicitationOutcome {
        asked.append(request)
        return answer
    }
}

@Suite("performWrite: the user confirms in the client")
struct ConfirmationElicitationTests {
    let flow = ConfirmationFlowTests()

    struct Payload: Sendable, Equatable { var ids: [String]; var reason: String }

    func write(_ env: ToolEnvironment, _ context: AskingContext, args: JSONObject = ["entity_ids": ["e1", "e2"]],
               counter: Counter, executed: Box<Payload?> = Box(nil)) async throws -> ToolResult {
        var env = env
        env.tool = "decline_restore_requests"
        return try await env.performWrite(
            arguments: args, context: context,
            reason: ReasonField(current: "Phishing", apply: { p, text in p.reason = text }),
            plan: {
                WritePlan(summary: "Will decline 2 restore requests.", text: "- e1 «Invoice»\n- e2 «Hi»", hasWork: true, scope: "f:t",
                          payload: Payload(ids: ["e1", "e2"], reason: "Phishing"))
            },
            execute: { plan in
                await counter.bump()
                executed.value = plan.payload
                return WriteReport(summary: "Declined 2.", text: "", items: plan.payload.ids.map { AuditItem(id: $0, status: "submitted", taskID: "77") })
            })
    }

    @Test("accept with confirm executes exactly the previewed plan once, with the reason as edited; audited as confirmed by the user")
    func accept() async throws {
        let env = try flow.environment()
        let counter = Counter()
        let executed = Box<Payload?>(nil)
        let context = AskingContext(answer: .accepted(["confirm": true, "reason": "  Known phishing kit  "]))
        let result = try await write(env, context, counter: counter, executed: executed)
        #expect(await counter.value == 1)
        #expect(executed.value == Payload(ids: ["e1", "e2"], reason: "Known phishing kit"))
        #expect(result.structuredContent?["confirmed_by"] == "user")
        #expect(result.structuredContent?["confirmation_token"] == nil)
        #expect(result.content.dropFirst() == [["type": "resource_link", "uri": "checkpoint://task/77", "name": "task 77"]], "one link per distinct task")
        let question = try #require(context.asked.first)
        #expect(question.message.contains("Will decline 2 restore requests.") && question.message.contains("«Invoice»"))
        #expect(question.requestedSchema["properties"]?["reason"]?["default"] == "Phishing")
        #expect(question.requestedSchema["required"] == ["confirm", "reason"])
        #expect(try flow.auditLines(env).map { $0["confirm"] } == ["user"])
    }

    @Test("decline, cancel, an unticked confirm, no answer and a failed question change nothing and say so", arguments: [
        (ElicitationOutcome.declined, "user_declined", false), (.cancelled, "user_cancelled", false),
        (.accepted(["confirm": false]), "user_declined", false), (.noAnswer(seconds: 300), "no_answer", true),
        (.failed("client error"), "ask_failed", true),
    ])
    func refused(answer: ElicitationOutcome, reason: String, isError: Bool) async throws {
        let env = try flow.environment()
        let counter = Counter()
        let result = try await write(env, AskingContext(answer: answer), counter: counter)
        #expect(await counter.value == 0)
        #expect(result.isError == isError)
        #expect(result.structuredContent?["status"] == "declined")
        #expect(result.structuredContent?["reason"] == .string(reason))
        #expect(result.content.first?["text"]?.stringValue?.contains("Nothing was changed.") == true)
        let audit = try flow.auditLines(env)
        #expect(audit.map { $0["outcome"] } == ["refused"] && audit.map { $0["reason"] } == [.string(reason)])
    }

    @Test("a 2026-07-28 retry executes the kept plan (not a new one); a refused state executes nothing")
    func resumed() async throws {
        let env = try flow.environment()
        let counter = Counter()
        let kept = WritePlan(summary: "kept", text: "", hasWork: true, payload: Payload(ids: ["kept"], reason: "Phishing"))
        let executed = Box<Payload?>(nil)
        let yes = AskingContext(channel: .inputRequired, resumption: .answered(payload: kept, outcome: .accepted(["confirm": true])))
        _ = try await write(env, yes, counter: counter, executed: executed)
        #expect(executed.value?.ids == ["kept"] && yes.asked.isEmpty)
        let stale = AskingContext(channel: .inputRequired, resumption: .refused(.used))
        let refused = try await write(env, stale, counter: counter)
        #expect(refused.isError && refused.structuredContent?["reason"] == "request_state_reused")
        #expect(await counter.value == 1)
    }

    @Test("--confirm human: a client that cannot ask is refused, and tokens are not accepted")
    func human() async throws {
        let env = try flow.environment(confirm: .human)
        let counter = Counter()
        let cannot = try await write(env, AskingContext(channel: nil), counter: counter)
        #expect(cannot.isError && cannot.structuredContent?["reason"] == "client_cannot_ask_user")
        let token = try await write(env, AskingContext(), args: ["entity_ids": ["e1"], "confirmation_token": "ct_AAAAAAAAAAAAAAAAAAAAAAAA"], counter: counter)
        #expect(token.isError && token.structuredContent?["reason"] == "token_not_accepted")
        #expect(await counter.value == 0)
    }

    @Test("--confirm required with a client that cannot ask keeps the token preview")
    func tokenFallback() async throws {
        let env = try flow.environment()
        let preview = try await write(env, AskingContext(channel: nil), counter: Counter())
        #expect(preview.structuredContent?["status"] == "preview")
        #expect(preview.structuredContent?["confirmation_token"]?.stringValue?.hasPrefix("ct_") == true)
    }

    @Test("a long preview is cut at a line end in the question; the summary with the counts stays")
    func longQuestion() {
        let text = (1...2_000).map { "- row \($0) «subject»" }.joined(separator: "\n")
        let plan = WritePlan(summary: "Will quarantine 2000 emails.", text: text, hasWork: true, payload: 0)
        let q = ToolEnvironment.question(tool: "quarantine_entities", plan: plan, reason: nil, notice: UntrustedText.notice)
        #expect(q.message.count < ToolEnvironment.maxQuestionCharacters + 600)
        #expect(q.message.contains("Will quarantine 2000 emails.") && q.message.contains("more lines not shown here"))
        #expect(q.requestedSchema["required"] == ["confirm"])
    }

    /// 79 rows of 100 characters (with their line ends) fill 7,900 of the 8,000; the 80th row is 200 long and
    /// does not fit; three short rows follow. Before, the long row was dropped and the short ones shown after
    /// the row before it, a preview with a hole and nothing saying so.
    @Test("a preview too long for the question is cut at the first line that does not fit, and says how many lines are left out")
    func cutAtFirstLineThatDoesNotFit() {
        let rows = (1...79).map { n in "- row \(n) " + String(repeating: "x", count: 99 - "- row \(n) ".count) }
        let long = "- row 80 " + String(repeating: "y", count: 191)
        let text = (rows + [long, "- row 81", "- row 82", "- row 83"]).joined(separator: "\n") + "\n"
        let plan = WritePlan(summary: "Will quarantine 83 emails.", text: text, hasWork: true, payload: 0)
        let q = ToolEnvironment.question(tool: "quarantine_entities", plan: plan, reason: nil, notice: UntrustedText.notice)
        #expect(q.message == "checkpoint-mcp asks you to confirm quarantine_entities. Nothing has changed yet.\n"
            + "Will quarantine 83 emails.\n"
            + rows.joined(separator: "\n") + "\n"
            + "… 4 more lines not shown here; the counts above cover every item.\n"
            + "Tick \"confirm\" to go ahead with exactly this; decline to leave everything as it is.")
        #expect(!q.message.contains("- row 81"))
    }

    @Test("one line left out is said in the singular; a preview that fits is shown whole")
    func oneLineLeftOut() {
        #expect(ToolEnvironment.previewLines("- a\n- b\n- c", within: 8) == "- a\n- b\n… 1 more line not shown here; the counts above cover every item.")
        #expect(ToolEnvironment.previewLines("- a\n- b\n- c", within: 11) == "- a\n- b\n- c")
    }

    /// A Mobile write's rows are device owners and group names typed in the Harmony Mobile tenant: the question
    /// carries the Mobile warning, as its results do, and an email write's the email one.
    @Test("the question's untrusted-data warning is the calling tool's: Mobile wording for a Mobile write, email wording for an email write")
    func noticeFollowsTheToolset() async throws {
        for (toolset, notice, other) in [(Toolset.mobile, MobileText.untrustedNote, UntrustedText.notice),
                                         (Toolset.email, UntrustedText.notice, MobileText.untrustedNote)] {
            let spec = ToolSpec(
                toolset: toolset,
                definition: ToolDefinition(
                    name: "probe_write", title: "Probe", description: "A write for the question test.", inputSchema: Schema.object([:]),
                    outputSchema: ["type": "object"],
                    annotations: ToolAnnotations(readOnly: false, destructive: true, idempotent: false, openWorld: true)),
                handler: { args, env, context in
                    try await env.performWrite(
                        arguments: args, context: context,
                        plan: { WritePlan(summary: "Will delete 1 device.", text: "- #7 owner «dana@example.com»", hasWork: true, payload: 0) },
                        execute: { _ in WriteReport(summary: "Done.", text: "", items: []) })
                })
            let context = AskingContext(answer: .declined)
            _ = try await ToolFrame.run(spec, [:], try flow.environment(), context)
            let message = try #require(context.asked.first?.message)
            #expect(message.contains(notice + "\n- #7 owner «dana@example.com»"), "\(toolset): \(message)")
            #expect(!message.contains(other))
        }
    }
}

/// A mutable box a `@Sendable` closure can fill in (tests only).
final class Box<Value>: @unchecked Sendable {
    var value: Value
    init(_ value: Value) { self.value = value }
}
