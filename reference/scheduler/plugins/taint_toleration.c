/* taint_toleration.c: TaintToleration — NoSchedule/NoExecute taints must be
 * tolerated; untolerated PreferNoSchedule taints lower the score. */
#include <stdio.h>
#include "scheduler/plugins/plugins.h"

static bool tolerated(const ck_pod_info *pod, const ck_taint *t, bool prefer_only)
{
    for (size_t i = 0; i < pod->ntolerations; i++) {
        const ck_toleration *tol = &pod->tolerations[i];
        /* Scoring only considers tolerations with effect "" or PreferNoSchedule. */
        if (prefer_only && tol->effect != CK_EFFECT_NONE && tol->effect != CK_EFFECT_PREFER_NO_SCHEDULE)
            continue;
        if (ck_toleration_tolerates(tol, t)) return true;
    }
    return false;
}

static ck_code filter(const void *state, const ck_pod_info *pod, const ck_node_info *n, ck_status *st)
{
    for (size_t i = 0; i < n->ntaints; i++) {
        const ck_taint *t = &n->taints[i];
        if (t->effect != CK_EFFECT_NO_SCHEDULE && t->effect != CK_EFFECT_NO_EXECUTE) continue;
        if (tolerated(pod, t, false)) continue;
        char reason[CK_REASON_LEN];
        snprintf(reason, sizeof reason, "node(s) had untolerated taint {%s: %s}", t->key, t->value);
        return ck_status_add(st, CK_UNRESOLVABLE, reason);
    }
    return CK_SUCCESS;
}

/* countIntolerableTaintsPreferNoSchedule */
static int64_t score(const void *state, const ck_pod_info *pod, const ck_node_info *n)
{
    int64_t c = 0;
    for (size_t i = 0; i < n->ntaints; i++)
        if (n->taints[i].effect == CK_EFFECT_PREFER_NO_SCHEDULE && !tolerated(pod, &n->taints[i], true)) c++;
    return c;
}

static void normalize(int64_t *s, size_t n) { ck_default_normalize(CK_MAX_NODE_SCORE, true, s, n); }

const ck_plugin ck_plugin_taint_toleration = {
    .name = "TaintToleration", .weight = 3, .filter = filter, .score = score, .normalize = normalize,
};
