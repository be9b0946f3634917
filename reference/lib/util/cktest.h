/* cktest.h: the tiny table-driven layer every CUnit test executable uses.
 * A test file declares its cases as a table and calls ck_test_main(); the
 * exit code is non-zero when any assertion failed. Header-only. */
#ifndef CK_UTIL_CKTEST_H
#define CK_UTIL_CKTEST_H
#include <CUnit/Basic.h>
#include <stdio.h>

typedef struct ck_test {
    const char *name;
    CU_TestFunc fn;
} ck_test;

/* Runs one suite of `tests` (terminated by {NULL, NULL}). init/clean may be NULL. */
static inline int ck_test_main(const char *suite, const ck_test *tests,
                               CU_InitializeFunc init, CU_CleanupFunc clean)
{
    if (CU_initialize_registry() != CUE_SUCCESS) return 2;
    CU_pSuite s = CU_add_suite(suite, init, clean);
    if (!s) { CU_cleanup_registry(); return 2; }
    for (const ck_test *t = tests; t->name; t++)
        if (!CU_add_test(s, t->name, t->fn)) { CU_cleanup_registry(); return 2; }
    CU_basic_set_mode(CU_BRM_NORMAL);
    CU_basic_run_tests();
    unsigned failed = CU_get_number_of_tests_failed() + CU_get_number_of_suites_failed();
    CU_cleanup_registry();
    return failed ? 1 : 0;
}
#endif
