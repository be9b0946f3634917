/* cloudprovider.c: the provider registry (cloud-provider's plugins.go:
 * RegisterCloudProvider, GetCloudProvider, InitCloudProvider) and helpers
 * every controller and provider shares (load balancer names, node addresses). */
#include "cloud-controller-manager/cloudprovider.h"
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include "util/ckjson.h"

extern const ck_cloud_ops ck_cloud_local_ops;
extern const ck_cloud_ops ck_cloud_fake_ops;

#define MAX_PROVIDERS 16
static const ck_cloud_ops *g_providers[MAX_PROVIDERS] = {&ck_cloud_local_ops, &ck_cloud_fake_ops};
static size_t g_nproviders = 2;
static pthread_mutex_t g_lock = PTHREAD_MUTEX_INITIALIZER;

int ck_cloud_register(const ck_cloud_ops *ops)
{
    int rc = -1;
    pthread_mutex_lock(&g_lock);
    bool taken = false;
    for (size_t i = 0; i < g_nproviders; i++) taken |= !strcmp(g_providers[i]->name, ops->name);
    /* upstream RegisterCloudProvider: "Cloud provider %q was registered twice" */
    if (!taken && g_nproviders < MAX_PROVIDERS) {
        g_providers[g_nproviders++] = ops;
        rc = 0;
    }
    pthread_mutex_unlock(&g_lock);
    return rc;
}

const ck_cloud_ops *ck_cloud_lookup(const char *name)
{
    const ck_cloud_ops *found = NULL;
    pthread_mutex_lock(&g_lock);
    for (size_t i = 0; name && i < g_nproviders && !found; i++)
        if (!strcmp(g_providers[i]->name, name)) found = g_providers[i];
    pthread_mutex_unlock(&g_lock);
    return found;
}

void ck_cloud_names(char *out, size_t outlen)
{
    size_t used = 0;
    if (outlen) out[0] = 0;
    pthread_mutex_lock(&g_lock);
    for (size_t i = 0; i < g_nproviders && used < outlen; i++) {
        int n = snprintf(out + used, outlen - used, "%s%s", i ? "," : "", g_providers[i]->name);
        if (n < 0) break;
        used += (size_t)n;
    }
    pthread_mutex_unlock(&g_lock);
}

int ck_cloud_open(const char *name, const ck_cloud_config *cfg, ck_cloud *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    const ck_cloud_ops *ops = ck_cloud_lookup(name);
    if (!ops) {
        /* upstream InitCloudProvider: "unknown cloud provider %q" */
        snprintf(err, errlen, "unknown cloud provider \"%s\"", name ? name : "");
        return -1;
    }
    void *self = NULL;
    if (ops->init && ops->init(cfg, &self, err, errlen) < 0) return -1;
    out->ops = ops;
    out->self = self;
    return 0;
}

void ck_cloud_close(ck_cloud *c)
{
    if (c->ops && c->ops->destroy) c->ops->destroy(c->self);
    c->ops = NULL;
    c->self = NULL;
}

void ck_cloud_default_lb_name(const json_t *svc, char *out, size_t outlen)
{
    /* cloud-provider/cloud.go DefaultLoadBalancerName: "a" + UID without
     * dashes, truncated to 32 (AWS's limit, kept by every provider). */
    char buf[64] = "a";
    size_t n = 1;
    for (const char *p = ck_json_str(svc, "metadata.uid", ""); *p && n < 32; p++)
        if (*p != '-') buf[n++] = *p;
    buf[n] = 0;
    snprintf(out, outlen, "%s", buf);
}

void ck_cloud_lb_name(const ck_cloud *c, const char *cluster, const json_t *svc, char *out, size_t outlen)
{
    if (c->ops->load_balancer && c->ops->load_balancer->get_name)
        c->ops->load_balancer->get_name(c->self, cluster, svc, out, outlen);
    else
        ck_cloud_default_lb_name(svc, out, outlen);
}

const char *ck_cloud_node_address(const json_t *node, const char *type)
{
    json_t *addrs = ck_json_path(node, "status.addresses"), *a;
    size_t i;
    json_array_foreach(addrs, i, a)
        if (!strcmp(ck_json_str(a, "type", ""), type)) return ck_json_str(a, "address", NULL);
    return NULL;
}

void ck_instance_add_address(ck_instance_metadata *md, const char *type, const char *address)
{
    if (md->n_addresses >= CK_CLOUD_MAX_ADDRS || !address || !*address) return;
    ck_node_address *a = &md->addresses[md->n_addresses++];
    snprintf(a->type, sizeof a->type, "%s", type);
    snprintf(a->address, sizeof a->address, "%s", address);
}
