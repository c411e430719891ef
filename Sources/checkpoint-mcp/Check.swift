import CheckPointTools
import MCPCore

/// `checkpoint-mcp check` (or `--check`, with `--demo` too): the first thing to run after pasting a key.
/// Prints the `diagnose` tool's report on stdout and a verdict line; exit status 0 only when everything
/// the served toolsets need works, 1 otherwise (2 stays "bad flag or setting").
func runCheck(_ inv: Invocation) async -> Int32 {
    let env = makeToolEnvironment(inv, environment: ProcessEnvironment.all(), logProblems: false)
    let outcome = await ConnectionCheck.run(env, toolsets: inv.toolsets)
    var text = outcome.report + "\n\n"
    if outcome.passed {
        text += "check: OK: everything the served toolsets (\(toolsetList(inv))) need works.\n"
    } else {
        text += "check: FAILED (\(toolsetList(inv))):\n" + outcome.failures.map { "- " + $0 + "\n" }.joined()
        text += "Settings and their forms: \(Product.name) --help; details in docs/configuration.md.\n"
    }
    writeStdout(text)
    return outcome.passed ? 0 : 1
}

func toolsetList(_ inv: Invocation) -> String {
    Toolset.allCases.filter { inv.toolsets.contains($0) }.map(\.rawValue).joined(separator: ",")
}
