import Foundation

/// Typed calls the HEC and Mobile endpoint files build on: encode the body, send, check the HTTP status
/// and the envelope, decode with the tolerant decoder, and turn every failure into a `CheckPointError`.
extension CheckPointClient {
    private struct RequestDataBody<D: Encodable & Sendable>: Encodable, Sendable {
        var requestData: D
    }

    /// A HEC call with `{"requestData": ...}` as the body (POST/PUT/DELETE) and an enveloped answer.
    /// An envelope `responseCode` outside 0/2xx is an error even under HTTP 200.
    public func hec<T: Decodable & Sendable, D: Encodable & Sendable>(
        _ method: APIRequest.Method, _ path: String, requestData: D, query: [(name: String, value: String)] = [],
        isWrite: Bool = false, isContinuation: Bool = false, as type: T.Type = T.self
    ) async throws -> HECEnvelope<T> {
        let body = try encode(RequestDataBody(requestData: requestData), service: .hec, endpoint: "\(method.rawValue) \(path)")
        return try await hecEnvelope(APIRequest(.hec, method, path, query: query, body: body, isWrite: isWrite, isContinuation: isContinuation))
    }

    /// A HEC call without a body (GET), or with `{"requestData": {}}` for other methods.
    public func hec<T: Decodable & Sendable>(
        _ method: APIRequest.Method, _ path: String, query: [(name: String, value: String)] = [],
        isWrite: Bool = false, as type: T.Type = T.self
    ) async throws -> HECEnvelope<T> {
        if method == .get {
            return try await hecEnvelope(APIRequest(.hec, method, path, query: query, isWrite: isWrite))
        }
        return try await hec(method, path, requestData: EmptyRequestData(), query: query, isWrite: isWrite, as: type)
    }

