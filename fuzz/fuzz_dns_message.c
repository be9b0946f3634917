/* fuzz_dns_message.c: libFuzzer target for the cluster DNS server's wire
 * format (reference/dns/message.c) and query handler: any datagram must
 * parse or fail cleanly; what parses must build, and building what that
 * build parses back to must give the same bytes; the handler's reply to it
 * must itself parse. The dns component is not part of libckube, so its
 * sources are compiled into this target directly. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "dns/message.c"
#include "dns/records.c"
#include "dns/lookup.c"
#include "dns/handler.c"

static ck_dns_records *table;

/* A small cluster: a ClusterIP service with a named port, a headless one. */
static ck_dns_records *make_table(void)
{
    ck_dns_records *t = ck_dns_records_new("cluster.local");
    json_t *svc = json_loads("{\"metadata\":{\"name\":\"web\",\"namespace\":\"default\"},\"spec\":{\"clusterIP\":"
                             "\"10.96.0.20\",\"ports\":[{\"name\":\"http\",\"port\":80}]}}", 0, NULL);
    json_t *hl = json_loads("{\"metadata\":{\"name\":\"db\",\"namespace\":\"default\"},\"spec\":{\"clusterIP\":\"None\"}}",
                            0, NULL);
    json_t *eps = json_loads("{\"subsets\":[{\"addresses\":[{\"ip\":\"10.244.1.5\",\"hostname\":\"db-0\"}],"
                             "\"ports\":[{\"name\":\"pg\",\"port\":5432}]}]}", 0, NULL);
    if (!t || !svc || !hl || !eps || ck_dns_records_add_service(t, svc, NULL) ||
        ck_dns_records_add_service(t, hl, eps) || ck_dns_records_finish(t))
        abort();
    json_decref(svc), json_decref(hl), json_decref(eps);
    return t;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!table) table = make_table();
    static uint8_t out1[65535], out2[65535], reply[65535];
    ck_dns_msg m, m2, r;
    ck_dns_msg_init(&m), ck_dns_msg_init(&m2), ck_dns_msg_init(&r);
    char err[128];
    if (ck_dns_parse(data, size, &m, err, sizeof err) == 0) {
        int n1 = ck_dns_build(&m, out1, sizeof out1);
        if (n1 >= 0) {
            if (ck_dns_parse(out1, (size_t)n1, &m2, err, sizeof err) != 0) abort();
            int n2 = ck_dns_build(&m2, out2, sizeof out2);
            if (n2 != n1 || memcmp(out1, out2, (size_t)n1) != 0) abort();
        }
    }
    /* The handler, over UDP and TCP, with and without an upstream. */
    for (int mode = 0; mode < 4; mode++) {
        size_t len = 0;
        ck_dns_action a = ck_dns_handle(table, data, size, mode & 1, mode & 2, reply, sizeof reply, &len);
        if (a == CK_DNS_REPLY) {
            if (len < 12 || len > ((mode & 1) ? 65535u : CK_DNS_UDP_EDNS)) abort();
            if (ck_dns_parse(reply, len, &r, err, sizeof err) != 0) abort();
            if (!(r.flags & CK_DNS_QR) || r.id != (uint16_t)(data[0] << 8 | data[1])) abort();
            ck_dns_msg_clear(&r);
        }
    }
    ck_dns_msg_clear(&m), ck_dns_msg_clear(&m2);
    return 0;
}
