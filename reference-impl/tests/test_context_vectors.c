/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Security Context derivation (RFC 8613 3.2) against RFC 8613 appendix
 * C.1-C.3: the HKDF info structures and the derived Sender Key, Recipient
 * Key and Common IV, byte for byte, all read from the vector file. (The
 * three contexts of the nested example, nested-example-5.9.json, are
 * checked in test_nested_vectors.c.)
 */
#include <stdio.h>
#include <string.h>

#include "oscore/context.h"
#include "test_support.h"

static size_t load(const test_vectors *v, const char *section,
                   const char *field, uint8_t *out, size_t cap)
{
    char name[96];
    snprintf(name, sizeof name, "%s/%s", section, field);
    return vectors_bytes(v, name, out, cap);
}

static bool has(const test_vectors *v, const char *section, const char *field)
{
    char name[96];
    snprintf(name, sizeof name, "%s/%s", section, field);
    return vectors_has(v, name);
}

/* Compares osc_context_info for one derivation with the vector file's
 * info bytes. */
static void check_info(const test_vectors *v, const char *section,
                       const char *field, const osc_context_params *p,
                       const uint8_t *id, size_t id_len, const char *type,
                       size_t length)
{
    uint8_t want[64], got[64];
    size_t want_len = load(v, section, field, want, sizeof want);
    size_t got_len = 0;
    CHECK_EQ(osc_context_info(id, id_len, p->has_id_context, p->id_context,
                              p->id_context_len, p->aead_id, type, length, got,
                              sizeof got, &got_len),
             OSC_OK);
    CHECK_BYTES(got, got_len, want, want_len, field);
}

/* Field by field: struct padding makes memcmp of whole contexts
 * unreliable. */
static bool same_context(const osc_context *a, const osc_context *b)
{
    return a->aead == b->aead && a->hkdf == b->hkdf &&
           a->has_id_context == b->has_id_context &&
           a->id_context_len == b->id_context_len &&
           memcmp(a->id_context, b->id_context, a->id_context_len) == 0 &&
           a->id_len[0] == b->id_len[0] && a->id_len[1] == b->id_len[1] &&
           memcmp(a->id, b->id, sizeof a->id) == 0 &&
           memcmp(a->key, b->key, sizeof a->key) == 0 &&
           memcmp(a->common_iv, b->common_iv, sizeof a->common_iv) == 0;
}

