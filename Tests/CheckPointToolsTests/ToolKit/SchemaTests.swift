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

    @Test("strings, integers and numbers carry only the constraints given")
    func scalars() {
        #expect(Schema.string("S.", enum: ["x", "y"], pattern: "^[xy]$", format: "date-time", minLength: 1, maxLength: 2, default: "x", examples: ["y"]) == [
            "type": "string", "description": "S.", "enum": ["x", "y"], "pattern": "^[xy]$", "format": "date-time",
            "minLength": 1, "maxLength": 2, "default": "x", "examples": ["y"],
        ])
        #expect(Schema.string("S.") == ["type": "string", "description": "S."])
        #expect(Schema.integer("I.", minimum: 1, maximum: 500, default: 50) == ["type": "integer", "description": "I.", "minimum": 1, "maximum": 500, "default": 50])
        #expect(Schema.number("N.", minimum: 0, maximum: 1) == ["type": "number", "description": "N.", "minimum": 0.0, "maximum": 1.0])
        #expect(Schema.boolean("B.", default: false) == ["type": "boolean", "description": "B.", "default": false])
    }

    @Test("arrays and nullable types")
    func arraysAndNullable() {
        #expect(Schema.array(Schema.string("An id."), "Ids.", minItems: 1, maxItems: 100, unique: true) == [
            "type": "array", "description": "Ids.", "items": ["type": "string", "description": "An id."],
            "minItems": 1, "maxItems": 100, "uniqueItems": true,
        ])
        #expect(Schema.array(["type": "object"], "Rows.")["uniqueItems"] == nil)
        #expect(Schema.nullable("integer", "Maybe.") == ["type": ["integer", "null"], "description": "Maybe."])
        #expect(Schema.nullable("string") == ["type": ["string", "null"]])
    }
}
