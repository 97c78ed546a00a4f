/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The algorithm layer: the AEAD table and its lookups, HKDF against known
 * answers, AEAD round trips and forgery rejection for every table entry,
 * and AEAD known answers from independent sources:
 *   - RFC 5869 appendix A (HKDF-SHA-256), typed in from the RFC;
 *   - the GCM specification (McGrew/Viega, "The Galois/Counter Mode of
 *     Operation", test cases 1, 2, 4, 10 and 16), typed in;
 *   - RFC 8439 section 2.8.2 (ChaCha20-Poly1305), typed in;
 *   - RFC 8613 appendix C.4-C.8 and the nested example's messages, read
 *     from the vector files (never copied into this file).
 */
#include <stdio.h>
#include <string.h>

#include "oscore/algorithms.h"
#include "oscore/engine.h"
#include "test_support.h"

#define BIG 512

/* ---- lookups -------------------------------------------------------- */

static void test_table(void)
{
    static const struct {
        int id;
        const char *name;
        size_t key, nonce, tag, max_id;
    } want[] = {
        {1, "A128GCM", 16, 12, 16, 6},
        {2, "A192GCM", 24, 12, 16, 6},
        {3, "A256GCM", 32, 12, 16, 6},
        {10, "AES-CCM-16-64-128", 16, 13, 8, 7},
        {11, "AES-CCM-16-64-256", 32, 13, 8, 7},
        {12, "AES-CCM-64-64-128", 16, 7, 8, 1},
        {13, "AES-CCM-64-64-256", 32, 7, 8, 1},
        {24, "ChaCha20/Poly1305", 32, 12, 16, 6},
        {30, "AES-CCM-16-128-128", 16, 13, 16, 7},
        {31, "AES-CCM-16-128-256", 32, 13, 16, 7},
        {32, "AES-CCM-64-128-128", 16, 7, 16, 1},
        {33, "AES-CCM-64-128-256", 32, 7, 16, 1},
    };
    const size_t n = sizeof want / sizeof want[0];

    CHECK_EQ(osc_aead_count(), n);
    CHECK(osc_aead_at(n) == NULL);
    for (size_t i = 0; i < n; i++) {
        const osc_aead_alg *a = osc_aead_by_id(want[i].id);
        char id_text[16];
        if (!CHECK(a != NULL)) {
            continue;
        }
        CHECK_EQ(a->cose_id, want[i].id);
        CHECK(strcmp(a->name, want[i].name) == 0);
        CHECK_EQ(a->key_len, want[i].key);
        CHECK_EQ(a->nonce_len, want[i].nonce);
        CHECK_EQ(a->tag_len, want[i].tag);
        CHECK_EQ(osc_aead_max_id_len(a), want[i].max_id);
        CHECK(a->key_len <= OSC_MAX_KEY_LEN);
        CHECK(a->nonce_len <= OSC_MAX_NONCE_LEN);
        CHECK(a->nonce_len >= OSC_MIN_NONCE_LEN);
        CHECK(a->tag_len <= OSC_MAX_TAG_LEN);
        CHECK(a->mode == (want[i].id <= 3    ? OSC_AEAD_MODE_GCM
                          : want[i].id == 24 ? OSC_AEAD_MODE_CHACHA20_POLY1305
                                             : OSC_AEAD_MODE_CCM));
        CHECK(osc_aead_by_name(want[i].name) == a);
        snprintf(id_text, sizeof id_text, "%d", want[i].id);
        CHECK(osc_aead_by_name(id_text) == a);
        /* The enumeration holds every entry exactly once. */
        {
            size_t found = 0;
            for (size_t j = 0; j < osc_aead_count(); j++) {
                found += osc_aead_at(j) == a;
            }
            CHECK_EQ(found, 1);
        }
    }

    /* Names are case-insensitive. */
    CHECK(osc_aead_by_name("aes-ccm-16-64-128") ==
          osc_aead_by_id(OSC_AEAD_AES_CCM_16_64_128));
    CHECK(osc_aead_by_name("chacha20/poly1305") ==
          osc_aead_by_id(OSC_AEAD_CHACHA20_POLY1305));
    CHECK(osc_aead_by_name("a256gcm") == osc_aead_by_id(OSC_AEAD_A256GCM));

    /* Unknown ids and malformed names. */
    CHECK(osc_aead_by_id(0) == NULL);
    CHECK(osc_aead_by_id(4) == NULL);
    CHECK(osc_aead_by_id(-65534) == NULL); /* A128CTR: not an AEAD */
    /* ... but a Group Encryption Algorithm (RFC 10021 2.1), by id or name;
     * the AEADs are Group Encryption Algorithms too. */
    const osc_aead_alg *ctr = osc_group_cipher_by_id(OSC_CIPHER_A128CTR);
    CHECK(ctr != NULL && ctr->mode == OSC_CIPHER_MODE_CTR &&
          ctr->key_len == 16 && ctr->nonce_len == 12 && ctr->tag_len == 0);
    CHECK(osc_group_cipher_by_name("a128ctr") == ctr);
    CHECK(osc_group_cipher_by_name("-65534") == ctr);
    CHECK(osc_group_cipher_by_name("A256CTR")->key_len == 32);
    CHECK(osc_group_cipher_by_name("A128GCM") ==
          osc_aead_by_id(OSC_AEAD_A128GCM));
    CHECK(osc_group_cipher_by_id(-65531) == NULL); /* A128CBC: never */
    CHECK(osc_group_cipher_by_name(NULL) == NULL);
    CHECK(osc_aead_by_name("A128CTR") == NULL);
    CHECK(osc_aead_by_name(NULL) == NULL);
    CHECK(osc_aead_by_name("") == NULL);
    CHECK(osc_aead_by_name("-") == NULL);
    CHECK(osc_aead_by_name("4") == NULL);
    CHECK(osc_aead_by_name("10x") == NULL);
    CHECK(osc_aead_by_name(" 10") == NULL);
    CHECK(osc_aead_by_name("AES-CCM-16-64") == NULL);
    CHECK(osc_aead_by_name("AES-CCM-16-64-1280") == NULL);
    CHECK(osc_aead_by_name("99999999999999999999") == NULL);
    CHECK(osc_aead_max_id_len(NULL) == 0);
}

static void test_hkdf_names(void)
{
    static const struct {
        const char *name;
        osc_hkdf_alg alg;
    } good[] = {
        {"HKDF-SHA-256", OSC_HKDF_SHA256},
        {"hkdf-sha-256", OSC_HKDF_SHA256},
        {"HKDF-SHA256", OSC_HKDF_SHA256},
        {"HKDFSHA256", OSC_HKDF_SHA256},
        {"-10", OSC_HKDF_SHA256},
        {"5", OSC_HKDF_SHA256},
        {"direct+HKDF-SHA-256", OSC_HKDF_SHA256},
        {"HKDF-SHA-512", OSC_HKDF_SHA512},
        {"hkdf-sha512", OSC_HKDF_SHA512},
        {"-11", OSC_HKDF_SHA512},
        {"7", OSC_HKDF_SHA512},
        {"DIRECT+HKDF-SHA-512", OSC_HKDF_SHA512},
    };
    static const char *const bad[] = {
        "",
        "HKDF",
        "HKDF-SHA-384",
        "HKDF-SHA-2560",
        "10",
        "-12",
        "6" /* HMAC 384/384: no SHA-384 HKDF here */,
        "SHA-256",
        "direct+",
        "HKDF-SHA-256 "};
    osc_hkdf_alg alg;

    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        alg = (osc_hkdf_alg)99;
        CHECK_EQ(osc_hkdf_by_name(good[i].name, &alg), OSC_OK);
        CHECK_EQ(alg, good[i].alg);
    }
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        CHECK_EQ(osc_hkdf_by_name(bad[i], &alg), OSC_ERR_UNKNOWN_HKDF);
    }
    CHECK_EQ(osc_hkdf_by_name(NULL, &alg), OSC_ERR_INVALID_ARGUMENT);
    CHECK(strcmp(osc_hkdf_name(OSC_HKDF_SHA256), "HKDF-SHA-256") == 0);
    CHECK(strcmp(osc_hkdf_name(OSC_HKDF_SHA512), "HKDF-SHA-512") == 0);
    CHECK(osc_hkdf_name((osc_hkdf_alg)7) != NULL);
    /* Names round-trip through the parser. */
    CHECK_EQ(osc_hkdf_by_name(osc_hkdf_name(OSC_HKDF_SHA512), &alg), OSC_OK);
    CHECK_EQ(alg, OSC_HKDF_SHA512);
}

