/* linux.c: the linux runtime's bookkeeping and CRI vtable: sandboxes (a
 * network namespace from linux_network.c, hostPorts from linux_hostport.c,
 * a state directory), containers (an
 * overlay of the image rootfs, processes from linux_container.c), reaping,
 * stop with SIGTERM -> grace -> SIGKILL, and cgroup v2 limits when available. */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "kubelet/cri/image.h"
#include "kubelet/cri/linux_internal.h"
#include "node/cmd.h"
#include "util/uid.h"

#define CGROUP_ROOT "/sys/fs/cgroup"

static void new_id(char id[CK_CRI_ID_LEN])
{
    unsigned char b[8];
    ck_random_bytes(b, sizeof b);
    for (int i = 0; i < 8; i++) snprintf(id + 2 * i, 3, "%02x", b[i]);
}

static lx_sandbox *find_sb(lx_runtime *rt, const char *id)
{
    for (size_t i = 0; i < rt->nsb; i++)
        if (strcmp(rt->sb[i]->id, id) == 0) return rt->sb[i];
    return NULL;
}

static lx_container *find_ct(lx_runtime *rt, const char *id)
{
    for (size_t i = 0; i < rt->nct; i++)
        if (strcmp(rt->ct[i]->st.id, id) == 0) return rt->ct[i];
    return NULL;
}

static int not_found(const char *what, const char *id, char *err, size_t errlen)
{
    snprintf(err, errlen, "%s \"%s\" not found", what, id);
    return -1;
}

static void free_strv(char **v)
{
    for (size_t i = 0; v && v[i]; i++) free(v[i]);
    free(v);
}

static void free_container(lx_container *c)
{
    free_strv(c->argv);
    free_strv(c->env);
    free(c->working_dir);
    free(c->log_path);
    for (size_t i = 0; i < c->n_mounts; i++) {
        free((char *)c->mounts[i].host_path);
        free((char *)c->mounts[i].container_path);
    }
    free(c->mounts);
    free(c);
}

static bool oom_killed(const lx_container *c)
{
    char p[LX_PATH + 32], line[128];
    if (!c->cgroup[0] || ck_node_pathf(p, sizeof p, "%s/memory.events", c->cgroup) < 0) return false;
    FILE *f = fopen(p, "r");
    long n = 0;
    while (f && fgets(line, sizeof line, f))
        if (sscanf(line, "oom_kill %ld", &n) == 1) break;
    if (f) fclose(f);
    return n > 0;
}

/* Collects the shim's exit (the container's code) if it has ended. Holds rt->mu. */
static void reap(lx_container *c)
{
    int st;
    if (c->st.state != CK_CONTAINER_RUNNING || c->shim <= 0) return;
    if (waitpid(c->shim, &st, WNOHANG) != c->shim) return;
    c->st.state = CK_CONTAINER_EXITED;
    c->st.exit_code = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
    c->st.finished_at = time(NULL);
    c->st.pid = 0;
    c->shim = c->init = 0;
    const char *reason = oom_killed(c) ? "OOMKilled" : c->st.exit_code ? "Error" : "Completed";
    snprintf(c->st.reason, sizeof c->st.reason, "%s", reason);
}

/* SIGTERM, wait up to timeout_s, SIGKILL, wait. Called without rt->mu. */
static void stop_process(lx_runtime *rt, lx_container *c, long timeout_s)
{
    pthread_mutex_lock(&rt->mu);
    pid_t init = c->st.state == CK_CONTAINER_RUNNING ? c->init : 0;
    pthread_mutex_unlock(&rt->mu);
    if (init <= 0) return;
    int64_t deadline = (int64_t)time(NULL) * 1000 + timeout_s * 1000;
    int sig = timeout_s > 0 ? SIGTERM : SIGKILL;
    for (;;) {
        pthread_mutex_lock(&rt->mu);
        reap(c);
        bool done = c->st.state != CK_CONTAINER_RUNNING;
        if (!done && sig) kill(c->init, sig);
        pthread_mutex_unlock(&rt->mu);
        if (done) return;
        sig = 0;
        struct timespec now;
        clock_gettime(CLOCK_REALTIME, &now);
        if (now.tv_sec * 1000 + now.tv_nsec / 1000000 >= deadline) sig = SIGKILL, deadline = INT64_MAX;
        usleep(20000);
    }
}

