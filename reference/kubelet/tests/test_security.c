/* test_security.c: a container's privileges and its pod's kernel settings:
 * the capability set (containerd's default set, add/drop/ALL, privileged),
 * allowPrivilegeEscalation=false -> no_new_privs, the kubelet's safe-sysctl
 * allowlist (SysctlForbidden), hostPort mappings; then, as root in a
 * private network namespace, the linux runtime applying all of them
 * (CapBnd, NoNewPrivs, sysctls in the pod, hostPorts DNATed and removed). */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>
#include "kubelet/cri/linux_internal.h"
#include "kubelet/kubelet_internal.h"
#include "kubelet/logs.h"
#include "kubelet/port_mappings.h"
#include "kubelet/sysctl.h"
#include "node/cmd.h"
#include "util/ckjson.h"
#include "util/cktest.h"

#define BIT(n) ((uint64_t)1 << (n))
/* docker/containerd's default bounding set as /proc/<pid>/status shows it */
#define DEFAULT_CAPS 0x00000000a80425fbULL

static json_t *load(const char *text)
{
    json_error_t e;
    json_t *o = json_loads(text, 0, &e);
    if (!o) fprintf(stderr, "bad test JSON: %s\n", e.text);
    return o;
}

static void test_capability_sets(void)
{
    CU_ASSERT_EQUAL(lx_capabilities(false, NULL, NULL), DEFAULT_CAPS);
    CU_ASSERT_EQUAL(lx_capabilities(true, NULL, (const char *const[]){"ALL", NULL}), LX_CAPS_ALL);
    const char *const add[] = {"NET_ADMIN", "sys_time", "CAP_SYS_ADMIN" /* CAP_CAP_SYS_ADMIN: unknown */, NULL};
    const char *const drop[] = {"chown", "NET_RAW", NULL};
    uint64_t c = lx_capabilities(false, add, drop);
    CU_ASSERT_EQUAL(c, (DEFAULT_CAPS | BIT(12) | BIT(25)) & ~(BIT(0) | BIT(13)));
    CU_ASSERT_FALSE(c & BIT(21));
    /* drop ALL, then add back one; add ALL, then drop one */
    CU_ASSERT_EQUAL(lx_capabilities(false, (const char *const[]){"NET_BIND_SERVICE", NULL},
                                    (const char *const[]){"ALL", NULL}), BIT(10));
    CU_ASSERT_EQUAL(lx_capabilities(false, (const char *const[]){"ALL", NULL}, (const char *const[]){"CHOWN", NULL}),
                    LX_CAPS_ALL & ~BIT(0));
    CU_ASSERT_EQUAL(lx_capability_number("audit_write"), 29);
    CU_ASSERT_EQUAL(lx_capability_number("BPF"), 39);
    CU_ASSERT_EQUAL(lx_capability_number("NOPE"), -1);
}

static void test_security_context_caps(void)
{
    json_t *pod = load("{\"metadata\":{\"name\":\"p\"},\"spec\":{\"containers\":["
                       "{\"name\":\"a\",\"securityContext\":{\"privileged\":true}},"
                       "{\"name\":\"b\",\"securityContext\":{\"allowPrivilegeEscalation\":false,"
                       "\"capabilities\":{\"add\":[\"NET_ADMIN\"],\"drop\":[\"ALL\"]}}},"
                       "{\"name\":\"c\",\"securityContext\":{\"allowPrivilegeEscalation\":true}},"
                       "{\"name\":\"d\"}]}}");
    CU_ASSERT_PTR_NOT_NULL_FATAL(pod);
    json_t *cs = ck_json_path(pod, "spec.containers");
    uint32_t groups[4];
    char err[256];
    ck_cri_container_config cc[4];
    for (int i = 0; i < 4; i++) {
        memset(&cc[i], 0, sizeof cc[i]);
        CU_ASSERT_EQUAL(ck_security_context(pod, json_array_get(cs, i), &cc[i], groups, 4, err, sizeof err), 0);
    }
    CU_ASSERT_TRUE(cc[0].privileged);
    CU_ASSERT_FALSE(cc[0].no_new_privs);
    CU_ASSERT_PTR_NULL(cc[0].cap_add[0]);
    CU_ASSERT_FALSE(cc[1].privileged);
    CU_ASSERT_TRUE(cc[1].no_new_privs);
    CU_ASSERT_STRING_EQUAL(cc[1].cap_add[0], "NET_ADMIN");
    CU_ASSERT_PTR_NULL(cc[1].cap_add[1]);
    CU_ASSERT_STRING_EQUAL(cc[1].cap_drop[0], "ALL");
    CU_ASSERT_EQUAL(lx_capabilities(cc[1].privileged, cc[1].cap_add, cc[1].cap_drop), BIT(12));
    CU_ASSERT_FALSE(cc[2].no_new_privs); /* explicit true */
    CU_ASSERT_FALSE(cc[3].no_new_privs); /* unset: AddNoNewPrivileges is false */
    json_decref(pod);
}