/* ---- HKDF ----------------------------------------------------------- */

static void check_hkdf(osc_hkdf_alg alg, const char *salt_hex,
                       const char *ikm_hex, const char *info_hex,
                       const char *okm_hex, const char *what)
{
    uint8_t salt[64], ikm[128], info[128], okm[256], got[256];
    size_t salt_len = hex_to_bytes(salt_hex, salt, sizeof salt);
    size_t ikm_len = hex_to_bytes(ikm_hex, ikm, sizeof ikm);
    size_t info_len = hex_to_bytes(info_hex, info, sizeof info);
    size_t okm_len = hex_to_bytes(okm_hex, okm, sizeof okm);
    CHECK_EQ(osc_hkdf(alg, salt_len > 0 ? salt : NULL, salt_len, ikm, ikm_len,
                      info_len > 0 ? info : NULL, info_len, got, okm_len),
             OSC_OK);
    CHECK_BYTES(got, okm_len, okm, okm_len, what);
    /* Every prefix of the output is the output for that shorter L. */
    memset(got, 0, sizeof got);
    CHECK_EQ(osc_hkdf(alg, salt, salt_len, ikm, ikm_len, info, info_len, got,
                      okm_len - 1),
             OSC_OK);
    CHECK_BYTES(got, okm_len - 1, okm, okm_len - 1, what);
    CHECK_EQ(got[okm_len - 1], 0);
}

