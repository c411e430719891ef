@testable import CheckPointTools
import MCPCore
import Testing

/// The README reference renderer on a small made-up catalog, so its format is pinned independently of
/// the real tools.
@Suite("Catalog docs renderer")
struct CatalogDocsTests {
    static let sample = ToolSpec(
        toolset: .email,
        definition: ToolDefinition(
            name: "find_things", title: "Find things",
            description: "Finds things.\nExample: {\"limit\": 5}",
            inputSchema: Schema.object(
                [
                    "limit": Schema.integer("How many | at most.", minimum: 1, maximum: 500, default: 50),
                    "verdict": Schema.string("Verdict.", enum: ["clean", "phishing"]),
                    "ids": Schema.array(Schema.string("An id."), "Entity ids.", maxItems: 100),
                    "since": Schema.string("Start.", format: "date-time"),
                ], required: ["ids"]),
            outputSchema: OutputSchema.object(required: []),
            annotations: ToolAnnotations(readOnly: false, destructive: true, idempotent: true, openWorld: false)),
        handler: { _, _, _ in .failure("not used") })

    @Test("renders heading, badges, description and an argument table")
    func rendersTool() {
        let md = CatalogDocs.markdown(for: [Self.sample])
        #expect(md.hasPrefix("1 tools (0 read-only, 1 that change state)."))
        #expect(md.contains("### Harmony Email & Collaboration (`--toolsets email`)"))
        #expect(md.contains("#### `find_things`: Find things\n\n`writes` · `destructive` · `idempotent` · `closed world`\n\nFinds things.\nExample: {\"limit\": 5}\n"))
        #expect(md.contains("| Argument | Type | Required | Description |\n|---|---|---|---|\n"))
        #expect(md.contains("| `limit` | integer 1–500 | no | How many \\| at most. Default: `50`. |"))
        #expect(md.contains("| `verdict` | string | no | Verdict. One of: `clean`, `phishing`. |"))
        #expect(md.contains("| `ids` | array of string, ≤ 100 items | yes | Entity ids. |"))
        #expect(md.contains("| `since` | string (date-time) | no | Start. |"))
        #expect(!md.contains("Harmony Mobile"), "an empty toolset got a heading")
        #expect(md.hasSuffix("|\n"))
    }

    @Test("a tool without arguments says so; read-only tools get the read-only badge")
    func noArguments() {
        var spec = Self.sample
        spec.definition.inputSchema = Schema.object([:])
        spec.definition.annotations = ToolAnnotations(readOnly: true, destructive: false, idempotent: true, openWorld: true)
        let md = CatalogDocs.markdown(for: [spec])
        #expect(md.contains("`read-only` · `idempotent` · `open world`"))
        #expect(md.contains("No arguments."))
    }

    @Test("rendering is deterministic")
    func deterministic() {
        #expect(CatalogDocs.markdown() == CatalogDocs.markdown())
    }
}
