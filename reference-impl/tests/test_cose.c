/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * option_value.h, nonce.h, aad.h: the compressed COSE pieces of RFC 8613
 * (nonce 5.2, AAD 5.4, OSCORE option value 6.1).
 *
 * Covers: OSCORE option value decode/encode with the RFC 8613 6.3
 * compression examples, the Group OSCORE examples (RFC 10021 4.3)
 * and the Appendix C option values, both directions; every malformed case
 * with its named error; truncation of valid values at every length and an
 * exhaustive comparison of all 1- and 2-byte values (and many 3-byte
 * ones) with a reference decoder written here from RFC 8613 6.1; Partial IV
 * <-> sequence number conversions; the AEAD nonce for 7-, 12- and 13-byte
 * nonces with every ID length up to the maximum and one beyond; the AAD
 * against RFC 8613 5.4 and Appendix C, and osc_aad_size against an
 * independent CBOR encoding for many lengths and algorithm ids.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "oscore/aad.h"
#include "oscore/nonce.h"
#include "oscore/option_value.h"
#include "oscore/status.h"
#include "test_support.h"

/* ---- Option value: known examples ------------------------------------- */

typedef struct example {
    const char *what;
    const char *hex; /* encoded option value */
    const char *piv; /* NULL = no Partial IV */
    const char *kid_context;
    const char *kid;
    bool group;
} example;

/* RFC 8613 6.3 and RFC 10021 4.3 (compression examples). */
static const example examples[] = {
    {"request kid 25 PIV 05", "090525", "05", NULL, "25", false},
    {"request empty kid PIV 00", "0900", "00", NULL, "", false},
    {"request kid context", "19050544616c656b", "05", "44616c656b", "", false},
    {"response PIV 07", "0107", "07", NULL, NULL, false},
    {"response without PIV", "", NULL, NULL, NULL, false},
    {"group request", "39050344616c25", "05", "44616c", "25", true},
    {"group response", "2852", NULL, NULL, "52", true},
    {"pairwise request", "19060344616c25", "06", "44616c", "25", false},
};

static void check_decoded(const osc_option_value *v, const uint8_t *buf,
                          const example *ex)
{
    uint8_t want[300];
    size_t want_len;
    if (ex->piv) {
        want_len = hex_to_bytes(ex->piv, want, sizeof want);
        CHECK_EQ(v->piv_len, want_len);
        CHECK(v->piv == buf + 1);
        if (v->piv)
            CHECK_BYTES(v->piv, v->piv_len, want, want_len, ex->what);
    } else {
        CHECK_EQ(v->piv_len, 0);
    }
    CHECK_EQ(v->has_kid_context, ex->kid_context != NULL);
    if (ex->kid_context && v->has_kid_context) {
        want_len = hex_to_bytes(ex->kid_context, want, sizeof want);
        CHECK_BYTES(v->kid_context, v->kid_context_len, want, want_len,
                    ex->what);
    }
    CHECK_EQ(v->has_kid, ex->kid != NULL);
    if (ex->kid && v->has_kid) {
        want_len = hex_to_bytes(ex->kid, want, sizeof want);
        CHECK_EQ(v->kid_len, want_len);
        if (want_len)
            CHECK_BYTES(v->kid, v->kid_len, want, want_len, ex->what);
    }
    CHECK_EQ(v->group_flag, ex->group);
}

static void test_examples(void)
{
    for (size_t i = 0; i < sizeof examples / sizeof examples[0]; i++) {
        const example *ex = &examples[i];
        uint8_t encoded[64];
        size_t encoded_len = hex_to_bytes(ex->hex, encoded, sizeof encoded);

        /* Decode. */
        osc_option_value v;
        CHECK_EQ(osc_option_value_decode(encoded, encoded_len, &v), OSC_OK);
        CHECK_EQ(v.flags, encoded_len ? encoded[0] : 0);
        check_decoded(&v, encoded, ex);

        /* Encode from fields given by the example (not by the decoder). */
        uint8_t piv[8], kid_context[64], kid[16];
        osc_option_value in;
        memset(&in, 0, sizeof in);
        if (ex->piv) {
            in.piv_len = hex_to_bytes(ex->piv, piv, sizeof piv);
            in.piv = piv;
        }
        if (ex->kid_context) {
            in.has_kid_context = true;
            in.kid_context_len =
                hex_to_bytes(ex->kid_context, kid_context, sizeof kid_context);
            in.kid_context = kid_context;
        }
        if (ex->kid) {
            in.has_kid = true;
            in.kid_len = hex_to_bytes(ex->kid, kid, sizeof kid);
            in.kid = kid;
        }
        in.group_flag = ex->group;
        uint8_t out[64];
        size_t written = 99;
        CHECK_EQ(osc_option_value_encode(&in, out, sizeof out, &written),
                 OSC_OK);
        CHECK_BYTES(out, written, encoded, encoded_len, ex->what);

        /* Exactly the needed capacity works; one byte less does not. */
        if (encoded_len > 0) {
            uint8_t *exact = malloc(encoded_len);
            CHECK_EQ(osc_option_value_encode(&in, exact, encoded_len, &written),
                     OSC_OK);
            CHECK_BYTES(exact, written, encoded, encoded_len, ex->what);
            CHECK_EQ(
                osc_option_value_encode(&in, exact, encoded_len - 1, &written),
                OSC_ERR_BUFFER_TOO_SMALL);
            free(exact);
        }
    }
}

