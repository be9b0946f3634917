/* kinds.c: the table of every kind ckube serves (see kinds.h), with the
 * verbs, short names, categories, subresources and field selectors that
 * upstream discovery and the registries (pkg/registry/<group>/<kind>) show. */
#include "api/kinds.h"
#include <stdio.h>
#include <string.h>
#include "api/schemas/schemas.h"

#define LIST(...) ((const char *const[]){__VA_ARGS__, NULL})

/* Discovery verbs as a v1.3x apiserver lists them. */
static const char *const verbs_full[] = {"create", "delete", "deletecollection", "get",
                                         "list", "patch", "update", "watch", NULL};
/* namespaces have no deletecollection (pkg/registry/core/namespace/storage). */
static const char *const verbs_ns[] = {"create", "delete", "get", "list",
                                       "patch", "update", "watch", NULL};
static const char *const verbs_create[] = {"create", NULL};
static const char *const cat_all[] = {"all", NULL};

/* Field selectors beyond metadata.name/metadata.namespace, from each
 * registry's GetAttrs/ToSelectableFields (and the conversion funcs that
 * admit them in pkg/apis/<group>/v1/conversion.go). */
static const char *const fs_pods[] = {
    "spec.nodeName", "spec.restartPolicy", "spec.schedulerName", "spec.serviceAccountName",
    "spec.hostNetwork", "status.phase", "status.podIP", "status.podIPs",
    "status.nominatedNodeName", NULL};
static const char *const fs_events[] = {
    "involvedObject.kind", "involvedObject.namespace", "involvedObject.name",
    "involvedObject.uid", "involvedObject.apiVersion", "involvedObject.resourceVersion",
    "involvedObject.fieldPath", "reason", "reportingComponent", "source", "type", NULL};
/* events.k8s.io/v1 shares storage with core events; its objects name the
 * same fields regarding/reportingController (pkg/apis/events/v1). */
static const char *const fs_events_v1[] = {
    "regarding.kind", "regarding.namespace", "regarding.name", "regarding.uid",
    "regarding.apiVersion", "regarding.resourceVersion", "regarding.fieldPath",
    "reason", "reportingController", "type", NULL};

/* Reviews: never stored, answered by the registry's virtual_create. */
#define REVIEW_HOOKS(n) HOOKS(n), .virtual_kind = true
#define HOOKS(n) .root = &ck_schema_##n, .columns = ck_columns_##n, \
                 .defaults = ck_defaults_##n, .validate = ck_validate_##n

