/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * context_set.h: a set of named contexts looked up by (kid context, kid).
 *
 * Covers: an empty set; 1000 derived contexts with distinct IDs, each
 * found by the kid of either party with the right party and index;
 * pointers stay valid and unchanged while the set grows; names (also
 * NULL) and index_of (also for pointers that are not in the set);
 * lookups with and without kid context (a message without kid context
 * also finds contexts that have an ID Context, RFC 8613 5.1; with a kid
 * context only exact ID Context matches); an empty kid; contexts whose
 * Sender and Recipient IDs are equal appear once; a kid that is one
 * context's Sender ID and another's Recipient ID; a cap smaller than the
 * number of matches returns the total and writes only cap entries.
 * Hostile sets (issue 12): contexts sharing a kid come back in the order
 * they were added also after the table grew (it used to reverse them);
 * a request layer whose right context is first among 101 sharing its kid
 * decrypts, one whose right context is beyond OSC_MAX_CANDIDATES fails
 * with candidates_truncated set; adding 30,000 contexts that share an ID
 * costs less than 5 times adding 30,000 with distinct IDs (it was
 * quadratic: a walk to the end of the chain per context).
 */
#define _POSIX_C_SOURCE 199309L /* clock_gettime */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "oscore/context.h"
#include "oscore/context_set.h"
#include "oscore/layer.h"
#include "oscore/peel.h"
#include "test_support.h"

/* A derived context; secret_seed makes the keys differ. */
static void make_context(const uint8_t *sid, size_t sid_len, const uint8_t *rid,
                         size_t rid_len, const uint8_t *id_context,
                         size_t id_context_len, bool has_id_context,
                         uint8_t secret_seed, osc_context *out)
{
    osc_context_params p;
    osc_context_params_init(&p);
    p.master_secret_len = 16;
    for (size_t i = 0; i < 16; i++)
        p.master_secret[i] = (uint8_t)(secret_seed + i);
    if (sid_len)
        memcpy(p.sender_id, sid, sid_len);
    p.sender_id_len = sid_len;
    if (rid_len)
        memcpy(p.recipient_id, rid, rid_len);
    p.recipient_id_len = rid_len;
    p.has_id_context = has_id_context;
    if (has_id_context && id_context_len) {
        memcpy(p.id_context, id_context, id_context_len);
        p.id_context_len = id_context_len;
    }
    CHECK_EQ(osc_context_derive(&p, out), OSC_OK);
}

static void test_empty(void)
{
    osc_context_set *set = osc_context_set_new();
    CHECK(set != NULL);
    CHECK_EQ(osc_context_set_count(set), 0);
    CHECK(osc_context_set_get(set, 0) == NULL);
    CHECK(osc_context_set_name(set, 0) == NULL);
    osc_context ctx;
    const uint8_t id[] = {0x01};
    make_context(id, 1, NULL, 0, NULL, 0, false, 1, &ctx);
    CHECK_EQ(osc_context_set_index_of(set, &ctx), SIZE_MAX);
    osc_candidate out[4];
    CHECK_EQ(osc_context_set_lookup(set, id, 1, false, NULL, 0, out, 4), 0);
    CHECK_EQ(osc_context_set_lookup(set, NULL, 0, false, NULL, 0, out, 4), 0);
    CHECK_EQ(osc_context_set_lookup(set, id, 1, true, id, 1, out, 4), 0);
    osc_context_set_free(set);
    osc_context_set_free(NULL); /* harmless */
}

#define MANY 1000

