/* hostpath.c: hostPath volume types (pkg/volume/hostpath/host_path.go
 * checkTypeInternal, hostutil MakeDir/MakeFile): a table of the types,
 * the file kind each wants, and what is created when the path is missing. */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "kubelet/hostpath.h"

typedef enum { MAKE_NONE, MAKE_DIR, MAKE_FILE } hp_make;

static const struct hp_type {
    const char *name;
    mode_t kind;     /* S_IFDIR, S_IFREG, ... */
    hp_make make;    /* created when missing */
    const char *what; /* "<path> is not <what>" */
} TYPES[] = {
    {"DirectoryOrCreate", S_IFDIR, MAKE_DIR, "a directory"},
    {"Directory", S_IFDIR, MAKE_NONE, "a directory"},
    {"FileOrCreate", S_IFREG, MAKE_FILE, "a file"},
    {"File", S_IFREG, MAKE_NONE, "a file"},
    {"Socket", S_IFSOCK, MAKE_NONE, "a socket file"},
    {"CharDevice", S_IFCHR, MAKE_NONE, "a character device"},
    {"BlockDevice", S_IFBLK, MAKE_NONE, "a block device"},
};

/* os.MkdirAll(path, 0755); the umask applies, as upstream. */
static int mkdir_all(const char *path)
{
    char buf[4096];
    if (snprintf(buf, sizeof buf, "%s", path) >= (int)sizeof buf) return -1;
    for (char *p = buf + 1; *p; p++) {
        if (*p != '/') continue;
        *p = 0;
        if (mkdir(buf, 0755) < 0 && errno != EEXIST) return -1;
        *p = '/';
    }
    return mkdir(buf, 0755) < 0 && errno != EEXIST ? -1 : 0;
}

int ck_hostpath_check(const char *path, const char *shown, const char *type, char *err, size_t errlen)
{
    if (!type || !*type) return 0; /* HostPathUnset: no check */
    const struct hp_type *t = NULL;
    for (size_t i = 0; i < sizeof TYPES / sizeof TYPES[0]; i++)
        if (!strcmp(TYPES[i].name, type)) t = &TYPES[i];
    if (!t) return snprintf(err, errlen, "%s is an invalid volume type", type), -1;
    struct stat st;
    if (stat(path, &st) < 0 && t->make != MAKE_NONE) {
        if (t->make == MAKE_DIR) {
            if (mkdir_all(path) == 0) return 0;
            return snprintf(err, errlen, "mkdir %s: %s", shown, strerror(errno)), -1;
        }
        int fd = open(path, O_CREAT | O_WRONLY | O_CLOEXEC, 0644);
        if (fd >= 0) return close(fd), 0;
        return snprintf(err, errlen, "open %s: %s", shown, strerror(errno)), -1;
    }
    if (stat(path, &st) == 0 && (st.st_mode & S_IFMT) == t->kind) return 0;
    snprintf(err, errlen, "hostPath type check failed: %s is not %s", shown, t->what);
    return -1;
}
