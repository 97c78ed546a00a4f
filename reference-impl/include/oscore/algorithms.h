/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * COSE algorithms OSCORE uses (RFC 9053; HKDF of RFC 5869 as RFC 8613
 * 3.2.1 uses it): the AEAD table, HKDF
 * built from libgcrypt's HMAC, and one-shot AEAD encrypt/decrypt.
 *
 * The table is constant data; the functions keep no state between calls.
 */
#ifndef OSCORE_ALGORITHMS_H
#define OSCORE_ALGORITHMS_H

#include <stddef.h>
#include <stdint.h>

#include "oscore/status.h"

#define OSC_MAX_KEY_LEN 32
#define OSC_MAX_NONCE_LEN 13
#define OSC_MAX_TAG_LEN 16
#define OSC_MIN_NONCE_LEN 7

/* COSE identifiers of the AEAD algorithms. */
enum {
    OSC_AEAD_A128GCM = 1,
    OSC_AEAD_A192GCM = 2,
    OSC_AEAD_A256GCM = 3,
    OSC_AEAD_AES_CCM_16_64_128 = 10,
    OSC_AEAD_AES_CCM_16_64_256 = 11,
    OSC_AEAD_AES_CCM_64_64_128 = 12,
    OSC_AEAD_AES_CCM_64_64_256 = 13,
    OSC_AEAD_CHACHA20_POLY1305 = 24,
    OSC_AEAD_AES_CCM_16_128_128 = 30,
    OSC_AEAD_AES_CCM_16_128_256 = 31,
    OSC_AEAD_AES_CCM_64_128_128 = 32,
    OSC_AEAD_AES_CCM_64_128_256 = 33
};

/* COSE identifiers of the non-AEAD ciphers of RFC 9459 that Group OSCORE
 * allows as Group Encryption Algorithm only (RFC 10021 2.1, 4.1): integrity
 * then comes from the countersignature alone. */
enum {
    OSC_CIPHER_A128CTR = -65534,
    OSC_CIPHER_A192CTR = -65533,
    OSC_CIPHER_A256CTR = -65532
};

typedef enum osc_aead_mode {
    OSC_AEAD_MODE_CCM,
    OSC_AEAD_MODE_GCM,
    OSC_AEAD_MODE_CHACHA20_POLY1305,
    OSC_CIPHER_MODE_CTR /* not an AEAD: tag_len 0, the AAD is not used */
} osc_aead_mode;

typedef struct osc_aead_alg {
    int cose_id;
    const char *name; /* "AES-CCM-16-64-128", "A128GCM", "ChaCha20/Poly1305" */
    osc_aead_mode mode;
    size_t key_len;
    size_t nonce_len;
    size_t tag_len;
} osc_aead_alg;

/* Table entry by COSE id, or NULL when unsupported. Only AEAD algorithms:
 * what plain OSCORE and Group OSCORE's pairwise mode may use. */
const osc_aead_alg *osc_aead_by_id(int cose_id);

/* A Group Encryption Algorithm (RFC 10021 2.1) by COSE id: an AEAD of
 * the table, or A128CTR/A192CTR/A256CTR (mode OSC_CIPHER_MODE_CTR, a
 * 12-byte nonce, no tag). NULL when unsupported. */
const osc_aead_alg *osc_group_cipher_by_id(int cose_id);
/* The same by name ("A128CTR", "AES-CCM-16-64-128") or COSE id string. */
const osc_aead_alg *osc_group_cipher_by_name(const char *name);
/* Table entry by name (case-insensitive) or by decimal COSE id string,
 * or NULL. */
const osc_aead_alg *osc_aead_by_name(const char *name);
/* Number of entries and entry i (for enumerating, e.g. in tests/UIs). */
size_t osc_aead_count(void);
const osc_aead_alg *osc_aead_at(size_t index);

/* Largest Sender/Recipient ID this algorithm allows: nonce_len - 6. */
size_t osc_aead_max_id_len(const osc_aead_alg *alg);

typedef enum osc_hkdf_alg {
    OSC_HKDF_SHA256 = 0,
    OSC_HKDF_SHA512 = 1
} osc_hkdf_alg;

/*
 * Parses an HKDF name: "HKDF-SHA-256", "HKDF-SHA-512" (case-insensitive,
 * dashes optional), or the COSE ids -10/-11 ("direct+HKDF-SHA-256/512")
 * and 5/7 (HMAC 256/256, HMAC 512/512, as Group OSCORE names them).
 * OSC_ERR_UNKNOWN_HKDF otherwise.
 */
osc_status osc_hkdf_by_name(const char *name, osc_hkdf_alg *out);
const char *osc_hkdf_name(osc_hkdf_alg alg);

/*
 * HKDF (RFC 5869) extract-then-expand. An empty salt means HashLen zero
 * bytes. out_len must be at most 255 * HashLen.
 */
osc_status osc_hkdf(osc_hkdf_alg alg, const uint8_t *salt, size_t salt_len,
                    const uint8_t *ikm, size_t ikm_len, const uint8_t *info,
                    size_t info_len, uint8_t *out, size_t out_len);

/*
 * AEAD encryption. key has alg->key_len bytes, nonce alg->nonce_len.
 * out must hold plaintext_len + alg->tag_len bytes (ciphertext || tag);
 * out may equal plaintext (in place). For a CTR cipher (RFC 9459 4) the
 * counter block is nonce || 0x00000000, the AAD is ignored and no tag is
 * appended.
 */
osc_status osc_aead_encrypt(const osc_aead_alg *alg, const uint8_t *key,
                            const uint8_t *nonce, const uint8_t *aad,
                            size_t aad_len, const uint8_t *plaintext,
                            size_t plaintext_len, uint8_t *out, size_t out_cap);

/*
 * AEAD decryption of ciphertext || tag. On success writes
 * ciphertext_len - tag_len bytes to out. On OSC_ERR_AUTH_FAILED the
 * output buffer is zeroed: no unauthenticated plaintext is ever
 * returned. A ciphertext shorter than the tag is OSC_ERR_AUTH_FAILED.
 * A CTR cipher authenticates nothing: it always succeeds, and the caller
 * must have checked integrity otherwise (a Group OSCORE countersignature).
 */
osc_status osc_aead_decrypt(const osc_aead_alg *alg, const uint8_t *key,
                            const uint8_t *nonce, const uint8_t *aad,
                            size_t aad_len, const uint8_t *ciphertext,
                            size_t ciphertext_len, uint8_t *out,
                            size_t out_cap);

#endif
