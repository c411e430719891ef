/// `tools/list` and `tools/call`: lookup, argument validation before any handler runs, one `Task`
/// per call, results with `structuredContent` plus a text copy.
/// - SeeAlso: https://modelcontextprotocol.io/specification/2025-11-25/server/tools
/// - SeeAlso: https://modelcontextprotocol.io/specification/2026-07-28/server/tools
extension Session {
    func listTools(id: RequestID, params: JSONObject, _ request: RequestMeta, _ target: ReplyTarget) {
        if let cursor = params["cursor"], !cursor.isNull {
            // We never hand out cursors (one page holds every tool), so any cursor is invalid.
            let detail = "invalid cursor \(cursor.serializedString()): this server returns every tool in one page"
            return reply(target, error: .invalidParams(detail), id: id)
        }
        let catalog = server.catalog
        guard case .direct = target else {
            // Inside a 2025-03-26 batch the answer joins an array of values: build the tree.
            return reply(target, result: .object(["tools": catalog.listJSON]), id: id)
        }
        var result: JSONObject = ["tools": .string(Self.toolsPlaceholder)]
        if request.modern {
            result["ttlMs"] = .int(server.options.listTTLMilliseconds)
            result["cacheScope"] = "private"
        }
        let envelope: JSONValue = [
            "jsonrpc": "2.0", "id": id.json, "result": request.modern ? modernResult(result) : .object(result),
        ]
        transport.send(Self.splice(catalog.listBytes, into: envelope.serialized()))
    }

    /// Stands in for the tools array while the small envelope is serialized. Only the request id comes
    /// from the client, and it precedes `result`; everything after the array is ours, so the last match
    /// is the placeholder even if a client picks this very string as its id.
    static let toolsPlaceholder = "\u{0}tools\u{0}"
    static let placeholderBytes = JSONValue.string(toolsPlaceholder).serialized()

    /// The envelope with its placeholder (a JSON string) replaced by the pre-serialized array.
    static func splice(_ list: [UInt8], into envelope: [UInt8]) -> [UInt8] {
        let marker = placeholderBytes
        guard let start = envelope.indices.last(where: { envelope[$0...].starts(with: marker) }) else {
            preconditionFailure("tools/list placeholder missing from its envelope")
        }
        var out: [UInt8] = []
        out.reserveCapacity(envelope.count + list.count)
        out.append(contentsOf: envelope[..<start])
        out.append(contentsOf: list)
        out.append(contentsOf: envelope[(start + marker.count)...])
        return out
    }

