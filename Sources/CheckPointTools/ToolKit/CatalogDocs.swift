import Foundation
import MCPCore

/// The README's tool reference, rendered from the catalog itself so it can never drift from what
/// `tools/list` serves. `checkpoint-mcp --print-tool-docs` prints it; `scripts/update-catalog` puts it
/// between the README's `<!-- START AUTOMATED TOOLS -->` / `<!-- END AUTOMATED TOOLS -->` markers, and a
/// test fails when the README is stale (the github-mcp-server "generated docs" habit).
public enum CatalogDocs {
    /// Markdown for every tool, grouped by toolset in `Toolset.allCases` order, catalog order within.
    public static func markdown() -> String { markdown(for: Toolbox.allSpecs) }

    static func markdown(for specs: [ToolSpec]) -> String {
        var out: [String] = []
        let readOnly = specs.filter { !$0.isWrite }.count
        out.append(
            "\(specs.count) tools (\(readOnly) read-only, \(specs.count - readOnly) that change state). "
                + "Generated from the catalog by `scripts/update-catalog`; do not edit by hand.")
        for toolset in Toolset.allCases {
            let members = specs.filter { $0.toolset == toolset }
            guard !members.isEmpty else { continue }
            out.append("")
            out.append("### \(toolset.summary.split(separator: ":").first.map(String.init) ?? toolset.rawValue) (`--toolsets \(toolset.rawValue)`)")
            out.append("")
            out.append(toolset.summary + ".")
            for spec in members { out.append(""); out += section(for: spec.definition) }
        }
        return out.joined(separator: "\n") + "\n"
    }

    private static func section(for tool: ToolDefinition) -> [String] {
        var lines = ["#### `\(tool.name)`: \(tool.title)", "", badges(tool.annotations), ""]
        lines += tool.description.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let properties = tool.inputSchema["properties"]?.objectValue ?? [:]
        lines.append("")
        guard !properties.isEmpty else {
            lines.append("No arguments.")
            return lines
        }
        let required = Set(tool.inputSchema["required"]?.arrayValue?.compactMap(\.stringValue) ?? [])
        lines.append("| Argument | Type | Required | Description |")
        lines.append("|---|---|---|---|")
        for (name, schema) in properties {
            let cells = ["`\(name)`", typeText(schema), required.contains(name) ? "yes" : "no", describe(schema)]
            lines.append("| " + cells.map(cell).joined(separator: " | ") + " |")
        }
        return lines
    }

    /// The four hints as words a reader can scan ("read-only · idempotent · closed world").
    static func badges(_ a: ToolAnnotations) -> String {
        var words: [String] = []
        if a.readOnlyHint {
            words.append("read-only")
        } else {
            words.append("writes")
            words.append(a.destructiveHint ? "destructive" : "non-destructive")
        }
        if a.idempotentHint { words.append("idempotent") }
        words.append(a.openWorldHint ? "open world" : "closed world")
        return words.map { "`\($0)`" }.joined(separator: " · ")
    }

    /// "string (date-time)", "integer 1–10000", "array of string", "string or null".
    static func typeText(_ schema: JSONValue) -> String {
        var base: String
        switch schema["type"] {
        case .string(let t)?: base = t
        case .array(let ts)?: base = ts.compactMap(\.stringValue).joined(separator: " or ")
        default: base = schema["enum"] != nil ? "enum" : "any"
        }
        if base == "array", let items = schema["items"] { base = "array of \(typeText(items))" }
        if let format = schema["format"]?.stringValue { base += " (\(format))" }
        let min = schema["minimum"]?.doubleValue, max = schema["maximum"]?.doubleValue
        if min != nil || max != nil { base += " " + range(min, max) }
        let minItems = schema["minItems"]?.doubleValue, maxItems = schema["maxItems"]?.doubleValue
        if minItems != nil || maxItems != nil { base += ", " + range(minItems, maxItems) + " items" }
        return base
    }

    private static func range(_ lo: Double?, _ hi: Double?) -> String {
        switch (lo, hi) {
        case let (lo?, hi?): return "\(number(lo))–\(number(hi))"
        case let (lo?, nil): return "≥ \(number(lo))"
        case let (nil, hi?): return "≤ \(number(hi))"
        default: return ""
        }
    }

    private static func number(_ d: Double) -> String {
        d.rounded() == d && abs(d) < 1e15 ? String(Int64(d)) : String(d)
    }

    /// The schema's description plus allowed values, default and pattern.
    static func describe(_ schema: JSONValue) -> String {
        var parts: [String] = []
        if let d = schema["description"]?.stringValue { parts.append(d) }
        let values = (schema["enum"] ?? schema["items"]?["enum"])?.arrayValue ?? []
        if !values.isEmpty { parts.append("One of: " + values.map { "`\(literal($0))`" }.joined(separator: ", ") + ".") }
        if let def = schema["default"] { parts.append("Default: `\(literal(def))`.") }
        if let pattern = schema["pattern"]?.stringValue { parts.append("Pattern: `\(pattern)`.") }
        return parts.joined(separator: " ")
    }

    private static func literal(_ v: JSONValue) -> String {
        if let s = v.stringValue { return s }
        return v.serializedString()
    }

    /// A table cell: no newlines, pipes escaped.
    private static func cell(_ s: String) -> String {
        s.replacingOccurrences(of: "\n", with: " ").replacingOccurrences(of: "|", with: "\\|")
    }
}
