import Foundation
import Testing

@testable import CheckPointAPI

/// Unit tests of the Harmony Mobile models' tolerant decoding (pure functions; the wire is tested end to end).
@Suite("Harmony Mobile decoding")
struct MobileDecodingTests {
    @Test("every time form the sources show parses to the same instant, shown as ISO 8601 UTC")
    func timeForms() throws {
        let expected = "2021-07-30T08:27:11Z"
        for text in [
            "Fri, 30 Jul 2021 08:27:11 +0000", "Fri, 30 Jul 2021 08:27:11 GMT", "30 Jul 2021 10:27:11 +0200",
            "2021-07-30T08:27:11Z", "2021-07-30T08:27:11.000000Z", "2021-07-30 08:27:11", "2021-07-30T10:27:11+02:00",
            "2021-07-30T03:27:11-0500", "07/30/2021 08:27:11", "1627633631000", "1627633631",
        ] {
            #expect(MobileTimestamp(text: text).display == expected, "\(text)")
        }
        #expect(MobileTimestamp(text: "No data") == .noData)
        #expect(MobileTimestamp(text: "") == .noData)
        #expect(MobileTimestamp(text: nil).isoOrNil == nil)
        #expect(MobileTimestamp(text: "yesterday-ish") == .unparsed("yesterday-ish"))
        #expect(MobileTimestamp(text: "yesterday-ish").display == "unparsed: yesterday-ish")
        #expect(CheckPointDate.epochMilliseconds(try #require(CheckPointDate.parse("2021-07-30T08:27:11Z"))) == 1_627_633_631_000)
    }

    @Test("status and risk codes map to names; unknown codes are kept, never dropped")
    func codes() {
        #expect(MobileDeviceStatus.documented.map(\.code) == [-1, 0, 1, 4])
        #expect(MobileDeviceStatus.documented.map(\.name) == ["processing", "provisioned", "active", "inactive"])
        #expect(MobileDeviceStatus(code: 7).name == "unknown (7)")
        #expect(MobileDeviceStatus(name: "User Notified") == .provisioned)
        #expect(MobileDeviceStatus(name: "user_notified") == .provisioned)
        #expect(MobileDeviceStatus(name: "In Active") == .inactive)
        #expect(MobileDeviceStatus(name: "-1") == .processing)
        #expect(MobileDeviceStatus(name: "sideways") == nil)
        #expect(MobileDeviceRisk.documented.map(\.name) == ["none", "low", "medium", "high"])
        #expect(MobileDeviceRisk(name: "No Risk") == MobileDeviceRisk.none)
        #expect(MobileDeviceRisk(name: "HIGH") == .high)
        #expect(MobileDeviceRisk(code: 9).name == "unknown (9)")
    }

    @Test("a device decodes with ints or strings, groups as a list or one object, mdm nested or flat")
    func device() throws {
        let a = """
            {"internal_id": "412", "name": "Dana", "email": "dana@example.com", "status": 1, "risk": "3",
             "last_connection": "Fri, 30 Jul 2021 08:27:11 +0000", "mail_sent": "true", "mdm": {"uuid": "m-1"},
             "groups": [{"id": 7, "name": "Executives", "parent": {"id": 1, "name": "ALL"}}], "extra": [1, 2]}
            """
        let d = try JSONDecoder().decode(MobileDevice.self, from: Data(a.utf8))
        #expect(d.id == 412)
        #expect(d.status == .active && d.risk == .high)
        #expect(d.lastConnection.display == "2021-07-30T08:27:11Z")
        #expect(d.mailSent == true && d.mdmUUID == "m-1")
        #expect(d.groups == [MobileGroup(id: 7, name: "Executives", parentID: 1, parentName: "ALL")])
        let b = """
            {"id": 5, "status": 7, "risk": "Sky High", "mdm_uuid": "m-2", "groups": {"id": 2, "name": "Sales"},
             "last_connection": "No data"}
            """
        let e = try JSONDecoder().decode(MobileDevice.self, from: Data(b.utf8))
        #expect(e.id == 5 && e.statusName == "unknown (7)" && e.riskName == "unknown (Sky High)")
        #expect(e.mdmUUID == "m-2" && e.groups.map(\.name) == ["Sales"])
        #expect(e.lastConnection == .noData)
    }

    @Test("a tastypie page and a bare list both decode; next links are reduced to a path under /app/SBM")
    func pages() throws {
        let page = try JSONDecoder().decode(
            MobilePage<MobileGroup>.self,
            from: Data(#"{"meta": {"limit": 2, "next": "/external_api/v1/groups/?offset=2&limit=2", "offset": 0, "total_count": 3}, "objects": [{"id": 1, "name": "ALL", "parent": null}, {"id": 2, "name": "Sales", "parent": {"id": 1, "name": "ALL"}}]}"#.utf8))
        #expect(page.objects.count == 2 && page.totalCount == 3 && page.next != nil)
        #expect(page.objects[0].parentID == nil && page.objects[1].parentID == 1)
        let bare = try JSONDecoder().decode(MobilePage<MobileGroup>.self, from: Data(#"[{"id": 1, "name": "ALL"}]"#.utf8))
        #expect(bare.objects.count == 1 && bare.next == nil)
        let (path, query) = try #require(MobileAPI.split("https://gw.example/app/SBM/external_api/v3/alert/?id__gt=5&offset=100"))
        #expect(path == "/external_api/v3/alert/")
        #expect(query.map(\.name) == ["id__gt", "offset"])
        #expect(MobileAPI.split("/app/sbm/external_api/v1/device_status/?offset=1")?.0 == "/external_api/v1/device_status/")
        #expect(MobileAPI.split("/somewhere/else/") == nil)
    }

    @Test("alerts keep app- and network-specific fields, either spelling of the hash")
    func alert() throws {
        let json = """
            {"id": 9, "event": "Repackaged app", "severity": "High", "device_id": "412", "App_sha256": "ab12",
             "app_version": "1.2", "event_timestamp": "No data", "backend_last_updated": "2026-11-20T08:00:00.000000Z",
             "network_certificate": "CN=evil", "device_rooted": 1}
            """
        let a = try JSONDecoder().decode(MobileAlert.self, from: Data(json.utf8))
        #expect(a.deviceID == 412 && a.appSHA256 == "ab12" && a.networkCertificate == "CN=evil")
        #expect(a.deviceRooted == true)
        #expect(a.time.display == "2026-11-20T08:00:00Z")
    }
}