    /// Sends, checks the HTTP status and the envelope, decodes.
    ///
    /// An envelope 5xx under HTTP 200 means what an HTTP 5xx means: a read is retried with the same
    /// backoff, count and deadline as `send` applies to HTTP 5xx; a write is `.ambiguousWrite` whatever the
    /// 5xx (the application that wrote the envelope had the request: `WriteStatus`), never re-sent. An
    /// envelope 4xx is the caller's error, not retried.
    public func hecEnvelope<T: Decodable & Sendable>(_ request: APIRequest) async throws -> HECEnvelope<T> {
        let deadline = CallDeadline.current ?? time.now + configuration.callDeadline
        var retries = 0
        while true {
            let (response, envelope): (APIResponse, HECEnvelope<T>) = try await fetch(request)
            guard !envelope.responseEnvelope.isSuccess, let code = envelope.responseEnvelope.responseCode else { return envelope }
            let text = [envelope.responseEnvelope.responseText, envelope.responseEnvelope.additionalText]
                .compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " — ")
            let error = CheckPointError.envelope(code, message: text, httpStatus: response.status, service: request.service, endpoint: request.endpoint)
            if request.isWrite, WriteStatus.mayHaveActed(code, inEnvelope: true) {
                throw CheckPointError.envelopeFailedWrite(code, httpStatus: response.status, service: request.service, endpoint: request.endpoint)
            }
            if (500..<600).contains(code) {
                if request.isContinuation {
                    var lost = error.adding("to a scroll continuation, not re-sent")
                    lost.lostContinuation = true
                    throw lost
                }
                let wait = retry.backoff(retry: retries)
                if try await backOff(wait, retries: &retries, before: deadline, endpoint: request.endpoint,
                                     service: request.service, reason: CheckPointError.envelopeCodes(code, response.status)) {
                    continue
                }
                throw error.adding("\(retries + 1) attempts; the service may be degraded, try again later")
            }
            throw error
        }
    }

    private func fetch<T: Decodable & Sendable>(_ request: APIRequest) async throws -> (APIResponse, T) {
        try await askingOnceMoreIfUnparseable(request) {
            let response = try await send(request)
            guard (200..<300).contains(response.status) else {
                throw CheckPointError.from(response, service: request.service, endpoint: request.endpoint)
            }
            if let refusal = CheckPointError.refusal(in: response, service: request.service, endpoint: request.endpoint) { throw refusal }
            let body = response.body.isEmpty || response.status == 204 ? Data("{}".utf8) : response.body
            do {
                return (response, try Self.decoder.decode(T.self, from: body))
            } catch let error as DecodingError {
                if request.isWrite {
                    // 2xx: the write was most likely applied, but what it did (task ids) is unreadable.
                    throw CheckPointError.ambiguousWrite("the gateway accepted the write (HTTP \(response.status)) but its answer could not be read (\(CheckPointError.decoding(error, service: request.service, endpoint: request.endpoint).message))", probably: true, service: request.service, endpoint: request.endpoint, httpStatus: response.status)
                }
                var failure = CheckPointError.decoding(error, service: request.service, endpoint: request.endpoint)
                failure.lostContinuation = request.isContinuation
                throw failure
            }
        }
    }

    /// The one rule for an answer that does not parse at all (`CheckPointError.isUnparseable`: a truncated or
    /// garbled body, as a dropped connection or a proxy's error page leaves it): a read is asked for once more,
    /// once; a body that parses but has the wrong shape is not (asking again gets the same shape). Never a write
    /// (its outcome is what matters, and it is reported as such), never a scroll continuation (the gateway's
    /// cursor may already have moved past the page). Used by the typed HEC reads and the Harmony Mobile
    /// reads.
    /// - SeeAlso: docs/configuration.md "Timeouts, deadline and retries".
    func askingOnceMoreIfUnparseable<T>(_ request: APIRequest, _ attempt: () async throws -> T) async throws -> T {
        do {
            return try await attempt()
        } catch let error as CheckPointError where error.isUnparseable && !request.isWrite && !request.isContinuation {
            await log(.warning, "\(request.endpoint): unparseable JSON from the gateway; asking once more")
            return try await attempt()
        }
    }

    func encode<B: Encodable>(_ body: B, service: Service, endpoint: String) throws -> Data {
        do { return try Self.encoder.encode(body) } catch {
            throw CheckPointError.refused("the request body", "it could not be encoded (\(error))", service: service, endpoint: endpoint)
        }
    }

    /// Dates in models decode from any form `CheckPointDate` reads and encode as ISO 8601 UTC.
    static let decoder: JSONDecoder = {
        let d = JSONDecoder()
        d.dateDecodingStrategy = .custom { decoder in
            let c = try decoder.singleValueContainer()
            if let n = try? c.decode(Double.self), let date = CheckPointDate.fromEpoch(n) { return date }
            let s = try c.decode(String.self)
            guard let date = CheckPointDate.parse(s) else {
                throw DecodingError.dataCorruptedError(in: c, debugDescription: "unreadable date \"\(s.prefix(40))\"")
            }
            return date
        }
        return d
    }()

    static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.dateEncodingStrategy = .custom { date, encoder in
            var c = encoder.singleValueContainer()
            try c.encode(CheckPointDate.iso8601(date))
        }
        return e
    }()
}

extension CheckPointError {
    /// "which endpoint, which field, what was wrong" from a DecodingError.
    static func decoding(_ error: DecodingError, service: Service, endpoint: String) -> CheckPointError {
        func path(_ keys: [CodingKey]) -> String {
            let text = keys.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            return text.isEmpty ? "the body" : String(text.drop(while: { $0 == "." }))
        }
        let detail: String
        switch error {
        case .typeMismatch(let type, let context):
            detail = "\(path(context.codingPath)): expected \(type)"
        case .valueNotFound(let type, let context):
            detail = "\(path(context.codingPath)): expected \(type), found null"
        case .keyNotFound(let key, let context):
            detail = "\(path(context.codingPath + [key])): missing"
        case .dataCorrupted(let context):
            if context.codingPath.isEmpty {
                return .unparseable("unexpected answer from the gateway: the body is not valid JSON (truncated or garbled)",
                                    service: service, endpoint: endpoint, httpStatus: nil)
            }
            detail = "\(path(context.codingPath)): \(context.debugDescription)"
        @unknown default:
            detail = "\(error)"
        }
        return .undecodable("unexpected answer from the gateway: \(detail)", service: service, endpoint: endpoint)
    }
}
