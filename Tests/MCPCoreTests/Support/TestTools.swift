@testable import MCPCore

/// Test-only tools that exercise the core: none of them knows anything of Check Point.
enum TestTools {
    static let all = [echo, slow, progress, failing, badOutput, logging, gated, openGate]

    static func definition(
        _ name: String, input: JSONValue, output: JSONValue = ["type": "object"], readOnly: Bool = true
    ) -> ToolDefinition {
        ToolDefinition(
            name: name, title: "Test \(name)", description: "Test tool \(name).", inputSchema: input,
            outputSchema: output,
            annotations: ToolAnnotations(readOnly: readOnly, destructive: false, idempotent: true, openWorld: false))
    }

    static let echo = Tool(
        definition: definition(
            "echo",
            input: ["type": "object", "properties": ["text": ["type": "string", "maxLength": 100]],
                    "required": ["text"], "additionalProperties": false],
            output: ["type": "object", "properties": ["echo": ["type": "string"]], "required": ["echo"]])
    ) { args, _ in
        let text = args["text"]?.stringValue ?? ""
        return .success(text: text, structured: ["echo": .string(text)])
    }

    /// Runs until cancelled (a call held in flight with no timer: only a cancellation or the shutdown at EOF
    /// ends it, with `CancellationError`); `seconds: 0` answers at once (the number argument is for coercion tests).
    static let slow = Tool(
        definition: definition(
            "slow", input: ["type": "object", "properties": ["seconds": ["type": "number"]], "additionalProperties": false])
    ) { args, _ in
        if args["seconds"]?.doubleValue != 0 {
            // A stream nothing is ever sent on: iterating it ends only when the task is cancelled.
            let (held, keep) = AsyncStream<Void>.makeStream()
            for await _ in held {}
            withExtendedLifetime(keep) {}
            try Task.checkCancellation()
        }
        return .success(text: "done", structured: ["done": true])
    }

    /// Reports progress 1...steps, with a repeated and a decreasing value thrown in (both must be dropped).
    static let progress = Tool(
        definition: definition(
            "progress",
            input: ["type": "object", "properties": ["steps": ["type": "integer", "minimum": 1, "maximum": 50]],
                    "required": ["steps"], "additionalProperties": false])
    ) { args, context in
        let steps = Int(args["steps"]?.intValue ?? 1)
        for step in 1...steps {
            await context.progress(Double(step), total: Double(steps), message: "step \(step)/\(steps)")
            await context.progress(Double(step), total: Double(steps), message: "repeat")  // dropped
            await context.progress(Double(step) - 0.5, total: Double(steps), message: "backwards")  // dropped
        }
        return .success(text: "counted to \(steps)", structured: ["steps": .int(Int64(steps))])
    }

    /// Logs one message at every level, then returns.
    static let logging = Tool(
        definition: definition("logging", input: ["type": "object", "additionalProperties": false])
    ) { _, context in
        for level in LogLevel.allCases { await context.log(level, logger: "test", .string(level.rawValue)) }
        return .success(text: "logged", structured: [:])
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String { "upstream said 403: the API key lacks the Events scope" }
    }

    static let failing = Tool(definition: definition("failing", input: ["type": "object"])) { _, _ in
        throw Failure()
    }

    /// Returns structuredContent that breaks its own outputSchema (the debug hook must catch it).
    static let badOutput = Tool(
        definition: definition(
            "bad_output", input: ["type": "object"],
            output: ["type": "object", "properties": ["count": ["type": "integer"]], "required": ["count"]])
    ) { _, _ in
        .success(text: "oops", structured: ["count": "many"])
    }

    /// Waits until `open_gate` is called with the same `gate` name, then answers `{"done": true}`: a call
    /// that is in flight exactly as long as the test wants, with no timer.
    static let gated = Tool(
        definition: definition(
            "gated", input: ["type": "object", "properties": ["gate": ["type": "string"]], "required": ["gate"], "additionalProperties": false])
    ) { args, _ in
        await Gates.shared.wait(args["gate"]?.stringValue ?? "")
        return .success(text: "done", structured: ["done": true])
    }

    /// Opens the gate named `gate`: every `gated` call waiting on it (or arriving later) finishes.
    static let openGate = Tool(
        definition: definition(
            "open_gate", input: ["type": "object", "properties": ["gate": ["type": "string"]], "required": ["gate"], "additionalProperties": false])
    ) { args, _ in
        await Gates.shared.open(args["gate"]?.stringValue ?? "")
        return .success(text: "opened", structured: ["opened": true])
    }
}

/// Named latches for `gated` / `open_gate`; each test uses its own name, so parallel tests never meet.
actor Gates {
    static let shared = Gates()
    private var opened: Set<String> = []
    private var waiting: [String: [CheckedContinuation<Void, Never>]] = [:]

    func wait(_ name: String) async {
        if opened.contains(name) { return }
        await withCheckedContinuation { waiting[name, default: []].append($0) }
    }

    func open(_ name: String) {
        opened.insert(name)
        for c in waiting.removeValue(forKey: name) ?? [] { c.resume() }
    }
}
