/* fake.c: a kwok-like runtime that only records state: sandboxes get IPs,
 * containers go created -> running and stay there until a test makes them
 * exit (ck_cri_fake_exit). For unit tests and scale runs without namespaces. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <jansson.h>
#include "kubelet/cri/cri.h"
#include "node/cidr.h"

typedef struct fake_sandbox {
    char id[CK_CRI_ID_LEN], uid[64];
    ck_cri_sandbox_state state;
    char ip[48];
    bool removed;
} fake_sandbox;

typedef struct fake_container {
    ck_cri_container_status st;
    char pod_uid[64];
    bool start_fails, removed;
    int exec_code;
    json_t *config;   /* what create_container was given (ck_cri_fake_config) */
} fake_container;

typedef struct fake {
    ck_cri base;
    pthread_mutex_t mu;
    fake_sandbox *sb;
    size_t nsb;
    fake_container *ct;
    size_t nct;
    unsigned long seq;
    ck_cidr pods;
    bool have_pods;
} fake;

static bool matches(const char *s, const char *const *words)
{
    for (; *words; words++)
        if (strstr(s, *words)) return true;
    return false;
}

static int fake_pull(ck_cri *rt, const char *image, char *err, size_t errlen)
{
    static const char *const bad[] = {"invalid", "unknown", "doesnotexist", "nonexistent", NULL};
    if (!image || !*image || matches(image, bad)) {
        snprintf(err, errlen, "failed to pull and unpack image \"%s\": not found", image ? image : "");
        return -1;
    }
    return 0;
}

static fake_sandbox *find_sb(fake *f, const char *id)
{
    for (size_t i = 0; i < f->nsb; i++)
        if (!f->sb[i].removed && strcmp(f->sb[i].id, id) == 0) return &f->sb[i];
    return NULL;
}

static fake_container *find_ct(fake *f, const char *id)
{
    for (size_t i = 0; i < f->nct; i++)
        if (!f->ct[i].removed && strcmp(f->ct[i].st.id, id) == 0) return &f->ct[i];
    return NULL;
}

static int not_found(const char *what, const char *id, char *err, size_t errlen)
{
    snprintf(err, errlen, "%s \"%s\" not found", what, id);
    return -1;
}

