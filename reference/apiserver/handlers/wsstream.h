/* wsstream.h: the apiserver's side of WebSockets, after
 * k8s.io/apimachinery/pkg/util/wsstream: recognising an upgrade request,
 * choosing a subprotocol, the 101 answer (RFC 6455 handshake) and the
 * server frames, plain or on k8s channels (exec.c, pods/log in
 * subresources.c, logstream.c). */
#ifndef CK_APISERVER_WSSTREAM_H
#define CK_APISERVER_WSSTREAM_H
#include <stdbool.h>
#include <stddef.h>
#include "apiserver/handlers/rest.h"

/* A subprotocol the server speaks: text frames of base64 or binary frames;
 * version 1 (channel.k8s.io), 4 or 5 for remotecommand, 0 for streams. */
typedef struct ck_ws_proto {
    const char *name; /* "" matches a request that names no protocol */
    bool base64;
    int version;
} ck_ws_proto;

/* Upgrade: websocket and a Sec-WebSocket-Key. */
bool ck_ws_is_request(const ck_req *r);
/* The first protocol the client offers (in its order, as wsstream's
 * handshake) found in allowed (terminated by name == NULL); NULL if none. */
const ck_ws_proto *ck_ws_pick(const ck_req *r, const ck_ws_proto *allowed);
/* "a, b" of allowed's non-empty names into out (for error messages). */
void ck_ws_names(const ck_ws_proto *allowed, char *out, size_t n);
/* Sets ctx->resp to 101 Switching Protocols with the accept key and the
 * chosen protocol (none when ""); the caller then sets resp->upgrade.
 * 0, or -1 with a 500 in ctx->st. */
int ck_ws_answer(ck_handler *ctx, const ck_ws_proto *p);

/* On the upgraded socket: one unmasked frame with FIN set. 0 or -1. */
int ck_ws_frame(int fd, int opcode, const void *data, size_t len);
/* Data on a stream: a binary frame, or a text frame of base64. */
int ck_ws_data(int fd, bool base64, const void *data, size_t len);
/* A channel message: [channel] + data in a binary frame, or
 * ['0' + channel] + base64(data) in a text frame. */
int ck_ws_channel(int fd, const ck_ws_proto *p, int channel, const void *data, size_t len);
/* A close frame with code and a reason (cut at 123 bytes). */
int ck_ws_close(int fd, int code, const char *reason);

/* pods/log over WebSocket (logstream.c): answers 101 for binary.k8s.io,
 * base64.binary.k8s.io or no protocol, then streams the kubelet's log at
 * url as frames. 0, or -1 with ctx->st set. */
int ck_pod_log_ws(ck_handler *ctx, const char *url);
#endif
