/* t_lifecycle.c: placeholder table until the tests land. */
#include "harness.h"
const ckc_test ckc_tests_lifecycle[] = {{0}};
