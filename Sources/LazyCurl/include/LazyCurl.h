#ifndef LAZY_CURL_H
#define LAZY_CURL_H
/* Defers loading libcurl (and the ~30 TLS/GSSAPI/LDAP libraries it pulls in) from process start to the
   first upstream HTTP request. FoundationNetworking's URLSession calls curl; on Linux this target defines
   every curl symbol it uses and forwards each to the real libcurl, dlopen'ed once on first call.
   Returns 1 once libcurl has been loaded (always 1 where the shim is not used, e.g. macOS). */
int lazy_curl_is_loaded(void);
#endif
