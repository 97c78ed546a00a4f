/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Public-key primitives Group OSCORE needs (RFC 10021), through
 * libgcrypt: Ed25519 signatures (COSE EdDSA, -8) and X25519 key agreement
 * from Ed25519 keys (the Edwards-to-Montgomery map of RFC 7748 4.1);
 * ECDSA P-256 signatures (COSE ES256, -7, RFC 9053 2.1) and P-256 ECDH,
 * used for pairwise keys. Stateless; keys are raw byte strings: 32-byte
 * Ed25519 seeds and public keys, 32-byte P-256 private scalars and 64-byte
 * P-256 public keys (x || y).
 */
#ifndef OSCORE_SIGNATURE_H
#define OSCORE_SIGNATURE_H

#include <stddef.h>
#include <stdint.h>

#include "oscore/status.h"

#define OSC_ED25519_KEY_LEN 32
#define OSC_ED25519_SIGNATURE_LEN 64
#define OSC_X25519_LEN 32
#define OSC_P256_PRIVATE_KEY_LEN 32
#define OSC_P256_PUBLIC_KEY_LEN 64 /* x || y, big endian */
#define OSC_P256_SIGNATURE_LEN 64  /* r || s, as COSE carries it */
#define OSC_P256_SHARED_LEN 32     /* the x coordinate */

/* The curve of a credential's key, which fixes the signature algorithm
 * and the key agreement its holder uses. */
typedef enum osc_key_curve {
    OSC_CURVE_NONE = 0,
    OSC_CURVE_ED25519, /* COSE OKP, crv 6: EdDSA and X25519 */
    OSC_CURVE_P256     /* COSE EC2, crv 1: ES256 and ECDH P-256 */
} osc_key_curve;

#define OSC_MAX_PUBLIC_KEY_LEN 64
#define OSC_MAX_PRIVATE_KEY_LEN 32
#define OSC_MAX_SIGNATURE_LEN 64
#define OSC_MAX_SHARED_SECRET_LEN 32

/* Signs message with the Ed25519 private key (32-byte seed), RFC 8032.
 * Deterministic. Errors: OSC_ERR_CRYPTO_BACKEND. */
osc_status osc_ed25519_sign(const uint8_t seed[OSC_ED25519_KEY_LEN],
                            const uint8_t *message, size_t message_len,
                            uint8_t signature[OSC_ED25519_SIGNATURE_LEN]);

/* OSC_OK when signature is valid for message under the public key;
 * OSC_ERR_SIGNATURE_INVALID otherwise (also for a malformed key). */
osc_status
osc_ed25519_verify(const uint8_t public_key[OSC_ED25519_KEY_LEN],
                   const uint8_t *message, size_t message_len,
                   const uint8_t signature[OSC_ED25519_SIGNATURE_LEN]);

/* Montgomery u-coordinate of an Ed25519 public key: u = (1+y)/(1-y)
 * mod p. OSC_ERR_INVALID_ARGUMENT for y = 1 (no u). */
osc_status
osc_x25519_public_from_ed25519(const uint8_t public_key[OSC_ED25519_KEY_LEN],
                               uint8_t u[OSC_X25519_LEN]);

/* X25519(scalar of the Ed25519 seed, peer's u): the scalar is the first
 * half of SHA-512(seed), clamped by X25519 itself (RFC 7748 5). */
osc_status osc_x25519_shared_secret(const uint8_t seed[OSC_ED25519_KEY_LEN],
                                    const uint8_t peer_u[OSC_X25519_LEN],
                                    uint8_t shared[OSC_X25519_LEN]);

/* ES256: ECDSA over SHA-256 of message with the P-256 private scalar d,
 * with the deterministic nonce of RFC 6979 (so signatures are
 * reproducible). Errors: OSC_ERR_INVALID_ARGUMENT (d not in [1, n-1]),
 * OSC_ERR_CRYPTO_BACKEND. */
osc_status osc_es256_sign(const uint8_t d[OSC_P256_PRIVATE_KEY_LEN],
                          const uint8_t *message, size_t message_len,
                          uint8_t signature[OSC_P256_SIGNATURE_LEN]);

/* OSC_OK when the r || s signature is valid for message under the public
 * key; OSC_ERR_SIGNATURE_INVALID otherwise (also for a point off the
 * curve). */
osc_status osc_es256_verify(const uint8_t public_key[OSC_P256_PUBLIC_KEY_LEN],
                            const uint8_t *message, size_t message_len,
                            const uint8_t signature[OSC_P256_SIGNATURE_LEN]);

/* The public key d * G of a P-256 private scalar. */
osc_status
osc_p256_public_from_private(const uint8_t d[OSC_P256_PRIVATE_KEY_LEN],
                             uint8_t public_key[OSC_P256_PUBLIC_KEY_LEN]);

/* ECDH on P-256: the x coordinate of d * peer (RFC 9053 6.3.1).
 * OSC_ERR_INVALID_ARGUMENT when peer is not a point of the curve. */
osc_status
osc_p256_shared_secret(const uint8_t d[OSC_P256_PRIVATE_KEY_LEN],
                       const uint8_t peer_public[OSC_P256_PUBLIC_KEY_LEN],
                       uint8_t shared[OSC_P256_SHARED_LEN]);

/* The signature of the curve's algorithm (EdDSA or ES256); both are
 * OSC_MAX_SIGNATURE_LEN bytes. private_key: Ed25519 seed or P-256 d. */
osc_status osc_curve_sign(osc_key_curve curve, const uint8_t *private_key,
                          const uint8_t *message, size_t message_len,
                          uint8_t signature[OSC_MAX_SIGNATURE_LEN]);
osc_status osc_curve_verify(osc_key_curve curve, const uint8_t *public_key,
                            const uint8_t *message, size_t message_len,
                            const uint8_t signature[OSC_MAX_SIGNATURE_LEN]);

/* The ECDH shared secret of the curve (X25519 from Ed25519 keys, or
 * P-256), OSC_MAX_SHARED_SECRET_LEN bytes: own private key with the
 * peer's public key. */
osc_status osc_curve_shared_secret(osc_key_curve curve,
                                   const uint8_t *private_key,
                                   const uint8_t *peer_public_key,
                                   uint8_t shared[OSC_MAX_SHARED_SECRET_LEN]);

#endif
