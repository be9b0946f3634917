/* hostpath.h: the hostPath volume's `type` (pkg/volume/hostpath
 * checkTypeInternal): DirectoryOrCreate/FileOrCreate create what is
 * missing, the other types check what is there. */
#ifndef CK_KUBELET_HOSTPATH_H
#define CK_KUBELET_HOSTPATH_H
#include <stddef.h>

/* Applies hostPath type `type` ("" or NULL = no check) to `path` (the file
 * system path to act on; `shown` is the path as the spec names it, for the
 * message). Creates a directory 0755 (with parents) or an empty file 0644
 * for the *OrCreate types. 0, or -1 with upstream's text in err, e.g.
 * "hostPath type check failed: /x is not a directory". */
int ck_hostpath_check(const char *path, const char *shown, const char *type, char *err, size_t errlen);
#endif
