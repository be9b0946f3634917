/* volumes.c: the volume manager in miniature: every volume is a directory
 * under <root>/pods/<uid>/volumes/<name> (emptyDir; configMap, secret,
 * downwardAPI and projected files written from the API; hostPath is the host
 * path itself), bind-mounted per volumeMounts; plus the kubelet-managed
 * /etc/hosts (kubelet_pods.go managedHostsFileContent) and termination log. */
#define _GNU_SOURCE
#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>
#include "api/quantity.h"
#include "kubelet/hostpath.h"
#include "kubelet/kubelet_internal.h"
#include "kubelet/subpath.h"
#include "kubelet/token_manager.h"
#include "node/cmd.h"
#include "store/base64.h"
#include "util/ckjson.h"

/* best effort: a failure shows when the directory is used */
static void mkdir_quiet(const char *path) { (void)ck_mkdir_p(path, NULL, 0); }

static void write_hosts(ck_kubelet *k, ck_pod_worker *w, const char *dir);
static void write_aliases(FILE *f, const json_t *pod);

int ck_pod_dir(const ck_kubelet *k, const ck_pod_worker *w, const char *sub, char *out, size_t outlen)
{
    return ck_node_pathf(out, outlen, "%s/pods/%s%s%s", k->root, w->uid, *sub ? "/" : "", sub);
}

int ck_log_path(const ck_kubelet *k, const ck_pod_worker *w, const char *ctr, int attempt, char *out, size_t outlen)
{
    char dir[1200];
    if (ck_node_pathf(dir, sizeof dir, "%s/logs/%s_%s_%s/%s", k->root, w->ns, w->name, w->uid, ctr) < 0) return -1;
    mkdir_quiet(dir);
    return ck_node_pathf(out, outlen, "%s/%d.log", dir, attempt);
}

/* configMap/secret/downwardAPI/projected defaultMode (0644, as upstream's
 * *VolumeSourceDefaultMode); an item's mode wins over it. */
#define DEFAULT_MODE 0644

static int item_mode(const json_t *item, int dflt)
{
    const json_t *m = json_object_get(item, "mode");
    return json_is_integer(m) ? (int)(json_integer_value(m) & 07777) : dflt;
}

/* The files written into the API volume being set up (relative paths); what
 * is not in it afterwards is stale (a deleted optional source, a removed key)
 * and goes, as AtomicWriter's new ..data would not hold it. */
static __thread json_t *written;
static __thread size_t prune_base;

static int write_file(const char *dir, const char *rel, const char *data, size_t n, int mode)
{
    if (written) json_object_set_new(written, rel, json_true());
    char path[2048];
    if (strstr(rel, "..") || ck_node_pathf(path, sizeof path, "%s/%s", dir, rel) < 0) return -1;
    char *slash = strrchr(path, '/');
    *slash = 0;
    mkdir_quiet(path);
    *slash = '/';
    /* Replaced by rename, so a reader never sees half a file (AtomicWriter's
     * ..data swap, per file here). */
    char tmp[2100];
    snprintf(tmp, sizeof tmp, "%s.ck-tmp", path);
    FILE *f = fopen(tmp, "w");
    if (!f) return -1;
    fwrite(data, 1, n, f);
    fchmod(fileno(f), (mode_t)mode); /* not umask'd: the exact mode asked for */
    if (fclose(f) != 0) return -1;
    return rename(tmp, path);
}

/* One data map into dir (base64-decoded when b64), honouring items (key -> path, mode). */
static void write_data(const char *dir, const json_t *data, bool b64, const json_t *items, int mode)
{
    const char *key;
    json_t *v;
    json_object_foreach((json_t *)data, key, v) {
        const char *path = key;
        int fmode = mode;
        if (json_array_size(items)) {
            path = NULL;
            size_t i;
            json_t *it;
            json_array_foreach(items, i, it) if (strcmp(ck_json_str(it, "key", ""), key) == 0) {
                path = ck_json_str(it, "path", key);
                fmode = item_mode(it, mode);
            }
            if (!path) continue;
        }
        const char *s = json_string_value(v) ?: "";
        size_t n = strlen(s);
        char *dec = b64 ? ck_base64_decode(s, n, &n) : NULL;
        write_file(dir, path, dec ? dec : s, dec || !b64 ? n : 0, fmode);
        free(dec);
    }
}

