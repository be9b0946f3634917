/* nodeinfo.c: a Node parsed once (allocatable, taints, labels) plus the
 * running totals of the pods bound or assumed on it (upstream NodeInfo's
 * Requested / NonZeroRequested / Pods / PodsWithRequiredAntiAffinity). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "api/quantity.h"
#include "scheduler/types.h"
#include "util/ckjson.h"

static int parse_node(ck_node_info *n, json_t *obj, char *err, size_t errlen)
{
    const json_t *taints = ck_json_path(obj, "spec.taints");
    ck_taint *t = NULL;
    size_t nt = 0, i;
    json_t *tj;
    if (json_array_size(taints) && !(t = calloc(json_array_size(taints), sizeof *t))) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    ck_scalar *sc = NULL;
    size_t nsc = 0;
    if (ck_node_scalar_allocatable(obj, &sc, &nsc) < 0) {
        free(t);
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    json_array_foreach(taints, i, tj) {
        t[nt].key = ck_json_str(tj, "key", "");
        t[nt].value = ck_json_str(tj, "value", "");
        t[nt].effect = ck_taint_effect_parse(ck_json_str(tj, "effect", ""));
        nt++;
    }
    json_incref(obj);
    json_decref(n->obj);
    free(n->taints);
    n->obj = obj;
    n->taints = t;
    n->ntaints = nt;
    free(n->alloc_scalars);
    n->alloc_scalars = sc;
    n->nalloc_scalars = nsc;
    n->name = ck_json_str(obj, "metadata.name", "");
    n->labels = ck_json_path(obj, "metadata.labels");
    n->unschedulable = ck_json_bool(obj, "spec.unschedulable", false);
    /* Upstream schedules against status.allocatable only. */
    const json_t *alloc = ck_json_path(obj, "status.allocatable");
    n->alloc_cpu_milli = ck_quantity_milli(ck_json_str(alloc, "cpu", NULL), 0);
    n->alloc_mem_bytes = ck_quantity_value(ck_json_str(alloc, "memory", NULL), 0);
    n->alloc_pods = ck_quantity_value(ck_json_str(alloc, "pods", NULL), 0);
    return 0;
}

ck_node_info *ck_node_info_new(json_t *obj, char *err, size_t errlen)
{
    ck_node_info *n = calloc(1, sizeof *n);
    if (!n) { snprintf(err, errlen, "out of memory"); return NULL; }
    if (parse_node(n, obj, err, errlen) < 0) { free(n); return NULL; }
    return n;
}

int ck_node_info_set_node(ck_node_info *n, json_t *obj, char *err, size_t errlen)
{
    return parse_node(n, obj, err, errlen);
}

int ck_node_info_add_pod(ck_node_info *n, ck_pod_info *p)
{
    if (n->npods == n->cap) {
        size_t cap = n->cap ? n->cap * 2 : 8;
        ck_pod_info **np = realloc(n->pods, cap * sizeof *np);
        if (!np) return -1;
        n->pods = np;
        n->cap = cap;
    }
    n->pods[n->npods++] = p;
    n->req_cpu_milli += p->cpu_milli;
    n->req_mem_bytes += p->mem_bytes;
    n->nz_cpu_milli += p->nz_cpu_milli;
    n->nz_mem_bytes += p->nz_mem_bytes;
    if (p->nanti) n->npods_with_anti++;
    return 0;
}

bool ck_node_info_remove_pod(ck_node_info *n, const ck_pod_info *p)
{
    for (size_t i = 0; i < n->npods; i++) {
        if (n->pods[i] != p) continue;
        n->pods[i] = n->pods[--n->npods];
        n->req_cpu_milli -= p->cpu_milli;
        n->req_mem_bytes -= p->mem_bytes;
        n->nz_cpu_milli -= p->nz_cpu_milli;
        n->nz_mem_bytes -= p->nz_mem_bytes;
        if (p->nanti) n->npods_with_anti--;
        return true;
    }
    return false;
}

void ck_node_info_free(ck_node_info *n)
{
    if (!n) return;
    json_decref(n->obj);
    free(n->taints);
    free(n->alloc_scalars);
    free(n->pods);
    free(n);
}

const char *ck_node_label(const ck_node_info *n, const char *key)
{
    return json_string_value(json_object_get(n->labels, key));
}
