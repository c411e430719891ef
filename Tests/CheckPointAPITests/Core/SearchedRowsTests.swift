import Foundation
import Testing
@testable import CheckPointAPI

/// Rows kept for previews: found while fresh, gone after their lifetime or past capacity (oldest first).
@Suite("SearchedRows")
struct SearchedRowsTests {
    func entity(_ id: String) -> ActionTargetEntity {
        ActionTargetEntity(entityID: id, customerID: nil, saas: "office365_emails", entityType: nil, sender: nil, subject: nil,
                           received: nil, isQuarantined: false, isRestored: false, isRestoreRequested: false,
                           isRestoreDeclined: false, restoreRequestTime: nil)
    }

    @Test("a row lives searchedTTL on the injected clock")
    func expiry() {
        let time = ManualTime()
        let rows = SearchedRows(capacity: 10, time: time)
        rows.store([entity("a")], read: Date())
        #expect(rows.value("a")?.entity.entityID == "a")
        time.advance(by: EntityCache.searchedTTL)
        #expect(rows.value("a") == nil)
    }

    @Test("past capacity the oldest rows go first; removeAll drops everything")
    func capacity() {
        let rows = SearchedRows(capacity: 3, time: ManualTime())
        rows.store(["a", "b", "c", "d", "e"].map(entity), read: Date())
        #expect(rows.value("a") == nil && rows.value("b") == nil)
        #expect(rows.value("c") != nil && rows.value("e") != nil)
        rows.removeAll()
        #expect(rows.value("e") == nil)
    }
}
