/* image.c: image references -> root filesystems under the image directory;
 * the busybox image is assembled from the host's static busybox (one binary,
 * a symlink per applet at the path `busybox --list-full` gives); the agnhost
 * image is that rootfs plus ckube's static /agnhost (reference/images/agnhost). */
#define _GNU_SOURCE
#include "kubelet/cri/image.h"
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "node/cmd.h"

#define HOST_BUSYBOX "/bin/busybox"
/* The agnhost binary ships next to the kubelet ($(BUILD)/bin/agnhost); unit
 * tests run from $(BUILD)/tests/<component>/. */
static const char *const agnhost_places[] = {"%s/agnhost", "%s/../../bin/agnhost", NULL};
/* upstream's test/images/agnhost/Dockerfile: ENTRYPOINT ["/agnhost"], CMD ["pause"] */
/* Debian's busybox sh runs its own applets before searching PATH
 * (FEATURE_SH_STANDALONE), so `nc` in a script would never reach /usr/bin/nc;
 * upstream's image (alpine) has a PATH-searching sh and bash. bash-static
 * gives the image both. */
#define HOST_BASH_STATIC "/bin/bash-static"
#define AGNHOST_CONFIG "{\"Entrypoint\":[\"/agnhost\"],\"Cmd\":[\"pause\"],\"Env\":[\"PATH=/usr/local/sbin:" \
                       "/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\"]}\n"

int ck_image_parse(const char *image, char *repo, size_t repolen, char *tag, size_t taglen)
{
    if (!image || !*image) return -1;
    const char *s = image;
    /* A first component with '.' or ':' or "localhost" is a registry (docker's rule). */
    const char *slash = strchr(s, '/');
    if (slash && (memchr(s, '.', (size_t)(slash - s)) || memchr(s, ':', (size_t)(slash - s)) ||
                  (slash - s == 9 && strncmp(s, "localhost", 9) == 0)))
        s = slash + 1;
    if (strncmp(s, "library/", 8) == 0) s += 8;
    const char *at = strchr(s, '@');
    size_t namelen = at ? (size_t)(at - s) : strlen(s);
    const char *colon = memrchr(s, ':', namelen);
    if (colon && memchr(colon, '/', namelen - (size_t)(colon - s))) colon = NULL;
    size_t repo_n = colon ? (size_t)(colon - s) : namelen;
    if (!repo_n || repo_n >= repolen) return -1;
    snprintf(repo, repolen, "%.*s", (int)repo_n, s);
    if (colon) snprintf(tag, taglen, "%.*s", (int)(namelen - repo_n - 1), colon + 1);
    else snprintf(tag, taglen, "%s", at ? at + 1 : "latest");
    return strstr(repo, "..") ? -1 : 0;
}

static bool has_rootfs(const char *dir)
{
    char p[4096];
    struct stat st;
    ck_node_pathf(p, sizeof p, "%s/rootfs", dir);
    return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

static int write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    if (!f) return -1;
    fputs(text, f);
    return fclose(f);
}

/* The rootfs skeleton, as data. */
static const char *const skeleton_dirs[] = {"bin", "sbin", "usr", "usr/bin", "usr/sbin", "etc", "proc",
                                            "sys", "dev", "tmp", "var", "var/log", "root", "home", NULL};
static const struct { const char *path, *text; } skeleton_files[] = {
    {"etc/passwd", "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/home:/bin/false\n"},
    {"etc/group", "root:x:0:\nnobody:x:65534:\n"},
    {"etc/hosts", "127.0.0.1\tlocalhost\n"},
    {"etc/resolv.conf", ""},
    {"etc/hostname", "busybox\n"},
};

static int link_applets(const char *root, char *err, size_t errlen)
{
    FILE *p = popen(HOST_BUSYBOX " --list-full", "r");
    if (!p) return snprintf(err, errlen, "busybox --list-full: %s", strerror(errno)), -1;
    char line[256], path[4096];
    while (fgets(line, sizeof line, p)) {
        line[strcspn(line, "\n")] = 0;
        if (!*line || strstr(line, "..")) continue;
        ck_node_pathf(path, sizeof path, "%s/%s", root, line);
        if (strcmp(line, "bin/busybox") != 0) symlink("/bin/busybox", path);
    }
    return pclose(p) == 0 ? 0 : (snprintf(err, errlen, "busybox --list-full failed"), -1);
}

