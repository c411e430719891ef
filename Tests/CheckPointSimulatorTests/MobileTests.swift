import Foundation
import Testing
@testable import CheckPointSimulator

@Suite("Harmony Mobile API", .serialized)
struct MobileTests {
    static let shared = SimFixture()
    var sim: SimFixture { Self.shared }
    let base = "/app/SBM/external_api"

    @Test("Device list pages with tastypie meta; next is relative to /app/SBM and walks every device once")
    func paging() async throws {
        let token = try await sim.http.mobileToken()
        let first = try await sim.http.call("GET", "\(base)/v1/device_status/", token: token)
        #expect(first.status == 200)
        #expect(first.meta["limit"] as? Int == 20)
        #expect(first.meta["offset"] as? Int == 0)
        #expect(first.meta["previous"] is NSNull)
        #expect(first.meta["next"] as? String == "/external_api/v1/device_status/?limit=20&offset=20")
        let total = try #require(first.meta["total_count"] as? Int)
        #expect(total >= 500)
        var ids = Set<Int>()
        var path: String? = "/external_api/v1/device_status/?limit=100&offset=0"
        while let p = path {
            let r = try await sim.http.call("GET", "/app/SBM" + p, token: token)
            for d in r.objects { ids.insert(d["id"] as? Int ?? -1) }
            path = r.meta["next"] as? String
        }
        #expect(ids.count == total)
    }

    @Test("Filters: risk_in with groups__in, status_in, unknown status codes, email, mdm__uuid")
    func filters() async throws {
        let token = try await sim.http.mobileToken()
        let execs = try await sim.http.call("GET", "\(base)/v1/device_status/?risk_in=3&groups__in=4&limit=100", token: token)
        #expect(execs.objects.count >= 5)
        for d in execs.objects {
            #expect(d["risk"] as? Int == 3)
            #expect((d["groups"] as? [[String: Any]])?.contains { $0["name"] as? String == "Executives" } == true)
        }
        let odd = try await sim.http.call("GET", "\(base)/v1/device_status/?status__in=7", token: token)
        #expect(odd.objects.count == 3)
        let device = try #require(execs.objects.first)
        let email = try #require(device["email"] as? String)
        let byEmail = try await sim.http.call("GET", "\(base)/v1/device_status/?email=\(email)", token: token)
        #expect(byEmail.objects.allSatisfy { $0["email"] as? String == email })
        if let uuid = (device["mdm"] as? [String: Any])?["uuid"] as? String {
            let byMDM = try await sim.http.call("GET", "\(base)/v1/device_status/?mdm__uuid=\(uuid)", token: token)
            #expect(byMDM.objects.count == 1)
        }
        let inactive = try await sim.http.call("GET", "\(base)/v1/device_status/?status_in=4&limit=5", token: token)
        #expect(inactive.objects.allSatisfy { $0["status"] as? Int == 4 })
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        let window = try await sim.http.call("GET", "\(base)/v1/device_status/?status=1&time_gte=\(now - 86_400_000 * 90)&time_lte=\(now)", token: token)
        #expect((window.meta["total_count"] as? Int ?? 0) > (try await sim.http.call("GET", "\(base)/v1/device_status/?status_in=1", token: token).meta["total_count"] as? Int ?? 0))
    }

    @Test("Groups: the tree has ALL, Executives and Quarantine; create, rename, delete leave an audit trail")
    func groups() async throws {
        let token = try await sim.http.mobileToken()
        let all = try await sim.http.call("GET", "/app/sbm/external_api/v1/groups/", token: token)
        let names = all.objects.compactMap { $0["name"] as? String }
        #expect(names.contains("ALL") && names.contains("Executives") && names.contains("Quarantine"))
        let created = try await sim.http.call("POST", "\(base)/v1/groups/", body: ["name": "Red Team"], token: token)
        #expect(created.status == 201)
        #expect((created.object["parent"] as? [String: Any])?["id"] as? Int == 1)
        let id = try #require(created.object["id"] as? Int)
        let dup = try await sim.http.call("POST", "\(base)/v1/groups/", body: ["name": "Red Team"], token: token)
        #expect(dup.status == 400)
        let renamed = try await sim.http.call("PATCH", "\(base)/v1/groups/\(id)/", body: ["name": "Blue Team", "parent_id": "3"], token: token)
        #expect(renamed.object["name"] as? String == "Blue Team")
        #expect((renamed.object["parent"] as? [String: Any])?["name"] as? String == "Engineering")
        let byName = try await sim.http.call("GET", "\(base)/v1/groups/?name=Blue%20Team", token: token)
        #expect(byName.objects.count == 1)
        #expect(try await sim.http.call("DELETE", "\(base)/v1/groups/\(id)/", token: token).status == 204)
        #expect(try await sim.http.call("DELETE", "\(base)/v1/groups/1/", token: token).status == 400)
        let audit = try await sim.http.call("GET", "\(base)/v3/audit/?module=Groups&limit=1000", token: token)
        let mine = audit.objects.filter { $0["admin_user"] as? String == "api:sim-mobile-id" }
        #expect(mine.count >= 3)
    }