/* configMap (data, and binaryData base64) / secret (data, base64) into dir. */
static int write_keys(ck_kubelet *k, ck_pod_worker *w, const char *resource, const char *name, const json_t *items,
                      const char *dir, bool optional, int mode, char *err, size_t errlen)
{
    ck_resource_ref ref = {"", "v1", resource, w->ns, name, NULL};
    ck_response r = {0};
    if (ck_rest_get(k->rest, &ref, &r) < 0) {
        int rc = optional && r.code == 404 ? 0 : -1;
        if (rc) snprintf(err, errlen, "%s \"%s\" not found", strcmp(resource, "secrets") ? "configmap" : "secret", name);
        ck_response_clear(&r);
        return rc;
    }
    bool secret = strcmp(resource, "secrets") == 0;
    write_data(dir, json_object_get(r.body, "data"), secret, items, mode);
    if (!secret) write_data(dir, json_object_get(r.body, "binaryData"), true, items, mode);
    ck_response_clear(&r);
    return 0;
}

/* downwardAPI items: fieldRef (labels/annotations as upstream's FormatMap
 * key="value" lines) and resourceFieldRef (containerName required). */
static void write_downward(ck_kubelet *k, ck_pod_worker *w, const json_t *items, const char *dir, int mode)
{
    size_t i;
    json_t *it;
    ck_env_context ctx = {.pod = w->pod, .pod_ip = w->pod_ip, .host_ip = k->node_ip, .node_name = k->node_name,
                          .node_cpu = k->alloc_cpu, .node_memory = k->alloc_memory};
    json_array_foreach(items, i, it) {
        const char *fp = ck_json_str(it, "fieldRef.fieldPath", "");
        char *text = NULL, buf[64], e[256];
        if (json_object_get(it, "resourceFieldRef")) {
            if (ck_env_resource_field(&ctx, NULL, json_object_get(it, "resourceFieldRef"), buf, sizeof buf, e,
                                      sizeof e) == 0)
                text = strdup(buf);
        } else if (strcmp(fp, "metadata.labels") == 0 || strcmp(fp, "metadata.annotations") == 0) {
            const char *key;
            json_t *v;
            size_t len = 0;
            FILE *m = open_memstream(&text, &len);
            if (m) {
                json_object_foreach(ck_json_path(w->pod, fp), key, v) fprintf(m, "%s=\"%s\"\n", key, json_string_value(v) ?: "");
                fclose(m);
            }
        } else text = ck_env_field_ref(&ctx, fp);
        if (!text) text = strdup(ck_json_str(w->pod, fp, ""));
        if (text) write_file(dir, ck_json_str(it, "path", "x"), text, strlen(text), item_mode(it, mode));
        free(text);
    }
}

static int default_mode(const json_t *src)
{
    const json_t *m = json_object_get(src, "defaultMode");
    return json_is_integer(m) ? (int)(json_integer_value(m) & 07777) : DEFAULT_MODE;
}

static int setup_projected(ck_kubelet *k, ck_pod_worker *w, const json_t *s, const char *dir, char *err, size_t errlen)
{
    size_t i;
    json_t *src, *x;
    int mode = default_mode(s);
    json_array_foreach(json_object_get(s, "sources"), i, src) {
        if ((x = json_object_get(src, "configMap")) &&
            write_keys(k, w, "configmaps", ck_json_str(x, "name", ""), json_object_get(x, "items"), dir,
                       ck_json_bool(x, "optional", false), mode, err, errlen) < 0)
            return -1;
        if ((x = json_object_get(src, "secret")) &&
            write_keys(k, w, "secrets", ck_json_str(x, "name", ""), json_object_get(x, "items"), dir,
                       ck_json_bool(x, "optional", false), mode, err, errlen) < 0)
            return -1;
        if ((x = json_object_get(src, "downwardAPI"))) write_downward(k, w, json_object_get(x, "items"), dir, mode);
        /* A TokenRequest token bound to the pod, renewed at 80% of its life. */
        if ((x = json_object_get(src, "serviceAccountToken"))) {
            if (ck_token_manager_project(k, w, x, dir, mode, err, errlen) < 0) return -1;
            if (written) json_object_set_new(written, ck_json_str(x, "path", "token"), json_true()); /* kept */
        }
    }
    return 0;
}

