import Foundation

/// Tolerant field readers for Harmony Mobile bodies.
///
/// Sources disagree on types (`device_id` is a string in the swagger and an int in practice; statuses are
/// ints, digit strings or names), so every field is read leniently: a wrong type becomes nil, never a
/// decoding failure of the whole page. Unknown fields are ignored.
/// - SeeAlso: `shared/checkpoint-api.md` §4.
struct MobileKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(_ s: String) { stringValue = s }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

extension KeyedDecodingContainer where Key == MobileKey {
    /// Ints, or strings/doubles holding an int.
    func mobileInt(_ keys: String...) -> Int? {
        for k in keys {
            let key = MobileKey(k)
            if let v = try? decodeIfPresent(Int.self, forKey: key) { return v }
            if let v = try? decodeIfPresent(String.self, forKey: key),
                let i = Int(v.trimmingCharacters(in: .whitespaces))
            {
                return i
            }
            if let v = try? decodeIfPresent(Double.self, forKey: key), v.rounded() == v { return Int(v) }
        }
        return nil
    }

    /// Strings, or numbers/bools rendered as text.
    func mobileString(_ keys: String...) -> String? {
        for k in keys {
            let key = MobileKey(k)
            if let v = try? decodeIfPresent(String.self, forKey: key) { return v }
            if let v = try? decodeIfPresent(Int.self, forKey: key) { return String(v) }
            if let v = try? decodeIfPresent(Double.self, forKey: key) { return String(v) }
            if let v = try? decodeIfPresent(Bool.self, forKey: key) { return String(v) }
        }
        return nil
    }

    /// Bools, or "true"/"false"/"1"/"0" and 0/1.
    func mobileBool(_ keys: String...) -> Bool? {
        for k in keys {
            let key = MobileKey(k)
            if let v = try? decodeIfPresent(Bool.self, forKey: key) { return v }
            if let v = try? decodeIfPresent(Int.self, forKey: key) { return v != 0 }
            if let v = try? decodeIfPresent(String.self, forKey: key) {
                switch v.lowercased() {
                case "true", "1", "yes": return true
                case "false", "0", "no": return false
                default: continue
                }
            }
        }
        return nil
    }

    /// A time in any form `MobileTimestamp` reads; absent keys are `.noData`.
    func mobileTime(_ keys: String...) -> MobileTimestamp {
        for k in keys {
            let key = MobileKey(k)
            if let v = try? decodeIfPresent(Double.self, forKey: key) { return MobileTimestamp(epoch: v) }
            if let v = try? decodeIfPresent(String.self, forKey: key) { return MobileTimestamp(text: v) }
        }
        return .noData
    }

    /// A status code from an int, a digit string or a name; nil when absent or unreadable (keep the raw text).
    func mobileStatus(_ key: String) -> MobileDeviceStatus? {
        if let i = mobileInt(key) { return MobileDeviceStatus(code: i) }
        if let s = mobileString(key) { return MobileDeviceStatus(name: s) }
        return nil
    }

    func mobileRisk(_ key: String) -> MobileDeviceRisk? {
        if let i = mobileInt(key) { return MobileDeviceRisk(code: i) }
        if let s = mobileString(key) { return MobileDeviceRisk(name: s) }
        return nil
    }
}
