/* cmd.h: run a host command (ip, mount helpers) without a shell, capturing
 * its output, for the node host and the linux container runtime. */
#ifndef CK_NODE_CMD_H
#define CK_NODE_CMD_H
#include <stddef.h>

/* Runs argv[0] (looked up in PATH) with argv, waits for it. Returns its exit
 * status (0 = success), 127 when it could not be executed, -1 on fork failure.
 * On a non-zero status err holds "<argv...>: <output>" (stdout+stderr, trimmed).
 * err may be NULL. */
int ck_cmd_run(const char *const argv[], char *err, size_t errlen);
/* ck_cmd_run built from a NULL-terminated list of strings. */
int ck_cmd(char *err, size_t errlen, const char *arg0, ...) __attribute__((sentinel));
/* snprintf for paths: 0, or -1 when out was too small (truncated). */
int ck_node_pathf(char *out, size_t n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* `mkdir -p path` (mode 0755) without a fork: forking the multi-threaded
 * kubelet per pod is slow. 0, or -1 with "mkdir <path>: <reason>" in err
 * (may be NULL) when path is not a directory afterwards. */
int ck_mkdir_p(const char *path, char *err, size_t errlen);
#endif