/* RFC 8613 Appendix C option values decode to the vector's kid/PIV and
 * re-encode to the same bytes. */
static void test_appendix_c_values(void)
{
    test_vectors *v = vectors_load_appendix_c("rfc8613-appendix-c.json");
    static const char *sections[] = {"C.4", "C.5", "C.6", "C.7", "C.8"};
    for (size_t i = 0; i < sizeof sections / sizeof sections[0]; i++) {
        char name[64];
        uint8_t value[64], piv[8], kid[16], kid_context[32];
        snprintf(name, sizeof name, "%s/OSCORE option value", sections[i]);
        size_t value_len = vectors_bytes(v, name, value, sizeof value);
        osc_option_value d;
        CHECK_EQ(osc_option_value_decode(value, value_len, &d), OSC_OK);

        snprintf(name, sizeof name, "%s/Partial IV", sections[i]);
        size_t piv_len =
            vectors_has(v, name) ? vectors_bytes(v, name, piv, sizeof piv) : 0;
        CHECK_BYTES(d.piv, d.piv_len, piv, piv_len, name);
        snprintf(name, sizeof name, "%s/kid", sections[i]);
        bool has_kid = vectors_has(v, name);
        CHECK_EQ(d.has_kid, has_kid);
        if (has_kid) {
            size_t kid_len = vectors_bytes(v, name, kid, sizeof kid);
            CHECK_BYTES(d.kid, d.kid_len, kid, kid_len, name);
        }
        snprintf(name, sizeof name, "%s/kid context", sections[i]);
        bool has_kid_context = vectors_has(v, name);
        CHECK_EQ(d.has_kid_context, has_kid_context);
        if (has_kid_context) {
            size_t len =
                vectors_bytes(v, name, kid_context, sizeof kid_context);
            CHECK_BYTES(d.kid_context, d.kid_context_len, kid_context, len,
                        name);
        }

        uint8_t out[64];
        size_t written;
        CHECK_EQ(osc_option_value_encode(&d, out, sizeof out, &written),
                 OSC_OK);
        CHECK_BYTES(out, written, value, value_len, sections[i]);
    }
    vectors_free(v);
}

/* ---- Option value: malformed ------------------------------------------ */

static void expect_decode(const char *hex, osc_status want)
{
    uint8_t buf[300];
    size_t len = hex_to_bytes(hex, buf, sizeof buf);
    /* An exact-size heap copy so that any over-read is an ASan error. */
    uint8_t *copy = malloc(len ? len : 1);
    memcpy(copy, buf, len);
    osc_option_value v;
    osc_status got = osc_option_value_decode(copy, len, &v);
    if (!CHECK_EQ(got, want))
        fprintf(stderr, "  value %s: got %s, want %s\n", hex,
                osc_status_name(got), osc_status_name(want));
    free(copy);
}

