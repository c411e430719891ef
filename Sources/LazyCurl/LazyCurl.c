/* See LazyCurl.h for why. Only the 23 curl entry points FoundationNetworking uses (nm -u of
   lib_CFURLSessionInterface.a, Swift 6.3.1) are defined; a missing one is a link error, never a silent fallback. */
#if defined(__linux__)
#define _GNU_SOURCE
#include <dlfcn.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include "LazyCurl.h"

static void *lib;
static pthread_once_t once = PTHREAD_ONCE_INIT;
static void load(void) {
    const char *names[] = {"libcurl.so.4", "libcurl-gnutls.so.4", "libcurl.so", NULL};
    for (int i = 0; names[i] && !lib; i++) lib = dlopen(names[i], RTLD_NOW | RTLD_LOCAL);
    if (!lib) { fprintf(stderr, "checkpoint-mcp: cannot load libcurl (%s); install libcurl4\n", dlerror()); abort(); }
}
static void *sym(const char *name) {
    pthread_once(&once, load);
    void *p = dlsym(lib, name);
    if (!p) { fprintf(stderr, "checkpoint-mcp: libcurl lacks %s\n", name); abort(); }
    return p;
}
int lazy_curl_is_loaded(void) { return lib != NULL; }

#define FWD(ret, name, params, args) \
    ret name params { static ret (*real_) params; if (!real_) real_ = (ret (*) params)sym(#name); return real_ args; }

FWD(void *, curl_easy_init, (void), ())
FWD(void, curl_easy_cleanup, (void *h), (h))
FWD(int, curl_easy_pause, (void *h, int b), (h, b))
FWD(const char *, curl_easy_strerror, (int c), (c))
FWD(void, curl_free, (void *p), (p))
FWD(int, curl_global_init, (long flags), (flags))
FWD(int, curl_multi_add_handle, (void *m, void *h), (m, h))
FWD(int, curl_multi_assign, (void *m, int s, void *p), (m, s, p))
FWD(int, curl_multi_cleanup, (void *m), (m))
FWD(void *, curl_multi_info_read, (void *m, int *n), (m, n))
FWD(void *, curl_multi_init, (void), ())
FWD(int, curl_multi_remove_handle, (void *m, void *h), (m, h))
FWD(int, curl_multi_socket_action, (void *m, int s, int ev, int *r), (m, s, ev, r))
FWD(void *, curl_slist_append, (void *l, const char *s), (l, s))
FWD(void, curl_slist_free_all, (void *l), (l))
FWD(void *, curl_url, (void), ())
FWD(int, curl_url_get, (void *u, int part, char **out, unsigned int flags), (u, part, out, flags))
FWD(int, curl_url_set, (void *u, int part, const char *s, unsigned int flags), (u, part, s, flags))
FWD(char *, curl_version, (void), ())
FWD(void *, curl_version_info, (int v), (v))

/* The three variadic entry points take exactly one argument after the option: a long, a pointer,
   a function pointer or a curl_off_t. On LP64 targets all four travel in one 8-byte integer slot,
   so reading it as a pointer and passing it on as one is exact. */
#define FWD_VA(name, T) \
    int name(void *h, T opt, ...) { \
        static int (*f)(void *, T, ...); if (!f) f = (int (*)(void *, T, ...))sym(#name); \
        va_list ap; va_start(ap, opt); void *arg = va_arg(ap, void *); va_end(ap); return f(h, opt, arg); }
FWD_VA(curl_easy_setopt, int)
FWD_VA(curl_easy_getinfo, int)
FWD_VA(curl_multi_setopt, int)
#else
int lazy_curl_is_loaded(void) { return 1; }
#endif
