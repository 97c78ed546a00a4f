/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * placement.h: the forward-proxy form (draft-ietf-core-oscore-capable-proxies
 * 2.4 step 2) and osc_check_placement on hand-built layer results.
 *
 * Covers: Proxy-Uri and Proxy-Scheme make the forward-proxy form, Uri-Host
 * and Hop-Limit alone do not; outside a hop layer added on this leg,
 * Proxy-Scheme, Uri-Host with Proxy-Scheme and Hop-Limit are flagged
 * (2.2 step 8) while an OSCORE-unrelated outer option is not; Uri-Host
 * without Proxy-Scheme stays outer (step 7); nothing is flagged outside a
 * layer seen on an earlier leg or outside an end-to-end-only layer;
 * Hop-Limit and Proxy-Scheme inside the end-to-end layer are flagged;
 * Class E options inside a hop layer are readable, Uri-Path only when the
 * end-to-end layer has none (appendix B.8); options are listed once; an
 * incomplete peel checks neither the end-to-end layer nor Uri-Path.
 */
#include <string.h>

#include "oscore/options.h"
#include "oscore/placement.h"
#include "test_support.h"

static const uint8_t value[] = "x";

static void add(osc_coap_message *msg, uint16_t number)
{
    CHECK_EQ(osc_coap_add_option(msg, number, value, 1), OSC_OK);
}

static bool listed(const uint16_t *list, size_t count, uint16_t number)
{
    for (size_t i = 0; i < count; i++)
        if (list[i] == number)
            return true;
    return false;
}

static void test_forward_form(void)
{
    osc_coap_message msg;
    memset(&msg, 0, sizeof msg);
    add(&msg, OSC_OPT_URI_HOST);
    add(&msg, OSC_OPT_HOP_LIMIT);
    CHECK(!osc_request_is_forward_form(&msg));
    osc_coap_message uri = msg;
    add(&uri, OSC_OPT_PROXY_URI);
    CHECK(osc_request_is_forward_form(&uri));
    add(&msg, OSC_OPT_PROXY_SCHEME);
    CHECK(osc_request_is_forward_form(&msg));
}

/* Wire: Uri-Host, OSCORE, Hop-Limit, Max-Age(E|U), Proxy-Scheme outside a
 * C-P layer; inside it Content-Format, Uri-Path, the C-S OSCORE option;
 * inside C-S Uri-Path, Hop-Limit, Proxy-Scheme. */
static void build(osc_coap_message *wire, osc_layer_result results[2],
                  bool e2e_has_path)
{
    memset(wire, 0, sizeof *wire);
    memset(results, 0, 2 * sizeof *results);
    add(wire, OSC_OPT_URI_HOST);
    add(wire, OSC_OPT_OSCORE);
    add(wire, OSC_OPT_MAX_AGE);
    add(wire, OSC_OPT_HOP_LIMIT);
    add(wire, OSC_OPT_PROXY_SCHEME);
    add(wire, OSC_OPT_PROXY_SCHEME);
    osc_coap_message *hop = &results[0].inner;
    add(hop, OSC_OPT_OSCORE);
    add(hop, OSC_OPT_URI_PATH);
    add(hop, OSC_OPT_CONTENT_FORMAT);
    add(hop, OSC_OPT_CONTENT_FORMAT);
    results[0].result = *hop;
    osc_coap_message *e2e = &results[1].inner;
    if (e2e_has_path)
        add(e2e, OSC_OPT_URI_PATH);
    add(e2e, OSC_OPT_HOP_LIMIT);
    add(e2e, OSC_OPT_PROXY_SCHEME);
    results[1].result = *e2e;
}

static void test_two_layers(void)
{
    osc_coap_message wire;
    osc_layer_result results[2];
    const osc_layer_result *ptr[2] = {&results[0], &results[1]};
    osc_layer_placement out[2];

    build(&wire, results, true);
    osc_check_placement(&wire, ptr, 2, true, true, out);
    /* With Proxy-Scheme, Uri-Host is for the forward proxy too. */
    CHECK_EQ(out[0].outside_count, 3);
    CHECK(listed(out[0].outside, out[0].outside_count, OSC_OPT_URI_HOST));
    CHECK(listed(out[0].outside, out[0].outside_count, OSC_OPT_HOP_LIMIT));
    CHECK(listed(out[0].outside, out[0].outside_count, OSC_OPT_PROXY_SCHEME));
    CHECK_EQ(out[0].inside_count, 0);
    /* Uri-Path is a routing segment: the end-to-end layer has its own. */
    CHECK_EQ(out[0].readable_e2e_count, 1);
    CHECK_EQ(out[0].readable_e2e[0], OSC_OPT_CONTENT_FORMAT);
    CHECK_EQ(out[1].outside_count, 0);
    CHECK_EQ(out[1].inside_count, 2);
    CHECK(listed(out[1].inside, out[1].inside_count, OSC_OPT_HOP_LIMIT));
    CHECK(listed(out[1].inside, out[1].inside_count, OSC_OPT_PROXY_SCHEME));
    CHECK_EQ(out[1].readable_e2e_count, 0);

    /* No Uri-Path end to end: the proxy reads the resource path. */
    build(&wire, results, false);
    osc_check_placement(&wire, ptr, 2, true, true, out);
    CHECK_EQ(out[0].readable_e2e_count, 2);
    CHECK(listed(out[0].readable_e2e, 2, OSC_OPT_URI_PATH));

    /* Already seen on an earlier leg: the options outside are passed on. */
    build(&wire, results, true);
    osc_check_placement(&wire, ptr, 2, true, false, out);
    CHECK_EQ(out[0].outside_count, 0);
    CHECK_EQ(out[1].inside_count, 2);

    /* Not every layer removed: no end-to-end layer known. */
    build(&wire, results, false);
    osc_check_placement(&wire, ptr, 2, false, true, out);
    CHECK_EQ(out[1].inside_count, 0);
    CHECK_EQ(out[0].readable_e2e_count, 1);
}

static void test_one_layer(void)
{
    /* Without Proxy-Scheme, Uri-Host stays outer (2.2 step 7); a single
     * end-to-end layer is no hop layer, so nothing outside is flagged. */
    osc_coap_message wire;
    memset(&wire, 0, sizeof wire);
    add(&wire, OSC_OPT_URI_HOST);
    add(&wire, OSC_OPT_OSCORE);
    add(&wire, OSC_OPT_HOP_LIMIT);
    osc_layer_result results[2];
    memset(results, 0, sizeof results);
    add(&results[0].inner, OSC_OPT_OSCORE);
    results[0].result = results[0].inner;
    add(&results[1].inner, OSC_OPT_URI_PATH);
    results[1].result = results[1].inner;
    const osc_layer_result *ptr[2] = {&results[0], &results[1]};
    osc_layer_placement out[2];
    osc_check_placement(&wire, ptr, 2, true, true, out);
    CHECK_EQ(out[0].outside_count, 1);
    CHECK_EQ(out[0].outside[0], OSC_OPT_HOP_LIMIT);

    osc_check_placement(&wire, &ptr[1], 1, true, true, out);
    CHECK_EQ(out[0].outside_count, 0);
    CHECK_EQ(out[0].inside_count, 0);
    CHECK_EQ(out[0].readable_e2e_count, 0);
}

int main(int argc, char **argv)
{
    tests_init(argc, argv);
    test_forward_form();
    test_two_layers();
    test_one_layer();
    return tests_finish();
}
