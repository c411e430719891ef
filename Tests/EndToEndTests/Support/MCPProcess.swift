import Foundation
import MCPCore

/// The built `checkpoint-mcp` running as a child process, spoken to over its stdin/stdout pipes.
///
/// Every stdout line is recorded (parsed with MCPCore's parser) so tests can assert that stdout carries
/// nothing but JSON-RPC and scan it for secrets. Every wait is bounded. The process is killed when this
/// object goes away, so a failing test never leaves a server behind.
///
/// ```swift
/// let sim = try await SimProcess.shared()
/// let mcp = try MCPProcess.launch(against: sim)
/// try await mcp.initialize()
/// let response = try await mcp.callTool("list_scopes")
/// #expect(response.toolResult?.isError == false)
/// ```
final class MCPProcess: @unchecked Sendable {
    /// Latest version of the handshake era and the stateless revision.
    static let legacyVersion = "2025-11-25"
    static let modernVersion = "2026-07-28"
    static let allLegacyVersions = ["2024-11-05", "2025-03-26", "2025-06-18", "2025-11-25"]
    /// How long a request may take before the test fails. Only a hang's bound: a passing test never waits it
    /// out, so it is far above what a loaded 2-core CI machine needs (20 s was within its reach for a search).
    static let defaultTimeout: Duration = .seconds(60)

    /// How `request` and `callTool` shape params: plain (after `initialize`) or with the 2026 `_meta`
    /// envelope (after `discover`, or set by the test).
    enum Era: Sendable, Equatable {
        case legacy
        case modern(version: String)
    }

    let pid: Int32
    let arguments: [String]
    private let writer: PipeWriter
    private let log = MessageLog()
    private let stderrSink = TextSink()
    private let reaper: ChildReaper
    private let lock = NSLock()
    private var lastID: Int64 = 0
    private var _era: Era = .legacy

    var era: Era {
        get { lock.withLock { _era } }
        set { lock.withLock { _era = newValue } }
    }

    private init(child: SpawnedChild, arguments: [String]) {
        pid = child.pid
        self.arguments = arguments
        writer = PipeWriter(fd: child.stdin)
        reaper = ChildReaper(pid: child.pid)
        let log = self.log
        PipeReader.readLines(
            fd: child.stdout, name: "mcp-stdout-\(child.pid)", onLine: { log.append($0) },
            onEOF: { log.close(trailing: $0) })
        PipeReader.readAll(fd: child.stderr, name: "mcp-stderr-\(child.pid)", into: stderrSink)
    }

    deinit { kill() }

    // MARK: Launching

    /// Starts the server with `arguments` and an environment of PATH, HOME and `environment` only.
    /// `executable` is for the harness's own tests; everything else runs the built `checkpoint-mcp`.
    static func launch(_ arguments: [String] = [], environment: [String: String] = [:],
                       executable: String = Binaries.mcp) throws -> MCPProcess
    {
        let child = try SpawnedChild.spawn(
            executable, arguments, environment: SpawnedChild.baseEnvironment(environment))
        return MCPProcess(child: child, arguments: arguments)
    }

    /// Starts the server pointed at a simulator with its default (made-up) credentials.
    static func launch(against sim: SimProcess, _ arguments: [String] = [], environment: [String: String] = [:])
        throws -> MCPProcess
    {
        try launch(arguments, environment: sim.serverEnvironment.merging(environment) { _, new in new })
    }

    // MARK: Sending

    /// Writes `text` as one line (a newline is appended unless present).
    func send(raw text: String) throws {
        try send(rawBytes: Array((text.hasSuffix("\n") ? text : text + "\n").utf8))
    }

    /// Writes exactly these bytes (for invalid UTF-8, partial lines, several lines at once).
    func send(rawBytes bytes: [UInt8]) throws {
        do { try writer.write(bytes) } catch let e as HarnessError { throw e.with(stderr: stderrText) }
    }

    func send(_ message: JSONValue) throws { try send(raw: message.wireText) }

