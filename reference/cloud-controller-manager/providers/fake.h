/* fake.h: the "fake" cloud provider (cloud-provider/fake): in-memory
 * instances, load balancers and routes, with a call log and error injection,
 * for unit and integration tests. Also selectable as --cloud-provider=fake. */
#ifndef CK_CCM_FAKE_H
#define CK_CCM_FAKE_H
#include <stdbool.h>
#include <stddef.h>
#include "cloud-controller-manager/cloudprovider.h"

extern const ck_cloud_ops ck_cloud_fake_ops;

typedef struct ck_fake_cloud ck_fake_cloud;  /* the `self` of a fake ck_cloud */

/* Declares an instance for node `name`. md NULL = the defaults below. An
 * undeclared node is an existing, running instance with providerID
 * "fake://<name>", type "fake.small", zone "zone-a", region "region-1" and
 * the node's own addresses, unless ck_fake_set_default_exists(false). */
int ck_fake_add_instance(ck_fake_cloud *f, const char *name, const ck_instance_metadata *md, bool exists,
                         bool shutdown);
void ck_fake_set_default_exists(ck_fake_cloud *f, bool exists);
/* Load balancers get ingress IPs 192.0.2.<n> (TEST-NET-1), n = 1, 2... */
size_t ck_fake_lb_count(ck_fake_cloud *f);
/* Number of nodes handed to the last ensure/update for LB `name`; -1 if none. */
int ck_fake_lb_nodes(ck_fake_cloud *f, const char *name);
/* Routes currently "programmed", copied into out (up to max). Returns the count. */
size_t ck_fake_routes(ck_fake_cloud *f, ck_route *out, size_t max);
int ck_fake_add_route(ck_fake_cloud *f, const ck_route *r);
/* How many times a method was called ("ensure", "update", "ensure_deleted",
 * "create_route", "delete_route", "instance_metadata", ...). */
int ck_fake_calls(ck_fake_cloud *f, const char *method);
/* The next call of `method` fails with "fake error" (once). */
void ck_fake_fail_next(ck_fake_cloud *f, const char *method);
#endif
