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
}
