/// Request routing for both eras, and the lifecycle methods.
///
/// - A request whose `params._meta` names a protocol version (or `server/discover`, which exists
///   only in 2026-07-28) is served statelessly as 2026-07-28, whatever happened before.
/// - Anything else is legacy: `initialize` first, then `tools/*`, `ping`, `logging/setLevel`.
/// - SeeAlso: https://modelcontextprotocol.io/specification/2026-07-28/basic/versioning#backward-compatibility-with-initialization-based-versions
extension Session {
    /// What a request carries besides its params, in either era.
    struct RequestMeta {
        var modern: Bool
        var clientCapabilities: JSONValue
        var logLevel: LogLevel?
        var progressToken: JSONValue?
    }

    func handleRequest(id: RequestID, method: String, params: JSONObject, _ target: ReplyTarget) {
        let meta = params["_meta"]?.objectValue
        let (legacyVersion, legacyCapabilities) = state.withLock { ($0.legacyVersion, $0.legacyClientCapabilities) }
        let modern = method == "server/discover" || meta?[MetaKey.protocolVersion] != nil
            || (legacyVersion == nil && meta?[MetaKey.clientCapabilities] != nil)
        let progressToken = meta?[MetaKey.progressToken].flatMap { t -> JSONValue? in
            switch t { case .string, .int: return t; default: return nil }
        }
        if modern {
            switch modernEnvelope(params["_meta"]) {
            case .failure(let error): return reply(target, error: error, id: id)
            case .success(var request):
                request.progressToken = progressToken
                return handleModern(id: id, method: method, params: params, request, target)
            }
        }
        let request = RequestMeta(modern: false, clientCapabilities: legacyCapabilities, progressToken: progressToken)
        switch method {
        case "initialize":
            return initialize(id: id, params: params, alreadyNegotiated: legacyVersion, target)
        case "ping":
            return reply(target, result: [:], id: id)
        default:
            break
        }
        guard legacyVersion != nil else {
            let detail = "the session is not initialized: send \"initialize\" first"
                + " (or, for protocol 2026-07-28, send the version and client capabilities in params._meta)"
            return reply(target, error: .invalidRequest(detail), id: id)
        }
        switch method {
        case "logging/setLevel":
            guard case .string(let raw)? = params["level"], let level = LogLevel(rawValue: raw) else {
                return reply(target, error: .invalidParams(Self.badLevel(params["level"])), id: id)
            }
            state.withLock { $0.legacyLogLevel = level }
            reply(target, result: [:], id: id)
        default:
            serve(id: id, method: method, params: params, request, target)
        }
    }

    /// The methods both eras share. A method of a capability we do not declare (no prompts, no
    /// resources in this catalog) is -32601, as if it did not exist.
    private func serve(id: RequestID, method: String, params: JSONObject, _ request: RequestMeta, _ target: ReplyTarget) {
        let catalog = server.catalog
        switch method {
        case "tools/list":
            listTools(id: id, params: params, request, target)
        case "tools/call":
            callTool(id: id, params: params, request, target)
        case "prompts/list" where !catalog.prompts.isEmpty:
            listPrompts(id: id, params: params, request, target)
        case "prompts/get" where !catalog.prompts.isEmpty:
            getPrompt(id: id, params: params, request, target)
        case "completion/complete" where catalog.offersCompletions:
            complete(id: id, params: params, request, target)
        case "resources/list" where !catalog.resources.isEmpty:
            listResources(id: id, params: params, request, target)
        case "resources/templates/list" where !catalog.resources.isEmpty:
            listResourceTemplates(id: id, params: params, request, target)
        case "resources/read" where !catalog.resources.isEmpty:
            readResource(id: id, params: params, request, target)
        default:
            reply(target, error: .methodNotFound(method), id: id)
        }
    }

    private func handleModern(id: RequestID, method: String, params: JSONObject, _ request: RequestMeta, _ target: ReplyTarget) {
        switch method {
        case "server/discover":
            var result: JSONObject = [
                "supportedVersions": .array(ProtocolVersion.all.map { .string($0) }),
                "capabilities": capabilities,
            ]
            if let instructions = server.options.instructions { result["instructions"] = .string(instructions) }
            result["ttlMs"] = .int(server.options.listTTLMilliseconds)
            result["cacheScope"] = "private"
            reply(target, result: modernResult(result), id: id)
        case "initialize", "ping", "logging/setLevel":
            // 2026-07-28 removed them.
            reply(target, error: .methodNotFound(method), id: id)
        default:
            serve(id: id, method: method, params: params, request, target)
        }
    }

