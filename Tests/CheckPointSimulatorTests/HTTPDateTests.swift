import Foundation
import Testing
@testable import CheckPointSimulator

/// The simulator's hand-written date formats: a time read back is the time served.
@Suite("HTTPDate")
struct HTTPDateTests {
    @Test("a whole-microsecond time is served and read back exactly, a hair under its decimal or not")
    func microsecondsRoundTrip() throws {
        // 1,000 times with microseconds, 1 in 10 on a whole millisecond: cutting the served fraction off (rather than
        // rounding) served .123455 for a stored .123456 that is a hair under it as a double.
        for k in 0..<1_000 {
            let t = HTTPDate.wholeMicroseconds(Date(timeIntervalSince1970: 1_764_806_400 + Double(k) * 7.000_437 + (k % 10 == 0 ? 0 : 0.000_001 * Double(k))))
            let served = HTTPDate.isoZ(t)
            #expect(HTTPDate.parseISO(served) == t, "\(served)")
            #expect(HTTPDate.parseISO(HTTPDate.isoOffset(t)) == t)
        }
        #expect(HTTPDate.isoZ(Date(timeIntervalSince1970: 1_764_806_400.123_456)) == "2025-12-04T00:00:00.123456Z")
        #expect(HTTPDate.parseISO("2025-12-04T00:00:00.1234565Z") == HTTPDate.parseISO("2025-12-04T00:00:00.123457Z"), "7th digit rounds")
        #expect(HTTPDate.parseISO("2025-12-04T00:00:00.5+01:00") == Date(timeIntervalSince1970: 1_764_806_400.5 - 3_600))
    }

    @Test("the tenant's email and event times are whole microseconds: each is exactly the time it is served as")
    func tenantTimesAsServed() {
        // A start instant with a rest under the microsecond, as `Date()` has: the rows are made relative to it.
        let gen = EmailGenerator(seed: 7, scope: 0, tenantDomain: "acme-demo.com", count: 2_000, now: Date(timeIntervalSince1970: 1_764_806_400.123_456_789))
        var emails = 0, events = 0
        for i in 0..<gen.count {
            let e = gen.email(i)
            emails += HTTPDate.parseISO(HTTPDate.isoZ(e.created)) == e.created ? 0 : 1
            for v in EventGenerator.events(for: e, index: i, flags: gen.initialFlags(e, index: i), fixture: false, seed: 7) {
                events += HTTPDate.parseISO(HTTPDate.isoOffset(v.0.created)) == v.0.created ? 0 : 1
            }
        }
        #expect(emails == 0 && events == 0, "\(emails) emails, \(events) events later than served")
    }
}
