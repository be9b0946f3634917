/* fuzz_kubeconfig.c: libFuzzer target for the client's kubeconfig loader
 * (ck_rest_config_from_kubeconfig), which reads a file: the input is written
 * to a file in a private temporary directory and loaded with the
 * current-context and with an explicit context name. */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "client/rest.h"

static char dir[64];
static char path[96];

static void cleanup(void)
{
    if (path[0]) unlink(path);
    if (dir[0]) rmdir(dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    snprintf(dir, sizeof dir, "/tmp/ck-fuzz-kubeconfig-XXXXXX");
    if (!mkdtemp(dir)) { dir[0] = 0; return 0; }
    snprintf(path, sizeof path, "%s/config", dir);
    atexit(cleanup);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!dir[0]) return 0;
    /* tokenFile is read by the loader: keep the fuzzer away from devices
     * and procfs (a fifo or /dev/stdin would block, not crash). */
    if (memmem(data, size, "/dev", 4) || memmem(data, size, "/proc", 5) ||
        memmem(data, size, "/sys", 4))
        return 0;
    FILE *f = fopen(path, "wb");
    if (!f) return 0;
    size_t w = fwrite(data, 1, size, f);
    fclose(f);
    if (w != size) return 0;
    char err[512];
    ck_rest_config cfg;
    memset(&cfg, 0, sizeof cfg);
    if (ck_rest_config_from_kubeconfig(&cfg, path, NULL, err, sizeof err) == 0 && !cfg.server) abort();
    ck_rest_config_clear(&cfg);
    memset(&cfg, 0, sizeof cfg);
    (void)ck_rest_config_from_kubeconfig(&cfg, path, "ctx", err, sizeof err);
    ck_rest_config_clear(&cfg);
    return 0;
}
