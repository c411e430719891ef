import CheckPointAPI
import Foundation
import MCPCore

// MARK: - The user confirms in the client (MCP elicitation)
//
// When the client declared form elicitation, a write called without a token does not hand the model a
// token at all: the server asks the *user* through the client, with the preview as the question.
// - Handshake era: `elicitation/create` is sent and awaited (bounded, `ServerOptions.elicitationTimeoutSeconds`).
// - 2026-07-28: the call ends with `input_required`; the plan stays in this process under the `requestState`
//   handle, and the client's retry (same tool, same arguments, the user's answer) executes that plan.
// Accept with `confirm: true` executes exactly the previewed plan; decline, cancel, `confirm: false` or no
// answer change nothing and say so. Every outcome but "nothing to do" is audited with `confirm: user`.

/// An editable reason field in the question (`decline_restore_requests` sends the reason to the user whose
/// request is declined, so the person confirming may reword it).
public struct ReasonField<Payload: Sendable>: Sendable {
    public var current: String
    public var apply: @Sendable (inout Payload, String) -> Void

    public init(current: String, apply: @escaping @Sendable (inout Payload, String) -> Void) {
        self.current = current
        self.apply = apply
    }
}

/// Why a write was refused before anything was planned or asked.
enum WriteRefusal {
    case tokensNotAccepted
    case clientCannotAsk

    var reason: String {
        switch self {
        case .tokensNotAccepted: return "token_not_accepted"
        case .clientCannotAsk: return "client_cannot_ask_user"
        }
    }

    var text: String {
        switch self {
        case .tokensNotAccepted:
            return "Refused: this server requires the user to confirm each write in the client (confirm mode human), "
                + "so confirmation tokens are not accepted. Call the tool again without confirmation_token: the user "
                + "will be asked in the client. Nothing was changed."
        case .clientCannotAsk:
            return "Refused: this server requires the user to confirm each write in the client (confirm mode human), "
                + "and this client did not declare MCP elicitation (form mode), so the user cannot be asked. Use a client "
                + "that supports elicitation, or ask the administrator to run the server with --confirm required. "
                + "Nothing was changed."
        }
    }
}

extension ToolEnvironment {
    /// The field names of the question's schema.
    static let confirmField = "confirm"
    static let reasonField = "reason"
    /// The question's message is cut here (at a line end), with a note; the counts stay on top. 8,000
    /// characters is about 100 preview rows, more than a dialog shows without scrolling.
    static let maxQuestionCharacters = 8_000

    func askUser<Payload: Sendable>(
        tool: String, context: any ToolContext, reason: ReasonField<Payload>?,
        plan makePlan: () async throws -> WritePlan<Payload>,
        execute: (WritePlan<Payload>) async throws -> WriteReport
    ) async throws -> ToolResult {
        let plan = try await makePlan()
        guard plan.hasWork else { return nothingToDo(tool: tool, plan: plan, confirm: nil) }
        let question = Self.question(tool: tool, plan: plan, reason: reason?.current, notice: notice)
        await context.log(.debug, logger: "audit", ["ask_user": .string(tool), "summary": .string(plan.summary)])
        // The time the user takes to answer does not count against the call's upstream deadline.
        let clock = client.time
        let remaining = CallDeadline.current.map { clock.now.duration(to: $0) }
        let outcome = try await context.elicit(question, keeping: plan)  // 2026-07-28: throws InputRequired
        return try await CallDeadline.$current.withValue(remaining.map { clock.now.advanced(by: $0) }) {
            try await answered(tool: tool, plan: plan, outcome, reason: reason, execute: execute)
        }
    }

    /// A 2026-07-28 retry: the plan kept under the `requestState`, and the user's answer.
    func resume<Payload: Sendable>(
        tool: String, _ resumption: Resumption, reason: ReasonField<Payload>?,
        execute: (WritePlan<Payload>) async throws -> WriteReport
    ) async throws -> ToolResult {
        switch resumption {
        case .refused(let error):
            let problem = audit.record(AuditEntry(time: now, tool: tool, confirm: "user", outcome: "refused", reason: error.reason))
            return .failure(error.description + (problem.map { "\nWARNING: \($0)." } ?? ""),
                            structured: ["status": "refused", "reason": .string(error.reason)])
        case .answered(let payload, let outcome):
            guard let plan = payload as? WritePlan<Payload> else {
                audit.record(AuditEntry(time: now, tool: tool, confirm: "user", outcome: "refused", reason: "plan_type_mismatch"))
                return .failure(InputStateError.otherCall.description)
            }
            return try await answered(tool: tool, plan: plan, outcome, reason: reason, execute: execute)
        }
    }