static void test_hkdf(void)
{
    static const char ikm[] = "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b";
    static const char salt[] = "000102030405060708090a0b0c";
    static const char info[] = "f0f1f2f3f4f5f6f7f8f9";
    uint8_t out[64 * 255 + 1];
    uint8_t k[16] = {0};

    /* RFC 5869 A.1 (test case 1) and A.3 (test case 3: empty salt and
     * info), typed in from the RFC. */
    check_hkdf(OSC_HKDF_SHA256, salt, ikm, info,
               "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5"
               "bf34007208d5b887185865",
               "RFC 5869 A.1");
    check_hkdf(OSC_HKDF_SHA256, "", ikm, "",
               "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d"
               "2d9d201395faa4b61a96c8",
               "RFC 5869 A.3");

    /* HKDF-SHA-512 has no RFC test vector. These answers were computed
     * independently of libgcrypt with Python 3.11's standard `hmac` and
     * `hashlib` modules (OpenSSL-backed), by a direct transcription of
     * RFC 5869 2.2/2.3:
     *     prk = hmac.new(salt or b'\0' * 64, ikm, hashlib.sha512).digest()
     *     t = b''; okm = b''; i = 1
     *     while len(okm) < L:
     *         t = hmac.new(prk, t + info + bytes([i]), hashlib.sha512)
     *                 .digest(); okm += t; i += 1
     * with the inputs of RFC 5869 test cases 1 (L = 42) and 3 (L = 100,
     * i.e. two expand blocks). */
    check_hkdf(OSC_HKDF_SHA512, salt, ikm, info,
               "832390086cda71fb47625bb5ceb168e4c8e26a1a16ed34d9fc7fe92c148157"
               "9338da362cb8d9f925d7cb",
               "HKDF-SHA-512 case 1 inputs");
    check_hkdf(OSC_HKDF_SHA512, "", ikm, "",
               "f5fa02b18298a72a8c23898a8703472c6eb179dc204c03425c970e3b164bf9"
               "0fff22d04836d0e2343bacc4e7cb6045faaa698e0e3b3eb91331306def1db8"
               "319e8a699b5ee45ab993847dc4df75bde023692c8c0710a67a55123f10a8b2"
               "d8327f9eb138da",
               "HKDF-SHA-512 case 3 inputs, L = 100");

    /* The largest allowed L works; one more byte is refused. */
    CHECK_EQ(osc_hkdf(OSC_HKDF_SHA256, NULL, 0, k, 16, NULL, 0, out, 32 * 255),
             OSC_OK);
    CHECK_EQ(
        osc_hkdf(OSC_HKDF_SHA256, NULL, 0, k, 16, NULL, 0, out, 32 * 255 + 1),
        OSC_ERR_INVALID_ARGUMENT);
    CHECK_EQ(osc_hkdf(OSC_HKDF_SHA512, NULL, 0, k, 16, NULL, 0, out, 64 * 255),
             OSC_OK);
    CHECK_EQ(
        osc_hkdf(OSC_HKDF_SHA512, NULL, 0, k, 16, NULL, 0, out, 64 * 255 + 1),
        OSC_ERR_INVALID_ARGUMENT);
    CHECK_EQ(osc_hkdf(OSC_HKDF_SHA256, NULL, 0, k, 16, NULL, 0, out, 0),
             OSC_OK);
    CHECK_EQ(osc_hkdf((osc_hkdf_alg)5, NULL, 0, k, 16, NULL, 0, out, 16),
             OSC_ERR_UNKNOWN_HKDF);
    CHECK_EQ(osc_hkdf(OSC_HKDF_SHA256, NULL, 3, k, 16, NULL, 0, out, 16),
             OSC_ERR_INVALID_ARGUMENT);
    CHECK_EQ(osc_hkdf(OSC_HKDF_SHA256, NULL, 0, k, 16, NULL, 0, NULL, 16),
             OSC_ERR_INVALID_ARGUMENT);
}

