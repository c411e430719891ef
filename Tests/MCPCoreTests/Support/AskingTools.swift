@testable import MCPCore

/// A clock the test moves by hand: `now` is where it was set, and `sleep` returns once the test has
/// advanced past the sleeper's deadline (never because real time passed).
final class ManualClock: Sendable {
    private let state = Locked((now: ContinuousClock.now, sleepers: [(deadline: ContinuousClock.Instant, wake: CheckedContinuation<Void, Never>)]()))

    var serverClock: ServerClock {
        ServerClock(now: { self.state.withLock { $0.now } }, sleep: { duration in try await self.sleep(duration) })
    }

    /// How many sleepers wait (a test advances only once the server is waiting).
    var sleeping: Int { state.withLock { $0.sleepers.count } }

    /// Returns once `count` sleepers wait (yielding, never sleeping on the real clock).
    func waitForSleepers(_ count: Int) async {
        while sleeping < count { await Task.yield() }
    }

    func advance(by duration: Duration) {
        let woken = state.withLock { s -> [CheckedContinuation<Void, Never>] in
            s.now = s.now.advanced(by: duration)
            let now = s.now
            let due = s.sleepers.filter { $0.deadline <= now }.map(\.wake)
            s.sleepers.removeAll { $0.deadline <= now }
            return due
        }
        woken.forEach { $0.resume() }
    }

    private func sleep(_ duration: Duration) async throws {
        await withCheckedContinuation { (wake: CheckedContinuation<Void, Never>) in
            state.withLock { s in s.sleepers.append((s.now.advanced(by: duration), wake)) }
        }
        try Task.checkCancellation()
    }
}

/// A tool that asks its user one question and reports what came of it (or, on a 2026-07-28 retry,
/// what the retry brought back), so tests can see both transports through one handler.
enum AskingTools {
    static let question = ElicitationRequest(
        message: "Delete «everything»?",
        requestedSchema: ["type": "object", "properties": ["confirm": ["type": "boolean"]], "required": ["confirm"]])

    static let ask = Tool(
        definition: TestTools.definition(
            "ask", input: ["type": "object", "properties": ["what": ["type": "string"]], "additionalProperties": false],
            readOnly: false)
    ) { args, context in
        if let resumption = context.resumption {
            switch resumption {
            case .answered(let payload, let outcome):
                return .success(text: "resumed", structured: ["resumed": .string(describe(outcome)), "payload": .string(payload as? String ?? "?")])
            case .refused(let error):
                return .failure(error.description, structured: ["refused": .string(error.reason)])
            }
        }
        guard context.elicitation != nil else { return .success(text: "cannot ask", structured: ["asked": false]) }
        let outcome = try await context.elicit(question, keeping: "plan for \(args["what"]?.stringValue ?? "nothing")")
        return .success(text: describe(outcome), structured: ["outcome": .string(describe(outcome))])
    }

    static func describe(_ outcome: ElicitationOutcome) -> String {
        switch outcome {
        case .accepted(let content): return "accepted " + JSONValue.object(content).serializedString()
        case .declined: return "declined"
        case .cancelled: return "cancelled"
        case .noAnswer(let seconds): return "no answer in \(seconds) s"
        case .failed(let detail): return "failed: \(detail)"
        }
    }
}

extension PipeClient {
    convenience init(asking clock: ManualClock) {
        var options = ServerOptions(
            info: ServerInfo(name: "test-server", version: "9.9.9"), tools: [AskingTools.ask, TestTools.echo],
            stderrLogLevel: .emergency, validatesOutput: true, shutdownGraceSeconds: 30)
        options.clock = clock.serverClock
        options.elicitationTimeoutSeconds = 120
        options.inputStateTTLSeconds = 600
        self.init(options)
    }

    /// The handshake, declaring form elicitation (as the Python SDK does with a callback).
    func initializeAsking(_ version: String = ProtocolVersion.v2025_11_25) async throws {
        _ = try await request(0, "initialize", [
            "protocolVersion": .string(version), "capabilities": ["elicitation": ["form": [:], "url": [:]]],
            "clientInfo": ["name": "tests", "version": "1"],
        ])
        send(["jsonrpc": "2.0", "method": "notifications/initialized"])
    }
}

/// A 2026-07-28 envelope that declares form elicitation.
func askingEnvelope() -> JSONValue {
    var meta = envelope().objectValue ?? [:]
    meta[MetaKey.clientCapabilities] = ["elicitation": ["form": [:]]]
    return .object(meta)
}
