import Testing

@testable import CheckPointAPI

/// Ids and values put into URL paths can never name another resource.
@Suite("Path segments (PathSegment.swift)")
struct PathSegmentTests {
    @Test("ids that would change the path are refused before any request", arguments: [
        ".", "..", "...", "", "a/b", "../x", "a?b=1", "a#frag", "a%2F", "a b", "a\u{0}b", "a\nb", "a\\b", "é1", "a\u{7F}",
    ])
    func refusedIDs(_ id: String) {
        #expect(throws: CheckPointError.self) { try PathSegment.id(id, field: "entity id", service: .hec) }
    }

    @Test("ordinary ids pass unchanged")
    func ordinaryIDs() throws {
        for id in ["8b1d6e3f0c2a4d5e9f7a1b2c3d4e5f60", "1763923212345678", "a.b", "x-1_2:3", "user@example.com"] {
            #expect(try PathSegment.id(id, field: "id", service: .hec) == id)
        }
    }

    @Test("a value stays one segment: every reserved or non-ASCII byte is percent-encoded; dots-only and controls refused")
    func values() throws {
        #expect(try PathSegment.value("https://evil.example/a?b#c", field: "v", service: .hec) == "https:%2F%2Fevil.example%2Fa%3Fb%23c")
        #expect(try PathSegment.value("ünï 100%", field: "v", service: .hec) == "%C3%BCn%C3%AF%20100%25")
        #expect(throws: CheckPointError.self) { try PathSegment.value("..", field: "v", service: .hec) }
        #expect(throws: CheckPointError.self) { try PathSegment.value("a\u{1B}b", field: "v", service: .hec) }
    }

    @Test("the error (typed: throws(CheckPointError)) names the field, the problem, and says nothing was sent")
    func message() {
        do {
            _ = try PathSegment.id("..", field: "exception id", service: .hec)
            Issue.record("accepted ..")
        } catch {
            #expect(error.kind == .validation)
            #expect(error.message == "exception id \"..\" is not a valid id: a segment of only dots would name another resource; nothing was sent")
        }
    }
}