/* ---- AEAD known answers --------------------------------------------- */

/* Encrypts and decrypts one known answer: key, nonce, AAD, plaintext and
 * ciphertext||tag as hex. */
static void check_aead_kat(int alg_id, const char *key_hex,
                           const char *nonce_hex, const char *aad_hex,
                           const char *pt_hex, const char *ct_hex,
                           const char *what)
{
    const osc_aead_alg *alg = osc_aead_by_id(alg_id);
    uint8_t key[32], nonce[13], aad[64], pt[BIG], ct[BIG], got[BIG];
    size_t key_len, nonce_len, aad_len, pt_len, ct_len;

    if (!CHECK(alg != NULL)) {
        return;
    }
    key_len = hex_to_bytes(key_hex, key, sizeof key);
    nonce_len = hex_to_bytes(nonce_hex, nonce, sizeof nonce);
    aad_len = hex_to_bytes(aad_hex, aad, sizeof aad);
    pt_len = hex_to_bytes(pt_hex, pt, sizeof pt);
    ct_len = hex_to_bytes(ct_hex, ct, sizeof ct);
    CHECK_EQ(key_len, alg->key_len);
    CHECK_EQ(nonce_len, alg->nonce_len);
    CHECK_EQ(ct_len, pt_len + alg->tag_len);

    CHECK_EQ(osc_aead_encrypt(alg, key, nonce, aad, aad_len, pt, pt_len, got,
                              sizeof got),
             OSC_OK);
    CHECK_BYTES(got, pt_len + alg->tag_len, ct, ct_len, what);
    memset(got, 0xaa, sizeof got);
    CHECK_EQ(osc_aead_decrypt(alg, key, nonce, aad, aad_len, ct, ct_len, got,
                              sizeof got),
             OSC_OK);
    CHECK_BYTES(got, pt_len, pt, pt_len, what);
}

static void test_gcm_kat(void)
{
    static const char p[] =
        "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
        "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39";
    static const char a[] = "feedfacedeadbeeffeedfacedeadbeefabaddad2";
    static const char iv[] = "cafebabefacedbaddecaf888";

    /* GCM spec test case 1: empty plaintext, zero key and IV. */
    check_aead_kat(OSC_AEAD_A128GCM, "00000000000000000000000000000000",
                   "000000000000000000000000", "", "",
                   "58e2fccefa7e3061367f1d57a4e7455a", "GCM test case 1");
    /* Test case 2: one zero block. */
    check_aead_kat(
        OSC_AEAD_A128GCM, "00000000000000000000000000000000",
        "000000000000000000000000", "", "00000000000000000000000000000000",
        "0388dace60b6a392f328c2b971b2fe78ab6e47d42cec13bdf53a67b21257bddf",
        "GCM test case 2");
    /* Test cases 4, 10 and 16: with AAD and a partial last block, for
     * each AES key size. */
    check_aead_kat(
        OSC_AEAD_A128GCM, "feffe9928665731c6d6a8f9467308308", iv, a, p,
        "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e"
        "21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091"
        "5bc94fbc3221a5db94fae95ae7121a47",
        "GCM test case 4");
    check_aead_kat(
        OSC_AEAD_A192GCM, "feffe9928665731c6d6a8f9467308308feffe9928665731c",
        iv, a, p,
        "3980ca0b3c00e841eb06fac4872a2757859e1ceaa6efd984628593b40ca1e19c"
        "7d773d00c144c525ac619d18c84a3f4718e2448b2fe324d9ccda2710"
        "2519498e80f1478f37ba55bd6d27618c",
        "GCM test case 10");
    check_aead_kat(
        OSC_AEAD_A256GCM,
        "feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308", iv,
        a, p,
        "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
        "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662"
        "76fc6ece0f4e1768cddf8853bb2d551b",
        "GCM test case 16");
}

