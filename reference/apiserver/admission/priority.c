/* priority.c: the Priority admission plugin (plugin/pkg/admission/priority/
 * admission.go): a created pod's spec.priorityClassName resolves to a
 * PriorityClass whose value and preemptionPolicy become the pod's; without a
 * class the globalDefault class (lowest value among several) or 0 applies.
 * PriorityClasses themselves: only one may be globalDefault. */
#include <stdio.h>
#include <string.h>
#include "apiserver/admission/admission.h"
#include "util/ckjson.h"

/* admission.NewForbidden: `<resource>[.<group>] "<name>" is forbidden: <msg>`. */
static int forbid(ck_handler *ctx, const json_t *obj, const char *msg)
{
    const char *name = ck_json_str(obj, "metadata.name", ck_json_str(obj, "metadata.generateName", ""));
    char qualified[160];
    snprintf(qualified, sizeof qualified, "%s%s%s", ctx->k->resource, ctx->k->group[0] ? "." : "", ctx->k->group);
    ck_status_set(&ctx->st, 403, "Forbidden", "%s \"%s\" is forbidden: %s", qualified, name, msg);
    snprintf(ctx->st.kind, sizeof ctx->st.kind, "%s", ctx->k->resource);
    snprintf(ctx->st.name, sizeof ctx->st.name, "%s", ck_json_str(obj, "metadata.name", ""));
    return -1;
}

/* getDefaultPriorityClass: among globalDefault classes the lowest value wins.
 * Returns a new reference to the class or NULL. skip names a class to ignore. */
static json_t *default_class(ck_handler *ctx, const char *skip)
{
    ck_cobj **pcs = NULL;
    int64_t rev = 0;
    size_t n = ck_cacher_list(ctx->s->cache, "priorityclasses", "", &pcs, &rev);
    json_t *best = NULL;
    for (size_t i = 0; i < n; i++) {
        const json_t *pc = pcs[i]->obj;
        if (!json_is_true(json_object_get(pc, "globalDefault"))) continue;
        if (skip && !strcmp(ck_json_str(pc, "metadata.name", ""), skip)) continue;
        if (!best || ck_json_int(pc, "value", 0) < ck_json_int(best, "value", 0)) best = (json_t *)pc;
    }
    json_incref(best);
    ck_cobjs_free(pcs, n);
    return best;
}

/* Update: the plugin set priority on create; keep it when a client omits it
 * (validation refuses any other change). */
static void keep_on_update(json_t *obj, const json_t *old)
{
    json_t *spec = json_object_get(obj, "spec");
    const json_t *ospec = json_object_get(old, "spec");
    if (!json_is_object(spec) || !json_is_object(ospec)) return;
    static const char *const fields[] = {"priority", "preemptionPolicy"};
    for (size_t i = 0; i < 2; i++) {
        json_t *v = json_object_get(ospec, fields[i]);
        if (v && !json_object_get(spec, fields[i])) json_object_set(spec, fields[i], v);
    }
}

static int admit_pod(ck_handler *ctx, ck_admit_op op, json_t *obj, const json_t *old)
{
    if (op == CK_ADMIT_UPDATE) { keep_on_update(obj, old); return 0; }
    if (op != CK_ADMIT_CREATE) return 0;
    json_t *spec = json_object_get(obj, "spec");
    if (!json_is_object(spec)) return 0;
    const char *name = ck_json_str(spec, "priorityClassName", "");
    char msg[512];
    ck_cacher_sync(ctx->s->cache, 0, 5000);
    json_t *pc = NULL;
    if (!*name) {
        pc = default_class(ctx, NULL);
        if (pc) json_object_set_new(spec, "priorityClassName", json_string(ck_json_str(pc, "metadata.name", "")));
    } else {
        ck_cobj *o = ck_cacher_get(ctx->s->cache, "priorityclasses", name);
        if (!o) {
            snprintf(msg, sizeof msg, "no PriorityClass with name %s was found", name);
            return forbid(ctx, obj, msg);
        }
        pc = json_incref(o->obj);
        ck_cobj_unref(o);
    }
    /* scheduling.DefaultPriorityWhenNoDefaultClassExists = 0, PreemptLowerPriority */
    json_int_t prio = pc ? ck_json_int(pc, "value", 0) : 0;
    char policy[64];
    snprintf(policy, sizeof policy, "%s", pc ? ck_json_str(pc, "preemptionPolicy", "") : "PreemptLowerPriority");
    json_decref(pc);
    json_t *have = json_object_get(spec, "priority");
    if (json_is_integer(have) && json_integer_value(have) != prio) {
        snprintf(msg, sizeof msg, "the integer value of priority (%lld) must not be provided in pod spec; "
                 "priority admission controller computed %lld from the given PriorityClass name",
                 (long long)json_integer_value(have), (long long)prio);
        return forbid(ctx, obj, msg);
    }
    json_object_set_new(spec, "priority", json_integer(prio));
    if (!*policy) return 0;
    const char *hp = ck_json_str(spec, "preemptionPolicy", NULL);
    if (hp && strcmp(hp, policy)) {
        snprintf(msg, sizeof msg, "the string value of PreemptionPolicy (%s) must not be provided in pod spec; "
                 "priority admission controller computed %s from the given PriorityClass name", hp, policy);
        return forbid(ctx, obj, msg);
    }
    json_object_set_new(spec, "preemptionPolicy", json_string(policy));
    return 0;
}

/* validatePriorityClass: a second globalDefault class is refused. */
static int admit_priority_class(ck_handler *ctx, ck_admit_op op, json_t *obj)
{
    if (op == CK_ADMIT_DELETE || !json_is_true(json_object_get(obj, "globalDefault"))) return 0;
    ck_cacher_sync(ctx->s->cache, 0, 5000);
    const char *self = ck_json_str(obj, "metadata.name", "");
    json_t *dflt = default_class(ctx, op == CK_ADMIT_UPDATE ? self : NULL);
    if (!dflt) return 0;
    char msg[512];
    snprintf(msg, sizeof msg, "PriorityClass %s is already marked as default. Only one default can exist",
             ck_json_str(dflt, "metadata.name", ""));
    json_decref(dflt);
    return forbid(ctx, obj, msg);
}

int ck_admit_priority(ck_handler *ctx, ck_admit_op op, json_t *obj, const json_t *old)
{
    if (ctx->ri && ctx->ri->subresource[0]) return 0;
    if (!ctx->k->group[0] && !strcmp(ctx->k->resource, "pods")) return admit_pod(ctx, op, obj, old);
    if (!strcmp(ctx->k->group, "scheduling.k8s.io") && !strcmp(ctx->k->resource, "priorityclasses"))
        return admit_priority_class(ctx, op, obj);
    return 0;
}
