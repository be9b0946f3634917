/* protobuf.h: Kubernetes protobuf request bodies (application/vnd.kubernetes.protobuf)
 * decoded into the same json_t the JSON path produces, driven by the kinds'
 * schemas (ck_field.tag). Envelope and semantics after
 * k8s.io/apimachinery/pkg/runtime/serializer/protobuf/protobuf.go. */
#ifndef CK_API_PROTOBUF_H
#define CK_API_PROTOBUF_H
#include <jansson.h>
#include <stddef.h>
#include "api/kinds.h"
#include "api/status.h"

#define CK_PROTOBUF_MEDIA_TYPE "application/vnd.kubernetes.protobuf"

/* Decodes "k8s\0" + runtime.Unknown{typeMeta, raw} where raw is the object
 * message of kind k (NULL: the kind named by the envelope's typeMeta, looked
 * up in ck_kinds). apiVersion and kind come from the envelope (k's when the
 * envelope leaves them empty). Go's JSON semantics: zero scalars are omitted
 * unless the field is CK_F_POINTER; present messages are kept, even empty
 * ("resources": {}); an empty metav1.Time is null. Unknown tags are skipped.
 * Returns a new reference, or NULL with a 400 BadRequest in st. */
json_t *ck_protobuf_decode(const ck_kind *k, const char *body, size_t len, ck_status *st);

/* Encodes raw bytes as standard base64 (with padding), as Go's JSON encodes
 * []byte. Returns a new string reference or NULL on allocation failure. */
json_t *ck_protobuf_base64(const unsigned char *p, size_t n);
#endif
