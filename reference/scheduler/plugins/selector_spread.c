/* selector_spread.c: spreads the pods of one controller across nodes (the
 * SelectorSpread plugin that PodTopologySpread's system default constraints
 * replaced; weighted 2 like PodTopologySpread). The score counts pods on the
 * node owned by the same controller; fewer is better. Explicit
 * topologySpreadConstraints are not enforced yet (see README). */
#include <string.h>
#include "scheduler/plugins/plugins.h"

static int64_t score(const void *state, const ck_pod_info *pod, const ck_node_info *n)
{
    if (!pod->controller_uid) return 0;
    int64_t c = 0;
    for (size_t i = 0; i < n->npods; i++)
        if (n->pods[i]->controller_uid && !strcmp(n->pods[i]->controller_uid, pod->controller_uid) &&
            !strcmp(n->pods[i]->namespace, pod->namespace))
            c++;
    return c;
}

static void normalize(int64_t *s, size_t n) { ck_default_normalize(CK_MAX_NODE_SCORE, true, s, n); }

const ck_plugin ck_plugin_selector_spread = {
    .name = "SelectorSpread", .weight = 2, .score = score, .normalize = normalize,
};
