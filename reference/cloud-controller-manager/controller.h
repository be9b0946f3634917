/* controller.h: what the cloud controllers share: the context main() hands
 * each controller (ControllerInitContext + the cloud), the controller table
 * row, taint/condition helpers and a ticker. Workers, informers and events
 * come from libckube (client/controller.h, client/events.h). */
#ifndef CK_CCM_CONTROLLER_H
#define CK_CCM_CONTROLLER_H
#include <jansson.h>
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include "client/controller.h"
#include "client/events.h"
#include "client/rest.h"
#include "cloud-controller-manager/cloudprovider.h"

/* Taints and labels the cloud controllers own (k8s.io/cloud-provider/api
 * and k8s.io/api/core/v1 well_known_labels.go / well_known_taints.go). */
#define CK_TAINT_UNINITIALIZED "node.cloudprovider.kubernetes.io/uninitialized"
#define CK_TAINT_SHUTDOWN "node.cloudprovider.kubernetes.io/shutdown"
#define CK_LABEL_ZONE "topology.kubernetes.io/zone"
#define CK_LABEL_REGION "topology.kubernetes.io/region"
#define CK_LABEL_ZONE_BETA "failure-domain.beta.kubernetes.io/zone"
#define CK_LABEL_REGION_BETA "failure-domain.beta.kubernetes.io/region"
#define CK_LABEL_INSTANCE_TYPE "node.kubernetes.io/instance-type"
#define CK_LABEL_INSTANCE_TYPE_BETA "beta.kubernetes.io/instance-type"
#define CK_LB_FINALIZER "service.kubernetes.io/load-balancer-cleanup"

/* Borrowed by every controller for its lifetime. */
typedef struct ck_ccm_ctx {
    ck_rest *rest;
    ck_cloud *cloud;
    const char *cluster_name;         /* --cluster-name */
    const char *cluster_cidr;         /* --cluster-cidr, NULL = every route is ours */
    int workers;                      /* --concurrent-service-syncs etc.; 0 = default */
    long node_monitor_period_ms;      /* --node-monitor-period (lifecycle), default 5s */
    long node_status_update_ms;       /* --node-status-update-frequency, default 5m */
    long route_period_ms;             /* --route-reconciliation-period, default 10s */
} ck_ccm_ctx;

typedef struct ck_ccm_controller {
    const char *name;                 /* as --controllers spells it */
    void *(*start)(const ck_ccm_ctx *ctx, char *err, size_t errlen);  /* NULL handle = error */
    void (*stop)(void *handle);
} ck_ccm_controller;

/* Taints (spec.taints): the index of the taint with this key, or -1. */
int ck_ccm_taint_index(const json_t *node, const char *key);
/* The status of condition `type` in status.conditions ("True"...), or "Unknown". */
const char *ck_ccm_condition_status(const json_t *obj, const char *type);
/* Periodic thread helper: calls fn(self) every period_ms until stopped. */
typedef struct ck_ccm_ticker {
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    bool stop, running;
    long period_ms;
    void (*fn)(void *self);
    void *self;
} ck_ccm_ticker;
int ck_ccm_ticker_start(ck_ccm_ticker *t, long period_ms, void (*fn)(void *), void *self);
void ck_ccm_ticker_stop(ck_ccm_ticker *t);  /* idempotent */
#endif
