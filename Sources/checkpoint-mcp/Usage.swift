import CheckPointAPI
import CheckPointTools

enum Product {
    static let name = "checkpoint-mcp"
    static let version = "0.1.0"
    static let title = "Check Point Harmony Email & Collaboration and Harmony Mobile"
}

/// Printed on stderr when stdin is a terminal: someone started the server by hand.
let terminalNote = """
    \(Product.name) \(Product.version): an MCP server for Check Point Harmony Email & Collaboration and Harmony Mobile.
    An MCP client (Claude Desktop, Claude Code, Cursor, VS Code) normally starts it and talks JSON-RPC on stdin/stdout.
    Try `\(Product.name) --help`, `\(Product.name) check` (test your key) or `\(Product.name) config claude-desktop`.
    Waiting for JSON-RPC lines typed here; Ctrl-D quits.

    """

/// `--help`: every flag and every environment variable.
let usage = """
    usage: checkpoint-mcp [flags]
           checkpoint-mcp check [flags]           test the configuration, the key and the gateway; exit 0 if all works
           checkpoint-mcp config CLIENT [flags]   print a configuration for CLIENT: \(ClientKind.allCases.map { $0.rawValue }.joined(separator: ", "))

    An MCP (Model Context Protocol) server for Check Point Harmony Email & Collaboration (HEC) and
    Harmony Mobile. An MCP client (Claude Desktop, Claude Code, Cursor, ...) starts it and speaks
    JSON-RPC over stdin/stdout; logs go to stderr. It exits when stdin closes.

    flags:
      --toolsets LIST       toolsets to serve, comma-separated: \(Invocation.toolsetNames), or all (default: all)
      --read-only           serve only read-only tools; write tools are neither listed nor callable
      --confirm MODE        required (default): a write asks the user in the client when the client
                            supports elicitation, else returns a preview and a confirmation_token and
                            acts only when called again with it; human: every write needs the user's
                            answer in the client, and clients without elicitation cannot write;
                            never: writes act at once (for unattended automation; logged as a
                            warning at startup)
      --audit-log PATH      also append every write (and refused write) as a JSON line to PATH (a regular
                            file: a symlink, FIFO or directory there is refused at startup, exit 2)
      --log-level LEVEL     stderr log threshold: \(Invocation.levelNames) (default: info)
      --demo                start a built-in simulator of a Check Point tenant and serve made-up data;
                            no Check Point credentials needed, nothing leaves this machine
      --print-catalog       print the tool catalog (tools.json) and exit
      --print-tool-docs     print the Markdown tool reference and exit
      --print-mcpb-manifest print the MCP Bundle manifest.json for this platform and exit (scripts/package)
      --print-server-json SHA256
                            print the MCP Registry server.json for the bundle with this SHA-256 and exit
      --version             print the version and the commit it was built from, and exit
      -h, --help            print this help and exit

    server settings (a flag wins over its variable):
      \(EnvVar.toolsets)       like --toolsets
      \(EnvVar.readOnly)       1 or true: like --read-only
      \(EnvVar.confirm)         required, human or never: like --confirm
      \(EnvVar.auditLog)       like --audit-log
      \(EnvVar.logLevel)       like --log-level
      CHECKPOINT_MCP_CONFIRM_TTL_SECONDS  lifetime of a confirmation_token (and of a 2026-07-28
                                    requestState) in seconds (default and maximum: 600)
      \(EnvVar.drainSeconds)        how long a client that stopped reading is waited for at
                                    shutdown, in seconds (default and maximum: 5)

    Check Point settings (see docs/configuration.md):
      \(Configuration.Env.clientID), \(Configuration.Env.clientSecret)
                            API key of the "Email & Collaboration" service (Infinity Portal > Global
                            Settings > API Keys)
      \(Configuration.Env.mobileClientID), \(Configuration.Env.mobileClientSecret)
                            API key of the "Harmony Mobile" service (default: the HEC key)
      \(Configuration.Env.region)     us, eu (default), au, ca, uk, ae (UAE; alias uae), me (UAE, other host), in
      \(Configuration.Env.gatewayURL)  explicit gateway URL (overrides the region; scheme, host and port only); a
                            smart-api-production-*.avanan.net host selects the legacy Smart API
      \(Configuration.Env.hecAPI)    infinity (default) or smart-api: how HEC requests are authenticated
      \(Configuration.Env.rateLimit), \(Configuration.Env.maxConcurrency),
      \(Configuration.Env.requestTimeout), \(Configuration.Env.callDeadline),
      \(Configuration.Env.maxRetries), \(Configuration.Env.maxResponseMB)
                            client limits, timeouts and the largest answer accepted

    check: the `diagnose` tool's checks (configuration, gateway, credentials, scopes, Mobile key, clock)
    as a report on stdout; works with --demo. config: the client's configuration on stdout, with this
    binary's absolute path, the flags given after CLIENT, and the variable names with placeholders.

    exit codes: 0 after stdin closes (or after --help/--version/--print-*/config, or a check that passed),
    1 for a failed check, 2 for a bad flag or setting.
    """