static int lx_pull(ck_cri *base, const char *image, char *err, size_t errlen)
{
    lx_runtime *rt = (lx_runtime *)base;
    char dir[LX_PATH];
    return ck_image_resolve(rt->image_dir, image, dir, sizeof dir, err, errlen);
}

static int lx_run_sandbox(ck_cri *base, const ck_cri_sandbox_config *cfg, char id[CK_CRI_ID_LEN], char *err,
                          size_t errlen)
{
    lx_runtime *rt = (lx_runtime *)base;
    lx_sandbox *s = calloc(1, sizeof *s);
    if (!s) return snprintf(err, errlen, "out of memory"), -1;
    new_id(s->id);
    snprintf(s->uid, sizeof s->uid, "%s", cfg->uid ? cfg->uid : "");
    snprintf(s->name, sizeof s->name, "%s", cfg->name ? cfg->name : "");
    snprintf(s->namespace, sizeof s->namespace, "%s", cfg->namespace ? cfg->namespace : "");
    snprintf(s->hostname, sizeof s->hostname, "%.63s", cfg->hostname ? cfg->hostname : s->name);
    if (ck_node_pathf(s->dir, sizeof s->dir, "%s/%s", rt->root, s->id) < 0 ||
        ck_mkdir_p(s->dir, err, errlen) != 0) {
        free(s);
        return -1;
    }
    if (lx_sandbox_sysctls(s, cfg->sysctls, cfg->n_sysctls, err, errlen) < 0 ||
        (!cfg->host_network && lx_net_setup(rt, s, err, errlen) < 0)) {
        ck_cmd(NULL, 0, "rm", "-rf", s->dir, NULL);
        free(s);
        return -1;
    }
    if (!cfg->host_network && lx_hostport_setup(rt, s, cfg->port_mappings, cfg->n_port_mappings, err, errlen) < 0) {
        lx_net_teardown(rt, s);
        ck_cmd(NULL, 0, "rm", "-rf", s->dir, NULL);
        free(s);
        return -1;
    }
    pthread_mutex_lock(&rt->mu);
    lx_sandbox **n = realloc(rt->sb, (rt->nsb + 1) * sizeof *n);
    if (n) rt->sb = n, rt->sb[rt->nsb++] = s;
    pthread_mutex_unlock(&rt->mu);
    if (!n) {
        lx_hostport_teardown(rt, s);
        lx_net_teardown(rt, s);
        free(s);
        return snprintf(err, errlen, "out of memory"), -1;
    }
    snprintf(id, CK_CRI_ID_LEN, "%s", s->id);
    return 0;
}

/* The sandbox's containers, copied (pointers stay valid: only remove frees). */
static size_t sandbox_containers(lx_runtime *rt, const char *id, lx_container ***out)
{
    pthread_mutex_lock(&rt->mu);
    *out = calloc(rt->nct + 1, sizeof **out);
    size_t n = 0;
    for (size_t i = 0; *out && i < rt->nct; i++)
        if (strcmp(rt->ct[i]->st.sandbox_id, id) == 0) (*out)[n++] = rt->ct[i];
    pthread_mutex_unlock(&rt->mu);
    return n;
}

static int lx_stop_sandbox(ck_cri *base, const char *id, char *err, size_t errlen)
{
    lx_runtime *rt = (lx_runtime *)base;
    pthread_mutex_lock(&rt->mu);
    lx_sandbox *s = find_sb(rt, id);
    pthread_mutex_unlock(&rt->mu);
    if (!s) return not_found("sandbox", id, err, errlen);
    lx_container **cs;
    size_t n = sandbox_containers(rt, id, &cs);
    for (size_t i = 0; i < n; i++) stop_process(rt, cs[i], 0);
    free(cs);
    lx_hostport_teardown(rt, s);
    lx_net_teardown(rt, s);
    s->state = CK_SANDBOX_NOTREADY;
    return 0;
}

static int lx_remove(ck_cri *base, const char *id, char *err, size_t errlen);