    func callTool(id: RequestID, params: JSONObject, _ request: RequestMeta, _ target: ReplyTarget) {
        guard case .string(let name)? = params["name"] else {
            let got = params["name"].map { $0.typeName } ?? "nothing"
            return reply(target, error: .invalidParams("tools/call needs params.name, a string; got \(got)"), id: id)
        }
        var arguments = JSONObject()
        switch params["arguments"] {
        case nil, .null?: break
        case .object(let o)?: arguments = o
        case let other?:
            let detail = "params.arguments of tools/call must be an object, got \(other.typeName)"
            return reply(target, error: .invalidParams(detail), id: id)
        }
        let catalog = server.catalog
        guard let tool = catalog.byName[name] else {
            if let reason = catalog.unavailable[name] {
                return reply(target, error: .invalidParams("Tool '\(name)' is not available: \(reason)"), id: id)
            }
            return reply(target, error: .invalidParams(unknownToolMessage(name, catalog)), id: id)
        }
        var coercions: [Coercion] = []
        var violations = server.validator.validate(.object(arguments), against: tool.definition.inputSchema)
        if !violations.isEmpty {
            // Repair what has one reading ("412" for an integer...), then judge the repaired call.
            let (repaired, found) = ArgumentCoercion.coerce(.object(arguments), tool.definition.inputSchema, validator: server.validator)
            if !found.isEmpty, let object = repaired.objectValue {
                arguments = object
                coercions = found
                violations = server.validator.validate(repaired, against: tool.definition.inputSchema)
            }
        }
        if !violations.isEmpty {
            let text = SchemaViolation.render(violations, tool: name)
            server.logToStderr(.debug, "tools", .string("rejected arguments for \(name): \(violations.count) problem(s)"))
            return reply(target, result: toolResultJSON(.failure(text), modern: request.modern), id: id)
        }
        var context = RequestContext(session: self, requestID: id, clientCapabilities: request.clientCapabilities)
        context.toolName = name
        context.arguments = arguments
        let version: String? = request.modern ? ProtocolVersion.v2026_07_28 : state.withLock { $0.legacyVersion }
        context.elicitation = ElicitationChannel.offered(by: request.clientCapabilities, version: version, modern: request.modern)
        if request.modern, let handle = params["requestState"] {
            switch resume(handle, params["inputResponses"], tool: name, arguments: arguments) {
            case .reask(let again):
                return reply(target, result: modernResult(again.resultObject, type: "input_required"), id: id)
            case .resume(let resumption):
                context.resumption = resumption
            }
        }
        let entry = InFlight(
            progressToken: request.progressToken, logLevel: request.logLevel, modern: request.modern, reply: target)
        let call = ParkedCall(tool: tool, arguments: arguments, context: context, coercions: coercions)
        let limit = server.options.maxConcurrentCalls
        let admission = state.withLock { s -> Admission in
            if s.inFlight[id] != nil { return .duplicate }
            s.inFlight[id] = entry
            s.runningTasks += 1
            guard s.activeTasks < limit else {
                s.parked.push(call)
                return .parked
            }
            s.activeTasks += 1
            return .start
        }
        switch admission {
        case .duplicate:
            let detail = "request id \(id) is already in use by a call in progress; ids must be unique"
            reply(target, error: .invalidRequest(detail), id: id)
        case .parked:
            server.logToStderr(.debug, "tools", .string("\(limit) calls running; \(name) (id \(id)) waits for a slot"))
        case .start:
            start(call, immediately: true)
        }
    }

    private enum Admission { case duplicate, parked, start }

