/// One client connection: framing in, classification, era selection, in-flight requests, replies out.
///
/// Every incoming line is handled synchronously on the transport's reader thread, in order. Cheap
/// methods (`initialize`, `ping`, `tools/list`, discovery, errors) are answered right there; each
/// `tools/call` runs in its own `Task`, so a slow tool never delays anything else. State is behind
/// one lock (see `Locked` for why not an actor).
final class Session: Sendable {
    let server: MCPServer
    let transport: StdioTransport
    let state = Locked(State())
    /// Signalled when the last in-flight request finishes, for the shutdown wait.
    let idle = Condition()

    struct State {
        /// The version `initialize` negotiated; `nil` until then (legacy era only).
        var legacyVersion: String?
        var legacyClientCapabilities: JSONValue = [:]
        /// Set by `logging/setLevel`; until then no `notifications/message` is sent in the legacy era.
        var legacyLogLevel: LogLevel?
        var inFlight: [RequestID: InFlight] = [:]
        /// Tool calls that have not yet queued their reply, parked ones included (outlives the
        /// `inFlight` entry briefly); the shutdown wait counts these so no reply is lost at stdin EOF.
        var runningTasks = 0
        /// Tool calls whose `Task` exists, at most `maxConcurrentCalls`.
        var activeTasks = 0
        /// Calls waiting for a slot, oldest first.
        var parked = FIFO<ParkedCall>()
        /// Our requests to the client (`elicitation/create`), by the id we gave them.
        var nextOutgoingID: Int64 = 0
        var outgoing: [RequestID: Outgoing] = [:]
        /// Ids of ours already answered, timed out or withdrawn: a later response to one is dropped.
        var settledOutgoing = Set<RequestID>()
    }

    /// A validated `tools/call` waiting for a free slot (its `InFlight` entry already exists, so it
    /// can be cancelled while it waits).
    struct ParkedCall {
        var tool: Tool
        var arguments: JSONObject
        var context: RequestContext
        /// Arguments repaired before the call (`ArgumentCoercion`), reported in its result.
        var coercions: [Coercion] = []
    }

    /// A `tools/call` in progress.
    struct InFlight {
        var task: Task<Void, Never>?
        var cancelled = false
        var progressToken: JSONValue?
        var lastProgress: Double?
        /// 2026-07-28 request-scoped `logLevel`; legacy requests use the session's level.
        var logLevel: LogLevel?
        var modern: Bool
        var reply: ReplyTarget
    }

    init(server: MCPServer, transport: StdioTransport) {
        self.server = server
        self.transport = transport
    }

    // MARK: - Input

    func receive(_ line: UnsafeBufferPointer<UInt8>) {
        var end = line.count
        while end > 0, line[end - 1] == 0x0D || line[end - 1] == 0x20 || line[end - 1] == 0x09 { end -= 1 }
        var start = 0
        while start < end, line[start] == 0x20 || line[start] == 0x09 { start += 1 }
        guard start < end else { return }  // empty lines are ignored
        let value: JSONValue
        do {
            value = try JSONValue.parse(UnsafeBufferPointer(rebasing: line[start..<end]), maxValues: Self.maxValuesPerMessage)
        } catch {
            server.logToStderr(.warning, "transport", .string("unparseable line: \(error)"))
            return reply(.direct, error: .parseError(error.description), id: nil)
        }
        switch value {
        case .object(let message):
            handleMessage(message, .direct)
        case .array(let elements):
            handleBatch(elements)
        default:
            reply(.direct, error: .invalidRequest("a message must be a JSON object, got \(value.typeName)"), id: nil)
        }
    }

    /// The most JSON values one incoming line may hold. The largest honest message (a `tools/call` with
    /// 1,000 ids, or a 2025-03-26 batch of a few hundred requests) holds a few thousand; 100,000 parsed
    /// values cost ~2.4 MB however short the line, so a line never costs much more than its own bytes.
    static let maxValuesPerMessage = 100_000

    func receiveOversizedLine() {
        let limit = StdioTransport.maxLineBytes >> 20
        reply(.direct, error: .invalidRequest("message longer than \(limit) MiB; it was skipped"), id: nil)
    }

