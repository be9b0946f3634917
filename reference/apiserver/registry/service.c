/* service.c: the Service strategy (pkg/registry/core/service/storage):
 * ClusterIP and NodePort allocation on create and type changes, release on
 * delete, with upstream's "provided ... is already allocated" errors. */
#include <stdio.h>
#include <string.h>
#include "apiserver/registry/allocator.h"
#include "apiserver/registry/registry.h"
#include "util/ckjson.h"

static bool wants_node_ports(const json_t *svc)
{
    const char *t = ck_json_str(svc, "spec.type", "ClusterIP");
    return strcmp(t, "NodePort") == 0 || strcmp(t, "LoadBalancer") == 0;
}

static bool wants_cluster_ip(const json_t *svc)
{
    return strcmp(ck_json_str(svc, "spec.type", "ClusterIP"), "ExternalName") != 0 &&
           strcmp(ck_json_str(svc, "spec.clusterIP", ""), "None") != 0;
}

static bool port_in(const json_t *svc, long long port)
{
    size_t i;
    json_t *p;
    json_array_foreach(ck_json_path(svc, "spec.ports"), i, p) if (ck_json_int(p, "nodePort", 0) == port) return true;
    return false;
}

static int invalid(ck_handler *ctx, const json_t *svc, const char *field, json_t *value, const char *detail)
{
    ck_errs errs = CK_ERRS_INIT;
    ck_errs_invalid(&errs, field, value, detail);
    json_decref(value);
    ck_status_invalid(&ctx->st, "", "Service", ck_json_str(svc, "metadata.name", ""), &errs);
    ck_errs_free(&errs);
    return -1;
}

static void release(ck_handler *ctx, const json_t *svc, const json_t *keep)
{
    const char *ip = ck_json_str(svc, "spec.clusterIP", "");
    if (*ip && strcmp(ip, "None") != 0 && (!keep || strcmp(ip, ck_json_str(keep, "spec.clusterIP", "")) != 0))
        ck_ipalloc_release(ctx->s->cluster_ips, ip);
    size_t i;
    json_t *p;
    json_array_foreach(ck_json_path(svc, "spec.ports"), i, p) {
        long long np = ck_json_int(p, "nodePort", 0);
        if (np && (!keep || !port_in(keep, np))) ck_portalloc_release(ctx->s->node_ports, (int)np);
    }
}

static int before_write(ck_handler *ctx, const json_t *old, json_t *svc)
{
    json_t *spec = ck_json_ensure_object(svc, "spec");
    if (wants_cluster_ip(svc) && (!old || !wants_cluster_ip(old))) {
        const char *ip = ck_json_str(spec, "clusterIP", "");
        char buf[16];
        if (*ip) {
            int rc = ck_ipalloc_allocate(ctx->s->cluster_ips, ip);
            if (rc < 0) {
                char detail[160];
                snprintf(detail, sizeof detail, rc == -1 ? "failed to allocate IP %s: provided IP is already allocated"
                                                         : "failed to allocate IP %s: the provided IP (%s) is not in the valid range. The range of valid IPs is %s",
                         ip, ip, ck_ipalloc_cidr(ctx->s->cluster_ips));
                return invalid(ctx, svc, "spec.clusterIPs", json_pack("[s]", ip), detail);
            }
        } else {
            if (ck_ipalloc_allocate_next(ctx->s->cluster_ips, buf) < 0) {
                ck_status_internal(&ctx->st, "failed to allocate a serviceIP: range is full");
                return -1;
            }
            json_object_set_new(spec, "clusterIP", json_string(buf));
            ip = buf;
        }
        json_object_set_new(spec, "clusterIPs", json_pack("[s]", ck_json_str(spec, "clusterIP", "")));
    } else if (!wants_cluster_ip(svc) && (!old || wants_cluster_ip(old)) &&
               strcmp(ck_json_str(spec, "clusterIP", ""), "None") == 0) {
        json_object_set_new(spec, "clusterIPs", json_pack("[s]", "None"));
    }
    size_t i;
    json_t *p;
    json_array_foreach(json_object_get(spec, "ports"), i, p) {
        long long np = ck_json_int(p, "nodePort", 0);
        char field[64];
        snprintf(field, sizeof field, "spec.ports[%zu].nodePort", i);
        if (!wants_node_ports(svc)) {
            json_object_del(p, "nodePort");
            continue;
        }
        if (np && old && port_in(old, np)) continue;
        if (np) {
            int rc = ck_portalloc_allocate(ctx->s->node_ports, (int)np);
            if (rc < 0) {
                int lo, hi;
                char detail[128];
                ck_portalloc_range(ctx->s->node_ports, &lo, &hi);
                if (rc == -1) snprintf(detail, sizeof detail, "provided port is already allocated");
                else snprintf(detail, sizeof detail, "provided port is not in the valid range. The range of valid ports is %d-%d", lo, hi);
                release(ctx, svc, old);
                return invalid(ctx, svc, field, json_integer(np), detail);
            }
        } else {
            int port = ck_portalloc_allocate_next(ctx->s->node_ports);
            if (port < 0) {
                release(ctx, svc, old);
                ck_status_internal(&ctx->st, "failed to allocate a nodePort: range is full");
                return -1;
            }
            json_object_set_new(p, "nodePort", json_integer(port));
        }
    }
    if (old) release(ctx, old, svc); /* what the update dropped */
    return 0;
}