static int lx_remove_sandbox(ck_cri *base, const char *id, char *err, size_t errlen)
{
    lx_runtime *rt = (lx_runtime *)base;
    if (lx_stop_sandbox(base, id, err, errlen) < 0) return 0; /* already gone: CRI says fine */
    lx_container **cs;
    size_t n = sandbox_containers(rt, id, &cs);
    for (size_t i = 0; i < n; i++) lx_remove(base, cs[i]->st.id, err, errlen);
    free(cs);
    pthread_mutex_lock(&rt->mu);
    lx_sandbox *s = NULL;
    for (size_t i = 0; i < rt->nsb; i++)
        if (strcmp(rt->sb[i]->id, id) == 0) {
            s = rt->sb[i];
            rt->sb[i] = rt->sb[--rt->nsb];
            break;
        }
    pthread_mutex_unlock(&rt->mu);
    if (s) ck_cmd(NULL, 0, "rm", "-rf", s->dir, NULL);
    free(s);
    return 0;
}

static int lx_sandbox_status(ck_cri *base, const char *id, ck_cri_sandbox_status *out, char *err,
                             size_t errlen)
{
    lx_runtime *rt = (lx_runtime *)base;
    pthread_mutex_lock(&rt->mu);
    lx_sandbox *s = find_sb(rt, id);
    if (s) {
        memset(out, 0, sizeof *out);
        snprintf(out->id, sizeof out->id, "%s", s->id);
        out->state = s->state;
        snprintf(out->ip, sizeof out->ip, "%s", s->ip);
        if (s->netns[0]) snprintf(out->netns, sizeof out->netns, "/run/netns/%s", s->netns);
    }
    pthread_mutex_unlock(&rt->mu);
    return s ? 0 : not_found("sandbox", id, err, errlen);
}

static char **strv_concat(const json_t *a, const char *const *b)
{
    size_t na = json_array_size(a), nb = 0, k = 0;
    while (b && b[nb]) nb++;
    char **v = calloc(na + nb + 1, sizeof *v);
    for (size_t i = 0; v && i < na; i++) v[k++] = strdup(json_string_value(json_array_get(a, i)) ?: "");
    for (size_t i = 0; v && i < nb; i++) v[k++] = strdup(b[i]);
    for (size_t i = 0; v && i < k; i++)
        if (!v[i]) return free_strv(v), NULL;
    return v;
}

/* Docker's rule (what containerd applies to CRI's command/args): command
 * replaces the Entrypoint and drops Cmd; args replaces Cmd. */
static int resolve_argv(lx_container *c, const json_t *icfg, const ck_cri_container_config *cfg)
{
    bool has_cmd = cfg->command && cfg->command[0], has_args = cfg->args && cfg->args[0];
    json_t *ep = json_object_get(icfg, "Entrypoint"), *cmd = json_object_get(icfg, "Cmd");
    json_t *base = has_cmd || !json_is_array(ep) ? json_array() : json_deep_copy(ep);
    if (!base) return -1;
    if (has_cmd)
        for (size_t i = 0; cfg->command[i]; i++) json_array_append_new(base, json_string(cfg->command[i]));
    if (!has_cmd && !has_args && json_is_array(cmd)) json_array_extend(base, cmd);
    c->argv = strv_concat(base, has_args ? cfg->args : NULL);
    json_decref(base);
    c->env = strv_concat(json_object_get(icfg, "Env"), cfg->env);
    return c->argv && c->env ? 0 : -1;
}

static void setup_cgroup(lx_runtime *rt, lx_container *c, const ck_cri_container_config *cfg)
{
    char p[LX_PATH + 32], v[64];
    if (!rt->cgroup_v2 || ck_node_pathf(c->cgroup, sizeof c->cgroup, CGROUP_ROOT "/ckube/%s", c->st.id) < 0) {
        c->cgroup[0] = 0;
        return;
    }
    mkdir(CGROUP_ROOT "/ckube", 0755);
    FILE *f = fopen(CGROUP_ROOT "/ckube/cgroup.subtree_control", "w");
    if (f) fputs("+memory +cpu +pids", f), fclose(f);
    if (mkdir(c->cgroup, 0755) < 0 && errno != EEXIST) {
        c->cgroup[0] = 0;
        return;
    }
    if (cfg->memory_limit_bytes > 0 && ck_node_pathf(p, sizeof p, "%s/memory.max", c->cgroup) == 0 &&
        (f = fopen(p, "w")))
        fprintf(f, "%lld", (long long)cfg->memory_limit_bytes), fclose(f);
    if (cfg->cpu_limit_milli > 0 && ck_node_pathf(p, sizeof p, "%s/cpu.max", c->cgroup) == 0 && (f = fopen(p, "w"))) {
        snprintf(v, sizeof v, "%lld 100000", (long long)cfg->cpu_limit_milli * 100);
        fputs(v, f), fclose(f);
    }
}

