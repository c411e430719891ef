import MCPCore

/// The Harmony Email & Collaboration write tools, in catalog order. Each goes through
/// `ToolEnvironment.performWrite` (preview → confirmation token → execute → audit); see docs/safety.md.
enum EmailWriteTools {
    static var specs: [ToolSpec] {
        EntityActionTools.specs + EventActionTools.specs + ExceptionWriteTools.specs + ExceptionUpdateTools.specs + FeedbackWriteTools.specs
    }
}
