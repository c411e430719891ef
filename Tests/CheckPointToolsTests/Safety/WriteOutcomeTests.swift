@testable import CheckPointAPI
import Testing

@testable import CheckPointTools

/// `WriteOutcome`: an error that may have been applied is `unknown`, every other one the caller's word.
@Suite("WriteOutcome")
struct WriteOutcomeTests {
    @Test("only an ambiguous write is unknown", arguments: [CheckPointError.Kind.configuration, .authentication, .network, .timeout, .rateLimited, .permission, .notFound, .validation, .upstream, .decoding, .responseTooLarge, .ambiguousWrite, .cancelled])
    func status(kind: CheckPointError.Kind) {
        let e = CheckPointError(kind, "x", service: .hec)
        #expect(WriteOutcome.status(e) == (kind == .ambiguousWrite ? "unknown" : "failed"))
        #expect(WriteOutcome.status(e, otherwise: "not_found") == (kind == .ambiguousWrite ? "unknown" : "not_found"))
    }

    @Test("the advice names what is unknown and the tool that shows its state")
    func advice() {
        #expect(WriteOutcome.unknownAdvice("Ids", reread: "get_entity_details")
            == "Ids marked unknown may or may not have been applied: re-read with get_entity_details before retrying.")
    }

    @Test("a report is executed, partial, failed or unknown from its items' statuses")
    func reportOutcome() {
        func outcome(_ statuses: [String]) -> String {
            WriteReport(summary: "", text: "", items: statuses.enumerated().map { AuditItem(id: "\($0.offset)", status: $0.element) }).outcome
        }
        #expect(outcome(["submitted", "already_quarantined", "not_found"]) == "executed")
        #expect(outcome(["submitted", "failed"]) == "partial")
        #expect(outcome(["failed", "unknown"]) == "failed")
        #expect(outcome(["unknown", "unknown"]) == "unknown")
        #expect(outcome([]) == "executed")
    }
}
