/// `prompts/list`, `prompts/get` and `completion/complete`.
/// - SeeAlso: https://modelcontextprotocol.io/specification/2025-11-25/server/prompts
/// - SeeAlso: https://modelcontextprotocol.io/specification/2025-11-25/server/utilities/completion
extension Session {
    func listPrompts(id: RequestID, params: JSONObject, _ request: RequestMeta, _ target: ReplyTarget) {
        if let error = rejectCursor(params, "prompt") { return reply(target, error: error, id: id) }
        let prompts = server.catalog.prompts.map { $0.definition.json }
        reply(target, result: listResult("prompts", prompts, modern: request.modern), id: id)
    }

    /// Arguments are checked against the prompt's argument schema (strings only, required ones present,
    /// no unknown names) before the prompt is built; a problem is -32602 naming each one.
    func getPrompt(id: RequestID, params: JSONObject, _ request: RequestMeta, _ target: ReplyTarget) {
        guard case .string(let name)? = params["name"] else {
            return reply(target, error: .invalidParams("prompts/get needs params.name, a string"), id: id)
        }
        guard let prompt = server.catalog.prompts.first(where: { $0.definition.name == name }) else {
            let known = server.catalog.prompts.map(\.definition.name).joined(separator: ", ")
            return reply(target, error: .invalidParams("Unknown prompt: '\(name)'. Prompts: \(known)."), id: id)
        }
        var arguments = JSONObject()
        switch params["arguments"] {
        case nil, .null?: break
        case .object(let o)?: arguments = o
        case let other?:
            return reply(target, error: .invalidParams("params.arguments of prompts/get must be an object, got \(other.typeName)"), id: id)
        }
        let violations = server.validator.validate(.object(arguments), against: prompt.definition.argumentsSchema)
        if !violations.isEmpty {
            var lines = ["Invalid arguments for prompt '\(name)':"]
            lines += violations.map { "- " + $0.sentence }
            lines.append("prompts/list shows each argument; fix them and ask again.")
            return reply(target, error: .invalidParams(lines.joined(separator: "\n")), id: id)
        }
        var strings: [String: String] = [:]
        for (k, v) in arguments { if let s = v.stringValue { strings[k] = s } }
        let modern = request.modern
        spawn(id: id, modern: modern, target) { [self, strings] _ in
            do {
                let messages = try await prompt.messages(strings)
                let result: JSONObject = ["description": .string(prompt.definition.description), "messages": .array(messages.map(\.json))]
                return .success(modern ? modernResult(result) : .object(result))
            } catch {
                return .failure(.internalError("prompt \(name) could not be built: \(error)"))
            }
        }
    }

    /// Suggestions for a prompt argument: the prompt's candidates that start with what was typed
    /// (case-insensitive), at most 100 (`total` and `hasMore` say how many there were).
    func complete(id: RequestID, params: JSONObject, _ request: RequestMeta, _ target: ReplyTarget) {
        guard case .object(let ref)? = params["ref"], case .string(let type)? = ref["type"] else {
            return reply(target, error: .invalidParams("completion/complete needs params.ref, an object with a type"), id: id)
        }
        guard case .object(let argument)? = params["argument"], case .string(let argName)? = argument["name"],
              case .string(let typed)? = argument["value"] else {
            return reply(target, error: .invalidParams("completion/complete needs params.argument with a name and a value (strings)"), id: id)
        }
        var others: [String: String] = [:]
        for (k, v) in params["context"]?["arguments"]?.objectValue ?? [:] { if let s = v.stringValue { others[k] = s } }
        let modern = request.modern
        var completer: (@Sendable (String, String, [String: String]) async -> [String])? = nil
        switch type {
        case "ref/prompt":
            guard case .string(let name)? = ref["name"], let prompt = server.catalog.prompts.first(where: { $0.definition.name == name }) else {
                let got = ref["name"].map { $0.serializedString() } ?? "no name"
                return reply(target, error: .invalidParams("completion/complete: unknown prompt \(got)"), id: id)
            }
            completer = prompt.complete
        case "ref/resource":
            guard case .string(let uri)? = ref["uri"], server.catalog.resources.contains(where: { $0.template.uriTemplate == uri }) else {
                return reply(target, error: .invalidParams("completion/complete: unknown resource template \(ref["uri"].map { $0.serializedString() } ?? "")"), id: id)
            }
            // Template variables are ids from search results: nothing worth suggesting.
        default:
            return reply(target, error: .invalidParams("completion/complete: ref.type must be ref/prompt or ref/resource, got \"\(type)\""), id: id)
        }
        spawn(id: id, modern: modern, target) { [self, completer, others] _ in
            let all = await completer?(argName, typed, others) ?? []
            let needle = typed.lowercased()
            let matching = needle.isEmpty ? all : all.filter { $0.lowercased().hasPrefix(needle) }
            let values = Array(matching.prefix(100))
            let completion: JSONObject = [
                "values": .array(values.map { .string($0) }), "total": .int(Int64(matching.count)),
                "hasMore": .bool(matching.count > values.count),
            ]
            let result: JSONObject = ["completion": .object(completion)]
            return .success(modern ? modernResult(result) : .object(result))
        }
    }
}
