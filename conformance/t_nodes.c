/* t_nodes.c: nodes: heartbeats, NotReady, eviction. */
#include "harness.h"

const ckc_test ckc_tests_nodes[] = {
    {0},
};
