/* allocator.h: the Service IP and NodePort allocators (upstream
 * pkg/registry/core/service/ipallocator and portallocator): a bitmap over a
 * CIDR or a port range, thread-safe. State is rebuilt from the Services in
 * storage at start-up, as upstream's repair controllers do. */
#ifndef CK_APISERVER_ALLOCATOR_H
#define CK_APISERVER_ALLOCATOR_H
#include <stdbool.h>
#include <stddef.h>

typedef struct ck_ipalloc ck_ipalloc;
typedef struct ck_portalloc ck_portalloc;

/* cidr: "10.96.0.0/12" (IPv4, /8 to /30). NULL with err on a bad CIDR. */
ck_ipalloc *ck_ipalloc_new(const char *cidr, char *err, size_t errlen);
void ck_ipalloc_free(ck_ipalloc *a);
/* 0 allocated; -1 already allocated; -2 not in the range (or not an IP). */
int ck_ipalloc_allocate(ck_ipalloc *a, const char *ip);
/* Next free address into out (>= 16 bytes); -1 when the range is full. */
int ck_ipalloc_allocate_next(ck_ipalloc *a, char *out);
void ck_ipalloc_release(ck_ipalloc *a, const char *ip);
/* The first usable address (network + 1), the kubernetes Service's. */
void ck_ipalloc_first(const ck_ipalloc *a, char *out);
const char *ck_ipalloc_cidr(const ck_ipalloc *a);

ck_portalloc *ck_portalloc_new(int min, int max);
void ck_portalloc_free(ck_portalloc *a);
int ck_portalloc_allocate(ck_portalloc *a, int port); /* 0, -1 taken, -2 out of range */
int ck_portalloc_allocate_next(ck_portalloc *a);      /* port, or -1 when full */
void ck_portalloc_release(ck_portalloc *a, int port);
void ck_portalloc_range(const ck_portalloc *a, int *min, int *max);
#endif
