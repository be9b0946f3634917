/* route.c: the route controller (k8s.io/cloud-provider/controllers/route/
 * route_controller.go): one cloud route per node podCIDR, stale routes
 * removed, and the node's NetworkUnavailable condition set False
 * ("RouteCreated") once its routes exist. Runs every
 * --route-reconciliation-period and on node changes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cloud-controller-manager/controllers.h"
#include "node/cidr.h"
#include "util/ckjson.h"
#include "util/log.h"
#include "util/timeutil.h"

#define RECONCILE_KEY "reconcile"

typedef struct route_ctrl {
    const ck_ccm_ctx *ctx;
    ck_workers w;
    ck_informer *inf;
    ck_ccm_ticker tick;
} route_ctrl;

/* The node's podCIDRs: spec.podCIDRs, or spec.podCIDR on older objects. */
static json_t *pod_cidrs(const json_t *node)
{
    json_t *l = ck_json_path(node, "spec.podCIDRs");
    if (json_array_size(l)) return json_incref(l);
    const char *one = ck_json_str(node, "spec.podCIDR", "");
    return *one ? json_pack("[s]", one) : json_array();
}

/* A route belongs to a node by name, or, when the provider cannot name the
 * target, by one of the node's addresses. */
static bool route_targets(const ck_route *r, const json_t *node)
{
    if (r->target_node[0]) return !strcmp(r->target_node, ck_json_str(node, "metadata.name", ""));
    json_t *addrs = ck_json_path(node, "status.addresses"), *a;
    size_t i;
    json_array_foreach(addrs, i, a)
        for (size_t k = 0; k < r->n_target_addresses; k++)
            if (!strcmp(r->target_addresses[k].address, ck_json_str(a, "address", ""))) return true;
    return false;
}

/* isResponsibleForRoute: the route's CIDR lies inside --cluster-cidr. */
static bool responsible(const char *cluster_cidr, const char *dst)
{
    if (!cluster_cidr || !*cluster_cidr) return true;
    ck_cidr cl, d;
    if (ck_cidr_parse(cluster_cidr, &cl) < 0 || ck_cidr_parse(dst, &d) < 0) return false;
    uint32_t mask = cl.prefix ? 0xffffffffu << (32 - cl.prefix) : 0;
    return d.prefix >= cl.prefix && (d.net & mask) == cl.net;
}

static int push(ck_route **arr, size_t *n, const ck_route *r)
{
    ck_route *g = realloc(*arr, (*n + 1) * sizeof *g);
    if (!g) return -1;
    g[(*n)++] = *r;
    *arr = g;
    return 0;
}

static void fill_route(ck_route *r, const json_t *node, const char *cidr)
{
    memset(r, 0, sizeof *r);
    snprintf(r->name, sizeof r->name, "%s", ck_json_str(node, "metadata.uid", ""));  /* nameHint = node UID */
    snprintf(r->target_node, sizeof r->target_node, "%s", ck_json_str(node, "metadata.name", ""));
    snprintf(r->destination_cidr, sizeof r->destination_cidr, "%s", cidr);
    json_t *addrs = ck_json_path(node, "status.addresses"), *a;
    size_t i;
    json_array_foreach(addrs, i, a) {
        if (r->n_target_addresses == CK_CLOUD_MAX_ADDRS) break;
        ck_node_address *t = &r->target_addresses[r->n_target_addresses++];
        snprintf(t->type, sizeof t->type, "%s", ck_json_str(a, "type", ""));
        snprintf(t->address, sizeof t->address, "%s", ck_json_str(a, "address", ""));
    }
}

