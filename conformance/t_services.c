/* t_services.c: Services: endpoints, ClusterIP and NodePort reachability through kube-proxy. */
#include "harness.h"

const ckc_test ckc_tests_services[] = {
    {0},
};
