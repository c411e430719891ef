// checkpoint-mcp: the MCP server executable. It only wires things together: flags and environment,
// configuration, the Check Point client, the toolsets, optionally the in-process simulator, and the
// stdio server from MCPCore. Everything here is documented in `usage` (Usage.swift).
import CheckPointAPI
import CheckPointTools
import MCPCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

let invocation: Invocation
do {
    invocation = try Invocation.parse(Array(CommandLine.arguments.dropFirst()), environment: ProcessEnvironment.serverSettings())
} catch {
    StandardError.write("checkpoint-mcp: \(error.message)\nRun checkpoint-mcp --help for the flags and environment variables.\n")
    exit(2)
}

switch invocation.action {
case .help:
    writeStdout(usage + "\n")
    exit(0)
case .version:
    writeStdout("\(Product.name) \(Product.version) (commit \(buildCommit))\n")
    exit(0)
case .printCatalog:
    writeStdout(Toolbox.catalogJSON.serializedString(sortedKeys: true, pretty: true) + "\n")
    exit(0)
case .printToolDocs:
    writeStdout(CatalogDocs.markdown())
    exit(0)
case .printMCPBManifest:
    writeStdout(Distribution.mcpbManifest().serializedString(pretty: true) + "\n")
    exit(0)
case .printServerJSON(let digest):
    writeStdout(Distribution.serverJSON(bundleSHA256: digest).serializedString(pretty: true) + "\n")
    exit(0)
case .config(let client):
    writeStdout(ClientConfig.text(
        for: client, executable: ClientConfig.executablePath(), arguments: invocation.serverArguments, demo: invocation.demo))
    StandardError.write(client.destination + "\n")
    if !invocation.demo {
        let mobile = client == .claudeCode ? "" : " (leave the Mobile values empty to reuse it)"
        StandardError.write("Replace the placeholders with your API key\(mobile); then run `\(Product.name) check` with the same settings to test it.\n")
    }
    exit(0)
case .check:
    exit(await runCheck(invocation))
case .serve:
    break
}

// A bad --audit-log path (a symlink, a FIFO, a directory, no permission) is refused before serving:
// finding out at the first confirmed write would leave that write only in the stderr log.
if let path = invocation.auditLogPath, let problem = AuditLog.check(path: path) {
    StandardError.write("checkpoint-mcp: \(problem)\n")
    exit(2)
}

// A person typed the command in a terminal: say what this is instead of sitting silently.
if isatty(0) == 1 { StandardError.write(terminalNote) }

// From here on stdout belongs to the protocol: take it over before anything can print.
let transport = StdioTransport.standardIO(drainSeconds: invocation.drainSeconds)
let server = MCPServer(options: makeServerOptions(invocation))
await server.run(on: transport)
exit(0)
