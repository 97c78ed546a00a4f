/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * COSE algorithms for OSCORE on top of libgcrypt 1.10: the AEAD table,
 * HKDF (RFC 5869) built from HMAC, and one-shot AEAD operations.
 *
 * libgcrypt 1.10 has no HKDF (GCRY_KDF_HKDF arrives in 1.11), so extract
 * and expand are written here as plain HMAC calls. Every function opens
 * and closes its own libgcrypt handles, so nothing is shared between
 * calls and the module has no state besides the constant table.
 */
#include "oscore/algorithms.h"

#include <gcrypt.h>
#include <stdbool.h>
#include <string.h>

/* The AEAD algorithms of RFC 9053 (AES-GCM 4.1, AES-CCM 4.2,
 * ChaCha20/Poly1305 4.3). The tag length is part of the algorithm: the
 * 64-bit tag variants and the 128-bit ones are distinct COSE algorithms. */
static const osc_aead_alg aead_table[] = {
    {OSC_AEAD_A128GCM, "A128GCM", OSC_AEAD_MODE_GCM, 16, 12, 16},
    {OSC_AEAD_A192GCM, "A192GCM", OSC_AEAD_MODE_GCM, 24, 12, 16},
    {OSC_AEAD_A256GCM, "A256GCM", OSC_AEAD_MODE_GCM, 32, 12, 16},
    {OSC_AEAD_AES_CCM_16_64_128, "AES-CCM-16-64-128", OSC_AEAD_MODE_CCM, 16, 13,
     8},
    {OSC_AEAD_AES_CCM_16_64_256, "AES-CCM-16-64-256", OSC_AEAD_MODE_CCM, 32, 13,
     8},
    {OSC_AEAD_AES_CCM_64_64_128, "AES-CCM-64-64-128", OSC_AEAD_MODE_CCM, 16, 7,
     8},
    {OSC_AEAD_AES_CCM_64_64_256, "AES-CCM-64-64-256", OSC_AEAD_MODE_CCM, 32, 7,
     8},
    {OSC_AEAD_CHACHA20_POLY1305, "ChaCha20/Poly1305",
     OSC_AEAD_MODE_CHACHA20_POLY1305, 32, 12, 16},
    {OSC_AEAD_AES_CCM_16_128_128, "AES-CCM-16-128-128", OSC_AEAD_MODE_CCM, 16,
     13, 16},
    {OSC_AEAD_AES_CCM_16_128_256, "AES-CCM-16-128-256", OSC_AEAD_MODE_CCM, 32,
     13, 16},
    {OSC_AEAD_AES_CCM_64_128_128, "AES-CCM-64-128-128", OSC_AEAD_MODE_CCM, 16,
     7, 16},
    {OSC_AEAD_AES_CCM_64_128_256, "AES-CCM-64-128-256", OSC_AEAD_MODE_CCM, 32,
     7, 16},
};

#define AEAD_COUNT (sizeof aead_table / sizeof aead_table[0])

/* AES-CTR of RFC 9459 4, which Group OSCORE allows as Group Encryption
 * Algorithm: its nonce is 12 bytes (the counter block adds 4 zero
 * bytes), and it has no tag. */
static const osc_aead_alg ctr_table[] = {
    {OSC_CIPHER_A128CTR, "A128CTR", OSC_CIPHER_MODE_CTR, 16, 12, 0},
    {OSC_CIPHER_A192CTR, "A192CTR", OSC_CIPHER_MODE_CTR, 24, 12, 0},
    {OSC_CIPHER_A256CTR, "A256CTR", OSC_CIPHER_MODE_CTR, 32, 12, 0},
};

#define CTR_COUNT (sizeof ctr_table / sizeof ctr_table[0])

#define HASH_MAX_LEN 64 /* SHA-512 */

/* Overwrites secrets in a way the compiler may not drop as a dead store
 * (a plain memset before a return often is). */
static void wipe(void *p, size_t n)
{
    volatile uint8_t *v = p;
    while (n-- > 0) {
        *v++ = 0;
    }
}

/* ASCII-only case folding: names are ASCII, and the C library's
 * tolower() depends on the locale. */
