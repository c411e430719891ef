import Foundation
import Testing

@testable import CheckPointAPI

/// Known secrets and tokens are removed from upstream text in every spelling.
@Suite("Secret redaction (SecretRedactor.swift)")
struct SecretRedactorTests {
    static let key = "Xk9-secret/Key+42="
    static let token = "eyJhbGciOi.tok3n_value-123"

    static func redactor() -> SecretRedactor {
        let r = SecretRedactor(credentials: [Credentials(clientID: "client-1", secret: key)])
        r.remember(token: token)
        return r
    }

    @Test("every spelling of the key and token is removed, any case", arguments: [
        key, key.uppercased(), key.lowercased(),
        key.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!,
        key.replacingOccurrences(of: "/", with: "\\/"),
        Data(key.utf8).base64EncodedString(),
        Data("client-1:\(key)".utf8).base64EncodedString(),
        token, token.uppercased(), Data(token.utf8).base64EncodedString(),
        "Bearer " + token, "BEARER  " + token.uppercased(), "bearer\t\(token)",
    ])
    func spellings(_ form: String) {
        let text = #"{"success": false, "message": "echo: "# + form + #" (end)"}"#
        let cleaned = Self.redactor().scrub(text)
        #expect(!cleaned.lowercased().contains(form.lowercased()), "\(cleaned)")
        #expect(cleaned.contains("[redacted]") && cleaned.hasSuffix(#" (end)"}"#), "\(cleaned)")
        #expect((try? JSONSerialization.jsonObject(with: Data(cleaned.utf8))) != nil, "still JSON: \(cleaned)")
    }

    @Test("an unknown bearer credential is removed too; text without secrets is returned as is")
    func unknownBearerAndCleanText() {
        let r = Self.redactor()
        #expect(r.scrub("Authorization: Bearer abc.DEF-123 rejected") == "Authorization: [redacted] rejected")
        let clean = "nothing secret here: 42 bearers"
        #expect(r.scrub(clean) == clean)
    }

    @Test("a response's body and header values are scrubbed before anything reads them")
    func response() {
        let r = Self.redactor()
        let response = APIResponse(status: 500, headers: ["x-echo": "token=\(Self.token)"], body: Data("key \(Self.key)".utf8))
        let cleaned = r.scrub(response)
        #expect(String(decoding: cleaned.body, as: UTF8.self) == "key [redacted]")
        #expect(cleaned.headers["x-echo"] == "token=[redacted]")
    }
}
