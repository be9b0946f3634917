/* audit.h: the audit log (k8s.io/apiserver/pkg/audit): one audit.k8s.io/v1
 * Event per request as a JSON line, written to --audit-log-path. Writes are
 * logged at level RequestResponse (request and response objects), reads at
 * Metadata, watches when their response starts. `ckube trace` reads it. */
#ifndef CK_APISERVER_AUDIT_H
#define CK_APISERVER_AUDIT_H
#include "apiserver/http.h"

typedef struct ck_audit ck_audit;

/* Opens (appends to) path. NULL with err on failure. */
ck_audit *ck_audit_open(const char *path, char *err, size_t errlen);
void ck_audit_close(ck_audit *a);
/* Records one request. info may be NULL for non-resource requests;
 * received_us / done_us are wall-clock microseconds; streaming marks a watch. */
void ck_audit_log(ck_audit *a, const ck_req *req, const ck_reqinfo *info, const ck_resp *resp,
                  long long received_us, long long done_us, bool streaming);
/* Wall-clock microseconds now. */
long long ck_audit_now_us(void);
#endif
