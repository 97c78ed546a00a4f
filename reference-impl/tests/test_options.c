/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * options.h and osc_layer_escalations (layer_stack.h): the option registry
 * with the OSCORE classes (RFC 8613 4.1), the per-layer escalation
 * procedure of draft-ietf-core-oscore-capable-proxies 2.2 and the Proxy-Uri
 * split (RFC 7252 6.4, RFC 8613 4.1.3.3).
 *
 * Covers: registry names, formats, classes and repeatability for every
 * option the engine knows (expected values written here from RFC 8613 4.1,
 * RFC 7252 5.10 and the options' own RFCs), unknown numbers (class E, no name),
 * critical/unsafe bits, the outer-only and inner-and-outer predicates;
 * osc_option_escalate for all 128 combinations of facts against a model of the
 * nine steps, and for the cases that follow from those steps (Proxy-Scheme and
 * Uri-Host with Proxy-Scheme inside the C-P layer of a forward proxy, Uri-Host
 * without Proxy-Scheme outer, an inner OSCORE option always inside, Hop-Limit
 * inside the layer with the first proxy / outer in the e2e layer when a proxy
 * is next hop / inside when the client talks to the server directly, EDHOC
 * outer when X is the responder and needs it and inside the C-P layer when it
 * is for the server); the same cases through osc_layer_escalations with
 * osc_layer_peer settings, including the draft's examples (appendix B.1 to B.8)
 * and an onion with two proxies; and osc_proxy_uri_split on good and bad URIs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "oscore/coap.h"
#include "oscore/layer_stack.h"
#include "oscore/options.h"
#include "oscore/peel.h"
#include "test_support.h"

#define E OSC_CLASS_E
#define U OSC_CLASS_U
#define NONE OSC_PROXY_USE_NONE
#define TARGET OSC_PROXY_USE_TARGET
#define AUTH OSC_PROXY_USE_AUTHORITY
#define HOP OSC_PROXY_USE_EVERY_HOP

/* ---- Registry --------------------------------------------------------- */

typedef struct expected_option {
    uint16_t number;
    const char *name;
    unsigned classes;
    osc_option_format format;
    bool repeatable;
    osc_proxy_use proxy_use;
} expected_option;

/* Classes: RFC 8613 4.1, with Hop-Limit Class U as
 * draft-ietf-core-oscore-capable-proxies 3 defines it. Name, format,
 * repeatable: RFC 7252 5.10 table 4, RFC 7641, RFC 7959, RFC 8768, RFC
 * 9175, RFC 7967, RFC 9668. Proxy use: draft 2.4 steps 1-3 (Proxy-Uri and
 * Proxy-Scheme make the forward-proxy form, Uri-Host/Uri-Port name its
 * authority) and RFC 8768 (every proxy processes Hop-Limit). */
static const expected_option registry[] = {
    {1, "If-Match", E, OSC_FORMAT_OPAQUE, true, NONE},
    {3, "Uri-Host", U, OSC_FORMAT_STRING, false, AUTH},
    {4, "ETag", E, OSC_FORMAT_OPAQUE, true, NONE},
    {5, "If-None-Match", E, OSC_FORMAT_EMPTY, false, NONE},
    {6, "Observe", E | U, OSC_FORMAT_UINT, false, NONE},
    {7, "Uri-Port", U, OSC_FORMAT_UINT, false, AUTH},
    {8, "Location-Path", E, OSC_FORMAT_STRING, true, NONE},
    {9, "OSCORE", U, OSC_FORMAT_OSCORE, false, NONE},
    {11, "Uri-Path", E, OSC_FORMAT_STRING, true, NONE},
    {12, "Content-Format", E, OSC_FORMAT_UINT, false, NONE},
    {14, "Max-Age", E | U, OSC_FORMAT_UINT, false, NONE},
    {15, "Uri-Query", E, OSC_FORMAT_STRING, true, NONE},
    {16, "Hop-Limit", U, OSC_FORMAT_UINT, false, HOP},
    {17, "Accept", E, OSC_FORMAT_UINT, false, NONE},
    {20, "Location-Query", E, OSC_FORMAT_STRING, true, NONE},
    {21, "EDHOC", U, OSC_FORMAT_EMPTY, false, NONE},
    {23, "Block2", E | U, OSC_FORMAT_UINT, false, NONE},
    {27, "Block1", E | U, OSC_FORMAT_UINT, false, NONE},
    {28, "Size2", E | U, OSC_FORMAT_UINT, false, NONE},
    {35, "Proxy-Uri", U, OSC_FORMAT_STRING, false, TARGET},
    {39, "Proxy-Scheme", U, OSC_FORMAT_STRING, false, TARGET},
    {60, "Size1", E | U, OSC_FORMAT_UINT, false, NONE},
    {252, "Echo", E | U, OSC_FORMAT_OPAQUE, false, NONE},
    {258, "No-Response", E, OSC_FORMAT_UINT, false, NONE},
    {292, "Request-Tag", E | U, OSC_FORMAT_OPAQUE, true, NONE},
};

static void test_registry(void)
{
    for (size_t i = 0; i < sizeof registry / sizeof registry[0]; i++) {
        const expected_option *want = &registry[i];
        osc_option_info got = osc_option_lookup(want->number);
        bool ok = got.number == want->number && got.name &&
                  strcmp(got.name, want->name) == 0 &&
                  got.classes == want->classes && got.format == want->format &&
                  got.repeatable == want->repeatable &&
                  got.proxy_use == want->proxy_use;
        if (!CHECK(ok))
            fprintf(stderr, "  registry entry %u (%s)\n", want->number,
                    want->name);
        const char *name = osc_option_name(want->number);
        CHECK(name && strcmp(name, want->name) == 0);
        bool outer_only = !(want->classes & E);
        bool both = (want->classes & E) && (want->classes & U);
        if (!CHECK_EQ(osc_option_is_proxy_related(want->number),
                      want->proxy_use != NONE))
            fprintf(stderr, "  proxy-related %s\n", want->name);
        if (!CHECK_EQ(osc_option_is_outer_only(want->number), outer_only) ||
            !CHECK_EQ(osc_option_is_inner_and_outer(want->number), both))
            fprintf(stderr, "  predicates of %s\n", want->name);
    }
    CHECK_EQ(OSC_OPT_OSCORE, 9);
    CHECK_EQ(OSC_OPT_HOP_LIMIT, 16);
    CHECK_EQ(OSC_OPT_EDHOC, 21);
    CHECK_EQ(OSC_OPT_PROXY_SCHEME, 39);

    /* Unknown numbers: no name, opaque, Class E (RFC 8613 4.1),
     * repeatable; neither outer-only nor inner-and-outer. */
    static const uint16_t unknown[] = {0,  2,   10,   13,    18,   22,
                                       40, 259, 2049, 65000, 65535};
    for (size_t i = 0; i < sizeof unknown / sizeof unknown[0]; i++) {
        osc_option_info got = osc_option_lookup(unknown[i]);
        CHECK_EQ(got.number, unknown[i]);
        CHECK(got.name == NULL);
        CHECK(osc_option_name(unknown[i]) == NULL);
        CHECK_EQ(got.classes, E);
        CHECK_EQ(got.format, OSC_FORMAT_OPAQUE);
        CHECK(got.repeatable);
        CHECK_EQ(got.proxy_use, OSC_PROXY_USE_NONE);
        CHECK(!osc_option_is_proxy_related(unknown[i]));
        CHECK(!osc_option_is_outer_only(unknown[i]));
        CHECK(!osc_option_is_inner_and_outer(unknown[i]));
    }

    /* RFC 7252 5.4.6: bit 0 critical, bit 1 unsafe. */
    size_t bad = 0;
    for (uint32_t n = 0; n <= 65535; n++) {
        if (osc_option_is_critical((uint16_t)n) != ((n & 1) != 0) ||
            osc_option_is_unsafe((uint16_t)n) != ((n & 2) != 0))
            bad++;
    }
    CHECK_EQ(bad, 0);
    /* The OSCORE option is critical and safe to forward (RFC 8613 2). */
    CHECK(osc_option_is_critical(OSC_OPT_OSCORE));
    CHECK(!osc_option_is_unsafe(OSC_OPT_OSCORE));
    CHECK(osc_option_is_critical(OSC_OPT_PROXY_URI));
    CHECK(osc_option_is_unsafe(OSC_OPT_PROXY_URI));
    CHECK(!osc_option_is_critical(OSC_OPT_HOP_LIMIT));
}

/* ---- osc_option_escalate ---------------------------------------------- */

/* The nine steps of draft-ietf-core-oscore-capable-proxies 2.2, written from
 * the draft's text. */
static bool model_escalate(uint16_t number, const osc_escalation_facts *f)
{
    int step = 1;
    for (;;) {
        switch (step) {
        case 1:
            step = f->sender_added_option ? 2 : 4;
            break;
        case 2:
            step = f->x_is_consumer ? 3 : 4;
            break;
        case 3:
            step = f->x_is_immediate_next_consumer ? 5 : 9;
            break;
        case 4:
            step = f->x_is_next_hop || !f->next_hop_is_immediate_next_consumer
                       ? 6
                       : 9;
            break;
        case 5:
            step = f->x_needs_option_to_remove_layer ? 9 : 6;
            break;
        case 6:
            step = number == 3 || number == 7 ? 7 : 8;
            break;
        case 7:
            step = f->message_has_proxy_scheme ? 8 : 9;
            break;
        case 8:
            return true;
        default:
            return false;
        }
    }
}

static osc_escalation_facts facts_from_bits(unsigned bits)
{
    osc_escalation_facts f;
    f.sender_added_option = bits & 1;
    f.x_is_consumer = bits & 2;
    f.x_is_immediate_next_consumer = bits & 4;
    f.x_is_next_hop = bits & 8;
    f.next_hop_is_immediate_next_consumer = bits & 16;
    f.x_needs_option_to_remove_layer = bits & 32;
    f.message_has_proxy_scheme = bits & 64;
    return f;
}

static void test_escalate_all_facts(void)
{
    static const uint16_t outer_only[] = {3, 7, 9, 16, 21, 35, 39};
    static const uint16_t never[] = {1, 6, 11, 14, 23, 252, 258, 292, 65000};
    size_t bad = 0, inside = 0;
    for (unsigned bits = 0; bits < 128; bits++) {
        osc_escalation_facts f = facts_from_bits(bits);
        for (size_t i = 0; i < sizeof outer_only / sizeof outer_only[0]; i++) {
            bool got = osc_option_escalate(outer_only[i], &f);
            if (got != model_escalate(outer_only[i], &f)) {
                if (bad < 5)
                    fprintf(stderr, "  option %u facts 0x%02x: got %d\n",
                            outer_only[i], bits, got);
                bad++;
            }
            inside += got;
        }
        /* Options defined as Class E (or E and U) are never escalated. */
        for (size_t i = 0; i < sizeof never / sizeof never[0]; i++)
            if (osc_option_escalate(never[i], &f))
                bad++;
    }
    CHECK_EQ(bad, 0);
    CHECK(inside > 0);
}

/* Facts builder for the named cases. */
static osc_escalation_facts facts(bool added, bool consumer, bool immediate,
                                  bool next_hop, bool next_hop_consumes,
                                  bool needs, bool proxy_scheme)
{
    osc_escalation_facts f;
    f.sender_added_option = added;
    f.x_is_consumer = consumer;
    f.x_is_immediate_next_consumer = immediate;
    f.x_is_next_hop = next_hop;
    f.next_hop_is_immediate_next_consumer = next_hop_consumes;
    f.x_needs_option_to_remove_layer = needs;
    f.message_has_proxy_scheme = proxy_scheme;
    return f;
}

static void test_escalate_named(void)
{
    osc_escalation_facts f;
    /* Client, C-P layer of a forward proxy P (next hop): Proxy-Scheme,
     * Proxy-Uri and Uri-Host/Uri-Port with Proxy-Scheme go inside. */
    f = facts(true, true, true, true, true, false, true);
    CHECK(osc_option_escalate(OSC_OPT_PROXY_SCHEME, &f));
    CHECK(osc_option_escalate(OSC_OPT_PROXY_URI, &f));
    CHECK(osc_option_escalate(OSC_OPT_URI_HOST, &f));
    CHECK(osc_option_escalate(OSC_OPT_URI_PORT, &f));
    /* Client, C-S layer with the forward proxy as next hop: those stay
     * outer (X = S is not their consumer, the next hop is). */
    f = facts(true, false, false, false, true, false, true);
    CHECK(!osc_option_escalate(OSC_OPT_PROXY_SCHEME, &f));
    CHECK(!osc_option_escalate(OSC_OPT_URI_HOST, &f));
    /* Uri-Host without Proxy-Scheme (reverse proxy addressing, or the
     * host a forward proxy keeps for the origin): outer in every layer,
     * whatever else is true (step 7). */
    for (unsigned bits = 0; bits < 64; bits++) {
        f = facts_from_bits(bits); /* bit 64 (Proxy-Scheme) clear */
        CHECK(!osc_option_escalate(OSC_OPT_URI_HOST, &f));
        CHECK(!osc_option_escalate(OSC_OPT_URI_PORT, &f));
    }
    /* The OSCORE option of an inner layer: added by the sender, X is not
     * its consumer. X next hop -> inside; X not next hop but the next hop
     * is not its consumer either -> inside; forwarded by a proxy (not
     * added by it) to X as next hop -> inside. */
    f = facts(true, false, false, true, false, false, false);
    CHECK(osc_option_escalate(OSC_OPT_OSCORE, &f));
    f = facts(true, false, false, false, false, false, false);
    CHECK(osc_option_escalate(OSC_OPT_OSCORE, &f));
    f = facts(false, false, false, true, false, false, false);
    CHECK(osc_option_escalate(OSC_OPT_OSCORE, &f));
    /* Hop-Limit: inside the layer with the first proxy (X consumer, next
     * hop); outer in the e2e layer when a proxy is next hop; inside when
     * the client talks to the server directly (X = S is next hop). */
    f = facts(true, true, true, true, true, false, false);
    CHECK(osc_option_escalate(OSC_OPT_HOP_LIMIT, &f));
    f = facts(true, false, false, false, true, false, false);
    CHECK(!osc_option_escalate(OSC_OPT_HOP_LIMIT, &f));
    f = facts(true, false, false, true, false, false, false);
    CHECK(osc_option_escalate(OSC_OPT_HOP_LIMIT, &f));
    /* A second proxy P2 behind the first one P1: X = P2 is a consumer
     * but not the immediate next one -> step 3 -> 9, outer. */
    f = facts(true, true, false, false, true, false, false);
    CHECK(!osc_option_escalate(OSC_OPT_HOP_LIMIT, &f));
    /* EDHOC: X is the EDHOC responder and needs the option to remove the
     * layer -> outer (step 5 -> 9). For the server behind a proxy, in the
     * C-P layer: X = P is not its consumer but is the next hop -> inside;
     * in the C-S layer the server needs it -> outer. */
    f = facts(true, true, true, true, true, true, false);
    CHECK(!osc_option_escalate(OSC_OPT_EDHOC, &f));
    f = facts(true, false, false, true, false, false, false);
    CHECK(osc_option_escalate(OSC_OPT_EDHOC, &f));
    f = facts(true, true, true, false, false, true, false);
    CHECK(!osc_option_escalate(OSC_OPT_EDHOC, &f));
}

/* ---- osc_layer_escalations -------------------------------------------- */

static const uint8_t host[] = "example.com";
static const uint8_t scheme[] = "coap";
static const uint8_t path[] = "alarm_status";
static const uint8_t oscore_value[] = {0x09, 0x2a, 0x5f};
static const uint8_t hop_limit[] = {16};

typedef enum {
    WITH_HOST = 1,
    WITH_SCHEME = 2,
    WITH_HOP_LIMIT = 4,
    WITH_OSCORE = 8,
    WITH_EDHOC = 16,
    WITH_PORT = 32,
    WITH_PROXY_URI = 64
} msg_flags;

static osc_coap_message request(unsigned flags)
{
    osc_coap_message m;
    memset(&m, 0, sizeof m);
    m.code = OSC_COAP_CODE_GET;
    static const uint8_t port[] = {0x16, 0x33};
    static const uint8_t proxy_uri[] = "coap://example.com";
    if (flags & WITH_HOST)
        CHECK_EQ(osc_coap_add_option(&m, OSC_OPT_URI_HOST, host, 11), OSC_OK);
    if (flags & WITH_PORT)
        CHECK_EQ(osc_coap_add_option(&m, OSC_OPT_URI_PORT, port, 2), OSC_OK);
    if (flags & WITH_OSCORE)
        CHECK_EQ(osc_coap_add_option(&m, OSC_OPT_OSCORE, oscore_value, 3),
                 OSC_OK);
    CHECK_EQ(osc_coap_add_option(&m, OSC_OPT_URI_PATH, path, 12), OSC_OK);
    if (flags & WITH_HOP_LIMIT)
        CHECK_EQ(osc_coap_add_option(&m, OSC_OPT_HOP_LIMIT, hop_limit, 1),
                 OSC_OK);
    if (flags & WITH_EDHOC)
        CHECK_EQ(osc_coap_add_option(&m, OSC_OPT_EDHOC, NULL, 0), OSC_OK);
    if (flags & WITH_PROXY_URI)
        CHECK_EQ(osc_coap_add_option(&m, OSC_OPT_PROXY_URI, proxy_uri, 18),
                 OSC_OK);
    if (flags & WITH_SCHEME)
        CHECK_EQ(osc_coap_add_option(&m, OSC_OPT_PROXY_SCHEME, scheme, 4),
                 OSC_OK);
    return m;
}

/* Checks the escalation list of `flags`-message for `peer` equals the
 * given numbers (in option order). */
static void expect_escalations(const char *what, unsigned flags,
                               const osc_layer_peer *peer, const uint16_t *want,
                               size_t want_count)
{
    osc_coap_message m = request(flags);
    uint16_t got[OSC_MAX_ESCALATED];
    memset(got, 0xff, sizeof got);
    size_t n = osc_layer_escalations(&m, peer, got);
    bool ok = n == want_count;
    for (size_t i = 0; ok && i < n; i++)
        ok = got[i] == want[i];
    if (!CHECK(ok)) {
        fprintf(stderr, "  %s: got {", what);
        for (size_t i = 0; i < n && i < OSC_MAX_ESCALATED; i++)
            fprintf(stderr, " %u", got[i]);
        fprintf(stderr, " }, want {");
        for (size_t i = 0; i < want_count; i++)
            fprintf(stderr, " %u", want[i]);
        fprintf(stderr, " }\n");
    }
}

#define EXPECT(what, flags, peer, ...)                                         \
    do {                                                                       \
        static const uint16_t want_[] = {__VA_ARGS__};                         \
        expect_escalations(what, flags, peer, want_,                           \
                           sizeof want_ / sizeof want_[0]);                    \
    } while (0)
#define EXPECT_NONE(what, flags, peer)                                         \
    expect_escalations(what, flags, peer, NULL, 0)

static void test_layer_escalations(void)
{
    osc_layer_peer peer;

    /* Client -> forward proxy P -> server (appendix B.1, B.3). */
    /* C-S layer (first, innermost): nothing escalates; Hop-Limit stays
     * outer because a proxy is the next hop. */
    memset(&peer, 0, sizeof peer);
    peer.sender_is_origin = true;
    peer.next_hop_is_proxy = true;
    peer.next_hop_is_forward_proxy = true;
    EXPECT_NONE("C-S layer, forward proxy next",
                WITH_HOST | WITH_SCHEME | WITH_HOP_LIMIT, &peer);
    EXPECT_NONE("C-S layer, Proxy-Uri", WITH_PROXY_URI, &peer);
    /* C-P layer: Uri-Host (with Proxy-Scheme), the C-S OSCORE option,
     * Hop-Limit and Proxy-Scheme go inside (MSG1_C_to_P_request of
     * nested-example-5.9.json). */
    memset(&peer, 0, sizeof peer);
    peer.sender_is_origin = true;
    peer.peer_is_next_hop = true;
    peer.peer_is_proxy = true;
    peer.peer_is_forward_proxy = true;
    peer.next_hop_is_proxy = true;
    peer.next_hop_is_forward_proxy = true;
    EXPECT("C-P layer, forward proxy",
           WITH_HOST | WITH_OSCORE | WITH_HOP_LIMIT | WITH_SCHEME, &peer, 3, 9,
           16, 39);
    EXPECT("C-P layer, with Uri-Port", WITH_HOST | WITH_PORT | WITH_SCHEME,
           &peer, 3, 7, 39);
    EXPECT("C-P layer, Proxy-Uri", WITH_OSCORE | WITH_PROXY_URI, &peer, 9, 35);

    /* Reverse proxy (appendix B.7, B.8): Uri-Host without Proxy-Scheme
     * stays outer in the C-P layer; Hop-Limit goes inside (P is the first
     * proxy, next hop); the inner OSCORE option goes inside. */
    memset(&peer, 0, sizeof peer);
    peer.sender_is_origin = true;
    peer.peer_is_next_hop = true;
    peer.peer_is_proxy = true;
    peer.next_hop_is_proxy = true;
    EXPECT("C-P layer, reverse proxy", WITH_HOST | WITH_OSCORE | WITH_HOP_LIMIT,
           &peer, 9, 16);
    EXPECT_NONE("C-P layer, reverse proxy, Uri-Host only", WITH_HOST, &peer);

    /* Client talking to the server directly: Hop-Limit inside the e2e
     * layer; Uri-Host outer (no Proxy-Scheme). */
    memset(&peer, 0, sizeof peer);
    peer.sender_is_origin = true;
    peer.peer_is_next_hop = true;
    EXPECT("direct C-S", WITH_HOST | WITH_HOP_LIMIT, &peer, 16);

    /* Forward proxy P adding its P-S layer (appendix B.3, MSG2B): it did
     * not add the forwarded OSCORE option, S is next hop -> inside; the
     * Uri-Host it keeps for the origin stays outer. */
    memset(&peer, 0, sizeof peer);
    peer.peer_is_next_hop = true;
    EXPECT("P-S layer", WITH_HOST | WITH_OSCORE, &peer, 9);
    EXPECT("P-S layer with Hop-Limit", WITH_HOST | WITH_OSCORE | WITH_HOP_LIMIT,
           &peer, 9, 16);

    /* Appendix B.6: P1 adds the P1-P2 layer for forward proxy P2 (next
     * hop); Uri-Host with Proxy-Scheme, OSCORE and Proxy-Scheme go in. */
    memset(&peer, 0, sizeof peer);
    peer.peer_is_next_hop = true;
    peer.peer_is_proxy = true;
    peer.peer_is_forward_proxy = true;
    peer.next_hop_is_proxy = true;
    peer.next_hop_is_forward_proxy = true;
    EXPECT("P1-P2 layer", WITH_HOST | WITH_OSCORE | WITH_SCHEME, &peer, 3, 9,
           39);

    /* EDHOC (appendix B.5: the combined request to P, then the request
     * carrying EDHOC for S): P is the EDHOC responder and
     * needs the option before decrypting -> outer of C-P. For the server:
     * outer of C-S (S needs it), inside C-P. */
    memset(&peer, 0, sizeof peer);
    peer.sender_is_origin = true;
    peer.peer_is_next_hop = true;
    peer.peer_is_proxy = true;
    peer.peer_is_forward_proxy = true;
    peer.next_hop_is_proxy = true;
    peer.next_hop_is_forward_proxy = true;
    peer.peer_needs_edhoc_option = true;
    peer.next_hop_needs_edhoc_option = true;
    EXPECT("C-P layer, P is EDHOC responder",
           WITH_HOST | WITH_SCHEME | WITH_EDHOC, &peer, 3, 39);
    memset(&peer, 0, sizeof peer);
    peer.sender_is_origin = true;
    peer.next_hop_is_proxy = true;
    peer.next_hop_is_forward_proxy = true;
    peer.peer_needs_edhoc_option = true;
    EXPECT_NONE("C-S layer, S is EDHOC responder",
                WITH_HOST | WITH_SCHEME | WITH_EDHOC, &peer);
    memset(&peer, 0, sizeof peer);
    peer.sender_is_origin = true;
    peer.peer_is_next_hop = true;
    peer.peer_is_proxy = true;
    peer.peer_is_forward_proxy = true;
    peer.next_hop_is_proxy = true;
    peer.next_hop_is_forward_proxy = true;
    EXPECT("C-P layer, EDHOC for S",
           WITH_HOST | WITH_OSCORE | WITH_EDHOC | WITH_SCHEME, &peer, 3, 9, 21,
           39);
    /* Direct client -> server, S is EDHOC responder: outer. */
    memset(&peer, 0, sizeof peer);
    peer.sender_is_origin = true;
    peer.peer_is_next_hop = true;
    peer.peer_needs_edhoc_option = true;
    EXPECT_NONE("direct, S is EDHOC responder", WITH_EDHOC, &peer);

    /* The inner OSCORE option goes inside for every peer description. */
    size_t bad = 0;
    for (unsigned bits = 0; bits < 256; bits++) {
        memset(&peer, 0, sizeof peer);
        peer.sender_is_origin = bits & 1;
        peer.peer_is_next_hop = bits & 2;
        peer.peer_is_proxy = bits & 4;
        peer.peer_is_forward_proxy = bits & 8;
        peer.next_hop_is_proxy = bits & 16;
        peer.next_hop_is_forward_proxy = bits & 32;
        peer.peer_needs_edhoc_option = bits & 64;
        peer.next_hop_needs_edhoc_option = bits & 128;
        osc_coap_message m = request(WITH_OSCORE | WITH_HOST);
        uint16_t got[OSC_MAX_ESCALATED];
        size_t n = osc_layer_escalations(&m, &peer, got);
        bool has_oscore = false, has_host = false;
        for (size_t i = 0; i < n; i++) {
            has_oscore |= got[i] == OSC_OPT_OSCORE;
            has_host |= got[i] == OSC_OPT_URI_HOST;
        }
        /* ...and Uri-Host without Proxy-Scheme never does. */
        if (!has_oscore || has_host)
            bad++;
    }
    CHECK_EQ(bad, 0);

    /* A repeated outer-only option is listed once. */
    memset(&peer, 0, sizeof peer);
    peer.sender_is_origin = true;
    peer.peer_is_next_hop = true;
    osc_coap_message m = request(WITH_HOP_LIMIT);
    CHECK_EQ(osc_coap_add_option(&m, OSC_OPT_HOP_LIMIT, hop_limit, 1), OSC_OK);
    uint16_t got[OSC_MAX_ESCALATED];
    CHECK_EQ(osc_layer_escalations(&m, &peer, got), 1);
    CHECK_EQ(got[0], OSC_OPT_HOP_LIMIT);
}

/* Onion with two proxies, C -> P1 -> P2 -> S, contexts C-S, C-P2, C-P1
 * (draft-ietf-core-oscore-capable-proxies 2.3): the client applies C-S, then
 * C-P2, then C-P1. */
static void test_two_proxy_onion(void)
{
    osc_layer_peer peer;
    /* C-P2 layer: X = P2 is a proxy but not the next hop; the next hop P1
     * is a (forward) proxy and the immediate next consumer of Hop-Limit
     * and Proxy-Scheme (2.2 of the draft, step 3 -> 9; by its section 3
     * Hop-Limit is protected only in the layer of the hop that processes
     * it, here the first proxy). They must stay outside C-P2 so that C-P1
     * can carry them to P1. Only the C-S OSCORE option goes in. */
    memset(&peer, 0, sizeof peer);
    peer.sender_is_origin = true;
    peer.peer_is_proxy = true;
    peer.next_hop_is_proxy = true;
    EXPECT("C-P2 layer (reverse proxies), Hop-Limit for P1",
           WITH_OSCORE | WITH_HOP_LIMIT, &peer, 9);
    peer.peer_is_forward_proxy = true;
    peer.next_hop_is_forward_proxy = true;
    EXPECT("C-P2 layer (forward proxies), Proxy-Scheme for P1",
           WITH_HOST | WITH_OSCORE | WITH_SCHEME | WITH_HOP_LIMIT, &peer, 9);
    /* C-P1 layer: P1 is next hop and first consumer -> inside. */
    memset(&peer, 0, sizeof peer);
    peer.sender_is_origin = true;
    peer.peer_is_next_hop = true;
    peer.peer_is_proxy = true;
    peer.peer_is_forward_proxy = true;
    peer.next_hop_is_proxy = true;
    peer.next_hop_is_forward_proxy = true;
    EXPECT("C-P1 layer", WITH_HOST | WITH_OSCORE | WITH_HOP_LIMIT | WITH_SCHEME,
           &peer, 3, 9, 16, 39);
}

/* ---- osc_proxy_uri_split ---------------------------------------------- */

typedef struct want_option {
    uint16_t number;
    const char *value; /* text, or NULL for the port given as bytes */
    uint32_t port;
} want_option;

static void expect_split(const char *uri, const want_option *want,
                         size_t want_count)
{
    size_t len = strlen(uri);
    osc_coap_option out[16];
    uint8_t port_buf[4];
    size_t count = 99;
    osc_status s = osc_proxy_uri_split((const uint8_t *)uri, len, port_buf, out,
                                       16, &count);
    bool ok = s == OSC_OK && count == want_count;
    for (size_t i = 0; ok && i < count; i++) {
        ok = out[i].number == want[i].number;
        if (!ok)
            break;
        if (want[i].value) {
            size_t vlen = strlen(want[i].value);
            ok = out[i].length == vlen &&
                 (vlen == 0 || memcmp(out[i].value, want[i].value, vlen) == 0);
            /* Values point into the URI (no copies). */
            if (vlen)
                ok = ok && out[i].value >= (const uint8_t *)uri &&
                     out[i].value + vlen <= (const uint8_t *)uri + len;
        } else {
            uint32_t port = 0;
            ok = osc_coap_uint_value(&out[i], &port) == OSC_OK &&
                 port == want[i].port && out[i].value == port_buf;
        }
    }
    if (!CHECK(ok)) {
        fprintf(stderr, "  split \"%s\": status %s, %zu options:", uri,
                osc_status_name(s), count);
        for (size_t i = 0; s == OSC_OK && i < count && i < 16; i++)
            fprintf(stderr, " %u=\"%.*s\"", out[i].number, (int)out[i].length,
                    (const char *)out[i].value);
        fprintf(stderr, "\n");
    }
}

#define SPLIT(uri, ...)                                                        \
    do {                                                                       \
        static const want_option want_[] = {__VA_ARGS__};                      \
        expect_split(uri, want_, sizeof want_ / sizeof want_[0]);              \
    } while (0)

static void expect_split_error(const char *uri, osc_status want)
{
    osc_coap_option out[16];
    uint8_t port_buf[4];
    size_t count;
    osc_status got = osc_proxy_uri_split((const uint8_t *)uri, strlen(uri),
                                         port_buf, out, 16, &count);
    if (!CHECK_EQ(got, want))
        fprintf(stderr, "  split \"%s\": got %s\n", uri, osc_status_name(got));
}

static void test_proxy_uri_split(void)
{
    SPLIT("coap://example.com/alarm_status", {3, "example.com", 0},
          {11, "alarm_status", 0}, {39, "coap", 0});
    /* The example of RFC 8613 4.1.3.3. */
    SPLIT("coap://example.com/resource?q=1", {3, "example.com", 0},
          {11, "resource", 0}, {15, "q=1", 0}, {39, "coap", 0});
    SPLIT("coaps://example.com:5684/a/b/c", {3, "example.com", 0},
          {7, NULL, 5684}, {11, "a", 0}, {11, "b", 0}, {11, "c", 0},
          {39, "coaps", 0});
    SPLIT("coap://h:1/", {3, "h", 0}, {7, NULL, 1}, {39, "coap", 0});
    SPLIT("coap://h:65535", {3, "h", 0}, {7, NULL, 65535}, {39, "coap", 0});
    SPLIT("coap://h:0/x", {3, "h", 0}, {7, NULL, 0}, {11, "x", 0},
          {39, "coap", 0});
    /* IPv6 literal: Uri-Host without the brackets. */
    SPLIT("coap://[2001:db8::1]:61616/sensors/temp", {3, "2001:db8::1", 0},
          {7, NULL, 61616}, {11, "sensors", 0}, {11, "temp", 0},
          {39, "coap", 0});
    SPLIT("coap://[::1]/", {3, "::1", 0}, {39, "coap", 0});
    SPLIT("coap://192.0.2.1:5683/x", {3, "192.0.2.1", 0}, {7, NULL, 5683},
          {11, "x", 0}, {39, "coap", 0});
    /* Several query arguments, with and without a path. */
    SPLIT("coap://example.com/p?a=1&b=2&c", {3, "example.com", 0}, {11, "p", 0},
          {15, "a=1", 0}, {15, "b=2", 0}, {15, "c", 0}, {39, "coap", 0});
    SPLIT("coap://example.com?x=y&z", {3, "example.com", 0}, {15, "x=y", 0},
          {15, "z", 0}, {39, "coap", 0});
    SPLIT("coap://example.com/?q", {3, "example.com", 0}, {15, "q", 0},
          {39, "coap", 0});
    /* Root path and no path: no Uri-Path (RFC 7252 6.4 step 8). */
    SPLIT("coap://example.com/", {3, "example.com", 0}, {39, "coap", 0});
    SPLIT("coap://example.com", {3, "example.com", 0}, {39, "coap", 0});
    /* Empty segments are kept ("/a/" is "a" and ""). */
    SPLIT("coap://h/a/", {3, "h", 0}, {11, "a", 0}, {11, "", 0},
          {39, "coap", 0});
    SPLIT("coap://h/a//b", {3, "h", 0}, {11, "a", 0}, {11, "", 0}, {11, "b", 0},
          {39, "coap", 0});
    /* Percent-encoded octets are left as written (header contract). */
    SPLIT("coap://h/a%20b", {3, "h", 0}, {11, "a%20b", 0}, {39, "coap", 0});

    /* Bad inputs. */
    expect_split_error("", OSC_ERR_INVALID_ARGUMENT);
    expect_split_error("example.com/alarm", OSC_ERR_INVALID_ARGUMENT);
    expect_split_error("://example.com/", OSC_ERR_INVALID_ARGUMENT);
    expect_split_error("coap:/example.com/", OSC_ERR_INVALID_ARGUMENT);
    expect_split_error("coap:", OSC_ERR_INVALID_ARGUMENT);
    expect_split_error("coap://h:abc/", OSC_ERR_INVALID_ARGUMENT);
    expect_split_error("coap://h:65536/", OSC_ERR_INVALID_ARGUMENT);
    expect_split_error("coap://h:99999999999999999999/",
                       OSC_ERR_INVALID_ARGUMENT);
    expect_split_error("coap://h:-1/", OSC_ERR_INVALID_ARGUMENT);
    expect_split_error("coap://[::1/x", OSC_ERR_INVALID_ARGUMENT);
    expect_split_error("coap://[::1]x/", OSC_ERR_INVALID_ARGUMENT);
    expect_split_error("coap://[::1]:port/", OSC_ERR_INVALID_ARGUMENT);

    /* Too many options for the caller's array. */
    const char *uri = "coap://h/a/b/c/d";
    osc_coap_option out[4];
    uint8_t port_buf[4];
    size_t count;
    CHECK_EQ(osc_proxy_uri_split((const uint8_t *)uri, strlen(uri), port_buf,
                                 out, 4, &count),
             OSC_ERR_COAP_TOO_MANY_OPTIONS);
    CHECK_EQ(osc_proxy_uri_split((const uint8_t *)uri, strlen(uri), port_buf,
                                 out, 0, &count),
             OSC_ERR_COAP_TOO_MANY_OPTIONS);

    /* Every prefix of a URI: no crash, no read past the prefix (heap
     * copies of exactly that length under ASan). */
    const char *full = "coaps://[2001:db8::1]:5684/a/b?c=d&e";
    for (size_t cut = 0; cut <= strlen(full); cut++) {
        uint8_t *copy = malloc(cut ? cut : 1);
        memcpy(copy, full, cut);
        osc_coap_option many[16];
        osc_status s =
            osc_proxy_uri_split(copy, cut, port_buf, many, 16, &count);
        CHECK(s == OSC_OK || s == OSC_ERR_INVALID_ARGUMENT);
        free(copy);
    }
}

int main(int argc, char **argv)
{
    tests_init(argc, argv);
    test_registry();
    test_escalate_all_facts();
    test_escalate_named();
    test_layer_escalations();
    test_two_proxy_onion();
    test_proxy_uri_split();
    return tests_finish();
}