static int setup_volume(ck_kubelet *k, ck_pod_worker *w, const json_t *v, const char *dir, char *err, size_t errlen)
{
    json_t *s;
    if ((s = json_object_get(v, "configMap")))
        return write_keys(k, w, "configmaps", ck_json_str(s, "name", ""), json_object_get(s, "items"), dir,
                          ck_json_bool(s, "optional", false), default_mode(s), err, errlen);
    if ((s = json_object_get(v, "secret")))
        return write_keys(k, w, "secrets", ck_json_str(s, "secretName", ""), json_object_get(s, "items"), dir,
                          ck_json_bool(s, "optional", false), default_mode(s), err, errlen);
    if ((s = json_object_get(v, "downwardAPI"))) write_downward(k, w, json_object_get(s, "items"), dir, default_mode(s));
    if ((s = json_object_get(v, "projected"))) return setup_projected(k, w, s, dir, err, errlen);
    return 0;
}

/* emptyDir medium Memory (volume/emptydir setupTmpfs): a tmpfs of
 * size=sizeLimit when set, mounted once on the volume's directory. */
static bool is_memory(const json_t *v)
{
    return strcmp(ck_json_str(v, "emptyDir.medium", ""), "Memory") == 0;
}

static bool is_mount_point(const char *dir)
{
    char parent[2100];
    struct stat a, b;
    snprintf(parent, sizeof parent, "%s/..", dir);
    return stat(dir, &a) == 0 && stat(parent, &b) == 0 && a.st_dev != b.st_dev;
}

static int setup_tmpfs(const json_t *v, const char *dir, char *err, size_t errlen)
{
    char opts[64] = "";
    int64_t size = ck_quantity_value(ck_json_str(v, "emptyDir.sizeLimit", NULL), 0);
    if (is_mount_point(dir)) return 0;
    if (size > 0) snprintf(opts, sizeof opts, "size=%lld", (long long)size);
    if (mount("tmpfs", dir, "tmpfs", MS_NOSUID | MS_NODEV, opts) < 0)
        return snprintf(err, errlen, "mount tmpfs: %s", strerror(errno)), -1;
    return 0;
}

void ck_volumes_teardown(ck_kubelet *k, ck_pod_worker *w)
{
    char dir[1600], base[1200];
    size_t i;
    json_t *v;
    if (ck_pod_dir(k, w, "", base, sizeof base) < 0) return;
    json_array_foreach(ck_json_path(w->pod, "spec.volumes"), i, v) {
        if (!is_memory(v) || ck_node_pathf(dir, sizeof dir, "%s/volumes/%s", base, ck_json_str(v, "name", "_")) < 0)
            continue;
        if (is_mount_point(dir)) umount2(dir, MNT_DETACH);
    }
}

/* /etc/resolv.conf of the pod (network/dns), from --cluster-dns/--cluster-domain
 * and the node's --resolv-conf. */
static void write_resolv(ck_kubelet *k, ck_pod_worker *w, const char *dir)
{
    char *host = NULL;
    size_t len = 0;
    FILE *f = fopen(k->resolv_conf, "r");
    if (f) {
        host = calloc(1, 8192);
        if (host) len = fread(host, 1, 8191, f);
        fclose(f);
    }
    char *text = ck_dns_resolv_conf(w->pod, (const char *const *)k->cluster_dns, k->n_cluster_dns, k->cluster_domain,
                                    host ? host : "");
    (void)len;
    if (text) write_file(dir, "resolv.conf", text, strlen(text), 0644);
    free(text);
    free(host);
}

void ck_volumes_hosts(ck_kubelet *k, ck_pod_worker *w)
{
    char base[1200];
    if (ck_pod_dir(k, w, "", base, sizeof base) == 0) write_hosts(k, w, base);
}