static void test_chacha_kat(void)
{
    static const char pt_text[] =
        "Ladies and Gentlemen of the class of '99: If I could offer you "
        "only one tip for the future, sunscreen would be it.";
    char pt_hex[2 * sizeof pt_text + 1];
    for (size_t i = 0; i < sizeof pt_text - 1; i++) {
        snprintf(pt_hex + 2 * i, 3, "%02x", (unsigned char)pt_text[i]);
    }
    /* RFC 8439 2.8.2. */
    check_aead_kat(
        OSC_AEAD_CHACHA20_POLY1305,
        "808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f",
        "070000004041424344454647", "50515253c0c1c2c3c4c5c6c7", pt_hex,
        "d31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d6"
        "3dbea45e8ca9671282fafb69da92728b1a71de0a9e060b2905d6a5b67ecd3b36"
        "92ddbd7f2d778b8c9803aee328091b58fab324e4fad675945585808b4831d7bc"
        "3ff4def08e4b7a9de576d26586cec64b6116"
        "1ae10b594f09e26a7e902ecbd0600691",
        "RFC 8439 2.8.2");
}

static void test_ccm64_kat(void)
{
    /* AES-CCM with a 7-byte nonce (L = 8) and a 16-byte tag has no
     * published COSE vector. This answer was computed independently of
     * libgcrypt with the Python `cryptography` 48.0.0 package (OpenSSL):
     *     AESCCM(bytes(range(32)), tag_length=16).encrypt(
     *         bytes(range(0xa0, 0xa7)), bytes(range(0x10, 0x24)),
     *         bytes(range(0x40, 0x4a))) */
    check_aead_kat(
        OSC_AEAD_AES_CCM_64_128_256,
        "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f",
        "a0a1a2a3a4a5a6", "40414243444546474849",
        "101112131415161718191a1b1c1d1e1f20212223",
        "d54ed8f4dfb875b1d73f97f5b6db36c77a3a333f2c0cbaa6ff722813ecd746c1"
        "eba4afee",
        "AES-CCM-64-128-256 (python cryptography)");
}

/* RFC 8613 C.4-C.8: AES-CCM-16-64-128 with the values of the vector file.
 */
static void test_rfc8613_vectors(void)
{
    static const char *const sections[] = {"C.4", "C.5", "C.6", "C.7", "C.8"};
    const osc_aead_alg *alg = osc_aead_by_id(OSC_AEAD_AES_CCM_16_64_128);
    test_vectors *v = vectors_load_appendix_c("rfc8613-appendix-c.json");

    for (size_t i = 0; i < sizeof sections / sizeof sections[0]; i++) {
        uint8_t key[16], nonce[13], aad[64], pt[64], ct[64], got[64];
        size_t key_len, nonce_len, aad_len, pt_len, ct_len;
        char name[64];

#define LOAD(var, field)                                                       \
    (snprintf(name, sizeof name, "%s/%s", sections[i], field),                 \
     vectors_bytes(v, name, var, sizeof var))
        key_len = LOAD(key, "encryption key");
        nonce_len = LOAD(nonce, "nonce");
        aad_len = LOAD(aad, "AAD");
        pt_len = LOAD(pt, "plaintext");
        ct_len = LOAD(ct, "ciphertext");
#undef LOAD
        CHECK_EQ(key_len, alg->key_len);
        CHECK_EQ(nonce_len, alg->nonce_len);
        CHECK_EQ(osc_aead_encrypt(alg, key, nonce, aad, aad_len, pt, pt_len,
                                  got, sizeof got),
                 OSC_OK);
        CHECK_BYTES(got, pt_len + alg->tag_len, ct, ct_len, sections[i]);
        memset(got, 0, sizeof got);
        CHECK_EQ(osc_aead_decrypt(alg, key, nonce, aad, aad_len, ct, ct_len,
                                  got, sizeof got),
                 OSC_OK);
        CHECK_BYTES(got, ct_len - alg->tag_len, pt, pt_len, sections[i]);
    }
    vectors_free(v);
}