static void test_many(void)
{
    osc_context_set *set = osc_context_set_new();
    static osc_context originals[MANY];
    static const osc_context *pointers[MANY];
    for (size_t i = 0; i < MANY; i++) {
        /* Sender IDs 2 bytes "00 i", Recipient IDs 3 bytes "01 i": all
         * 2000 IDs distinct; every 7th context has an ID Context. */
        uint8_t sid[2] = {(uint8_t)(i >> 8), (uint8_t)i};
        uint8_t rid[3] = {0x01, (uint8_t)(i >> 8), (uint8_t)i};
        uint8_t idc[2] = {0xcc, (uint8_t)i};
        make_context(sid, 2, rid, 3, idc, 2, i % 7 == 0, (uint8_t)i,
                     &originals[i]);
        char name[32];
        snprintf(name, sizeof name, "ctx-%zu", i);
        size_t index = SIZE_MAX;
        /* Every 10th without a name. */
        CHECK_EQ(osc_context_set_add(set, i % 10 == 3 ? NULL : name,
                                     &originals[i], &index),
                 OSC_OK);
        CHECK_EQ(index, i);
        pointers[i] = osc_context_set_get(set, i);
        CHECK(pointers[i] != NULL && pointers[i] != &originals[i]);
    }
    /* The set holds copies: changing ours does not change its. */
    originals[5].key[0][0] ^= 0xff;
    CHECK(memcmp(osc_context_set_get(set, 5), &originals[5],
                 sizeof originals[5]) != 0);
    originals[5].key[0][0] ^= 0xff;

    CHECK_EQ(osc_context_set_count(set), MANY);
    size_t bad_pointer = 0, bad_content = 0, bad_name = 0, bad_index = 0,
           bad_lookup = 0;
    for (size_t i = 0; i < MANY; i++) {
        const osc_context *ctx = osc_context_set_get(set, i);
        if (ctx != pointers[i])
            bad_pointer++;
        if (memcmp(ctx, &originals[i], sizeof *ctx) != 0)
            bad_content++;
        const char *name = osc_context_set_name(set, i);
        char want[32];
        snprintf(want, sizeof want, "ctx-%zu", i);
        if (i % 10 == 3 ? name != NULL : (!name || strcmp(name, want) != 0))
            bad_name++;
        if (osc_context_set_index_of(set, ctx) != i)
            bad_index++;

        /* By the Sender ID (kid of a request from OSC_PARTY_SENDER) and
         * by the Recipient ID; without kid context, and with the right
         * one when the context has an ID Context. */
        for (int party = 0; party < 2; party++) {
            const uint8_t *kid = originals[i].id[party];
            size_t kid_len = originals[i].id_len[party];
            osc_candidate out[4];
            memset(out, 0, sizeof out);
            size_t n = osc_context_set_lookup(set, kid, kid_len, false, NULL, 0,
                                              out, 4);
            if (n != 1 || out[0].ctx != pointers[i] ||
                out[0].party != (osc_party)party || out[0].index != i)
                bad_lookup++;
            if (originals[i].has_id_context) {
                n = osc_context_set_lookup(set, kid, kid_len, true,
                                           originals[i].id_context,
                                           originals[i].id_context_len, out, 4);
                if (n != 1 || out[0].ctx != pointers[i] ||
                    out[0].party != (osc_party)party)
                    bad_lookup++;
            }
            /* A kid context nobody has. */
            const uint8_t other[] = {0xdd, 0xee};
            if (osc_context_set_lookup(set, kid, kid_len, true, other, 2, out,
                                       4) != 0)
                bad_lookup++;
        }
    }
    CHECK_EQ(bad_pointer, 0);
    CHECK_EQ(bad_content, 0);
    CHECK_EQ(bad_name, 0);
    CHECK_EQ(bad_index, 0);
    CHECK_EQ(bad_lookup, 0);

    /* Unknown kids; "01 00" is context 256's Sender ID, but its first
     * byte alone (a prefix of many Recipient IDs) is no ID. */
    osc_candidate out[2];
    const uint8_t unknown[] = {0x02, 0x00, 0x01};
    CHECK_EQ(osc_context_set_lookup(set, unknown, 3, false, NULL, 0, out, 2),
             0);
    const uint8_t prefix[] = {0x01, 0x00};
    CHECK_EQ(osc_context_set_lookup(set, prefix, 2, false, NULL, 0, out, 2), 1);
    CHECK_EQ(osc_context_set_lookup(set, prefix, 1, false, NULL, 0, out, 2), 0);
    CHECK_EQ(osc_context_set_lookup(set, NULL, 0, false, NULL, 0, out, 2), 0);

    /* index_of: pointers that are not an element of the set. */
    CHECK_EQ(osc_context_set_index_of(set, &originals[0]), SIZE_MAX);
    osc_context local = originals[1];
    CHECK_EQ(osc_context_set_index_of(set, &local), SIZE_MAX);
    CHECK(osc_context_set_get(set, MANY) == NULL);
    CHECK(osc_context_set_name(set, MANY) == NULL);

    osc_context_set_free(set);
}