static void test_appendix_c(void)
{
    static const char *const sections[] = {"C.1.1", "C.1.2", "C.2.1",
                                           "C.2.2", "C.3.1", "C.3.2"};
    test_vectors *v = vectors_load_appendix_c("rfc8613-appendix-c.json");

    for (size_t i = 0; i < sizeof sections / sizeof sections[0]; i++) {
        const char *s = sections[i];
        osc_context_params p;
        osc_context ctx, swapped;
        uint8_t want[32];
        size_t want_len;

        osc_context_params_init(&p);
        p.master_secret_len = load(v, s, "Master Secret", p.master_secret,
                                   sizeof p.master_secret);
        /* C.2 has no Master Salt row: the default (empty) applies. */
        if (has(v, s, "Master Salt")) {
            p.master_salt_len =
                load(v, s, "Master Salt", p.master_salt, sizeof p.master_salt);
        }
        if (has(v, s, "ID Context")) {
            p.has_id_context = true;
            p.id_context_len =
                load(v, s, "ID Context", p.id_context, sizeof p.id_context);
        }
        p.sender_id_len =
            load(v, s, "Sender ID", p.sender_id, sizeof p.sender_id);
        p.recipient_id_len =
            load(v, s, "Recipient ID", p.recipient_id, sizeof p.recipient_id);

        check_info(v, s, "info (for Sender Key)", &p, p.sender_id,
                   p.sender_id_len, "Key", 16);
        check_info(v, s, "info (for Recipient Key)", &p, p.recipient_id,
                   p.recipient_id_len, "Key", 16);
        check_info(v, s, "info (for Common IV)", &p, NULL, 0, "IV", 13);

        if (!CHECK_EQ(osc_context_derive(&p, &ctx), OSC_OK)) {
            continue;
        }
        CHECK(ctx.aead == osc_aead_by_id(OSC_AEAD_AES_CCM_16_64_128));
        CHECK_EQ(ctx.hkdf, OSC_HKDF_SHA256);
        CHECK_EQ(ctx.has_id_context, p.has_id_context);
        CHECK_BYTES(ctx.id_context, ctx.id_context_len, p.id_context,
                    p.has_id_context ? p.id_context_len : 0, "ID Context");
        CHECK_BYTES(ctx.id[OSC_PARTY_SENDER], ctx.id_len[OSC_PARTY_SENDER],
                    p.sender_id, p.sender_id_len, "Sender ID");
        CHECK_BYTES(ctx.id[OSC_PARTY_RECIPIENT],
                    ctx.id_len[OSC_PARTY_RECIPIENT], p.recipient_id,
                    p.recipient_id_len, "Recipient ID");

        want_len = load(v, s, "Sender Key", want, sizeof want);
        CHECK_BYTES(ctx.key[OSC_PARTY_SENDER], ctx.aead->key_len, want,
                    want_len, "Sender Key");
        want_len = load(v, s, "Recipient Key", want, sizeof want);
        CHECK_BYTES(ctx.key[OSC_PARTY_RECIPIENT], ctx.aead->key_len, want,
                    want_len, "Recipient Key");
        want_len = load(v, s, "Common IV", want, sizeof want);
        CHECK_BYTES(ctx.common_iv, ctx.aead->nonce_len, want, want_len,
                    "Common IV");

        /* Swapping gives the peer's view: C.x.1 and C.x.2 are the two
         * ends of one context, so the swap must match the other section's
         * keys (checked against the file through the sibling). */
        osc_context_swap(&ctx, &swapped);
        {
            char peer[8];
            snprintf(peer, sizeof peer, "%.4s%c", s, s[4] == '1' ? '2' : '1');
            want_len = load(v, peer, "Sender Key", want, sizeof want);
            CHECK_BYTES(swapped.key[OSC_PARTY_SENDER], ctx.aead->key_len, want,
                        want_len, "swapped Sender Key");
            want_len = load(v, peer, "Recipient Key", want, sizeof want);
            CHECK_BYTES(swapped.key[OSC_PARTY_RECIPIENT], ctx.aead->key_len,
                        want, want_len, "swapped Recipient Key");
            want_len = load(v, peer, "Sender ID", want, sizeof want);
            CHECK_BYTES(swapped.id[OSC_PARTY_SENDER],
                        swapped.id_len[OSC_PARTY_SENDER], want, want_len,
                        "swapped Sender ID");
            want_len = load(v, peer, "Recipient ID", want, sizeof want);
            CHECK_BYTES(swapped.id[OSC_PARTY_RECIPIENT],
                        swapped.id_len[OSC_PARTY_RECIPIENT], want, want_len,
                        "swapped Recipient ID");
            CHECK_BYTES(swapped.common_iv, ctx.aead->nonce_len, ctx.common_iv,
                        ctx.aead->nonce_len, "swapped Common IV");
        }
        /* Swapping twice, in place, is the identity. */
        osc_context_swap(&swapped, &swapped);
        CHECK(same_context(&swapped, &ctx));
    }
    vectors_free(v);
}

