/* objects.h: the harness's fixtures as data: for each resource it exercises,
 * its API path, kind and a minimal valid manifest; plus helpers that build
 * paths and create, fetch and wait for objects. All returned pointers are
 * owned by the test context t (freed when the test ends). */
#ifndef CKC_OBJECTS_H
#define CKC_OBJECTS_H
#include "harness.h"

typedef struct ckc_resource {
    const char *resource;   /* "deployments" */
    const char *group_version; /* "v1", "apps/v1" */
    const char *kind;
    int namespaced;
    const char *manifest;   /* JSON with $NAME and $NS placeholders */
} ckc_resource;

const ckc_resource *ckc_resource_find(const char *resource); /* NULL if unknown */
/* "/api/v1/namespaces/ns/configmaps" or "/apis/apps/v1/namespaces/ns/deployments" */
const char *ckc_coll(ckc_t *t, const char *resource, const char *ns);
const char *ckc_item(ckc_t *t, const char *resource, const char *ns, const char *name);
json_t *ckc_manifest(ckc_t *t, const char *resource, const char *ns, const char *name);
/* POST the manifest (or obj when non-NULL); fails the test unless 201. */
json_t *ckc_create(ckc_t *t, const char *resource, const char *ns, const char *name, json_t *obj);
/* GET; fails the test unless 200. */
json_t *ckc_fetch(ckc_t *t, const char *resource, const char *ns, const char *name);
/* Polls GET path until 404 (timeout scaled); fails the test otherwise. */
void ckc_wait_gone(ckc_t *t, const char *path, double base_seconds);
/* Label/annotation/data value helpers. */
const char *ckc_label(json_t *obj, const char *key);


/* GET path, let mut change the object, PUT it back; on 409 Conflict (a
 * controller wrote in between) start over, up to 5 times, like client-go's
 * RetryOnConflict in upstream tests. Returns the last PUT's response. */
typedef void (*ckc_mutator)(ckc_t *t, json_t *obj, void *arg);
ckc_resp *ckc_update(ckc_t *t, const char *path, ckc_mutator mut, void *arg);
#endif
