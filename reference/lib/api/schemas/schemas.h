/* schemas.h: the per-kind data kinds.c assembles into the kind table:
 * for each kind its root schema, printer columns, defaulting and
 * validation hooks. One file per kind family under schemas/. */
#ifndef CK_API_SCHEMAS_H
#define CK_API_SCHEMAS_H
#include "api/kinds.h"

/* Building blocks shared between kinds (meta.c, podspec.c). */
extern const ck_field ck_schema_label_selector;   /* metav1.LabelSelector (CK_OBJECT) */
extern const ck_field ck_schema_pod_template_spec;/* core/v1 PodTemplateSpec (CK_OBJECT) */
extern const ck_field ck_schema_pod_spec;         /* core/v1 PodSpec (CK_OBJECT) */

#define CK_KIND_DATA(name)                                                  \
    extern const ck_field ck_schema_##name;                                 \
    extern const ck_column ck_columns_##name[];                             \
    void ck_defaults_##name(json_t *obj);                                   \
    void ck_validate_##name(const json_t *obj, const json_t *old, ck_errs *errs);

/* schemas/core.c (namespace, configmap, secret, serviceaccount, endpoints,
 * node, binding, event), schemas/lease.c, schemas/events_v1.c */
CK_KIND_DATA(namespace)
CK_KIND_DATA(configmap)
CK_KIND_DATA(secret)
CK_KIND_DATA(serviceaccount)
CK_KIND_DATA(endpoints)
CK_KIND_DATA(node)
CK_KIND_DATA(binding)
CK_KIND_DATA(event)
CK_KIND_DATA(lease)
CK_KIND_DATA(events_v1_event)
/* schemas/pod.c + podspec.c, schemas/service.c, schemas/workloads.c */
CK_KIND_DATA(pod)
CK_KIND_DATA(podtemplate)
CK_KIND_DATA(service)
CK_KIND_DATA(replicationcontroller)
CK_KIND_DATA(replicaset)
CK_KIND_DATA(deployment)

/* h20: schemas/quota.c, daemonset.c, statefulset.c, controllerrevision.c,
 * batch.c, poddisruptionbudget.c, priorityclass.c, runtimeclass.c,
 * endpointslice.c, networking.c, authorization.c */
CK_KIND_DATA(resourcequota)
CK_KIND_DATA(limitrange)
CK_KIND_DATA(daemonset)
CK_KIND_DATA(statefulset)
CK_KIND_DATA(controllerrevision)
CK_KIND_DATA(job)
CK_KIND_DATA(cronjob)
CK_KIND_DATA(poddisruptionbudget)
CK_KIND_DATA(priorityclass)
CK_KIND_DATA(runtimeclass)
CK_KIND_DATA(endpointslice)
CK_KIND_DATA(ingress)
CK_KIND_DATA(ingressclass)
CK_KIND_DATA(networkpolicy)
CK_KIND_DATA(subjectaccessreview)
CK_KIND_DATA(localsubjectaccessreview)
CK_KIND_DATA(selfsubjectaccessreview)
CK_KIND_DATA(selfsubjectrulesreview)
CK_KIND_DATA(selfsubjectreview)
CK_KIND_DATA(tokenreview) /* tokenreview.c */

/* Validates a PodSpec at `path` ("spec", "spec.template.spec"); shared by
 * pods and every workload's template. */
void ck_validate_pod_spec(const json_t *spec, const char *path, ck_errs *errs);
/* Applies PodSpec defaults in place (restartPolicy, dnsPolicy, ...). */
void ck_defaults_pod_spec(json_t *spec);
/* SetDefaults_LimitRangeItem on one spec.limits item (quota.c; LimitRanger uses it too). */
void ck_limitrange_item_defaults(json_t *item);
#endif
