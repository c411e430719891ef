/// Resources: things a client can open by URI. We serve templates only (an email, an event, a device,
/// a task, each by id): there is no fixed list worth enumerating, so `resources/list` is empty and
/// tools hand out `resource_link`s to the rows they return.
/// - SeeAlso: https://modelcontextprotocol.io/specification/2025-11-25/server/resources

/// One entry of `resources/templates/list`: an RFC 6570 level-1 template such as `checkpoint://email/{entity_id}`.
public struct ResourceTemplate: Sendable, Hashable {
    public var uriTemplate: String
    public var name: String
    public var title: String
    public var description: String
    public var mimeType: String

    public init(uriTemplate: String, name: String, title: String, description: String, mimeType: String = "text/plain") {
        self.uriTemplate = uriTemplate
        self.name = name
        self.title = title
        self.description = description
        self.mimeType = mimeType
    }

    public var json: JSONValue {
        ["uriTemplate": .string(uriTemplate), "name": .string(name), "title": .string(title),
         "description": .string(description), "mimeType": .string(mimeType)]
    }

    /// The template's variables if `uri` matches it: literal text must match exactly and each
    /// `{name}` takes a non-empty run of characters up to the next literal (never a `/`), percent-decoded.
    public func match(_ uri: String) -> [String: String]? {
        var variables: [String: String] = [:]
        var rest = Substring(uri)
        var template = Substring(uriTemplate)
        while !template.isEmpty {
            if template.first == "{", let close = template.firstIndex(of: "}") {
                let name = String(template[template.index(after: template.startIndex)..<close])
                template = template[template.index(after: close)...]
                let stop = template.first.map { c in rest.firstIndex(where: { $0 == c || $0 == "/" }) ?? rest.endIndex }
                    ?? rest.firstIndex(of: "/") ?? rest.endIndex
                let raw = rest[..<stop]
                guard !raw.isEmpty, let value = Self.percentDecoded(raw) else { return nil }
                variables[name] = value
                rest = rest[stop...]
            } else {
                guard rest.first == template.first else { return nil }
                rest = rest.dropFirst()
                template = template.dropFirst()
            }
        }
        return rest.isEmpty ? variables : nil
    }

    /// The URI for these variable values (percent-encoding anything outside RFC 3986 unreserved).
    public func expand(_ values: [String: String]) -> String {
        var out = ""
        var template = Substring(uriTemplate)
        while let open = template.firstIndex(of: "{"), let close = template[open...].firstIndex(of: "}") {
            out += template[..<open]
            out += Self.percentEncoded(values[String(template[template.index(after: open)..<close])] ?? "")
            template = template[template.index(after: close)...]
        }
        return out + template
    }

    static func percentEncoded(_ s: String) -> String {
        var out = ""
        for byte in s.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = Array("0123456789ABCDEF")
                out += "%" + String(hex[Int(byte >> 4)]) + String(hex[Int(byte & 0xF)])
            }
        }
        return out
    }

    static func percentDecoded(_ s: Substring) -> String? {
        var bytes: [UInt8] = []
        var it = Array(s.utf8)[...]
        while let b = it.popFirst() {
            if b == UInt8(ascii: "%") {
                guard it.count >= 2, let hi = hexValue(it.popFirst()!), let lo = hexValue(it.popFirst()!) else { return nil }
                bytes.append(hi << 4 | lo)
            } else {
                bytes.append(b)
            }
        }
        return String(validating: bytes, as: UTF8.self)
    }

    private static func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return c - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}

/// One item of a `resources/read` result (text; binary resources are not served).
public struct ResourceContents: Sendable, Hashable {
    public var uri: String
    public var mimeType: String
    /// Text contents (`TextResourceContents`), or the base64 of binary contents when `isBlob`
    /// (`BlobResourceContents`: the spec's `blob` field carries base64).
    public var text: String
    public var isBlob: Bool

    public init(uri: String, mimeType: String, text: String) {
        self.uri = uri
        self.mimeType = mimeType
        self.text = text
        self.isBlob = false
    }

    /// Binary contents, already base64-encoded.
    public init(uri: String, mimeType: String, base64 blob: String) {
        self.uri = uri
        self.mimeType = mimeType
        self.text = blob
        self.isBlob = true
    }

    var json: JSONValue { ["uri": .string(uri), "mimeType": .string(mimeType), isBlob ? "blob" : "text": .string(text)] }
}

/// Why a read produced no contents. `notFound` is -32002 in the handshake era and -32602 in
/// 2026-07-28 (which retired -32002); `failed` is -32603 with an actionable message.
public enum ResourceReadError: Error, Sendable, Hashable {
    case notFound(String)
    case failed(String)
}

/// A template ready to serve: its listing and what reading a matching URI returns.
public struct ResourceProvider: Sendable {
    public var template: ResourceTemplate
    public var read: @Sendable (_ uri: String, _ variables: [String: String], _ context: any ToolContext) async throws -> [ResourceContents]

    public init(
        template: ResourceTemplate,
        read: @escaping @Sendable (_ uri: String, _ variables: [String: String], _ context: any ToolContext) async throws -> [ResourceContents]
    ) {
        self.template = template
        self.read = read
    }
}
