/* registry.c: which strategy serves which storage resource. */
#include <string.h>
#include "apiserver/registry/registry.h"

extern const ck_strategy ck_strategy_pods, ck_strategy_services, ck_strategy_namespaces;

static const ck_strategy generic = {.resource = ""};
static const ck_strategy create_on_update[] = {
    {.resource = "endpoints", .allow_create_on_update = true},
    {.resource = "events", .allow_create_on_update = true},
    {.resource = "leases", .allow_create_on_update = true},
};

const ck_strategy *ck_strategy_for(const ck_kind *k)
{
    if (k->group[0]) return &generic;
    const char *resource = k->resource;
    const ck_strategy *specific[] = {&ck_strategy_pods, &ck_strategy_services, &ck_strategy_namespaces};
    for (size_t i = 0; i < sizeof specific / sizeof specific[0]; i++)
        if (strcmp(specific[i]->resource, resource) == 0) return specific[i];
    for (size_t i = 0; i < sizeof create_on_update / sizeof create_on_update[0]; i++)
        if (strcmp(create_on_update[i].resource, resource) == 0) return &create_on_update[i];
    return &generic;
}
