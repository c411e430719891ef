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
