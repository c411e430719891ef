/// Valid values close to a rejected one, for the example an argument error shows: an agent copies the
/// example, so it should be the fix of what it sent (`100` for `500` under a maximum of 100, `"7d"` for
/// `"last week"`, `["high"]` for `"hgh"`), not a generic placeholder. The caller keeps only candidates
/// that validate, so each rule may guess.
enum NearestValue {
    static func candidates(near got: JSONValue, _ schema: JSONObject, validator: SchemaValidator, depth: Int) -> [JSONValue] {
        var out: [JSONValue] = []
        if case .array(let options)? = schema["enum"], let hit = closestOption(to: got, options) { out.append(hit) }
        for type in SchemaValidator.types(schema) ?? [] {
            switch type {
            case "integer", "number": out += number(near: got, schema, integer: type == "integer").map { [$0] } ?? []
            case "string": out += string(near: got, schema)
            case "array": out += array(near: got, schema, validator: validator, depth: depth)
            default: break
            }
        }
        return out
    }

    /// The enum value with the smallest edit distance to what was sent (ties: the earlier option).
    static func closestOption(to got: JSONValue, _ options: [JSONValue]) -> JSONValue? {
        let sent = Array((got.stringValue ?? got.serializedString()).lowercased().utf8)
        return options.min { a, b in distance(sent, a) < distance(sent, b) }
    }

    private static func distance(_ sent: [UInt8], _ option: JSONValue) -> Int {
        ToolNameSuggestions.distance(sent, Array((option.stringValue ?? option.serializedString()).lowercased().utf8))
    }

    /// The sent number (or a number read from a string), rounded for an integer and moved inside the bounds.
    private static func number(near got: JSONValue, _ schema: JSONObject, integer: Bool) -> JSONValue? {
        var v: Double
        switch got {
        case .int, .double: v = got.doubleValue!
        case .string(let s): guard let d = Double(s.filter { !$0.isWhitespace }), d.isFinite else { return nil }; v = d
        default: return nil
        }
        if integer { v = v.rounded() }
        if let min = schema["minimum"]?.doubleValue, v < min { v = integer ? min.rounded(.up) : min }
        if let max = schema["maximum"]?.doubleValue, v > max { v = integer ? max.rounded(.down) : max }
        if let low = schema["exclusiveMinimum"]?.doubleValue, v <= low { v = integer ? low.rounded(.down) + 1 : low + 1 }
        if let high = schema["exclusiveMaximum"]?.doubleValue, v >= high { v = integer ? high.rounded(.up) - 1 : high - 1 }
        guard abs(v) < 1e15 else { return nil }
        return integer || v == v.rounded() ? .int(Int64(v)) : .double(v)
    }

    /// A duration read from words (`"last week"` → `"7d"`), the sent text cut to `maxLength`, a number as text.
    private static func string(near got: JSONValue, _ schema: JSONObject) -> [JSONValue] {
        switch got {
        case .int, .double: return [.string(got.serializedString())]
        case .string(let s):
            var out = DurationPhrase.readings(of: s).map { JSONValue.string($0) }
            if let max = schema["maxLength"]?.intValue, s.unicodeScalars.count > max {
                out.append(.string(String(String.UnicodeScalarView(s.unicodeScalars.prefix(Int(max))))))
            }
            return out
        default: return []
        }
    }

    /// The sent items each made valid (repeats and items past `maxItems` dropped), or one sent value as a list of one.
    private static func array(near got: JSONValue, _ schema: JSONObject, validator: SchemaValidator, depth: Int) -> [JSONValue] {
        guard let items = schema["items"] else { return [] }
        let sent = got.arrayValue ?? [got]
        var fixed: [JSONValue] = []
        for item in sent {
            if let v = validator.conforms(item, to: items) ? item : SchemaDescription.example(items, near: item, validator: validator, depth: depth + 1),
               !fixed.contains(v) { fixed.append(v) }
        }
        if let max = schema["maxItems"]?.intValue { fixed = Array(fixed.prefix(Int(max))) }
        return fixed.isEmpty ? [] : [.array(fixed)]
    }

    /// Durations in the compact form (`7d`, `24h`, `30m`, `2w`) from phrases such as "last week",
    /// "past 24 hours", "3 days", "yesterday": the same span in each unit the phrase allows.
    enum DurationPhrase {
        static func readings(of phrase: String) -> [String] {
            let words = phrase.lowercased().split { !$0.isLetter && !$0.isNumber }.map(String.init)
            if words.contains("yesterday") || words.contains("today") { return ["1d", "24h"] }
            var count = 1
            for w in words { if let n = Int(w) { count = n } else if let n = numberWords[w] { count = n } }
            // "24h", "7days": a number glued to its unit.
            let glued = words.compactMap { w -> (Int, String)? in
                let digits = w.prefix { $0.isNumber }
                guard !digits.isEmpty, let n = Int(digits) else { return nil }
                return (n, String(w.dropFirst(digits.count)))
            }
            var unit: String?
            for w in words + glued.map(\.1) { if let u = unitOf(w) { unit = u } }
            if let (n, u) = glued.last, !u.isEmpty, unitOf(u) != nil { count = n }
            guard let unit, count > 0 else { return [] }
            switch unit {
            case "m": return ["\(count)m"]
            case "h": return count % 24 == 0 ? ["\(count)h", "\(count / 24)d"] : ["\(count)h"]
            case "d": return ["\(count)d", "\(count * 24)h"]
            case "w": return ["\(count * 7)d", "\(count)w"]
            case "month": return ["\(count * 30)d"]
            default: return ["\(count * 365)d"]
            }
        }

        private static func unitOf(_ w: String) -> String? {
            switch w {
            case "m", "min", "mins", "minute", "minutes": return "m"
            case "h", "hr", "hrs", "hour", "hours": return "h"
            case "d", "day", "days", "daily": return "d"
            case "w", "wk", "wks", "week", "weeks", "weekly": return "w"
            case "month", "months", "mo": return "month"
            case "y", "yr", "year", "years": return "year"
            default: return nil
            }
        }

        private static let numberWords = [
            "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
            "ten": 10, "fourteen": 14, "thirty": 30,
        ]
    }
}
