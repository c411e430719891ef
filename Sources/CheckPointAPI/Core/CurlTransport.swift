#if os(Linux) && !CHECKPOINT_URLSESSION
import Dispatch
import Foundation

/// HTTP over libcurl's easy API (see `LibCurl` for why not FoundationNetworking on Linux).
///
/// Each exchange runs `curl_easy_perform` on a Dispatch worker; easy handles are pooled so their
/// connection caches give keep-alive reuse across requests. Redirects are not followed, only http and
/// https are allowed, and `Expect: 100-continue` is disabled. Timeout and cancellation resume the
/// caller at once (via `Exchange`) and make curl abort from its progress callback.
/// Writes never reuse a connection (`CURLOPT_FRESH_CONNECT` + `CURLOPT_FORBID_REUSE`): on a reused
/// connection that the server closes without an answer byte, libcurl re-sends the request by itself
/// (its "dead connection" retry), which for a write means acting twice. A body larger than
/// `maxResponseBytes` aborts the transfer (`CURLOPT_MAXFILESIZE_LARGE` when the length is announced, the
/// write callback otherwise, e.g. an endless chunked body).
/// - SeeAlso: https://curl.se/libcurl/c/CURLOPT_FRESH_CONNECT.html, https://curl.se/libcurl/c/CURLOPT_FORBID_REUSE.html,
///   https://curl.se/libcurl/c/CURLOPT_MAXFILESIZE_LARGE.html
/// A final class with a lock: the pool is touched from Dispatch threads, never from an actor.
final class CurlTransport: HTTPTransport, @unchecked Sendable {
    private let lock = NSLock()
    private var idle: [LibCurl.Handle] = []
    private let maxIdle: Int

    init(maxConnections: Int) { self.maxIdle = max(2, maxConnections + 1) }

    func perform(_ request: TransportRequest) async throws(TransportFailure) -> APIResponse {
        let curl: LibCurl
        switch LibCurl.shared {
        case .success(let loaded): curl = loaded
        case .failure(let failure): throw failure
        }
        let transfer = Transfer(limit: request.maxResponseBytes)
        let exchange = Exchange()
        let result: Result<APIResponse, TransportFailure> = await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                exchange.start(abort: { transfer.cancel() }, continuation)
                DispatchQueue.global().asyncAfter(deadline: .now() + request.timeout.seconds) {
                    exchange.finish(.failure(.timedOut))
                }
                DispatchQueue.global().async {
                    exchange.finish(self.run(request, curl: curl, transfer: transfer))
                }
            }
        } onCancel: {
            exchange.finish(.failure(.cancelled))
        }
        return try result.get()
    }

    private func handle(_ curl: LibCurl) -> LibCurl.Handle? {
        lock.lock()
        defer { lock.unlock() }
        return idle.popLast() ?? curl.easyInit()
    }

    private func recycle(_ handle: LibCurl.Handle, _ curl: LibCurl, healthy: Bool) {
        lock.lock()
        if healthy, idle.count < maxIdle {
            curl.reset(handle)  // keeps the live connections and DNS cache
            idle.append(handle)
            lock.unlock()
        } else {
            lock.unlock()
            curl.cleanup(handle)
        }
    }

    private func run(_ request: TransportRequest, curl: LibCurl, transfer: Transfer) -> Result<APIResponse, TransportFailure> {
        guard let handle = handle(curl) else { return .failure(.other("curl_easy_init failed")) }
        var headers: LibCurl.SList?
        for (name, value) in request.headers { headers = curl.slistAppend(headers, "\(name): \(value)") }
        headers = curl.slistAppend(headers, "Expect:")
        let box = Unmanaged.passRetained(transfer)
        defer {
            box.release()
            curl.slistFree(headers)
        }
        let opaque = UnsafeRawPointer(box.toOpaque())
        let milliseconds = max(1, Int(request.timeout.seconds * 1000))

        _ = request.url.absoluteString.withCString { curl.setoptPointer(handle, LibCurl.Option.url, $0) }
        _ = "http,https".withCString { curl.setoptPointer(handle, LibCurl.Option.protocolsString, $0) }
        _ = curl.setoptLong(handle, LibCurl.Option.noSignal, 1)
        if GatewayURL.isLoopback(request.url.host ?? "") {
            // curl honours http_proxy/https_proxy; loopback traffic (the simulator) must never leave the host.
            _ = "*".withCString { curl.setoptPointer(handle, LibCurl.Option.noProxy, $0) }
        }
        _ = curl.setoptLong(handle, LibCurl.Option.followLocation, 0)
        _ = curl.setoptLong(handle, LibCurl.Option.maxFileSizeLarge, request.maxResponseBytes)
        if request.isWrite {
            _ = curl.setoptLong(handle, LibCurl.Option.freshConnect, 1)
            _ = curl.setoptLong(handle, LibCurl.Option.forbidReuse, 1)
        }
        _ = curl.setoptLong(handle, LibCurl.Option.timeoutMs, milliseconds + 1000)  // our timer fires first
        _ = curl.setoptLong(handle, LibCurl.Option.connectTimeoutMs, milliseconds)
        _ = curl.setoptPointer(handle, LibCurl.Option.httpHeader, headers.map { UnsafeRawPointer($0) })
        _ = curl.setoptPointer(handle, LibCurl.Option.writeFunction, unsafeBitCast(curlWrite, to: UnsafeRawPointer.self))
        _ = curl.setoptPointer(handle, LibCurl.Option.writeData, opaque)
        _ = curl.setoptPointer(handle, LibCurl.Option.headerFunction, unsafeBitCast(curlHeader, to: UnsafeRawPointer.self))
        _ = curl.setoptPointer(handle, LibCurl.Option.headerData, opaque)
        _ = curl.setoptLong(handle, LibCurl.Option.noProgress, 0)
        _ = curl.setoptPointer(handle, LibCurl.Option.xferInfoFunction, unsafeBitCast(curlProgress, to: UnsafeRawPointer.self))
        _ = curl.setoptPointer(handle, LibCurl.Option.xferInfoData, opaque)
        if let body = request.body {
            _ = curl.setoptLong(handle, LibCurl.Option.postFieldSizeLarge, body.count)
            _ = body.withUnsafeBytes { curl.setoptPointer(handle, LibCurl.Option.copyPostFields, $0.baseAddress ?? UnsafeRawPointer(bitPattern: 1)) }
            if request.method != "POST" {
                _ = request.method.withCString { curl.setoptPointer(handle, LibCurl.Option.customRequest, $0) }
            }
        } else if request.method == "GET" {
            _ = curl.setoptLong(handle, LibCurl.Option.httpGet, 1)
        } else {
            _ = request.method.withCString { curl.setoptPointer(handle, LibCurl.Option.customRequest, $0) }
        }

        let code = curl.perform(handle)
        guard code == 0 else {
            recycle(handle, curl, healthy: false)
            // 63: CURLE_FILESIZE_EXCEEDED (announced length over the cap); 23 after our write callback refused.
            if code == 63 || transfer.tooLarge { return .failure(.responseTooLarge(request.maxResponseBytes)) }
            return .failure(curl.failure(code))
        }
        var status = 0
        _ = curl.getinfoLong(handle, LibCurl.infoResponseCode, &status)
        recycle(handle, curl, healthy: true)
        return .success(transfer.response(status: status))
    }
}

