/* nodes.c: the nodes of a local cluster. With the linux runtime each node is
 * a host (network namespace on a cluster bridge, reference/lib/node/host.h)
 * running a kubelet and a kube-proxy; with the fake runtime the kubelets run
 * on loopback without namespaces. Addresses are derived from a hash of the
 * state directory so that two clusters on one machine do not collide. */
#include "ckube/nodes.h"
#include <curl/curl.h>
#include <dirent.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "node/host.h"
#include "util/ckjson.h"
#include "util/timeutil.h"

#define NODES_READY_TIMEOUT_MS 30000

typedef struct cluster_net {
    char name[16];       /* cluster name for host.h: "c<hash>" */
    char node_cidr[32];  /* 172.31.<h>.0/24 */
    int pod_octet;       /* pods are 10.<pod_octet>.<node>.0/24 */
    char cluster_cidr[32];
} cluster_net;

static void cluster_net_for(const char *dir, cluster_net *n)
{
    unsigned h = 2166136261u; /* FNV-1a of the directory */
    for (const char *p = dir; *p; p++) h = (h ^ (unsigned char)*p) * 16777619u;
    snprintf(n->name, sizeof n->name, "c%05x", h & 0xfffff);
    snprintf(n->node_cidr, sizeof n->node_cidr, "172.31.%u.0/24", (h >> 8) % 250);
    n->pod_octet = 128 + (int)((h >> 16) % 64); /* clear of the 10.96.0.0/12 service range */
    snprintf(n->cluster_cidr, sizeof n->cluster_cidr, "10.%d.0.0/16", n->pod_octet);
}

static const char *ip_binary(void)
{
    static const char *const paths[] = {"/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip", "/bin/ip"};
    for (size_t i = 0; i < 4; i++)
        if (access(paths[i], X_OK) == 0) return paths[i];
    return NULL;
}

static bool binary(const ck_cluster_opts *o, const char *name, char *out, size_t n)
{
    snprintf(out, n, "%s/%s", o->bin_dir, name);
    return access(out, X_OK) == 0;
}

static bool use_hosts(const ck_cluster_opts *o) { return strcmp(o->runtime, "linux") == 0; }

int ck_nodes_cloud_config(const char *dir, char *path, size_t n, char *cluster_cidr, size_t m)
{
    cluster_net net;
    cluster_net_for(dir, &net);
    snprintf(path, n, "%s/cloud.conf", dir);
    snprintf(cluster_cidr, m, "%s", net.cluster_cidr);
    FILE *f = fopen(path, "w");
    if (!f) return -1;
    /* the local cloud provider's hosts are this cluster's node hosts */
    fprintf(f, "cluster = %s\nnode-cidr = %s\n", net.name, net.node_cidr);
    return fclose(f);
}

bool ck_nodes_supported(const ck_cluster_opts *o)
{
    char bin[4096];
    if (o->nodes <= 0 || !binary(o, "kubelet", bin, sizeof bin)) return false;
    return !use_hosts(o) || (geteuid() == 0 && ip_binary());
}

/* Counts Ready nodes through the API. */
static int ready_nodes(int port)
{
    char url[128];
    snprintf(url, sizeof url, "http://127.0.0.1:%d/api/v1/nodes", port);
    CURL *c = curl_easy_init();
    if (!c) return 0;
    char *body = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&body, &len);
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, mem);
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, 2000L);
    CURLcode rc = curl_easy_perform(c);
    curl_easy_cleanup(c);
    fclose(mem);
    int ready = 0;
    json_t *list = rc == CURLE_OK ? json_loadb(body, len, 0, NULL) : NULL;
    free(body);
    size_t i, j;
    json_t *node, *cond;
    json_array_foreach(json_object_get(list, "items"), i, node)
        json_array_foreach(ck_json_path(node, "status.conditions"), j, cond)
            if (!strcmp(ck_json_str(cond, "type", ""), "Ready") && !strcmp(ck_json_str(cond, "status", ""), "True"))
                ready++;
    json_decref(list);
    return ready;
}

/* POSTs a JSON body to the apiserver on loopback; 409 (exists) is fine. */
static int api_post(int port, const char *path, const char *body, char *err, size_t errlen)
{
    char url[512];
    snprintf(url, sizeof url, "http://127.0.0.1:%d%s", port, path);
    CURL *c = curl_easy_init();
    if (!c) { snprintf(err, errlen, "curl init failed"); return -1; }
    struct curl_slist *h = curl_slist_append(NULL, "Content-Type: application/json");
    FILE *sink = fopen("/dev/null", "w");
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, sink);
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, 5000L);
    long code = 0;
    CURLcode rc = curl_easy_perform(c);
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
    curl_slist_free_all(h);
    curl_easy_cleanup(c);
    if (sink) fclose(sink);
    if (rc != CURLE_OK || (code != 201 && code != 409)) {
        snprintf(err, errlen, "POST %s: %s (HTTP %ld)", path, rc != CURLE_OK ? curl_easy_strerror(rc) : "refused", code);
        return -1;
    }
    return 0;
}

