import MCPCore

/// Builds the TEXT copy of a tool result: a one-line summary, the untrusted-data notice (once, before
/// the first fenced value), compact numbered rows, and the completeness line.
///
/// Rows are one line each, fields separated by " | ", so a 50-row search stays within a few KB. Values
/// that come from Check Point's tenants must be passed through `UntrustedText.quote` by the caller;
/// this type does not guess which fields are attacker-controlled.
public struct TextReport: Sendable {
    public private(set) var lines: [String] = []
    private var noticeShown = false

    public init(_ summary: String, demo: Bool = false) {
        if demo { lines.append("[demo mode: simulated tenant data, no real Check Point tenant is contacted]") }
        lines.append(summary)
    }

    public mutating func line(_ s: String) { lines.append(s) }

    /// Adds `UntrustedText.notice` once.
    public mutating func untrustedNotice() {
        guard !noticeShown else { return }
        noticeShown = true
        lines.append(UntrustedText.notice)
    }

    /// Numbered rows, each a list of already-rendered fields (empty fields are skipped).
    public mutating func rows(_ rows: [[String]], startingAt first: Int = 1) {
        if rows.isEmpty { return }
        untrustedNotice()
        for (i, fields) in rows.enumerated() {
            lines.append("\(first + i). " + fields.filter { !$0.isEmpty }.joined(separator: " | "))
        }
    }

    /// `label: value` lines for a details page.
    public mutating func field(_ label: String, _ value: String?) {
        guard let value, !value.isEmpty else { return }
        lines.append("\(label): \(value)")
    }

    public mutating func section(_ title: String) { lines.append("— \(title) —") }

    public mutating func completeness(_ c: Completeness) { lines.append(c.text) }

    public var text: String { lines.joined(separator: "\n") }
}

extension JSONValue {
    /// `.string(s)` or `.null`.
    public static func orNull(_ s: String?) -> JSONValue { s.map { .string($0) } ?? .null }
    public static func orNull(_ i: Int?) -> JSONValue { i.map { .int(Int64($0)) } ?? .null }
    public static func orNull(_ b: Bool?) -> JSONValue { b.map { .bool($0) } ?? .null }
    public static func strings(_ a: [String]) -> JSONValue { .array(a.map { .string($0) }) }
}
