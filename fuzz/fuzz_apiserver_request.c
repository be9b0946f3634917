/* fuzz_apiserver_request.c: libFuzzer target for a whole request through
 * the apiserver's dispatch (ck_apiserver_handle) in-process, on the memory
 * storage backend, with no sockets: routing, discovery, OpenAPI, the REST
 * verbs, admission, strategies, decoding, patches and Status errors. Input
 * format: fuzz_request.h (request line, headers, blank line, body).
 * The server is bootstrapped once (default namespaces, kubernetes Service)
 * and rebuilt every CK_FUZZ_RESET requests (default 500) so state stays
 * small; a crash input replays alone from a fresh server. */
#include <stdio.h>
#include <stdlib.h>
#include "apiserver/apiserver.h"
#include "fuzz_request.h"

static ck_apiserver srv;
static int up;
static long served, reset_every = 500;

static void server_down(void)
{
    if (up) ck_apiserver_free(&srv);
    up = 0;
}

static int server_up(void)
{
    ck_apiserver_config cfg;
    char err[512];
    ck_apiserver_config_defaults(&cfg);
    cfg.store_spec = "memory";
    cfg.port = 0;
    cfg.watch_window = 100;
    if (ck_apiserver_init(&srv, &cfg, err, sizeof err) < 0) {
        fprintf(stderr, "fuzz_apiserver_request: init: %s\n", err);
        ck_apiserver_free(&srv);
        return -1;
    }
    srv.port = 6443; /* what bootstrap advertises for default/kubernetes */
    if (ck_bootstrap(&srv, err, sizeof err) < 0) {
        fprintf(stderr, "fuzz_apiserver_request: bootstrap: %s\n", err);
        ck_apiserver_free(&srv);
        return -1;
    }
    up = 1;
    return 0;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    const char *e = getenv("CK_FUZZ_RESET");
    if (e && atol(e) > 0) reset_every = atol(e);
    atexit(server_down);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (up && served >= reset_every) { server_down(); served = 0; }
    if (!up && server_up() < 0) abort();
    fuzz_req f;
    if (fuzz_req_parse(&f, data, size) == 0) {
        ck_resp resp = {0};
        ck_stream *stream = NULL;
        ck_apiserver_handle(&srv, &f.req, &resp, &stream);
        if (stream) {
            /* a watch: opened, never read (reads block until events or the
             * timeout); closing it must release everything */
            stream->free(stream);
        } else if (resp.code < 100 || resp.code > 599) {
            abort();
        }
        ck_resp_free(&resp);
        served++;
    }
    fuzz_req_free(&f);
    return 0;
}
