import MCPCore

/// The Harmony Mobile tools (reads first, then writes), in catalog order.
enum MobileTools {
    static var specs: [ToolSpec] { [] }
}