static int copy_config(lx_container *c, const ck_cri_container_config *cfg)
{
    c->working_dir = cfg->working_dir ? strdup(cfg->working_dir) : NULL;
    c->log_path = strdup(cfg->log_path ? cfg->log_path : "/dev/null");
    c->mounts = calloc(cfg->n_mounts + 1, sizeof *c->mounts);
    c->readonly_rootfs = cfg->readonly_rootfs;
    c->uid = (uid_t)cfg->run_as_user;
    c->gid = (gid_t)cfg->run_as_group;
    c->caps = lx_capabilities(cfg->privileged, cfg->cap_add, cfg->cap_drop);
    c->no_new_privs = cfg->no_new_privs;
    for (size_t i = 0; i < cfg->n_supplemental_groups && c->n_groups < sizeof c->groups / sizeof c->groups[0]; i++)
        c->groups[c->n_groups++] = (gid_t)cfg->supplemental_groups[i];
    if (!c->log_path || !c->mounts || (cfg->working_dir && !c->working_dir)) return -1;
    for (size_t i = 0; i < cfg->n_mounts; i++) {
        c->mounts[i].host_path = strdup(cfg->mounts[i].host_path);
        c->mounts[i].container_path = strdup(cfg->mounts[i].container_path);
        c->mounts[i].readonly = cfg->mounts[i].readonly;
        c->n_mounts++;
        if (!c->mounts[i].host_path || !c->mounts[i].container_path) return -1;
    }
    return 0;
}

static int lx_create(ck_cri *base, const char *sandbox_id, const ck_cri_container_config *cfg,
                     char id[CK_CRI_ID_LEN], char *err, size_t errlen)
{
    lx_runtime *rt = (lx_runtime *)base;
    pthread_mutex_lock(&rt->mu);
    lx_sandbox *s = find_sb(rt, sandbox_id);
    char sdir[LX_PATH];
    if (s) snprintf(sdir, sizeof sdir, "%s", s->dir);
    pthread_mutex_unlock(&rt->mu);
    if (!s) return not_found("sandbox", sandbox_id, err, errlen);
    lx_container *c = calloc(1, sizeof *c);
    if (!c) return snprintf(err, errlen, "out of memory"), -1;
    if (ck_image_resolve(rt->image_dir, cfg->image, c->image_dir, sizeof c->image_dir, err, errlen) < 0) {
        free(c);
        return -1;
    }
    new_id(c->st.id);
    snprintf(c->st.sandbox_id, sizeof c->st.sandbox_id, "%s", sandbox_id);
    snprintf(c->st.name, sizeof c->st.name, "%s", cfg->name);
    snprintf(c->st.image, sizeof c->st.image, "%s", cfg->image);
    c->st.attempt = cfg->attempt;
    c->st.state = CK_CONTAINER_CREATED;
    c->st.created_at = time(NULL);
    json_t *icfg = ck_image_config(c->image_dir);
    int rc = resolve_argv(c, icfg, cfg) < 0 || copy_config(c, cfg) < 0 ? -1 : 0;
    json_decref(icfg);
    if (rc == 0 && ck_node_pathf(c->dir, sizeof c->dir, "%s/%s", sdir, c->st.id) < 0) rc = -1;
    if (rc < 0) {
        free_container(c);
        return snprintf(err, errlen, "out of memory"), -1;
    }
    setup_cgroup(rt, c, cfg);
    pthread_mutex_lock(&rt->mu);
    lx_container **n = realloc(rt->ct, (rt->nct + 1) * sizeof *n);
    if (n) rt->ct = n, rt->ct[rt->nct++] = c;
    pthread_mutex_unlock(&rt->mu);
    if (!n) {
        free_container(c);
        return snprintf(err, errlen, "out of memory"), -1;
    }
    snprintf(id, CK_CRI_ID_LEN, "%s", c->st.id);
    return 0;
}

