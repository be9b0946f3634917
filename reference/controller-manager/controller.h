/* controller.h: what every controller in kube-controller-manager is handed:
 * the context and the controller table row. The worker loop, informer
 * helpers and events come from libckube (client/controller.h, client/events.h). */
#ifndef CK_CM_CONTROLLER_H
#define CK_CM_CONTROLLER_H
#include <jansson.h>
#include <stddef.h>
#include "client/controller.h"
#include "client/events.h"
#include "client/rest.h"

/* What main() hands every controller (ControllerContext upstream). Borrowed. */
typedef struct ck_cm_ctx {
    ck_rest *rest;
    int workers;                      /* --concurrent-*-syncs; 0 = controller default */
    const char *root_ca_file;         /* --root-ca-file, NULL = placeholder */
    long node_monitor_period_ms;      /* --node-monitor-period */
    long node_monitor_grace_ms;       /* --node-monitor-grace-period */
    long node_startup_grace_ms;       /* --node-startup-grace-period */
    long namespace_sync_ms;           /* --namespace-sync-period */
} ck_cm_ctx;

/* One row of the controller table: start returns an opaque handle (NULL with
 * a message in err), stop stops and frees it. */
typedef struct ck_cm_controller {
    const char *name;                 /* as --controllers spells it */
    void *(*start)(const ck_cm_ctx *ctx, char *err, size_t errlen);
    void (*stop)(void *handle);
} ck_cm_controller;
#endif