int ck_image_build_busybox(const char *image_dir, char *err, size_t errlen)
{
    char dir[4096], tmp[4096], root[4200], p[4300];
    ck_node_pathf(dir, sizeof dir, "%s/busybox", image_dir);
    if (has_rootfs(dir)) return 0;
    if (access(HOST_BUSYBOX, X_OK) != 0)
        return snprintf(err, errlen, "%s is missing (install busybox-static)", HOST_BUSYBOX), -1;
    ck_node_pathf(tmp, sizeof tmp, "%s/.busybox-%d", image_dir, (int)getpid());
    if (ck_cmd(err, errlen, "mkdir", "-p", tmp, NULL) != 0) return -1;
    ck_node_pathf(root, sizeof root, "%s/rootfs", tmp);
    mkdir(root, 0755);
    for (int i = 0; skeleton_dirs[i]; i++) {
        ck_node_pathf(p, sizeof p, "%s/%s", root, skeleton_dirs[i]);
        mkdir(p, 0755);
    }
    ck_node_pathf(p, sizeof p, "%s/tmp", root);
    chmod(p, 01777);
    for (size_t i = 0; i < sizeof skeleton_files / sizeof skeleton_files[0]; i++) {
        ck_node_pathf(p, sizeof p, "%s/%s", root, skeleton_files[i].path);
        write_file(p, skeleton_files[i].text);
    }
    ck_node_pathf(p, sizeof p, "%s/bin/busybox", root);
    int rc = ck_cmd(err, errlen, "cp", HOST_BUSYBOX, p, NULL);
    if (rc == 0) rc = link_applets(root, err, errlen);
    ck_node_pathf(p, sizeof p, "%s/config.json", tmp);
    if (rc == 0) rc = write_file(p, "{\"Cmd\":[\"sh\"],\"Env\":[\"PATH=/usr/local/sbin:/usr/local/bin:"
                                    "/usr/sbin:/usr/bin:/sbin:/bin\"]}\n");
    /* rename is atomic: a concurrent builder either wins or finds it done. */
    if (rc == 0 && rename(tmp, dir) != 0 && !has_rootfs(dir))
    {
        snprintf(err, errlen, "rename %s: %s", dir, strerror(errno));
        rc = -1;
    }
    if (access(tmp, F_OK) == 0) ck_cmd(NULL, 0, "rm", "-rf", tmp, NULL);
    return rc ? -1 : 0;
}

static int find_agnhost(char *out, size_t n)
{
    char self[PATH_MAX];
    ssize_t l = readlink("/proc/self/exe", self, sizeof self - 1);
    if (l <= 0) return -1;
    self[l] = 0;
    *strrchr(self, '/') = 0;
    for (int i = 0; agnhost_places[i]; i++) {
        snprintf(out, n, agnhost_places[i], self);
        if (access(out, X_OK) == 0) return 0;
    }
    snprintf(out, n, agnhost_places[0], self);
    return -1;
}

/* Same size and mtime (cp -p) as the built binary: the image is current. */
static bool same_file(const char *a, const char *b)
{
    struct stat x, y;
    return stat(a, &x) == 0 && stat(b, &y) == 0 && x.st_size == y.st_size && x.st_mtime == y.st_mtime;
}

/* Puts the agnhost binary at root/agnhost (atomically: running containers
 * keep the old inode) and makes nc (netcat-openbsd upstream) reach it; bash
 * as /bin/sh when the host has bash-static. */
static int install_shell(const char *root, char *err, size_t errlen)
{
    char bash[4300], tmp[4300], sh[4300];
    ck_node_pathf(bash, sizeof bash, "%s/bin/bash", root);
    if (access(HOST_BASH_STATIC, X_OK) != 0 || access(bash, X_OK) == 0) return 0;
    ck_node_pathf(tmp, sizeof tmp, "%s/bin/.bash-%d", root, (int)getpid());
    if (ck_cmd(err, errlen, "cp", HOST_BASH_STATIC, tmp, NULL) != 0) return -1;
    if (rename(tmp, bash) != 0) return snprintf(err, errlen, "rename %s: %s", bash, strerror(errno)), unlink(tmp), -1;
    ck_node_pathf(tmp, sizeof tmp, "%s/bin/.sh-%d", root, (int)getpid());
    ck_node_pathf(sh, sizeof sh, "%s/bin/sh", root);
    if (symlink("/bin/bash", tmp) != 0 || rename(tmp, sh) != 0)
        return snprintf(err, errlen, "symlink %s: %s", sh, strerror(errno)), unlink(tmp), -1;
    return 0;
}

static int install_agnhost(const char *bin, const char *root, char *err, size_t errlen)
{
    char dst[4300], tmp[4300], nc[4300];
    if (install_shell(root, err, errlen) < 0) return -1;
    ck_node_pathf(dst, sizeof dst, "%s/agnhost", root);
    if (same_file(bin, dst)) return 0;
    ck_node_pathf(tmp, sizeof tmp, "%s/.agnhost-%d", root, (int)getpid());
    if (ck_cmd(err, errlen, "cp", "-p", bin, tmp, NULL) != 0) return -1;
    chmod(tmp, 0755);
    if (rename(tmp, dst) != 0) return snprintf(err, errlen, "rename %s: %s", dst, strerror(errno)), unlink(tmp), -1;
    ck_node_pathf(nc, sizeof nc, "%s/usr/bin/nc", root);
    unlink(nc);
    return symlink("/agnhost", nc) == 0 || errno == EEXIST ? 0 : (snprintf(err, errlen, "symlink %s: %s", nc,
                                                                         strerror(errno)), -1);
}

