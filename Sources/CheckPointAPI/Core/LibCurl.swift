#if os(Linux) && !CHECKPOINT_URLSESSION
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// libcurl's easy API, loaded with `dlopen` on the first upstream call.
///
/// Why not link FoundationNetworking: on Linux it is a shared library that links libcurl and its ~30 TLS,
/// Kerberos and LDAP dependencies, and the dynamic linker maps all of them at process start whether or
/// not a request is ever made (measured: ~7-9 ms and ~7 MB before `initialize` can be answered). Loading
/// libcurl ourselves on the first request keeps startup where the MCP core left it.
/// Option and error numbers are from curl.h (libcurl 7.x/8.x, stable ABI).
/// - SeeAlso: https://curl.se/libcurl/c/libcurl-easy.html
final class LibCurl: @unchecked Sendable {
    typealias Handle = OpaquePointer
    typealias SList = OpaquePointer

    // curl_easy_setopt is variadic; on the SysV x86-64 and AAPCS64 (Linux) ABIs a variadic callee reads
    // integer and pointer arguments exactly as a fixed-argument one, so typed pointers are safe here.
    let setoptPointer: @convention(c) (Handle?, Int32, UnsafeRawPointer?) -> Int32
    let setoptLong: @convention(c) (Handle?, Int32, Int) -> Int32
    let easyInit: @convention(c) () -> Handle?
    let perform: @convention(c) (Handle?) -> Int32
    let cleanup: @convention(c) (Handle?) -> Void
    let reset: @convention(c) (Handle?) -> Void
    let getinfoLong: @convention(c) (Handle?, Int32, UnsafeMutablePointer<Int>) -> Int32
    let slistAppend: @convention(c) (SList?, UnsafePointer<CChar>) -> SList?
    let slistFree: @convention(c) (SList?) -> Void
    let strerror: @convention(c) (Int32) -> UnsafePointer<CChar>?

    enum Option {
        static let writeData: Int32 = 10_001, url: Int32 = 10_002, postFields: Int32 = 10_015
        static let httpHeader: Int32 = 10_023, headerData: Int32 = 10_029, customRequest: Int32 = 10_036
        static let xferInfoData: Int32 = 10_057, noProxy: Int32 = 10_177, copyPostFields: Int32 = 10_165, protocolsString: Int32 = 10_318
        static let writeFunction: Int32 = 20_011, headerFunction: Int32 = 20_079, xferInfoFunction: Int32 = 20_219
        static let noProgress: Int32 = 43, followLocation: Int32 = 52, freshConnect: Int32 = 74, forbidReuse: Int32 = 75
        static let httpGet: Int32 = 80, noSignal: Int32 = 99
        static let timeoutMs: Int32 = 155, connectTimeoutMs: Int32 = 156
        static let postFieldSizeLarge: Int32 = 30_120, maxFileSizeLarge: Int32 = 30_117
    }
    static let infoResponseCode: Int32 = 0x200002

    /// Loaded once, on first use (Swift globals and statics are lazy).
    static let shared: Result<LibCurl, TransportFailure> = load()

    private init(_ lib: UnsafeMutableRawPointer) throws {
        func symbol<T>(_ name: String, _ type: T.Type) throws -> T {
            guard let pointer = dlsym(lib, name) else { throw TransportFailure.other("libcurl lacks \(name)") }
            return unsafeBitCast(pointer, to: T.self)
        }
        setoptPointer = try symbol("curl_easy_setopt", (@convention(c) (Handle?, Int32, UnsafeRawPointer?) -> Int32).self)
        setoptLong = try symbol("curl_easy_setopt", (@convention(c) (Handle?, Int32, Int) -> Int32).self)
        easyInit = try symbol("curl_easy_init", (@convention(c) () -> Handle?).self)
        perform = try symbol("curl_easy_perform", (@convention(c) (Handle?) -> Int32).self)
        cleanup = try symbol("curl_easy_cleanup", (@convention(c) (Handle?) -> Void).self)
        reset = try symbol("curl_easy_reset", (@convention(c) (Handle?) -> Void).self)
        getinfoLong = try symbol("curl_easy_getinfo", (@convention(c) (Handle?, Int32, UnsafeMutablePointer<Int>) -> Int32).self)
        slistAppend = try symbol("curl_slist_append", (@convention(c) (SList?, UnsafePointer<CChar>) -> SList?).self)
        slistFree = try symbol("curl_slist_free_all", (@convention(c) (SList?) -> Void).self)
        strerror = try symbol("curl_easy_strerror", (@convention(c) (Int32) -> UnsafePointer<CChar>?).self)
        let globalInit = try symbol("curl_global_init", (@convention(c) (Int) -> Int32).self)
        _ = globalInit(3)  // CURL_GLOBAL_ALL; once, before any thread uses curl
    }

    private static func load() -> Result<LibCurl, TransportFailure> {
        for name in ["libcurl.so.4", "libcurl.so", "libcurl-gnutls.so.4", "libcurl-nss.so.4"] {
            guard let lib = dlopen(name, RTLD_NOW | RTLD_LOCAL) else { continue }
            do { return .success(try LibCurl(lib)) } catch let failure as TransportFailure { return .failure(failure) } catch {
                return .failure(.other("\(error)"))
            }
        }
        return .failure(.other("libcurl (libcurl.so.4) is not installed; install the libcurl4 package"))
    }

    func describe(_ code: Int32) -> String {
        strerror(code).map { String(cString: $0) } ?? "curl error \(code)"
    }

    /// CURLcode → why the exchange failed.
    func failure(_ code: Int32) -> TransportFailure {
        let text = "curl \(code): \(describe(code))"
        switch code {
        case 6, 5: return .hostNotFound(text)           // COULDNT_RESOLVE_HOST, _PROXY
        case 7: return .cannotConnect(text)             // COULDNT_CONNECT
        case 28: return .timedOut                       // OPERATION_TIMEDOUT
        case 42: return .cancelled                      // ABORTED_BY_CALLBACK
        case 35, 51, 53, 54, 58, 59, 60, 64, 66, 77, 80, 82, 83, 90, 91, 98: return .tls(text)
        case 18, 23, 52, 55, 56: return .connectionLost(text)  // PARTIAL_FILE, WRITE, GOT_NOTHING, SEND, RECV
        default: return .other(text)
        }
    }
}
#endif