static void test_sysctl_allowlist(void)
{
    char n[64], reason[64], msg[256];
    ck_sysctl_normalize("net/ipv4/conf/eth0.100/forwarding", n, sizeof n);
    CU_ASSERT_STRING_EQUAL(n, "net.ipv4.conf.eth0/100.forwarding");
    ck_sysctl_normalize("net.ipv4.tcp_syncookies", n, sizeof n);
    CU_ASSERT_STRING_EQUAL(n, "net.ipv4.tcp_syncookies");
    CU_ASSERT_STRING_EQUAL(ck_sysctl_safe_namespace("kernel.shm_rmid_forced"), "ipc");
    CU_ASSERT_STRING_EQUAL(ck_sysctl_safe_namespace("net/ipv4/ip_local_port_range"), "net");
    CU_ASSERT_PTR_NULL(ck_sysctl_safe_namespace("kernel.shmmax"));
    struct {
        const char *pod, *message; /* NULL = admitted */
    } cases[] = {
        {"{\"spec\":{\"securityContext\":{\"sysctls\":[{\"name\":\"kernel.shm_rmid_forced\",\"value\":\"1\"},"
         "{\"name\":\"net.ipv4.ip_unprivileged_port_start\",\"value\":\"0\"}]}}}", NULL},
        {"{\"spec\":{}}", NULL},
        {"{\"spec\":{\"securityContext\":{\"sysctls\":[{\"name\":\"kernel.shm_rmid_forced\",\"value\":\"1\"},"
         "{\"name\":\"kernel.msgmax\",\"value\":\"1000\"}]}}}", "forbidden sysctl: \"kernel.msgmax\" not allowlisted"},
        {"{\"spec\":{\"hostNetwork\":true,\"securityContext\":{\"sysctls\":[{\"name\":\"net/ipv4/tcp_syncookies\","
         "\"value\":\"1\"}]}}}", "forbidden sysctl: \"net.ipv4.tcp_syncookies\" not allowed with host net enabled"},
        {"{\"spec\":{\"hostIPC\":true,\"securityContext\":{\"sysctls\":[{\"name\":\"kernel.shm_rmid_forced\","
         "\"value\":\"1\"}]}}}", "forbidden sysctl: \"kernel.shm_rmid_forced\" not allowed with host ipc enabled"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        json_t *pod = load(cases[i].pod);
        reason[0] = msg[0] = 0;
        int rc = ck_sysctl_admit(pod, reason, sizeof reason, msg, sizeof msg);
        CU_ASSERT_EQUAL(rc, cases[i].message ? 1 : 0);
        if (cases[i].message) {
            CU_ASSERT_STRING_EQUAL(reason, "SysctlForbidden");
            CU_ASSERT_STRING_EQUAL(msg, cases[i].message);
        }
        json_decref(pod);
    }
}

static void test_sandbox_config(void)
{
    json_t *pod = load("{\"spec\":{\"securityContext\":{\"sysctls\":[{\"name\":\"kernel.shm_rmid_forced\",\"value\":\"1\"},"
                       "{\"name\":\"net/ipv4/conf/eth0.100/forwarding\",\"value\":\"0\"}]},"
                       "\"initContainers\":[{\"name\":\"i\",\"ports\":[{\"containerPort\":1,\"hostPort\":1}]}],"
                       "\"containers\":[{\"name\":\"a\",\"ports\":[{\"containerPort\":80},"
                       "{\"containerPort\":8080,\"hostPort\":18080}]},"
                       "{\"name\":\"b\",\"ports\":[{\"containerPort\":53,\"hostPort\":5353,\"protocol\":\"UDP\",\"hostIP\":\"10.0.0.1\"}]}]}}");
    ck_cri_sandbox_config *sc = calloc(1, sizeof *sc);
    CU_ASSERT_PTR_NOT_NULL_FATAL(sc);
    CU_ASSERT_EQUAL(ck_port_mappings_sandbox_config(pod, sc), 0);
    CU_ASSERT_EQUAL_FATAL(sc->n_port_mappings, 2);
    CU_ASSERT_STRING_EQUAL(sc->port_mappings[0].protocol, "TCP");
    CU_ASSERT_EQUAL(sc->port_mappings[0].host_port, 18080);
    CU_ASSERT_EQUAL(sc->port_mappings[0].container_port, 8080);
    CU_ASSERT_STRING_EQUAL(sc->port_mappings[0].host_ip, "");
    CU_ASSERT_STRING_EQUAL(sc->port_mappings[1].protocol, "UDP");
    CU_ASSERT_STRING_EQUAL(sc->port_mappings[1].host_ip, "10.0.0.1");
    CU_ASSERT_EQUAL(ck_sysctl_sandbox_config(pod, sc), 0);
    CU_ASSERT_EQUAL_FATAL(sc->n_sysctls, 2);
    /* the runtime's /proc/sys paths: dotted names swap, slashed ones stay */
    lx_sandbox *s = calloc(1, sizeof *s);
    char err[128];
    CU_ASSERT_PTR_NOT_NULL_FATAL(s);
    CU_ASSERT_EQUAL(lx_sandbox_sysctls(s, sc->sysctls, sc->n_sysctls, err, sizeof err), 0);
    const char *p = s->sysctls;
    CU_ASSERT_STRING_EQUAL(p, "/proc/sys/kernel/shm_rmid_forced");
    CU_ASSERT_STRING_EQUAL(p += strlen(p) + 1, "1");
    CU_ASSERT_STRING_EQUAL(p += strlen(p) + 1, "/proc/sys/net/ipv4/conf/eth0.100/forwarding");
    CU_ASSERT_STRING_EQUAL(p += strlen(p) + 1, "0");
    CU_ASSERT_EQUAL((size_t)(p + 2 - s->sysctls), s->sysctls_len);
    ck_cri_sysctl bad = {"../../etc/passwd", "x"};
    CU_ASSERT_EQUAL(lx_sandbox_sysctls(s, &bad, 1, err, sizeof err), -1);
    free(s);
    free(sc);
    json_decref(pod);
}

/* ---- the linux runtime, as root, in a network namespace of our own ---- */
#define ROOT "/tmp/ckube-secx-test"
static ck_cri *rt;
static char err[1024];

static int setup(void)
{
    if (geteuid() != 0) return 0; /* the runtime test then fails with the reason */
    if (unshare(CLONE_NEWNET) < 0) return perror("unshare"), 0;
    ck_cmd(NULL, 0, "ip", "link", "set", "lo", "up", NULL);
    ck_cmd(NULL, 0, "rm", "-rf", ROOT, NULL);
    ck_cri_options o = {.root_dir = ROOT, .image_dir = ROOT "/images", .pod_cidr = "10.251.9.0/24", .bridge = "cksecx"};
    rt = ck_cri_new("linux", &o, err, sizeof err);
    if (!rt) fprintf(stderr, "linux runtime: %s\n", err);
    return 0;
}

static int teardown(void)
{
    ck_cri_free(rt);
    ck_cmd(NULL, 0, "rm", "-rf", ROOT, NULL);
    return 0; /* the namespace, bridge and nat table go with the process */
}

/* The container's log as `kubectl logs` shows it (the CRI lines read back). */
static char *slurp(const char *path)
{
    char *buf = calloc(1, 65536);
    if (buf) ck_log_tail_text(path, -1, -1, buf, 65536);
    return buf;
}

static bool wait_log(const char *path, const char *needle)
{
    for (int i = 0; i < 200; i++) {
        char *s = slurp(path);
        bool hit = s && strstr(s, needle);
        free(s);
        if (hit) return true;
        usleep(50000);
    }
    char *s = slurp(path);
    fprintf(stderr, "%s lacks [%s]:\n%s\n", path, needle, s ? s : "");
    free(s);
    return false;
}

/* GET /name from ip:port; the body's first line into out ("" on failure). */
static void http_get(const char *ip, int port, char *out, size_t n)
{
    out[0] = 0;
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    struct timeval tv = {3, 0};
    inet_pton(AF_INET, ip, &a.sin_addr);
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    char buf[2048];
    size_t got = 0;
    ssize_t r;
    if (fd >= 0 && connect(fd, (struct sockaddr *)&a, sizeof a) == 0 &&
        write(fd, "GET /name HTTP/1.0\r\n\r\n", 22) == 22)
        while (got + 1 < sizeof buf && (r = read(fd, buf + got, sizeof buf - 1 - got)) > 0) got += (size_t)r;
    buf[got] = 0;
    char *body = strstr(buf, "\r\n\r\n");
    if (body) snprintf(out, n, "%.*s", (int)strcspn(body + 4, "\n"), body + 4);
    if (fd >= 0) close(fd);
}

static bool nat_has(const char *needle)
{
    char out[8192];
    ck_cmd_run((const char *const[]){"sh", "-c", "iptables -w -t nat -S; false", NULL}, out, sizeof out);
    return strstr(out, needle) != NULL;
}

/* One pod: an httpd answering `name`, published on hostPort (loopback, or
 * the bridge address standing in for the node IP). */
static void start_pod(char sb[CK_CRI_ID_LEN], char id[CK_CRI_ID_LEN], const char *name, const char *host_ip,
                      const char *script, const ck_cri_container_config *sec)
{
    ck_cri_sandbox_config *sc = calloc(1, sizeof *sc);
    CU_ASSERT_PTR_NOT_NULL_FATAL(sc);
    *sc = (ck_cri_sandbox_config){.name = name, .namespace = "default", .uid = name, .hostname = name, .dir = ROOT};
    sc->port_mappings[0] = (ck_cri_port_mapping){"TCP", 8080, 18080, host_ip};
    sc->n_port_mappings = 1;
    sc->sysctls[0] = (ck_cri_sysctl){"kernel.shm_rmid_forced", "1"};
    sc->sysctls[1] = (ck_cri_sysctl){"net/ipv4/ip_local_port_range", "20000 30000"};
    sc->n_sysctls = 2;
    int rc = rt->ops->run_pod_sandbox(rt, sc, sb, err, sizeof err);
    free(sc);
    CU_ASSERT_EQUAL_FATAL(rc, 0);
    char log[128];
    snprintf(log, sizeof log, ROOT "/%s.log", name);
    const char *cmd[] = {"sh", "-c", script, NULL};
    ck_cri_container_config cc = *sec;
    cc.name = name, cc.image = "busybox", cc.command = cmd, cc.log_path = log;
    CU_ASSERT_EQUAL_FATAL(rt->ops->create_container(rt, sb, &cc, id, err, sizeof err), 0);
    CU_ASSERT_EQUAL_FATAL(rt->ops->start_container(rt, id, err, sizeof err), 0);
}

#define REPORT "cat /proc/sys/kernel/shm_rmid_forced /proc/sys/net/ipv4/ip_local_port_range; " \
               "grep -E 'CapBnd|NoNewPrivs' /proc/self/status; ip link add ckv0 type veth peer name ckv1 && echo LINK-ADDED; "
#define SERVE(n) "mkdir -p /tmp/www && echo " n " > /tmp/www/name && echo SERVING && exec httpd -f -p 8080 -h /tmp/www"

static void test_runtime_applies(void)
{
    CU_ASSERT_PTR_NOT_NULL_FATAL(rt);
    char sb1[CK_CRI_ID_LEN], sb2[CK_CRI_ID_LEN], id1[CK_CRI_ID_LEN], id2[CK_CRI_ID_LEN];
    ck_cri_container_config plain = {.no_new_privs = true}, priv = {.privileged = true};
    start_pod(sb1, id1, "lo-pod", "127.0.0.1", REPORT SERVE("lo-pod"), &plain);
    start_pod(sb2, id2, "node-pod", "10.251.9.1", REPORT SERVE("node-pod"), &priv);
    CU_ASSERT_TRUE(wait_log(ROOT "/lo-pod.log", "SERVING"));
    CU_ASSERT_TRUE(wait_log(ROOT "/node-pod.log", "SERVING"));
    char *a = slurp(ROOT "/lo-pod.log"), *b = slurp(ROOT "/node-pod.log");
    CU_ASSERT_PTR_NOT_NULL(strstr(a, "1\n20000\t30000\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(a, "CapBnd:\t00000000a80425fb"));
    CU_ASSERT_PTR_NOT_NULL(strstr(a, "NoNewPrivs:\t1"));
    CU_ASSERT_PTR_NOT_NULL(strstr(a, "Operation not permitted"));
    CU_ASSERT_PTR_NULL(strstr(a, "LINK-ADDED"));
    CU_ASSERT_PTR_NULL(strstr(b, "CapBnd:\t00000000a80425fb"));
    CU_ASSERT_PTR_NOT_NULL(strstr(b, "NoNewPrivs:\t0"));
    CU_ASSERT_PTR_NOT_NULL(strstr(b, "LINK-ADDED"));
    free(a);
    free(b);
    /* exec'd processes get the same set, as runc exec */
    char *out = NULL;
    int code = -1;
    const char *ex[] = {"grep", "CapEff", "/proc/self/status", NULL};
    CU_ASSERT_EQUAL(rt->ops->exec_sync(rt, id1, ex, 5, &out, &code, err, sizeof err), 0);
    CU_ASSERT_PTR_NOT_NULL(out && strstr(out, "00000000a80425fb"));
    free(out);
    /* same hostPort, two host IPs, two pods */
    char got[64];
    for (int i = 0; i < 20; i++) {
        http_get("127.0.0.1", 18080, got, sizeof got);
        if (*got) break;
        usleep(100000);
    }
    CU_ASSERT_STRING_EQUAL(got, "lo-pod");
    http_get("10.251.9.1", 18080, got, sizeof got);
    CU_ASSERT_STRING_EQUAL(got, "node-pod");
    CU_ASSERT_TRUE(nat_has("CKUBE-HOSTPORTS"));
    CU_ASSERT_EQUAL(rt->ops->remove_pod_sandbox(rt, sb1, err, sizeof err), 0);
    CU_ASSERT_EQUAL(rt->ops->remove_pod_sandbox(rt, sb2, err, sizeof err), 0);
    CU_ASSERT_FALSE(nat_has("CKUBE-HP-"));
    CU_ASSERT_FALSE(nat_has("DNAT"));
}

int main(void)
{
    static const ck_test tests[] = {
        {"capability sets: default, add/drop, ALL, privileged", test_capability_sets},
        {"securityContext: privileged, capabilities, allowPrivilegeEscalation", test_security_context_caps},
        {"safe-sysctl allowlist: SysctlForbidden messages", test_sysctl_allowlist},
        {"sandbox config: hostPort mappings, sysctl paths", test_sandbox_config},
        {"linux runtime: caps, no_new_privs, sysctls, hostPorts (root)", test_runtime_applies},
        {NULL, NULL},
    };
    return ck_test_main("security", tests, setup, teardown);
}
