/* controllers.h: the controllers this kube-controller-manager runs, one
 * table row each (defined in the controller's own file). */
#ifndef CK_CM_CONTROLLERS_H
#define CK_CM_CONTROLLERS_H
#include "controller-manager/controller.h"

extern const ck_cm_controller ck_cm_namespace_controller;
extern const ck_cm_controller ck_cm_serviceaccount_controller;
extern const ck_cm_controller ck_cm_rootcacertpublisher_controller;
extern const ck_cm_controller ck_cm_replicaset_controller;
extern const ck_cm_controller ck_cm_replicationcontroller_controller;
extern const ck_cm_controller ck_cm_deployment_controller;
extern const ck_cm_controller ck_cm_endpoints_controller;
extern const ck_cm_controller ck_cm_garbagecollector_controller;
extern const ck_cm_controller ck_cm_nodelifecycle_controller;
extern const ck_cm_controller ck_cm_job_controller;
extern const ck_cm_controller ck_cm_cronjob_controller;
extern const ck_cm_controller ck_cm_daemonset_controller;
extern const ck_cm_controller ck_cm_statefulset_controller;
extern const ck_cm_controller ck_cm_resourcequota_controller;
extern const ck_cm_controller ck_cm_endpointslice_controller;
extern const ck_cm_controller ck_cm_endpointslicemirroring_controller;
extern const ck_cm_controller ck_cm_disruption_controller;
#endif
