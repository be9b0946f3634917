/* runtime.c: picks a CRI implementation by name (--runtime linux|fake). */
#include <stdio.h>
#include <string.h>
#include "kubelet/cri/cri.h"

ck_cri *ck_cri_new(const char *runtime, const ck_cri_options *opts, char *err, size_t errlen)
{
    if (!runtime || strcmp(runtime, "linux") == 0) return ck_cri_linux_new(opts, err, errlen);
    if (strcmp(runtime, "fake") == 0) return ck_cri_fake_new(opts, err, errlen);
    snprintf(err, errlen, "unknown container runtime \"%s\" (want linux or fake)", runtime);
    return NULL;
}

void ck_cri_free(ck_cri *rt)
{
    if (rt) rt->ops->destroy(rt);
}

const char *ck_cri_state_name(ck_cri_container_state s)
{
    static const char *const names[] = {"CONTAINER_CREATED", "CONTAINER_RUNNING", "CONTAINER_EXITED",
                                        "CONTAINER_UNKNOWN"};
    return (unsigned)s < 4 ? names[s] : "CONTAINER_UNKNOWN";
}
