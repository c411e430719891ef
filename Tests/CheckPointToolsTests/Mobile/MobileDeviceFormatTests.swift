import CheckPointAPI
import Foundation
import MCPCore
import Testing

@testable import CheckPointTools

/// `MobileDeviceFormat`: a device as a search row and line, and in full, from device records shaped as the
/// Harmony Mobile API sends them.
@Suite("MobileDeviceFormat")
struct MobileDeviceFormatTests {
    static func device(_ json: String) throws -> MobileDevice {
        try JSONDecoder().decode(MobileDevice.self, from: Data(json.utf8))
    }

    static let dana = """
        {"internal_id": 412, "name": "Dana Levi", "email": "dana@example.com", "number": "+1 555 0100",
         "model": "Pixel 8", "device_type": "Android", "os_type": "Android_14", "os_version": "14",
         "client_version": "4.2.1", "status": 1, "risk": 3, "last_connection": "Fri, 20 Nov 2026 08:00:00 +0000",
         "mail_sent": true, "mdm": {"uuid": "mdm-1"},
         "groups": [{"id": 4, "name": "Executives", "parent": {"id": 1, "name": "ALL"}}]}
        """

    @Test("the search line: id, fenced owner and hardware, status and risk names, last seen, groups")
    func line() throws {
        let d = try Self.device(Self.dana)
        #expect(MobileDeviceFormat.line(d)
            == "#412 «Dana Levi» «dana@example.com» «+1 555 0100» | «Pixel 8», «Android_14» «14», app «4.2.1» | active, risk high | last seen 2026-11-20T08:00:00Z | groups «Executives»")
    }

    @Test("the search row keeps raw values and codes with names")
    func row() throws {
        let row = MobileDeviceFormat.row(try Self.device(Self.dana))
        #expect(row["id"] == 412)
        #expect(row["os"] == "Android_14")
        #expect(row["status"] == ["code": 1, "name": "active"])
        #expect(row["risk"] == ["code": 3, "name": "high"])
        #expect(row["last_connection"] == "2026-11-20T08:00:00Z")
        #expect(row["groups"] == ["Executives"])
    }

    @Test("the full record names every field, groups with their parents")
    func full() throws {
        let d = try Self.device(Self.dana)
        let full = MobileDeviceFormat.full(d)
        #expect(full["mdm_uuid"] == "mdm-1")
        #expect(full["mail_sent"] == true)
        #expect(full["groups"] == [["id": 4, "name": "Executives", "parent": ["id": 1, "name": "ALL"]]])
        let text = MobileDeviceFormat.fullText(d)
        #expect(text.hasPrefix("Device #412\n  owner name: «Dana Levi»\n  email: «dana@example.com»"))
        #expect(text.contains("\n  status: active (code 1)\n  risk: high (code 3)\n"))
        #expect(text.hasSuffix("\n  registration mail sent: yes\n  MDM id: «mdm-1»\n  groups: «Executives» (id 4, under «ALL»)"))
    }

    @Test("unknown codes, missing data and hostile values stay visible and fenced")
    func odd() throws {
        let d = try Self.device("""
            {"id": 7, "name": "Eve\\u202Egnp.exe", "status": 9, "risk": "severe", "last_connection": "yesterday-ish",
             "os_version": "17.4", "groups": []}
            """)
        let line = MobileDeviceFormat.line(d)
        #expect(line == "#7 «Eve⟨U+202E⟩gnp.exe» - | OS «17.4» | unknown (9), risk unknown («severe») | last seen unparsed «yesterday-ish»", "\(line)")
        #expect(MobileDeviceFormat.row(d)["status"] == ["code": 9, "name": "unknown (9)"])
        #expect(MobileDeviceFormat.row(d)["last_connection"] == .null)
        #expect(MobileDeviceFormat.fullText(d).contains("\n  groups: none"))
    }
}
