/* convert.h: conversion between a served version and the stored one, for
 * kinds that share storage with another (events.k8s.io/v1 Event is stored
 * as core/v1 Event, as upstream's storage version is core's). */
#ifndef CK_APISERVER_CONVERT_H
#define CK_APISERVER_CONVERT_H
#include <jansson.h>
#include "api/kinds.h"

typedef struct ck_conversion {
    const char *group, *version, *kind;
    json_t *(*to_storage)(const json_t *obj);   /* new reference */
    json_t *(*from_storage)(const json_t *obj); /* new reference */
} ck_conversion;

/* The conversion a kind needs, or NULL when it is stored as served. */
const ck_conversion *ck_conversion_for(const ck_kind *k);
#endif