static void test_malformed(void)
{
    /* Reserved bits 0x40 and 0x80 (RFC 8613 6.1; 0x20 is RFC 10021's Group
     * Flag). */
    expect_decode("490525", OSC_ERR_OPTION_RESERVED_FLAGS);
    expect_decode("890525", OSC_ERR_OPTION_RESERVED_FLAGS);
    expect_decode("c90525", OSC_ERR_OPTION_RESERVED_FLAGS);
    expect_decode("40", OSC_ERR_OPTION_RESERVED_FLAGS);
    expect_decode("80", OSC_ERR_OPTION_RESERVED_FLAGS);
    /* Partial IV length 6 and 7 are reserved. */
    expect_decode("06010203040506", OSC_ERR_OPTION_PIV_RESERVED);
    expect_decode("0701020304050607", OSC_ERR_OPTION_PIV_RESERVED);
    expect_decode("0e01020304050625", OSC_ERR_OPTION_PIV_RESERVED);
    expect_decode("0f0102030405060725", OSC_ERR_OPTION_PIV_RESERVED);
    /* Partial IV longer than what follows. */
    expect_decode("05", OSC_ERR_OPTION_TRUNCATED);
    expect_decode("0501020304", OSC_ERR_OPTION_TRUNCATED);
    expect_decode("020a", OSC_ERR_OPTION_TRUNCATED);
    /* kid context flag but the length byte is missing. */
    expect_decode("10", OSC_ERR_OPTION_TRUNCATED);
    expect_decode("1105", OSC_ERR_OPTION_TRUNCATED);
    expect_decode("1905", OSC_ERR_OPTION_TRUNCATED);
    /* kid context longer than the rest of the value. */
    expect_decode("19050544616c", OSC_ERR_OPTION_TRUNCATED);
    expect_decode("1001", OSC_ERR_OPTION_TRUNCATED);
    expect_decode("10ff0102", OSC_ERR_OPTION_TRUNCATED);
    /* Bytes after the last field without the k flag. */
    expect_decode("0107ff", OSC_ERR_OPTION_TRAILING_BYTES);
    expect_decode("010700", OSC_ERR_OPTION_TRAILING_BYTES);
    expect_decode("1105014142", OSC_ERR_OPTION_TRAILING_BYTES);
    expect_decode("2025", OSC_ERR_OPTION_TRAILING_BYTES);
    /* All flags zero: the value must be empty (RFC 8613 6.1). */
    expect_decode("00", OSC_ERR_OPTION_EMPTY_FLAGS_NONEMPTY);
    expect_decode("0005", OSC_ERR_OPTION_EMPTY_FLAGS_NONEMPTY);
    expect_decode("000525", OSC_ERR_OPTION_EMPTY_FLAGS_NONEMPTY);

    /* The longest kid an option can carry (255 - flag byte) decodes; one
     * more byte is more than any kid can be. */
    uint8_t *long_value = malloc(256);
    memset(long_value, 0x5a, 256);
    long_value[0] = 0x08;
    osc_option_value v;
    CHECK_EQ(osc_option_value_decode(long_value, 255, &v), OSC_OK);
    CHECK_EQ(v.kid_len, 254);
    CHECK_EQ(osc_option_value_decode(long_value, 256, &v),
             OSC_ERR_OPTION_KID_TOO_LONG);
    free(long_value);

    /* Encoder argument errors. */
    uint8_t piv[8] = {0}, out[600];
    size_t written;
    osc_option_value in;
    memset(&in, 0, sizeof in);
    in.piv = piv;
    in.piv_len = 6;
    CHECK_EQ(osc_option_value_encode(&in, out, sizeof out, &written),
             OSC_ERR_INVALID_ARGUMENT);
    memset(&in, 0, sizeof in);
    static uint8_t big_context[256];
    in.has_kid_context = true;
    in.kid_context = big_context;
    in.kid_context_len = 256;
    CHECK_EQ(osc_option_value_encode(&in, out, sizeof out, &written),
             OSC_ERR_INVALID_ARGUMENT);
    in.kid_context_len = 255;
    CHECK_EQ(osc_option_value_encode(&in, out, sizeof out, &written), OSC_OK);
    CHECK_EQ(written, 1 + 1 + 255);
    CHECK_EQ(out[0], 0x10);
    CHECK_EQ(out[1], 255);
}

/* ---- Option value: reference decoder and exhaustive comparison -------- */

typedef struct ref_value {
    size_t piv_off, piv_len;
    bool has_ctx;
    size_t ctx_off, ctx_len;
    bool has_kid;
    size_t kid_off, kid_len;
    bool group;
} ref_value;

/* RFC 8613 6.1, written independently of the engine. */
static bool ref_decode(const uint8_t *v, size_t len, ref_value *r)
{
    memset(r, 0, sizeof *r);
    if (len == 0)
        return true;
    uint8_t flags = v[0];
    if (flags & 0xc0)
        return false;
    if (flags == 0)
        return false;
    size_t n = flags & 7;
    if (n > 5)
        return false;
    size_t pos = 1;
    if (pos + n > len)
        return false;
    r->piv_off = pos;
    r->piv_len = n;
    pos += n;
    r->group = (flags & 0x20) != 0;
    if (flags & 0x10) {
        if (pos + 1 > len)
            return false;
        size_t s = v[pos];
        pos++;
        if (pos + s > len)
            return false;
        r->has_ctx = true;
        r->ctx_off = pos;
        r->ctx_len = s;
        pos += s;
    }
    if (flags & 0x08) {
        r->has_kid = true;
        r->kid_off = pos;
        r->kid_len = len - pos;
        if (r->kid_len > 254)
            return false;
        pos = len;
    }
    return pos == len;
}

static bool is_option_error(osc_status s)
{
    return s == OSC_ERR_OPTION_RESERVED_FLAGS ||
           s == OSC_ERR_OPTION_PIV_RESERVED || s == OSC_ERR_OPTION_TRUNCATED ||
           s == OSC_ERR_OPTION_TRAILING_BYTES ||
           s == OSC_ERR_OPTION_KID_TOO_LONG ||
           s == OSC_ERR_OPTION_EMPTY_FLAGS_NONEMPTY;
}

