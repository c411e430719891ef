import CheckPointAPI
import MCPCore

/// The whole catalog, and the one place it is filtered.
///
/// Filtering happens once, at registration, in this order: read-only first (write tools are dropped
/// entirely, so they are neither listed nor callable), then toolsets.
public enum Toolbox {
    /// Every tool in catalog order. `tools.json` is this list's `definition.json`, and a test proves it.
    public static var allSpecs: [ToolSpec] {
        let checkPoint = EmailReadTools.specs + EmailWriteTools.specs + MobileTools.specs
        return checkPoint + [ListSessionWrites.spec(writeTools: checkPoint.filter(\.isWrite).map(\.definition.name))]
    }

    public static func tools(in env: ToolEnvironment, toolsets: Set<Toolset> = Set(Toolset.allCases)) -> [Tool] {
        allSpecs
            .filter { !(env.readOnly && $0.isWrite) }
            .filter { toolsets.contains($0.toolset) }
            .map { $0.tool(in: env) }
    }

    /// The catalog as recorded in `tools.json`: `{"tools": [...]}` in catalog order, all toolsets, writes included.
    public static var catalogJSON: JSONValue {
        ["tools": .array(allSpecs.map { $0.definition.json })]
    }
}
