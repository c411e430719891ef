import CheckPointAPI
import CheckPointSimulator
import CheckPointTools
import Foundation
import MCPCore

/// Environment access. `ProcessInfo.environment` costs about a millisecond at startup, so the flags'
/// own variables are read with `getenv`; the full dictionary is read off the handshake's path.
enum ProcessEnvironment {
    static let serverVariables = [EnvVar.toolsets, EnvVar.readOnly, EnvVar.logLevel, EnvVar.confirm, EnvVar.auditLog, EnvVar.drainSeconds]

    static func serverSettings() -> [String: String] {
        var env: [String: String] = [:]
        for name in serverVariables {
            if let raw = getenv(name) { env[name] = String(cString: raw) }
        }
        return env
    }

    static func all() -> [String: String] { ProcessInfo.processInfo.environment }
}

func writeStdout(_ text: String) {
    FileHandle.standardOutput.write(Data(text.utf8))
}

/// Logs a startup line to stderr if `level` passes the threshold.
func startupLog(_ inv: Invocation, _ level: LogLevel, _ message: String) {
    guard level >= inv.logLevel else { return }
    StandardError.write("\(Product.name): [\(level.rawValue)] \(message)\n")
}

/// The simulator of `--demo`, kept alive for the life of the process.
nonisolated(unsafe) var demoSimulator: SimulatorServer?

/// The server's options. The catalog (configuration, client, toolsets, `--demo` simulator) is built
/// by `buildCatalog` on a background thread while the handshake is answered: `initialize` needs none of it.
func makeServerOptions(_ inv: Invocation) -> ServerOptions {
    var options = ServerOptions(
        info: ServerInfo(name: Product.name, version: Product.version, title: Product.title),
        instructions: serverInstructions(inv), stderrLogLevel: inv.logLevel
    ) {
        buildCatalog(inv, environment: ProcessEnvironment.all())
    }
    // A 2026-07-28 requestState holds a previewed plan, like a confirmation token: the same lifetime.
    let ttl = getenv(ConfirmationStore.ttlVariable).map { String(cString: $0) }
    options.inputStateTTLSeconds = ConfirmationStore.ttlFromEnvironment(ttl.map { [ConfirmationStore.ttlVariable: $0] } ?? [:])
    return options
}

/// Builds everything the tools need. Never fails: configuration problems are reported on stderr
/// (and by every tool call that needs the missing setting), not by crashing.
func buildCatalog(_ inv: Invocation, environment: [String: String]) -> ToolCatalog {
    let env = makeToolEnvironment(inv, environment: environment, logProblems: true)
    let selection = Toolbox.Selection(
        readOnly: inv.readOnly, readOnlySource: inv.readOnlySource, toolsets: inv.toolsets,
        toolsetsSource: inv.toolsetsSource ?? "--toolsets")
    let (tools, refused, prompts, resources) = Toolbox.select(selection, in: env)
    if inv.confirm == .never, !inv.readOnly {
        startupLog(inv, .warning, "--confirm never: write tools act immediately, without a confirmation round-trip")
    }
    if inv.confirm == .human, !inv.readOnly {
        startupLog(inv, .info, "--confirm human: every write needs the user's answer in the client; clients without elicitation cannot write")
    }
    if inv.readOnly { startupLog(inv, .info, "read-only (\(inv.readOnlySource)): write tools are disabled") }
    startupLog(inv, .info, "serving \(tools.count) tools (toolsets: \(Toolset.allCases.filter { inv.toolsets.contains($0) }.map(\.rawValue).joined(separator: ",")))")
    return ToolCatalog(tools: tools, unavailable: refused, prompts: prompts, resources: resources)
}

/// Configuration (or the `--demo` simulator), the Check Point client logging to stderr, and the shared
/// tool environment: what both serving and `check` start from. `check` reports problems itself.
func makeToolEnvironment(_ inv: Invocation, environment: [String: String], logProblems: Bool) -> ToolEnvironment {
    let configuration: Configuration
    if inv.demo {
        configuration = demoConfiguration(inv)
    } else {
        configuration = Configuration.fromEnvironment(environment)
        for problem in configuration.issues where logProblems {
            let blocked = problem.services.isEmpty ? "" : " (blocks: \(problem.services.map(\.rawValue).sorted().joined(separator: ", ")))"
            startupLog(inv, .warning, "configuration: \(problem.message)\(blocked)")
        }
    }
    let logThreshold = inv.logLevel
    let client = CheckPointClient(configuration: configuration) { event in
        let level = LogLevel(rawValue: event.level.rawValue) ?? .info
        guard level >= logThreshold else { return }
        StandardError.write("\(Product.name): [\(level.rawValue)] checkpoint-api: \(event.message)\n")
    }
    return ToolEnvironment(
        client: client, readOnly: inv.readOnly, confirm: inv.confirm, auditLogPath: inv.auditLogPath, demo: inv.demo,
        serverVersion: Product.version, toolsets: inv.toolsets)
}

/// `--demo`: start the simulator in this process and point the client at it with its own keys.
func demoConfiguration(_ inv: Invocation) -> Configuration {
    let simulator = SimulatorServer(options: SimulatorOptions())
    do {
        let port = try simulator.start()
        demoSimulator = simulator
        StandardError.write("\(Product.name): DEMO MODE: serving simulated data from a built-in Check Point simulator on http://127.0.0.1:\(port); nothing real is contacted\n")
        return Configuration(
            gatewayURL: URL(string: "http://127.0.0.1:\(port)")!,
            hec: Credentials(clientID: SimulatorOptions.defaultClientID, secret: SimulatorOptions.defaultClientSecret),
            mobile: Credentials(clientID: SimulatorOptions.defaultMobileClientID, secret: SimulatorOptions.defaultMobileClientSecret))
    } catch {
        StandardError.write("\(Product.name): [error] --demo: the simulator could not start: \(error)\n")
        return Configuration(gatewayURL: nil, problems: ["--demo: the built-in simulator could not start: \(error)"])
    }
}
