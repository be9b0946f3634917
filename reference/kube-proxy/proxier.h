/* proxier.h: the proxy-mode interface (upstream pkg/proxy.Provider): the sync
 * loop hands every mode the same ck_proxy_state, and the mode makes the node
 * forward service traffic accordingly. A small vtable; modes embed ck_proxier
 * as their first member. */
#ifndef CK_PROXY_PROXIER_H
#define CK_PROXY_PROXIER_H
#include <stddef.h>
#include "kube-proxy/servicemap.h"

typedef struct ck_proxier ck_proxier;

typedef struct ck_proxier_ops {
    const char *name;  /* "iptables", "userspace" */
    /* Make the node match st (borrowed, valid during the call). 0, or -1 with
     * a message in err: the runner retries later. Called from one thread. */
    int (*sync)(ck_proxier *p, const ck_proxy_state *st, char *err, size_t errlen);
    /* Stops background work and frees p. Leaves the node's rules in place,
     * as upstream does on exit (cleanup is --cleanup's job). */
    void (*free)(ck_proxier *p);
} ck_proxier_ops;

struct ck_proxier {
    const ck_proxier_ops *ops;
};

static inline int ck_proxier_sync(ck_proxier *p, const ck_proxy_state *st, char *err, size_t errlen)
{
    return p->ops->sync(p, st, err, errlen);
}

static inline void ck_proxier_free(ck_proxier *p)
{
    if (p) p->ops->free(p);
}
#endif
