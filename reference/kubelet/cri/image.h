/* image.h: how an image name maps to a root filesystem on this node.
 * "busybox", "busybox:1.36", "docker.io/library/busybox@sha256:..." all name
 * the repository "busybox"; its root filesystem is
 *   <image_dir>/<repository>:<tag>/rootfs   (a tag-specific import), else
 *   <image_dir>/<repository>/rootfs          (any tag),
 * with an optional <...>/config.json holding the OCI image config's "config"
 * object (Entrypoint, Cmd, Env, WorkingDir). A busybox repository is built on
 * first use from the host's static /bin/busybox. See cri/README.md. */
#ifndef CK_KUBELET_CRI_IMAGE_H
#define CK_KUBELET_CRI_IMAGE_H
#include <jansson.h>
#include <stddef.h>

#define CK_IMAGE_DIR_DEFAULT "/var/lib/ckube/images"

/* Splits a reference into repository ("busybox", "e2e-test-images/agnhost")
 * and tag ("latest" when absent; the digest when given by digest). 0 or -1. */
int ck_image_parse(const char *image, char *repo, size_t repolen, char *tag, size_t taglen);
/* Finds (building busybox when needed) the image's directory, the one that
 * holds rootfs/. 0, or -1 with "image \"x\" not found ..." in err. */
int ck_image_resolve(const char *image_dir, const char *image, char *dir, size_t dirlen,
                     char *err, size_t errlen);
/* The image config ({"Entrypoint":[..],"Cmd":[..],"Env":[..],"WorkingDir":".."}):
 * a new reference (caller decrefs); {"Cmd":["sh"]} when the image has none. */
json_t *ck_image_config(const char *dir);
/* Builds <image_dir>/busybox/rootfs from /bin/busybox (idempotent, atomic). */
int ck_image_build_busybox(const char *image_dir, char *err, size_t errlen);
#endif