    private func answered<Payload: Sendable>(
        tool: String, plan: WritePlan<Payload>, _ outcome: ElicitationOutcome, reason: ReasonField<Payload>?,
        execute: (WritePlan<Payload>) async throws -> WriteReport
    ) async throws -> ToolResult {
        let refusal: (reason: String, text: String, isError: Bool)
        switch outcome {
        case .accepted(let content) where content[Self.confirmField]?.boolValue == true:
            var plan = plan
            if let reason, let edited = content[Self.reasonField]?.stringValue {
                let trimmed = edited.trimmingCharacters(in: .whitespacesAndNewlines)
                if !trimmed.isEmpty, trimmed.count <= 500 { reason.apply(&plan.payload, trimmed) }
            }
            return try await run(tool: tool, plan: plan, confirm: "user", execute: execute)
        case .accepted:
            refusal = ("user_declined", "The user did not confirm in the client (confirm was not ticked).", false)
        case .declined:
            refusal = ("user_declined", "The user declined in the client.", false)
        case .cancelled:
            refusal = ("user_cancelled", "The user dismissed the confirmation dialog without answering.", false)
        case .noAnswer(let seconds):
            refusal = ("no_answer", "The user did not answer the confirmation dialog within \(seconds) seconds; it was withdrawn.", true)
        case .failed(let detail):
            refusal = ("ask_failed", "The user could not be asked: \(detail).", true)
        }
        let problem = audit.record(AuditEntry(time: now, tool: tool, confirm: "user", outcome: "refused", scope: plan.scope, reason: refusal.reason))
        var text = refusal.text + " Nothing was changed.\n" + plan.summary
        text += refusal.isError ? "\nCall the tool again to ask the user again." : "\nDo not retry unless the user asks for it."
        if let problem { text += "\nWARNING: \(problem)." }
        let structured: JSONObject = [
            "status": "declined", "summary": .string(refusal.text + " Nothing was changed."),
            "reason": .string(refusal.reason), "confirm_mode": .string(confirm.rawValue),
        ]
        return ToolResult(content: [["type": "text", "text": .string(text)]], structuredContent: .object(structured), isError: refusal.isError)
    }

    func refuse(tool: String, confirm: String, _ refusal: WriteRefusal) -> ToolResult {
        let problem = audit.record(AuditEntry(time: now, tool: tool, confirm: confirm, outcome: "refused", reason: refusal.reason))
        return .failure(refusal.text + (problem.map { "\nWARNING: \($0)." } ?? ""),
                        structured: ["status": "refused", "reason": .string(refusal.reason)])
    }

    /// The preview as the question shows it: whole, or its first lines up to `budget` characters, cut at the
    /// first line that does not fit (never skipping a long line to show shorter ones after it: the human
    /// would confirm a list with a hole in it and no sign of it), then how many lines were left out.
    static func previewLines(_ text: String, within budget: Int) -> String {
        guard text.count > budget else { return text }
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        if lines.last?.isEmpty == true { lines.removeLast() }
        var kept = ""
        var used = 0
        var shown = 0
        for line in lines {
            guard used + line.count + 1 <= budget else { break }
            kept += line + "\n"
            used += line.count + 1
            shown += 1
        }
        let left = lines.count - shown
        return kept + "… \(left) more \(left == 1 ? "line" : "lines") not shown here; the counts above cover every item."
    }

    /// The question: the preview (summary with counts, the fenced rows, what is set aside) and a one-field
    /// form, `confirm` (yes/no), plus the editable reason where the write sends one. `notice` is the calling
    /// tool's untrusted-data warning (`Toolset.untrustedNotice`: a Mobile write's rows are device owners and
    /// group names from the Harmony Mobile tenant, not email senders).
    static func question<Payload: Sendable>(tool: String, plan: WritePlan<Payload>, reason: String?, notice: String) -> ElicitationRequest {
        let message = """
            checkpoint-mcp asks you to confirm \(tool). Nothing has changed yet.
            \(plan.summary)
            \(previewLines(plan.text, within: maxQuestionCharacters))
            Tick "confirm" to go ahead with exactly this; decline to leave everything as it is.
            """
        var properties: JSONObject = [
            confirmField: ["type": "boolean", "title": "Confirm", "description": .string("Go ahead with \(tool) as shown above"), "default": false],
        ]
        var required: [JSONValue] = [.string(confirmField)]
        if let reason {
            properties[reasonField] = [
                "type": "string", "title": "Reason", "description": "The reason sent with the action (you may reword it)",
                "default": .string(reason), "minLength": 1, "maxLength": 500,
            ]
            required.append(.string(reasonField))
        }
        return ElicitationRequest(
            message: UntrustedText.placeNotice(in: message, adding: notice),  // the warning before the first fenced value, as in results
            requestedSchema: ["type": "object", "properties": .object(properties), "required": .array(required)])
    }
}
