import CheckPointAPI
import Foundation
import MCPCore
import Testing

@testable import CheckPointTools

@Suite("Confirmation tokens")
struct ConfirmationTests {
    @Test("SHA-256 matches the FIPS 180-4 test vectors")
    func sha256Vectors() {
        #expect(SHA256Digest.hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256Digest.hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(
            SHA256Digest.hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        #expect(
            SHA256Digest.hex(String(repeating: "a", count: 1_000))
                == "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3")
    }

    @Test("canonical arguments ignore key order, integral doubles and the token itself")
    func canonicalForm() {
        let a: JSONObject = ["entity_ids": ["a", "b"], "scope": "f:t", "limit": 100]
        let b: JSONObject = ["limit": 100.0, "scope": "f:t", "confirmation_token": "ct_x", "entity_ids": ["a", "b"]]
        #expect(CanonicalJSON.arguments(a) == CanonicalJSON.arguments(b))
        #expect(CanonicalJSON.arguments(a) == #"{"entity_ids":["a","b"],"limit":100,"scope":"f:t"}"#)
        let reordered: JSONObject = ["entity_ids": ["b", "a"], "scope": "f:t", "limit": 100]
        #expect(CanonicalJSON.arguments(a) != CanonicalJSON.arguments(reordered))
        #expect(CanonicalJSON.encode("q\"\n\u{1}") == #""q\"\n\u0001""#)
    }

    @Test("a token executes once, for exactly its tool and arguments")
    func singleUseAndBound() async throws {
        let store = ConfirmationStore()
        let args: JSONObject = ["entity_ids": ["e1"], "scope": "f:t"]
        let ticket = await store.issue(tool: "quarantine_entities", arguments: args, plan: 42)

        // Other arguments or another tool: refused, and the token stays valid for what it was issued for.
        await #expect(throws: ConfirmationError.argumentsChanged(issuedFor: "quarantine_entities")) {
            try await store.redeem(token: ticket.token, tool: "quarantine_entities", arguments: ["entity_ids": ["e2"], "scope": "f:t"])
        }
        await #expect(throws: ConfirmationError.argumentsChanged(issuedFor: "quarantine_entities")) {
            try await store.redeem(token: ticket.token, tool: "restore_entities", arguments: args)
        }
        var withToken = args
        withToken["confirmation_token"] = .string(ticket.token)
        let plan = try await store.redeem(token: ticket.token, tool: "quarantine_entities", arguments: withToken)
        #expect(plan as? Int == 42)
        await #expect(throws: ConfirmationError.reused) {
            try await store.redeem(token: ticket.token, tool: "quarantine_entities", arguments: args)
        }
        await #expect(throws: ConfirmationError.unknown) {
            try await store.redeem(token: "ct_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", tool: "quarantine_entities", arguments: args)
        }
    }

    @Test("a token expires exactly at the end of its lifetime (injected clock, no sleep)")
    func expiry() async throws {
        let time = ManualTime()
        let store = ConfirmationStore(ttlSeconds: 1, time: time)
        let ticket = await store.issue(tool: "t", arguments: [:], plan: 1)
        time.advance(by: .milliseconds(999))
        // Still pending: other arguments are refused as such, not as expired, and leave the token alive.
        await #expect(throws: ConfirmationError.argumentsChanged(issuedFor: "t")) {
            try await store.redeem(token: ticket.token, tool: "t", arguments: ["x": 1])
        }
        #expect(await store.pendingCount == 1)
        time.advance(by: .milliseconds(1))
        await #expect(throws: ConfirmationError.expired(ttlSeconds: 1)) {
            try await store.redeem(token: ticket.token, tool: "t", arguments: [:])
        }
        #expect(await store.pendingCount == 0)
    }

    @Test("tokens are unguessable: 192 random bits, never repeated")
    func tokenShape() {
        let tokens = (0..<2_000).map { _ in ConfirmationStore.newToken() }
        #expect(Set(tokens).count == tokens.count)
        for t in tokens.prefix(20) {
            #expect(t.hasPrefix("ct_"))
            #expect(Data(base64Encoded: String(t.dropFirst(3)).replacingOccurrences(of: "-", with: "+")
                .replacingOccurrences(of: "_", with: "/"))?.count == 24)
        }
    }

    @Test("the lifetime can only be shortened by CHECKPOINT_MCP_CONFIRM_TTL_SECONDS")
    func ttlFromEnvironment() {
        #expect(ConfirmationStore.ttlFromEnvironment([:]) == 600)
        #expect(ConfirmationStore.ttlFromEnvironment(["CHECKPOINT_MCP_CONFIRM_TTL_SECONDS": "2"]) == 2)
        #expect(ConfirmationStore.ttlFromEnvironment(["CHECKPOINT_MCP_CONFIRM_TTL_SECONDS": "86400"]) == 600)
        #expect(ConfirmationStore.ttlFromEnvironment(["CHECKPOINT_MCP_CONFIRM_TTL_SECONDS": "soon"]) == 600)
        #expect(ConfirmationStore(ttlSeconds: 5_000).ttlSeconds == 600)
    }
}
