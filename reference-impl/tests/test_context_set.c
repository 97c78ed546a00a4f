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
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "oscore/context.h"
#include "oscore/context_set.h"
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

int main(int argc, char **argv)
{
    tests_init(argc, argv);
    test_empty();
    test_many();
    test_id_context();
    test_special_ids();
    return tests_finish();
}
