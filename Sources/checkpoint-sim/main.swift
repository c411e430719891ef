// checkpoint-sim: the Check Point look-alike as a process, for end-to-end tests, benchmarks and manual poking.
// Binds 127.0.0.1 only. First stdout line: "listening on http://127.0.0.1:PORT".
import CheckPointSimulator
import Foundation

let usage = """
    usage: checkpoint-sim [flags]

    A Check Point look-alike (Infinity Portal auth, Harmony Email & Collaboration, Harmony Mobile) over
    HTTP/1.1 on 127.0.0.1 only. Prints "listening on http://127.0.0.1:PORT" first, then serves until
    killed or until stdin closes.

    flags:
      --port N                  port on 127.0.0.1 (default 0 = ephemeral)
      --client-id ID            HEC API key id (default \(SimulatorOptions.defaultClientID))
      --client-secret S         HEC API key secret (default \(SimulatorOptions.defaultClientSecret))
      --mobile-client-id ID     Harmony Mobile key id (default \(SimulatorOptions.defaultMobileClientID))
      --mobile-client-secret S  Harmony Mobile key secret (default \(SimulatorOptions.defaultMobileClientSecret))
      --msp-client-id ID        multi-scope (MSP) HEC key id (default \(SimulatorOptions.defaultMSPClientID))
      --msp-client-secret S     multi-scope (MSP) HEC key secret (default \(SimulatorOptions.defaultMSPClientSecret))
      --seed N                  tenant seed (default \(SimulatorOptions.defaultSeed))
      --token-lifetime SECONDS  token expiresIn (default \(SimulatorOptions.defaultTokenLifetimeSeconds))
      --task-delay SECONDS      time a task stays pending (default \(SimulatorOptions.defaultTaskCompletionDelay))
      --scroll-style STYLE      stable | per-page (default stable)
      --scroll-end null|empty   scrollId of a finished scroll: null or "" (default null)
      --order ORDER             oldest-first | newest-first: order of search and event results
                                (default oldest-first, as the real API is read; the 10,000 cap keeps the oldest)
      --unassigned-key          the HEC keys have no farm association yet: GET /scopes answers [""]
      --hostile-mobile          add a device (#521), an alert (#261) and an audit entry (#151) whose text
                                fields carry line breaks, bidi overrides, invisible characters and long values
      --latency-ms N            add N ms to every API request (same as --fault latency:latency_ms=N)
      --rate-limit N            answer 429 past N API requests a minute (same as --fault rate_limit:limit=N)
      --fault KIND[:opts]       inject a fault from the start (repeatable)
      --help                    show this help

    faults (also at runtime: POST /_sim/faults with {"kind": ..., options...}; DELETE /_sim/faults clears):
    \(SimulatorFault.optionHelp.split(separator: "\n").map { "  " + $0 }.joined(separator: "\n"))

    control endpoints (no auth): GET /_sim/stats, GET|POST|DELETE /_sim/faults, POST /_sim/reset[?tenant=1],
      GET /_sim/requests[?route=METHOD%20/path] (the last 500 API requests as received: route, target,
      content_length, transfer_encoding, content_type, body_bytes, body), DELETE /_sim/requests
    """

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("checkpoint-sim: \(message)\nrun checkpoint-sim --help for the flags\n".utf8))
    exit(2)
}

var options = SimulatorOptions()
var args = CommandLine.arguments.dropFirst()
@MainActor func value(_ flag: String) -> String {
    guard let v = args.popFirst() else { fail("\(flag) needs a value") }
    return v
}
while let arg = args.popFirst() {
    switch arg {
    case "--help", "-h": print(usage); exit(0)
    case "--port": guard let p = UInt16(value(arg)) else { fail("--port needs 0...65535") }; options.port = p
    case "--client-id": options.clientID = value(arg)
    case "--client-secret": options.clientSecret = value(arg)
    case "--mobile-client-id": options.mobileClientID = value(arg)
    case "--mobile-client-secret": options.mobileClientSecret = value(arg)
    case "--msp-client-id": options.mspClientID = value(arg)
    case "--msp-client-secret": options.mspClientSecret = value(arg)
    case "--seed": guard let s = UInt64(value(arg)) else { fail("--seed needs an unsigned integer") }; options.seed = s
    case "--token-lifetime":
        guard let t = Int(value(arg)), t > 0 else { fail("--token-lifetime needs a positive integer") }
        options.tokenLifetimeSeconds = t
    case "--task-delay":
        guard let d = Double(value(arg)), d >= 0 else { fail("--task-delay needs seconds >= 0") }
        options.taskCompletionDelay = d
    case "--hostile-mobile": options.hostileMobile = true
    case "--unassigned-key": options.unassignedKey = true
    case "--scroll-style":
        guard let s = ScrollStyle(rawValue: value(arg)) else { fail("--scroll-style is stable or per-page") }
        options.scrollStyle = s
    case "--order":
        guard let o = ResultOrder(rawValue: value(arg)) else { fail("--order is oldest-first or newest-first") }
        options.order = o
    case "--scroll-end":
        switch value(arg) {
        case "null": options.scrollEndsWithEmptyString = false
        case "empty": options.scrollEndsWithEmptyString = true
        default: fail("--scroll-end is null or empty")
        }
    case "--latency-ms":
        guard let ms = Int(value(arg)), ms >= 0 else { fail("--latency-ms needs a non-negative integer") }
        options.faults.append(SimulatorFault(kind: .latency, latencyMs: ms))
    case "--rate-limit":
        guard let n = Int(value(arg)), n >= 0 else { fail("--rate-limit needs a non-negative integer") }
        options.faults.append(SimulatorFault(kind: .rateLimit, limit: n))
    case "--fault":
        do { options.faults.append(try SimulatorFault.parse(flag: value(arg))) } catch { fail("--fault: \(error)") }
    default: fail("unknown flag \(arg)")
    }
}

let server = SimulatorServer(options: options)
do {
    let port = try server.start()
    // Unbuffered write: the parent reads this line to learn the port.
    FileHandle.standardOutput.write(Data("listening on http://127.0.0.1:\(port)\n".utf8))
    #if !DEBUG
    // Release builds (benchmarks) build the tenant up front so the first measured request does not pay for it;
    // debug builds (tests on a shared machine) stay lazy, since many tests never touch the email data.
    let warm = server
    Thread.detachNewThread { warm.prewarm() }
    #endif
} catch {
    FileHandle.standardError.write(Data("checkpoint-sim: \(error)\n".utf8))
    exit(1)
}
// Serve until stdin closes when stdin is a pipe, socket or terminal (the parent went away); with stdin
// from /dev/null or a file (e.g. `checkpoint-sim &` in a script), serve until killed.
var info = stat()
let watchStdin = fstat(0, &info) == 0
    && ((info.st_mode & S_IFMT) == S_IFIFO || (info.st_mode & S_IFMT) == S_IFSOCK || isatty(0) != 0)
if watchStdin {
    while !FileHandle.standardInput.availableData.isEmpty {}
} else {
    while true { sleep(3600) }
}
server.stop()
exit(0)
