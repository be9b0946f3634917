/* apiserver.h: the kube-apiserver process's shared state and the entry
 * points between its parts: server.c (HTTP), handler.c (dispatch),
 * handlers/ (REST verbs), registry/ (per-kind strategies), admission/. */
#ifndef CK_APISERVER_APISERVER_H
#define CK_APISERVER_APISERVER_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <pthread.h>
#include <sys/types.h>
#include "apiserver/http.h"
#include "apiserver/watchcache.h"
#include "store/store.h"

typedef struct ck_ipalloc ck_ipalloc;
typedef struct ck_portalloc ck_portalloc;

typedef struct ck_apiserver_config {
    const char *bind_address;      /* "127.0.0.1" */
    int port;                      /* 0 = pick a free one */
    const char *store_spec;        /* "etcd3:http://127.0.0.1:2379" or "memory" */
    const char *service_cidr;      /* "10.96.0.0/12" */
    int node_port_min, node_port_max;
    const char *advertise_address; /* for default/kubernetes Endpoints */
    size_t watch_window;           /* events kept per resource */
    int max_inflight;              /* --max-requests-inflight (400) */
    int max_mutating_inflight;     /* --max-mutating-requests-inflight (200) */
    int bookmark_interval_ms;      /* how often idle watches get a BOOKMARK */
    const char *audit_log_path;    /* audit.k8s.io/v1 Event JSON lines, or NULL */
    bool broken_conflicts;         /* self-test only: answer 200 where 409 is due */
    int compaction_interval_ms;    /* --etcd-compaction-interval: etcd compaction and
                                      continue-token lifetime (5 min); 0 = never */
} ck_apiserver_config;

void ck_apiserver_config_defaults(ck_apiserver_config *cfg);

typedef struct ck_apiserver {
    ck_apiserver_config cfg;
    ck_store *store;
    ck_cacher *cache;
    ck_ipalloc *cluster_ips;
    ck_portalloc *node_ports;
    struct MHD_Daemon *mhd;
    int port;                 /* the port actually bound */
    int inflight, mutating_inflight; /* atomics */
    int64_t ns_write_rev;     /* last namespace write (atomic): admission waits for it */
    struct ck_audit *audit;   /* audit log sink, NULL if off */
    pthread_t compactor;      /* compaction.c */
    int compactor_running;
    pthread_mutex_t compact_mu;
    pthread_cond_t compact_cv;
    bool stopping;
} ck_apiserver;

/* A streaming response (watch): read() blocks until bytes are ready and
 * returns their count, or -1 at the end of the stream. */
typedef struct ck_stream ck_stream;
struct ck_stream {
    ssize_t (*read)(ck_stream *s, char *buf, size_t max);
    void (*free)(ck_stream *s);
    int client_fd;            /* set by server.c, to notice a client hang-up */
};

/* True when the watch's client has hung up (server.c). */
bool ck_stream_client_gone(const ck_stream *s);

/* Opens the store, fills the cache, rebuilds allocators. 0 or -1 with err.
 * Then ck_apiserver_serve, then ck_bootstrap (it needs the bound port). */
int ck_apiserver_init(ck_apiserver *s, const ck_apiserver_config *cfg, char *err, size_t errlen);
/* Starts serving HTTP (returns once listening). */
int ck_apiserver_serve(ck_apiserver *s, char *err, size_t errlen);
void ck_apiserver_stop(ck_apiserver *s);
/* Stops serving and frees everything init created. */
void ck_apiserver_free(ck_apiserver *s);

/* Handles one request. Fills resp, or sets *stream for a watch. */
void ck_apiserver_handle(ck_apiserver *s, const ck_req *req, ck_resp *resp, ck_stream **stream);

/* compaction.c: compacts storage every compaction interval, as upstream's
 * apiserver does to etcd. Started by init, stopped by free. */
int ck_compactor_start(ck_apiserver *s);
void ck_compactor_stop(ck_apiserver *s);

/* Creates the system namespaces and default/kubernetes Service+Endpoints. */
int ck_bootstrap(ck_apiserver *s, char *err, size_t errlen);
#endif
