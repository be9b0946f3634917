/* iptables.h: the iptables proxy mode (upstream pkg/proxy/iptables): the
 * whole KUBE-* rule set is generated as iptables-restore input and applied
 * atomically with `iptables-restore --noflush`, plus the jump rules from the
 * built-in chains (PREROUTING, OUTPUT, ...) ensured with `iptables -C/-I`. */
#ifndef CK_PROXY_IPTABLES_H
#define CK_PROXY_IPTABLES_H
#include <stdbool.h>
#include <stddef.h>
#include "kube-proxy/proxier.h"

typedef struct ck_iptables_opts {
    const char *cluster_cidr;     /* --cluster-cidr; NULL/"": no "! -s CIDR" masquerade rule */
    bool masquerade_all;          /* --masquerade-all */
    const char *masquerade_mark;  /* NULL = "0x4000" (1 << --iptables-masquerade-bit 14) */
    bool random_fully;            /* MASQUERADE --random-fully (iptables >= 1.6.2) */
    bool localhost_nodeports;     /* --iptables-localhost-nodeports (true upstream) */
    /* Node IPs that accept NodePorts, resolved from --nodeport-addresses;
     * n_nodeport_ips == 0 means every local address (addrtype LOCAL). */
    const char *const *nodeport_ips;
    size_t n_nodeport_ips;
} ck_iptables_opts;

/* Chain names as upstream: prefix + first 16 chars of base32(sha256(
 * servicePortName + lowercase protocol [+ "ip:port"])). out holds >= 32. */
void ck_iptables_chain_name(char *out, const char *prefix, const char *spn,
                            const char *protocol, const char *endpoint);

/* The full iptables-restore input (filter then nat) for st. existing_nat
 * lists chains currently in the nat table (from iptables-save); stale
 * KUBE-SVC/SEP/EXT/FW/SVL ones among them get flushed and deleted.
 * Returns a malloc'd string, NULL on OOM. */
char *ck_iptables_render(const ck_proxy_state *st, const ck_iptables_opts *o,
                         const char *const *existing_nat, size_t n_existing);

/* The chain names declared in iptables-save output (":NAME ..." lines), as a
 * malloc'd array of malloc'd strings; free with ck_iptables_chains_free. */
char **ck_iptables_parse_chains(const char *save, size_t *n);
void ck_iptables_chains_free(char **chains, size_t n);

/* The iptables proxier. Copies opts (and the nodeport IPs). NULL on OOM. */
ck_proxier *ck_iptables_proxier_new(const ck_iptables_opts *o, char *err, size_t errlen);
#endif
