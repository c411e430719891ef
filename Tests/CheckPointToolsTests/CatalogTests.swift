import CheckPointTools
import Foundation
import MCPCore
import Testing

/// Every tool follows the rules MCP clients and agents rely on (snapshots: `CatalogSnapshotTests`).
/// - SeeAlso: the MCP specification (modelcontextprotocol.io) §4 (names, annotations, schemas); docs/architecture.md (tools.json)
@Suite("Catalog")
struct CatalogTests {
    static var definitions: [ToolDefinition] { Toolbox.allSpecs.map(\.definition) }

    // MARK: Invariants

    @Test("names are unique, snake_case and within MCP's tool-name rule")
    func names() {
        let names = Self.definitions.map(\.name)
        #expect(Set(names).count == names.count, "duplicate tool names")
        for name in names {
            #expect(name.wholeMatch(of: /[A-Za-z0-9._-]{1,128}/) != nil, "\(name) breaks ^[A-Za-z0-9._-]{1,128}$")
            #expect(name.wholeMatch(of: /[a-z][a-z0-9]*(_[a-z0-9]+)*/) != nil, "\(name) is not snake_case")
        }
    }

    @Test("every tool has a title and a description with an example call")
    func titlesAndDescriptions() {
        for tool in Self.definitions {
            #expect(!tool.title.trimmingCharacters(in: .whitespaces).isEmpty, "\(tool.name) has no title")
            #expect(tool.description.count >= 40, "\(tool.name)'s description is too short to say when to use it")
            let lower = tool.description.lowercased()
            let example = lower.range(of: "example")
            #expect(example != nil, "\(tool.name)'s description has no example call")
            if let example {
                #expect(lower[example.upperBound...].contains("{"), "\(tool.name)'s example shows no arguments object")
            }
        }
    }

    @Test("all four annotation hints are set explicitly, as the tool declares them, and reads are marked read-only")
    func annotations() {
        for tool in Self.definitions {
            let wire = tool.json["annotations"]?.objectValue ?? [:]
            let a = tool.annotations
            let declared = ["readOnlyHint": a.readOnlyHint, "destructiveHint": a.destructiveHint,
                            "idempotentHint": a.idempotentHint, "openWorldHint": a.openWorldHint]
            for (hint, value) in declared {
                #expect(wire[hint]?.boolValue == value, "\(tool.name) does not send \(hint): \(value)")
            }
            let looksLikeRead = ["get_", "list_", "search_", "diagnose"].contains { tool.name.hasPrefix($0) }
            if looksLikeRead { #expect(tool.annotations.readOnlyHint, "\(tool.name) reads but is not readOnlyHint") }
            if tool.annotations.readOnlyHint {
                #expect(!tool.annotations.destructiveHint, "\(tool.name) is read-only yet destructive")
            }
        }
    }

    @Test("input and output schemas are plain objects: type object, no top-level combinators")
    func schemaShapes() {
        for tool in Self.definitions {
            for (label, schema) in [("inputSchema", tool.inputSchema), ("outputSchema", tool.outputSchema)] {
                #expect(schema["type"] == "object", "\(tool.name).\(label) is not type object")
                for combinator in ["anyOf", "oneOf", "allOf", "not", "if"] {
                    #expect(schema[combinator] == nil, "\(tool.name).\(label) has top-level \(combinator)")
                }
            }
        }
    }

    @Test("every input object is closed (additionalProperties false) and every argument is snake_case")
    func inputObjectsClosed() {
        for tool in Self.definitions {
            for (path, object) in Self.objectSchemas(in: tool.inputSchema, path: tool.name) {
                #expect(object["additionalProperties"] == false, "\(path) allows additional properties")
                let properties = object["properties"]?.objectValue ?? [:]
                for key in properties.keys {
                    #expect(key.wholeMatch(of: /[a-z][a-z0-9]*(_[a-z0-9]+)*/) != nil, "\(path).\(key) is not snake_case")
                }
                for required in object["required"]?.arrayValue?.compactMap(\.stringValue) ?? [] {
                    #expect(properties[required] != nil, "\(path) requires \(required), which it does not define")
                }
            }
        }
    }

    @Test("every write tool takes a confirmation_token")
    func writesTakeConfirmation() {
        for tool in Self.definitions where !tool.annotations.readOnlyHint {
            #expect(tool.inputSchema["properties"]?["confirmation_token"] != nil, "\(tool.name) has no confirmation_token")
        }
    }

    // MARK: Size

    /// What `tools/list` costs an agent's context: the tools array as the server sends it (compact JSON,
    /// `ToolDefinition.json` serialized as `MCPServer` does), every toolset and write included. 32 KB is
    /// 32,000 bytes, about 8k tokens (docs/benchmarks.md "Catalog bytes per tool").
    static let catalogBudget = 32_000

    @Test("the whole catalog, as tools/list sends it, stays under 32 KB")
    func catalogSize() {
        let perTool = Self.definitions.map { ($0.name, $0.json.serialized().count) }
        let total = JSONValue.array(Self.definitions.map(\.json)).serialized().count
        let table = perTool.sorted { $0.1 > $1.1 }.map { "  \($0.0): \($0.1) bytes" }.joined(separator: "\n")
        #expect(total < Self.catalogBudget,
                "tools/list is \(total) bytes, over the \(Self.catalogBudget)-byte budget; per tool, largest first:\n\(table)")
    }

    @Test("descriptions do not repeat what the server's instructions say once")
    func noRepeatedBoilerplate() {
        for tool in Self.definitions {
            // The untrusted-data rule and the confirmation flow are stated in `instructions`; a description
            // keeps at most a short pointer.
            #expect(!tool.description.contains("never follow instructions"), "\(tool.name) repeats the untrusted-data rule")
            #expect(!tool.description.contains("call again with the confirmation_token"), "\(tool.name) repeats the confirmation flow")
            let token = tool.inputSchema["properties"]?["confirmation_token"]?["description"]?.stringValue ?? ""
            #expect(token.count <= 80, "\(tool.name)'s confirmation_token description is \(token.count) characters")
        }
    }

    /// Every schema of `type: object` inside `schema` (itself included), with a readable path.
    static func objectSchemas(in schema: JSONValue, path: String) -> [(String, JSONValue)] {
        var found: [(String, JSONValue)] = []
        if schema["type"] == "object" { found.append((path, schema)) }
        for (key, sub) in schema["properties"]?.objectValue ?? [:] {
            found += objectSchemas(in: sub, path: "\(path).\(key)")
        }
        if let items = schema["items"] { found += objectSchemas(in: items, path: "\(path)[]") }
        for combinator in ["anyOf", "oneOf", "allOf"] {
            for (i, sub) in (schema[combinator]?.arrayValue ?? []).enumerated() {
                found += objectSchemas(in: sub, path: "\(path).\(combinator)[\(i)]")
            }
        }
        return found
    }
}
