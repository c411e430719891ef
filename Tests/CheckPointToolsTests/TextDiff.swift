/// A short, readable difference between two texts for test failure messages: the first differing line
/// with a few lines of context on each side, instead of both texts in full (a stale catalog once made a
/// test print 155 KB).
enum TextDiff {
    static func short(expected: String, actual: String, context: Int = 2, maxLines: Int = 12) -> String {
        let old = expected.split(separator: "\n", omittingEmptySubsequences: false)
        let new = actual.split(separator: "\n", omittingEmptySubsequences: false)
        guard let first = zip(old, new).enumerated().first(where: { $0.element.0 != $0.element.1 })?.offset
            ?? (old.count == new.count ? nil : min(old.count, new.count))
        else { return "(no difference)" }
        // The end of the differing run: the first line where both sides agree again, shifted by the
        // difference in length (exact for a replaced, added or removed block).
        let delta = new.count - old.count
        var oldEnd = min(first + 1, old.count)
        while oldEnd < old.count {
            let j = oldEnd + delta
            if j >= first, j < new.count, old[oldEnd] == new[j] { break }
            oldEnd += 1
        }
        let newEnd = max(first, min(new.count, oldEnd + delta))
        let from = max(0, first - context)
        var lines = ["@@ line \(first + 1) (\(old.count) → \(new.count) lines) @@"]
        lines += old[from..<first].map { "  " + $0 }
        lines += old[first..<oldEnd].prefix(maxLines / 2).map { "- " + $0 }
        lines += new[first..<newEnd].prefix(maxLines / 2).map { "+ " + $0 }
        lines += new[newEnd..<min(new.count, newEnd + context)].map { "  " + $0 }
        if oldEnd - first > maxLines / 2 || newEnd - first > maxLines / 2 { lines.append("… (more differing lines)") }
        return lines.joined(separator: "\n")
    }
}