/* RFC 8613 3.3: IDs may be at most nonce length - 6 bytes long. */
static void test_id_limits(void)
{
    static const struct {
        int aead_id;
        size_t max;
    } algs[] = {
        {OSC_AEAD_AES_CCM_64_64_128, 1}, {OSC_AEAD_AES_CCM_64_128_256, 1},
        {OSC_AEAD_A128GCM, 6},           {OSC_AEAD_CHACHA20_POLY1305, 6},
        {OSC_AEAD_AES_CCM_16_64_128, 7},
    };
    for (size_t i = 0; i < sizeof algs / sizeof algs[0]; i++) {
        osc_context_params p;
        osc_context ctx;
        const size_t max = algs[i].max;

        osc_context_params_init(&p);
        p.aead_id = algs[i].aead_id;
        p.master_secret_len = 16;
        memset(p.master_secret, 0x42, 16);
        memset(p.sender_id, 0x11, sizeof p.sender_id);
        memset(p.recipient_id, 0x22, sizeof p.recipient_id);

        p.sender_id_len = max;
        p.recipient_id_len = max;
        CHECK_EQ(osc_context_derive(&p, &ctx), OSC_OK);
        CHECK_EQ(ctx.id_len[OSC_PARTY_SENDER], max);

        if (max < OSC_MAX_ID_LEN) {
            p.sender_id_len = max + 1;
            CHECK_EQ(osc_context_derive(&p, &ctx), OSC_ERR_ID_TOO_LONG);
            p.sender_id_len = 0;
            p.recipient_id_len = max + 1;
            CHECK_EQ(osc_context_derive(&p, &ctx), OSC_ERR_ID_TOO_LONG);
        }
        /* Beyond the arrays altogether. */
        p.sender_id_len = 0;
        p.recipient_id_len = OSC_MAX_ID_LEN + 1;
        CHECK_EQ(osc_context_derive(&p, &ctx), OSC_ERR_ID_TOO_LONG);
    }
}

static void test_errors(void)
{
    osc_context_params p;
    osc_context ctx;
    uint8_t info[8];
    size_t written = 0;

    osc_context_params_init(&p);
    CHECK_EQ(p.aead_id, OSC_AEAD_AES_CCM_16_64_128);
    CHECK_EQ(p.hkdf, OSC_HKDF_SHA256);
    CHECK(!p.has_id_context);
    CHECK_EQ(p.master_salt_len, 0);

    /* An all-default context derives (empty secret and IDs are legal). */
    CHECK_EQ(osc_context_derive(&p, &ctx), OSC_OK);

    p.aead_id = 4;
    CHECK_EQ(osc_context_derive(&p, &ctx), OSC_ERR_UNKNOWN_AEAD);
    p.aead_id = OSC_AEAD_AES_CCM_16_64_128;
    p.hkdf = (osc_hkdf_alg)9;
    CHECK_EQ(osc_context_derive(&p, &ctx), OSC_ERR_UNKNOWN_HKDF);
    p.hkdf = OSC_HKDF_SHA256;
    p.master_secret_len = OSC_MAX_SECRET_LEN + 1;
    CHECK_EQ(osc_context_derive(&p, &ctx), OSC_ERR_SECRET_TOO_LONG);
    p.master_secret_len = 0;
    p.master_salt_len = OSC_MAX_SALT_LEN + 1;
    CHECK_EQ(osc_context_derive(&p, &ctx), OSC_ERR_SECRET_TOO_LONG);
    p.master_salt_len = 0;
    p.has_id_context = true;
    p.id_context_len = OSC_MAX_ID_CONTEXT_LEN + 1;
    CHECK_EQ(osc_context_derive(&p, &ctx), OSC_ERR_ID_CONTEXT_TOO_LONG);
    p.id_context_len = OSC_MAX_ID_CONTEXT_LEN;
    CHECK_EQ(osc_context_derive(&p, &ctx), OSC_OK);
    CHECK_EQ(ctx.id_context_len, OSC_MAX_ID_CONTEXT_LEN);
    CHECK_EQ(osc_context_derive(NULL, &ctx), OSC_ERR_INVALID_ARGUMENT);
    CHECK_EQ(osc_context_derive(&p, NULL), OSC_ERR_INVALID_ARGUMENT);

    /* info into a small buffer reports the size it needs. */
    CHECK_EQ(osc_context_info(NULL, 0, false, NULL, 0, 10, "Key", 16, info,
                              sizeof info, &written),
             OSC_ERR_BUFFER_TOO_SMALL);
    CHECK_EQ(written, 9);
    CHECK_EQ(osc_context_info(NULL, 0, false, NULL, 0, 10, "Key", 16, NULL, 0,
                              &written),
             OSC_ERR_BUFFER_TOO_SMALL);
    CHECK_EQ(written, 9);
    CHECK_EQ(osc_context_info(NULL, 0, false, NULL, 0, 10, "IV", 13, info,
                              sizeof info, &written),
             OSC_OK);
    CHECK_EQ(written, 8);
    CHECK_EQ(osc_context_info(NULL, 2, false, NULL, 0, 10, "IV", 13, info,
                              sizeof info, &written),
             OSC_ERR_INVALID_ARGUMENT);
    CHECK_EQ(osc_context_info(NULL, 0, false, NULL, 0, 10, NULL, 13, info,
                              sizeof info, &written),
             OSC_ERR_INVALID_ARGUMENT);
    /* A negative (tstr-less) algorithm id is encoded as a CBOR nint. */
    {
        uint8_t big[16];
        static const uint8_t want[] = {0x85, 0x40, 0xf6, 0x39, 0xff,
                                       0xfd, 0x62, 'I',  'V',  0x0c};
        CHECK_EQ(osc_context_info(NULL, 0, false, NULL, 0, -65534, "IV", 12,
                                  big, sizeof big, &written),
                 OSC_OK);
        CHECK_BYTES(big, written, want, sizeof want, "info with nint alg");
    }
}