const ck_kind ck_kinds[] = {
    {.group = "", .version = "v1", .kind = "Namespace", .list_kind = "NamespaceList",
     .resource = "namespaces", .singular = "namespace", .namespaced = false,
     .short_names = LIST("ns"), .verbs = verbs_ns,
     .subresources = CK_SUB_STATUS | CK_SUB_FINALIZE,
     .field_selectors = LIST("status.phase"), .storage = "namespaces", HOOKS(namespace)},
    {.group = "", .version = "v1", .kind = "Pod", .list_kind = "PodList",
     .resource = "pods", .singular = "pod", .namespaced = true,
     .short_names = LIST("po"), .categories = cat_all, .verbs = verbs_full,
     /* upstream also serves attach and portforward; ckube does not (yet). */
     .subresources = CK_SUB_STATUS | CK_SUB_BINDING | CK_SUB_LOG | CK_SUB_EXEC | CK_SUB_PROXY |
                     CK_SUB_EVICTION | CK_SUB_EPHEMERAL,
     .field_selectors = fs_pods, .storage = "pods",
     /* metadata.generation on pods (KEP-5067, PodObservedGenerationTracking, 1.33+). */
     .generation_field = "spec", HOOKS(pod)},
    {.group = "", .version = "v1", .kind = "Node", .list_kind = "NodeList",
     .resource = "nodes", .singular = "node", .namespaced = false,
     .short_names = LIST("no"), .verbs = verbs_full,
     .subresources = CK_SUB_STATUS | CK_SUB_PROXY,
     .field_selectors = LIST("spec.unschedulable"), .storage = "minions", HOOKS(node)},
    {.group = "", .version = "v1", .kind = "Service", .list_kind = "ServiceList",
     .resource = "services", .singular = "service", .namespaced = true,
     .short_names = LIST("svc"), .categories = cat_all, .verbs = verbs_full,
     .subresources = CK_SUB_STATUS | CK_SUB_PROXY, .storage = "services/specs", HOOKS(service)},
    {.group = "", .version = "v1", .kind = "Endpoints", .list_kind = "EndpointsList",
     .resource = "endpoints", .singular = "endpoints", .namespaced = true,
     .short_names = LIST("ep"), .verbs = verbs_full, .storage = "services/endpoints",
     HOOKS(endpoints)},
    {.group = "", .version = "v1", .kind = "ConfigMap", .list_kind = "ConfigMapList",
     .resource = "configmaps", .singular = "configmap", .namespaced = true,
     .short_names = LIST("cm"), .verbs = verbs_full, .storage = "configmaps", HOOKS(configmap)},
    {.group = "", .version = "v1", .kind = "Secret", .list_kind = "SecretList",
     .resource = "secrets", .singular = "secret", .namespaced = true, .verbs = verbs_full,
     .field_selectors = LIST("type"), .storage = "secrets", HOOKS(secret)},
    {.group = "", .version = "v1", .kind = "ServiceAccount", .list_kind = "ServiceAccountList",
     .resource = "serviceaccounts", .singular = "serviceaccount", .namespaced = true,
     .short_names = LIST("sa"), .verbs = verbs_full, .storage = "serviceaccounts",
     .subresources = CK_SUB_TOKEN, HOOKS(serviceaccount)},
    {.group = "", .version = "v1", .kind = "Event", .list_kind = "EventList",
     .resource = "events", .singular = "event", .namespaced = true,
     .short_names = LIST("ev"), .verbs = verbs_full, .field_selectors = fs_events,
     .storage = "events", HOOKS(event)},
    {.group = "", .version = "v1", .kind = "ReplicationController",
     .list_kind = "ReplicationControllerList", .resource = "replicationcontrollers",
     .singular = "replicationcontroller", .namespaced = true, .short_names = LIST("rc"),
     .categories = cat_all, .verbs = verbs_full, .subresources = CK_SUB_STATUS | CK_SUB_SCALE,
     .field_selectors = LIST("status.replicas"), .storage = "controllers",
     .generation_field = "spec", HOOKS(replicationcontroller)},
    {.group = "", .version = "v1", .kind = "PodTemplate", .list_kind = "PodTemplateList",
     .resource = "podtemplates", .singular = "podtemplate", .namespaced = true,
     .verbs = verbs_full, .storage = "podtemplates",
     /* pkg/registry/core/podtemplate/strategy.go bumps generation on template changes. */
     .generation_field = "template", HOOKS(podtemplate)},
    {.group = "", .version = "v1", .kind = "Binding", .list_kind = "BindingList",
     .resource = "bindings", .singular = "binding", .namespaced = true, .verbs = verbs_create,
     .storage = "bindings", HOOKS(binding)},
    {.group = "apps", .version = "v1", .kind = "ReplicaSet", .list_kind = "ReplicaSetList",
     .resource = "replicasets", .singular = "replicaset", .namespaced = true,
     .short_names = LIST("rs"), .categories = cat_all, .verbs = verbs_full,
     .subresources = CK_SUB_STATUS | CK_SUB_SCALE, .field_selectors = LIST("status.replicas"),
     .storage = "replicasets", .generation_field = "spec", HOOKS(replicaset)},
    {.group = "apps", .version = "v1", .kind = "Deployment", .list_kind = "DeploymentList",
     .resource = "deployments", .singular = "deployment", .namespaced = true,
     .short_names = LIST("deploy"), .categories = cat_all, .verbs = verbs_full,
     .subresources = CK_SUB_STATUS | CK_SUB_SCALE, .storage = "deployments",
     .generation_field = "spec", HOOKS(deployment)},
    {.group = "coordination.k8s.io", .version = "v1", .kind = "Lease", .list_kind = "LeaseList",
     .resource = "leases", .singular = "lease", .namespaced = true, .verbs = verbs_full,
     .storage = "leases", HOOKS(lease)},
    {.group = "events.k8s.io", .version = "v1", .kind = "Event", .list_kind = "EventList",
     .resource = "events", .singular = "event", .namespaced = true,
     .short_names = LIST("ev"), .verbs = verbs_full, .field_selectors = fs_events_v1,
     .storage = "events", HOOKS(events_v1_event)},
    /* ---- h20: the wider API surface (upstream discovery's verbs and short names) ---- */
    {.group = "", .version = "v1", .kind = "ResourceQuota", .list_kind = "ResourceQuotaList",
     .resource = "resourcequotas", .singular = "resourcequota", .namespaced = true,
     .short_names = LIST("quota"), .verbs = verbs_full, .subresources = CK_SUB_STATUS,
     .storage = "resourcequotas", HOOKS(resourcequota)},
    {.group = "", .version = "v1", .kind = "LimitRange", .list_kind = "LimitRangeList",
     .resource = "limitranges", .singular = "limitrange", .namespaced = true,
     .short_names = LIST("limits"), .verbs = verbs_full, .storage = "limitranges", HOOKS(limitrange)},
    {.group = "apps", .version = "v1", .kind = "DaemonSet", .list_kind = "DaemonSetList",
     .resource = "daemonsets", .singular = "daemonset", .namespaced = true,
     .short_names = LIST("ds"), .categories = cat_all, .verbs = verbs_full, .subresources = CK_SUB_STATUS,
     .storage = "daemonsets", .generation_field = "spec", HOOKS(daemonset)},
    {.group = "apps", .version = "v1", .kind = "StatefulSet", .list_kind = "StatefulSetList",
     .resource = "statefulsets", .singular = "statefulset", .namespaced = true,
     .short_names = LIST("sts"), .categories = cat_all, .verbs = verbs_full,
     .subresources = CK_SUB_STATUS | CK_SUB_SCALE, .storage = "statefulsets", .generation_field = "spec",
     HOOKS(statefulset)},
    {.group = "apps", .version = "v1", .kind = "ControllerRevision", .list_kind = "ControllerRevisionList",
     .resource = "controllerrevisions", .singular = "controllerrevision", .namespaced = true,
     .verbs = verbs_full, .storage = "controllerrevisions", HOOKS(controllerrevision)},
    {.group = "batch", .version = "v1", .kind = "Job", .list_kind = "JobList",
     .resource = "jobs", .singular = "job", .namespaced = true, .categories = cat_all, .verbs = verbs_full,
     .subresources = CK_SUB_STATUS, .field_selectors = LIST("status.successful"), .storage = "jobs",
     .generation_field = "spec", HOOKS(job)},
    {.group = "batch", .version = "v1", .kind = "CronJob", .list_kind = "CronJobList",
     .resource = "cronjobs", .singular = "cronjob", .namespaced = true, .short_names = LIST("cj"),
     .categories = cat_all, .verbs = verbs_full, .subresources = CK_SUB_STATUS, .storage = "cronjobs",
     .generation_field = "spec", HOOKS(cronjob)},
    {.group = "policy", .version = "v1", .kind = "PodDisruptionBudget", .list_kind = "PodDisruptionBudgetList",
     .resource = "poddisruptionbudgets", .singular = "poddisruptionbudget", .namespaced = true,
     .short_names = LIST("pdb"), .verbs = verbs_full, .subresources = CK_SUB_STATUS,
     .storage = "poddisruptionbudgets", .generation_field = "spec", HOOKS(poddisruptionbudget)},
    {.group = "scheduling.k8s.io", .version = "v1", .kind = "PriorityClass", .list_kind = "PriorityClassList",
     .resource = "priorityclasses", .singular = "priorityclass", .namespaced = false,
     .short_names = LIST("pc"), .verbs = verbs_full, .storage = "priorityclasses", HOOKS(priorityclass)},
    {.group = "node.k8s.io", .version = "v1", .kind = "RuntimeClass", .list_kind = "RuntimeClassList",
     .resource = "runtimeclasses", .singular = "runtimeclass", .namespaced = false, .verbs = verbs_full,
     .storage = "runtimeclasses", HOOKS(runtimeclass)},
    {.group = "discovery.k8s.io", .version = "v1", .kind = "EndpointSlice", .list_kind = "EndpointSliceList",
     .resource = "endpointslices", .singular = "endpointslice", .namespaced = true, .verbs = verbs_full,
     .storage = "endpointslices", HOOKS(endpointslice)},
    /* upstream keeps Ingresses under /registry/ingress (pkg/registry/networking/ingress/storage). */
    {.group = "networking.k8s.io", .version = "v1", .kind = "Ingress", .list_kind = "IngressList",
     .resource = "ingresses", .singular = "ingress", .namespaced = true, .short_names = LIST("ing"),
     .verbs = verbs_full, .subresources = CK_SUB_STATUS, .storage = "ingress", .generation_field = "spec",
     HOOKS(ingress)},
    {.group = "networking.k8s.io", .version = "v1", .kind = "IngressClass", .list_kind = "IngressClassList",
     .resource = "ingressclasses", .singular = "ingressclass", .namespaced = false, .verbs = verbs_full,
     .storage = "ingressclasses", HOOKS(ingressclass)},
    {.group = "networking.k8s.io", .version = "v1", .kind = "NetworkPolicy", .list_kind = "NetworkPolicyList",
     .resource = "networkpolicies", .singular = "networkpolicy", .namespaced = true,
     .short_names = LIST("netpol"), .verbs = verbs_full, .storage = "networkpolicies",
     .generation_field = "spec", HOOKS(networkpolicy)},
    /* Reviews: create only, never stored (apiserver/registry/review.c answers them). */
    {.group = "authorization.k8s.io", .version = "v1", .kind = "SelfSubjectAccessReview",
     .list_kind = "SelfSubjectAccessReviewList", .resource = "selfsubjectaccessreviews",
     .singular = "selfsubjectaccessreview", .namespaced = false, .verbs = verbs_create,
     .storage = "selfsubjectaccessreviews",  REVIEW_HOOKS(selfsubjectaccessreview)},
    {.group = "authorization.k8s.io", .version = "v1", .kind = "SelfSubjectRulesReview",
     .list_kind = "SelfSubjectRulesReviewList", .resource = "selfsubjectrulesreviews",
     .singular = "selfsubjectrulesreview", .namespaced = false, .verbs = verbs_create,
     .storage = "selfsubjectrulesreviews",  REVIEW_HOOKS(selfsubjectrulesreview)},
    {.group = "authorization.k8s.io", .version = "v1", .kind = "SubjectAccessReview",
     .list_kind = "SubjectAccessReviewList", .resource = "subjectaccessreviews",
     .singular = "subjectaccessreview", .namespaced = false, .verbs = verbs_create,
     .storage = "subjectaccessreviews",  REVIEW_HOOKS(subjectaccessreview)},
    {.group = "authorization.k8s.io", .version = "v1", .kind = "LocalSubjectAccessReview",
     .list_kind = "LocalSubjectAccessReviewList", .resource = "localsubjectaccessreviews",
     .singular = "localsubjectaccessreview", .namespaced = true, .verbs = verbs_create,
     .storage = "localsubjectaccessreviews",  REVIEW_HOOKS(localsubjectaccessreview)},
    {.group = "authentication.k8s.io", .version = "v1", .kind = "SelfSubjectReview",
     .list_kind = "SelfSubjectReviewList", .resource = "selfsubjectreviews", .singular = "selfsubjectreview",
     .namespaced = false, .verbs = verbs_create, .storage = "selfsubjectreviews", 
     REVIEW_HOOKS(selfsubjectreview)},
    {.group = "authentication.k8s.io", .version = "v1", .kind = "TokenReview", .list_kind = "TokenReviewList",
     .resource = "tokenreviews", .singular = "tokenreview", .namespaced = false, .verbs = verbs_create,
     .storage = "tokenreviews", REVIEW_HOOKS(tokenreview)},
};
const size_t ck_kinds_count = sizeof ck_kinds / sizeof ck_kinds[0];

