import Foundation
import Testing
@testable import CheckPointAPI

@Suite("Configuration from the environment")
struct ConfigurationTests {
    static let keys = ["CHECKPOINT_CLIENT_ID": "id-1", "CHECKPOINT_CLIENT_SECRET": "made-up-secret"]

    @Test("a complete environment has no problems and uses the region's gateway")
    func complete() {
        let config = Configuration.fromEnvironment(Self.keys.merging(["CHECKPOINT_REGION": "us"]) { $1 })
        #expect(config.problems.isEmpty)
        #expect(config.gatewayURL?.absoluteString == "https://cloudinfra-gw-us.portal.checkpoint.com")
        #expect(config.hecCredentials?.clientID == "id-1")
        #expect(config.mobileCredentials == config.hecCredentials)
        #expect(config.rateLimitPerMinute == nil)
        #expect(config.maxConcurrency == 5)
    }

    @Test("regions and aliases map to the documented gateway hosts", arguments: [
        ("us", "cloudinfra-gw-us.portal.checkpoint.com"), ("EU", "cloudinfra-gw.portal.checkpoint.com"),
        ("au", "cloudinfra-gw.ap.portal.checkpoint.com"), ("ap", "cloudinfra-gw.ap.portal.checkpoint.com"),
        ("ca", "cloudinfra-gw.ca.portal.checkpoint.com"), ("uk", "cloudinfra-gw.uk.portal.checkpoint.com"),
        ("ae", "cloudinfra-gw.ae.portal.checkpoint.com"), ("uae", "cloudinfra-gw.ae.portal.checkpoint.com"),
        ("me", "cloudinfra-gw.me.portal.checkpoint.com"),
        ("in", "cloudinfra-gw.in.portal.checkpoint.com"), (" India ", "cloudinfra-gw.in.portal.checkpoint.com"),
    ])
    func regions(_ region: String, _ host: String) {
        let config = Configuration.fromEnvironment(Self.keys.merging(["CHECKPOINT_REGION": region]) { $1 })
        #expect(config.gatewayURL?.host == host)
        #expect(config.problems.isEmpty)
    }

    @Test("no region means EU")
    func defaultRegion() {
        let config = Configuration.fromEnvironment(Self.keys)
        #expect(config.region == .eu)
        #expect(config.gatewayURL?.host == "cloudinfra-gw.portal.checkpoint.com")
    }

    @Test("bad settings become exact problems, per service, never a crash", arguments: [
        ([:], ["CHECKPOINT_CLIENT_ID and CHECKPOINT_CLIENT_SECRET are not set: create an API key for the \"Email & Collaboration\" service in Infinity Portal (Global Settings > API Keys) and set both",
               "Harmony Mobile has no API key: set CHECKPOINT_MOBILE_CLIENT_ID and CHECKPOINT_MOBILE_CLIENT_SECRET to a key of the \"Harmony Mobile\" service (or CHECKPOINT_CLIENT_ID/CHECKPOINT_CLIENT_SECRET if one key serves both)"]),
        (["CHECKPOINT_CLIENT_ID": "x"], ["CHECKPOINT_CLIENT_SECRET is not set (CHECKPOINT_CLIENT_ID is): set it to the Secret Key shown when the API key was created",
               "Harmony Mobile has no API key: set CHECKPOINT_MOBILE_CLIENT_ID and CHECKPOINT_MOBILE_CLIENT_SECRET to a key of the \"Harmony Mobile\" service (or CHECKPOINT_CLIENT_ID/CHECKPOINT_CLIENT_SECRET if one key serves both)"]),
        (keys.merging(["CHECKPOINT_REGION": "mars"]) { $1 },
         ["CHECKPOINT_REGION=\"mars\" is not a region; expected one of us, eu, au (alias ap), ca, uk, ae (alias uae), me, in, or set CHECKPOINT_GATEWAY_URL"]),
        (keys.merging(["CHECKPOINT_GATEWAY_URL": "http://evil.example.com"]) { $1 },
         ["CHECKPOINT_GATEWAY_URL=\"http://evil.example.com\" uses plain http to a non-loopback host; the API key would travel unencrypted. Use https://, or http only for 127.0.0.1, ::1 or localhost"]),
        (keys.merging(["CHECKPOINT_GATEWAY_URL": "http://10.0.0.5:8080"]) { $1 },
         ["CHECKPOINT_GATEWAY_URL=\"http://10.0.0.5:8080\" uses plain http to a non-loopback host; the API key would travel unencrypted. Use https://, or http only for 127.0.0.1, ::1 or localhost"]),
        (keys.merging(["CHECKPOINT_GATEWAY_URL": "ftp://127.0.0.1"]) { $1 },
         ["CHECKPOINT_GATEWAY_URL=\"ftp://127.0.0.1\" has scheme \"ftp\"; expected https:// (or http:// to a loopback address)"]),
        (keys.merging(["CHECKPOINT_GATEWAY_URL": "cloudinfra-gw.portal.checkpoint.com"]) { $1 },
         ["CHECKPOINT_GATEWAY_URL=\"cloudinfra-gw.portal.checkpoint.com\" is not a URL; expected https://HOST[:PORT] (or http://127.0.0.1:PORT for a local simulator)"]),
        (keys.merging(["CHECKPOINT_MOBILE_CLIENT_ID": "m"]) { $1 },
         ["CHECKPOINT_MOBILE_CLIENT_SECRET is not set (CHECKPOINT_MOBILE_CLIENT_ID is): set it to the Secret Key of the Harmony Mobile API key"]),
        (keys.merging(["CHECKPOINT_RATE_LIMIT_PER_MINUTE": "fast", "CHECKPOINT_MAX_CONCURRENCY": "0"]) { $1 },
         ["CHECKPOINT_RATE_LIMIT_PER_MINUTE=\"fast\" is not valid: expected a whole number in 1...100000 requests per minute; using the default",
          "CHECKPOINT_MAX_CONCURRENCY=\"0\" is not valid: expected a whole number in 1...64 requests in flight; using the default"]),
    ] as [([String: String], [String])])
    func problems(_ env: [String: String], _ expected: [String]) {
        #expect(Configuration.fromEnvironment(env).problems == expected)
    }

