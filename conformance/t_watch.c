/* t_watch.c: placeholder table until the tests land. */
#include "harness.h"
const ckc_test ckc_tests_watch[] = {{0}};
