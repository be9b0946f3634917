/* fake_kubelet.h: a kubelet on the fake runtime with no API server, for the
 * tests that drive pod workers directly: events go to `sink` (NULL drops
 * them), its root directory is /tmp/ck-test-<name>-<pid>. Header-only, for
 * tests/. */
#ifndef CK_KUBELET_TESTS_FAKE_KUBELET_H
#define CK_KUBELET_TESTS_FAKE_KUBELET_H
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include "kubelet/kubelet_internal.h"
#include "util/cktest.h"

static int fake_kubelet_drop_event(void *ud, const char *verb, const char *ns, const char *name, const json_t *body,
                                   bool *nf)
{
    *nf = false;
    return 0;
}

/* The caller frees it with fake_kubelet_free. */
static ck_kubelet *fake_kubelet_new(const char *name, ck_event_sink sink)
{
    char err[256];
    ck_kubelet *k = calloc(1, sizeof *k);
    CU_ASSERT_PTR_NOT_NULL_FATAL(k);
    ck_cri_options o = {.pod_cidr = "10.9.0.0/24"};
    k->rt = ck_cri_new("fake", &o, err, sizeof err);
    CU_ASSERT_PTR_NOT_NULL_FATAL(k->rt);
    snprintf(k->node_name, sizeof k->node_name, "node-1");
    snprintf(k->node_ip, sizeof k->node_ip, "10.0.0.1");
    snprintf(k->root, sizeof k->root, "/tmp/ck-test-%s-%d", name, (int)getpid());
    snprintf(k->resolv_conf, sizeof k->resolv_conf, "/nonexistent");
    snprintf(k->cluster_domain, sizeof k->cluster_domain, "cluster.local");
    snprintf(k->alloc_cpu, sizeof k->alloc_cpu, "4");
    snprintf(k->alloc_memory, sizeof k->alloc_memory, "1Gi");
    k->events = ck_event_recorder_new(NULL, "kubelet", "node-1", false);
    ck_event_recorder_set_sink(k->events, sink ? sink : fake_kubelet_drop_event, NULL);
    k->images = json_object();
    pthread_mutex_init(&k->img_mu, NULL);
    return k;
}

static void fake_kubelet_free(ck_kubelet *k)
{
    char cmd[1200];
    snprintf(cmd, sizeof cmd, "rm -rf %s", k->root);
    CU_ASSERT_EQUAL(system(cmd), 0);
    ck_event_recorder_free(k->events);
    ck_cri_free(k->rt);
    json_decref(k->images);
    pthread_mutex_destroy(&k->img_mu);
    free(k);
}
#endif