static unsigned mismatches;

/* Decodes buf[0..len) (a heap block of exactly len bytes) and compares
 * with the reference; counts mismatches instead of one check per value. */
static void compare_with_reference(const uint8_t *buf, size_t len)
{
    osc_option_value v;
    ref_value r;
    osc_status got = osc_option_value_decode(buf, len, &v);
    bool ok = ref_decode(buf, len, &r);
    bool same;
    if (!ok) {
        same = is_option_error(got);
    } else {
        same = got == OSC_OK && v.piv_len == r.piv_len &&
               (r.piv_len == 0 || v.piv == buf + r.piv_off) &&
               v.has_kid_context == r.has_ctx && v.has_kid == r.has_kid &&
               v.group_flag == r.group && v.flags == (len ? buf[0] : 0);
        if (same && r.has_ctx)
            same = v.kid_context == buf + r.ctx_off &&
                   v.kid_context_len == r.ctx_len;
        if (same && r.has_kid)
            same = v.kid_len == r.kid_len &&
                   (r.kid_len == 0 || v.kid == buf + r.kid_off);
    }
    if (!same) {
        if (mismatches < 10) {
            fprintf(stderr, "  decode mismatch for value");
            for (size_t i = 0; i < len; i++)
                fprintf(stderr, " %02x", buf[i]);
            fprintf(stderr, ": got %s, reference %s\n", osc_status_name(got),
                    ok ? "ok" : "error");
        }
        mismatches++;
    }
}

static void test_exhaustive(void)
{
    mismatches = 0;
    uint8_t *one = malloc(1);
    for (unsigned a = 0; a < 256; a++) {
        one[0] = (uint8_t)a;
        compare_with_reference(one, 1);
    }
    free(one);
    uint8_t *two = malloc(2);
    for (unsigned a = 0; a < 256; a++)
        for (unsigned b = 0; b < 256; b++) {
            two[0] = (uint8_t)a;
            two[1] = (uint8_t)b;
            compare_with_reference(two, 2);
        }
    free(two);
    static const uint8_t thirds[] = {0x00, 0x01, 0x02, 0x05, 0x25, 0xff};
    uint8_t *three = malloc(3);
    for (unsigned a = 0; a < 256; a++)
        for (unsigned b = 0; b < 256; b++)
            for (size_t c = 0; c < sizeof thirds; c++) {
                three[0] = (uint8_t)a;
                three[1] = (uint8_t)b;
                three[2] = thirds[c];
                compare_with_reference(three, 3);
            }
    free(three);
    CHECK_EQ(mismatches, 0);
}

/* Every prefix of a valid value: never reads past the prefix (exact heap
 * copies under ASan), and gives the reference's verdict. */
static void test_truncation(void)
{
    static const char *valid[] = {
        "090525",
        "0900",
        "19050544616c656b",
        "0107",
        "39050344616c25",
        "2852",
        "19140837cbf3210017a2d3",
        "0dffffffffff01020304050607",
        "1d0102030405ff"
        "0000000000000000000000000000000000000000000000000000000000000000"
        "0000000000000000000000000000000000000000000000000000000000000000"
        "0000000000000000000000000000000000000000000000000000000000000000"
        "0000000000000000000000000000000000000000000000000000000000000000"
        "0000000000000000000000000000000000000000000000000000000000000000"
        "0000000000000000000000000000000000000000000000000000000000000000"
        "0000000000000000000000000000000000000000000000000000000000000000"
        "00000000000000000000000000000000000000000000000000000000000000"
        "07",
    };
    mismatches = 0;
    for (size_t i = 0; i < sizeof valid / sizeof valid[0]; i++) {
        uint8_t buf[300];
        size_t len = hex_to_bytes(valid[i], buf, sizeof buf);
        osc_option_value v;
        CHECK_EQ(osc_option_value_decode(buf, len, &v), OSC_OK);
        for (size_t cut = 0; cut <= len; cut++) {
            uint8_t *copy = malloc(cut ? cut : 1);
            memcpy(copy, buf, cut);
            compare_with_reference(copy, cut);
            free(copy);
        }
    }
    CHECK_EQ(mismatches, 0);
}

/* Encode then decode gives the same fields, for many field combinations;
 * the encoded bytes follow RFC 8613 6.1 (checked against the reference). */
