import MCPCore
import Testing

@testable import CheckPointTools

/// `Schema`: the JSON Schema pieces tool definitions are built from, exactly as they reach `tools/list`.
@Suite("Schema builder")
struct SchemaTests {
    @Test("objects keep property order, list required names and are closed to unknown arguments")
    func object() {
        let o = Schema.object(["b": Schema.boolean("B."), "a": Schema.integer("A.")], required: ["a"], description: "Args.")
        #expect(o == [
            "type": "object", "description": "Args.",
            "properties": ["b": ["type": "boolean", "description": "B."], "a": ["type": "integer", "description": "A."]],
            "required": ["a"], "additionalProperties": false,
        ])
        #expect(o["properties"]?.objectValue?.map(\.key) == ["b", "a"], "insertion order, as written next to the handler")
        #expect(Schema.object([:])["required"] == nil, "no empty required list")
    }

    @Test("strings, integers and booleans carry only the constraints given")
    func scalars() {
        #expect(Schema.string("S.", enum: ["x", "y"], pattern: "^[xy]$", format: "date-time", minLength: 1, default: "x") == [
            "type": "string", "description": "S.", "enum": ["x", "y"], "pattern": "^[xy]$", "format": "date-time",
            "minLength": 1, "default": "x",
        ])
        #expect(Schema.string("S.") == ["type": "string", "description": "S."])
        #expect(Schema.integer("I.", minimum: 1, maximum: 500, default: 50) == ["type": "integer", "description": "I.", "minimum": 1, "maximum": 500, "default": 50])
        #expect(Schema.boolean("B.", default: false) == ["type": "boolean", "description": "B.", "default": false])
    }

    @Test("a description is left out when the name, type and enum say it all (every byte is in each tools/list)")
    func withoutDescription() {
        #expect(Schema.string() == ["type": "string"])
        #expect(Schema.string(enum: ["a", "b"]) == ["type": "string", "enum": ["a", "b"]])
        #expect(Schema.integer(minimum: 1) == ["type": "integer", "minimum": 1])
        #expect(Schema.boolean() == ["type": "boolean"])
        #expect(Schema.array(Schema.string()) == ["type": "array", "items": ["type": "string"]])
    }

    @Test("arrays")
    func arrays() {
        #expect(Schema.array(Schema.string("An id."), "Ids.", minItems: 1, maxItems: 100, unique: true) == [
            "type": "array", "description": "Ids.", "items": ["type": "string", "description": "An id."],
            "minItems": 1, "maxItems": 100, "uniqueItems": true,
        ])
        #expect(Schema.array(["type": "object"], "Rows.")["uniqueItems"] == nil)
    }
}