static void abort_write(ck_handler *ctx, const json_t *old, const json_t *svc) { release(ctx, svc, old); }

static void after_delete(ck_handler *ctx, const json_t *svc) { release(ctx, svc, NULL); }

/* An update that leaves out allocated values keeps them
 * (pkg/registry/core/service/storage patchAllocatedValues). */
static int prepare_update(ck_handler *ctx, const json_t *old, json_t *svc)
{
    json_t *spec = ck_json_ensure_object(svc, "spec");
    /* dropTypeDependentFields (registry/core/service/storage): a Service that
     * becomes ExternalName loses the cluster IPs and node ports it still
     * carries from before, when the client left them as they were. */
    if (!wants_cluster_ip(svc) && strcmp(ck_json_str(svc, "spec.type", ""), "ExternalName") == 0 &&
        wants_cluster_ip(old) && !strcmp(ck_json_str(spec, "clusterIP", ""), ck_json_str(old, "spec.clusterIP", ""))) {
        /* sessionAffinity stays: validation requires it of every type */
        static const char *const drop[] = {"clusterIP", "clusterIPs", "ipFamilies", "ipFamilyPolicy",
                                           "internalTrafficPolicy"};
        for (size_t i = 0; i < sizeof drop / sizeof drop[0]; i++) json_object_del(spec, drop[i]);
        size_t i;
        json_t *p;
        json_array_foreach(json_object_get(spec, "ports"), i, p) json_object_del(p, "nodePort");
        return 0;
    }
    if (wants_cluster_ip(old) && wants_cluster_ip(svc) && !*ck_json_str(spec, "clusterIP", "")) {
        json_object_set_new(spec, "clusterIP", json_string(ck_json_str(old, "spec.clusterIP", "")));
        json_t *ips = ck_json_path(old, "spec.clusterIPs");
        if (ips) json_object_set_new(spec, "clusterIPs", json_deep_copy(ips));
    }
    if (!wants_node_ports(old) || !wants_node_ports(svc)) return 0;
    size_t i, j;
    json_t *p, *op;
    json_array_foreach(json_object_get(spec, "ports"), i, p) {
        if (ck_json_int(p, "nodePort", 0)) continue;
        json_array_foreach(ck_json_path(old, "spec.ports"), j, op) {
            if (ck_json_int(op, "port", -1) == ck_json_int(p, "port", -2) &&
                strcmp(ck_json_str(op, "protocol", "TCP"), ck_json_str(p, "protocol", "TCP")) == 0 &&
                ck_json_int(op, "nodePort", 0)) {
                json_object_set_new(p, "nodePort", json_integer(ck_json_int(op, "nodePort", 0)));
                break;
            }
        }
    }
    return 0;
}

const ck_strategy ck_strategy_services = {
    .prepare_update = prepare_update,
    .resource = "services",
    .allow_create_on_update = true,
    .before_write = before_write,
    .abort_write = abort_write,
    .after_delete = after_delete,
};