char *ck_hosts_file(const json_t *pod, const char *ip, const char *cluster_domain)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    if (!f) return NULL;
    fputs("# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n"
          "fe00::0\tip6-localnet\nfe00::0\tip6-mcastprefix\nfe00::1\tip6-allnodes\nfe00::2\tip6-allrouters\n", f);
    /* GeneratePodHostNameAndDomain: <hostname>.<subdomain>.<ns>.svc.<domain> */
    const char *host = ck_json_str(pod, "spec.hostname", ck_json_str(pod, "metadata.name", ""));
    const char *sub = ck_json_str(pod, "spec.subdomain", "");
    if (ip && *ip && *sub)
        fprintf(f, "%s\t%s.%s.%s.svc.%s\t%s\n", ip, host, sub, ck_json_str(pod, "metadata.namespace", "default"),
                cluster_domain, host);
    else if (ip && *ip) fprintf(f, "%s\t%s\n", ip, host);
    write_aliases(f, pod);
    if (fclose(f) != 0) return free(text), NULL;
    return text;
}

/* hostsEntriesFromHostAliases: one line per IP, its hostnames tab-separated */
static void write_aliases(FILE *f, const json_t *pod)
{
    const json_t *aliases = ck_json_path(pod, "spec.hostAliases");
    if (json_array_size(aliases)) fputs("\n# Entries added by HostAliases.\n", f);
    size_t i, j;
    json_t *a, *h;
    json_array_foreach(aliases, i, a) {
        fputs(ck_json_str(a, "ip", ""), f);
        json_array_foreach(json_object_get(a, "hostnames"), j, h) fprintf(f, "\t%s", json_string_value(h) ?: "");
        fputc('\n', f);
    }
}

char *ck_hosts_file_host_network(const json_t *pod, const char *node_hosts)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    if (!f) return NULL;
    fputs("# Kubernetes-managed hosts file (host network).\n", f); /* managedHostsHeaderWithHostNetwork */
    fputs(node_hosts ? node_hosts : "", f);
    write_aliases(f, pod);
    if (fclose(f) != 0) return free(text), NULL;
    return text;
}

/* ensureHostsFile: a hostNetwork pod sees the node's hosts file (etcHostsPath). */
#define NODE_HOSTS "/etc/hosts"

static void write_hosts(ck_kubelet *k, ck_pod_worker *w, const char *dir)
{
    char *text = NULL;
    if (ck_json_bool(w->pod, "spec.hostNetwork", false)) {
        char *node = NULL;
        size_t len = 0;
        FILE *f = fopen(NODE_HOSTS, "r"), *m = f ? open_memstream(&node, &len) : NULL;
        char buf[4096];
        size_t n;
        while (m && (n = fread(buf, 1, sizeof buf, f)) > 0) fwrite(buf, 1, n, m);
        if (m) fclose(m);
        if (f) fclose(f);
        text = ck_hosts_file_host_network(w->pod, node);
        free(node);
    } else text = ck_hosts_file(w->pod, w->pod_ip, k->cluster_domain);
    if (text) write_file(dir, "etc-hosts", text, strlen(text), 0644);
    free(text);
}

static int prune_one(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
    (void)st;
    if (ftw->level == 0 || strlen(path) <= prune_base) return 0;
    const char *rel = path + prune_base + 1;
    if (type == FTW_DP) rmdir(path); /* only when empty */
    else if (!json_object_get(written, rel)) unlink(path);
    return 0;
}