static void test_encode_roundtrip(void)
{
    static const uint8_t bytes[255] = {0xa1, 0xb2, 0xc3, 0xd4, 0xe5, 0xf6, 7};
    static const size_t kid_context_lengths[] = {0, 1, 8, 255};
    static const size_t kid_lengths[] = {0, 1, 7, 13};
    size_t bad = 0;
    for (size_t piv_len = 0; piv_len <= 5; piv_len++)
        for (int ctx_mode = -1; ctx_mode < 4; ctx_mode++)
            for (int kid_mode = -1; kid_mode < 4; kid_mode++)
                for (int group = 0; group < 2; group++) {
                    osc_option_value in;
                    memset(&in, 0, sizeof in);
                    in.piv = piv_len ? bytes : NULL;
                    in.piv_len = piv_len;
                    if (ctx_mode >= 0) {
                        in.has_kid_context = true;
                        in.kid_context = bytes;
                        in.kid_context_len = kid_context_lengths[ctx_mode];
                    }
                    if (kid_mode >= 0) {
                        in.has_kid = true;
                        in.kid = bytes + 1;
                        in.kid_len = kid_lengths[kid_mode];
                    }
                    in.group_flag = group != 0;
                    size_t need =
                        1 + piv_len +
                        (in.has_kid_context ? 1 + in.kid_context_len : 0) +
                        (in.has_kid ? in.kid_len : 0);
                    bool empty = piv_len == 0 && !in.has_kid_context &&
                                 !in.has_kid && !group;
                    uint8_t *out = malloc(need);
                    size_t written = 12345;
                    osc_status s =
                        osc_option_value_encode(&in, out, need, &written);
                    if (s != OSC_OK || written != (empty ? 0 : need)) {
                        bad++;
                        free(out);
                        continue;
                    }
                    if (!empty) {
                        uint8_t flags =
                            (uint8_t)(piv_len | (in.has_kid ? 0x08 : 0) |
                                      (in.has_kid_context ? 0x10 : 0) |
                                      (group ? 0x20 : 0));
                        if (out[0] != flags)
                            bad++;
                    }
                    ref_value r;
                    osc_option_value d;
                    if (!ref_decode(out, written, &r) ||
                        osc_option_value_decode(out, written, &d) != OSC_OK ||
                        d.piv_len != piv_len ||
                        d.has_kid_context != in.has_kid_context ||
                        d.kid_context_len != in.kid_context_len ||
                        d.has_kid != in.has_kid || d.kid_len != in.kid_len ||
                        d.group_flag != in.group_flag ||
                        (piv_len && memcmp(d.piv, in.piv, piv_len) != 0) ||
                        (in.kid_context_len &&
                         memcmp(d.kid_context, in.kid_context,
                                in.kid_context_len) != 0) ||
                        (in.kid_len && memcmp(d.kid, in.kid, in.kid_len) != 0))
                        bad++;
                    free(out);
                }
    CHECK_EQ(bad, 0);
}

/* ---- Partial IV <-> sequence number ----------------------------------- */

/* Big endian without leading zero bytes, 0 -> 00 (RFC 8613 6.1). */
static size_t ref_piv(uint64_t seq, uint8_t out[8])
{
    uint8_t tmp[8];
    size_t n = 0;
    do {
        tmp[n++] = (uint8_t)(seq & 0xff);
        seq >>= 8;
    } while (seq);
    for (size_t i = 0; i < n; i++)
        out[i] = tmp[n - 1 - i];
    return n;
}

