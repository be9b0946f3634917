/* test_image_agnhost.c: the agnhost image (cri/image.c): any
 * .../e2e-test-images/agnhost:<tag> resolves to a rootfs built from busybox
 * plus $(BUILD)/bin/agnhost, with upstream's Entrypoint/Cmd; a rebuilt
 * binary replaces the image's; an imported image wins. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "util/cktest.h"
#include "kubelet/cri/image.h"

static char dir[64];

static int setup(void)
{
    snprintf(dir, sizeof dir, "/tmp/ck-img-agnhost-XXXXXX");
    return mkdtemp(dir) ? 0 : -1;
}
static int teardown(void)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    return system(cmd) == 0 ? 0 : -1;
}

static void test_builds_agnhost(void)
{
    char d[4096], err[512] = "", p[4200], link[64] = "";
    CU_ASSERT_EQUAL_FATAL(ck_image_resolve(dir, "registry.k8s.io/e2e-test-images/agnhost:2.52", d, sizeof d, err,
                                           sizeof err), 0);
    if (err[0]) fprintf(stderr, "%s\n", err);
    snprintf(p, sizeof p, "%s/agnhost", dir);
    CU_ASSERT_STRING_EQUAL(d, p);
    snprintf(p, sizeof p, "%s/rootfs/agnhost", d);
    CU_ASSERT_EQUAL(access(p, X_OK), 0);
    snprintf(p, sizeof p, "%s/rootfs/bin/sh", d); /* busybox underneath */
    CU_ASSERT_EQUAL(access(p, F_OK), 0);
    snprintf(p, sizeof p, "%s/rootfs/usr/bin/nc", d);
    CU_ASSERT(readlink(p, link, sizeof link - 1) > 0);
    CU_ASSERT_STRING_EQUAL(link, "/agnhost");
    if (access("/bin/bash-static", X_OK) == 0) { /* sh must search PATH, so `nc` is agnhost's */
        snprintf(p, sizeof p, "%s/rootfs/bin/sh", d);
        memset(link, 0, sizeof link);
        CU_ASSERT(readlink(p, link, sizeof link - 1) > 0);
        CU_ASSERT_STRING_EQUAL(link, "/bin/bash");
        snprintf(p, sizeof p, "%s/rootfs/bin/bash", d);
        CU_ASSERT_EQUAL(access(p, X_OK), 0);
    }
    json_t *c = ck_image_config(d);
    CU_ASSERT_STRING_EQUAL(json_string_value(json_array_get(json_object_get(c, "Entrypoint"), 0)), "/agnhost");
    CU_ASSERT_STRING_EQUAL(json_string_value(json_array_get(json_object_get(c, "Cmd"), 0)), "pause");
    json_decref(c);
    /* another tag, another registry: the same image */
    char d2[4096];
    CU_ASSERT_EQUAL(ck_image_resolve(dir, "e2e-test-images/agnhost:2.40", d2, sizeof d2, err, sizeof err), 0);
    CU_ASSERT_STRING_EQUAL(d2, d);
}

static void test_refreshes_binary(void)
{
    char d[4096], err[512], p[4200];
    snprintf(p, sizeof p, "%s/agnhost/rootfs/agnhost", dir);
    FILE *f = fopen(p, "w");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    fputs("stale", f);
    fclose(f);
    CU_ASSERT_EQUAL(ck_image_resolve(dir, "registry.k8s.io/e2e-test-images/agnhost:2.52", d, sizeof d, err, sizeof err), 0);
    struct stat st;
    CU_ASSERT_EQUAL(stat(p, &st), 0);
    CU_ASSERT(st.st_size > 100000); /* the static binary again */
}

static void test_import_wins(void)
{
    char d[4096], err[512], p[4200];
    snprintf(p, sizeof p, "mkdir -p %s/e2e-test-images/agnhost/rootfs", dir);
    CU_ASSERT_EQUAL_FATAL(system(p), 0);
    CU_ASSERT_EQUAL(ck_image_resolve(dir, "registry.k8s.io/e2e-test-images/agnhost:2.52", d, sizeof d, err, sizeof err), 0);
    snprintf(p, sizeof p, "%s/e2e-test-images/agnhost", dir);
    CU_ASSERT_STRING_EQUAL(d, p);
}

int main(void)
{
    static const ck_test tests[] = {{"builds agnhost", test_builds_agnhost},
                                    {"refreshes binary", test_refreshes_binary},
                                    {"import wins", test_import_wins},
                                    {NULL, NULL}};
    return ck_test_main("image_agnhost", tests, setup, teardown);
}
