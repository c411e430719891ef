import CheckPointAPI
import MCPCore

/// How long one call of a tool may take upstream, declared once per tool in its `ToolSpec` and applied by
/// `ToolFrame`. Every policy starts from `CHECKPOINT_CALL_DEADLINE` (`Configuration.callDeadline`,
/// default 120 s): a user who lowers it shortens every tool, a user who raises it lengthens every tool.
public enum DeadlinePolicy: Sendable {
    /// The configured deadline, as is.
    case configured
    /// The configured deadline plus time the arguments ask for: pages of a big walk, a task wait.
    case configuredPlus(@Sendable (JSONArguments) -> Duration)
    /// A write: the configured deadline plus 3 s per batch of 100 ids after the first, counted from the
    /// longest list in the arguments (the 1,000-id maximum gets 27 s more). The preview and the confirmed
    /// execution are two calls with a deadline each; an execution cut short reports the ids it did not
    /// send as `failed` and one in flight as `unknown`, never as done.
    case write

    /// Seconds added per extra 100-row page of a walk, or per extra batch of 100 ids of a write: a page
    /// takes 0.3–1.5 s at the gateway, so 3 s leaves room for a retry without letting a stuck walk run on.
    static let perHundred = 3

    /// The walk tools' policy (`search_entities`, `get_security_events`): 3 s per extra 100-row page of
    /// `limit`, at most 540 s more (so `limit` 10,000 runs for up to the configured deadline + 9 minutes).
    /// `count_only`/`group_by` walk up to 10,000 rows whatever `limit` says, so they get that walk's deadline.
    public static let walk = DeadlinePolicy.configuredPlus { args in
        let counting = args.has("group_by") || args.has("count_only")
        let limit = counting ? GroupCounts.maxRows : ((try? args.int("limit")) ?? nil) ?? 50
        return .seconds(min(540, max(0, limit / 100 - 1) * perHundred))
    }

    /// The deadline for one call with these arguments under `configured`.
    public func duration(configured: Duration, _ args: JSONArguments) -> Duration {
        switch self {
        case .configured:
            return configured
        case .configuredPlus(let extra):
            return configured + extra(args)
        case .write:
            let longest = args.object.compactMap { $0.value.arrayValue?.count }.max() ?? 0
            let batches = (longest + 99) / 100
            return configured + .seconds(max(0, batches - 1) * Self.perHundred)
        }
    }
}
