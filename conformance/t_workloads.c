/* t_workloads.c: ReplicationControllers, ReplicaSets, Deployments and garbage collection on a cluster. */
#include "harness.h"

const ckc_test ckc_tests_workloads[] = {
    {0},
};
