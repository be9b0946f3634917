/* dns.c: the pod's DNS configuration (pkg/kubelet/network/dns/dns.go:
 * getPodDNSType, GetPodDNS, generateSearchesForDNSClusterFirst,
 * appendDNSConfig, mergeDNSOptions) rendered as containerd renders
 * runtimeapi.DNSConfig into resolv.conf. */
#define _GNU_SOURCE
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "kubelet/dns.h"
#include "util/ckjson.h"

#define MAX_ITEMS 64 /* upstream caps searches at 32 and nameservers at 3 (validation) */

typedef struct list { char *v[MAX_ITEMS]; size_t n; } list;

/* omitDuplicates on append */
static void add(list *l, const char *s, size_t len)
{
    if (!len || l->n == MAX_ITEMS) return;
    for (size_t i = 0; i < l->n; i++)
        if (strlen(l->v[i]) == len && strncmp(l->v[i], s, len) == 0) return;
    if ((l->v[l->n] = strndup(s, len))) l->n++;
}

static void clear(list *l)
{
    for (size_t i = 0; i < l->n; i++) free(l->v[i]);
    l->n = 0;
}

/* mergeDNSOptions: an option of the same name (before ':') is replaced. */
static void add_option(list *l, const char *opt)
{
    size_t name = strcspn(opt, ":");
    for (size_t i = 0; i < l->n; i++)
        if (strncmp(l->v[i], opt, name) == 0 && (l->v[i][name] == ':' || !l->v[i][name])) {
            char *s = strdup(opt);
            if (s) free(l->v[i]), l->v[i] = s;
            return;
        }
    add(l, opt, strlen(opt));
}

/* parseResolvConf: nameserver, search/domain, options lines. */
static void parse_host(const char *text, list *ns, list *search, list *opts)
{
    const char *line = text;
    while (line && *line) {
        const char *end = strchrnul(line, '\n');
        char *l = strndup(line, (size_t)(end - line)), *save = NULL;
        char *word = l ? strtok_r(l, " \t\r", &save) : NULL;
        if (word && *word != '#' && *word != ';') {
            bool is_ns = strcmp(word, "nameserver") == 0, is_search = strcmp(word, "search") == 0 || strcmp(word, "domain") == 0;
            bool is_opt = strcmp(word, "options") == 0;
            if (is_search) clear(search); /* the last search line wins */
            for (char *w; (w = strtok_r(NULL, " \t\r", &save));) {
                if (is_ns) add(ns, w, strlen(w));
                else if (is_search && strcmp(w, ".") != 0) add(search, w, strlen(w));
                else if (is_opt) add_option(opts, w);
            }
        }
        free(l);
        line = *end ? end + 1 : NULL;
    }
}

/* getPodDNSType: 'c'luster, 'h'ost or 'n'one. */
static char dns_type(const json_t *pod, size_t n_cluster_dns)
{
    const char *policy = ck_json_str(pod, "spec.dnsPolicy", "ClusterFirst");
    bool host_net = ck_json_bool(pod, "spec.hostNetwork", false);
    char t = 'h';
    if (strcmp(policy, "None") == 0) return 'n';
    if (strcmp(policy, "ClusterFirstWithHostNet") == 0) t = 'c';
    else if (strcmp(policy, "ClusterFirst") == 0 || !*policy) t = host_net ? 'h' : 'c';
    /* ClusterFirst without --cluster-dns falls back to Default (MissingClusterDNS). */
    return t == 'c' && !n_cluster_dns ? 'h' : t;
}

char *ck_dns_resolv_conf(const json_t *pod, const char *const *cluster_dns, size_t n, const char *domain,
                         const char *host)
{
    list ns = {0}, search = {0}, opts = {0}, hns = {0}, hsearch = {0}, hopts = {0};
    parse_host(host ? host : "", &hns, &hsearch, &hopts);
    char t = dns_type(pod, n);
    if (t == 'h') {
        ns = hns, search = hsearch, opts = hopts;
        hns.n = hsearch.n = hopts.n = 0;
    } else if (t == 'c') {
        for (size_t i = 0; i < n; i++) add(&ns, cluster_dns[i], strlen(cluster_dns[i]));
        if (domain && *domain) {
            char buf[512];
            snprintf(buf, sizeof buf, "%s.svc.%s", ck_json_str(pod, "metadata.namespace", "default"), domain);
            add(&search, buf, strlen(buf));
            snprintf(buf, sizeof buf, "svc.%s", domain);
            add(&search, buf, strlen(buf));
            add(&search, domain, strlen(domain));
        }
        for (size_t i = 0; i < hsearch.n; i++) add(&search, hsearch.v[i], strlen(hsearch.v[i]));
        add(&opts, "ndots:5", 7);
    }
    clear(&hns), clear(&hsearch), clear(&hopts);
    const json_t *dc = ck_json_path(pod, "spec.dnsConfig");
    size_t i;
    json_t *x;
    json_array_foreach(json_object_get(dc, "nameservers"), i, x) add(&ns, json_string_value(x) ?: "", strlen(json_string_value(x) ?: ""));
    json_array_foreach(json_object_get(dc, "searches"), i, x) add(&search, json_string_value(x) ?: "", strlen(json_string_value(x) ?: ""));
    json_array_foreach(json_object_get(dc, "options"), i, x) {
        char opt[320];
        const char *name = ck_json_str(x, "name", ""), *value = ck_json_str(x, "value", NULL);
        if (!*name) continue;
        snprintf(opt, sizeof opt, value ? "%s:%s" : "%s", name, value);
        add_option(&opts, opt);
    }
    char *out = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&out, &len);
    if (f) {
        if (search.n) {
            fputs("search", f);
            for (i = 0; i < search.n; i++) fprintf(f, " %s", search.v[i]);
            fputc('\n', f);
        }
        for (i = 0; i < ns.n; i++) fprintf(f, "nameserver %s\n", ns.v[i]);
        if (opts.n) {
            fputs("options", f);
            for (i = 0; i < opts.n; i++) fprintf(f, " %s", opts.v[i]);
            fputc('\n', f);
        }
        fclose(f);
    }
    clear(&ns), clear(&search), clear(&opts);
    return out;
}
