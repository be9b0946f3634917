/* subpath.h: volumeMounts[].subPath and subPathExpr (pkg/kubelet/kubelet_pods.go
 * makeMounts, kubecontainer.ExpandContainerVolumeMounts, pkg/volume/util/subpath):
 * expansion from the container's environment, the checks whose failure is
 * CreateContainerConfigError, and the directory made inside the volume. */
#ifndef CK_KUBELET_SUBPATH_H
#define CK_KUBELET_SUBPATH_H
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

/* ExpandContainerVolumeMounts: expr with every $(VAR) taken from env
 * ("NAME=value", NULL-terminated, may be NULL). A variable that is undefined
 * or empty is an error: "missing value for A, B" (names sorted, unique).
 * malloc'd result, or NULL with err (also on OOM). */
char *ck_subpath_expand(const char *expr, char *const *env, char *err, size_t errlen);

/* makeMounts' checks of a (possibly expanded) subpath: "error SubPath `x`
 * must not be an absolute path", or "unable to provision SubPath `x`: must
 * not contain '..'" (volumevalidation.ValidatePathNoBacksteps: a ".."
 * element, not ".." inside a name). 0, or -1 with err. */
int ck_subpath_validate(const char *sub, char *err, size_t errlen);

/* The subpath of volume mount vm: subPath, or subPathExpr expanded from env,
 * validated. malloc'd ("" when the mount has none), or NULL with err. */
char *ck_subpath_of(const json_t *vm, char *const *env, char *err, size_t errlen);

/* SafeMakeDir + PrepareSafeSubpath, reduced: <volume>/<sub> is created as a
 * directory (and its missing parents) with the volume directory's mode when
 * it does not exist, then must resolve (symlinks followed) inside the volume.
 * The resolved host path goes to out. 0, or -1 with upstream's "failed to
 * create subPath directory for volumeMount \"m\" of container \"c\"" /
 * "failed to prepare subPath for volumeMount \"m\" of container \"c\"". */
int ck_subpath_prepare(const char *volume, const char *sub, const char *mount, const char *ctr, char *out,
                       size_t outlen, char *err, size_t errlen);
#endif
