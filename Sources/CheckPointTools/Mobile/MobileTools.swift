import CheckPointAPI
import MCPCore

/// The Harmony Mobile tools (reads first, then writes), in catalog order.
/// - SeeAlso: docs/mobile-tools.md (endpoints, status/risk tables, what is uncertain about the real API).
enum MobileTools {
    static var specs: [ToolSpec] {
        [
            MobileDeviceTools.search, MobileDeviceTools.get, MobileGroupTools.list, MobileAlertTools.list,
            MobileAuditTools.list, MobileAuditTools.registration,
            MobileDeviceWrites.add, MobileDeviceWrites.delete, MobileEnrolmentWrites.move,
            MobileEnrolmentWrites.resend, MobileEnrolmentWrites.markSent,
            MobileGroupWrites.create, MobileGroupWrites.update, MobileGroupWrites.delete,
        ]
    }
}

extension ToolSpec {
    /// A Harmony Mobile write as two named steps: `plan` previews (reads only) from the arguments, `execute` acts
    /// on the plan once confirmed; `performWrite` runs them (token, the user in the client, or `--confirm never`).
    static func mobileWrite<Payload: Sendable>(
        definition: ToolDefinition,
        plan: @escaping @Sendable (JSONArguments, MobileAPI) async throws -> WritePlan<Payload>,
        execute: @escaping @Sendable (WritePlan<Payload>, MobileAPI) async throws -> WriteReport
    ) -> ToolSpec {
        ToolSpec(toolset: .mobile, definition: definition) { args, env, context in
            let api = env.mobile
            return try await env.performWrite(
                arguments: args, context: context, plan: { try await plan(JSONArguments(args), api) }, execute: { try await execute($0, api) })
        }
    }
}