    /// A fresh integer id, unique within this process.
    func nextID() -> Int64 { lock.withLock { lastID += 1; return lastID } }

    func notify(_ method: String, _ params: JSONValue? = nil) throws {
        var message: JSONObject = ["jsonrpc": "2.0", "method": .string(method)]
        if let params { message["params"] = params }
        try send(.object(message))
    }

    /// Sends a request and returns the whole response (`result` or `error`). In the modern era the
    /// `_meta` envelope is merged into `params` unless `envelope` is false.
    @discardableResult
    func request(_ method: String, _ params: JSONValue? = nil, envelope: Bool = true,
                 timeout: Duration = defaultTimeout) async throws -> JSONValue
    {
        let id = JSONValue.int(nextID())
        var message: JSONObject = ["jsonrpc": "2.0", "id": id, "method": .string(method)]
        var params = params
        if envelope, case .modern(let version) = era { params = Self.withEnvelope(params, version: version) }
        if let params { message["params"] = params }
        try send(.object(message))
        return try await response(to: id, timeout: timeout)
    }

    /// The response (not a request or notification) whose id equals `id`, same JSON type included.
    func response(to id: JSONValue, timeout: Duration = defaultTimeout) async throws -> JSONValue {
        try await wait(for: "the response to id \(id.wireText)", timeout: timeout, consume: false) {
            $0["method"] == nil && $0["id"] == id
        }
    }

    // MARK: Protocol helpers

    /// Legacy handshake: `initialize` then `notifications/initialized` (sent only on success).
    @discardableResult
    func initialize(version: String = legacyVersion, capabilities: JSONValue = [:]) async throws -> JSONValue {
        era = .legacy
        let response = try await request(
            "initialize",
            [
                "protocolVersion": .string(version), "capabilities": capabilities,
                "clientInfo": ["name": "checkpoint-mcp-tests", "version": "1.0.0"],
            ])
        if response["result"] != nil { try notify("notifications/initialized") }
        return response
    }

    /// 2026 `server/discover`; switches this harness to the modern era for later requests.
    @discardableResult
    func discover(version: String = modernVersion, capabilities: JSONValue = [:]) async throws -> JSONValue {
        era = .modern(version: version)
        return try await request(
            "server/discover", ["_meta": Self.envelope(version: version, capabilities: capabilities)], envelope: false)
    }

    /// The 2026 per-request `_meta` envelope.
    static func envelope(version: String = modernVersion, capabilities: JSONValue = [:], logLevel: String? = nil,
                         progressToken: JSONValue? = nil) -> JSONValue
    {
        var meta: JSONObject = [
            "io.modelcontextprotocol/protocolVersion": .string(version),
            "io.modelcontextprotocol/clientInfo": ["name": "checkpoint-mcp-tests", "version": "1.0.0"],
            "io.modelcontextprotocol/clientCapabilities": capabilities,
        ]
        if let logLevel { meta["io.modelcontextprotocol/logLevel"] = .string(logLevel) }
        if let progressToken { meta["progressToken"] = progressToken }
        return .object(meta)
    }

    /// `params` with the envelope merged into its `_meta` (keys already there win).
    static func withEnvelope(_ params: JSONValue?, version: String) -> JSONValue {
        var p = params?.objectValue ?? [:]
        var meta = envelope(version: version).objectValue ?? [:]
        for (k, v) in p["_meta"]?.objectValue ?? [:] { meta[k] = v }
        p["_meta"] = .object(meta)
        return .object(p)
    }

    /// `tools/call`; returns the whole response. `logLevel` applies in the modern era (request-scoped).
    @discardableResult
    func callTool(_ name: String, _ arguments: JSONValue = [:], progressToken: JSONValue? = nil,
                  logLevel: String? = nil, timeout: Duration = defaultTimeout) async throws -> JSONValue
    {
        var params: JSONObject = ["name": .string(name), "arguments": arguments]
        var meta: JSONObject = [:]
        if let progressToken { meta["progressToken"] = progressToken }
        if let logLevel { meta["io.modelcontextprotocol/logLevel"] = .string(logLevel) }
        if !meta.isEmpty { params["_meta"] = .object(meta) }
        return try await request("tools/call", .object(params), timeout: timeout)
    }