static void test_piv(void)
{
    struct {
        uint64_t seq;
        const char *hex; /* NULL: not representable */
    } cases[] = {
        {0, "00"},
        {1, "01"},
        {20, "14"},
        {255, "ff"},
        {256, "0100"},
        {65535, "ffff"},
        {65536, "010000"},
        {0xffffffffULL, "ffffffff"},
        {0x100000000ULL, "0100000000"},
        {0xffffffffffULL, "ffffffffff"},
        {0x10000000000ULL, NULL},
        {UINT64_MAX, NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        uint8_t piv[OSC_MAX_PIV_LEN + 3];
        memset(piv, 0xee, sizeof piv);
        size_t len = osc_piv_from_sequence(cases[i].seq, piv);
        if (cases[i].hex == NULL) {
            CHECK_EQ(len, 0);
            continue;
        }
        uint8_t want[8];
        size_t want_len = hex_to_bytes(cases[i].hex, want, sizeof want);
        CHECK_BYTES(piv, len, want, want_len, cases[i].hex);
        CHECK_EQ(piv[OSC_MAX_PIV_LEN], 0xee); /* nothing beyond 5 bytes */
        CHECK_EQ(osc_piv_to_sequence(want, want_len), cases[i].seq);
    }
    CHECK_EQ(OSC_MAX_SEQUENCE_NUMBER, (1ULL << 40) - 1);

    /* Leading zeros are allowed when reading. */
    const uint8_t padded[] = {0x00, 0x00, 0x01, 0x02};
    CHECK_EQ(osc_piv_to_sequence(padded, 4), 0x0102);
    const uint8_t zero5[] = {0, 0, 0, 0, 0};
    CHECK_EQ(osc_piv_to_sequence(zero5, 5), 0);

    /* Every power of two and its neighbours up to 2^40. */
    size_t bad = 0;
    for (unsigned bit = 0; bit <= 40; bit++)
        for (int delta = -1; delta <= 1; delta++) {
            uint64_t seq = (1ULL << bit) + (uint64_t)(int64_t)delta;
            uint8_t got[OSC_MAX_PIV_LEN], want[8];
            size_t len = osc_piv_from_sequence(seq, got);
            if (seq > OSC_MAX_SEQUENCE_NUMBER) {
                if (len != 0)
                    bad++;
                continue;
            }
            size_t want_len = ref_piv(seq, want);
            if (len != want_len || memcmp(got, want, len) != 0 ||
                osc_piv_to_sequence(got, len) != seq)
                bad++;
        }
    CHECK_EQ(bad, 0);
}

/* ---- Nonce ------------------------------------------------------------ */

/* RFC 8613 5.2, written independently. */
static void ref_nonce(const uint8_t *iv, size_t n, const uint8_t *id,
                      size_t id_len, const uint8_t *piv, size_t piv_len,
                      uint8_t *out)
{
    uint8_t plain[OSC_MAX_NONCE_LEN] = {0};
    plain[0] = (uint8_t)id_len;
    memcpy(plain + 1 + (n - 6) - id_len, id, id_len);
    memcpy(plain + n - piv_len, piv, piv_len);
    for (size_t i = 0; i < n; i++)
        out[i] = plain[i] ^ iv[i];
}

static void test_nonce(void)
{
    /* Hand-computed: 7-byte nonce, ID ab, PIV 0102, IV 00112233445566:
     * 01 ab 0000000102 XOR IV. */
    const uint8_t iv7[] = {0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66};
    const uint8_t id_ab[] = {0xab};
    const uint8_t piv12[] = {0x01, 0x02};
    const uint8_t want7[] = {0x01, 0xba, 0x22, 0x33, 0x44, 0x54, 0x64};
    uint8_t got[OSC_MAX_NONCE_LEN + 4];
    memset(got, 0xee, sizeof got);
    CHECK_EQ(osc_nonce(iv7, 7, id_ab, 1, piv12, 2, got), OSC_OK);
    CHECK_BYTES(got, 7, want7, 7, "7-byte nonce");
    CHECK_EQ(got[7], 0xee); /* writes exactly nonce_len bytes */

    /* Hand-computed: 12-byte nonce, 6-byte ID, 5-byte PIV, zero IV. */
    const uint8_t iv12[12] = {0};
    const uint8_t id6[] = {1, 2, 3, 4, 5, 6};
    const uint8_t piv5[] = {0xff, 0xff, 0xff, 0xff, 0xff};
    const uint8_t want12[] = {0x06, 1,    2,    3,    4,    5,
                              6,    0xff, 0xff, 0xff, 0xff, 0xff};
    CHECK_EQ(osc_nonce(iv12, 12, id6, 6, piv5, 5, got), OSC_OK);
    CHECK_BYTES(got, 12, want12, 12, "12-byte nonce");

    /* 13-byte nonces of RFC 8613 Appendix C (requests and C.8 response). */
    test_vectors *v = vectors_load_appendix_c("rfc8613-appendix-c.json");
    static const struct {
        const char *section;
        const char *id_name; /* ID_PIV: kid for requests, Sender ID of C.8 */
    } c[] = {
        {"C.4", "kid"}, {"C.5", "kid"}, {"C.6", "kid"}, {"C.8", "Sender ID"}};
    for (size_t i = 0; i < sizeof c / sizeof c[0]; i++) {
        char name[64];
        uint8_t iv[16], id[8], piv[8], want[16];
        snprintf(name, sizeof name, "%s/Common IV", c[i].section);
        vectors_bytes(v, name, iv, sizeof iv);
        snprintf(name, sizeof name, "%s/%s", c[i].section, c[i].id_name);
        size_t id_len = vectors_bytes(v, name, id, sizeof id);
        snprintf(name, sizeof name, "%s/Partial IV", c[i].section);
        size_t piv_len = vectors_bytes(v, name, piv, sizeof piv);
        snprintf(name, sizeof name, "%s/nonce", c[i].section);
        size_t want_len = vectors_bytes(v, name, want, sizeof want);
        CHECK_EQ(osc_nonce(iv, 13, id, id_len, piv, piv_len, got), OSC_OK);
        CHECK_BYTES(got, 13, want, want_len, name);
    }
    vectors_free(v);

    /* Every ID length up to nonce_len - 6 and one beyond, every PIV
     * length, for the three nonce sizes in use. */
    static const size_t sizes[] = {7, 12, 13};
    uint8_t iv[OSC_MAX_NONCE_LEN], id[OSC_MAX_NONCE_LEN], piv[5];
    for (size_t i = 0; i < sizeof iv; i++) {
        iv[i] = (uint8_t)(0x5a + 31 * i);
        id[i] = (uint8_t)(0xc0 + i);
    }
    for (size_t i = 0; i < sizeof piv; i++)
        piv[i] = (uint8_t)(0x10 + i);
    size_t bad = 0;
    for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
        size_t n = sizes[s];
        for (size_t id_len = 0; id_len <= n - 6 + 1; id_len++)
            for (size_t piv_len = 0; piv_len <= 5; piv_len++) {
                uint8_t out[OSC_MAX_NONCE_LEN], want[OSC_MAX_NONCE_LEN];
                osc_status st = osc_nonce(iv, n, id, id_len, piv, piv_len, out);
                if (id_len > n - 6) {
                    if (st != OSC_ERR_ID_TOO_LONG)
                        bad++;
                    continue;
                }
                ref_nonce(iv, n, id, id_len, piv, piv_len, want);
                if (st != OSC_OK || memcmp(out, want, n) != 0)
                    bad++;
            }
    }
    CHECK_EQ(bad, 0);
    CHECK_EQ(osc_nonce(iv, 7, id, 2, piv, 1, got), OSC_ERR_ID_TOO_LONG);
    CHECK_EQ(osc_nonce(iv, 12, id, 7, piv, 1, got), OSC_ERR_ID_TOO_LONG);
    CHECK_EQ(osc_nonce(iv, 13, id, 8, piv, 1, got), OSC_ERR_ID_TOO_LONG);

    /* Argument errors. */
    CHECK_EQ(osc_nonce(iv, 6, id, 0, piv, 1, got), OSC_ERR_INVALID_ARGUMENT);
    CHECK_EQ(osc_nonce(iv, 14, id, 0, piv, 1, got), OSC_ERR_INVALID_ARGUMENT);
    uint8_t piv6[6] = {0};
    CHECK_EQ(osc_nonce(iv, 13, id, 0, piv6, 6, got), OSC_ERR_INVALID_ARGUMENT);
}