/* nested-example-5.9.json: the six layers, each with the key of the
 * party that protected it (requests: the requester's sender key; responses: the
 * responder's, which is the requester-view recipient key). */
static void test_nested_vectors(void)
{
    static const struct {
        const char *layer;
        const char *key;
    } layers[] = {
        {"L1_CS_req", "CTX_C_S.sender_key"},
        {"L1_CS_resp", "CTX_C_S.recipient_key"},
        {"L2_CP_req", "CTX_C_P.sender_key"},
        {"L2_CP_resp", "CTX_C_P.recipient_key"},
        {"L3_PS_req", "CTX_P_S.sender_key"},
        {"L3_PS_resp", "CTX_P_S.recipient_key"},
    };
    const osc_aead_alg *alg = osc_aead_by_id(OSC_AEAD_AES_CCM_16_64_128);
    test_vectors *v = vectors_load_object("nested-example-5.9.json");

    for (size_t i = 0; i < sizeof layers / sizeof layers[0]; i++) {
        uint8_t key[16], nonce[13], aad[64], pt[128], ct[128], got[128];
        size_t aad_len, pt_len, ct_len;
        char name[64];

        vectors_bytes(v, layers[i].key, key, sizeof key);
#define LOAD(var, field)                                                       \
    (snprintf(name, sizeof name, "%s.%s", layers[i].layer, field),             \
     vectors_bytes(v, name, var, sizeof var))
        LOAD(nonce, "nonce");
        aad_len = LOAD(aad, "AAD");
        pt_len = LOAD(pt, "plaintext");
        ct_len = LOAD(ct, "ciphertext");
#undef LOAD
        CHECK_EQ(osc_aead_encrypt(alg, key, nonce, aad, aad_len, pt, pt_len,
                                  got, sizeof got),
                 OSC_OK);
        CHECK_BYTES(got, pt_len + alg->tag_len, ct, ct_len, layers[i].layer);
        CHECK_EQ(osc_aead_decrypt(alg, key, nonce, aad, aad_len, ct, ct_len,
                                  got, sizeof got),
                 OSC_OK);
        CHECK_BYTES(got, ct_len - alg->tag_len, pt, pt_len, layers[i].layer);
    }
    vectors_free(v);
}

/* ---- AEAD properties for every table entry -------------------------- */

static bool all_zero(const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (p[i] != 0) {
            return false;
        }
    }
    return true;
}

/* Decrypts into a buffer pre-filled with garbage and expects a forgery to
 * be rejected with the whole buffer zeroed. */
static void expect_forgery(const osc_aead_alg *alg, const uint8_t *key,
                           const uint8_t *nonce, const uint8_t *aad,
                           size_t aad_len, const uint8_t *ct, size_t ct_len,
                           const char *what)
{
    uint8_t out[BIG];
    memset(out, 0xa5, sizeof out);
    if (!CHECK_EQ(osc_aead_decrypt(alg, key, nonce, aad, aad_len, ct, ct_len,
                                   out, sizeof out),
                  OSC_ERR_AUTH_FAILED)) {
        fprintf(stderr, "  (%s, %s)\n", alg->name, what);
    }
    if (!CHECK(all_zero(out, sizeof out))) {
        fprintf(stderr, "  output not zeroed (%s, %s)\n", alg->name, what);
    }
}

