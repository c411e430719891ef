import CheckPointAPI
import Foundation
import MCPCore

// MARK: - How a write tool uses the confirmation and audit mechanism
//
// Every write tool (email and mobile) does exactly this in its handler:
//
//     handler: { args, env, context in
//         try await env.performWrite(arguments: args, context: context,
//             plan: {
//                 // READ ONLY: look up what the call would touch; change nothing.
//                 let device = try await ...
//                 return WritePlan(summary: "Delete 1 device", text: "...fenced details...",
//                                  structured: ["items": ...], hasWork: true, scope: nil, payload: device.id)
//             },
//             execute: { plan in
//                 // Acts on plan.payload (what the user saw), reporting every id, never throwing for one id.
//                 return WriteReport(summary: "Deleted 1 of 1 device", text: "...", structured: [...],
//                                    items: [AuditItem(id: "42", status: "done")])
//             })
//     }
//
// and adds `WriteSchema.tokenProperty` to its input schema and builds its output schema with
// `WriteSchema.output(...)`. `performWrite` then:
// - without `confirmation_token`, when the client can ask its user (elicitation): runs `plan` and asks the user
//   in the client; see `ConfirmationElicitation.swift` (`--confirm human` allows only this path).
// - without `confirmation_token` otherwise (`--confirm required`): runs `plan`, stores it under a new token bound to
//   the tool name and the canonical arguments, and returns the preview (status `preview`) with the token.
//   If `plan.hasWork` is false it returns status `nothing_to_do` and issues no token.
// - with a valid token: runs `execute` on the *stored* plan (so what executes is what was previewed),
//   writes one audit line, and returns the report (status `executed`).
// - with a bad token (unknown, reused, expired, other arguments): audits a `refused` line and returns an
//   isError result saying to call again without the token.
// - with `--confirm never`: runs `plan` then `execute` at once; the audit line says `confirm: never`.
// Previews are not audited (they change nothing); they are logged at debug level.

/// What a write would do, computed by reading only. The preview text must fence untrusted data
/// (subjects, names) with the shared output helpers; `structured` holds plain fields.
public struct WritePlan<Payload: Sendable>: Sendable {
    /// One line on top, e.g. "Will quarantine 12 emails (3 already quarantined, 1 not found)."
    public var summary: String
    /// Per-id details: what each id is, its current state, what will happen.
    public var text: String
    /// Tool-specific structured preview (e.g. `items`, `not_found`, `already`); the gate adds the common fields.
    public var structured: JSONObject
    /// False when nothing would change (every id not found or already in the target state): no token is issued.
    public var hasWork: Bool
    /// The tenant scope the write will use, for the audit log.
    public var scope: String?
    /// Whatever `execute` needs (resolved ids, batches); stored with the token.
    public var payload: Payload

    public init(
        summary: String, text: String, structured: JSONObject = [:], hasWork: Bool, scope: String? = nil,
        payload: Payload
    ) {
        self.summary = summary
        self.text = text
        self.structured = structured
        self.hasWork = hasWork
        self.scope = scope
        self.payload = payload
    }
}

/// What a write did, per id. Built by the tool; `performWrite` audits it and renders it.
public struct WriteReport: Sendable {
    /// The summary line on top, e.g. "Quarantined 312 of 320: 300 submitted, 8 failed (batch 4: HTTP 500 upstream)."
    public var summary: String
    public var text: String
    public var structured: JSONObject
    /// Every id the write touched or skipped, with its outcome. Statuses `failed` and `unknown` count as not done.
    public var items: [AuditItem]
    public var scope: String?

    public init(summary: String, text: String, structured: JSONObject = [:], items: [AuditItem], scope: String? = nil) {
        self.summary = summary
        self.text = text
        self.structured = structured
        self.items = items
        self.scope = scope
    }

    /// `executed` when nothing failed, `unknown` when every item's outcome is unknown (each may or may
    /// not have been applied), `failed` when nothing succeeded, else `partial`.
    public var outcome: String {
        let bad = items.filter { WriteReport.failureStatuses.contains($0.status) }.count
        if bad == 0 { return "executed" }
        if items.allSatisfy({ $0.status == "unknown" }) { return "unknown" }
        return bad == items.count ? "failed" : "partial"
    }