/* HKDF-SHA-512 derivation: there is no published OSCORE vector, so this
 * checks determinism, a difference from the SHA-256 result, and that the
 * key is HKDF-SHA-512 over the same info (HKDF-SHA-512 itself has its
 * known answers in test_algorithms.c). */
static void test_sha512(void)
{
    osc_context_params p;
    osc_context a, b, c;

    osc_context_params_init(&p);
    p.aead_id = OSC_AEAD_A256GCM;
    p.master_secret_len = 32;
    memset(p.master_secret, 0x5a, 32);
    p.master_salt_len = 4;
    memset(p.master_salt, 0x01, 4);
    p.sender_id_len = 1;
    p.sender_id[0] = 0x01;
    p.hkdf = OSC_HKDF_SHA512;
    CHECK_EQ(osc_context_derive(&p, &a), OSC_OK);
    CHECK_EQ(osc_context_derive(&p, &b), OSC_OK);
    CHECK_EQ(a.hkdf, OSC_HKDF_SHA512);
    CHECK(same_context(&a, &b));
    p.hkdf = OSC_HKDF_SHA256;
    CHECK_EQ(osc_context_derive(&p, &c), OSC_OK);
    CHECK(memcmp(a.key[0], c.key[0], 32) != 0);
    CHECK(memcmp(a.key[1], c.key[1], 32) != 0);
    CHECK(memcmp(a.common_iv, c.common_iv, 12) != 0);
    /* Sender and recipient keys differ (different IDs: 01 vs empty). */
    CHECK(memcmp(a.key[0], a.key[1], 32) != 0);

    /* The SHA-512 keys are exactly HKDF-SHA-512 over the info bytes. */
    {
        uint8_t info[32], key[32];
        size_t info_len;
        CHECK_EQ(osc_context_info(p.sender_id, 1, false, NULL, 0,
                                  OSC_AEAD_A256GCM, "Key", 32, info,
                                  sizeof info, &info_len),
                 OSC_OK);
        CHECK_EQ(osc_hkdf(OSC_HKDF_SHA512, p.master_salt, 4, p.master_secret,
                          32, info, info_len, key, 32),
                 OSC_OK);
        CHECK_BYTES(a.key[OSC_PARTY_SENDER], 32, key, 32, "SHA-512 key");
    }
}

int main(int argc, char **argv)
{
    tests_init(argc, argv);
    test_appendix_c();
    test_id_limits();
    test_errors();
    test_sha512();
    return tests_finish();
}