static void test_aead_every_algorithm(void)
{
    static const size_t pt_lengths[] = {0, 1, 16, 37};
    uint8_t key[OSC_MAX_KEY_LEN], nonce[OSC_MAX_NONCE_LEN], aad[21];
    uint8_t pt[64], ct[64 + OSC_MAX_TAG_LEN], bad[64 + OSC_MAX_TAG_LEN];
    uint8_t out[64 + OSC_MAX_TAG_LEN];

    for (size_t i = 0; i < sizeof key; i++) {
        key[i] = (uint8_t)(0x10 + i);
    }
    for (size_t i = 0; i < sizeof nonce; i++) {
        nonce[i] = (uint8_t)(0xc0 + i);
    }
    for (size_t i = 0; i < sizeof aad; i++) {
        aad[i] = (uint8_t)(0x80 + i);
    }
    for (size_t i = 0; i < sizeof pt; i++) {
        pt[i] = (uint8_t)(3 * i);
    }

    for (size_t a = 0; a < osc_aead_count(); a++) {
        const osc_aead_alg *alg = osc_aead_at(a);
        for (size_t l = 0; l < sizeof pt_lengths / sizeof pt_lengths[0]; l++) {
            const size_t pt_len = pt_lengths[l];
            const size_t ct_len = pt_len + alg->tag_len;
            uint8_t other_key[OSC_MAX_KEY_LEN];
            uint8_t other_nonce[OSC_MAX_NONCE_LEN];
            uint8_t other_aad[sizeof aad];

            /* Round trip. */
            CHECK_EQ(osc_aead_encrypt(alg, key, nonce, aad, sizeof aad, pt,
                                      pt_len, ct, sizeof ct),
                     OSC_OK);
            CHECK(pt_len == 0 || memcmp(ct, pt, pt_len) != 0);
            memset(out, 0xa5, sizeof out);
            CHECK_EQ(osc_aead_decrypt(alg, key, nonce, aad, sizeof aad, ct,
                                      ct_len, out, sizeof out),
                     OSC_OK);
            CHECK_BYTES(out, pt_len, pt, pt_len, alg->name);
            /* Bytes beyond the plaintext are not touched on success. */
            CHECK_EQ(out[pt_len], 0xa5);

            /* Without AAD, and in place in both directions. */
            memcpy(out, pt, pt_len);
            CHECK_EQ(osc_aead_encrypt(alg, key, nonce, NULL, 0, out, pt_len,
                                      out, sizeof out),
                     OSC_OK);
            CHECK_EQ(osc_aead_decrypt(alg, key, nonce, NULL, 0, out, ct_len,
                                      out, sizeof out),
                     OSC_OK);
            CHECK_BYTES(out, pt_len, pt, pt_len, "in place");

            /* Forgeries: flipped ciphertext byte, flipped tag byte. */
            if (pt_len > 0) {
                memcpy(bad, ct, ct_len);
                bad[pt_len / 2] ^= 0x01;
                expect_forgery(alg, key, nonce, aad, sizeof aad, bad, ct_len,
                               "ciphertext bit");
            }
            memcpy(bad, ct, ct_len);
            bad[ct_len - 1] ^= 0x80;
            expect_forgery(alg, key, nonce, aad, sizeof aad, bad, ct_len,
                           "last tag bit");
            memcpy(bad, ct, ct_len);
            bad[pt_len] ^= 0x01;
            expect_forgery(alg, key, nonce, aad, sizeof aad, bad, ct_len,
                           "first tag bit");

            /* Wrong key, nonce, AAD; AAD dropped. */
            memcpy(other_key, key, sizeof key);
            other_key[alg->key_len - 1] ^= 0x01;
            expect_forgery(alg, other_key, nonce, aad, sizeof aad, ct, ct_len,
                           "wrong key");
            memcpy(other_nonce, nonce, sizeof nonce);
            other_nonce[alg->nonce_len - 1] ^= 0x01;
            expect_forgery(alg, key, other_nonce, aad, sizeof aad, ct, ct_len,
                           "wrong nonce");
            memcpy(other_aad, aad, sizeof aad);
            other_aad[0] ^= 0x01;
            expect_forgery(alg, key, nonce, other_aad, sizeof aad, ct, ct_len,
                           "wrong aad");
            expect_forgery(alg, key, nonce, aad, sizeof aad - 1, ct, ct_len,
                           "truncated aad");
            expect_forgery(alg, key, nonce, NULL, 0, ct, ct_len, "no aad");

            /* Truncated or extended ciphertext: the tag no longer sits
             * where the decryptor looks for it. */
            expect_forgery(alg, key, nonce, aad, sizeof aad, ct, ct_len - 1,
                           "one byte short");
            memcpy(bad, ct, ct_len);
            bad[ct_len] = 0;
            expect_forgery(alg, key, nonce, aad, sizeof aad, bad, ct_len + 1,
                           "one byte long");
        }

        /* Shorter than the tag: nothing to authenticate. */
        expect_forgery(alg, key, nonce, aad, sizeof aad, ct, alg->tag_len - 1,
                       "shorter than tag");
        expect_forgery(alg, key, nonce, aad, sizeof aad, ct, 0, "empty");

        /* Output too small: refused before any work. */
        CHECK_EQ(osc_aead_encrypt(alg, key, nonce, aad, sizeof aad, pt, 10, out,
                                  10 + alg->tag_len - 1),
                 OSC_ERR_BUFFER_TOO_SMALL);
        CHECK_EQ(osc_aead_encrypt(alg, key, nonce, aad, sizeof aad, pt, 10, ct,
                                  sizeof ct),
                 OSC_OK);
        CHECK_EQ(osc_aead_decrypt(alg, key, nonce, aad, sizeof aad, ct,
                                  10 + alg->tag_len, out, 9),
                 OSC_ERR_BUFFER_TOO_SMALL);
        CHECK_EQ(osc_aead_decrypt(alg, key, nonce, aad, sizeof aad, ct,
                                  10 + alg->tag_len, out, 10),
                 OSC_OK);
    }
}

