/// `resources/list` (empty: we serve templates), `resources/templates/list` and `resources/read`.
/// - SeeAlso: https://modelcontextprotocol.io/specification/2025-11-25/server/resources
/// - SeeAlso: https://modelcontextprotocol.io/specification/2026-07-28/server/utilities/caching
extension Session {
    func listResources(id: RequestID, params: JSONObject, _ request: RequestMeta, _ target: ReplyTarget) {
        if let error = rejectCursor(params, "resource") { return reply(target, error: error, id: id) }
        reply(target, result: listResult("resources", [], modern: request.modern), id: id)
    }

    func listResourceTemplates(id: RequestID, params: JSONObject, _ request: RequestMeta, _ target: ReplyTarget) {
        if let error = rejectCursor(params, "resource template") { return reply(target, error: error, id: id) }
        let templates = server.catalog.resources.map { $0.template.json }
        reply(target, result: listResult("resourceTemplates", templates, modern: request.modern), id: id)
    }

    /// Reads what a URI names. What a resource shows changes as the tenant changes, so under 2026-07-28
    /// the result says `ttlMs: 0` (re-read every time) and `cacheScope: private` (tenant data).
    func readResource(id: RequestID, params: JSONObject, _ request: RequestMeta, _ target: ReplyTarget) {
        guard case .string(let uri)? = params["uri"] else {
            return reply(target, error: .invalidParams("resources/read needs params.uri, a string"), id: id)
        }
        let modern = request.modern
        let notFound: @Sendable (String) -> MCPError = { detail in
            // -32002 was retired by 2026-07-28, where a missing resource is -32602.
            modern ? .invalidParams(detail) : .resourceNotFound(detail, uri: uri)
        }
        var matched: (ResourceProvider, [String: String])? = nil
        for provider in server.catalog.resources {
            if let variables = provider.template.match(uri) { matched = (provider, variables); break }
        }
        guard let (provider, variables) = matched else {
            let templates = server.catalog.resources.map(\.template.uriTemplate).joined(separator: ", ")
            return reply(target, error: notFound("Resource not found: \(uri). This server reads URIs of these templates: \(templates)."), id: id)
        }
        spawn(id: id, modern: modern, target) { [self] context in
            do {
                let contents = try await provider.read(uri, variables, context)
                var result: JSONObject = ["contents": .array(contents.map(\.json))]
                guard modern else { return .success(.object(result)) }
                result["ttlMs"] = 0
                result["cacheScope"] = "private"
                return .success(modernResult(result))
            } catch ResourceReadError.notFound(let detail) {
                return .failure(notFound(detail))
            } catch ResourceReadError.failed(let detail) {
                return .failure(.internalError(detail))
            } catch {
                return .failure(.internalError("\(uri) could not be read: \(error)"))
            }
        }
    }
}