/* ---- AAD -------------------------------------------------------------- */

static size_t cbor_head(uint8_t *out, unsigned major, uint64_t value)
{
    uint8_t mt = (uint8_t)(major << 5);
    if (value < 24) {
        out[0] = mt | (uint8_t)value;
        return 1;
    }
    size_t n = value <= 0xff         ? 1
               : value <= 0xffff     ? 2
               : value <= 0xffffffff ? 4
                                     : 8;
    out[0] = mt | (n == 1 ? 24 : n == 2 ? 25 : n == 4 ? 26 : 27);
    for (size_t i = 0; i < n; i++)
        out[1 + i] = (uint8_t)(value >> (8 * (n - 1 - i)));
    return 1 + n;
}

static size_t cbor_bstr(uint8_t *out, const uint8_t *data, size_t len)
{
    size_t n = cbor_head(out, 2, len);
    if (len)
        memcpy(out + n, data, len);
    return n + len;
}

/* RFC 8613 5.4, independently of the engine's CBOR writer. */
static size_t ref_aad(int alg, const uint8_t *kid, size_t kid_len,
                      const uint8_t *piv, size_t piv_len, const uint8_t *opts,
                      size_t opts_len, uint8_t *out)
{
    static uint8_t array[2048];
    size_t a = 0;
    a += cbor_head(array + a, 4, 5);
    a += cbor_head(array + a, 0, 1);
    a += cbor_head(array + a, 4, 1);
    if (alg >= 0)
        a += cbor_head(array + a, 0, (uint64_t)alg);
    else
        a += cbor_head(array + a, 1, (uint64_t)(-1 - (int64_t)alg));
    a += cbor_bstr(array + a, kid, kid_len);
    a += cbor_bstr(array + a, piv, piv_len);
    a += cbor_bstr(array + a, opts, opts_len);
    size_t n = 0;
    n += cbor_head(out + n, 4, 3);
    n += cbor_head(out + n, 3, 8);
    memcpy(out + n, "Encrypt0", 8);
    n += 8;
    n += cbor_head(out + n, 2, 0);
    n += cbor_bstr(out + n, array, a);
    return n;
}