/* Whether out[0..n) holds (ctx, party). */
static bool has_candidate(const osc_candidate *out, size_t n,
                          const osc_context *ctx, osc_party party)
{
    for (size_t i = 0; i < n; i++)
        if (out[i].ctx == ctx && out[i].party == party)
            return true;
    return false;
}

static void test_id_context(void)
{
    const uint8_t kid[] = {0x42};
    const uint8_t peer[] = {0x24};
    const uint8_t ctx_a[] = {0xaa};
    const uint8_t ctx_b[] = {0xbb, 0xbb};
    osc_context none, a, b, empty;
    make_context(kid, 1, peer, 1, NULL, 0, false, 1, &none);
    make_context(kid, 1, peer, 1, ctx_a, 1, true, 2, &a);
    make_context(kid, 1, peer, 1, ctx_b, 2, true, 3, &b);
    make_context(kid, 1, peer, 1, NULL, 0, true, 4, &empty); /* empty ID
                                                               Context */
    osc_context_set *set = osc_context_set_new();
    size_t i_none, i_a, i_b, i_empty;
    /* The exact match for ctx_b is added after the others. */
    CHECK_EQ(osc_context_set_add(set, "none", &none, &i_none), OSC_OK);
    CHECK_EQ(osc_context_set_add(set, "a", &a, &i_a), OSC_OK);
    CHECK_EQ(osc_context_set_add(set, "empty", &empty, &i_empty), OSC_OK);
    CHECK_EQ(osc_context_set_add(set, "b", &b, &i_b), OSC_OK);
    const osc_context *p_none = osc_context_set_get(set, i_none);
    const osc_context *p_a = osc_context_set_get(set, i_a);
    const osc_context *p_b = osc_context_set_get(set, i_b);
    const osc_context *p_empty = osc_context_set_get(set, i_empty);

    /* No kid context in the message: every context with that kid,
     * whether it has an ID Context or not. */
    osc_candidate out[8];
    size_t n = osc_context_set_lookup(set, kid, 1, false, NULL, 0, out, 8);
    CHECK_EQ(n, 4);
    CHECK(has_candidate(out, n, p_none, OSC_PARTY_SENDER));
    CHECK(has_candidate(out, n, p_a, OSC_PARTY_SENDER));
    CHECK(has_candidate(out, n, p_b, OSC_PARTY_SENDER));
    CHECK(has_candidate(out, n, p_empty, OSC_PARTY_SENDER));
    n = osc_context_set_lookup(set, peer, 1, false, NULL, 0, out, 8);
    CHECK_EQ(n, 4);
    CHECK(has_candidate(out, n, p_a, OSC_PARTY_RECIPIENT));

    /* With a kid context: the exact match, first and only. */
    memset(out, 0, sizeof out);
    n = osc_context_set_lookup(set, kid, 1, true, ctx_b, 2, out, 8);
    CHECK_EQ(n, 1);
    CHECK(out[0].ctx == p_b);
    CHECK_EQ(out[0].party, OSC_PARTY_SENDER);
    CHECK_EQ(out[0].index, i_b);
    n = osc_context_set_lookup(set, kid, 1, true, ctx_a, 1, out, 8);
    CHECK_EQ(n, 1);
    CHECK(out[0].ctx == p_a);
    /* A prefix of an ID Context is another ID Context. */
    n = osc_context_set_lookup(set, kid, 1, true, ctx_b, 1, out, 8);
    CHECK_EQ(n, 0);
    /* An empty kid context matches the empty ID Context only. */
    n = osc_context_set_lookup(set, kid, 1, true, ctx_a, 0, out, 8);
    CHECK_EQ(n, 1);
    CHECK(out[0].ctx == p_empty);
    /* Right kid context, wrong kid. */
    const uint8_t wrong[] = {0x43};
    CHECK_EQ(osc_context_set_lookup(set, wrong, 1, true, ctx_b, 2, out, 8), 0);

    /* Two contexts with the same ID Context and kid: both, in the order
     * they were added. */
    osc_context b2;
    make_context(kid, 1, peer, 1, ctx_b, 2, true, 9, &b2);
    size_t i_b2;
    CHECK_EQ(osc_context_set_add(set, "b2", &b2, &i_b2), OSC_OK);
    n = osc_context_set_lookup(set, kid, 1, true, ctx_b, 2, out, 8);
    CHECK_EQ(n, 2);
    CHECK(out[0].ctx == p_b);
    CHECK(out[1].ctx == osc_context_set_get(set, i_b2));
    osc_context_set_free(set);
}