static void test_aead_arguments(void)
{
    const osc_aead_alg *alg = osc_aead_by_id(OSC_AEAD_AES_CCM_16_64_128);
    osc_aead_alg fake = *alg;
    uint8_t key[16] = {0}, nonce[13] = {0}, buf[64];

    fake.cose_id = 99;
    CHECK_EQ(
        osc_aead_encrypt(&fake, key, nonce, NULL, 0, buf, 4, buf, sizeof buf),
        OSC_ERR_UNKNOWN_AEAD);
    fake = *alg;
    fake.tag_len = 32; /* a copy with altered sizes is not trusted */
    CHECK_EQ(osc_aead_decrypt(&fake, key, nonce, NULL, 0, buf, sizeof buf, buf,
                              sizeof buf),
             OSC_ERR_UNKNOWN_AEAD);
    fake = *alg; /* an exact copy is fine */
    CHECK_EQ(
        osc_aead_encrypt(&fake, key, nonce, NULL, 0, buf, 4, buf, sizeof buf),
        OSC_OK);
    CHECK_EQ(
        osc_aead_encrypt(NULL, key, nonce, NULL, 0, buf, 4, buf, sizeof buf),
        OSC_ERR_INVALID_ARGUMENT);
    CHECK_EQ(
        osc_aead_encrypt(alg, NULL, nonce, NULL, 0, buf, 4, buf, sizeof buf),
        OSC_ERR_INVALID_ARGUMENT);
    CHECK_EQ(
        osc_aead_encrypt(alg, key, nonce, NULL, 3, buf, 4, buf, sizeof buf),
        OSC_ERR_INVALID_ARGUMENT);
    CHECK_EQ(
        osc_aead_decrypt(alg, key, NULL, NULL, 0, buf, 12, buf, sizeof buf),
        OSC_ERR_INVALID_ARGUMENT);
    /* An empty plaintext may be decrypted into no buffer at all. */
    CHECK_EQ(
        osc_aead_encrypt(alg, key, nonce, NULL, 0, NULL, 0, buf, sizeof buf),
        OSC_OK);
    CHECK_EQ(
        osc_aead_decrypt(alg, key, nonce, NULL, 0, buf, alg->tag_len, NULL, 0),
        OSC_OK);
}

int main(int argc, char **argv)
{
    tests_init(argc, argv);
    /* tests_init initialised the engine; a second call is harmless. */
    CHECK_EQ(osc_engine_init(), OSC_OK);
    test_table();
    test_hkdf_names();
    test_hkdf();
    test_gcm_kat();
    test_chacha_kat();
    test_ccm64_kat();
    test_rfc8613_vectors();
    test_nested_vectors();
    test_aead_every_algorithm();
    test_aead_arguments();
    return tests_finish();
}
