/* openapi.h: the OpenAPI documents kubectl reads (explain, field validation
 * support detection, strategic-merge keys for apply): GET /openapi/v2
 * (Swagger 2.0), /openapi/v3 (the index) and /openapi/v3/<api|apis/g>/<v>
 * (OpenAPI 3.0), all generated from the kind table once and cached. */
#ifndef CK_APISERVER_OPENAPI_H
#define CK_APISERVER_OPENAPI_H
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include "apiserver/http.h"
#include "api/kinds.h"

/* Serves GET of /openapi/v2, /openapi/v3 and /openapi/v3/<gv> into resp
 * (fields filled directly; body malloc'd). Returns false for other paths.
 * /openapi/v2 answers 406 when Accept allows only protobuf (not served). */
bool ck_openapi_serve(const ck_req *req, ck_resp *resp);

/* The definition name of a kind: "io.k8s.api.core.v1.Pod",
 * "io.k8s.api.apps.v1.Deployment". Returns out. */
char *ck_openapi_def_name(const char *group, const char *version, const char *kind,
                          char *out, size_t n);

/* ---- internal to openapi*.c: schemas from ck_field trees ---------------- */
typedef struct ck_oa {
    bool v3;        /* refs to #/components/schemas/ (else #/definitions/) */
    json_t *defs;   /* the definitions being collected (owned by the caller) */
} ck_oa;
/* The schema of field f (new reference); named definitions it uses (ObjectMeta,
 * PodSpec, Time, Quantity, ...) are added to c->defs. */
json_t *ck_oa_schema(ck_oa *c, const ck_field *f);
/* A reference to definition `name`, which is added to c->defs if it is a
 * known static or shared definition; description may be NULL. New reference. */
json_t *ck_oa_ref(ck_oa *c, const char *name, const char *description);
/* Adds the definitions of k and of its list kind (with x-kubernetes-group-version-kind). */
void ck_oa_kind_defs(ck_oa *c, const ck_kind *k);
#endif
