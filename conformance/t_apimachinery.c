/* t_apimachinery.c: API machinery behaviours of the upstream conformance list beyond the basics. */
#include "harness.h"

const ckc_test ckc_tests_apimachinery[] = {
    {0},
};
