/// Who the server says it is (`serverInfo` in `initialize`, `_meta` serverInfo stamp in 2026-07-28).
/// - SeeAlso: https://modelcontextprotocol.io/specification/2025-11-25/schema#implementation
public struct ServerInfo: Sendable, Hashable {
    public var name: String
    public var version: String
    public var title: String?

    public init(name: String, version: String, title: String? = nil) {
        self.name = name
        self.version = version
        self.title = title
    }

    public var json: JSONValue {
        var o: JSONObject = ["name": .string(name), "version": .string(version)]
        if let title { o["title"] = .string(title) }
        return .object(o)
    }
}

/// Everything the server is started with. Built once by the executable (or a test).
public struct ServerOptions: Sendable {
    public var info: ServerInfo
    /// Sent as `instructions` in `initialize` and `server/discover`: how to use the tools well.
    public var instructions: String?
    /// The tools this server lists and calls, in list order.
    public var tools: [Tool]
    /// Tools of the full catalog that this server was started without, with the reason
    /// (e.g. "the server runs with --read-only"). Calling one is refused with that reason.
    public var unavailableTools: [String: String]
    /// Threshold for the server's own log lines on stderr (tool logs and protocol faults).
    public var stderrLogLevel: LogLevel
    /// Checks every successful result's `structuredContent` against the tool's `outputSchema` and
    /// turns a mismatch into an `isError` result naming the fault. On in debug builds (all tests).
    public var validatesOutput: Bool
    /// `ttlMs` on 2026-07-28 `tools/list` and `server/discover` results. The list is fixed for the
    /// life of the process, so clients may cache it.
    public var listTTLMilliseconds: Int64
    /// Upper bound on how long stdin EOF waits for in-flight calls before exiting anyway (on `clock`).
    public var shutdownGraceSeconds: Double
    /// Tool calls running at once. Calls beyond it wait in arrival order, holding only their parsed
    /// arguments, so a burst of thousands of requests costs kilobytes, not a task each; `ping`,
    /// `tools/list` and cancellation are never held back (they do not run as tool tasks).
    public var maxConcurrentCalls: Int = 32
    /// When set, builds the tools (and `unavailableTools`) on first need instead of `tools` and
    /// `unavailableTools`, so that `initialize` is answered before the catalog exists. `MCPServer.run`
    /// starts building it on a background thread at once.
    public var catalogProvider: (@Sendable () -> ToolCatalog)?
    /// Prompts and resource templates served beside `tools` (when no `catalogProvider` is set).
    public var prompts: [Prompt] = []
    public var resources: [ResourceProvider] = []
    /// Read for expiries and slept on for bounded waits, the shutdown graces included; tests inject their own.
    public var clock: ServerClock = .system
    /// How long a handshake-era `elicitation/create` waits for the user before it is withdrawn and the
    /// call is told there was no answer. 5 minutes: long enough to read a preview of a few dozen rows
    /// and decide, short enough that a forgotten dialog does not hold a call (and its slot) for good.
    public var elicitationTimeoutSeconds: Int = 300
    /// Lifetime of a 2026-07-28 `requestState` handle: 10 minutes, as a confirmation token's.
    public var inputStateTTLSeconds: Int = 600

    public init(
        info: ServerInfo, instructions: String? = nil, tools: [Tool], unavailableTools: [String: String] = [:],
        stderrLogLevel: LogLevel = .info, validatesOutput: Bool = ServerOptions.debugBuild,
        listTTLMilliseconds: Int64 = 300_000, shutdownGraceSeconds: Double = 1
    ) {
        self.info = info
        self.instructions = instructions
        self.tools = tools
        self.unavailableTools = unavailableTools
        self.stderrLogLevel = stderrLogLevel
        self.validatesOutput = validatesOutput
        self.listTTLMilliseconds = listTTLMilliseconds
        self.shutdownGraceSeconds = shutdownGraceSeconds
    }

    /// Options whose catalog is built lazily by `catalog` (see `catalogProvider`).
    public init(
        info: ServerInfo, instructions: String? = nil, stderrLogLevel: LogLevel = .info,
        catalog: @escaping @Sendable () -> ToolCatalog
    ) {
        self.init(info: info, instructions: instructions, tools: [], stderrLogLevel: stderrLogLevel)
        catalogProvider = catalog
    }

    public static var debugBuild: Bool {
        #if DEBUG
        return true
        #else
        return false
        #endif
    }
}

/// The tools a server serves, and the catalog tools it was started without (name → why).
public struct ToolCatalog: Sendable {
    public var tools: [Tool]
    public var unavailable: [String: String]
    /// `prompts/list` and `prompts/get`; none means the `prompts` capability is not declared.
    public var prompts: [Prompt] = []
    /// `resources/templates/list` and `resources/read`; none means `resources` is not declared.
    public var resources: [ResourceProvider] = []