    @Test("the portal's Authentication URL pasted as the gateway keeps scheme, host and port, and says so", arguments: [
        ("https://cloudinfra-gw.portal.checkpoint.com/auth/external", "https://cloudinfra-gw.portal.checkpoint.com", true),
        ("https://cloudinfra-gw-us.portal.checkpoint.com:443/auth/external/", "https://cloudinfra-gw-us.portal.checkpoint.com:443", true),
        ("http://127.0.0.1:8080/app/hec-api/v1.0", "http://127.0.0.1:8080", true),
        ("https://gw.example.com/", "https://gw.example.com", false),
        ("HTTPS://gw.example.com", "https://gw.example.com", false),
    ])
    func gatewayPathDropped(_ raw: String, _ expected: String, _ noted: Bool) {
        let config = Configuration.fromEnvironment(Self.keys.merging(["CHECKPOINT_GATEWAY_URL": raw]) { $1 })
        #expect(config.gatewayURL?.absoluteString == expected)
        #expect(config.problems(for: .hec).isEmpty)
        #expect(config.problems.contains { $0.contains("only the gateway is used: \(expected)") } == noted)
        #expect(config.gatewayURL?.appendingPathComponent("auth/external").path == "/auth/external")
    }

    @Test("a UAE host that does not resolve points to the UAE's other host name")
    func uaeAlternative() {
        #expect(Region.alternative(toHost: "cloudinfra-gw.ae.portal.checkpoint.com") == .me)
        #expect(Region.alternative(toHost: "CLOUDINFRA-GW.ME.portal.checkpoint.com") == .ae)
        #expect(Region.alternative(toHost: "cloudinfra-gw.portal.checkpoint.com") == nil)
        #expect(Region.resolveHint("cloudinfra-gw.ae.portal.checkpoint.com").contains("CHECKPOINT_REGION=me (cloudinfra-gw.me.portal.checkpoint.com)"))
        #expect(Region.resolveHint("cloudinfra-gw.uk.portal.checkpoint.com").isEmpty)
    }

    @Test("http is accepted only for loopback gateways", arguments: [
        ("http://127.0.0.1:8080", true), ("http://127.1.2.3", true), ("http://localhost:9", true), ("http://[::1]:8080", true),
        ("https://gw.example.com", true), ("http://128.0.0.1", false), ("http://localhost.evil.com", false),
        ("http://127.0.0.1.evil.com", false), ("http://user:pw@127.0.0.1", false), ("https://gw.example.com/?x=1", false),
    ])
    func loopbackRule(_ url: String, _ accepted: Bool) {
        let config = Configuration.fromEnvironment(Self.keys.merging(["CHECKPOINT_GATEWAY_URL": url]) { $1 })
        #expect((config.gatewayURL != nil) == accepted)
        #expect(config.problems.isEmpty == accepted)
    }

