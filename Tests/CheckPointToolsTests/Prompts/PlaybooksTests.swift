import CheckPointAPI
import Foundation
import MCPCore
import Testing

@testable import CheckPointTools

@Suite("playbook prompts and their completion")
struct PlaybooksTests {
    func env(readOnly: Bool = false) -> ToolEnvironment {
        ToolEnvironment(client: CheckPointClient(configuration: Configuration(gatewayURL: nil)), readOnly: readOnly)
    }

    @Test("every playbook is served with all toolsets; mobile-only serves the mobile one; read-only keeps them, recommending only")
    func served() async throws {
        let all = Toolbox.select(Toolbox.Selection(), in: env()).prompts.map(\.definition.name)
        #expect(all == ["phishing_triage", "investigate_email", "review_restore_requests", "review_risky_devices", "daily_brief"])
        #expect(Toolbox.select(Toolbox.Selection(toolsets: [.mobile]), in: env()).prompts.map(\.definition.name) == ["review_risky_devices"])
        let readOnly = Toolbox.select(Toolbox.Selection(readOnly: true), in: env(readOnly: true)).prompts
        #expect(readOnly.count == 5)
        let text = try await readOnly[0].messages(["sender": "evil.com"])[0].text
        #expect(text.contains("read-only") && !text.contains("only after the user agrees"))
    }

    @Test("phishing triage names the tools in order with the user's arguments, fences the sender, asks before writes")
    func triage() async throws {
        let prompt = try #require(Toolbox.select(Toolbox.Selection(), in: env()).prompts.first)
        let text = try await prompt.messages(["sender": "bad@evil.com", "days": "3", "scope": "f:t"])[0].text
        #expect(text.contains(#"{"sender":"bad@evil.com","duration":"3d","limit":500,"scope":"f:t"}"#))
        #expect(text.contains("«bad@evil.com»"))
        let order = ["search_entities", "get_security_events", "get_entity_details", "quarantine_entities"].map { text.range(of: $0)!.lowerBound }
        #expect(order == order.sorted())
        #expect(text.contains("Do not call any write tool on your own"))
    }

    @Test("argument schemas reject what the tools would reject")
    func schemas() {
        let validator = SchemaValidator()
        let prompts = Toolbox.select(Toolbox.Selection(), in: env()).prompts
        let triage = prompts[0].definition.argumentsSchema
        #expect(validator.validate(["sender": "evil.com", "days": "7"], against: triage).isEmpty)
        #expect(!validator.validate(["sender": "evil.com", "days": "91"], against: triage).isEmpty)
        #expect(!validator.validate(["days": "7"], against: triage).isEmpty)
        let email = prompts[1].definition.argumentsSchema
        #expect(!validator.validate(["entity_id": "not-hex"], against: email).isEmpty)
    }

    @Test("completion offers fixed choices and the sender domains seen this session, newest first")
    func completion() async {
        let e = env()
        #expect(await PlaybookCompletion.values("days", typed: "", env: e) == ["1", "3", "7", "14", "30", "90"])
        e.memory.noteSenders(["a@one.com", "b@Two.com", "not-an-address", "c@one.com"])
        e.memory.noteSenders(["d@three.org"])
        #expect(await PlaybookCompletion.values("sender", typed: "", env: e) == ["three.org", "one.com", "two.com"])
        // No gateway configured: upstream values are simply absent, never an error.
        #expect(await PlaybookCompletion.values("scope", typed: "", env: e) == [])
    }
}

@Suite("restore-request playbooks")
struct RestoreRequestPlaybooksTests {
    static func prompt(_ name: String) throws -> Prompt {
        let env = ToolEnvironment(client: CheckPointClient(configuration: Configuration(gatewayURL: nil)), readOnly: false)
        return try #require(Toolbox.select(Toolbox.Selection(), in: env).prompts.first { $0.definition.name == name })
    }

    @Test("review_restore_requests finds requests by when they were made (list_restore_requests), not by the email's date")
    func byRequestTime() async throws {
        let text = try await Self.prompt("review_restore_requests").messages(["days": "3", "scope": "f:t"])[0].text
        #expect(text.contains(#"Call list_restore_requests with {"duration":"3d","state":"pending","limit":200,"scope":"f:t"}"#), "\(text)")
        #expect(!text.contains("search_entities"))
        // The API's window reaches 15 days back: a longer ask is capped and the text says which period it covers.
        let long = try await Self.prompt("review_restore_requests").messages(["days": "30"])[0].text
        #expect(long.contains(#""duration":"15d""#) && long.contains("made in the last 15 days"), "\(long)")
    }

    @Test("daily_brief counts today's restore requests by request time")
    func dailyBrief() async throws {
        let text = try await Self.prompt("daily_brief").messages([:])[0].text
        #expect(text.contains(#"Call list_restore_requests with {"duration":"24h"}"#), "\(text)")
        #expect(!text.contains("restore_requested"))
    }
}