static void test_aad(void)
{
    /* The example of RFC 8613 5.4: alg 10, kid 00, PIV 25. */
    const uint8_t kid00[] = {0x00};
    const uint8_t piv25[] = {0x25};
    uint8_t want[64];
    size_t want_len = hex_to_bytes("8368456e63727970743040498501810a4100412540",
                                   want, sizeof want);
    uint8_t got[4096];
    size_t written = 0;
    CHECK_EQ(osc_aad(10, OSC_BYTES(kid00, 1), OSC_BYTES(piv25, 1),
                     OSC_BYTES(NULL, 0), got, sizeof got, &written),
             OSC_OK);
    CHECK_BYTES(got, written, want, want_len, "RFC 8613 5.4 AAD");
    CHECK_EQ(osc_aad_size(10, 1, 1, 0), want_len);

    /* Exact capacity works; any smaller one is refused. */
    uint8_t *exact = malloc(want_len);
    CHECK_EQ(osc_aad(10, OSC_BYTES(kid00, 1), OSC_BYTES(piv25, 1),
                     OSC_BYTES(NULL, 0), exact, want_len, &written),
             OSC_OK);
    CHECK_BYTES(exact, written, want, want_len, "AAD, exact capacity");
    for (size_t cap = 0; cap < want_len; cap++)
        CHECK_EQ(osc_aad(10, OSC_BYTES(kid00, 1), OSC_BYTES(piv25, 1),
                         OSC_BYTES(NULL, 0), exact, cap, &written),
                 OSC_ERR_BUFFER_TOO_SMALL);
    free(exact);

    /* Appendix C: C.4 (request, empty kid) and C.7 (its response). */
    test_vectors *v = vectors_load_appendix_c("rfc8613-appendix-c.json");
    uint8_t piv[8], kid[8];
    size_t piv_len = vectors_bytes(v, "C.4/Partial IV", piv, sizeof piv);
    size_t kid_len = vectors_bytes(v, "C.4/kid", kid, sizeof kid);
    want_len = vectors_bytes(v, "C.4/AAD", want, sizeof want);
    CHECK_EQ(osc_aad(10, OSC_BYTES(kid, kid_len), OSC_BYTES(piv, piv_len),
                     OSC_BYTES(NULL, 0), got, sizeof got, &written),
             OSC_OK);
    CHECK_BYTES(got, written, want, want_len, "C.4/AAD");
    want_len = vectors_bytes(v, "C.7/AAD", want, sizeof want);
    CHECK_BYTES(got, written, want, want_len, "C.7/AAD");
    piv_len = vectors_bytes(v, "C.5/Partial IV", piv, sizeof piv);
    kid_len = vectors_bytes(v, "C.5/kid", kid, sizeof kid);
    want_len = vectors_bytes(v, "C.5/AAD", want, sizeof want);
    CHECK_EQ(osc_aad(10, OSC_BYTES(kid, kid_len), OSC_BYTES(piv, piv_len),
                     OSC_BYTES(NULL, 0), got, sizeof got, &written),
             OSC_OK);
    CHECK_BYTES(got, written, want, want_len, "C.5/AAD");
    vectors_free(v);

    /* Many lengths and algorithm ids: the size agrees with what is
     * written and with an independent CBOR encoding. */
    static const int algs[] = {1, 10, 24, 33, 0, 23, 255, 256, -8, -25};
    static const size_t opt_lens[] = {0, 1, 23, 24, 255, 256, 300};
    static uint8_t data[512];
    for (size_t i = 0; i < sizeof data; i++)
        data[i] = (uint8_t)(i * 7 + 3);
    size_t bad = 0, checked = 0;
    for (size_t a = 0; a < sizeof algs / sizeof algs[0]; a++)
        for (size_t kl = 0; kl <= 30; kl++)
            for (size_t pl = 0; pl <= 5; pl++)
                for (size_t o = 0; o < sizeof opt_lens / sizeof opt_lens[0];
                     o++) {
                    size_t ol = opt_lens[o];
                    uint8_t ref[4096];
                    size_t ref_len = ref_aad(algs[a], data, kl, data + 40, pl,
                                             data + 60, ol, ref);
                    size_t size = osc_aad_size(algs[a], kl, pl, ol);
                    osc_status s = osc_aad(
                        algs[a], OSC_BYTES(data, kl), OSC_BYTES(data + 40, pl),
                        OSC_BYTES(data + 60, ol), got, sizeof got, &written);
                    checked++;
                    if (s != OSC_OK || size != ref_len || written != ref_len ||
                        memcmp(got, ref, ref_len) != 0) {
                        if (bad < 5)
                            fprintf(stderr,
                                    "  AAD alg %d kid %zu piv %zu opts %zu: "
                                    "size %zu written %zu want %zu\n",
                                    algs[a], kl, pl, ol, size, written,
                                    ref_len);
                        bad++;
                    }
                }
    CHECK(checked > 10000);
    CHECK_EQ(bad, 0);
}

int main(int argc, char **argv)
{
    tests_init(argc, argv);
    test_examples();
    test_appendix_c_values();
    test_malformed();
    test_exhaustive();
    test_truncation();
    test_encode_roundtrip();
    test_piv();
    test_nonce();
    test_aad();
    return tests_finish();
}
