import CheckPointAPI
import MCPCore

/// The frame every tool call runs in, applied once by `ToolSpec.tool(in:)`:
/// 1. the tool's name goes into the environment (`env.tool`: writes audit and bind tokens under it);
/// 2. `CallDeadline.current` is set from the spec's `DeadlinePolicy` (an outer, earlier one wins), so every
///    upstream request of the call (auth, pages, retries, waits) stops at it;
/// 3. the client's log lines go to the call's context (`ClientLog`);
/// 4. a thrown error becomes an actionable `isError` result (`ErrorText`), which names the deadline when
///    the call ran out of it; cancellation stays silent (MCP cancellation rules: no response), except an
///    `.ambiguousWrite`, which is always rendered; a 2026-07-28 `InputRequired` (a question for the user)
///    passes through to the core;
/// 5. the result's text gets the untrusted-data notice before its first fenced value
///    (`UntrustedText.placeNotice`), so no result shows tenant data before the warning; a Mobile tool's
///    notice names the Harmony Mobile tenant (`MobileText.untrustedNote`), not email senders;
/// 6. arguments the handler's reader took differently from how they were sent (`ArgumentRepairs`) are
///    reported as the core reports its own repairs (`ToolResult.noting`: a `Note:` line, `coerced`).
public enum ToolFrame {
    public static func run(
        _ spec: ToolSpec, _ args: JSONObject, _ env: ToolEnvironment, _ context: any ToolContext
    ) async throws -> ToolResult {
        let notice = spec.toolset.untrustedNotice
        let repairs = ArgumentRepairs()
        let result = try await ArgumentRepairs.$current.withValue(repairs) { try await framed(spec, args, env, context) }
        return UntrustedText.placeNotice(in: result, adding: notice).noting(repairs.all)
    }

    private static func framed(
        _ spec: ToolSpec, _ args: JSONObject, _ env: ToolEnvironment, _ context: any ToolContext
    ) async throws -> ToolResult {
        var env = env
        env.tool = spec.name
        env.notice = spec.toolset.untrustedNotice
        let arguments = JSONArguments(args)
        let budget = spec.deadline.duration(configured: env.client.configuration.callDeadline, arguments)
        let clock = env.client.time
        let mine = clock.now.advanced(by: budget)
        let deadline = CallDeadline.current.map { min($0, mine) } ?? mine
        let callEnv = env
        do {
            return try await CallDeadline.$current.withValue(deadline) {
                try await ClientLog.routed(to: context) { try await spec.handler(args, callEnv, context) }
            }
        } catch is CancellationError {
            throw CancellationError()
        } catch let question as InputRequired {
            throw question  // 2026-07-28: the question ends the call; the core sends it as input_required
        } catch let e as CheckPointError where e.kind == .ambiguousWrite {
            // Even when cancelled: a write whose bytes may have left must say its outcome is unknown
            // (at stdin EOF this answer is sent; after the client's own cancellation it is not).
            return ErrorText.result(for: e, subject: spec.subject?(arguments), deadline: nil)
        } catch let e as CheckPointError where e.kind == .cancelled || Task.isCancelled {
            throw CancellationError()
        } catch {
            if Task.isCancelled { throw CancellationError() }
            let ranOut = clock.now >= deadline ? budget : nil
            return ErrorText.result(for: error, subject: spec.subject?(arguments), deadline: ranOut)
        }
    }
}
