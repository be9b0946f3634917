/* test_token_manager.c: the kubelet's token refresh rule (token_manager.go
 * requiresRefresh): a missing or unreadable token is fetched, a token is kept
 * until 80% of its lifetime has passed, and none is kept beyond 24 hours. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "kubelet/token_manager.h"
#include "store/base64.h"
#include "util/cktest.h"

static char path[] = "/tmp/ck-token-XXXXXX";

/* Writes a token whose claims carry iat/exp (header and signature are filler). */
static void write_token(long long iat, long long exp)
{
    char claims[128];
    snprintf(claims, sizeof claims, "{\"iat\":%lld,\"exp\":%lld}", iat, exp);
    char *b = ck_base64_encode(claims, strlen(claims), NULL);
    FILE *f = fopen(path, "w");
    fprintf(f, "eyJhbGciOiJSUzI1NiJ9.%s.c2ln", b);
    fclose(f);
    free(b);
}

static void test_refresh_rule(void)
{
    unlink(path);
    CU_ASSERT_TRUE(ck_token_requires_refresh(path, 1000)); /* missing */
    write_token(1000, 1000 + 3600);
    CU_ASSERT_FALSE(ck_token_requires_refresh(path, 1000));
    CU_ASSERT_FALSE(ck_token_requires_refresh(path, 1000 + 2880)); /* exactly 80% */
    CU_ASSERT_TRUE(ck_token_requires_refresh(path, 1000 + 2881));
    write_token(0, 10LL * 24 * 3600); /* long-lived: renewed after a day */
    CU_ASSERT_FALSE(ck_token_requires_refresh(path, 24 * 3600));
    CU_ASSERT_TRUE(ck_token_requires_refresh(path, 24 * 3600 + 1));
    FILE *f = fopen(path, "w");
    fputs("ckube-token:default:default:uid", f); /* the old placeholder */
    fclose(f);
    CU_ASSERT_TRUE(ck_token_requires_refresh(path, 0));
    unlink(path);
}

static int setup(void)
{
    int fd = mkstemp(path);
    if (fd < 0) return -1;
    close(fd);
    return 0;
}

int main(void)
{
    static const ck_test tests[] = {{"refresh at 80% of the lifetime", test_refresh_rule}, {NULL, NULL}};
    return ck_test_main("token_manager", tests, setup, NULL);
}
