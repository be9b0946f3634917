/* registry.c: which strategy serves which storage resource. */
#include <string.h>
#include "apiserver/registry/registry.h"

extern const ck_strategy ck_strategy_pods, ck_strategy_services, ck_strategy_namespaces;
/* Kinds of named groups: their .resource is "<group>/<resource>". */
extern const ck_strategy ck_strategy_resourcequotas, ck_strategy_daemonsets, ck_strategy_statefulsets,
    ck_strategy_jobs, ck_strategy_cronjobs, ck_strategy_poddisruptionbudgets, ck_strategy_ingresses,
    ck_strategy_selfsubjectaccessreviews, ck_strategy_subjectaccessreviews, ck_strategy_localsubjectaccessreviews,
    ck_strategy_selfsubjectrulesreviews, ck_strategy_selfsubjectreviews, ck_strategy_tokenreviews;
static const ck_strategy *const grouped[] = {
    &ck_strategy_daemonsets, &ck_strategy_statefulsets, &ck_strategy_jobs, &ck_strategy_cronjobs,
    &ck_strategy_poddisruptionbudgets, &ck_strategy_ingresses, &ck_strategy_selfsubjectaccessreviews,
    &ck_strategy_subjectaccessreviews, &ck_strategy_localsubjectaccessreviews, &ck_strategy_selfsubjectrulesreviews,
    &ck_strategy_selfsubjectreviews, &ck_strategy_tokenreviews,
};

static const ck_strategy generic = {.resource = ""};
static const ck_strategy create_on_update[] = {
    {.resource = "endpoints", .allow_create_on_update = true},
    {.resource = "events", .allow_create_on_update = true},
    {.resource = "leases", .allow_create_on_update = true},
};

const ck_strategy *ck_strategy_for(const ck_kind *k)
{
    if (k->group[0]) {
        size_t gl = strlen(k->group);
        for (size_t i = 0; i < sizeof grouped / sizeof grouped[0]; i++) {
            const char *r = grouped[i]->resource;
            if (strncmp(r, k->group, gl) == 0 && r[gl] == '/' && strcmp(r + gl + 1, k->resource) == 0)
                return grouped[i];
        }
        return &generic;
    }
    const char *resource = k->resource;
    const ck_strategy *specific[] = {&ck_strategy_pods, &ck_strategy_services, &ck_strategy_namespaces,
                                   &ck_strategy_resourcequotas};
    for (size_t i = 0; i < sizeof specific / sizeof specific[0]; i++)
        if (strcmp(specific[i]->resource, resource) == 0) return specific[i];
    for (size_t i = 0; i < sizeof create_on_update / sizeof create_on_update[0]; i++)
        if (strcmp(create_on_update[i].resource, resource) == 0) return &create_on_update[i];
    return &generic;
}
