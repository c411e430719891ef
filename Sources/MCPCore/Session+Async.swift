/// Requests other than `tools/call` whose answer needs async work (`prompts/get`, `resources/read`,
/// `completion/complete`): one `Task` each, registered like a call so that `notifications/cancelled`
/// stops it (and nothing is sent for it) and the shutdown wait counts it. They take no call slot:
/// they are few, short, and a human started them.
extension Session {
    func spawn(id: RequestID, modern: Bool, _ target: ReplyTarget, _ body: @escaping @Sendable (RequestContext) async -> Result<JSONValue, MCPError>) {
        let admitted = state.withLock { s -> Bool in
            guard s.inFlight[id] == nil else { return false }
            s.inFlight[id] = InFlight(modern: modern, reply: target)
            s.runningTasks += 1
            return true
        }
        guard admitted else {
            return reply(target, error: .invalidRequest("request id \(id) is already in use by a request in progress; ids must be unique"), id: id)
        }
        let context = RequestContext(session: self, requestID: id, clientCapabilities: [:])
        let task = Task {
            let outcome = await body(context)
            if let entry = self.end(id) {
                switch outcome {
                case .success(let result): self.reply(entry.reply, result: result, id: id)
                case .failure(let error): self.reply(entry.reply, error: error, id: id)
                }
            }
            self.state.withLock { $0.runningTasks -= 1 }
            self.idle.broadcast()
        }
        state.withLock { s in s.inFlight[id]?.task = task }
    }

    /// A `cursor` on a list we return in one page is always invalid.
    func rejectCursor(_ params: JSONObject, _ list: String) -> MCPError? {
        guard let cursor = params["cursor"], !cursor.isNull else { return nil }
        return .invalidParams("invalid cursor \(cursor.serializedString()): this server returns every \(list) in one page")
    }

    /// A list result, with the 2026-07-28 cache hints (`ttlMs`, `cacheScope`) when the request is modern.
    func listResult(_ key: String, _ items: [JSONValue], modern: Bool) -> JSONValue {
        var result: JSONObject = [key: .array(items)]
        guard modern else { return .object(result) }
        result["ttlMs"] = .int(server.options.listTTLMilliseconds)
        result["cacheScope"] = "private"
        return modernResult(result)
    }
}