static int lx_start(ck_cri *base, const char *id, char *err, size_t errlen)
{
    lx_runtime *rt = (lx_runtime *)base;
    pthread_mutex_lock(&rt->mu);
    lx_container *c = find_ct(rt, id);
    lx_sandbox *s = c ? find_sb(rt, c->st.sandbox_id) : NULL;
    int state = c ? (int)c->st.state : -1;
    pthread_mutex_unlock(&rt->mu);
    if (!c || !s) return not_found("container", id, err, errlen);
    if (state != CK_CONTAINER_CREATED) return snprintf(err, errlen, "container %s is not in created state", id), -1;
    int rc = lx_container_spawn(rt, s, c, err, errlen);
    pthread_mutex_lock(&rt->mu);
    c->st.started_at = time(NULL);
    c->st.state = CK_CONTAINER_RUNNING;
    if (rc < 0) {
        /* The shim exits 128 once init failed; record it as containerd does. */
        if (c->shim > 0) waitpid(c->shim, NULL, 0);
        c->shim = c->init = 0;
        c->st.pid = 0;
        c->st.state = CK_CONTAINER_EXITED;
        c->st.exit_code = 128;
        c->st.finished_at = c->st.started_at;
        snprintf(c->st.reason, sizeof c->st.reason, "StartError");
        snprintf(c->st.message, sizeof c->st.message, "%s", err);
    }
    pthread_mutex_unlock(&rt->mu);
    return rc;
}

static int lx_stop(ck_cri *base, const char *id, long timeout_s, char *err, size_t errlen)
{
    lx_runtime *rt = (lx_runtime *)base;
    pthread_mutex_lock(&rt->mu);
    lx_container *c = find_ct(rt, id);
    pthread_mutex_unlock(&rt->mu);
    if (!c) return not_found("container", id, err, errlen);
    stop_process(rt, c, timeout_s);
    return 0;
}

static int lx_remove(ck_cri *base, const char *id, char *err, size_t errlen)
{
    lx_runtime *rt = (lx_runtime *)base;
    lx_stop(base, id, 0, err, errlen);
    pthread_mutex_lock(&rt->mu);
    lx_container *c = NULL;
    for (size_t i = 0; i < rt->nct; i++)
        if (strcmp(rt->ct[i]->st.id, id) == 0) {
            c = rt->ct[i];
            rt->ct[i] = rt->ct[--rt->nct];
            break;
        }
    pthread_mutex_unlock(&rt->mu);
    if (!c) return 0;
    ck_cmd(NULL, 0, "rm", "-rf", c->dir, NULL);
    if (c->cgroup[0]) rmdir(c->cgroup);
    free_container(c);
    return 0;
}

static int lx_status(ck_cri *base, const char *id, ck_cri_container_status *out, char *err, size_t errlen)
{
    lx_runtime *rt = (lx_runtime *)base;
    pthread_mutex_lock(&rt->mu);
    lx_container *c = find_ct(rt, id);
    if (c) reap(c), *out = c->st;
    pthread_mutex_unlock(&rt->mu);
    return c ? 0 : not_found("container", id, err, errlen);
}

static int lx_list(ck_cri *base, const char *sandbox_id, ck_cri_container_status **out, size_t *n, char *err,
                   size_t errlen)
{
    lx_runtime *rt = (lx_runtime *)base;
    pthread_mutex_lock(&rt->mu);
    *out = calloc(rt->nct + 1, sizeof **out);
    *n = 0;
    for (size_t i = 0; *out && i < rt->nct; i++)
        if (!sandbox_id || strcmp(rt->ct[i]->st.sandbox_id, sandbox_id) == 0) {
            reap(rt->ct[i]);
            (*out)[(*n)++] = rt->ct[i]->st;
        }
    pthread_mutex_unlock(&rt->mu);
    return *out ? 0 : (snprintf(err, errlen, "out of memory"), -1);
}

