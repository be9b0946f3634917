/* test_proxy_rewrite.c: the proxy's link rewriting as upstream's
 * k8s.io/apimachinery/pkg/util/proxy transport.go (rewriteURL, rewriteHTML)
 * and what test/e2e/network/proxy.go expects of a pod's page. */
#include <stdlib.h>
#include <string.h>
#include "apiserver/handlers/proxy_rewrite.h"
#include "util/cktest.h"

static const ck_proxy_rewrite rw = {"/api/v1/namespaces/ns/pods/p:1080/proxy", "10.1.0.5:1080", "127.0.0.1:6443"};

static void url_is(const char *in, const char *want)
{
    char *got = ck_proxy_rewrite_url(&rw, in);
    CU_ASSERT_PTR_NOT_NULL_FATAL(got);
    if (strcmp(got, want) != 0) fprintf(stderr, "\n  %s -> %s, want %s\n", in, got, want);
    CU_ASSERT_STRING_EQUAL(got, want);
    free(got);
}

static void html_is(const char *in, const char *want)
{
    size_t n = 0;
    char *got = ck_proxy_rewrite_html(&rw, in, strlen(in), &n);
    CU_ASSERT_PTR_NOT_NULL_FATAL(got);
    CU_ASSERT_EQUAL(n, strlen(want));
    if (n != strlen(want) || memcmp(got, want, n) != 0) fprintf(stderr, "\n  got  %.*s\n  want %s\n", (int)n, got, want);
    CU_ASSERT_TRUE(n == strlen(want) && memcmp(got, want, n) == 0);
    free(got);
}

static void test_rewrite_url(void)
{
    url_is("/rewriteme", "/api/v1/namespaces/ns/pods/p:1080/proxy/rewriteme");
    url_is("/dir/", "/api/v1/namespaces/ns/pods/p:1080/proxy/dir/");          /* trailing slash kept */
    url_is("/a/../b?x=1#f", "/api/v1/namespaces/ns/pods/p:1080/proxy/b?x=1#f"); /* path.Join cleans */
    url_is("http://10.1.0.5:1080/x", "/api/v1/namespaces/ns/pods/p:1080/proxy/x"); /* the backend's own host */
    url_is("http://127.0.0.1:6443/x", "http://127.0.0.1:6443/api/v1/namespaces/ns/pods/p:1080/proxy/x");
    url_is("http://example.com/x", "http://example.com/x");                      /* another host */
    url_is("relative/path", "relative/path");
    url_is("mailto:a@b", "mailto:a@b");
    url_is("/api/v1/namespaces/ns/pods/p:1080/proxy/already", "/api/v1/namespaces/ns/pods/p:1080/proxy/already");
}

static void test_rewrite_html(void)
{
    /* proxy.go: porter's SERVE_PORT_1080 page */
    html_is("<a href=\"/rewriteme\">test</a>", "<a href=\"/api/v1/namespaces/ns/pods/p:1080/proxy/rewriteme\">test</a>");
    /* start tags are re-rendered (lowercase, quoted, escaped); the rest is byte for byte */
    html_is("<!DOCTYPE html><HTML><body BACKGROUND=/bg.png>Hi &amp; <b>bye</b><!-- <a href=/c> --></body>",
            "<!DOCTYPE html><html><body background=\"/api/v1/namespaces/ns/pods/p:1080/proxy/bg.png\">Hi &amp; "
            "<b>bye</b><!-- <a href=/c> --></body>");
    html_is("<img src='/i.png' alt=\"a&amp;b\"/><input disabled>",
            "<img src=\"/api/v1/namespaces/ns/pods/p:1080/proxy/i.png\" alt=\"a&amp;b\"/><input disabled=\"\">");
    /* script content is raw text: no tags inside */
    html_is("<script>var s = '<a href=\"/x\">';</script><form action=\"/post\">",
            "<script>var s = '<a href=\"/x\">';</script><form action=\"/api/v1/namespaces/ns/pods/p:1080/proxy/post\">");
    html_is("<a href=\"http://example.com/\">x</a> 1 < 2", "<a href=\"http://example.com/\">x</a> 1 < 2");
}

int main(void)
{
    static const ck_test tests[] = {
        {"rewriteURL", test_rewrite_url},
        {"rewriteHTML", test_rewrite_html},
        {NULL, NULL},
    };
    return ck_test_main("proxy rewrite", tests, NULL, NULL);
}