    /// Checks the 2026-07-28 `_meta` envelope: version (required, served), client capabilities
    /// (required object), optional request-scoped log level.
    /// - SeeAlso: https://modelcontextprotocol.io/specification/2026-07-28/basic/index#meta
    private func modernEnvelope(_ raw: JSONValue?) -> Result<RequestMeta, MCPError> {
        let keys = "\"\(MetaKey.protocolVersion)\" and \"\(MetaKey.clientCapabilities)\""
        guard let raw else {
            return .failure(.invalidParams("Missing params._meta: 2026-07-28 requests must carry \(keys) in params._meta"))
        }
        guard case .object(let meta) = raw else {
            return .failure(.invalidParams("params._meta must be an object, got \(raw.typeName)"))
        }
        guard let version = meta[MetaKey.protocolVersion] else {
            return .failure(.invalidParams("Missing \"\(MetaKey.protocolVersion)\" in params._meta"))
        }
        guard case .string(let v) = version else {
            return .failure(.invalidParams("\"\(MetaKey.protocolVersion)\" must be a string, got \(version.typeName)"))
        }
        guard ProtocolVersion.modern.contains(v) else {
            return .failure(.unsupportedProtocolVersion(requested: version, supported: ProtocolVersion.all))
        }
        guard let capabilities = meta[MetaKey.clientCapabilities] else {
            return .failure(.invalidParams("Missing \"\(MetaKey.clientCapabilities)\" in params._meta"))
        }
        guard case .object = capabilities else {
            let got = capabilities.typeName
            return .failure(.invalidParams("\"\(MetaKey.clientCapabilities)\" must be an object, got \(got)"))
        }
        var level: LogLevel? = nil
        if let rawLevel = meta[MetaKey.logLevel] {
            guard case .string(let s) = rawLevel, let parsed = LogLevel(rawValue: s) else {
                return .failure(.invalidParams(Self.badLevel(rawLevel, key: "params._meta[\"\(MetaKey.logLevel)\"]")))
            }
            level = parsed
        }
        return .success(RequestMeta(modern: true, clientCapabilities: capabilities, logLevel: level))
    }

    /// Legacy negotiation: echo a supported version, otherwise offer our newest handshake version.
    /// - SeeAlso: https://modelcontextprotocol.io/specification/2025-11-25/basic/lifecycle#version-negotiation
    private func initialize(id: RequestID, params: JSONObject, alreadyNegotiated: String?, _ target: ReplyTarget) {
        if let alreadyNegotiated {
            let detail = "initialize was already called; this session uses protocol version \(alreadyNegotiated)"
            return reply(target, error: .invalidRequest(detail), id: id)
        }
        guard case .string(let requested)? = params["protocolVersion"] else {
            let detail = "initialize needs params.protocolVersion, a string such as \"\(ProtocolVersion.latestLegacy)\""
            return reply(target, error: .invalidParams(detail), id: id)
        }
        if let caps = params["capabilities"], caps.objectValue == nil {
            return reply(target, error: .invalidParams("params.capabilities must be an object, got \(caps.typeName)"), id: id)
        }
        let version = ProtocolVersion.legacy.contains(requested) ? requested : ProtocolVersion.latestLegacy
        state.withLock { s in
            s.legacyVersion = version
            s.legacyClientCapabilities = params["capabilities"] ?? [:]
        }
        // Answer once the catalog (built beside the handshake since startup) is ready, so the
        // `tools/list` every client sends next is a copy of prepared bytes, never a wait; the
        // capabilities depend on it too (prompts and resources are declared only when served).
        _ = server.catalog.listBytes
        var result: JSONObject = [
            "protocolVersion": .string(version), "capabilities": capabilities, "serverInfo": server.options.info.json,
        ]
        if let instructions = server.options.instructions { result["instructions"] = .string(instructions) }
        let client = params["clientInfo"]?["name"]?.stringValue ?? "unnamed client"
        server.logToStderr(.info, "protocol", .string("initialize from \(client): asked \(requested), using \(version)"))
        reply(target, result: .object(result), id: id)
    }

    /// What we implement, and nothing more, the same in both eras: tools and logging always; prompts,
    /// completions (for prompt arguments) and resources (templates, no subscriptions) when the catalog
    /// serves any. No list ever changes while the process runs, so `listChanged` is false throughout.
    var capabilities: JSONValue {
        let catalog = server.catalog
        var c: JSONObject = ["tools": ["listChanged": false], "logging": [:]]
        if !catalog.prompts.isEmpty { c["prompts"] = ["listChanged": false] }
        if catalog.offersCompletions { c["completions"] = [:] }
        if !catalog.resources.isEmpty { c["resources"] = ["subscribe": false, "listChanged": false] }
        return .object(c)
    }

    /// Adds what every 2026-07-28 result carries: `resultType` and the serverInfo stamp.
    func modernResult(_ result: JSONObject, type: String = "complete") -> JSONValue {
        var r = result
        r["resultType"] = .string(type)
        r["_meta"] = [MetaKey.serverInfo: server.options.info.json]
        return .object(r)
    }

    static func badLevel(_ got: JSONValue?, key: String = "params.level") -> String {
        let levels = LogLevel.allCases.map(\.rawValue).joined(separator: ", ")
        return "\(key) must be one of \(levels); got \(got.map { $0.serializedString() } ?? "nothing")"
    }
}