static char ascii_lower(char c)
{
    return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

static bool ascii_equal_nocase(const char *a, const char *b)
{
    while (*a != '\0' && ascii_lower(*a) == ascii_lower(*b)) {
        a++;
        b++;
    }
    return *a == '\0' && *b == '\0';
}

/* Parses an optionally negative decimal integer that makes up the whole
 * string ("10", "-10"); false for anything else or beyond +-9999999, which
 * is far outside any COSE id used here. */
static bool parse_decimal(const char *s, int *out)
{
    bool negative = false;
    int value = 0;
    int digits = 0;
    if (*s == '-') {
        negative = true;
        s++;
    }
    for (; *s >= '0' && *s <= '9'; s++) {
        if (++digits > 7) {
            return false;
        }
        value = value * 10 + (*s - '0');
    }
    if (*s != '\0' || digits == 0) {
        return false;
    }
    *out = negative ? -value : value;
    return true;
}

const osc_aead_alg *osc_aead_by_id(int cose_id)
{
    for (size_t i = 0; i < AEAD_COUNT; i++) {
        if (aead_table[i].cose_id == cose_id) {
            return &aead_table[i];
        }
    }
    return NULL;
}

const osc_aead_alg *osc_aead_by_name(const char *name)
{
    int id;
    if (name == NULL) {
        return NULL;
    }
    /* Configuration files (and Wireshark UATs) often give the COSE id
     * instead of the name. */
    if (parse_decimal(name, &id)) {
        return osc_aead_by_id(id);
    }
    for (size_t i = 0; i < AEAD_COUNT; i++) {
        if (ascii_equal_nocase(name, aead_table[i].name)) {
            return &aead_table[i];
        }
    }
    return NULL;
}

const osc_aead_alg *osc_group_cipher_by_id(int cose_id)
{
    for (size_t i = 0; i < CTR_COUNT; i++) {
        if (ctr_table[i].cose_id == cose_id) {
            return &ctr_table[i];
        }
    }
    return osc_aead_by_id(cose_id);
}

const osc_aead_alg *osc_group_cipher_by_name(const char *name)
{
    int id;
    if (name == NULL) {
        return NULL;
    }
    if (parse_decimal(name, &id)) {
        return osc_group_cipher_by_id(id);
    }
    for (size_t i = 0; i < CTR_COUNT; i++) {
        if (ascii_equal_nocase(name, ctr_table[i].name)) {
            return &ctr_table[i];
        }
    }
    return osc_aead_by_name(name);
}

size_t osc_aead_count(void)
{
    return AEAD_COUNT;
}

const osc_aead_alg *osc_aead_at(size_t index)
{
    return index < AEAD_COUNT ? &aead_table[index] : NULL;
}

size_t osc_aead_max_id_len(const osc_aead_alg *alg)
{
    /* RFC 8613 5.2: the nonce holds 1 length byte and a 5-byte PIV. */
    return alg == NULL || alg->nonce_len < 6 ? 0 : alg->nonce_len - 6;
}

/* Compares a name with a reference spelling, ignoring case and dashes, so
 * "HKDF-SHA-256", "hkdf-sha256" and "HKDFSHA256" all match. */
static bool hkdf_name_matches(const char *name, const char *reference)
{
    for (;;) {
        while (*name == '-') {
            name++;
        }
        if (*name == '\0' || *reference == '\0') {
            return *name == '\0' && *reference == '\0';
        }
        if (ascii_lower(*name) != ascii_lower(*reference)) {
            return false;
        }
        name++;
        reference++;
    }
}

osc_status osc_hkdf_by_name(const char *name, osc_hkdf_alg *out)
{
    static const char direct_prefix[] = "direct+";
    const size_t prefix_len = sizeof direct_prefix - 1;
    int id;
    if (name == NULL || out == NULL) {
        return OSC_ERR_INVALID_ARGUMENT;
    }
    /* Numbers first: the dash of "-10" is a sign, not an optional dash. */
    if (parse_decimal(name, &id)) {
        /* -10/-11: COSE "direct+HKDF-SHA-256/512" (ACE profile, libcoap,
         * Californium); 5/7: HMAC 256/256 and 512/512 (Group OSCORE). */
        if (id == -10 || id == 5) {
            *out = OSC_HKDF_SHA256;
            return OSC_OK;
        }
        if (id == -11 || id == 7) {
            *out = OSC_HKDF_SHA512;
            return OSC_OK;
        }
        return OSC_ERR_UNKNOWN_HKDF;
    }
    /* The COSE registry name of -10/-11 names the same HKDF. */
    if (strlen(name) > prefix_len) {
        size_t i = 0;
        while (i < prefix_len && ascii_lower(name[i]) == direct_prefix[i]) {
            i++;
        }
        if (i == prefix_len) {
            name += prefix_len;
        }
    }
    if (hkdf_name_matches(name, "HKDFSHA256")) {
        *out = OSC_HKDF_SHA256;
        return OSC_OK;
    }
    if (hkdf_name_matches(name, "HKDFSHA512")) {
        *out = OSC_HKDF_SHA512;
        return OSC_OK;
    }
    return OSC_ERR_UNKNOWN_HKDF;
}

const char *osc_hkdf_name(osc_hkdf_alg alg)
{
    switch (alg) {
    case OSC_HKDF_SHA256:
        return "HKDF-SHA-256";
    case OSC_HKDF_SHA512:
        return "HKDF-SHA-512";
    }
    /* Never NULL, so callers can print the result unconditionally. */
    return "unknown";
}

/* One HMAC over up to three concatenated segments (HKDF needs
 * T(i-1) || info || i). Segments with length 0 are skipped. */
static osc_status hmac3(int mac_algo, const uint8_t *key, size_t key_len,
                        const uint8_t *a, size_t a_len, const uint8_t *b,
                        size_t b_len, const uint8_t *c, size_t c_len,
                        uint8_t *out, size_t out_len)
{
    gcry_mac_hd_t hd;
    size_t got = out_len;
    osc_status status = OSC_ERR_CRYPTO_BACKEND;

    if (gcry_mac_open(&hd, mac_algo, 0, NULL) != 0) {
        return OSC_ERR_CRYPTO_BACKEND;
    }
    if (gcry_mac_setkey(hd, key, key_len) != 0) {
        goto done;
    }
    if ((a_len > 0 && gcry_mac_write(hd, a, a_len) != 0) ||
        (b_len > 0 && gcry_mac_write(hd, b, b_len) != 0) ||
        (c_len > 0 && gcry_mac_write(hd, c, c_len) != 0)) {
        goto done;
    }
    if (gcry_mac_read(hd, out, &got) != 0 || got != out_len) {
        goto done;
    }
    status = OSC_OK;
done:
    gcry_mac_close(hd);
    return status;
}

osc_status osc_hkdf(osc_hkdf_alg alg, const uint8_t *salt, size_t salt_len,
                    const uint8_t *ikm, size_t ikm_len, const uint8_t *info,
                    size_t info_len, uint8_t *out, size_t out_len)
{
    static const uint8_t zero_salt[HASH_MAX_LEN];
    uint8_t prk[HASH_MAX_LEN];
    uint8_t t[HASH_MAX_LEN];
    size_t hash_len, t_len = 0, done = 0;
    int mac_algo;
    osc_status status;

    switch (alg) {
    case OSC_HKDF_SHA256:
        mac_algo = GCRY_MAC_HMAC_SHA256;
        hash_len = 32;
        break;
    case OSC_HKDF_SHA512:
        mac_algo = GCRY_MAC_HMAC_SHA512;
        hash_len = 64;
        break;
    default:
        return OSC_ERR_UNKNOWN_HKDF;
    }
    if ((salt == NULL && salt_len > 0) || (ikm == NULL && ikm_len > 0) ||
        (info == NULL && info_len > 0) || (out == NULL && out_len > 0) ||
        out_len > 255 * hash_len) {
        return OSC_ERR_INVALID_ARGUMENT;
    }

    /* Extract. RFC 5869 2.2: a missing salt is HashLen zero bytes (which
     * HMAC would pad an empty key to anyway; passing them explicitly
     * avoids relying on a zero-length key being accepted). */
    if (salt_len == 0) {
        salt = zero_salt;
        salt_len = hash_len;
    }
    status = hmac3(mac_algo, salt, salt_len, ikm, ikm_len, NULL, 0, NULL, 0,
                   prk, hash_len);

    /* Expand: T(i) = HMAC(PRK, T(i-1) || info || i), T(0) empty. */
    for (uint8_t counter = 1; status == OSC_OK && done < out_len; counter++) {
        size_t n;
        status = hmac3(mac_algo, prk, hash_len, t, t_len, info, info_len,
                       &counter, 1, t, hash_len);
        if (status != OSC_OK) {
            break;
        }
        t_len = hash_len;
        n = out_len - done < hash_len ? out_len - done : hash_len;
        memcpy(out + done, t, n);
        done += n;
    }
    wipe(prk, sizeof prk);
    wipe(t, sizeof t);
    if (status != OSC_OK && out != NULL) {
        wipe(out, out_len);
    }
    return status;
}

/* The nonce as IV, or for CTR as the first counter block: nonce followed
 * by a 32-bit block counter starting at zero (RFC 9459 4). */
static gcry_error_t set_nonce(gcry_cipher_hd_t hd, const osc_aead_alg *alg,
                              const uint8_t *nonce)
{
    if (alg->mode != OSC_CIPHER_MODE_CTR) {
        return gcry_cipher_setiv(hd, nonce, alg->nonce_len);
    }
    uint8_t counter[16] = {0};
    memcpy(counter, nonce, alg->nonce_len);
    return gcry_cipher_setctr(hd, counter, sizeof counter);
}

/* Opens and keys a cipher handle and sets the nonce, for either
 * direction. CCM also needs all lengths up front (it authenticates them
 * in its first block), so the caller passes the payload length. */
static osc_status aead_open(const osc_aead_alg *alg, const uint8_t *key,
                            const uint8_t *nonce, size_t payload_len,
                            size_t aad_len, gcry_cipher_hd_t *hd_out)
{
    gcry_cipher_hd_t hd;
    int cipher, mode;

    switch (alg->mode) {
    case OSC_AEAD_MODE_CCM:
    case OSC_AEAD_MODE_GCM:
    case OSC_CIPHER_MODE_CTR:
        mode = alg->mode == OSC_AEAD_MODE_CCM   ? GCRY_CIPHER_MODE_CCM
               : alg->mode == OSC_AEAD_MODE_GCM ? GCRY_CIPHER_MODE_GCM
                                                : GCRY_CIPHER_MODE_CTR;
        switch (alg->key_len) {
        case 16:
            cipher = GCRY_CIPHER_AES128;
            break;
        case 24:
            cipher = GCRY_CIPHER_AES192;
            break;
        case 32:
            cipher = GCRY_CIPHER_AES256;
            break;
        default:
            return OSC_ERR_UNKNOWN_AEAD;
        }
        break;
    case OSC_AEAD_MODE_CHACHA20_POLY1305:
        cipher = GCRY_CIPHER_CHACHA20;
        mode = GCRY_CIPHER_MODE_POLY1305;
        break;
    default:
        return OSC_ERR_UNKNOWN_AEAD;
    }

    if (gcry_cipher_open(&hd, cipher, mode, 0) != 0) {
        return OSC_ERR_CRYPTO_BACKEND;
    }
    if (gcry_cipher_setkey(hd, key, alg->key_len) != 0 ||
        set_nonce(hd, alg, nonce) != 0) {
        gcry_cipher_close(hd);
        return OSC_ERR_CRYPTO_BACKEND;
    }
    if (alg->mode == OSC_AEAD_MODE_CCM) {
        uint64_t lengths[3] = {payload_len, aad_len, alg->tag_len};
        if (gcry_cipher_ctl(hd, GCRYCTL_SET_CCM_LENGTHS, lengths,
                            sizeof lengths) != 0) {
            gcry_cipher_close(hd);
            return OSC_ERR_CRYPTO_BACKEND;
        }
    }
    *hd_out = hd;
    return OSC_OK;
}

/* Feeds the AAD to an AEAD; a CTR cipher has nothing to bind it to. */
static gcry_error_t authenticate_aad(gcry_cipher_hd_t hd,
                                     const osc_aead_alg *alg,
                                     const uint8_t *aad, size_t aad_len)
{
    if (alg->mode == OSC_CIPHER_MODE_CTR || aad_len == 0) {
        return 0;
    }
    return gcry_cipher_authenticate(hd, aad, aad_len);
}

/* Arguments both directions share. */
static osc_status check_common(const osc_aead_alg *alg, const uint8_t *key,
                               const uint8_t *nonce, const uint8_t *aad,
                               size_t aad_len)
{
    const osc_aead_alg *known;
    if (alg == NULL) {
        return OSC_ERR_INVALID_ARGUMENT;
    }
    /* Callers may pass a copy of a table entry, but its sizes must be the
     * table's: they bound fixed-size buffers here and in libgcrypt. */
    known = osc_group_cipher_by_id(alg->cose_id);
    if (known == NULL || known->mode != alg->mode ||
        known->key_len != alg->key_len || known->nonce_len != alg->nonce_len ||
        known->tag_len != alg->tag_len) {
        return OSC_ERR_UNKNOWN_AEAD;
    }
    if (key == NULL || nonce == NULL || (aad == NULL && aad_len > 0)) {
        return OSC_ERR_INVALID_ARGUMENT;
    }
    return OSC_OK;
}

osc_status osc_aead_encrypt(const osc_aead_alg *alg, const uint8_t *key,
                            const uint8_t *nonce, const uint8_t *aad,
                            size_t aad_len, const uint8_t *plaintext,
                            size_t plaintext_len, uint8_t *out, size_t out_cap)
{
    gcry_cipher_hd_t hd;
    osc_status status = check_common(alg, key, nonce, aad, aad_len);

    if (status != OSC_OK) {
        return status;
    }
    if ((plaintext == NULL && plaintext_len > 0) || out == NULL) {
        return OSC_ERR_INVALID_ARGUMENT;
    }
    if (plaintext_len > SIZE_MAX - alg->tag_len ||
        out_cap < plaintext_len + alg->tag_len) {
        return OSC_ERR_BUFFER_TOO_SMALL;
    }
    status = aead_open(alg, key, nonce, plaintext_len, aad_len, &hd);
    if (status != OSC_OK) {
        return status;
    }
    /* Encrypting in place inside `out` makes in-place calls (out ==
     * plaintext) and any other overlap behave the same. */
    if (plaintext_len > 0) {
        memmove(out, plaintext, plaintext_len);
    }
    status = OSC_ERR_CRYPTO_BACKEND;
    if (authenticate_aad(hd, alg, aad, aad_len) != 0) {
        goto done;
    }
    if (gcry_cipher_encrypt(hd, out, plaintext_len, NULL, 0) != 0) {
        goto done;
    }
    if (alg->tag_len > 0 &&
        gcry_cipher_gettag(hd, out + plaintext_len, alg->tag_len) != 0) {
        goto done;
    }
    status = OSC_OK;
done:
    gcry_cipher_close(hd);
    if (status != OSC_OK) {
        wipe(out, plaintext_len + alg->tag_len);
    }
    return status;
}

osc_status osc_aead_decrypt(const osc_aead_alg *alg, const uint8_t *key,
                            const uint8_t *nonce, const uint8_t *aad,
                            size_t aad_len, const uint8_t *ciphertext,
                            size_t ciphertext_len, uint8_t *out, size_t out_cap)
{
    gcry_cipher_hd_t hd;
    uint8_t tag[OSC_MAX_TAG_LEN];
    size_t plaintext_len;
    gcry_error_t err;
    osc_status status = check_common(alg, key, nonce, aad, aad_len);

    if (status != OSC_OK) {
        return status;
    }
    if ((ciphertext == NULL && ciphertext_len > 0) ||
        (out == NULL && out_cap > 0)) {
        return OSC_ERR_INVALID_ARGUMENT;
    }
    if (ciphertext_len < alg->tag_len) {
        /* Cannot even hold a tag: nothing authentic in it. */
        if (out != NULL) {
            wipe(out, out_cap);
        }
        return OSC_ERR_AUTH_FAILED;
    }
    plaintext_len = ciphertext_len - alg->tag_len;
    if (out_cap < plaintext_len || (out == NULL && plaintext_len > 0)) {
        return OSC_ERR_BUFFER_TOO_SMALL;
    }
    status = aead_open(alg, key, nonce, plaintext_len, aad_len, &hd);
    if (status != OSC_OK) {
        return status;
    }
    /* The tag is saved first and the ciphertext moved into `out`, so an
     * in-place call (out == ciphertext) cannot overwrite either before
     * they are used. */
    memcpy(tag, ciphertext + plaintext_len, alg->tag_len);
    if (plaintext_len > 0) {
        memmove(out, ciphertext, plaintext_len);
    }
    status = OSC_ERR_CRYPTO_BACKEND;
    if (authenticate_aad(hd, alg, aad, aad_len) != 0) {
        goto done;
    }
    /* out may be NULL only for an empty plaintext; libgcrypt still wants
     * a valid (zero-length) buffer. */
    if (gcry_cipher_decrypt(hd, out != NULL ? out : tag, plaintext_len, NULL,
                            0) != 0) {
        goto done;
    }
    err = alg->tag_len > 0 ? gcry_cipher_checktag(hd, tag, alg->tag_len) : 0;
    if (gcry_err_code(err) == GPG_ERR_CHECKSUM) {
        status = OSC_ERR_AUTH_FAILED;
    } else if (err == 0) {
        status = OSC_OK;
    }
done:
    gcry_cipher_close(hd);
    if (status != OSC_OK) {
        /* The plaintext was produced before the tag could be checked;
         * none of it may reach the caller. */
        wipe(out, out_cap);
    }
    return status;
}
