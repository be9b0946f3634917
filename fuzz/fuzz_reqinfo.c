/* fuzz_reqinfo.c: libFuzzer target for request routing: method + path +
 * query into a RequestInfo (ck_reqinfo_parse). Input format: fuzz_request.h. */
#include <stdlib.h>
#include "fuzz_request.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_req f;
    if (fuzz_req_parse(&f, data, size) == 0) {
        ck_reqinfo ri;
        if (ck_reqinfo_parse(&f.req, &ri)) {
            /* A resource request always names a version and a resource. */
            if (!ri.is_resource || !ri.version[0] || !ri.resource[0]) abort();
        }
    }
    fuzz_req_free(&f);
    return 0;
}
