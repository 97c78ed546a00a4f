/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Ed25519, X25519, ECDSA P-256 and P-256 ECDH through libgcrypt, for
 * Group OSCORE.
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

static const char p256_curve[] = "NIST P-256";

/* A big-endian MPI into exactly len bytes, left-padded with zeros (r, s
 * and coordinates lose their leading zero bytes in an MPI). */
static bool mpi_to_be(gcry_mpi_t value, uint8_t *out, size_t len)
{
    uint8_t be[66];
    size_t written = 0;
    if (gcry_mpi_print(GCRYMPI_FMT_USG, be, sizeof be, &written, value) != 0 ||
        written > len)
        return false;
    memset(out, 0, len - written);
    memcpy(out + len - written, be, written);
    return true;
}

/* Copies the named MPI of an S-expression into len bytes. */
static bool sexp_mpi_to_be(gcry_sexp_t sexp, const char *name, uint8_t *out,
                           size_t len)
{
    gcry_sexp_t token = gcry_sexp_find_token(sexp, name, 0);
    gcry_mpi_t value =
        token ? gcry_sexp_nth_mpi(token, 1, GCRYMPI_FMT_USG) : NULL;
    bool ok = value && mpi_to_be(value, out, len);
    gcry_mpi_release(value);
    gcry_sexp_release(token);
    return ok;
}

/* The SHA-256 digest ECDSA signs, as libgcrypt wants it. */
static gcry_error_t es256_data(const uint8_t *message, size_t message_len,
                               bool deterministic, gcry_sexp_t *data)
{
    uint8_t digest[32];
    gcry_md_hash_buffer(GCRY_MD_SHA256, digest, message, message_len);
    return gcry_sexp_build(data, NULL,
                           deterministic
                               ? "(data (flags rfc6979) (hash sha256 %b))"
                               : "(data (flags raw) (value %b))",
                           (int)sizeof digest, digest);
}

osc_status osc_es256_sign(const uint8_t d[OSC_P256_PRIVATE_KEY_LEN],
                          const uint8_t *message, size_t message_len,
                          uint8_t signature[OSC_P256_SIGNATURE_LEN])
{
    uint8_t q[1 + OSC_P256_PUBLIC_KEY_LEN] = {0x04};
    osc_status status = osc_p256_public_from_private(d, q + 1);
    if (status != OSC_OK)
        return status;
    gcry_sexp_t key = NULL, data = NULL, sig = NULL;
    status = OSC_ERR_CRYPTO_BACKEND;
    if (gcry_sexp_build(
            &key, NULL, "(private-key (ecc (curve %s) (q %b) (d %b)))",
            p256_curve, (int)sizeof q, q, OSC_P256_PRIVATE_KEY_LEN, d) != 0 ||
        es256_data(message, message_len, true, &data) != 0 ||
        gcry_pk_sign(&sig, data, key) != 0)
        goto done;
    if (sexp_mpi_to_be(sig, "r", signature, 32) &&
        sexp_mpi_to_be(sig, "s", signature + 32, 32))
        status = OSC_OK;
done:
    gcry_sexp_release(key);
    gcry_sexp_release(data);
    gcry_sexp_release(sig);
    return status;
}

