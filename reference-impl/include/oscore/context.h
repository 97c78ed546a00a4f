/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * OSCORE Security Context derivation (RFC 8613 section 3.2).
 *
 * A context is derived once from its parameters and is read-only
 * afterwards; per-message code only reads it. It is described from the
 * view of one endpoint ("sender" = the endpoint whose Sender ID is
 * sender_id). Which of the two parties produced a given message is an
 * argument of the message functions (osc_party), so the same context
 * serves the endpoint that sends, the one that receives, and a passive
 * observer.
 */
#ifndef OSCORE_CONTEXT_H
#define OSCORE_CONTEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "oscore/algorithms.h"
#include "oscore/status.h"

#define OSC_MAX_SECRET_LEN 64
#define OSC_MAX_SALT_LEN 64
#define OSC_MAX_ID_LEN 7
#define OSC_MAX_ID_CONTEXT_LEN 255 /* kid context length is one byte */

typedef struct osc_context_params {
    uint8_t master_secret[OSC_MAX_SECRET_LEN];
    size_t master_secret_len;
    uint8_t master_salt[OSC_MAX_SALT_LEN];
    size_t master_salt_len;
    bool has_id_context;
    uint8_t id_context[OSC_MAX_ID_CONTEXT_LEN];
    size_t id_context_len;
    uint8_t sender_id[OSC_MAX_ID_LEN];
    size_t sender_id_len;
    uint8_t recipient_id[OSC_MAX_ID_LEN];
    size_t recipient_id_len;
    int aead_id;       /* COSE id, e.g. OSC_AEAD_AES_CCM_16_64_128 */
    osc_hkdf_alg hkdf; /* OSC_HKDF_SHA256 by default */
} osc_context_params;

/* The party of a context that produced a message. */
typedef enum osc_party {
    OSC_PARTY_SENDER = 0,   /* the endpoint whose ID is sender_id */
    OSC_PARTY_RECIPIENT = 1 /* the endpoint whose ID is recipient_id */
} osc_party;

static inline osc_party osc_party_peer(osc_party party)
{
    return party == OSC_PARTY_SENDER ? OSC_PARTY_RECIPIENT : OSC_PARTY_SENDER;
}

typedef struct osc_context {
    const osc_aead_alg *aead;
    osc_hkdf_alg hkdf;
    bool has_id_context;
    uint8_t id_context[OSC_MAX_ID_CONTEXT_LEN];
    size_t id_context_len;
    /* Indexed by osc_party. */
    uint8_t id[2][OSC_MAX_ID_LEN];
    size_t id_len[2];
    uint8_t key[2][OSC_MAX_KEY_LEN];
    uint8_t common_iv[OSC_MAX_NONCE_LEN];
} osc_context;

/* Sets defaults: empty everything, AES-CCM-16-64-128, HKDF-SHA-256. */
void osc_context_params_init(osc_context_params *params);

/*
 * Derives Sender Key, Recipient Key and Common IV.
 * Errors: OSC_ERR_UNKNOWN_AEAD, OSC_ERR_UNKNOWN_HKDF, OSC_ERR_ID_TOO_LONG
 * (an ID longer than nonce length - 6), OSC_ERR_SECRET_TOO_LONG,
 * OSC_ERR_INVALID_ARGUMENT (lengths beyond the arrays),
 * OSC_ERR_CRYPTO_BACKEND.
 */
osc_status osc_context_derive(const osc_context_params *params,
                              osc_context *out);

/*
 * Builds the CBOR "info" of RFC 8613 3.2.1 for a derivation:
 * id, id_context (or nil), alg_aead, type ("Key"/"IV"), L.
 * Exposed for tests and for the plugin's derived-key display.
 */
osc_status osc_context_info(const uint8_t *id, size_t id_len,
                            bool has_id_context, const uint8_t *id_context,
                            size_t id_context_len, int aead_id,
                            const char *type, size_t out_length, uint8_t *out,
                            size_t cap, size_t *written);

/* The same context seen from the other endpoint (sender and recipient
 * swapped). No derivation happens. */
void osc_context_swap(const osc_context *in, osc_context *out);

#endif
