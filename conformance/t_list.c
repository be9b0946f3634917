/* t_list.c: placeholder table until the tests land. */
#include "harness.h"
const ckc_test ckc_tests_list[] = {{0}};