static void prune_stale(const char *dir)
{
    prune_base = strlen(dir);
    nftw(dir, prune_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* pkg/volume/volume_linux.go SetVolumeOwnership: with a pod fsGroup every
 * file of the volume gets that group and g+rw (g+r on read-only volumes);
 * directories also g+x and setgid, so new files inherit the group. */
static __thread gid_t own_gid;
static __thread mode_t own_mask;

static int own_one(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
    (void)ftw;
    if (lchown(path, (uid_t)-1, own_gid) < 0 || type == FTW_SL) return 0;
    mode_t mask = own_mask | (S_ISDIR(st->st_mode) ? S_ISGID | 0110 : 0);
    chmod(path, (st->st_mode & 07777) | mask);
    return 0;
}

static void set_ownership(const ck_pod_worker *w, const json_t *v, const char *dir)
{
    const json_t *fs = ck_json_path(w->pod, "spec.securityContext.fsGroup");
    if (!json_is_integer(fs)) return;
    bool ro = json_object_get(v, "configMap") || json_object_get(v, "secret") || json_object_get(v, "downwardAPI") ||
              json_object_get(v, "projected");
    own_gid = (gid_t)json_integer_value(fs);
    own_mask = ro ? 0440 : 0660;
    nftw(dir, own_one, 16, FTW_PHYS);
}

/* Writes every API-backed volume (all volumes when `all`, which also makes
 * the directories); the first failure is reported as FailedMount's message. */
static int setup_all(ck_kubelet *k, ck_pod_worker *w, const char *base, bool all, char *err, size_t errlen)
{
    char dir[1600], e[512];
    size_t i;
    json_t *v;
    json_array_foreach(ck_json_path(w->pod, "spec.volumes"), i, v) {
        if (json_object_get(v, "hostPath")) {
            /* hostPath: only its type (hostpath.c) on the first setup */
            const char *hp = ck_json_str(v, "hostPath.path", "/");
            if (all && (ck_node_pathf(dir, sizeof dir, "%s", hp) < 0 ||
                        ck_hostpath_check(dir, hp, ck_json_str(v, "hostPath.type", ""), e, sizeof e) < 0)) {
                snprintf(err, errlen, "MountVolume.SetUp failed for volume \"%s\" : %s", ck_json_str(v, "name", ""), e);
                return -1;
            }
            continue;
        }
        if (!all && !json_object_get(v, "configMap") && !json_object_get(v, "secret") &&
            !json_object_get(v, "downwardAPI") && !json_object_get(v, "projected"))
            continue;
        if (ck_node_pathf(dir, sizeof dir, "%s/volumes/%s", base, ck_json_str(v, "name", "_")) < 0) return -1;
        int rc = 0;
        if (all) {
            mkdir_quiet(dir);
            if (is_memory(v)) rc = setup_tmpfs(v, dir, e, sizeof e);
            chmod(dir, 0777); /* emptyDir is world-writable, as upstream (perm 0777) */
        }
        bool api = json_object_get(v, "configMap") || json_object_get(v, "secret") ||
                   json_object_get(v, "downwardAPI") || json_object_get(v, "projected");
        if (api) written = json_object();
        if (rc == 0) rc = setup_volume(k, w, v, dir, e, sizeof e);
        if (rc == 0 && written) prune_stale(dir);
        json_decref(written);
        written = NULL;
        if (rc < 0) {
            /* operation_generator.go GenerateMountVolumeFunc's error text */
            snprintf(err, errlen, "MountVolume.SetUp failed for volume \"%s\" : %s", ck_json_str(v, "name", ""), e);
            return -1;
        }
        set_ownership(w, v, dir);
    }
    return 0;
}

int ck_volumes_setup(ck_kubelet *k, ck_pod_worker *w, char *err, size_t errlen)
{
    char base[1200];
    if (ck_pod_dir(k, w, "", base, sizeof base) < 0) return snprintf(err, errlen, "path too long"), -1;
    mkdir_quiet(base);
    write_hosts(k, w, base);
    write_resolv(k, w, base);
    return setup_all(k, w, base, true, err, errlen);
}

int ck_volumes_refresh(ck_kubelet *k, ck_pod_worker *w, char *err, size_t errlen)
{
    char base[1200];
    if (ck_pod_dir(k, w, "", base, sizeof base) < 0) return snprintf(err, errlen, "path too long"), -1;
    return setup_all(k, w, base, false, err, errlen);
}

static const json_t *volume_named(const ck_pod_worker *w, const char *name)
{
    size_t i;
    json_t *v;
    json_array_foreach(ck_json_path(w->pod, "spec.volumes"), i, v) if (strcmp(ck_json_str(v, "name", ""), name) == 0) return v;
    return NULL;
}

static int add_mount(ck_cri_mount **m, size_t *n, const char *host, const char *ctr, bool ro)
{
    ck_cri_mount *nm = realloc(*m, (*n + 1) * sizeof *nm);
    if (!nm) return -1;
    *m = nm;
    nm[*n].host_path = strdup(host);
    nm[*n].container_path = strdup(ctr);
    nm[*n].readonly = ro;
    (*n)++;
    return nm[*n - 1].host_path && nm[*n - 1].container_path ? 0 : -1;
}

/* One volumeMount's host path: the volume's directory (a hostPath's path),
 * plus its subPath / expanded subPathExpr (subpath.c). 0, or -1 with err. */
static int mount_source(ck_kubelet *k, ck_pod_worker *w, const json_t *c, const json_t *vm, const json_t *v,
                        char *const *env, char *host, size_t hostlen, char *err, size_t errlen)
{
    char vol[2048], base[1200];
    int rc = json_object_get(v, "hostPath") ? ck_node_pathf(vol, sizeof vol, "%s", ck_json_str(v, "hostPath.path", "/"))
                                            : ck_pod_dir(k, w, "volumes", base, sizeof base);
    if (rc == 0 && !json_object_get(v, "hostPath"))
        rc = ck_node_pathf(vol, sizeof vol, "%s/%s", base, ck_json_str(v, "name", ""));
    if (rc < 0) return snprintf(err, errlen, "path too long"), -1;
    char *sub = ck_subpath_of(vm, env, err, errlen);
    if (!sub) return -1;
    if (*sub) rc = ck_subpath_prepare(vol, sub, ck_json_str(vm, "name", ""), ck_json_str(c, "name", ""), host, hostlen,
                                      err, errlen);
    else rc = ck_node_pathf(host, hostlen, "%s", vol);
    free(sub);
    return rc;
}

int ck_volumes_mounts(ck_kubelet *k, ck_pod_worker *w, const json_t *c, int attempt, ck_cri_mount **out, size_t *n,
                      char *err, size_t errlen)
{
    return ck_volumes_mounts_env(k, w, c, NULL, attempt, out, n, err, errlen);
}

int ck_volumes_mounts_env(ck_kubelet *k, ck_pod_worker *w, const json_t *c, char *const *env, int attempt,
                          ck_cri_mount **out, size_t *n, char *err, size_t errlen)
{
    char base[1200], host[2048], tl[2048];
    *out = NULL;
    *n = 0;
    ck_pod_dir(k, w, "", base, sizeof base);
    size_t i;
    json_t *vm;
    bool has_hosts = false, has_resolv = false;
    json_array_foreach(json_object_get(c, "volumeMounts"), i, vm) {
        const json_t *v = volume_named(w, ck_json_str(vm, "name", ""));
        if (!v) snprintf(err, errlen, "unable to find volume \"%s\"", ck_json_str(vm, "name", ""));
        if (!v || mount_source(k, w, c, vm, v, env, host, sizeof host, err, errlen) < 0) {
            ck_mounts_free(*out, *n);
            *out = NULL, *n = 0;
            return -1;
        }
        const char *mp = ck_json_str(vm, "mountPath", "/");
        has_hosts |= strcmp(mp, "/etc/hosts") == 0;
        has_resolv |= strcmp(mp, "/etc/resolv.conf") == 0;
        /* makeMounts: configMap, secret, downwardAPI and projected volumes are
         * always read-only in the container (their plugins' ReadOnly attribute). */
        bool api = json_object_get(v, "configMap") || json_object_get(v, "secret") ||
                   json_object_get(v, "downwardAPI") || json_object_get(v, "projected");
        add_mount(out, n, host, mp, api || ck_json_bool(vm, "readOnly", false));
    }
    /* makeMounts: /etc/hosts is kubelet-managed unless the container mounts its own */
    ck_node_pathf(host, sizeof host, "%s/etc-hosts", base);
    if (!has_hosts) add_mount(out, n, host, "/etc/hosts", false);
    ck_node_pathf(host, sizeof host, "%s/resolv.conf", base);
    if (!has_resolv && access(host, F_OK) == 0) add_mount(out, n, host, "/etc/resolv.conf", false);
    ck_node_pathf(host, sizeof host, "%s/containers", base);
    mkdir_quiet(host);
    ck_node_pathf(tl, sizeof tl, "%s/%s-%d-termination-log", host, ck_json_str(c, "name", ""), attempt);
    FILE *f = fopen(tl, "w");
    if (f) fclose(f);
    chmod(tl, 0666); /* kuberuntime_container.go: writable by a non-root container user */
    add_mount(out, n, tl, ck_json_str(c, "terminationMessagePath", "/dev/termination-log"), false);
    return 0;
}

void ck_mounts_free(ck_cri_mount *m, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free((char *)m[i].host_path);
        free((char *)m[i].container_path);
    }
    free(m);
}