    @Test("a separate Mobile key is used for Mobile only; a missing HEC key blocks only HEC")
    func serviceScopedProblems() {
        let config = Configuration.fromEnvironment(["CHECKPOINT_MOBILE_CLIENT_ID": "m", "CHECKPOINT_MOBILE_CLIENT_SECRET": "ms"])
        #expect(config.mobileCredentials?.clientID == "m")
        #expect(config.problems(for: .mobile).isEmpty)
        #expect(config.problems(for: .hec).count == 1)
    }

    @Test("tunables are read in their units")
    func tunables() {
        let config = Configuration.fromEnvironment(Self.keys.merging([
            "CHECKPOINT_RATE_LIMIT_PER_MINUTE": "600", "CHECKPOINT_MAX_CONCURRENCY": "8",
            "CHECKPOINT_REQUEST_TIMEOUT": "2.5", "CHECKPOINT_CALL_DEADLINE": "45", "CHECKPOINT_MAX_RETRIES": "0",
        ]) { $1 })
        #expect(config.problems.isEmpty)
        #expect(config.rateLimitPerMinute == 600)
        #expect(config.maxConcurrency == 8)
        #expect(config.requestTimeout == .milliseconds(2500))
        #expect(config.callDeadline == .seconds(45))
        #expect(config.maxRetries == 0)
    }

