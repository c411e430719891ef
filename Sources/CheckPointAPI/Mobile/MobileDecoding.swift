import Foundation

/// Tolerant field readers for Harmony Mobile bodies.
///
/// Sources disagree on types (`device_id` is a string in the swagger and an int in practice; statuses are
/// ints, digit strings or names), so every field is read leniently: a wrong type becomes nil, never a
/// decoding failure of the whole page. Unknown fields are ignored. Scalars follow the same rules as HEC's
/// (Core/Lenient.swift).
/// - SeeAlso: `docs/checkpoint-api.md` "Harmony Mobile".
extension KeyedDecodingContainer where Key == FieldKey {
    // Scalars by the one set of rules in Core/Lenient.swift, the first key present winning.

    func mobileInt(_ keys: String...) -> Int? { keys.lazy.compactMap { lenientInt(FieldKey($0)) }.first }

    func mobileString(_ keys: String...) -> String? { keys.lazy.compactMap { lenientString(FieldKey($0)) }.first }

    func mobileBool(_ keys: String...) -> Bool? { keys.lazy.compactMap { lenientBool(FieldKey($0)) }.first }

    /// A time in any form `MobileTimestamp` reads; absent keys are `.noData`.
    func mobileTime(_ keys: String...) -> MobileTimestamp {
        for k in keys {
            let key = FieldKey(k)
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
