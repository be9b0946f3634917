/* scalar_resources.c: upstream Resource.ScalarResources — extended resources
 * (example.com/foo), hugepages-*, attachable-volumes-* and kubernetes.io/
 * prefixed ones — as requested by pods and offered by nodes' allocatable
 * (framework/types.go, v1helper.IsScalarResourceName, resource.PodRequests). */
#include <stdlib.h>
#include <string.h>
#include "api/quantity.h"
#include "scheduler/types.h"
#include "util/ckjson.h"

/* v1helper.IsScalarResourceName: extended (a '/' outside kubernetes.io, not
 * "requests."-prefixed), prefixed native (kubernetes.io/...), hugepages or
 * attachable volumes. cpu, memory, pods and ephemeral-storage are not. */
bool ck_is_scalar_resource(const char *name)
{
    if (!name) return false;
    if (!strncmp(name, "hugepages-", 10) || !strncmp(name, "attachable-volumes-", 19)) return true;
    if (!strchr(name, '/')) return false;
    return strstr(name, "kubernetes.io/") || strncmp(name, "requests.", 9);
}

static ck_scalar *find(ck_scalar *a, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(a[i].name, name)) return &a[i];
    return NULL;
}

/* Sums (or raises to the max when take_max) each scalar of list into *a. */
static int merge(ck_scalar **a, size_t *n, const json_t *list, bool take_max)
{
    const char *k;
    json_t *v;
    json_object_foreach((json_t *)list, k, v) {
        if (!ck_is_scalar_resource(k) || !json_is_string(v)) continue;
        int64_t q = ck_quantity_value(json_string_value(v), 0);
        ck_scalar *s = find(*a, *n, k);
        if (s) {
            if (!take_max) s->value += q;
            else if (q > s->value) s->value = q;
            continue;
        }
        ck_scalar *na = realloc(*a, (*n + 1) * sizeof *na);
        if (!na) return -1;
        *a = na;
        na[(*n)++] = (ck_scalar){k, q};
    }
    return 0;
}

/* resource.PodRequests for scalars: the containers' sum, raised to any
 * single init container's request, plus spec.overhead. */
int ck_pod_scalar_requests(const json_t *spec, ck_scalar **out, size_t *nout)
{
    ck_scalar *a = NULL;
    size_t n = 0, i;
    json_t *c;
    int rc = 0;
    json_array_foreach(ck_json_path(spec, "containers"), i, c)
        if (rc == 0) rc = merge(&a, &n, ck_json_path(c, "resources.requests"), false);
    json_array_foreach(ck_json_path(spec, "initContainers"), i, c)
        if (rc == 0) rc = merge(&a, &n, ck_json_path(c, "resources.requests"), true);
    if (rc == 0) rc = merge(&a, &n, ck_json_path(spec, "overhead"), false);
    if (rc < 0) { free(a); return -1; }
    *out = a;
    *nout = n;
    return 0;
}

int ck_node_scalar_allocatable(const json_t *node, ck_scalar **out, size_t *nout)
{
    ck_scalar *a = NULL;
    size_t n = 0;
    if (merge(&a, &n, ck_json_path(node, "status.allocatable"), false) < 0) { free(a); return -1; }
    *out = a;
    *nout = n;
    return 0;
}

int64_t ck_scalar_get(const ck_scalar *a, size_t n, const char *name)
{
    const ck_scalar *s = find((ck_scalar *)a, n, name);
    return s ? s->value : 0;
}

/* NodeInfo.Requested.ScalarResources[name], summed from the pods on n so
 * that preemption's dry runs (remove / add pods) see it at once. */
int64_t ck_node_requested_scalar(const ck_node_info *n, const char *name)
{
    int64_t sum = 0;
    for (size_t i = 0; i < n->npods; i++)
        sum += ck_scalar_get(n->pods[i]->scalars, n->pods[i]->nscalars, name);
    return sum;
}