static void test_special_ids(void)
{
    osc_context_set *set = osc_context_set_new();
    osc_candidate out[8];

    /* Sender ID == Recipient ID (the Californium demo's 0xAA): the
     * context appears once for that kid. */
    const uint8_t aa[] = {0xaa};
    osc_context same;
    make_context(aa, 1, aa, 1, NULL, 0, false, 1, &same);
    size_t i_same;
    CHECK_EQ(osc_context_set_add(set, "same", &same, &i_same), OSC_OK);
    size_t n = osc_context_set_lookup(set, aa, 1, false, NULL, 0, out, 8);
    CHECK_EQ(n, 1);
    CHECK(out[0].ctx == osc_context_set_get(set, i_same));

    /* Empty Sender ID (RFC 8613 C.1): found with an empty kid. */
    const uint8_t one[] = {0x01};
    osc_context empty_sid;
    make_context(NULL, 0, one, 1, NULL, 0, false, 2, &empty_sid);
    size_t i_empty;
    CHECK_EQ(osc_context_set_add(set, "empty", &empty_sid, &i_empty), OSC_OK);
    n = osc_context_set_lookup(set, one, 0, false, NULL, 0, out, 8);
    CHECK_EQ(n, 1);
    CHECK(out[0].ctx == osc_context_set_get(set, i_empty));
    CHECK_EQ(out[0].party, OSC_PARTY_SENDER);
    n = osc_context_set_lookup(set, one, 1, false, NULL, 0, out, 8);
    CHECK_EQ(n, 1);
    CHECK_EQ(out[0].party, OSC_PARTY_RECIPIENT);

    /* Mirror contexts: 01 is X's Sender ID and Y's Recipient ID. */
    const uint8_t two[] = {0x02};
    osc_context x, y;
    make_context(one, 1, two, 1, NULL, 0, false, 3, &x);
    osc_context_swap(&x, &y);
    size_t i_x, i_y;
    CHECK_EQ(osc_context_set_add(set, "x", &x, &i_x), OSC_OK);
    CHECK_EQ(osc_context_set_add(set, "y", &y, &i_y), OSC_OK);
    n = osc_context_set_lookup(set, two, 1, false, NULL, 0, out, 8);
    CHECK_EQ(n, 2);
    CHECK(has_candidate(out, n, osc_context_set_get(set, i_x),
                        OSC_PARTY_RECIPIENT));
    CHECK(
        has_candidate(out, n, osc_context_set_get(set, i_y), OSC_PARTY_SENDER));

    /* Cap smaller than the number of matches: the total is returned and
     * only cap entries are written. */
    const uint8_t shared[] = {0x77, 0x77};
    const uint8_t other[] = {0x78};
    for (uint8_t k = 0; k < 5; k++) {
        osc_context c;
        make_context(shared, 2, other, 1, NULL, 0, false, (uint8_t)(10 + k),
                     &c);
        CHECK_EQ(osc_context_set_add(set, NULL, &c, NULL), OSC_OK);
    }
    osc_candidate sentinel;
    memset(&sentinel, 0x5c, sizeof sentinel);
    for (size_t i = 0; i < 8; i++)
        out[i] = sentinel;
    n = osc_context_set_lookup(set, shared, 2, false, NULL, 0, out, 2);
    CHECK_EQ(n, 5);
    CHECK(out[0].ctx != NULL && out[1].ctx != NULL && out[0].ctx != out[1].ctx);
    CHECK(memcmp(&out[2], &sentinel, sizeof sentinel) == 0);
    n = osc_context_set_lookup(set, shared, 2, false, NULL, 0, out, 0);
    CHECK_EQ(n, 5);
    CHECK(memcmp(&out[2], &sentinel, sizeof sentinel) == 0);
    n = osc_context_set_lookup(set, shared, 2, false, NULL, 0, out, 8);
    CHECK_EQ(n, 5);
    /* The five distinct contexts, in the order they were added. */
    for (size_t i = 0; i + 1 < n; i++)
        CHECK(out[i].index < out[i + 1].index);
    n = osc_context_set_lookup(set, other, 1, false, NULL, 0, out, 3);
    CHECK_EQ(n, 5);

    CHECK_EQ(osc_context_set_count(set), 9);
    osc_context_set_free(set);
}