    @Test("send for a misconfigured service throws .configuration with the problem text")
    func sendRefuses() async {
        let client = CheckPointClient(configuration: Configuration.fromEnvironment(["CHECKPOINT_REGION": "eu"]))
        await #expect {
            _ = try await client.send(APIRequest(.hec, .get, "/scopes"))
        } throws: { error in
            guard let error = error as? CheckPointError else { return false }
            return error.kind == .configuration && error.message.contains("CHECKPOINT_CLIENT_ID and CHECKPOINT_CLIENT_SECRET are not set")
        }
    }

    @Test("secrets never print: description, interpolation, dump, Mirror")
    func redaction() {
        let credentials = Credentials(clientID: "id-1", secret: "made-up-secret")
        var dumped = ""
        dump(credentials, to: &dumped)
        let config = Configuration.fromEnvironment(Self.keys)
        var dumpedConfig = ""
        dump(config, to: &dumpedConfig)
        for text in ["\(credentials)", String(describing: credentials), String(reflecting: credentials), dumped,
                     dumpedConfig, "\(config)", String(reflecting: config.hecCredentials!.secret)] {
            #expect(!text.contains("made-up-secret"), "leaked in: \(text)")
        }
    }

    // MARK: docs/configuration.md agrees with the parser

    /// The repository root, found from this file so no bundle resources are needed.
    static let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// One row of a Markdown table whose first cell names `CHECKPOINT_*` variables: the names and the other cells.
    struct DocumentedRow {
        var names: [String]
        var cells: [String]
    }

    /// The rows of the tables under `file`'s heading `section` (up to the next `## ` heading) whose first cell
    /// names `CHECKPOINT_*` variables (server settings, `CHECKPOINT_MCP_*`, are the executable's, not
    /// `Configuration`'s, and are left out).
    static func documentedRows(_ file: String, section: String) throws -> [DocumentedRow] {
        let text = try String(contentsOf: repoRoot.appendingPathComponent(file), encoding: .utf8)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let start = try #require(lines.firstIndex { $0 == section }, "\(file) has no heading \(section)")
        let rest = lines[(start + 1)...]
        let end = rest.firstIndex { $0.hasPrefix("## ") } ?? rest.endIndex
        return rest[..<end].compactMap { line -> DocumentedRow? in
            guard line.hasPrefix("| `CHECKPOINT_") else { return nil }
            let cells = line.split(separator: "|", omittingEmptySubsequences: false).dropFirst().dropLast()
                .map { $0.trimmingCharacters(in: .whitespaces) }
            let names = variableNames(in: cells.first ?? "").filter { !$0.hasPrefix("CHECKPOINT_MCP_") }
            return names.isEmpty ? nil : DocumentedRow(names: names, cells: Array(cells.dropFirst()))
        }
    }

    /// Every `CHECKPOINT_[A-Z_]+` word in `text`.
    static func variableNames(in text: String) -> [String] {
        text.matches(of: /CHECKPOINT_[A-Z_]+/).map { String($0.output) }
    }

    /// The variables `Configuration.fromEnvironment` can read: every name its source file spells (each is
    /// spelled once, in `Configuration.Env`).
    static func spelledNames() throws -> Set<String> {
        let source = try String(
            contentsOf: repoRoot.appendingPathComponent("Sources/CheckPointAPI/Core/Configuration.swift"), encoding: .utf8)
        return Set(source.matches(of: /"(CHECKPOINT_[A-Z_]+)"/).map { String($0.output.1) })
    }

    @Test("docs/configuration.md's table names exactly the variables Configuration reads, and each one changes the outcome")
    func documentedVariablesAreRead() throws {
        let documented = try Self.documentedRows("docs/configuration.md", section: "## Variables").flatMap(\.names)
        #expect(documented.count == Set(documented).count, "a variable has two rows: \(documented)")
        let spelled = try Self.spelledNames()
        #expect(Set(documented) == spelled,
                "documented only: \(Set(documented).subtracting(spelled).sorted()); read but undocumented: \(spelled.subtracting(documented).sorted())")
        // Read, not just spelled: a malformed value of each documented variable is noticed (a problem or a
        // warning naming it), where the same environment without it is not.
        let baseline = Configuration.fromEnvironment([:]).issues
        for name in documented {
            let issues = Configuration.fromEnvironment([name: "not-a-valid-value"]).issues
            #expect(issues != baseline && issues.contains { $0.variable == name || $0.message.contains(name) },
                    "\(name)=not-a-valid-value changed nothing: fromEnvironment does not read it")
        }
    }

    @Test("README's variable table names the same variables as docs/configuration.md")
    func readmeVariables() throws {
        let readme = try Self.documentedRows("README.md", section: "## Configuration").flatMap(\.names)
        let documented = try Self.documentedRows("docs/configuration.md", section: "## Variables").flatMap(\.names)
        #expect(Set(readme) == Set(documented),
                "README only: \(Set(readme).subtracting(documented).sorted()); missing from README: \(Set(documented).subtracting(readme).sorted())")
    }

    /// The tunables' values as `Configuration` holds them, in the unit docs/configuration.md states.
    static let tunables: [String: @Sendable (Configuration) -> Double?] = [
        "CHECKPOINT_RATE_LIMIT_PER_MINUTE": { $0.rateLimitPerMinute.map(Double.init) },
        "CHECKPOINT_MAX_CONCURRENCY": { Double($0.maxConcurrency) },
        "CHECKPOINT_REQUEST_TIMEOUT": { $0.requestTimeout.seconds },
        "CHECKPOINT_CALL_DEADLINE": { $0.callDeadline.seconds },
        "CHECKPOINT_MAX_RETRIES": { Double($0.maxRetries) },
        "CHECKPOINT_MAX_RESPONSE_MB": { Double($0.maxResponseBytes >> 20) },
    ]

    @Test("each tunable's documented default and range are the parser's: both bounds accepted, one past either refused")
    func documentedDefaultsAndRanges() throws {
        let rows = try Self.documentedRows("docs/configuration.md", section: "## Variables").filter { $0.cells.count >= 2 && $0.cells[1].contains("…") }
        #expect(Set(rows.flatMap(\.names)) == Set(Self.tunables.keys), "rows with a range: \(rows.flatMap(\.names))")
        let defaults = Configuration.fromEnvironment([:])
        for row in rows {
            let name = row.names[0]
            guard let read = Self.tunables[name] else { continue }
            // Default: a number in backticks, or "none" (unset).
            let documentedDefault = row.cells[0].trimmingCharacters(in: CharacterSet(charactersIn: "`"))
            #expect(read(defaults) == Double(documentedDefault), "\(name): documented default \(row.cells[0]), parser \(String(describing: read(defaults)))")
            // Range: "1…64", "0.1…600".
            let bounds = try #require(row.cells[1].firstMatch(of: /([0-9.]+)…([0-9.]+)/), "\(name): no range in \(row.cells[1])")
            let (low, high) = (String(bounds.output.1), String(bounds.output.2))
            for valid in [low, high] {
                let config = Configuration.fromEnvironment(Self.keys.merging([name: valid]) { $1 })
                #expect(config.issues.isEmpty && read(config) == Double(valid), "\(name)=\(valid) is documented as valid: \(config.problems)")
            }
            let step = row.cells[1].contains("whole number") ? 1.0 : 0.05
            for invalid in [Double(low)! - step, Double(high)! + step] {
                let config = Configuration.fromEnvironment(Self.keys.merging([name: String(invalid)]) { $1 })
                #expect(config.issues.contains { $0.variable == name } && read(config) == read(defaults),
                        "\(name)=\(invalid) is outside the documented range, yet accepted")
            }
        }
    }
}
