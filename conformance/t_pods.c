/* t_pods.c: pods on real nodes: running, restarts, probes, logs, exec, multi-container. */
#include "harness.h"

const ckc_test ckc_tests_pods[] = {
    {0},
};