int ck_ccm_route_plan(const json_t *nodes, const ck_route *routes, size_t n_routes, const char *cluster_cidr,
                      ck_route_plan *plan)
{
    memset(plan, 0, sizeof *plan);
    json_t *node;
    size_t i;
    json_array_foreach(nodes, i, node) {
        json_t *cidrs = pod_cidrs(node), *c;
        size_t j;
        json_array_foreach(cidrs, j, c) {
            bool have = false;
            for (size_t k = 0; k < n_routes && !have; k++)
                have = !routes[k].blackhole && !strcmp(routes[k].destination_cidr, json_string_value(c)) &&
                       route_targets(&routes[k], node);
            ck_route r;
            fill_route(&r, node, json_string_value(c));
            if (!have && push(&plan->create, &plan->n_create, &r) < 0) {
                json_decref(cidrs);
                goto oom;
            }
        }
        json_decref(cidrs);
    }
    for (size_t k = 0; k < n_routes; k++) {
        if (!responsible(cluster_cidr, routes[k].destination_cidr)) continue;
        bool wanted = false;
        json_array_foreach(nodes, i, node) {
            json_t *cidrs = pod_cidrs(node), *c;
            size_t j;
            json_array_foreach(cidrs, j, c)
                wanted |= !strcmp(routes[k].destination_cidr, json_string_value(c)) && route_targets(&routes[k], node);
            json_decref(cidrs);
        }
        if ((routes[k].blackhole || !wanted) && push(&plan->remove, &plan->n_remove, &routes[k]) < 0) goto oom;
    }
    return 0;
oom:
    ck_route_plan_clear(plan);
    return -1;
}

void ck_route_plan_clear(ck_route_plan *plan)
{
    free(plan->create);
    free(plan->remove);
    memset(plan, 0, sizeof *plan);
}

/* updateNetworkingCondition: NetworkUnavailable False, reason RouteCreated. */
static void mark_network_available(route_ctrl *c, const char *name)
{
    ck_response r = {0};
    ck_resource_ref ref = {"", "v1", "nodes", NULL, name, "status"};
    if (ck_rest_get(c->ctx->rest, &(ck_resource_ref){"", "v1", "nodes", NULL, name, NULL}, &r) < 0) {
        ck_response_clear(&r);
        return;
    }
    json_t *node = json_deep_copy(r.body);
    ck_response_clear(&r);
    if (!node || !strcmp(ck_ccm_condition_status(node, "NetworkUnavailable"), "False")) {
        json_decref(node);
        return;
    }
    char now[CK_TIME_LEN];
    ck_time_now(now);
    json_t *conds = ck_json_path(node, "status.conditions"), *cd;
    if (!conds) ck_json_set(node, "status.conditions", json_array());
    conds = ck_json_path(node, "status.conditions");
    size_t i, at = json_array_size(conds);
    json_array_foreach(conds, i, cd)
        if (!strcmp(ck_json_str(cd, "type", ""), "NetworkUnavailable")) at = i;
    json_t *cond = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s}", "type", "NetworkUnavailable", "status", "False",
                             "reason", "RouteCreated", "message", "RouteController created a route",
                             "lastTransitionTime", now, "lastHeartbeatTime", now);
    if (at < json_array_size(conds)) json_array_set_new(conds, at, cond);
    else json_array_append_new(conds, cond);
    if (ck_rest_update(c->ctx->rest, &ref, node, &r) < 0)
        ck_debug("route: NetworkUnavailable on %s: %s", name, r.message);
    ck_response_clear(&r);
    json_decref(node);
}

