import Testing

@testable import CheckPointAPI

/// `WriteStatus`: which answers to a write leave its outcome unknown. The client's use of it, over the wire,
/// is `ClientResilienceTests.writeAnswered5xx`.
@Suite("WriteStatus")
struct WriteStatusTests {
    @Test("an HTTP 5xx may have acted unless it is one of the few that mean not processed; nothing else may")
    func httpStatus() {
        let acted = (100..<700).filter { WriteStatus.mayHaveActed($0) }
        #expect(Set(acted) == Set(500..<600).subtracting([501, 503, 505, 521, 523, 525, 526]))
    }

    @Test("an envelope's 5xx code always may have acted: the application had the request")
    func envelopeCode() {
        #expect([500, 501, 503, 505, 521, 526, 599].allSatisfy { WriteStatus.mayHaveActed($0, inEnvelope: true) })
        #expect(![0, 200, 204, 400, 422, 429].contains { WriteStatus.mayHaveActed($0, inEnvelope: true) })
    }
}