osc_status osc_es256_verify(const uint8_t public_key[OSC_P256_PUBLIC_KEY_LEN],
                            const uint8_t *message, size_t message_len,
                            const uint8_t signature[OSC_P256_SIGNATURE_LEN])
{
    uint8_t q[1 + OSC_P256_PUBLIC_KEY_LEN] = {0x04};
    memcpy(q + 1, public_key, OSC_P256_PUBLIC_KEY_LEN);
    gcry_sexp_t key = NULL, data = NULL, sig = NULL;
    osc_status status = OSC_ERR_SIGNATURE_INVALID;
    /* The plain (not deterministic) form of the digest: verification
     * does not depend on how the signer chose its nonce. */
    if (gcry_sexp_build(&key, NULL, "(public-key (ecc (curve %s) (q %b)))",
                        p256_curve, (int)sizeof q, q) != 0 ||
        es256_data(message, message_len, false, &data) != 0 ||
        gcry_sexp_build(&sig, NULL, "(sig-val (ecdsa (r %b) (s %b)))", 32,
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

/* scalar * point on P-256, or scalar * G when point_bytes is NULL; the
 * affine result as x || y. */
static osc_status p256_multiply(const uint8_t scalar[32],
                                const uint8_t *point_bytes,
                                uint8_t out[OSC_P256_PUBLIC_KEY_LEN])
{
    gcry_ctx_t ctx = NULL;
    gcry_mpi_t k = NULL, n = NULL, x = gcry_mpi_new(256), y = gcry_mpi_new(256);
    gcry_mpi_point_t point = NULL, result = gcry_mpi_point_new(0);
    osc_status status = OSC_ERR_CRYPTO_BACKEND;
    if (gcry_mpi_ec_new(&ctx, NULL, p256_curve) != 0 ||
        gcry_mpi_scan(&k, GCRYMPI_FMT_USG, scalar, 32, NULL) != 0 ||
        !(n = gcry_mpi_ec_get_mpi("n", ctx, 1)))
        goto done;
    status = OSC_ERR_INVALID_ARGUMENT;
    if (gcry_mpi_cmp_ui(k, 0) == 0 || gcry_mpi_cmp(k, n) >= 0)
        goto done; /* not a private key of the curve */
    if (point_bytes) {
        uint8_t sec1[1 + OSC_P256_PUBLIC_KEY_LEN] = {0x04};
        memcpy(sec1 + 1, point_bytes, OSC_P256_PUBLIC_KEY_LEN);
        gcry_mpi_t encoded = gcry_mpi_set_opaque_copy(NULL, sec1, 8 * 65);
        point = gcry_mpi_point_new(0);
        bool decoded =
            encoded && gcry_mpi_ec_decode_point(point, encoded, ctx) == 0;
        gcry_mpi_release(encoded);
        if (!decoded || !gcry_mpi_ec_curve_point(point, ctx))
            goto done; /* not a point of P-256 */
    } else if (!(point = gcry_mpi_ec_get_point("g", ctx, 1))) {
        goto done;
    }
    gcry_mpi_ec_mul(result, k, point, ctx);
    status = OSC_ERR_CRYPTO_BACKEND;
    if (gcry_mpi_ec_get_affine(x, y, result, ctx) == 0 &&
        mpi_to_be(x, out, 32) && mpi_to_be(y, out + 32, 32))
        status = OSC_OK;
done:
    gcry_mpi_release(k);
    gcry_mpi_release(n);
    gcry_mpi_release(x);
    gcry_mpi_release(y);
    gcry_mpi_point_release(point);
    gcry_mpi_point_release(result);
    gcry_ctx_release(ctx);
    return status;
}

osc_status
osc_p256_public_from_private(const uint8_t d[OSC_P256_PRIVATE_KEY_LEN],
                             uint8_t public_key[OSC_P256_PUBLIC_KEY_LEN])
{
    return p256_multiply(d, NULL, public_key);
}

osc_status
osc_p256_shared_secret(const uint8_t d[OSC_P256_PRIVATE_KEY_LEN],
                       const uint8_t peer_public[OSC_P256_PUBLIC_KEY_LEN],
                       uint8_t shared[OSC_P256_SHARED_LEN])
{
    uint8_t point[OSC_P256_PUBLIC_KEY_LEN];
    osc_status status = p256_multiply(d, peer_public, point);
    if (status == OSC_OK)
        memcpy(shared, point, OSC_P256_SHARED_LEN);
    memset(point, 0, sizeof point);
    return status;
}

osc_status osc_curve_sign(osc_key_curve curve, const uint8_t *private_key,
                          const uint8_t *message, size_t message_len,
                          uint8_t signature[OSC_MAX_SIGNATURE_LEN])
{
    switch (curve) {
    case OSC_CURVE_ED25519:
        return osc_ed25519_sign(private_key, message, message_len, signature);
    case OSC_CURVE_P256:
        return osc_es256_sign(private_key, message, message_len, signature);
    default:
        return OSC_ERR_GROUP_UNSUPPORTED;
    }
}

osc_status osc_curve_verify(osc_key_curve curve, const uint8_t *public_key,
                            const uint8_t *message, size_t message_len,
                            const uint8_t signature[OSC_MAX_SIGNATURE_LEN])
{
    switch (curve) {
    case OSC_CURVE_ED25519:
        return osc_ed25519_verify(public_key, message, message_len, signature);
    case OSC_CURVE_P256:
        return osc_es256_verify(public_key, message, message_len, signature);
    default:
        return OSC_ERR_SIGNATURE_INVALID;
    }
}

osc_status osc_curve_shared_secret(osc_key_curve curve,
                                   const uint8_t *private_key,
                                   const uint8_t *peer_public_key,
                                   uint8_t shared[OSC_MAX_SHARED_SECRET_LEN])
{
    if (curve == OSC_CURVE_P256)
        return osc_p256_shared_secret(private_key, peer_public_key, shared);
    if (curve != OSC_CURVE_ED25519)
        return OSC_ERR_GROUP_UNSUPPORTED;
    uint8_t peer_u[OSC_X25519_LEN];
    osc_status status = osc_x25519_public_from_ed25519(peer_public_key, peer_u);
    if (status == OSC_OK)
        status = osc_x25519_shared_secret(private_key, peer_u, shared);
    return status;
}