    /// Statuses that mean "not done (or not known to be done)".
    public static let failureStatuses: Set<String> = ["failed", "unknown"]
}

extension ToolEnvironment {
    /// Runs one write tool call through the confirmation and audit mechanism (see the comment at the top
    /// of this file, and `ConfirmationElicitation.swift` for the user-in-the-client path). `plan` must not
    /// change anything; `execute` should report per-id failures in its report rather than throw. If
    /// `execute` throws anyway, the attempt is audited as `failed` and the error is rethrown (the core
    /// renders it as an isError result). `reason`, when given, adds an editable reason field to the
    /// question the user answers (its value replaces the plan's reason when they confirm).
    /// The token is bound to, and the audit line names, the tool of this call (`tool`, set by `ToolFrame`).
    public func performWrite<Payload: Sendable>(
        arguments: JSONObject, context: any ToolContext, reason: ReasonField<Payload>? = nil,
        plan makePlan: () async throws -> WritePlan<Payload>,
        execute: (WritePlan<Payload>) async throws -> WriteReport
    ) async throws -> ToolResult {
        let token = arguments[ConfirmationStore.tokenArgument]?.stringValue

        if confirm == .never {
            let plan = try await makePlan()
            guard plan.hasWork else { return nothingToDo(tool: tool, plan: plan, confirm: "never") }
            return try await run(tool: tool, plan: plan, confirm: "never", execute: execute)
        }

        if let resumption = context.resumption {
            return try await resume(tool: tool, resumption, reason: reason, execute: execute)
        }

        if let token {
            guard confirm != .human else { return refuse(tool: tool, confirm: "token", .tokensNotAccepted) }
            return try await redeem(token, tool: tool, arguments: arguments, execute: execute)
        }

        if context.elicitation != nil {
            return try await askUser(tool: tool, context: context, reason: reason, plan: makePlan, execute: execute)
        }
        guard confirm == .required else { return refuse(tool: tool, confirm: "user", .clientCannotAsk) }
        let plan = try await makePlan()
        guard plan.hasWork else { return nothingToDo(tool: tool, plan: plan, confirm: nil) }
        let ticket = await confirmations.issue(tool: tool, arguments: arguments, plan: plan)
        await context.log(.debug, logger: "audit", ["preview": .string(tool), "summary": .string(plan.summary)])
        return preview(tool: tool, plan: plan, ticket: ticket)
    }

    private func redeem<Payload: Sendable>(
        _ token: String, tool: String, arguments: JSONObject, execute: (WritePlan<Payload>) async throws -> WriteReport
    ) async throws -> ToolResult {
        let stored: any Sendable
        do {
            stored = try await confirmations.redeem(token: token, tool: tool, arguments: arguments)
        } catch {
            let problem = audit.record(AuditEntry(time: now, tool: tool, confirm: "token", outcome: "refused", reason: refusalReason(error)))
            var text = error.description
            if let problem { text += "\nWARNING: \(problem)." }
            return .failure(text, structured: ["status": "refused", "reason": .string(refusalReason(error))])
        }
        guard let plan = stored as? WritePlan<Payload> else {
            // Cannot happen for tokens issued by `performWrite` for this tool; refuse rather than guess.
            audit.record(AuditEntry(time: now, tool: tool, confirm: "token", outcome: "refused", reason: "plan_type_mismatch"))
            return .failure(ConfirmationError.unknown.description)
        }
        return try await run(tool: tool, plan: plan, confirm: "token", execute: execute)
    }

