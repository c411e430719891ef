import CheckPointAPI
import MCPCore

/// The whole catalog, and the one place it is filtered.
///
/// Filtering happens once, in `select`, in this order: read-only first (write tools are dropped entirely,
/// so they are neither listed nor callable), then toolsets. The same pass yields, for every tool left
/// out, the reason a call to it is refused with.
public enum Toolbox {
    /// Every tool in catalog order. `tools.json` is this list's `definition.json`, and a test proves it.
    public static var allSpecs: [ToolSpec] {
        let checkPoint = EmailReadTools.specs + EmailWriteTools.specs + MobileTools.specs
        return checkPoint + [ListSessionWrites.spec(writeTools: checkPoint.filter(\.isWrite).map(\.name))]
    }

    /// Which tools a server serves, and the words that say where each restriction came from.
    public struct Selection: Sendable {
        public var readOnly: Bool
        /// How read-only was asked for, e.g. `--read-only` or `CHECKPOINT_READ_ONLY`.
        public var readOnlySource: String
        public var toolsets: Set<Toolset>
        /// How the toolsets were given, e.g. `--toolsets` or `CHECKPOINT_TOOLSETS`.
        public var toolsetsSource: String

        public init(readOnly: Bool = false, readOnlySource: String = "--read-only",
                    toolsets: Set<Toolset> = Set(Toolset.allCases), toolsetsSource: String = "--toolsets") {
            self.readOnly = readOnly
            self.readOnlySource = readOnlySource
            self.toolsets = toolsets
            self.toolsetsSource = toolsetsSource
        }

        /// Why `spec` is not served, or nil when it is.
        public func refusal(_ spec: ToolSpec) -> String? {
            if readOnly && spec.isWrite {
                return "the server runs read-only (\(readOnlySource)), which removes tools that change state; restart it without read-only to use this tool"
            }
            guard toolsets.contains(spec.toolset) else {
                let enabled = Toolset.allCases.filter { toolsets.contains($0) }.map(\.rawValue).joined(separator: ",")
                return "it belongs to the '\(spec.toolset.rawValue)' toolset, which is not enabled (\(toolsetsSource) \(enabled)); restart with '\(spec.toolset.rawValue)' in \(toolsetsSource) to use it"
            }
            return nil
        }
    }

    /// The served tools, bound to `env` (each runs in the `ToolFrame`), the refusal reason of every
    /// catalog tool left out, by name, and the playbook prompts and resource templates that go with the
    /// served tools (the specs are built once for all of them).
    public static func select(_ selection: Selection, in env: ToolEnvironment)
        -> (tools: [Tool], refused: [String: String], prompts: [Prompt], resources: [ResourceProvider])
    {
        var served: [ToolSpec] = []
        var refused: [String: String] = [:]
        for spec in allSpecs {
            if let reason = selection.refusal(spec) { refused[spec.name] = reason } else { served.append(spec) }
        }
        return (served.map { $0.tool(in: env) }, refused, Playbooks.prompts(served, env: env), ResourceCatalog.providers(served, env: env))
    }

    /// The catalog as recorded in `tools.json`: `{"tools": [...]}` in catalog order, all toolsets, writes included.
    public static var catalogJSON: JSONValue {
        ["tools": .array(allSpecs.map { $0.definition.json })]
    }
}
