import MCPCore

/// The Harmony Email & Collaboration write tools, in catalog order.
enum EmailWriteTools {
    static var specs: [ToolSpec] { [] }
}