/* A copy of base with Sender ID {0x42} and a 3-byte Recipient ID from i:
 * many contexts sharing one kid, each indexed once more under its own
 * Recipient ID. Only the IDs differ (the set never looks at the keys);
 * secret_seed != 0 derives fresh keys instead. */
static void shared_kid_context(size_t i, uint8_t secret_seed, osc_context *out)
{
    const uint8_t sid[] = {0x42};
    uint8_t rid[3] = {0x10, (uint8_t)(i >> 8), (uint8_t)i};
    make_context(sid, 1, rid, 3, NULL, 0, false, secret_seed, out);
}

/* 101 contexts sharing kid 42 among 300 distinct ones: the table grows
 * several times while they are added, and the lookup still returns the
 * shared ones oldest first. */
static void test_order_after_growth(void)
{
    osc_context_set *set = osc_context_set_new();
    osc_context ctx;
    size_t shared_index[101];
    size_t shared = 0;
    for (size_t i = 0; i < 401; i++) {
        if (i % 4 == 0) {
            shared_kid_context(i, (uint8_t)i, &ctx);
        } else {
            uint8_t sid[3] = {0x20, (uint8_t)(i >> 8), (uint8_t)i};
            uint8_t rid[3] = {0x30, (uint8_t)(i >> 8), (uint8_t)i};
            make_context(sid, 3, rid, 3, NULL, 0, false, (uint8_t)i, &ctx);
        }
        size_t index;
        CHECK_EQ(osc_context_set_add(set, NULL, &ctx, &index), OSC_OK);
        if (i % 4 == 0)
            shared_index[shared++] = index;
    }
    CHECK_EQ(shared, 101);
    const uint8_t kid[] = {0x42};
    osc_candidate out[OSC_MAX_CANDIDATES];
    CHECK_EQ(osc_context_set_lookup(set, kid, 1, false, NULL, 0, out,
                                    OSC_MAX_CANDIDATES),
             101);
    for (size_t i = 0; i < OSC_MAX_CANDIDATES; i++) {
        CHECK_EQ(out[i].index, shared_index[i]);
        CHECK_EQ(out[i].party, OSC_PARTY_SENDER);
    }
    osc_context_set_free(set);
}

/* A GET protected with ctx by its sender (Partial IV 5), into *out. */
static void protect_get(const osc_context *ctx, uint8_t *work, size_t cap,
                        osc_coap_message *out)
{
    osc_coap_message in;
    memset(&in, 0, sizeof in);
    in.framing = OSC_COAP_FRAMING_UDP;
    in.type = OSC_COAP_TYPE_CON;
    in.code = OSC_COAP_CODE_GET;
    in.message_id = 7;
    in.token_length = 1;
    in.token[0] = 0xaa;
    CHECK_EQ(osc_coap_add_option(&in, 11, (const uint8_t *)"x", 1), OSC_OK);
    osc_protect_params params;
    memset(&params, 0, sizeof params);
    params.ctx = ctx;
    params.party = OSC_PARTY_SENDER;
    params.sequence_number = 5;
    CHECK(osc_layer_protect_work_size(&in, ctx) <= cap);
    CHECK_EQ(osc_layer_protect(&in, &params, work, cap, out, NULL), OSC_OK);
}

/* Peels a request protected with the context derived from seed 200 from
 * a set of `others` decoys sharing its kid (seeds 1..), the right one
 * added at position `right_at`. */