/* Builds (or refreshes the binary of) <image_dir>/agnhost: the busybox rootfs
 * plus /agnhost, config Entrypoint ["/agnhost"] Cmd ["pause"]. */
static int build_agnhost(const char *image_dir, char *err, size_t errlen)
{
    char bin[PATH_MAX + 32], dir[4096], tmp[4096], root[4200], p[4300];
    if (find_agnhost(bin, sizeof bin) < 0)
        return snprintf(err, errlen, "%s is missing (make all builds it)", bin), -1;
    ck_node_pathf(dir, sizeof dir, "%s/agnhost", image_dir);
    ck_node_pathf(root, sizeof root, "%s/rootfs", dir);
    if (has_rootfs(dir)) return install_agnhost(bin, root, err, errlen);
    if (ck_image_build_busybox(image_dir, err, errlen) < 0) return -1;
    ck_node_pathf(tmp, sizeof tmp, "%s/.agnhost-%d", image_dir, (int)getpid());
    ck_node_pathf(root, sizeof root, "%s/rootfs", tmp);
    ck_node_pathf(p, sizeof p, "%s/busybox/rootfs", image_dir);
    int rc = ck_cmd(err, errlen, "mkdir", "-p", tmp, NULL);
    if (rc == 0) rc = ck_cmd(err, errlen, "cp", "-a", p, root, NULL);
    if (rc == 0) rc = install_agnhost(bin, root, err, errlen);
    ck_node_pathf(p, sizeof p, "%s/etc/hostname", root);
    if (rc == 0) rc = write_file(p, "agnhost\n");
    ck_node_pathf(p, sizeof p, "%s/config.json", tmp);
    if (rc == 0) rc = write_file(p, AGNHOST_CONFIG);
    if (rc == 0 && rename(tmp, dir) != 0 && !has_rootfs(dir)) {
        snprintf(err, errlen, "rename %s: %s", dir, strerror(errno));
        rc = -1;
    }
    if (access(tmp, F_OK) == 0) ck_cmd(NULL, 0, "rm", "-rf", tmp, NULL);
    return rc ? -1 : 0;
}

int ck_image_resolve(const char *image_dir, const char *image, char *dir, size_t dirlen, char *err,
                     size_t errlen)
{
    char repo[256], tag[160];
    if (!image_dir) image_dir = CK_IMAGE_DIR_DEFAULT;
    if (ck_image_parse(image, repo, sizeof repo, tag, sizeof tag) < 0)
        return snprintf(err, errlen, "invalid image reference \"%s\"", image ? image : ""), -1;
    snprintf(dir, dirlen, "%s/%s:%s", image_dir, repo, tag);
    if (has_rootfs(dir)) return 0;
    const char *base = strrchr(repo, '/');
    /* registry.k8s.io/e2e-test-images/agnhost:<any tag>, unless imported */
    snprintf(dir, dirlen, "%s/%s", image_dir, repo);
    if (strcmp(base ? base + 1 : repo, "agnhost") == 0 && (!base || !has_rootfs(dir))) {
        ck_cmd(NULL, 0, "mkdir", "-p", image_dir, NULL);
        if (build_agnhost(image_dir, err, errlen) < 0) return -1;
        snprintf(dir, dirlen, "%s/agnhost", image_dir);
        return 0;
    }
    if (has_rootfs(dir)) return 0;
    if (strcmp(base ? base + 1 : repo, "busybox") == 0) {
        ck_cmd(NULL, 0, "mkdir", "-p", image_dir, NULL);
        if (ck_image_build_busybox(image_dir, err, errlen) < 0) return -1;
        snprintf(dir, dirlen, "%s/busybox", image_dir);
        return 0;
    }
    /* containerd's wording for a missing image, which upstream surfaces in
     * ErrImagePull's message. */
    snprintf(err, errlen, "failed to pull and unpack image \"%s\": image not found in %s "
             "(import it: see kubelet/cri/README.md)", image, image_dir);
    return -1;
}

json_t *ck_image_config(const char *dir)
{
    char p[4200];
    ck_node_pathf(p, sizeof p, "%s/config.json", dir);
    json_t *c = json_load_file(p, 0, NULL);
    if (json_is_object(c)) {
        json_t *inner = json_object_get(c, "config"); /* a whole OCI config file */
        if (json_is_object(inner)) {
            json_incref(inner);
            json_decref(c);
            return inner;
        }
        return c;
    }
    json_decref(c);
    return json_pack("{s:[s]}", "Cmd", "sh");
}
