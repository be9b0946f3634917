/* exec.h: running a helper binary (iptables-restore, iptables, ip) without a
 * shell, feeding stdin and capturing output (upstream k8s.io/utils/exec). */
#ifndef CK_PROXY_EXEC_H
#define CK_PROXY_EXEC_H
#include <stddef.h>

/* Runs argv[0] (PATH lookup) with argv, writes `in` (may be NULL) to its
 * stdin, and returns its exit status (0..255), or -1 when it could not run
 * or was killed. When out is non-NULL, *out receives a malloc'd NUL-terminated
 * copy of stdout (caller frees). stderr's first bytes go to err. */
int ck_exec(char *const argv[], const char *in, char **out, char *err, size_t errlen);
#endif