    /// Every tool, following `nextCursor` through all pages.
    func listTools() async throws -> [JSONValue] {
        var tools: [JSONValue] = []
        var cursor: JSONValue? = nil
        for _ in 0..<100 {
            let params: JSONValue = cursor.map { ["cursor": $0] } ?? [:]
            let response = try await request("tools/list", params)
            guard let result = response["result"] else {
                throw HarnessError("tools/list failed: \(response.wireText)")
            }
            tools += result["tools"]?.arrayValue ?? []
            guard let next = result["nextCursor"], !next.isNull else { return tools }
            cursor = next
        }
        throw HarnessError("tools/list returned more than 100 pages")
    }

    // MARK: Observing

    /// The next notification with this method not handed out before (in arrival order).
    func nextNotification(method: String, timeout: Duration = defaultTimeout) async throws -> JSONValue {
        try await wait(for: "a \(method) notification", timeout: timeout, consume: true) {
            $0["method"]?.stringValue == method && $0["id"] == nil
        }
    }

    /// Notifications with this method received so far.
    func notifications(method: String) -> [JSONValue] {
        log.messages { $0["method"]?.stringValue == method && $0["id"] == nil }
    }

    /// Waits for any message matching `predicate`.
    func wait(for what: String, timeout: Duration = defaultTimeout, consume: Bool = false,
              where predicate: @escaping MessageLog.Predicate) async throws -> JSONValue
    {
        do { return try await log.wait(for: what, timeout: timeout, consume: consume, where: predicate) }
        catch let e as HarnessError { throw e.with(stderr: stderrText) }
    }

    /// Every line written to stdout so far.
    var stdoutLines: [StdoutLine] { log.allLines }

    /// stdout lines that are not a JSON-RPC 2.0 message object (should always be empty).
    var invalidStdoutLines: [StdoutLine] {
        stdoutLines.filter { line in
            guard let json = line.json else { return true }
            // A batch answer (2025-03-26 only) is an array of messages.
            if let batch = json.arrayValue { return batch.isEmpty || !batch.allSatisfy(Self.isMessage) }
            return !Self.isMessage(json)
        }
    }

    /// A JSON-RPC 2.0 request, notification or response object.
    static func isMessage(_ json: JSONValue) -> Bool {
        guard json.objectValue != nil, json["jsonrpc"] == "2.0" else { return false }
        if json["method"]?.stringValue != nil { return true }
        guard json["id"] != nil else { return false }
        return (json["result"] != nil) != (json["error"] != nil)
    }

    var stderrText: String { stderrSink.text }

    /// Waits until stderr contains `needle`; returns whether it did in time.
    func waitForStderr(_ needle: String, timeout: Duration = .seconds(30)) async -> Bool {
        await stderrSink.waitFor(needle, timeout: timeout)
    }

    /// Every byte the server wrote (stdout and stderr), for secret scans.
    var allOutput: String { stdoutLines.map(\.text).joined(separator: "\n") + "\n" + stderrText }

    // MARK: Ending

    func closeStdin() { writer.close() }

    /// Waits for the process to exit on its own; throws (with stderr) if it does not in time.
    @discardableResult
    func waitForExit(timeout: Duration = .seconds(30)) async throws -> ExitStatus {
        let deadline = ContinuousClock.now + timeout
        if let status = await reaper.wait(timeout: timeout) {
            // Let the reader thread record the last lines before the caller inspects them.
            while !log.isClosed && ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(2)) }
            return status
        }
        throw HarnessError("checkpoint-mcp did not exit within \(timeout)").with(stderr: stderrText)
    }

    var exitStatus: ExitStatus? { reaper.poll() }

    /// Kills (SIGKILL) and reaps the process if still running.
    func kill() {
        writer.close()
        reaper.kill()
    }
}