static long reconcile(void *self, const char *key)
{
    route_ctrl *c = self;
    const ck_ccm_ctx *x = c->ctx;
    const ck_cloud_routes *ro = x->cloud->ops->routes;
    char err[512] = "";
    ck_route *routes = NULL;
    size_t n = 0;
    if (ro->list(x->cloud->self, x->cluster_name, &routes, &n, err, sizeof err) < 0) {
        ck_warn("route: listing routes: %s", err);
        return CK_SYNC_RETRY;
    }
    json_t *nodes = ck_informer_list(c->inf, NULL, NULL);
    ck_route_plan plan;
    long rc = CK_SYNC_OK;
    if (!nodes || ck_ccm_route_plan(nodes, routes, n, x->cluster_cidr, &plan) < 0) {
        json_decref(nodes);
        free(routes);
        return CK_SYNC_RETRY;
    }
    /* removals first: a provider keyed by CIDR must not lose a fresh route */
    for (size_t i = 0; i < plan.n_remove; i++) {
        if (ro->remove(x->cloud->self, x->cluster_name, &plan.remove[i], err, sizeof err) < 0) {
            ck_warn("route: could not delete route %s %s: %s", plan.remove[i].name,
                    plan.remove[i].destination_cidr, err);
            rc = CK_SYNC_RETRY;
        } else {
            ck_info("route: deleted route %s %s", plan.remove[i].name, plan.remove[i].destination_cidr);
        }
    }
    for (size_t i = 0; i < plan.n_create; i++) {
        const ck_route *r = &plan.create[i];
        if (ro->create(x->cloud->self, x->cluster_name, r->name, r, err, sizeof err) < 0) {
            json_t *ref = json_pack("{s:{s:s,s:s}}", "metadata", "name", r->target_node, "uid", r->name);
            ck_eventf(x->rest, "route_controller", ref, "v1", "Node", "Warning", "FailedToCreateRoute",
                         "Could not create route %s %s for node %s: %s", r->name, r->destination_cidr,
                         r->target_node, err);
            json_decref(ref);
            rc = CK_SYNC_RETRY;
        } else {
            ck_info("route: created route for node %s %s with hint %s", r->target_node, r->destination_cidr,
                    r->name);
        }
    }
    /* every create succeeded: each node with podCIDRs has its routes */
    json_t *node;
    size_t i;
    json_array_foreach(nodes, i, node) {
        json_t *cidrs = pod_cidrs(node);
        if (rc == CK_SYNC_OK && json_array_size(cidrs)) mark_network_available(c, ck_json_str(node, "metadata.name", ""));
        json_decref(cidrs);
    }
    ck_route_plan_clear(&plan);
    free(routes);
    json_decref(nodes);
    return rc;
}

static void kick(json_t *obj, void *ud) { ck_workqueue_add(((route_ctrl *)ud)->w.queue, RECONCILE_KEY); }
static void kick_update(json_t *old, json_t *obj, void *ud)
{
    if (!ck_json_equal(ck_json_path(old, "spec.podCIDRs"), ck_json_path(obj, "spec.podCIDRs")) ||
        strcmp(ck_json_str(old, "spec.podCIDR", ""), ck_json_str(obj, "spec.podCIDR", "")) ||
        !ck_json_equal(ck_json_path(old, "status.addresses"), ck_json_path(obj, "status.addresses")))
        kick(obj, ud);
}
static void tick(void *self) { kick(NULL, self); }

static void route_stop(void *h)
{
    route_ctrl *c = h;
    if (!c) return;
    ck_ccm_ticker_stop(&c->tick);
    ck_informer_free(c->inf);
    ck_workers_stop(&c->w);
    free(c);
}

static void *route_start(const ck_ccm_ctx *ctx, char *err, size_t errlen)
{
    if (!ctx->cloud->ops->routes) {
        snprintf(err, errlen, "cloud provider %s does not support routes", ctx->cloud->ops->name);
        return NULL;
    }
    route_ctrl *c = calloc(1, sizeof *c);
    if (!c) return NULL;
    c->ctx = ctx;
    if (ck_workers_init(&c->w, "route", reconcile, c) < 0) {
        free(c);
        return NULL;
    }
    ck_informer_handlers h = {kick, kick_update, kick, c};
    c->inf = ck_controller_informer(ctx->rest, "", "v1", "nodes", &h, err, errlen);
    long period = ctx->route_period_ms > 0 ? ctx->route_period_ms : 10000;
    if (!c->inf || ck_workers_run(&c->w, 1) < 0 || ck_ccm_ticker_start(&c->tick, period, tick, c) < 0) {
        if (!*err) snprintf(err, errlen, "cannot start the route controller");
        route_stop(c);
        return NULL;
    }
    return c;
}

const ck_ccm_controller ck_ccm_route_controller = {"route", route_start, route_stop};
