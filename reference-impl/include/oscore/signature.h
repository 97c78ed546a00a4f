/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Public-key primitives Group OSCORE needs (RFC 10021), through
 * libgcrypt: Ed25519 signatures (COSE EdDSA, -8) and X25519 key agreement
 * from Ed25519 keys (the Edwards-to-Montgomery map of RFC 7748 4.1), used
 * for pairwise keys. Stateless; keys are raw 32-byte strings.
 */
#ifndef OSCORE_SIGNATURE_H
#define OSCORE_SIGNATURE_H

#include <stddef.h>
#include <stdint.h>

#include "oscore/status.h"

#define OSC_ED25519_KEY_LEN 32
#define OSC_ED25519_SIGNATURE_LEN 64
#define OSC_X25519_LEN 32

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

#endif
