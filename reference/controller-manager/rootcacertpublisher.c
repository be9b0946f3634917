/* rootcacertpublisher.c: the root CA certificate publisher (pkg/controller/
 * certificates/rootcacertpublisher): ConfigMap "kube-root-ca.crt" with the
 * apiserver's CA bundle under "ca.crt" in every namespace, restored if edited. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "controller-manager/controller.h"
#include "controller-manager/controllers.h"
#include "store/base64.h"
#include "util/ckjson.h"
#include "util/log.h"

#define RootCACertConfigMapName "kube-root-ca.crt"
#define DescriptionAnnotation "kubernetes.io/description"
/* publisher.go's annotation text */
#define Description                                                                                           \
    "Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as " \
    "the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of " \
    "Kubernetes clusters."

typedef struct ca_ctrl {
    ck_rest *rest;
    ck_workers w;
    ck_informer *nsinf, *cminf;
    char *ca;  /* PEM bundle published */
} ca_ctrl;

/* Without --root-ca-file there is no CA to publish: a deterministic
 * placeholder PEM block (not a parseable certificate) keeps the ConfigMap's
 * shape, stable across restarts. Caller frees. */
static char *placeholder_pem(void)
{
    static const char text[] = "ckube placeholder root CA: the controller-manager was started without "
                               "--root-ca-file, so no real CA bundle is published.";
    char *b64 = ck_base64_encode(text, sizeof text - 1, NULL);
    if (!b64) return NULL;
    size_t n = strlen(b64), cap = n + n / 64 + 128;
    char *pem = malloc(cap);
    if (pem) {
        size_t off = (size_t)snprintf(pem, cap, "-----BEGIN CERTIFICATE-----\n");
        for (size_t i = 0; i < n; i += 64)
            off += (size_t)snprintf(pem + off, cap - off, "%.64s\n", b64 + i);
        snprintf(pem + off, cap - off, "-----END CERTIFICATE-----\n");
    }
    free(b64);
    return pem;
}

static char *read_file(const char *path, char *err, size_t errlen)
{
    FILE *f = fopen(path, "rb");
    if (!f) { snprintf(err, errlen, "cannot read --root-ca-file %s", path); return NULL; }
    char *buf = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&buf, &len);
    char chunk[4096];
    size_t k;
    while (m && (k = fread(chunk, 1, sizeof chunk, f)) > 0) fwrite(chunk, 1, k, m);
    if (m) fclose(m);
    fclose(f);
    return buf;
}

/* syncNamespace: create the ConfigMap, or reset data + annotation if changed. */
static long ca_sync(void *self, const char *ns)
{
    ca_ctrl *c = self;
    json_t *nsobj = ck_informer_get(c->nsinf, ns);
    if (!nsobj) return CK_SYNC_OK;
    json_decref(nsobj);
    char key[512];
    snprintf(key, sizeof key, "%s/%s", ns, RootCACertConfigMapName);
    json_t *cm = ck_informer_get(c->cminf, key);
    ck_resource_ref ref = {"", "v1", "configmaps", ns, NULL, NULL};
    ck_response r = {0};
    long rc = CK_SYNC_OK;
    if (!cm) {
        json_t *body = json_pack("{s:s,s:s,s:{s:s,s:{s:s}},s:{s:s}}", "apiVersion", "v1", "kind", "ConfigMap",
                                 "metadata", "name", RootCACertConfigMapName, "annotations",
                                 DescriptionAnnotation, Description, "data", "ca.crt", c->ca);
        /* NotFound / Forbidden (terminating namespace) are ignored, as upstream */
        if (!body || (ck_rest_create(c->rest, &ref, body, &r) < 0 && r.code != 404 && r.code != 403 &&
                      r.code != 409))
            rc = CK_SYNC_RETRY;
        json_decref(body);
        ck_response_clear(&r);
        return rc;
    }
    json_t *want = json_pack("{s:s}", "ca.crt", c->ca);
    /* the annotation key contains dots: look it up directly */
    json_t *ann = ck_json_path(cm, "metadata.annotations");
    bool same = ck_json_equal(json_object_get(cm, "data"), want) && json_object_get(ann, DescriptionAnnotation);
    if (!same) {
        json_t *upd = json_deep_copy(cm);
        json_t *a = upd ? ck_json_ensure_object(upd, "metadata.annotations") : NULL;
        if (!a || json_object_set_new(a, DescriptionAnnotation, json_string(Description)) ||
            json_object_set(upd, "data", want)) {
            rc = CK_SYNC_RETRY;
        } else {
            ref.name = RootCACertConfigMapName;
            if (ck_rest_update(c->rest, &ref, upd, &r) < 0 && r.code != 404 && r.code != 403) rc = CK_SYNC_RETRY;
            ck_response_clear(&r);
        }
        json_decref(upd);
    }
    json_decref(want);
    json_decref(cm);
    return rc;
}

static void ns_add(json_t *obj, void *ud) { ck_workers_enqueue(&((ca_ctrl *)ud)->w, obj); }
static void ns_update(json_t *old, json_t *obj, void *ud) { ns_add(obj, ud); }
static void cm_changed(json_t *obj, void *ud)
{
    if (!strcmp(ck_json_str(obj, "metadata.name", ""), RootCACertConfigMapName))
        ck_workqueue_add(((ca_ctrl *)ud)->w.queue, ck_json_str(obj, "metadata.namespace", ""));
}
static void cm_update(json_t *old, json_t *obj, void *ud) { cm_changed(obj, ud); }

static void ca_stop(void *h)
{
    ca_ctrl *c = h;
    if (!c) return;
    ck_informers_free((ck_informer *[]){c->nsinf, c->cminf}, 2);
    ck_workers_stop(&c->w);
    free(c->ca);
    free(c);
}

static void *ca_start(const ck_cm_ctx *ctx, char *err, size_t errlen)
{
    ca_ctrl *c = calloc(1, sizeof *c);
    if (!c) return NULL;
    c->rest = ctx->rest;
    c->ca = ctx->root_ca_file ? read_file(ctx->root_ca_file, err, errlen) : placeholder_pem();
    if (!c->ca || ck_workers_init(&c->w, "root_ca_cert_publisher", ca_sync, c) < 0) { ca_stop(c); return NULL; }
    ck_informer_handlers ch = {NULL, cm_update, cm_changed, c};
    ck_informer_opts o = {.group = "", .version = "v1", .resource = "configmaps",
                          .field_selector = "metadata.name=" RootCACertConfigMapName};
    c->cminf = ck_informer_new(ctx->rest, &o, &ch, err, errlen);
    if (c->cminf && ck_informer_start(c->cminf) == 0) ck_informer_wait_synced(c->cminf, 30000);
    ck_informer_handlers nh = {ns_add, ns_update, NULL, c};
    if (c->cminf) c->nsinf = ck_controller_informer(ctx->rest, "", "v1", "namespaces", &nh, err, errlen);
    if (!c->nsinf || ck_workers_run(&c->w, ctx->workers ? ctx->workers : 1) < 0) { ca_stop(c); return NULL; }
    return c;
}

const ck_cm_controller ck_cm_rootcacertpublisher_controller = {"root-ca-cert-publisher", ca_start, ca_stop};
