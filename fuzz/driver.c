/* driver.c: a plain main() for the libFuzzer targets, so `make fuzz-regress`
 * can replay corpora and past crashes with gcc alone (no clang, no
 * libFuzzer). Each argument is a file or a directory (read recursively);
 * every file is handed once to LLVMFuzzerTestOneInput. */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
/* Optional, as in libFuzzer: targets that need one-time setup define it. */
__attribute__((weak)) int LLVMFuzzerInitialize(int *argc, char ***argv);

static int run_file(const char *path, size_t *count)
{
    FILE *f = fopen(path, "rb");
    if (!f) { fprintf(stderr, "driver: cannot open %s\n", path); return -1; }
    size_t cap = 4096, len = 0;
    uint8_t *buf = malloc(cap);
    size_t n;
    while (buf && (n = fread(buf + len, 1, cap - len, f)) > 0) {
        len += n;
        if (len == cap) {
            uint8_t *p = realloc(buf, cap * 2);
            if (!p) { free(buf); buf = NULL; break; }
            buf = p;
            cap *= 2;
        }
    }
    fclose(f);
    if (!buf) { fprintf(stderr, "driver: out of memory reading %s\n", path); return -1; }
    /* A heap copy of exactly `len` bytes, so overreads stay visible to
     * valgrind and the sanitizers, as under libFuzzer. */
    uint8_t *exact = malloc(len ? len : 1);
    if (!exact) { free(buf); return -1; }
    memcpy(exact, buf, len);
    free(buf);
    if (getenv("CK_FUZZ_VERBOSE")) fprintf(stderr, "driver: %s\n", path);
    LLVMFuzzerTestOneInput(exact, len);
    free(exact);
    (*count)++;
    return 0;
}

static int run_path(const char *path, size_t *count)
{
    struct stat st;
    if (stat(path, &st) != 0) return 0; /* a missing corpus dir is an empty one */
    if (!S_ISDIR(st.st_mode)) return run_file(path, count);
    struct dirent **names;
    int n = scandir(path, &names, NULL, alphasort);
    if (n < 0) { fprintf(stderr, "driver: cannot read %s\n", path); return -1; }
    int rc = 0;
    for (int i = 0; i < n; i++) {
        const char *name = names[i]->d_name;
        if (name[0] != '.' && rc == 0) {
            size_t len = strlen(path) + strlen(name) + 2;
            char *child = malloc(len);
            if (!child) rc = -1;
            else {
                snprintf(child, len, "%s/%s", path, name);
                rc = run_path(child, count);
                free(child);
            }
        }
        free(names[i]);
    }
    free(names);
    return rc;
}

int main(int argc, char **argv)
{
    if (LLVMFuzzerInitialize) LLVMFuzzerInitialize(&argc, &argv);
    size_t count = 0;
    for (int i = 1; i < argc; i++)
        if (run_path(argv[i], &count) != 0) return 1;
    printf("%s: %zu inputs replayed, no crash\n", argv[0], count);
    return 0;
}
