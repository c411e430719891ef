#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Testing

@testable import MCPCore

/// The real server on the real `StdioTransport`, over a pair of pipes, driven the way a client
/// drives it: raw lines in, parsed messages out.
final class PipeClient: Sendable {
    let server: MCPServer
    private let toServer: Int32
    private let fromServer: Int32
    let inbox = Mailbox()
    private let serverDone: Task<Void, Never>
    private let inputOpen = Locked(true)

    init(_ options: ServerOptions) {
        var input: [Int32] = [0, 0], output: [Int32] = [0, 0]
        precondition(pipe(&input) == 0 && pipe(&output) == 0)
        server = MCPServer(options: options)
        toServer = input[1]
        fromServer = output[0]
        let transport = StdioTransport(input: input[0], output: output[1])
        let server = self.server
        let (serverIn, serverOut) = (input[0], output[1])
        serverDone = Task.detached {
            await server.run(on: transport)
            close(serverIn)
            close(serverOut)
        }
        let inbox = self.inbox, fd = output[0]
        startThread {
            var partial: [UInt8] = []
            var chunk = [UInt8](repeating: 0, count: 1 << 16)
            while true {
                let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
                if n <= 0 { break }
                for b in chunk[0..<n] {
                    if b == 0x0A {
                        inbox.push(partial)
                        partial = []
                    } else {
                        partial.append(b)
                    }
                }
            }
            inbox.close()
        }
    }

    convenience init(tools: [Tool] = TestTools.all, unavailable: [String: String] = [:], instructions: String? = nil) {
        self.init(ServerOptions(
            info: ServerInfo(name: "test-server", version: "9.9.9"), instructions: instructions, tools: tools,
            unavailableTools: unavailable, stderrLogLevel: .emergency, validatesOutput: true,
            shutdownGraceSeconds: 30))
    }

    func sendLine(_ text: String) { sendBytes(Array(text.utf8) + [0x0A]) }

    func sendBytes(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = write(toServer, raw.baseAddress! + offset, raw.count - offset)
                precondition(n > 0, "write to server failed")
                offset += n
            }
        }
    }

    func send(_ message: JSONValue) { sendLine(message.serializedString()) }

    /// Writes a large payload from a separate thread, so a blocking `write` never holds one of the
    /// few cooperative threads the tests (and the server's tool tasks) share.
    func sendLarge(_ bytes: [UInt8]) async {
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            startThread { [self] in
                sendBytes(bytes)
                done.resume()
            }
        }
    }

    /// Sends a request and returns its response, collecting any notifications that arrive first.
    @discardableResult
    func request(_ id: JSONValue, _ method: String, _ params: JSONValue? = nil, notifications: inout [JSONValue])
        async throws -> JSONValue
    {
        var message: JSONObject = ["jsonrpc": "2.0", "id": id, "method": .string(method)]
        if let params { message["params"] = params }
        send(.object(message))
        while true {
            let next = try #require(await inbox.next(), "no response to \(method) id \(id)")
            if next["id"] == id, next["method"] == nil { return next }
            notifications.append(next)
        }
    }

    @discardableResult
    func request(_ id: JSONValue, _ method: String, _ params: JSONValue? = nil) async throws -> JSONValue {
        var ignored: [JSONValue] = []
        return try await request(id, method, params, notifications: &ignored)
    }

    /// The next message, parsed; fails the test if it is not JSON.
    func next(timeout: Duration = .seconds(30)) async throws -> JSONValue {
        let line = try #require(await inbox.nextLine(timeout: timeout), "no message within \(timeout)")
        return try JSONValue.parse(line)
    }

    /// Legacy handshake: initialize (+ initialized notification).
    @discardableResult
    func initialize(_ version: String = ProtocolVersion.v2025_11_25) async throws -> JSONValue {
        let response = try await request(0, "initialize", [
            "protocolVersion": .string(version), "capabilities": [:], "clientInfo": ["name": "tests", "version": "1"],
        ])
        send(["jsonrpc": "2.0", "method": "notifications/initialized"])
        return response
    }

    /// Ends the input (EOF) without waiting; closes the descriptor once however often it is called.
    func endInput() {
        if inputOpen.withLock({ open in defer { open = false }; return open }) { close(toServer) }
    }

    /// Ends the input (EOF) and waits for the server to return from `run`.
    func finish() async {
        endInput()
        await serverDone.value
    }

    deinit { close(fromServer) }
}

/// The 2026-07-28 envelope, as the Python SDK sends it.
func envelope(logLevel: String? = nil, progressToken: JSONValue? = nil, version: String = "2026-07-28") -> JSONValue {
    var meta: JSONObject = [
        MetaKey.protocolVersion: .string(version), MetaKey.clientInfo: ["name": "mcp", "version": "0.1.0"],
        MetaKey.clientCapabilities: [:],
    ]
    if let logLevel { meta[MetaKey.logLevel] = .string(logLevel) }
    if let progressToken { meta["progressToken"] = progressToken }
    return .object(meta)
}

/// Lines from the server, handed to async waiters with a timeout.
final class Mailbox: Sendable {
    private struct State {
        var lines: [[UInt8]] = []
        var waiter: (id: Int, continuation: CheckedContinuation<[UInt8]?, Never>)?
        var nextID = 0
        var closed = false
    }
    private let state = Locked(State())

    func push(_ line: [UInt8]) {
        let waiter = state.withLock { s -> CheckedContinuation<[UInt8]?, Never>? in
            if let w = s.waiter { s.waiter = nil; return w.continuation }
            s.lines.append(line)
            return nil
        }
        waiter?.resume(returning: line)
    }

    func close() {
        let waiter = state.withLock { s -> CheckedContinuation<[UInt8]?, Never>? in
            s.closed = true
            defer { s.waiter = nil }
            return s.waiter?.continuation
        }
        waiter?.resume(returning: nil)
    }

    /// Parsed next message, or nil on timeout/EOF.
    func next(timeout: Duration = .seconds(30)) async -> JSONValue? {
        guard let line = await nextLine(timeout: timeout) else { return nil }
        return try? JSONValue.parse(line)
    }

    func nextLine(timeout: Duration = .seconds(30)) async -> [UInt8]? {
        await withCheckedContinuation { (continuation: CheckedContinuation<[UInt8]?, Never>) in
            let outcome = state.withLock { s -> (ready: [UInt8]??, id: Int) in
                if !s.lines.isEmpty { return (.some(s.lines.removeFirst()), 0) }
                if s.closed { return (.some(nil), 0) }
                s.nextID += 1
                s.waiter = (s.nextID, continuation)
                return (nil, s.nextID)
            }
            if let ready = outcome.ready { return continuation.resume(returning: ready) }
            let id = outcome.id
            Task {
                try? await Task.sleep(for: timeout)
                let expired = self.state.withLock { s -> CheckedContinuation<[UInt8]?, Never>? in
                    guard let w = s.waiter, w.id == id else { return nil }
                    s.waiter = nil
                    return w.continuation
                }
                expired?.resume(returning: nil)
            }
        }
    }
}