    @Test("Devices: add, read, resend only in status 0, mark email sent, registration details, delete")
    func deviceLifecycle() async throws {
        let token = try await sim.http.mobileToken()
        let added = try await sim.http.call("POST", "/app/HM/external_api/v2/device/",
                                            body: ["name": "Test User", "email": "test.user@acme-demo.com", "groups": ["Sales"]], token: token)
        #expect(added.status == 201)
        #expect(added.object["status"] as? String == "success")
        let id = try #require(added.object["device_id"] as? Int)
        let one = try await sim.http.call("GET", "\(base)/v1/device_status/\(id)/", token: token)
        #expect(one.object["status"] as? Int == 0)
        #expect(one.object["last_connection"] as? String == "No data")
        #expect(try await sim.http.call("POST", "\(base)/v1/device_status/\(id)/resend", token: token).status == 200)
        let active = try await sim.http.call("GET", "\(base)/v1/device_status/?status_in=1&limit=1", token: token)
        let activeID = try #require(active.objects.first?["id"] as? Int)
        #expect(try await sim.http.call("POST", "\(base)/v1/device_status/\(activeID)/resend", token: token).status == 400)
        let reg = try await sim.http.call("GET", "\(base)/v1/device_status/\(id)/get_registration_details", token: token)
        #expect(reg.object["id"] as? Int == id)
        #expect(reg.object["device_hash"] is String)
        let byEmail = try await sim.http.call("GET", "\(base)/v1/device_status/get_registration_details?email=test.user@acme-demo.com", token: token)
        #expect(byEmail.object["id"] as? Int == id)
        #expect(try await sim.http.call("DELETE", "\(base)/v1/device/\(id)/", token: token).status == 204)
        #expect(try await sim.http.call("GET", "\(base)/v1/device_status/\(id)/", token: token).status == 404)
        let bad = try await sim.http.call("POST", "\(base)/v2/device/", body: ["name": "No Email"], token: token)
        #expect(bad.status == 400)
    }

    @Test("A device added and its audit entry are dated by the simulator's clock, not the machine's")
    func writesOnTheClock() async throws {
        let later = Date().addingTimeInterval(40 * 86_400).timeIntervalSince1970.rounded()
        var options = SimulatorOptions()
        options.clock = SimClock(manualAt: Date(timeIntervalSince1970: later))
        let sim = SimFixture(options)
        let token = try await sim.http.mobileToken()
        let added = try await sim.http.call("POST", "\(base)/v2/device/", body: ["name": "Clock User", "email": "clock.user@acme-demo.com"], token: token)
        let id = try #require(added.object["device_id"] as? Int)
        let audit = try await sim.http.call("GET", "\(base)/v3/audit/?module=Devices&limit=1000", token: token)
        let entry = try #require(audit.objects.last { ($0["event_details"] as? String)?.contains("Device \(id) added") == true })
        #expect(entry["time"] as? String == HTTPDate.isoZ(Date(timeIntervalSince1970: later)))
        // Status 0 since the clock's now: in a window around it, absent from one a day before.
        let ms = Int64(later * 1000)
        let around = try await sim.http.call("GET", "\(base)/v1/device_status/?status=0&time_gte=\(ms - 60_000)&time_lte=\(ms + 60_000)&limit=1000", token: token)
        #expect(around.objects.contains { $0["id"] as? Int == id })
        let before = try await sim.http.call("GET", "\(base)/v1/device_status/?status=0&time_gte=\(ms - 86_400_000)&time_lte=\(ms - 86_000_000)&limit=1000", token: token)
        #expect(!before.objects.contains { $0["id"] as? Int == id })
    }

    @Test("Alerts carry app or network fields and page with id__gt; audit filters by id")
    func alertsAndAudit() async throws {
        let token = try await sim.http.mobileToken()
        let page = try await sim.http.call("GET", "\(base)/v3/alert/?limit=100", token: token)
        #expect((page.meta["total_count"] as? Int ?? 0) >= 200)
        #expect(page.objects.contains { $0["app_sha256"] is String })
        #expect(page.objects.contains { $0["network_certificate"] is String })
        let after = try await sim.http.call("GET", "\(base)/v3/alert/?id__gt=250", token: token)
        #expect(after.objects.allSatisfy { ($0["id"] as? Int ?? 0) > 250 })
        let high = try await sim.http.call("GET", "\(base)/v3/alert/?severity=high&limit=5", token: token)
        #expect(high.objects.allSatisfy { $0["severity"] as? String == "High" })
        let audit = try await sim.http.call("GET", "\(base)/v3/audit/?id__gt=140", token: token)
        #expect(audit.objects.allSatisfy { ($0["id"] as? Int ?? 0) > 140 })
        let badLimit = try await sim.http.call("GET", "\(base)/v3/alert/?limit=abc", token: token)
        #expect(badLimit.status == 400)
    }
}