const ck_kind *ck_kind_by_resource(const char *group, const char *version, const char *resource)
{
    if (!resource) return NULL;
    for (size_t i = 0; i < ck_kinds_count; i++) {
        const ck_kind *k = &ck_kinds[i];
        if (strcmp(k->group, group ? group : "") != 0) continue;
        if (version && strcmp(k->version, version) != 0) continue;
        if (strcmp(k->resource, resource) == 0) return k;
    }
    return NULL;
}

const ck_kind *ck_kind_by_kind(const char *group, const char *kind)
{
    if (!kind) return NULL;
    for (size_t i = 0; i < ck_kinds_count; i++)
        if (strcmp(ck_kinds[i].group, group ? group : "") == 0 &&
            strcmp(ck_kinds[i].kind, kind) == 0)
            return &ck_kinds[i];
    return NULL;
}

char *ck_kind_api_version(const ck_kind *k, char *out, size_t n)
{
    if (k->group[0]) snprintf(out, n, "%s/%s", k->group, k->version);
    else snprintf(out, n, "%s", k->version);
    return out;
}

static const ck_field *field_named(const ck_field *list, const char *name, size_t len)
{
    for (const ck_field *f = list; f && f->name; f++)
        if (strlen(f->name) == len && strncmp(f->name, name, len) == 0) return f;
    return NULL;
}

const ck_field *ck_schema_lookup(const ck_field *root, const char *dotted)
{
    const ck_field *cur = root;
    const char *p = dotted;
    while (cur && p && *p) {
        while (cur->type == CK_ARRAY && cur->items) cur = cur->items;
        const char *dot = strchr(p, '.');
        size_t n = dot ? (size_t)(dot - p) : strlen(p);
        if (cur->type == CK_MAP) cur = cur->items;
        else if (cur->type == CK_OBJECT) cur = field_named(cur->fields, p, n);
        else return NULL;
        p = dot ? dot + 1 : NULL;
    }
    return cur;
}
