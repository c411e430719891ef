/// Requests from the server to the client (handshake era only: 2026-07-28 forbids them on stdio and
/// uses `input_required` instead). Today that is `elicitation/create`.
///
/// Each request gets an id of our own (integers from 1; the client's ids are a separate space), a
/// continuation waiting for the matching response, a bound on the wait, and cancellation: when the
/// call that asked is cancelled, or the bound passes, the request is withdrawn with
/// `notifications/cancelled` and a late answer is dropped.
/// - SeeAlso: https://modelcontextprotocol.io/specification/2025-11-25/basic#requests
/// - SeeAlso: https://modelcontextprotocol.io/specification/2025-11-25/basic/utilities/cancellation
extension Session {
    /// How a request to the client ended.
    enum ClientAnswer: Sendable {
        case result(JSONValue)
        case error(JSONValue)
        case timedOut
        case cancelled
    }

    /// One request to the client: waiting for its answer, or answered before anyone waited.
    enum Outgoing {
        case waiting(CheckedContinuation<ClientAnswer, Never>)
        case early(ClientAnswer)
    }

    /// Sends `method` to the client and waits for the answer, at most `timeout`.
    func requestClient(_ method: String, _ params: JSONValue, timeout: Duration) async -> ClientAnswer {
        let id = state.withLock { s -> RequestID in
            s.nextOutgoingID += 1
            return .int(s.nextOutgoingID)
        }
        let clock = server.options.clock
        let timer = Task {
            try? await clock.sleep(timeout)
            if !Task.isCancelled { self.settle(id, .timedOut) }
        }
        defer { timer.cancel() }
        let answer = await withTaskCancellationHandler {
            await withCheckedContinuation { (waiter: CheckedContinuation<ClientAnswer, Never>) in
                let early = state.withLock { s -> ClientAnswer? in
                    if case .early(let answer)? = s.outgoing.removeValue(forKey: id) { return answer }
                    s.outgoing[id] = .waiting(waiter)
                    return nil
                }
                if let early { return waiter.resume(returning: early) }
                transport.send(JSONValue.object(["jsonrpc": "2.0", "id": id.json, "method": .string(method), "params": params]).serialized())
            }
        } onCancel: {
            settle(id, .cancelled)
        }
        switch answer {
        case .timedOut, .cancelled:
            let reason = answer.isTimeout ? "no answer within the server's time limit" : "the call that asked was cancelled"
            notify("notifications/cancelled", ["requestId": id.json, "reason": .string(reason)])
        case .result, .error:
            break
        }
        return answer
    }

    /// Hands `answer` to whoever waits for `id` (or keeps it for a waiter still on its way). Only the
    /// first answer counts: a response after a timeout or cancellation is dropped.
    func settle(_ id: RequestID, _ answer: ClientAnswer) {
        let waiter = state.withLock { s -> CheckedContinuation<ClientAnswer, Never>? in
            switch s.outgoing[id] {
            case .waiting(let waiter)?:
                s.outgoing[id] = nil
                s.settledOutgoing.insert(id)
                return waiter
            case .early?:
                return nil
            case nil:
                // Not registered yet (the timer or a cancellation won the race): keep it for the waiter,
                // unless this id was already settled (a late response: drop it).
                if !s.settledOutgoing.contains(id), id.intValue.map({ $0 <= s.nextOutgoingID }) == true {
                    s.outgoing[id] = .early(answer)
                    s.settledOutgoing.insert(id)
                }
                return nil
            }
        }
        waiter?.resume(returning: answer)
    }

    /// A response from the client (`result` or `error`, no `method`): routed to the request it answers.
    func receiveResponse(_ message: JSONObject) {
        guard let raw = message["id"], let id = RequestID(json: raw) else { return }
        if let error = message["error"] {
            settle(id, .error(error))
        } else {
            settle(id, .result(message["result"] ?? .null))
        }
    }
}

extension Session.ClientAnswer {
    var isTimeout: Bool { if case .timedOut = self { return true } else { return false } }
}

extension RequestID {
    var intValue: Int64? { if case .int(let i) = self { return i } else { return nil } }
}