    public init(tools: [Tool], unavailable: [String: String] = [:], prompts: [Prompt] = [], resources: [ResourceProvider] = []) {
        self.tools = tools
        self.unavailable = unavailable
        self.prompts = prompts
        self.resources = resources
    }
}

/// An MCP server for tools over stdio, dual-era: it answers `initialize` (2024-11-05 … 2025-11-25)
/// and serves 2026-07-28 requests that carry the `_meta` envelope, on the same process.
///
/// The server itself is immutable (options, tool table, schema validator); per-connection state lives
/// in a `Session` created by `run`. See docs/protocol.md for every behaviour and its spec source.
/// - SeeAlso: https://modelcontextprotocol.io/specification/2026-07-28/basic/versioning#backward-compatibility-with-initialization-based-versions
public final class MCPServer: Sendable {
    public let options: ServerOptions
    let validator = SchemaValidator()
    /// `requestState` handles of 2026-07-28 calls waiting for the user's answer (process-wide: the
    /// retry may come on any request).
    let inputStates: InputStateStore
    private let resolved = Locked<ResolvedCatalog?>(nil)

    /// The catalog with its lookup table and (lazily) its `tools/list` array.
    final class ResolvedCatalog: Sendable {
        let tools: [Tool]
        let byName: [String: Tool]
        let prompts: [Prompt]
        let resources: [ResourceProvider]
        /// `completion/complete` exists for prompt arguments: declared when a prompt can complete one.
        var offersCompletions: Bool { prompts.contains { $0.complete != nil } }
        /// Catalog tools this server was started without, and why.
        let unavailable: [String: String]
        private let listCache = Locked<JSONValue?>(nil)

        init(_ catalog: ToolCatalog) {
            tools = catalog.tools
            prompts = catalog.prompts
            resources = catalog.resources
            unavailable = catalog.unavailable
            var byName: [String: Tool] = [:]
            for tool in catalog.tools { byName[tool.definition.name] = tool }
            self.byName = byName
        }

        private let listBytesCache = Locked<[UInt8]?>(nil)

        /// `tools/list`'s array, built once on first use.
        var listJSON: JSONValue {
            listCache.withLock { cache in
                if let cache { return cache }
                let list = JSONValue.array(tools.map { $0.definition.json })
                cache = list
                return list
            }
        }

        /// `listJSON` serialized once (tens of KB): every `tools/list` answer splices these bytes in
        /// instead of walking the whole tree again.
        var listBytes: [UInt8] {
            listBytesCache.withLock { cache in
                if let cache { return cache }
                let bytes = listJSON.serialized()
                cache = bytes
                return bytes
            }
        }
    }

    public init(options: ServerOptions) {
        self.options = options
        inputStates = InputStateStore(clock: options.clock, ttlSeconds: options.inputStateTTLSeconds)
    }

    /// The catalog, built on first use (callers block until it exists).
    var catalog: ResolvedCatalog {
        resolved.withLock { r in
            if let r { return r }
            let built = ResolvedCatalog(
                options.catalogProvider?()
                    ?? ToolCatalog(tools: options.tools, unavailable: options.unavailableTools, prompts: options.prompts, resources: options.resources))
            r = built
            return built
        }
    }

    /// Serves the transport until its input ends, then waits (briefly) for in-flight calls, flushes
    /// what is queued, and returns. The executable exits with code 0 afterwards.
    public func run(on transport: StdioTransport) async {
        let session = Session(server: self, transport: transport)
        transport.startWriting()
        if options.catalogProvider != nil {
            // Build the catalog beside the handshake: ready by the time `tools/list` arrives.
            startThread { [self] in _ = catalog.listBytes }
        }
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            transport.startReading(
                onLine: { session.receive($0) },
                onOversizedLine: { session.receiveOversizedLine() },
                onEOF: {
                    session.shutDown()
                    transport.close()
                    done.resume()
                })
        }
    }

    /// Writes one line to stderr if `level` passes the server's threshold. Never used for secrets.
    func logToStderr(_ level: LogLevel, _ logger: String, _ data: JSONValue) {
        guard level >= options.stderrLogLevel else { return }
        let text: String
        if case .string(let s) = data { text = s } else { text = data.serializedString() }
        StandardError.write("\(options.info.name): [\(level.rawValue)] \(logger): \(text)\n")
    }
}

/// Unbuffered writes to fd 2 (one `write` per line, so concurrent lines do not interleave).
public enum StandardError {
    public static func write(_ text: String) {
        var text = text
        text.withUTF8 { bytes in
            var offset = 0
            while offset < bytes.count {
                let n = systemWrite(2, bytes.baseAddress! + offset, bytes.count - offset)
                if n <= 0 { return }
                offset += n
            }
        }
    }
}