/* Cluster DNS (reference/dns) in the root namespace on the node bridge's
 * address, behind the kube-system/kube-dns Service at the conventional
 * 10.96.0.10 with a selector-less Endpoints, as CoreDNS is reached. */
static int start_dns(const ck_cluster_opts *o, const char *dir, const char *gateway, int aport, char *err, size_t errlen)
{
    char bin[4096], kubeconfig[4200], v[16];
    if (!binary(o, "dns", bin, sizeof bin)) return 0;
    snprintf(kubeconfig, sizeof kubeconfig, "%s/kubeconfig", dir);
    snprintf(v, sizeof v, "%d", o->verbosity);
    char *argv[] = {bin, "--kubeconfig", kubeconfig, "--listen", (char *)gateway, "--port", "53", "--cluster-domain",
                    "cluster.local", "-v", v, NULL};
    if (ck_spawn(dir, "dns", argv, err, errlen) < 0) return -1;
    static const char svc[] =
        "{\"apiVersion\":\"v1\",\"kind\":\"Service\",\"metadata\":{\"name\":\"kube-dns\",\"namespace\":\"kube-system\","
        "\"labels\":{\"k8s-app\":\"kube-dns\",\"kubernetes.io/cluster-service\":\"true\",\"kubernetes.io/name\":\"CoreDNS\"}},"
        "\"spec\":{\"clusterIP\":\"10.96.0.10\",\"ports\":[{\"name\":\"dns\",\"port\":53,\"protocol\":\"UDP\",\"targetPort\":53},"
        "{\"name\":\"dns-tcp\",\"port\":53,\"protocol\":\"TCP\",\"targetPort\":53}]}}";
    char ep[1024];
    snprintf(ep, sizeof ep,
             "{\"apiVersion\":\"v1\",\"kind\":\"Endpoints\",\"metadata\":{\"name\":\"kube-dns\",\"namespace\":\"kube-system\","
             "\"labels\":{\"k8s-app\":\"kube-dns\"}},\"subsets\":[{\"addresses\":[{\"ip\":\"%s\"}],\"ports\":["
             "{\"name\":\"dns\",\"port\":53,\"protocol\":\"UDP\"},{\"name\":\"dns-tcp\",\"port\":53,\"protocol\":\"TCP\"}]}]}",
             gateway);
    if (api_post(aport, "/api/v1/namespaces/kube-system/services", svc, err, errlen) < 0) return -1;
    return api_post(aport, "/api/v1/namespaces/kube-system/endpoints", ep, err, errlen);
}

static int record_node(const char *dir, const cluster_net *net, int index)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/nodes", dir);
    FILE *f = fopen(path, "a");
    if (!f) return -1;
    fprintf(f, "%s %d %s\n", net->name, index, net->node_cidr);
    return fclose(f);
}

static int start_node(const ck_cluster_opts *o, const char *dir, const cluster_net *net, int i, int aport,
                      char *gateway, char *err, size_t errlen)
{
    char kubelet[4096], proxy[4096], name[32], master[96], pod_cidr[32], root[4200], port[16], v[16];
    binary(o, "kubelet", kubelet, sizeof kubelet);
    snprintf(name, sizeof name, "node-%d", i + 1);
    snprintf(pod_cidr, sizeof pod_cidr, "10.%d.%d.0/24", net->pod_octet, i + 1);
    snprintf(root, sizeof root, "%s/kubelet/%s", dir, name);
    snprintf(v, sizeof v, "%d", o->verbosity);
    char logname[64];
    snprintf(logname, sizeof logname, "kubelet-%s", name);
    if (!use_hosts(o)) { /* fake runtime: kubelets on loopback */
        snprintf(master, sizeof master, "http://127.0.0.1:%d", aport);
        snprintf(port, sizeof port, "%d", 10250 + 10 + i);
        char *argv[] = {kubelet, "--node-name", name, "--master", master, "--pod-cidr", pod_cidr, "--runtime", "fake",
                        "--root-dir", root, "--address", "127.0.0.1", "--node-ip", "127.0.0.1", "--port", port,
                        "-v", v, NULL};
        return ck_spawn(dir, logname, argv, err, errlen) < 0 ? -1 : 0;
    }
    ck_node_host_config hc = {.cluster = net->name, .index = i, .node_cidr = net->node_cidr, .pod_cidr = pod_cidr};
    ck_node_host h;
    if (record_node(dir, net, i) != 0) {
        snprintf(err, errlen, "%s/nodes: cannot record node %s", dir, name);
        return -1;
    }
    if (ck_node_host_create(&hc, &h, err, errlen) < 0) return -1;
    snprintf(gateway, 16, "%s", h.gateway);
    char *ip = (char *)ip_binary();
    snprintf(master, sizeof master, "http://%s:%d", h.gateway, aport);
    char ccm[4096];
    bool external = binary(o, "cloud-controller-manager", ccm, sizeof ccm);
    char *argv[] = {ip, "netns", "exec", h.netns, kubelet, "--node-name", name, "--master", master, "--node-ip",
                    h.node_ip, "--pod-cidr", h.pod_cidr, "--address", "0.0.0.0", "--port", "10250", "--runtime",
                    "linux", "--root-dir", root, "-v", v, "--cluster-dns", "10.96.0.10", "--cluster-domain",
                    "cluster.local",
                    /* with a cloud-controller-manager the node waits to be initialised by it */
                    external ? "--cloud-provider" : NULL, "external", NULL};
    if (ck_spawn(dir, logname, argv, err, errlen) < 0) return -1;
    if (!binary(o, "kube-proxy", proxy, sizeof proxy)) return 0;
    snprintf(logname, sizeof logname, "kube-proxy-%s", name);
    char *pargv[] = {ip, "netns", "exec", h.netns, proxy, "--master", master, "--hostname-override", name,
                     "--proxy-mode", "iptables", "--cluster-cidr", (char *)net->cluster_cidr, "-v", v, NULL};
    return ck_spawn(dir, logname, pargv, err, errlen) < 0 ? -1 : 0;
}