    /// JSON-RPC batches exist only in protocol 2025-03-26; we accept them exactly there.
    /// - SeeAlso: https://modelcontextprotocol.io/specification/2025-03-26/basic#batching
    private func handleBatch(_ elements: [JSONValue]) {
        guard !elements.isEmpty else { return reply(.direct, error: .invalidRequest("empty batch"), id: nil) }
        let negotiated = state.withLock { $0.legacyVersion }
        guard negotiated == ProtocolVersion.v2025_03_26 else {
            let detail = "JSON-RPC batches are only allowed after negotiating protocol version 2025-03-26"
                + " (this session: \(negotiated ?? "not initialized")); send one message per line"
            return reply(.direct, error: .invalidRequest(detail), id: nil)
        }
        let batch = Batch(expected: elements.count, transport: transport)
        for element in elements {
            if case .object(let message) = element {
                handleMessage(message, .batch(batch))
            } else {
                reply(.batch(batch), error: .invalidRequest("a batch element must be an object"), id: nil)
            }
        }
    }

    /// Validates the JSON-RPC envelope, then routes to a request or notification handler.
    /// Every path ends in exactly one `reply`/`replyNothing` for the target (batches count on it).
    private func handleMessage(_ message: JSONObject, _ target: ReplyTarget) {
        var id: RequestID? = nil
        if let rawID = message["id"] {
            guard let valid = RequestID(json: rawID) else {
                let detail = "\"id\" must be a string or an integer, got \(rawID.typeName)"
                return reply(target, error: .invalidRequest(detail), id: nil)
            }
            id = valid
        }
        guard message["jsonrpc"] == "2.0" else {
            return reply(target, error: .invalidRequest("\"jsonrpc\" must be \"2.0\""), id: id)
        }
        guard case .string(let method)? = message["method"] else {
            // A response to one of our requests (elicitation/create); unmatched ones are dropped.
            if message["method"] == nil, message["result"] != nil || message["error"] != nil {
                receiveResponse(message)
                return replyNothing(target)
            }
            return reply(target, error: .invalidRequest("\"method\" must be a string"), id: id)
        }
        var params = JSONObject()
        switch message["params"] {
        case nil: break
        case .object(let o)?: params = o
        case .array?:
            guard id != nil else { return replyNothing(target) }
            return reply(target, error: .invalidParams("params of \(method) must be an object, got array"), id: id)
        case let other?:
            guard id != nil else { return replyNothing(target) }
            let detail = "\"params\" must be an object (or omitted), got \(other.typeName)"
            return reply(target, error: .invalidRequest(detail), id: id)
        }
        guard let id else {
            handleNotification(method, params)
            return replyNothing(target)
        }
        handleRequest(id: id, method: method, params: params, target)
    }

    private func handleNotification(_ method: String, _ params: JSONObject) {
        switch method {
        case "notifications/cancelled":
            // Unknown, finished or malformed ids are ignored, as the spec allows.
            guard let raw = params["requestId"], let id = RequestID(json: raw) else { return }
            cancel(id)
        default:
            break  // notifications/initialized and anything else need no action
        }
    }

    /// Stops a running call; nothing more is sent for its id (2025-11-25 and 2026-07-28 cancellation).
    /// - SeeAlso: https://modelcontextprotocol.io/specification/2025-11-25/basic/utilities/cancellation
    private func cancel(_ id: RequestID) {
        let task = state.withLock { s -> Task<Void, Never>? in
            guard s.inFlight[id] != nil else { return nil }
            s.inFlight[id]!.cancelled = true
            return s.inFlight[id]!.task
        }
        task?.cancel()
        server.logToStderr(.debug, "protocol", .string("request \(id) cancelled by the client"))
    }

    // MARK: - Output

    func reply(_ target: ReplyTarget, result: JSONValue, id: RequestID) {
        emit(target, ["jsonrpc": "2.0", "id": id.json, "result": result])
    }

    func reply(_ target: ReplyTarget, error: MCPError, id: RequestID?) {
        emit(target, ["jsonrpc": "2.0", "id": id?.json ?? .null, "error": error.errorObject])
    }

    func replyNothing(_ target: ReplyTarget) {
        if case .batch(let batch) = target { batch.add(nil) }
    }

    private func emit(_ target: ReplyTarget, _ message: JSONValue) {
        switch target {
        case .direct: transport.send(message.serialized())
        case .batch(let batch): batch.add(message)
        }
    }