static int lx_exec(ck_cri *base, const char *id, const char *const *argv, long timeout_s, char **output,
                   int *exit_code, char *err, size_t errlen)
{
    lx_runtime *rt = (lx_runtime *)base;
    pthread_mutex_lock(&rt->mu);
    lx_container *c = find_ct(rt, id);
    if (c) reap(c);
    bool running = c && c->st.state == CK_CONTAINER_RUNNING;
    pthread_mutex_unlock(&rt->mu);
    if (!running) return snprintf(err, errlen, "container %s is not running", id), -1;
    return lx_container_exec(c, argv, timeout_s, output, exit_code, err, errlen);
}

/* Containers do not outlive this runtime: the kubelet keeps no record to
 * re-adopt them after a restart, so everything is stopped and removed. */
static void lx_destroy(ck_cri *base)
{
    lx_runtime *rt = (lx_runtime *)base;
    char err[256];
    while (rt->nsb) {
        char id[CK_CRI_ID_LEN];
        snprintf(id, sizeof id, "%s", rt->sb[rt->nsb - 1]->id);
        lx_remove_sandbox(base, id, err, sizeof err);
    }
    while (rt->nct) {
        char id[CK_CRI_ID_LEN];
        snprintf(id, sizeof id, "%s", rt->ct[rt->nct - 1]->st.id);
        lx_remove(base, id, err, sizeof err);
    }
    free(rt->sb);
    free(rt->ct);
    free(rt->ip_used);
    pthread_mutex_destroy(&rt->mu);
    free(rt);
}

static const ck_cri_ops linux_ops = {
    "linux", lx_pull, lx_run_sandbox, lx_stop_sandbox, lx_remove_sandbox, lx_sandbox_status,
    lx_create, lx_start, lx_stop, lx_remove, lx_status, lx_list, lx_exec, lx_destroy,
};

ck_cri *ck_cri_linux_new(const ck_cri_options *opts, char *err, size_t errlen)
{
    lx_runtime *rt = calloc(1, sizeof *rt);
    if (!rt) return snprintf(err, errlen, "out of memory"), NULL;
    rt->base.ops = &linux_ops;
    pthread_mutex_init(&rt->mu, NULL);
    const char *root = opts && opts->root_dir ? opts->root_dir : "/var/lib/ckube/kubelet";
    const char *cidr = opts && opts->pod_cidr && *opts->pod_cidr ? opts->pod_cidr : "10.88.0.0/16";
    ck_node_pathf(rt->root, sizeof rt->root, "%s/runtime", root);
    snprintf(rt->image_dir, sizeof rt->image_dir, "%s",
             opts && opts->image_dir ? opts->image_dir : CK_IMAGE_DIR_DEFAULT);
    snprintf(rt->bridge, sizeof rt->bridge, "%s", opts && opts->bridge ? opts->bridge : "cbr0");
    if (ck_cidr_parse(cidr, &rt->pods) < 0 || ck_cidr_size(&rt->pods) < 4) {
        snprintf(err, errlen, "invalid pod CIDR %s", cidr);
        goto fail;
    }
    ck_cidr_nth(&rt->pods, 1, rt->gateway, sizeof rt->gateway);
    rt->ip_slots = ck_cidr_size(&rt->pods) > 65536 ? 65536 : (size_t)ck_cidr_size(&rt->pods);
    rt->ip_used = calloc(rt->ip_slots, 1);
    rt->cgroup_v2 = access(CGROUP_ROOT "/cgroup.controllers", F_OK) == 0;
    if (!rt->ip_used) {
        snprintf(err, errlen, "out of memory");
        goto fail;
    }
    if (geteuid() != 0) {
        snprintf(err, errlen, "the linux runtime needs root (namespaces, mounts, veth); use --runtime fake");
        goto fail;
    }
    if (ck_cmd(err, errlen, "mkdir", "-p", rt->root, rt->image_dir, NULL) != 0) goto fail;
    return &rt->base;
fail:
    free(rt->ip_used);
    pthread_mutex_destroy(&rt->mu);
    free(rt);
    return NULL;
}
