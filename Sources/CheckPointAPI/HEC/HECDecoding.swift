import Foundation

// Tolerant reads for HEC models. Sources disagree on types (booleans shown as strings, severities as
// "4", ids as numbers), and one odd field must not lose a whole page of results: every optional field
// decodes to nil rather than failing. Written minimally here because the client's generic `Lenient*`
// helpers were not on main when these models were written; they follow the same rules.
// - SeeAlso: checkpoint-api.md §2.3 ("Booleans are native JSON; [LC] notes the docs show them as strings").

struct HECKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(_ s: String) { stringValue = s }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

extension KeyedDecodingContainer where Key == HECKey {
    func str(_ key: String) -> String? {
        let k = HECKey(key)
        if let s = try? decodeIfPresent(String.self, forKey: k) { return s }
        if let i = try? decodeIfPresent(Int64.self, forKey: k) { return String(i) }
        if let d = try? decodeIfPresent(Double.self, forKey: k) { return String(d) }
        if let b = try? decodeIfPresent(Bool.self, forKey: k) { return String(b) }
        return nil
    }

    func int(_ key: String) -> Int? {
        let k = HECKey(key)
        if let i = try? decodeIfPresent(Int.self, forKey: k) { return i }
        if let d = try? decodeIfPresent(Double.self, forKey: k), d.isFinite, abs(d) < 9e18 { return Int(d) }
        if let s = try? decodeIfPresent(String.self, forKey: k) {
            let t = s.trimmingCharacters(in: .whitespaces)
            return Int(t) ?? Double(t).flatMap { $0.isFinite && abs($0) < 9e18 ? Int($0) : nil }
        }
        return nil
    }

    func double(_ key: String) -> Double? {
        let k = HECKey(key)
        if let d = try? decodeIfPresent(Double.self, forKey: k) { return d }
        if let s = try? decodeIfPresent(String.self, forKey: k) { return Double(s.trimmingCharacters(in: .whitespaces)) }
        return nil
    }

    func bool(_ key: String) -> Bool? {
        let k = HECKey(key)
        if let b = try? decodeIfPresent(Bool.self, forKey: k) { return b }
        if let i = try? decodeIfPresent(Int.self, forKey: k) { return i != 0 }
        if let s = try? decodeIfPresent(String.self, forKey: k) {
            switch s.trimmingCharacters(in: .whitespaces).lowercased() {
            case "true", "1", "yes": return true
            case "false", "0", "no", "": return false
            default: return nil
            }
        }
        return nil
    }

    /// An array of strings; a lone string becomes one element; non-string items are skipped.
    func strings(_ key: String) -> [String] {
        let k = HECKey(key)
        if let a = try? decodeIfPresent([LooseString].self, forKey: k) { return a.compactMap(\.value) }
        if let s = try? decodeIfPresent(String.self, forKey: k) { return s.isEmpty ? [] : [s] }
        return []
    }

    /// An array of `T`, skipping items that do not decode; nil/absent gives [].
    func list<T: Decodable & Sendable>(_ key: String, of: T.Type) -> [T] {
        (try? decodeIfPresent([Loose<T>].self, forKey: HECKey(key)))?.compactMap(\.value) ?? []
    }

    func object<T: Decodable>(_ key: String, as: T.Type) -> T? {
        (try? decodeIfPresent(T.self, forKey: HECKey(key))) ?? nil
    }

    func date(_ key: String) -> Date? { str(key).flatMap(HECDate.parse) }
}

/// An item that may fail to decode without failing its array.
struct Loose<T: Decodable & Sendable>: Decodable, Sendable {
    let value: T?
    init(from decoder: any Decoder) throws { value = try? T(from: decoder) }
}

struct LooseString: Decodable, Sendable {
    let value: String?
    init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let s = try? c.decode(String.self) { value = s }
        else if let i = try? c.decode(Int64.self) { value = String(i) }
        else { value = nil }
    }
}

