/* websocket.h: a small RFC 6455 WebSocket client for the harness, on
 * libcurl's CONNECT_ONLY mode (so TLS, the CA and the kubeconfig's client
 * certificate come from curl) with the handshake and framing done here.
 * Used for pods/exec and pods/log over WebSockets, as upstream's
 * test/e2e/framework/websocket (golang.org/x/net/websocket) does. */
#ifndef CKC_WEBSOCKET_H
#define CKC_WEBSOCKET_H
#include "harness.h"

enum {
    CKC_WS_CONT = 0x0, CKC_WS_TEXT = 0x1, CKC_WS_BINARY = 0x2,
    CKC_WS_CLOSE = 0x8, CKC_WS_PING = 0x9, CKC_WS_PONG = 0xA
};

typedef struct ckc_ws ckc_ws;

/* Opens run's server + path (e.g. "/api/v1/namespaces/n/pods/p/log?x=y") as
 * a WebSocket, offering protocols (NULL-terminated, may be NULL or empty) in
 * Sec-WebSocket-Protocol. Verifies the 101 answer: Upgrade, Connection,
 * Sec-WebSocket-Accept, and that a chosen protocol is one offered.
 * Returns a connection the caller closes with ckc_ws_close, or NULL with a
 * message in err; *http_code (may be NULL) receives the answer's status
 * (0 when none arrived) and, on a non-101 answer, err holds its body. */
ckc_ws *ckc_ws_open(ckc_run *run, const char *path, const char *const *protocols, double timeout_s,
                    long *http_code, char *err, size_t errlen);
/* The protocol the server chose ("" when it named none). Borrowed. */
const char *ckc_ws_protocol(const ckc_ws *ws);

/* Next complete message (fragments joined). Control frames are handled
 * underneath: ping is answered with pong, pong is ignored, close is
 * answered with close. Returns 1 with *opcode (TEXT/BINARY), *data
 * (malloc'd, NUL-terminated, caller frees) and *len; 0 once the server
 * closed (close frame or end of stream, like io.EOF upstream); -1 on a
 * protocol error, transport error or timeout, with a message in err. */
int ckc_ws_recv(ckc_ws *ws, double timeout_s, int *opcode, unsigned char **data, size_t *len,
                char *err, size_t errlen);
/* Sends one masked frame with FIN set. 0 ok, -1 on error. */
int ckc_ws_send(ckc_ws *ws, int opcode, const void *data, size_t len);
/* Sends a close frame (1000) unless one was exchanged, then frees. NULL ok. */
void ckc_ws_close(ckc_ws *ws);

/* Sec-WebSocket-Accept for key: base64(SHA-1(key + RFC 6455's GUID)).
 * out must hold 29 bytes. */
void ckc_ws_accept_for(const char *key, char out[29]);

/* The pods tests that use it (t_pods_ws.c), rows in t_pods.c. */
void cl_t_exec_websocket(ckc_t *t);
void cl_t_logs_websocket(ckc_t *t);
#endif