/// What one transfer has received so far, and whether it should stop. Written by curl's callbacks on
/// the transfer's thread, read when it ends; the lock covers `cancel()` from other threads.
final class Transfer: @unchecked Sendable {
    private let lock = NSLock()
    private var cancelled = false
    var body = Data()
    var headers: [String: String] = [:]
    /// The body cap in bytes; `tooLarge` once the answer passed it (the write callback then stops curl).
    let limit: Int
    var tooLarge = false

    init(limit: Int) { self.limit = limit }

    func cancel() { lock.withLock { cancelled = true } }
    var isCancelled: Bool { lock.withLock { cancelled } }

    func header(_ line: String) {
        if line.hasPrefix("HTTP/") {
            headers = [:]  // a new response (after 100 Continue): start over
            return
        }
        guard let colon = line.firstIndex(of: ":") else { return }
        let name = line[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
        let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespacesAndNewlines)
        headers[name] = headers[name].map { "\($0), \(value)" } ?? value
    }

    func response(status: Int) -> APIResponse { APIResponse(status: status, headers: headers, body: body) }
}

private let curlWrite: @convention(c) (UnsafeMutablePointer<CChar>?, Int, Int, UnsafeMutableRawPointer?) -> Int = { data, size, count, user in
    guard let user else { return 0 }
    let transfer = Unmanaged<Transfer>.fromOpaque(user).takeUnretainedValue()
    if transfer.isCancelled { return 0 }  // makes curl stop with CURLE_WRITE_ERROR
    if transfer.body.count + size * count > transfer.limit {
        transfer.tooLarge = true
        return 0
    }
    if let data { transfer.body.append(UnsafeRawPointer(data).assumingMemoryBound(to: UInt8.self), count: size * count) }
    return size * count
}

private let curlHeader: @convention(c) (UnsafeMutablePointer<CChar>?, Int, Int, UnsafeMutableRawPointer?) -> Int = { data, size, count, user in
    guard let user, let data else { return size * count }
    let transfer = Unmanaged<Transfer>.fromOpaque(user).takeUnretainedValue()
    let line = String(decoding: UnsafeRawBufferPointer(start: data, count: size * count), as: UTF8.self)
    transfer.header(line)
    return size * count
}

private let curlProgress: @convention(c) (UnsafeMutableRawPointer?, Int64, Int64, Int64, Int64) -> Int32 = { user, _, _, _, _ in
    guard let user else { return 0 }
    return Unmanaged<Transfer>.fromOpaque(user).takeUnretainedValue().isCancelled ? 1 : 0
}
#endif
