/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Ed25519 and X25519 through libgcrypt, for Group OSCORE.
 */
#include "oscore/signature.h"

#include <gcrypt.h>
#include <stdbool.h>
#include <string.h>

#include "oscore/algorithms.h"

/* The message as PureEdDSA signs it (RFC 8032: SHA-512 inside). */
static gcry_error_t message_sexp(const uint8_t *message, size_t message_len,
                                 gcry_sexp_t *data)
{
    return gcry_sexp_build(data, NULL,
                           "(data (flags eddsa) (hash-algo sha512) (value %b))",
                           (int)message_len, message);
}

osc_status osc_ed25519_sign(const uint8_t seed[OSC_ED25519_KEY_LEN],
                            const uint8_t *message, size_t message_len,
                            uint8_t signature[OSC_ED25519_SIGNATURE_LEN])
{
    gcry_sexp_t key = NULL, data = NULL, sig = NULL;
    osc_status status = OSC_ERR_CRYPTO_BACKEND;
    if (gcry_sexp_build(&key, NULL,
                        "(private-key (ecc (curve Ed25519) (flags eddsa) "
                        "(d %b)))",
                        OSC_ED25519_KEY_LEN, seed) != 0)
        goto done;
    if (message_sexp(message, message_len, &data) != 0)
        goto done;
    if (gcry_pk_sign(&sig, data, key) != 0)
        goto done;

    /* r and s are 32 bytes each, little endian, as RFC 8032 encodes them:
     * libgcrypt keeps EdDSA values opaque, so no leading zero is lost. */
    static const char *const parts[2] = {"r", "s"};
    for (int i = 0; i < 2; i++) {
        gcry_sexp_t token = gcry_sexp_find_token(sig, parts[i], 0);
        size_t len = 0;
        const char *bytes = token ? gcry_sexp_nth_data(token, 1, &len) : NULL;
        if (!bytes || len != 32) {
            gcry_sexp_release(token);
            goto done;
        }
        memcpy(signature + 32 * i, bytes, 32);
        gcry_sexp_release(token);
    }
    status = OSC_OK;
done:
    gcry_sexp_release(key);
    gcry_sexp_release(data);
    gcry_sexp_release(sig);
    return status;
}

osc_status
osc_ed25519_verify(const uint8_t public_key[OSC_ED25519_KEY_LEN],
                   const uint8_t *message, size_t message_len,
                   const uint8_t signature[OSC_ED25519_SIGNATURE_LEN])
{
    gcry_sexp_t key = NULL, data = NULL, sig = NULL;
    osc_status status = OSC_ERR_SIGNATURE_INVALID;
    if (gcry_sexp_build(&key, NULL,
                        "(public-key (ecc (curve Ed25519) (flags eddsa) "
                        "(q %b)))",
                        OSC_ED25519_KEY_LEN, public_key) != 0)
        goto done;
    if (message_sexp(message, message_len, &data) != 0)
        goto done;
    if (gcry_sexp_build(&sig, NULL, "(sig-val (eddsa (r %b) (s %b)))", 32,
                        signature, 32, signature + 32) != 0)
        goto done;
    if (gcry_pk_verify(sig, data, key) == 0)
        status = OSC_OK;
done:
    gcry_sexp_release(key);
    gcry_sexp_release(data);
    gcry_sexp_release(sig);
    return status;
}

/* Little-endian 32 bytes to an MPI (libgcrypt scans big endian). */
static gcry_mpi_t mpi_from_le(const uint8_t bytes[32])
{
    uint8_t be[32];
    for (int i = 0; i < 32; i++)
        be[i] = bytes[31 - i];
    gcry_mpi_t value = NULL;
    if (gcry_mpi_scan(&value, GCRYMPI_FMT_USG, be, sizeof be, NULL) != 0)
        return NULL;
    return value;
}

static bool mpi_to_le(gcry_mpi_t value, uint8_t out[32])
{
    uint8_t be[32];
    size_t written = 0;
    if (gcry_mpi_print(GCRYMPI_FMT_USG, be, sizeof be, &written, value) != 0)
        return false;
    memset(out, 0, 32);
    for (size_t i = 0; i < written; i++)
        out[i] = be[written - 1 - i];
    return true;
}

osc_status
osc_x25519_public_from_ed25519(const uint8_t public_key[OSC_ED25519_KEY_LEN],
                               uint8_t u[OSC_X25519_LEN])
{
    uint8_t y_bytes[32];
    memcpy(y_bytes, public_key, 32);
    y_bytes[31] &= 0x7f; /* the top bit is the sign of x */

    gcry_mpi_t p = NULL, y = mpi_from_le(y_bytes);
    gcry_mpi_t one = gcry_mpi_set_ui(NULL, 1);
    gcry_mpi_t numerator = gcry_mpi_new(256);
    gcry_mpi_t denominator = gcry_mpi_new(256);
    gcry_mpi_t result = gcry_mpi_new(256);
    osc_status status = OSC_ERR_CRYPTO_BACKEND;
    /* p = 2^255 - 19 */
    if (!y || gcry_mpi_scan(&p, GCRYMPI_FMT_HEX,
                            "7fffffffffffffffffffffffffffffffffffffffffffffff"
                            "ffffffffffffffed",
                            0, NULL) != 0)
        goto done;
    gcry_mpi_addm(numerator, one, y, p);
    gcry_mpi_subm(denominator, one, y, p);
    if (gcry_mpi_cmp_ui(denominator, 0) == 0) {
        status = OSC_ERR_INVALID_ARGUMENT; /* y = 1: the neutral point */
        goto done;
    }
    if (!gcry_mpi_invm(denominator, denominator, p))
        goto done;
    gcry_mpi_mulm(result, numerator, denominator, p);
    if (mpi_to_le(result, u))
        status = OSC_OK;
done:
    gcry_mpi_release(p);
    gcry_mpi_release(y);
    gcry_mpi_release(one);
    gcry_mpi_release(numerator);
    gcry_mpi_release(denominator);
    gcry_mpi_release(result);
    return status;
}

osc_status osc_x25519_shared_secret(const uint8_t seed[OSC_ED25519_KEY_LEN],
                                    const uint8_t peer_u[OSC_X25519_LEN],
                                    uint8_t shared[OSC_X25519_LEN])
{
    uint8_t digest[64];
    gcry_md_hash_buffer(GCRY_MD_SHA512, digest, seed, OSC_ED25519_KEY_LEN);
    osc_status status = OSC_OK;
    if (gcry_ecc_mul_point(GCRY_ECC_CURVE25519, shared, digest, peer_u) != 0)
        status = OSC_ERR_CRYPTO_BACKEND;
    memset(digest, 0, sizeof digest);
    return status;
}
