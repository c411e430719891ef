/// Prompts: templates the user picks in the client (Claude Code lists them as `/` commands), filled in
/// with the user's arguments and handed to the model as messages.
/// - SeeAlso: https://modelcontextprotocol.io/specification/2025-11-25/server/prompts

/// One argument of a prompt. Prompt arguments are strings on the wire; `schema` (a JSON Schema for a
/// string) says which strings are valid, and is checked like a tool's `inputSchema` before the handler runs.
public struct PromptArgument: Sendable, Hashable {
    public var name: String
    public var title: String?
    public var description: String
    public var required: Bool
    public var schema: JSONValue

    public init(name: String, title: String? = nil, description: String, required: Bool = false, schema: JSONValue = ["type": "string"]) {
        self.name = name
        self.title = title
        self.description = description
        self.required = required
        self.schema = schema
    }

    var json: JSONValue {
        var o: JSONObject = ["name": .string(name)]
        if let title { o["title"] = .string(title) }
        o["description"] = .string(description)
        o["required"] = .bool(required)
        return .object(o)
    }
}

/// One entry of `prompts/list`.
public struct PromptDefinition: Sendable, Hashable {
    public var name: String
    public var title: String
    public var description: String
    public var arguments: [PromptArgument]

    public init(name: String, title: String, description: String, arguments: [PromptArgument]) {
        self.name = name
        self.title = title
        self.description = description
        self.arguments = arguments
    }

    public var json: JSONValue {
        ["name": .string(name), "title": .string(title), "description": .string(description),
         "arguments": .array(arguments.map(\.json))]
    }

    /// The object schema the arguments are validated against: one string property per argument, the
    /// required ones required, nothing else allowed.
    public var argumentsSchema: JSONValue {
        var properties = JSONObject()
        for a in arguments { properties[a.name] = a.schema }
        return ["type": "object", "properties": .object(properties),
                "required": .array(arguments.filter(\.required).map { .string($0.name) }), "additionalProperties": false]
    }
}

/// A message of a `prompts/get` result (text only: our playbooks are instructions).
public struct PromptMessage: Sendable, Hashable {
    public enum Role: String, Sendable { case user, assistant }
    public var role: Role
    public var text: String

    public init(role: Role = .user, text: String) {
        self.role = role
        self.text = text
    }

    var json: JSONValue { ["role": .string(role.rawValue), "content": ["type": "text", "text": .string(text)]] }
}

/// A prompt ready to serve: its definition, what `prompts/get` builds from the arguments, and the
/// values `completion/complete` suggests for an argument.
public struct Prompt: Sendable {
    public var definition: PromptDefinition
    /// Arguments are validated against `definition.argumentsSchema` before this runs.
    public var messages: @Sendable (_ arguments: [String: String]) async throws -> [PromptMessage]
    /// Candidate values for an argument, given what the user typed so far and the other arguments.
    /// Returns every candidate; the core filters by prefix, sorts nothing and caps at 100.
    public var complete: (@Sendable (_ argument: String, _ typed: String, _ others: [String: String]) async -> [String])?

    public init(
        definition: PromptDefinition,
        complete: (@Sendable (_ argument: String, _ typed: String, _ others: [String: String]) async -> [String])? = nil,
        messages: @escaping @Sendable (_ arguments: [String: String]) async throws -> [PromptMessage]
    ) {
        self.definition = definition
        self.messages = messages
        self.complete = complete
    }
}