static void peel_among_decoys(size_t others, size_t right_at, osc_status want,
                              bool want_truncated)
{
    osc_context_set *set = osc_context_set_new();
    osc_context right, ctx;
    shared_kid_context(1000, 200, &right);
    for (size_t i = 0; i <= others; i++) {
        if (i == right_at)
            ctx = right;
        else
            shared_kid_context(i, (uint8_t)(1 + i % 150), &ctx);
        CHECK_EQ(osc_context_set_add(set, NULL, &ctx, NULL), OSC_OK);
    }
    static uint8_t protect_work[4096], peel_work[4096];
    osc_coap_message protected_msg;
    protect_get(&right, protect_work, sizeof protect_work, &protected_msg);
    static osc_layer_result r;
    CHECK(osc_layer_unprotect_work_size(&protected_msg) <= sizeof peel_work);
    osc_status got = osc_peel_layer(&protected_msg, set, NULL, 0, 0, 4,
                                    peel_work, sizeof peel_work, &r);
    if (!CHECK_EQ(got, want))
        fprintf(stderr, "  %zu decoys, right one at %zu: %s\n", others,
                right_at, osc_status_name(got));
    CHECK_EQ(r.candidates_matched, others + 1);
    CHECK_EQ(r.candidates_truncated, want_truncated);
    if (got == OSC_OK)
        CHECK_EQ(r.candidate_index, right_at);
    else
        CHECK_EQ(r.candidates_tried, OSC_MAX_CANDIDATES);
    osc_context_set_free(set);
}

static void test_many_share_a_kid(void)
{
    /* The right context first, 100 decoys after it: found. */
    peel_among_decoys(100, 0, OSC_OK, true);
    /* The right one last of 32: still tried, nothing left out. */
    peel_among_decoys(OSC_MAX_CANDIDATES - 1, OSC_MAX_CANDIDATES - 1, OSC_OK,
                      false);
    /* The right one 41st: never tried; the caller is told why. */
    peel_among_decoys(40, 40, OSC_ERR_AUTH_FAILED, true);
}

static double now_seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

#define LOAD_COUNT 30000

/* Seconds to add LOAD_COUNT copies of base whose IDs come from i: Sender
 * ID empty for all (shared) or 3 distinct bytes, Recipient ID distinct. */
static double time_load(const osc_context *base, bool shared)
{
    osc_context_set *set = osc_context_set_new();
    osc_context ctx = *base;
    double start = now_seconds();
    for (size_t i = 0; i < LOAD_COUNT; i++) {
        ctx.id_len[OSC_PARTY_SENDER] = shared ? 0 : 3;
        ctx.id[OSC_PARTY_SENDER][0] = 0x50;
        ctx.id[OSC_PARTY_SENDER][1] = (uint8_t)(i >> 8);
        ctx.id[OSC_PARTY_SENDER][2] = (uint8_t)i;
        ctx.id_len[OSC_PARTY_RECIPIENT] = 3;
        ctx.id[OSC_PARTY_RECIPIENT][0] = 0x60;
        ctx.id[OSC_PARTY_RECIPIENT][1] = (uint8_t)(i >> 8);
        ctx.id[OSC_PARTY_RECIPIENT][2] = (uint8_t)i;
        if (osc_context_set_add(set, NULL, &ctx, NULL) != OSC_OK) {
            CHECK(!"osc_context_set_add failed");
            break;
        }
    }
    double seconds = now_seconds() - start;
    CHECK_EQ(osc_context_set_count(set), LOAD_COUNT);
    const uint8_t empty = 0;
    CHECK_EQ(osc_context_set_lookup(set, &empty, 0, false, NULL, 0, NULL, 0),
             shared ? LOAD_COUNT : 0);
    osc_context_set_free(set);
    return seconds;
}

/* A complexity check, not a timing one: the bound is relative to a
 * baseline measured here, best of three runs each, with 20 ms of slack
 * for a busy machine. */
static void test_shared_id_load_is_linear(void)
{
    osc_context base;
    shared_kid_context(0, 1, &base);
    double distinct = 1e9, shared = 1e9;
    for (int run = 0; run < 3; run++) {
        double d = time_load(&base, false);
        double s = time_load(&base, true);
        distinct = d < distinct ? d : distinct;
        shared = s < shared ? s : shared;
    }
    fprintf(stderr,
            "  %d contexts: distinct IDs %.3f s, one shared ID %.3f s\n",
            LOAD_COUNT, distinct, shared);
    CHECK(shared < 5 * distinct + 0.02);
}

int main(int argc, char **argv)
{
    tests_init(argc, argv);
    test_empty();
    test_many();
    test_id_context();
    test_special_ids();
    test_order_after_growth();
    test_many_share_a_kid();
    test_shared_id_load_is_linear();
    return tests_finish();
}
