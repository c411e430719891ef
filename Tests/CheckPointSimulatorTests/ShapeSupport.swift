import Foundation
import Testing

/// The recorded Check Point responses in `Tests/Fixtures` (sources and licences in its README).
enum FixtureFile {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures")

    static func json(_ path: String) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(contentsOf: root.appendingPathComponent(path)))
    }

    static func xsoar(_ name: String) throws -> Any { try json("hec/xsoar/checkpointhec-\(name).json") }
}

/// The structure of JSON values: for every path (`responseData[].entityInfo.entityId`), the JSON types seen
/// there. A fixture's shape and the simulator's are compared path by path: the simulator must have every
/// path the recording has, never use a type the recording does not (null in a recording says nothing of the
/// type), and add paths only where they are declared lenient.
struct JSONShape: CustomStringConvertible {
    private(set) var types: [String: Set<String>] = [:]

    /// Objects whose keys are data (category names), not field names.
    static let dynamicKeyParents: Set<String> = ["reasons_by_category"]

    mutating func add(_ v: Any, _ path: String) {
        types[path, default: []].insert(Self.type(of: v))
        if let o = v as? [String: Any] {
            let dynamic = Self.dynamicKeyParents.contains(String(path.split(separator: ".").last ?? ""))
            for (k, child) in o { add(child, (path.isEmpty ? "" : path + ".") + (dynamic ? "*" : k)) }
        } else if let a = v as? [Any] {
            for child in a { add(child, path + "[]") }
        }
    }

    static func type(of v: Any) -> String {
        switch v {
        case is NSNull: return "null"
        case is String: return "string"
        case is [Any]: return "array"
        case is [String: Any]: return "object"
        case let n as NSNumber: return String(describing: Swift.type(of: n)).contains("Boolean") ? "bool" : "number"
        default: return "?"
        }
    }

    /// Differences of `sim` from `recorded`, one line each; empty when the shapes agree. `lenient` lists path
    /// prefixes only the simulator has (documented in docs/simulator.md).
    static func differences(recorded: JSONShape, sim: JSONShape, lenient: [String] = [], allowed: Set<String> = []) -> [String] {
        var out: [String] = []
        for (path, recordedTypes) in recorded.types.sorted(by: { $0.key < $1.key }) {
            guard let simTypes = sim.types[path] else { out.append("missing in simulator: \(path)"); continue }
            let r = recordedTypes.subtracting(["null"]), s = simTypes.subtracting(["null"])
            if !r.isEmpty, !s.isEmpty, !s.isSubset(of: r) {
                out.append("type of \(path): recorded \(r.sorted()), simulator \(s.sorted())")
            }
        }
        for path in sim.types.keys.sorted() where recorded.types[path] == nil {
            // A child of a recorded-null value (e.g. a payload the recording shows as null) or a lenient extra.
            if allowed.contains(path) || lenient.contains(where: { path == $0 || path.hasPrefix($0 + ".") || path.hasPrefix($0 + "[]") }) { continue }
            if let parent = parentPath(path), let parentTypes = recorded.types[parent], parentTypes == ["null"] { continue }
            if let parent = parentPath(path), recorded.types[parent] == nil { continue }  // reported at its parent
            out.append("only in simulator: \(path)")
        }
        return out
    }

    private static func parentPath(_ path: String) -> String? {
        if path.hasSuffix("[]") { return String(path.dropLast(2)) }
        guard let dot = path.lastIndex(of: ".") else { return nil }
        return String(path[..<dot])
    }

    var description: String { types.keys.sorted().joined(separator: "\n") }
}

/// `#expect` with the differences listed, so a failure names every path at once.
func expectSameShape(recorded: [Any], sim: [Any], lenient: [String] = [], allowed: Set<String> = [],
                     sourceLocation: SourceLocation = #_sourceLocation) {
    var r = JSONShape(), s = JSONShape()
    for v in recorded { r.add(v, "") }
    for v in sim { s.add(v, "") }
    let diffs = JSONShape.differences(recorded: r, sim: s, lenient: lenient, allowed: allowed)
    #expect(diffs.isEmpty, Comment(rawValue: "\(diffs.count) shape differences:\n" + diffs.joined(separator: "\n")), sourceLocation: sourceLocation)
}