    /// Sends a notification right away (progress, log messages).
    func notify(_ method: String, _ params: JSONValue) {
        transport.send(JSONValue.object(["jsonrpc": "2.0", "method": .string(method), "params": params]).serialized())
    }

    // MARK: - In-flight bookkeeping

    /// Ends a call and returns its entry, or `nil` when it was cancelled (or is unknown): then nothing
    /// may be sent for it. Taking the lock first means no progress or log notification for this id
    /// can be queued after the response.
    func end(_ id: RequestID) -> InFlight? {
        let ended = state.withLock { s in s.inFlight.removeValue(forKey: id) }
        guard let ended else { return nil }
        if ended.cancelled {
            replyNothing(ended.reply)
            return nil
        }
        return ended
    }

    /// Called by a tool task when it has queued its reply (or decided to send none): its slot goes to
    /// the oldest parked call that was not cancelled meanwhile (those are dropped, sending nothing).
    func taskFinished() {
        var dropped: [ReplyTarget] = []
        let next = state.withLock { s -> ParkedCall? in
            s.runningTasks -= 1
            while let call = s.parked.pop() {
                let id = call.context.requestID
                guard let entry = s.inFlight[id], entry.cancelled else { return call }
                s.inFlight.removeValue(forKey: id)
                s.runningTasks -= 1
                dropped.append(entry.reply)
            }
            s.activeTasks -= 1
            return nil
        }
        dropped.forEach(replyNothing)
        if let next { start(next, immediately: false) }
        idle.broadcast()
    }

    /// At stdin EOF every request still owed an answer gets exactly one before `run` returns:
    /// 1. in-flight calls may finish on their own for `shutdownGraceSeconds`;
    /// 2. then parked calls are answered and running ones cancelled, and get `cancelGraceSeconds` to
    ///    reply (a write whose bytes may have left reports itself `unknown` here);
    /// 3. a call that still has not replied (e.g. blocked in a wait that ignores cancellation, such as a
    ///    shared authentication request) is answered by the session itself; its handler's late reply is
    ///    dropped by `end`, so the id is never answered twice.
    func shutDown() {
        let noneRunning = { [state] in state.withLock { $0.runningTasks == 0 } }
        if idle.wait(until: noneRunning, seconds: server.options.shutdownGraceSeconds, on: server.options.clock) { return }
        answerParkedCallsAtShutdown()
        let tasks = state.withLock { s in s.inFlight.values.compactMap(\.task) }
        tasks.forEach { $0.cancel() }
        server.logToStderr(.info, "transport", .string("stdin closed; cancelled \(tasks.count) unfinished call(s)"))
        if idle.wait(until: noneRunning, seconds: Self.cancelGraceSeconds, on: server.options.clock) { return }
        answerAbandonedCallsAtShutdown()
    }

    /// How long cancelled handlers get to queue their own reply at shutdown. They normally return within
    /// microseconds (every upstream wait resumes on cancellation); this bounds the ones that do not.
    static let cancelGraceSeconds = 0.5
}

/// A first-in first-out queue with O(1) push and pop (two stacks).
struct FIFO<Element> {
    private var input: [Element] = []
    private var output: [Element] = []

    var isEmpty: Bool { input.isEmpty && output.isEmpty }

    mutating func push(_ e: Element) { input.append(e) }

    mutating func pop() -> Element? {
        if output.isEmpty {
            guard !input.isEmpty else { return nil }
            output = input.reversed()
            input.removeAll(keepingCapacity: true)
        }
        return output.popLast()
    }
}

/// Where a request's response goes: straight to the transport, or into the batch it came in.
enum ReplyTarget: Sendable {
    case direct
    case batch(Batch)
}

/// Collects the responses of one 2025-03-26 batch and sends them as one array once every element
/// has been accounted for (a notification or a cancelled request contributes nothing).
final class Batch: Sendable {
    private let pending: Locked<(remaining: Int, responses: [JSONValue])>
    private let transport: StdioTransport

    init(expected: Int, transport: StdioTransport) {
        pending = Locked((expected, []))
        self.transport = transport
    }

    func add(_ response: JSONValue?) {
        let complete = pending.withLock { p -> [JSONValue]? in
            if let response { p.responses.append(response) }
            p.remaining -= 1
            return p.remaining == 0 ? p.responses : nil
        }
        if let complete, !complete.isEmpty { transport.send(JSONValue.array(complete).serialized()) }
    }
}
