/* test_admission.c: kubelet admission's NodePorts predicate (HostPortInfo
 * conflicts, predicate.go's reason/message) and hostPath volume types
 * (host_path.go checkTypeInternal). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>
#include "kubelet/admission.h"
#include "kubelet/hostpath.h"
#include "util/cktest.h"

static json_t *pod(const char *uid, int host_port, const char *proto, const char *ip)
{
    json_t *port = json_pack("{s:i,s:i}", "containerPort", 80, "hostPort", host_port);
    if (proto) json_object_set_new(port, "protocol", json_string(proto));
    if (ip) json_object_set_new(port, "hostIP", json_string(ip));
    json_t *p = json_pack("{s:{s:s},s:{s:[{s:s,s:[o]}]}}", "metadata", "uid", uid, "spec", "containers", "name", "c",
                          "ports", port);
    CU_ASSERT_PTR_NOT_NULL_FATAL(p);
    return p;
}

static void test_ports_conflict(void)
{
    static const struct { int a; const char *pa, *ia; int b; const char *pb, *ib; bool want; } C[] = {
        {8080, NULL, NULL, 8080, "TCP", NULL, true},          /* protocol defaults to TCP */
        {8080, "UDP", NULL, 8080, "TCP", NULL, false},
        {8080, NULL, NULL, 8081, NULL, NULL, false},
        {8080, NULL, "10.0.0.1", 8080, NULL, "10.0.0.2", false},
        {8080, NULL, "10.0.0.1", 8080, NULL, "0.0.0.0", true}, /* wildcard holds every address */
        {8080, NULL, "10.0.0.1", 8080, NULL, "10.0.0.1", true},
        {0, NULL, NULL, 0, NULL, NULL, false},                 /* no hostPort: nothing reserved */
    };
    for (size_t i = 0; i < sizeof C / sizeof C[0]; i++) {
        json_t *a = pod("a", C[i].a, C[i].pa, C[i].ia), *b = pod("b", C[i].b, C[i].pb, C[i].ib);
        CU_ASSERT_EQUAL(ck_admission_ports_conflict(a, b), C[i].want);
        json_decref(a);
        json_decref(b);
    }
}

static void test_admission_check(void)
{
    json_t *me = pod("me", 21017, NULL, NULL), *other = pod("o", 21017, NULL, NULL), *free_ = pod("f", 80, NULL, NULL);
    char reason[64], msg[256];
    json_t *active = json_pack("[O,O]", me, free_);
    CU_ASSERT_EQUAL(ck_admission_check(me, active, reason, sizeof reason, msg, sizeof msg), 0); /* itself skipped */
    json_array_append(active, other);
    CU_ASSERT_EQUAL(ck_admission_check(me, active, reason, sizeof reason, msg, sizeof msg), 1);
    CU_ASSERT_STRING_EQUAL(reason, "NodePorts");
    CU_ASSERT_STRING_EQUAL(msg, "Predicate NodePorts failed: node(s) didn't have free ports for the requested pod ports");
    json_decref(active);
    json_decref(me);
    json_decref(other);
    json_decref(free_);
}

static void test_hostpath_types(void)
{
    char dir[] = "/tmp/ckhpXXXXXX", p[256], err[256];
    CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
    struct stat st;
    mode_t um = umask(022);
    /* DirectoryOrCreate: created 0755 with parents, then a Directory */
    snprintf(p, sizeof p, "%s/a/b", dir);
    CU_ASSERT_EQUAL(ck_hostpath_check(p, "/a/b", "DirectoryOrCreate", err, sizeof err), 0);
    CU_ASSERT(stat(p, &st) == 0 && S_ISDIR(st.st_mode) && (st.st_mode & 0777) == 0755);
    CU_ASSERT_EQUAL(ck_hostpath_check(p, "/a/b", "Directory", err, sizeof err), 0);
    CU_ASSERT_EQUAL(ck_hostpath_check(p, "/a/b", "File", err, sizeof err), -1);
    CU_ASSERT_STRING_EQUAL(err, "hostPath type check failed: /a/b is not a file");
    /* FileOrCreate: an empty file 0644 */
    snprintf(p, sizeof p, "%s/f", dir);
    CU_ASSERT_EQUAL(ck_hostpath_check(p, "/f", "FileOrCreate", err, sizeof err), 0);
    CU_ASSERT(stat(p, &st) == 0 && S_ISREG(st.st_mode) && st.st_size == 0 && (st.st_mode & 0777) == 0644);
    CU_ASSERT_EQUAL(ck_hostpath_check(p, "/f", "DirectoryOrCreate", err, sizeof err), -1);
    CU_ASSERT_STRING_EQUAL(err, "hostPath type check failed: /f is not a directory");
    CU_ASSERT_EQUAL(ck_hostpath_check(p, "/f", "Socket", err, sizeof err), -1);
    CU_ASSERT_STRING_EQUAL(err, "hostPath type check failed: /f is not a socket file");
    CU_ASSERT_EQUAL(ck_hostpath_check(p, "/f", "BlockDevice", err, sizeof err), -1);
    CU_ASSERT_STRING_EQUAL(err, "hostPath type check failed: /f is not a block device");
    CU_ASSERT_EQUAL(ck_hostpath_check("/dev/null", "/dev/null", "CharDevice", err, sizeof err), 0);
    /* missing path: Directory does not create */
    snprintf(p, sizeof p, "%s/missing", dir);
    CU_ASSERT_EQUAL(ck_hostpath_check(p, "/missing", "Directory", err, sizeof err), -1);
    CU_ASSERT_STRING_EQUAL(err, "hostPath type check failed: /missing is not a directory");
    CU_ASSERT(stat(p, &st) < 0);
    CU_ASSERT_EQUAL(ck_hostpath_check(p, "/missing", "", err, sizeof err), 0); /* unset: no check */
    CU_ASSERT_EQUAL(ck_hostpath_check(p, "/missing", "Bogus", err, sizeof err), -1);
    /* a socket */
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    snprintf(sa.sun_path, sizeof sa.sun_path, "%s/s", dir);
    CU_ASSERT_EQUAL(bind(fd, (struct sockaddr *)&sa, sizeof sa), 0);
    CU_ASSERT_EQUAL(ck_hostpath_check(sa.sun_path, "/s", "Socket", err, sizeof err), 0);
    close(fd);
    umask(um);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    CU_ASSERT_EQUAL(system(cmd), 0);
}

int main(void)
{
    static const ck_test tests[] = {
        {"hostPort conflicts", test_ports_conflict},
        {"NodePorts admission", test_admission_check},
        {"hostPath types", test_hostpath_types},
        {NULL, NULL},
    };
    return ck_test_main("admission", tests, NULL, NULL);
}