static int fake_run_sandbox(ck_cri *rt, const ck_cri_sandbox_config *cfg, char id[CK_CRI_ID_LEN],
                            char *err, size_t errlen)
{
    fake *f = (fake *)rt;
    pthread_mutex_lock(&f->mu);
    fake_sandbox *n = realloc(f->sb, (f->nsb + 1) * sizeof *n);
    if (!n) {
        pthread_mutex_unlock(&f->mu);
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    f->sb = n;
    fake_sandbox *s = &f->sb[f->nsb++];
    memset(s, 0, sizeof *s);
    snprintf(s->id, sizeof s->id, "fake-sandbox-%lu", ++f->seq);
    snprintf(s->uid, sizeof s->uid, "%s", cfg->uid ? cfg->uid : "");
    if (f->have_pods && !cfg->host_network)
        ck_cidr_nth(&f->pods, (uint32_t)(2 + f->seq % (ck_cidr_size(&f->pods) - 3)), s->ip, sizeof s->ip);
    snprintf(id, CK_CRI_ID_LEN, "%s", s->id);
    pthread_mutex_unlock(&f->mu);
    return 0;
}

static void kill_locked(fake_container *c, int code, const char *reason)
{
    if (c->st.state == CK_CONTAINER_RUNNING || c->st.state == CK_CONTAINER_CREATED) {
        c->st.state = CK_CONTAINER_EXITED;
        c->st.exit_code = code;
        c->st.finished_at = time(NULL);
        c->st.pid = 0;
        snprintf(c->st.reason, sizeof c->st.reason, "%s", reason ? reason : code ? "Error" : "Completed");
    }
}

static int fake_stop_sandbox(ck_cri *rt, const char *id, char *err, size_t errlen)
{
    fake *f = (fake *)rt;
    pthread_mutex_lock(&f->mu);
    fake_sandbox *s = find_sb(f, id);
    if (s) {
        s->state = CK_SANDBOX_NOTREADY;
        for (size_t i = 0; i < f->nct; i++)
            if (!f->ct[i].removed && strcmp(f->ct[i].st.sandbox_id, id) == 0) kill_locked(&f->ct[i], 137, "Error");
    }
    pthread_mutex_unlock(&f->mu);
    return s ? 0 : not_found("sandbox", id, err, errlen);
}

static int fake_remove_sandbox(ck_cri *rt, const char *id, char *err, size_t errlen)
{
    fake *f = (fake *)rt;
    pthread_mutex_lock(&f->mu);
    fake_sandbox *s = find_sb(f, id);
    if (s) {
        s->removed = true;
        for (size_t i = 0; i < f->nct; i++)
            if (strcmp(f->ct[i].st.sandbox_id, id) == 0) f->ct[i].removed = true;
    }
    pthread_mutex_unlock(&f->mu);
    return 0; /* CRI: removing an absent sandbox is not an error */
}

static int fake_sandbox_status(ck_cri *rt, const char *id, ck_cri_sandbox_status *out, char *err,
                               size_t errlen)
{
    fake *f = (fake *)rt;
    pthread_mutex_lock(&f->mu);
    fake_sandbox *s = find_sb(f, id);
    if (s) {
        memset(out, 0, sizeof *out);
        snprintf(out->id, sizeof out->id, "%s", s->id);
        out->state = s->state;
        snprintf(out->ip, sizeof out->ip, "%s", s->ip);
    }
    pthread_mutex_unlock(&f->mu);
    return s ? 0 : not_found("sandbox", id, err, errlen);
}

static json_t *strv_json(const char *const *v)
{
    json_t *a = json_array();
    for (size_t i = 0; v && v[i]; i++) json_array_append_new(a, json_string(v[i]));
    return a;
}

/* The config as data, for tests of what the kubelet passes. */
static json_t *config_json(const ck_cri_container_config *cfg)
{
    json_t *m = json_array(), *g = json_array();
    for (size_t i = 0; i < cfg->n_mounts; i++)
        json_array_append_new(m, json_pack("{s:s,s:s,s:b}", "hostPath", cfg->mounts[i].host_path, "containerPath",
                                           cfg->mounts[i].container_path, "readOnly", cfg->mounts[i].readonly));
    for (size_t i = 0; i < cfg->n_supplemental_groups; i++)
        json_array_append_new(g, json_integer(cfg->supplemental_groups[i]));
    return json_pack("{s:o,s:o,s:o,s:o,s:b,s:I,s:I,s:o}", "command", strv_json(cfg->command), "args",
                     strv_json(cfg->args), "env", strv_json(cfg->env), "mounts", m, "readOnlyRootFilesystem",
                     cfg->readonly_rootfs, "runAsUser", (json_int_t)cfg->run_as_user, "runAsGroup",
                     (json_int_t)cfg->run_as_group, "supplementalGroups", g);
}

static int fake_create(ck_cri *rt, const char *sandbox_id, const ck_cri_container_config *cfg,
                       char id[CK_CRI_ID_LEN], char *err, size_t errlen)
{
    fake *f = (fake *)rt;
    if (fake_pull(rt, cfg->image, err, errlen) < 0) return -1;
    pthread_mutex_lock(&f->mu);
    fake_sandbox *s = find_sb(f, sandbox_id);
    fake_container *n = s ? realloc(f->ct, (f->nct + 1) * sizeof *n) : NULL;
    if (!n) {
        pthread_mutex_unlock(&f->mu);
        return s ? (snprintf(err, errlen, "out of memory"), -1) : not_found("sandbox", sandbox_id, err, errlen);
    }
    f->ct = n;
    fake_container *c = &f->ct[f->nct++];
    memset(c, 0, sizeof *c);
    snprintf(c->st.id, sizeof c->st.id, "fake-container-%lu", ++f->seq);
    snprintf(c->st.sandbox_id, sizeof c->st.sandbox_id, "%s", sandbox_id);
    snprintf(c->st.name, sizeof c->st.name, "%s", cfg->name);
    snprintf(c->st.image, sizeof c->st.image, "%s", cfg->image);
    snprintf(c->pod_uid, sizeof c->pod_uid, "%s", s->uid);
    c->st.attempt = cfg->attempt;
    c->st.state = CK_CONTAINER_CREATED;
    c->st.created_at = time(NULL);
    c->start_fails = cfg->command && cfg->command[0] && strncmp(cfg->command[0], "/nonexistent", 12) == 0;
    c->config = config_json(cfg);
    snprintf(id, CK_CRI_ID_LEN, "%s", c->st.id);
    pthread_mutex_unlock(&f->mu);
    return 0;
}

static int fake_start(ck_cri *rt, const char *id, char *err, size_t errlen)
{
    fake *f = (fake *)rt;
    int rc = 0;
    pthread_mutex_lock(&f->mu);
    fake_container *c = find_ct(f, id);
    if (!c) rc = not_found("container", id, err, errlen);
    else if (c->st.state != CK_CONTAINER_CREATED) {
        snprintf(err, errlen, "container %s is not in created state", id);
        rc = -1;
    } else if (c->start_fails) {
        kill_locked(c, 128, "StartError");
        snprintf(c->st.message, sizeof c->st.message,
                 "failed to create containerd task: exec: \"/nonexistent\": no such file or directory");
        snprintf(err, errlen, "%s", c->st.message);
        rc = -1;
    } else {
        c->st.state = CK_CONTAINER_RUNNING;
        c->st.started_at = time(NULL);
        c->st.pid = 1;
    }
    pthread_mutex_unlock(&f->mu);
    return rc;
}

static int fake_stop(ck_cri *rt, const char *id, long timeout_s, char *err, size_t errlen)
{
    fake *f = (fake *)rt;
    pthread_mutex_lock(&f->mu);
    fake_container *c = find_ct(f, id);
    if (c) kill_locked(c, 137, "Error"); /* the fake ignores SIGTERM: as a shell as pid 1 would */
    pthread_mutex_unlock(&f->mu);
    return c ? 0 : not_found("container", id, err, errlen);
}

static int fake_remove(ck_cri *rt, const char *id, char *err, size_t errlen)
{
    fake *f = (fake *)rt;
    pthread_mutex_lock(&f->mu);
    fake_container *c = find_ct(f, id);
    if (c) c->removed = true;
    pthread_mutex_unlock(&f->mu);
    return 0;
}

static int fake_status(ck_cri *rt, const char *id, ck_cri_container_status *out, char *err, size_t errlen)
{
    fake *f = (fake *)rt;
    pthread_mutex_lock(&f->mu);
    fake_container *c = find_ct(f, id);
    if (c) *out = c->st;
    pthread_mutex_unlock(&f->mu);
    return c ? 0 : not_found("container", id, err, errlen);
}

static int fake_list(ck_cri *rt, const char *sandbox_id, ck_cri_container_status **out, size_t *n,
                     char *err, size_t errlen)
{
    fake *f = (fake *)rt;
    pthread_mutex_lock(&f->mu);
    *out = calloc(f->nct + 1, sizeof **out);
    *n = 0;
    for (size_t i = 0; *out && i < f->nct; i++)
        if (!f->ct[i].removed && (!sandbox_id || strcmp(f->ct[i].st.sandbox_id, sandbox_id) == 0))
            (*out)[(*n)++] = f->ct[i].st;
    pthread_mutex_unlock(&f->mu);
    if (!*out) snprintf(err, errlen, "out of memory");
    return *out ? 0 : -1;
}

static int fake_exec(ck_cri *rt, const char *id, const char *const *argv, long timeout_s, char **output,
                     int *exit_code, char *err, size_t errlen)
{
    fake *f = (fake *)rt;
    int rc = 0;
    pthread_mutex_lock(&f->mu);
    fake_container *c = find_ct(f, id);
    if (!c || c->st.state != CK_CONTAINER_RUNNING) {
        snprintf(err, errlen, "container %s is not running", id);
        rc = -1;
    } else {
        *exit_code = c->exec_code;
        *output = strdup("");
        if (!*output) rc = -1;
    }
    pthread_mutex_unlock(&f->mu);
    return rc;
}

static void fake_destroy(ck_cri *rt)
{
    fake *f = (fake *)rt;
    pthread_mutex_destroy(&f->mu);
    for (size_t i = 0; i < f->nct; i++) json_decref(f->ct[i].config);
    free(f->sb);
    free(f->ct);
    free(f);
}

static const ck_cri_ops fake_ops = {
    "fake", fake_pull, fake_run_sandbox, fake_stop_sandbox, fake_remove_sandbox, fake_sandbox_status,
    fake_create, fake_start, fake_stop, fake_remove, fake_status, fake_list, fake_exec, fake_destroy,
};

ck_cri *ck_cri_fake_new(const ck_cri_options *opts, char *err, size_t errlen)
{
    fake *f = calloc(1, sizeof *f);
    if (!f) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    f->base.ops = &fake_ops;
    pthread_mutex_init(&f->mu, NULL);
    f->have_pods = opts && opts->pod_cidr && ck_cidr_parse(opts->pod_cidr, &f->pods) == 0 &&
                   ck_cidr_size(&f->pods) > 4;
    return &f->base;
}

static fake *as_fake(ck_cri *rt) { return rt && rt->ops == &fake_ops ? (fake *)rt : NULL; }

int ck_cri_fake_exit(ck_cri *rt, const char *pod_uid, const char *name, int code, const char *reason)
{
    fake *f = as_fake(rt);
    int hit = 0;
    if (!f) return -1;
    pthread_mutex_lock(&f->mu);
    for (size_t i = 0; i < f->nct; i++) {
        fake_container *c = &f->ct[i];
        if (!c->removed && c->st.state == CK_CONTAINER_RUNNING && strcmp(c->pod_uid, pod_uid) == 0 &&
            strcmp(c->st.name, name) == 0) {
            kill_locked(c, code, reason);
            hit++;
        }
    }
    pthread_mutex_unlock(&f->mu);
    return hit ? 0 : -1;
}

void ck_cri_fake_set_exec(ck_cri *rt, const char *pod_uid, const char *name, int code)
{
    fake *f = as_fake(rt);
    if (!f) return;
    pthread_mutex_lock(&f->mu);
    for (size_t i = 0; i < f->nct; i++)
        if (strcmp(f->ct[i].pod_uid, pod_uid) == 0 && strcmp(f->ct[i].st.name, name) == 0)
            f->ct[i].exec_code = code;
    pthread_mutex_unlock(&f->mu);
}

void ck_cri_fake_counts(ck_cri *rt, size_t *sandboxes, size_t *containers)
{
    fake *f = as_fake(rt);
    *sandboxes = *containers = 0;
    if (!f) return;
    pthread_mutex_lock(&f->mu);
    for (size_t i = 0; i < f->nsb; i++) *sandboxes += !f->sb[i].removed;
    for (size_t i = 0; i < f->nct; i++) *containers += !f->ct[i].removed;
    pthread_mutex_unlock(&f->mu);
}

json_t *ck_cri_fake_config(ck_cri *rt, const char *pod_uid, const char *name)
{
    fake *f = as_fake(rt);
    json_t *cfg = NULL;
    if (!f) return NULL;
    pthread_mutex_lock(&f->mu);
    for (size_t i = f->nct; i-- > 0;)
        if (strcmp(f->ct[i].pod_uid, pod_uid) == 0 && strcmp(f->ct[i].st.name, name) == 0) {
            cfg = json_incref(f->ct[i].config);
            break;
        }
    pthread_mutex_unlock(&f->mu);
    return cfg;
}
