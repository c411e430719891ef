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
    writeStdout("\(Product.name) \(Product.version)\n")
    exit(0)
case .printCatalog:
    writeStdout(Toolbox.catalogJSON.serializedString(sortedKeys: true, pretty: true) + "\n")
    exit(0)
case .printToolDocs:
    writeStdout(CatalogDocs.markdown())
    exit(0)
case .serve:
    break
}

// From here on stdout belongs to the protocol: take it over before anything can print.
let transport = StdioTransport.standardIO()
let server = MCPServer(options: makeServerOptions(invocation))
await server.run(on: transport)
exit(0)