int ck_nodes_up(const ck_cluster_opts *o, const char *dir, int apiserver_port, char *err, size_t errlen)
{
    if (!ck_nodes_supported(o)) {
        if (o->nodes > 0)
            fprintf(stderr, "ckube: %s: starting the control plane only\n",
                    !use_hosts(o) || geteuid() == 0 ? "no kubelet built" : "node hosts need root (or --runtime fake)");
        return 0;
    }
    cluster_net net;
    cluster_net_for(dir, &net);
    char gateway[16] = "";
    for (int i = 0; i < o->nodes; i++)
        if (start_node(o, dir, &net, i, apiserver_port, gateway, err, errlen) < 0) return -1;
    if (gateway[0] && start_dns(o, dir, gateway, apiserver_port, err, errlen) < 0) return -1;
    int64_t deadline = ck_mono_ms() + NODES_READY_TIMEOUT_MS;
    int ready = 0;
    while ((ready = ready_nodes(apiserver_port)) < o->nodes && ck_mono_ms() < deadline) usleep(200 * 1000);
    if (ready < o->nodes)
        fprintf(stderr, "ckube: only %d of %d nodes Ready after %d s; see %s/logs/\n", ready, o->nodes,
                NODES_READY_TIMEOUT_MS / 1000, dir);
    return 0;
}

/* What the kubelets' linux runtime leaves once its processes are gone: pod
 * sandboxes' network namespaces (ckp-<sandbox id>, one per
 * <dir>/kubelet/<node>/runtime/<id>) and mounts under the state directory. */
static void remove_pod_leftovers(const char *dir)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/kubelet", dir);
    DIR *nodes = opendir(path);
    struct dirent *ne, *se;
    const char *ip = ip_binary();
    while (nodes && ip && (ne = readdir(nodes))) {
        if (ne->d_name[0] == '.') continue;
        char rt[4500];
        snprintf(rt, sizeof rt, "%s/%s/runtime", path, ne->d_name);
        DIR *sb = opendir(rt);
        while (sb && (se = readdir(sb))) {
            if (se->d_name[0] == '.') continue;
            char ns[96];
            snprintf(ns, sizeof ns, "/run/netns/ckp-%.32s", se->d_name);
            if (access(ns, F_OK) != 0) continue;
            char *argv[] = {(char *)ip, "netns", "del", ns + 11, NULL};
            pid_t pid = fork();
            if (pid == 0) {
                execv(ip, argv);
                _exit(127);
            }
            if (pid > 0) waitpid(pid, NULL, 0);
        }
        if (sb) closedir(sb);
    }
    if (nodes) closedir(nodes);
    /* mounts under dir, deepest first */
    char *mnts[1024];
    size_t n = 0;
    FILE *m = fopen("/proc/self/mounts", "r");
    char line[8192], dev[4096], mp[4096];
    size_t dl = strlen(dir);
    while (m && fgets(line, sizeof line, m) && n < 1024)
        if (sscanf(line, "%4095s %4095s", dev, mp) == 2 && strncmp(mp, dir, dl) == 0 && (mp[dl] == '/' || !mp[dl]))
            mnts[n++] = strdup(mp);
    if (m) fclose(m);
    for (size_t i = n; i-- > 0;) {
        if (mnts[i]) umount2(mnts[i], MNT_DETACH);
        free(mnts[i]);
    }
}

void ck_nodes_down(const char *dir)
{
    remove_pod_leftovers(dir);
    char path[4200], cluster[32] = "", cidr[32];
    snprintf(path, sizeof path, "%s/nodes", dir);
    FILE *f = fopen(path, "r");
    if (!f) return;
    int index;
    char err[256];
    while (fscanf(f, "%31s %d %31s", cluster, &index, cidr) == 3) {
        ck_node_host_config hc = {.cluster = cluster, .index = index, .node_cidr = cidr};
        if (ck_node_host_destroy(&hc, err, sizeof err) < 0) fprintf(stderr, "ckube down: %s\n", err);
    }
    fclose(f);
    if (cluster[0] && ck_node_host_network_destroy(cluster, err, sizeof err) < 0)
        fprintf(stderr, "ckube down: %s\n", err);
    unlink(path);
}