/// Every timestamp form HEC uses: ISO 8601 with or without zone or fraction, `2023-08-08 21:16:16.887115`
/// (task times), and RFC 1123 (`updateTime` of exceptions). Naive times are UTC.
/// - SeeAlso: checkpoint-api.md §3 "Dates".
public enum HECDate {
    public static func parse(_ text: String) -> Date? {
        let s = text.trimmingCharacters(in: .whitespaces)
        if let d = iso(s) { return d }
        return rfc1123(s)
    }

    /// `2026-11-20T09:14:03Z`, what requests carry.
    public static func format(_ date: Date) -> String {
        let t = Int(floor(date.timeIntervalSince1970))
        let days = Int(floor(Double(t) / 86_400))
        let secs = t - days * 86_400
        let (y, m, d) = civil(days)
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02dZ", y, m, d, secs / 3600, secs % 3600 / 60, secs % 60)
    }

    static func iso(_ s: String) -> Date? {
        let b = Array(s.utf8)
        var i = 0
        func num(_ n: Int) -> Int? {
            guard i + n <= b.count else { return nil }
            var v = 0
            for k in 0..<n { let c = b[i + k]; guard c >= 48, c <= 57 else { return nil }; v = v * 10 + Int(c - 48) }
            i += n
            return v
        }
        func eat(_ c: Character) -> Bool { if i < b.count, b[i] == c.asciiValue! { i += 1; return true }; return false }
        guard let y = num(4), eat("-"), let mo = num(2), eat("-"), let d = num(2), (1...12).contains(mo), (1...31).contains(d)
        else { return nil }
        var h = 0, mi = 0, sec = 0, frac = 0.0, off = 0
        if eat("T") || eat("t") || eat(" ") {
            guard let hh = num(2), eat(":"), let mm = num(2), hh < 24, mm < 60 else { return nil }
            h = hh; mi = mm
            if eat(":") { guard let ss = num(2), ss < 61 else { return nil }; sec = ss }
            if eat(".") || eat(",") {
                var scale = 0.1
                while i < b.count, b[i] >= 48, b[i] <= 57 { frac += Double(b[i] - 48) * scale; scale /= 10; i += 1 }
            }
            if eat("Z") || eat("z") {
            } else if i < b.count, b[i] == 43 || b[i] == 45 {
                let sign = b[i] == 45 ? -1 : 1
                i += 1
                guard let oh = num(2) else { return nil }
                _ = eat(":")
                let om = num(2) ?? 0
                off = sign * (oh * 3600 + om * 60)
            }
        }
        guard i == b.count else { return nil }
        let days = daysFromCivil(y, mo, d)
        return Date(timeIntervalSince1970: Double(days * 86_400 + h * 3600 + mi * 60 + sec - off) + frac)
    }

    private static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]

    static func rfc1123(_ s: String) -> Date? {
        var p = s.replacingOccurrences(of: ",", with: " ").split(separator: " ").map(String.init)
        if let f = p.first, Int(f) == nil { p.removeFirst() }
        guard p.count >= 4, let d = Int(p[0]), let mo = months.firstIndex(of: p[1].prefix(3).lowercased()), let y = Int(p[2])
        else { return nil }
        let hms = p[3].split(separator: ":").compactMap { Int($0) }
        guard hms.count >= 2 else { return nil }
        var off = 0
        if p.count > 4, let z = p[4].first, z == "+" || z == "-", let n = Int(p[4].dropFirst()) {
            off = (z == "-" ? -1 : 1) * ((n / 100) * 3600 + (n % 100) * 60)
        }
        let days = daysFromCivil(y, mo + 1, d)
        return Date(timeIntervalSince1970: Double(days * 86_400 + hms[0] * 3600 + hms[1] * 60 + (hms.count > 2 ? hms[2] : 0) - off))
    }

    static func daysFromCivil(_ year: Int, _ month: Int, _ day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * ((month + 9) % 12) + 2) / 5 + day - 1
        return era * 146_097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719_468
    }

    static func civil(_ z0: Int) -> (Int, Int, Int) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, doy - (153 * mp + 2) / 5 + 1)
    }
}