    func run<Payload: Sendable>(
        tool: String, plan: WritePlan<Payload>, confirm: String,
        execute: (WritePlan<Payload>) async throws -> WriteReport
    ) async throws -> ToolResult {
        let report: WriteReport
        do {
            report = try await execute(plan)
        } catch {
            // A write that may have reached the gateway is "unknown", never "failed": retrying it could act twice.
            let unknown = (error as? CheckPointError)?.kind == .ambiguousWrite
            audit.record(AuditEntry(time: now, tool: tool, confirm: confirm, outcome: unknown ? "unknown" : "failed", scope: plan.scope, reason: "\(error)"))
            throw error
        }
        let problem = audit.record(
            AuditEntry(time: now, tool: tool, confirm: confirm, outcome: report.outcome, scope: report.scope ?? plan.scope, items: report.items))
        var text = report.summary + "\n" + report.text
        if confirm == "never" { text += "\n(Executed without confirmation: the server runs with --confirm never.)" }
        if confirm == "user" { text += "\n(Confirmed by the user in the client.)" }
        if let problem { text += "\nWARNING: \(problem); this write is only in the stderr audit log." }
        var structured = report.structured
        structured["status"] = "executed"
        structured["summary"] = .string(report.summary)
        structured["outcome"] = .string(report.outcome)
        structured["confirm_mode"] = .string(self.confirm.rawValue)
        structured["confirmed_by"] = .string(confirm == "never" ? "not_required" : confirm)
        // The action tasks the write started, as resource links a client can open to follow them.
        var tasks: [String] = []
        for id in report.items.compactMap(\.taskID) where !tasks.contains(id) { tasks.append(id) }
        let result = ResourceLinks.add(tasks.prefix(ResourceLinks.maxLinks).map(ResourceLinks.task),
                                       to: .success(text: text, structured: .object(structured)))
        if report.outcome == "failed" || report.outcome == "unknown" { return ToolResult(content: result.content, structuredContent: result.structuredContent, isError: true) }
        return result
    }

    private func preview<Payload: Sendable>(tool: String, plan: WritePlan<Payload>, ticket: ConfirmationTicket) -> ToolResult {
        let expires = AuditLog.timestamp(ticket.expiresAt)
        let minutes = ticket.ttlSeconds >= 60 ? "\(ticket.ttlSeconds / 60) minutes" : "\(ticket.ttlSeconds) seconds"
        let text = """
            PREVIEW ONLY: nothing has been changed yet.
            \(plan.summary)
            \(plan.text)
            To execute, show this preview to the user and, once they agree, call \(tool) again with exactly the same \
            arguments plus "confirmation_token": "\(ticket.token)". The token works once and expires at \(expires) (\(minutes)).
            """
        var structured = plan.structured
        structured["status"] = "preview"
        structured["summary"] = .string(plan.summary)
        structured["confirmation_token"] = .string(ticket.token)
        structured["expires_at"] = .string(expires)
        structured["confirm_mode"] = "required"
        return .success(text: text, structured: .object(structured))
    }

    func nothingToDo<Payload: Sendable>(tool: String, plan: WritePlan<Payload>, confirm: String?) -> ToolResult {
        if let confirm { audit.record(AuditEntry(time: now, tool: tool, confirm: confirm, outcome: "nothing_to_do", scope: plan.scope)) }
        var structured = plan.structured
        structured["status"] = "nothing_to_do"
        structured["summary"] = .string(plan.summary)
        structured["confirm_mode"] = .string(self.confirm.rawValue)
        return .success(text: "Nothing to do: nothing was changed.\n\(plan.summary)\n\(plan.text)", structured: .object(structured))
    }

    private func refusalReason(_ error: ConfirmationError) -> String {
        switch error {
        case .unknown: return "unknown_token"
        case .reused: return "token_reused"
        case .expired: return "token_expired"
        case .argumentsChanged: return "arguments_changed"
        }
    }
}

/// Schema pieces every write tool shares, written once: how the confirmation works is said once, in
/// the server's instructions (and in each preview), not in 19 input schemas.
public enum WriteSchema {
    /// The optional input argument; add it to every write tool's input schema as `"confirmation_token": WriteSchema.tokenProperty`.
    /// No description: the server's instructions say how a write previews and acts once confirmed, every
    /// preview says it again, and the annotations mark the tool as one that writes (19 copies of one sentence
    /// cost 5 KB of every `tools/list`).
    public static let tokenProperty: JSONValue = Schema.string()

    /// An output schema requiring the two fields `performWrite` puts in every write result (`status`:
    /// preview, executed, nothing_to_do or declined; `summary`), with the tool's own collections; the fields
    /// that depend on the status (a preview's `confirmation_token` and `expires_at`, the executed `outcome`,
    /// `confirm_mode`, `confirmed_by`) are in the open object and the text.
    public static func output(collections: [(String, JSONValue)] = []) -> JSONValue {
        OutputSchema.object(required: ["status", "summary"], collections: collections)
    }
}