    /// Runs a call that holds a slot (`activeTasks` already counts it).
    ///
    /// `immediately` (from the reader thread) runs the handler on the calling thread up to its first
    /// suspension (SE-0472 `Task.immediate`): a tool that answers from memory replies with no thread
    /// hop at all (measured: the hop to a sleeping pool thread was most of a cheap call's latency), while
    /// a tool that goes upstream suspends within microseconds and the reader is free again. A parked
    /// call started by a finishing one goes through the pool instead, so cheap calls never nest on
    /// one stack.
    func start(_ call: ParkedCall, immediately: Bool) {
        let operation: @Sendable () async -> Void = { await self.run(call.tool, call.arguments, call.context, call.coercions) }
        let task: Task<Void, Never>
        if immediately, #available(macOS 26.0, iOS 26.0, tvOS 26.0, watchOS 26.0, visionOS 26.0, *) {
            task = Task.immediate(operation: operation)  // SE-0472: in the Swift 6.2 runtime
        } else {
            task = Task(operation: operation)
        }
        state.withLock { s in s.inFlight[call.context.requestID]?.task = task }
    }

    /// At shutdown, calls still waiting for a slot get the same answer as cancelled running ones.
    func answerParkedCallsAtShutdown() {
        var waiting: [RequestID] = []
        state.withLock { s in
            while let call = s.parked.pop() { waiting.append(call.context.requestID) }
        }
        for id in waiting {
            if let entry = end(id) {
                reply(entry.reply, result: toolResultJSON(.failure("The server shut down before this call started."), modern: entry.modern), id: id)
            }
            state.withLock { $0.runningTasks -= 1 }
        }
    }

    /// At shutdown, calls whose handler did not reply even after cancellation: answered here, once.
    func answerAbandonedCallsAtShutdown() {
        let ids = state.withLock { s in Array(s.inFlight.keys) }
        for id in ids {
            guard let entry = end(id) else { continue }  // cancelled by the client, or replied meanwhile
            let text = "The server shut down (its input closed) before this call finished, and the call was abandoned. "
                + "If it was a change, its outcome is unknown: re-read the current state before repeating it."
            reply(entry.reply, result: toolResultJSON(.failure(text), modern: entry.modern), id: id)
        }
        if !ids.isEmpty {
            server.logToStderr(.warning, "transport", .string("stdin closed; answered \(ids.count) call(s) that did not finish after cancellation"))
        }
    }

    private func run(_ tool: Tool, _ arguments: JSONObject, _ context: RequestContext, _ coercions: [Coercion]) async {
        defer { taskFinished() }
        let name = tool.definition.name
        var outcome: ToolResult
        do {
            outcome = try await tool.handler(arguments, context)
        } catch let question as InputRequired {
            // 2026-07-28: the call ends here with the question; the client's retry carries the answer.
            guard let entry = end(context.requestID) else { return }
            return reply(entry.reply, result: modernResult(question.resultObject, type: "input_required"), id: context.requestID)
        } catch is CancellationError {
            // Sent only if the client did not cancel (then `end` returns nil): never leave a caller waiting.
            outcome = .failure("The call to \(name) was cancelled before it finished.")
        } catch {
            server.logToStderr(.warning, "tools", .string("\(name) failed: \(error)"))
            outcome = .failure(String(describing: error))
        }
        outcome = outcome.noting(coercions)
        if server.options.validatesOutput, let fault = outputFault(of: outcome, for: tool.definition) {
            server.logToStderr(.error, "tools", .string(fault))
            outcome = .failure("Internal error: \(fault)")
        }
        guard let entry = end(context.requestID) else { return }
        if !entry.modern, let version = state.withLock({ $0.legacyVersion }), version < ProtocolVersion.v2025_06_18 {
            // `resource_link` content arrived in 2025-06-18; older clients would reject the unknown block.
            outcome.content.removeAll { $0["type"] == "resource_link" }
        }
        reply(entry.reply, result: toolResultJSON(outcome, modern: entry.modern), id: context.requestID)
    }

    enum ResumeStep {
        case resume(Resumption)
        /// The state is good but the answer to our question is missing: ask again under a fresh state.
        case reask(InputRequired)
    }

    /// Reads a 2026-07-28 retry: redeems its `requestState` (single use, bound to this tool and these
    /// arguments, unexpired) and pairs the kept payload with the answer in `inputResponses`.
    func resume(_ handle: JSONValue, _ responses: JSONValue?, tool: String, arguments: JSONObject) -> ResumeStep {
        guard case .string(let handle) = handle else { return .resume(.refused(.unknown)) }
        switch server.inputStates.redeem(handle, tool: tool, arguments: arguments) {
        case .failure(let error):
            server.logToStderr(.info, "protocol", .string("\(tool): requestState refused (\(error.reason))"))
            return .resume(.refused(error))
        case .success(let entry):
            guard let answer = responses?[entry.key] else {
                let fresh = server.inputStates.issue(tool: tool, arguments: arguments, request: entry.request, payload: entry.payload)
                return .reask(InputRequired(key: entry.key, request: entry.request, requestState: fresh))
            }
            return .resume(.answered(payload: entry.payload, outcome: ElicitationOutcome.from(result: answer)))
        }
    }

    /// The debug/test hook: a success must carry `structuredContent` conforming to `outputSchema`.
    private func outputFault(of result: ToolResult, for definition: ToolDefinition) -> String? {
        guard !result.isError, case .object(let schema) = definition.outputSchema, !schema.isEmpty else { return nil }
        guard let structured = result.structuredContent else {
            return "tool \(definition.name) has an outputSchema but returned no structuredContent"
        }
        let violations = server.validator.validate(structured, against: definition.outputSchema)
        guard !violations.isEmpty else { return nil }
        let first = violations.prefix(3).map { $0.sentence }.joined(separator: "; ")
        return "tool \(definition.name) returned structuredContent that does not match its outputSchema: \(first)"
    }

    func toolResultJSON(_ result: ToolResult, modern: Bool) -> JSONValue {
        var o: JSONObject = ["content": .array(result.content)]
        if let structured = result.structuredContent { o["structuredContent"] = structured }
        o["isError"] = .bool(result.isError)
        return modern ? modernResult(o) : .object(o)
    }

    private func unknownToolMessage(_ name: String, _ catalog: MCPServer.ResolvedCatalog) -> String {
        var message = "Unknown tool: '\(name)'. Call tools/list to see the available tool names."
        let known = catalog.tools.map(\.definition.name) + catalog.unavailable.keys.sorted()
        let close = ToolNameSuggestions.closest(to: name, among: known)
        if !close.isEmpty {
            message += " Did you mean " + close.map { "'\($0)'" }.joined(separator: " or ") + "?"
        }
        return message
    }

    // MARK: - Notifications from a running call

    /// Progress goes out only with a token, only while the call is active, only if it increases.
    /// - SeeAlso: https://modelcontextprotocol.io/specification/2025-11-25/basic/utilities/progress
    func progress(_ id: RequestID, _ value: Double, total: Double?, message: String?) {
        guard value.isFinite else { return }
        state.withLock { s in
            guard var entry = s.inFlight[id], !entry.cancelled, let token = entry.progressToken else { return }
            if let last = entry.lastProgress, value <= last { return }
            entry.lastProgress = value
            s.inFlight[id] = entry
            var params: JSONObject = ["progressToken": token, "progress": Self.number(value)]
            if let total, total.isFinite { params["total"] = Self.number(total) }
            if let message { params["message"] = .string(message) }
            notify("notifications/progress", .object(params))  // under the lock: ordered before the response
        }
    }

    /// A tool's log line: to stderr at the server's threshold, and as `notifications/message` when the
    /// session (legacy `logging/setLevel`) or the request (2026 `_meta` logLevel) asked for that level.
    /// - SeeAlso: https://modelcontextprotocol.io/specification/2025-11-25/server/utilities/logging
    func log(_ id: RequestID, _ level: LogLevel, logger: String, _ data: JSONValue) {
        server.logToStderr(level, logger, data)
        state.withLock { s in
            guard let entry = s.inFlight[id], !entry.cancelled else { return }
            guard let threshold = entry.modern ? entry.logLevel : s.legacyLogLevel, level >= threshold else { return }
            notify("notifications/message", ["level": .string(level.rawValue), "logger": .string(logger), "data": data])
        }
    }

    private static func number(_ d: Double) -> JSONValue {
        d == d.rounded() && abs(d) < 1e15 ? .int(Int64(d)) : .double(d)
    }
}

