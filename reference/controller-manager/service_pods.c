/* service_pods.c: Service <-> pod membership from the informers' caches. */
#include "controller-manager/service_pods.h"
#include "util/ckjson.h"

ck_label_selector *ck_service_selector(const json_t *svc)
{
    json_t *sel = ck_json_path(svc, "spec.selector");
    if (!json_object_size(sel)) return NULL;
    json_t *ls = json_pack("{s:O}", "matchLabels", sel);
    char err[128];
    ck_label_selector *s = ls ? ck_label_selector_from_json(ls, err, sizeof err) : NULL;
    json_decref(ls);
    return s;
}

typedef struct sel_ctx { const char *ns; const ck_label_selector *sel; } sel_ctx;

static bool pod_selected(const json_t *pod, void *ud)
{
    const sel_ctx *x = ud;
    return ck_in_namespace(pod, (void *)x->ns) && ck_label_selector_matches(x->sel, ck_json_path(pod, "metadata.labels"));
}

json_t *ck_service_pods(ck_informer *pods, const char *ns, const ck_label_selector *sel)
{
    sel_ctx x = {ns, sel};
    return ck_informer_list(pods, pod_selected, &x);
}

void ck_enqueue_services_of_pod(ck_informer *services, ck_workers *w, const json_t *pod)
{
    json_t *svcs = ck_informer_list(services, ck_in_namespace, (void *)ck_json_str(pod, "metadata.namespace", ""));
    size_t i;
    json_t *svc;
    json_array_foreach(svcs, i, svc) {
        ck_label_selector *s = ck_service_selector(svc);
        if (s && ck_label_selector_matches(s, ck_json_path(pod, "metadata.labels"))) ck_workers_enqueue(w, svc);
        ck_label_selector_free(s);
    }
    json_decref(svcs);
}
