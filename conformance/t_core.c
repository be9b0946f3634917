/* t_core.c: core/v1 resources' upstream conformance behaviours (configmaps, secrets, events, service accounts, pod templates, ...). */
#include "harness.h"

const ckc_test ckc_tests_core[] = {
    {0},
};