/// The `ToolContext` handed to a handler: its request id, the caller's capabilities, progress and log,
/// and the way to ask the user (see `Elicitation.swift`).
struct RequestContext: ToolContext {
    let session: Session
    let requestID: RequestID
    let clientCapabilities: JSONValue
    var elicitation: ElicitationChannel? = nil
    var resumption: Resumption? = nil
    /// The call's tool and arguments, which a 2026-07-28 `requestState` is bound to.
    var toolName = ""
    var arguments = JSONObject()

    func progress(_ progress: Double, total: Double?, message: String?) async {
        session.progress(requestID, progress, total: total, message: message)
    }

    func log(_ level: LogLevel, logger: String, _ data: JSONValue) async {
        session.log(requestID, level, logger: logger, data)
    }

    func elicit(_ request: ElicitationRequest, keeping payload: any Sendable) async throws -> ElicitationOutcome {
        switch elicitation {
        case nil:
            return .failed("the client did not declare form elicitation")
        case .inputRequired?:
            let state = session.server.inputStates.issue(tool: toolName, arguments: arguments, request: request, payload: payload)
            throw InputRequired(key: InputStateStore.confirmKey, request: request, requestState: state)
        case .request?:
            let version = session.state.withLock { $0.legacyVersion } ?? ProtocolVersion.latestLegacy
            let seconds = session.server.options.elicitationTimeoutSeconds
            let answer = await session.requestClient(
                "elicitation/create", request.params(withMode: version >= ProtocolVersion.v2025_11_25), timeout: .seconds(seconds))
            switch answer {
            case .result(let result): return ElicitationOutcome.from(result: result)
            case .error(let error):
                return .failed("the client answered the question with an error: \(error["message"]?.stringValue ?? error.serializedString())")
            case .timedOut: return .noAnswer(seconds: seconds)
            case .cancelled: throw CancellationError()
            }
        }
    }
}
