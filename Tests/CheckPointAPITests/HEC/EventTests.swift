import Foundation
import Testing
@testable import CheckPointAPI

/// Contract tests of `HECEvent` (Sources/CheckPointAPI/HEC/Event.swift) against recorded event answers.
@Suite("Event contract (recorded answers)")
struct EventTests {
    @Test("query_events: string severity, +00:00 offset with microseconds, null action lists, total ≠ page length")
    func queryEvents() async throws {
        let gateway = FixtureTransport()
        gateway.answer("POST /event/query", try FixtureFile.xsoar("query_events"))
        let start = CheckPointDate.parse("2023-06-30T00:00:00Z")!
        let page = try await HECAPI(client: gateway.client()).securityEventsPage(EventQuery(start: start, end: start.addingTimeInterval(86_400)))
        let events = try #require(page.data)
        #expect(events.count == 1)
        #expect(page.recordsNumber == 60)
        #expect(page.scrollId == "30b609a37e744ac7988ba7c8a1b4d736")
        let e = events[0]
        #expect(e.eventId == "99c2f9b654514dc5b3f950044bf1b056")
        #expect(e.customerId == "prod-3-con-lab44")
        #expect(e.state == "remediated")
        #expect(e.type == "malicious_url")
        #expect(e.confidenceIndicator == "malicious_url")
        #expect(e.severity == .high)
        #expect(e.created == CheckPointDate.parse("2023-06-30T15:14:58.463039Z"))
        #expect(e.description?.hasPrefix("A user clicked a malicious URL") == true)
        #expect(e.senderAddress == nil && e.entityLink == nil)
        #expect(e.availableActions.isEmpty && e.actions.isEmpty)
    }

    @Test("Elastic's 18 raw events: every type, state, severity and variant decodes")
    func elasticEvents() throws {
        let lines = String(decoding: try FixtureFile.data("hec/elastic/test-event.log"), as: UTF8.self)
            .split(separator: "\n").filter { !$0.isEmpty }
        let events = try lines.map { try CheckPointClient.decoder.decode(HECEvent.self, from: Data($0.utf8)) }
        #expect(events.count == 18)
        #expect(events.allSatisfy { !$0.eventId.isEmpty && $0.created != nil && $0.severity != nil })
        #expect(Set(events.compactMap(\.type)) == ["dlp", "anomaly", "malware", "shadow_it", "phishing", "spam", "malicious_url", "alert", "suspicious_phishing"])
        #expect(Set(events.compactMap(\.state)) == ["dismissed", "new", "detected", "pending", "remediated", "exception"])
        #expect(events[0].customerId == "us:customername")
        #expect(events[0].availableActions == ["dismiss", "severityChange", "severityChange", "severityChange", "severityChange"])
        #expect(events[0].description?.contains("\u{2018}please see my credit data\u{2019}") == true)
        #expect(events[13].entityId == "61a845f1-ec40-4097-93d5-b482dc50820c")
        #expect(events[13].created == CheckPointDate.parse("2025-06-29T21:37:45Z"))
        #expect(events[10].senderAddress == nil)
        #expect(events[5].severity == .critical && events[0].severity == .low)
    }
}
