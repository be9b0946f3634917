/* registry.c: the table of every conformance test, in run order, assembled
 * from the per-area tables (t_*.c). Profiles are named here too. */
#include "harness.h"
#include <string.h>

static const ckc_test *const areas[] = {
    ckc_tests_discovery, ckc_tests_crud, ckc_tests_list, ckc_tests_watch,
    ckc_tests_patch, ckc_tests_errors, ckc_tests_lifecycle, ckc_tests_namespaces,
    ckc_tests_apimachinery, ckc_tests_core, ckc_tests_core2, ckc_tests_workloads, ckc_tests_pods,
    ckc_tests_services, ckc_tests_nodes, ckc_tests_api2, ckc_tests_quota, ckc_tests_upstream,
    ckc_tests_storage, ckc_tests_apps, ckc_tests_netnode,
};

#define CKC_MAX_TESTS 512
static const ckc_test *all[CKC_MAX_TESTS];
static size_t n_all;

const ckc_test *const *ckc_all_tests(size_t *n)
{
    if (!n_all)
        for (size_t a = 0; a < sizeof areas / sizeof areas[0]; a++)
            for (const ckc_test *t = areas[a]; t->id && n_all < CKC_MAX_TESTS; t++)
                all[n_all++] = t;
    *n = n_all;
    return all;
}

static const char *const profile_names[] = {"api", "cluster", "full"};

const char *ckc_profile_name(ckc_profile p)
{
    return (unsigned)p < 3 ? profile_names[p] : "?";
}

int ckc_profile_parse(const char *s, ckc_profile *out)
{
    for (int i = 0; i < 3; i++)
        if (s && !strcmp(s, profile_names[i])) { *out = (ckc_profile)i; return 0; }
    return -1;
}
