/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * One OSCORE layer: protect a CoAP message once, or remove one
 * protection (RFC 8613 sections 8.1-8.4, applied once per layer as the
 * OSCORE-capable-proxies draft does).
 *
 * Memory: nothing is allocated. Every output that needs bytes of its own
 * (OSCORE option value, ciphertext, AAD, plaintext) goes into a work
 * buffer the caller passes; the output message's option values point
 * into the input message's buffers and into that work buffer, so both
 * must outlive the output message.
 */
#ifndef OSCORE_LAYER_H
#define OSCORE_LAYER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "oscore/coap.h"
#include "oscore/context.h"
#include "oscore/option_value.h"
#include "oscore/status.h"

/* What a response layer needs from the request layer it answers: the
 * AAD binding (request kid and Partial IV) and, for a response without
 * its own Partial IV, the request's nonce. */
struct osc_group_context; /* group.h */

typedef struct osc_request_binding {
    const osc_context *ctx;
    osc_party requester; /* the party of ctx that sent the request */
    uint8_t kid[OSC_MAX_ID_LEN];
    size_t kid_len;
    uint8_t piv[OSC_MAX_PIV_LEN];
    size_t piv_len;
    uint8_t nonce[OSC_MAX_NONCE_LEN];
    size_t nonce_len;
    /* Group OSCORE request layers (ctx is NULL then): the group, the
     * mode, the requester's member index and, for pairwise mode, the
     * member the request was for (its responses use that pairwise key). */
    const struct osc_group_context *group;
    bool group_mode;
    size_t requester_member;
    size_t responder_member;
} osc_request_binding;

/* Extra outer-only options to encrypt inside this layer (the result of
 * the option protection steps of draft-ietf-core-oscore-capable-proxies 2.2
 * for this layer). */
#define OSC_MAX_ESCALATED 16

typedef struct osc_protect_params {
    const osc_context *ctx;
    osc_party party; /* the party of ctx producing the message */
    /* Requests, and responses that carry their own Partial IV: the
     * producer's sender sequence number. */
    uint64_t sequence_number;
    /* Requests: also send the context's ID Context as kid context. */
    bool include_kid_context;
    /* Responses only: the request layer this response layer answers, and
     * whether this response carries its own Partial IV
     * (draft-ietf-core-oscore-capable-proxies 2.5.1). */
    const osc_request_binding *request;
    bool response_with_piv;
    /* Outer-only options moved inside this layer (e.g. OSCORE of the
     * previous layer, Proxy-Scheme, Uri-Host with Proxy-Scheme). */
    uint16_t escalated[OSC_MAX_ESCALATED];
    size_t escalated_count;
} osc_protect_params;

/* Bytes of work buffer osc_layer_protect needs for this message. */
size_t osc_layer_protect_work_size(const osc_coap_message *in,
                                   const osc_context *ctx);

/*
 * Protects `in` once. Class E options (and the escalated outer-only
 * ones) and the payload go into the plaintext; Observe goes both inside
 * and outside (inside empty for notifications); the outer code becomes
 * POST or FETCH (with Observe) for requests, 2.04 or 2.05 (with Observe)
 * for responses, as RFC 8613 4.2 says.
 * On success *out is the protected message and *binding (may be NULL)
 * describes the layer (for a request: what its responses bind to).
 * Errors: OSC_ERR_BUFFER_TOO_SMALL, OSC_ERR_NO_REQUEST_BINDING (response
 * without params->request), OSC_ERR_PIV_EXHAUSTED, OSC_ERR_ID_TOO_LONG,
 * codec errors, OSC_ERR_CRYPTO_BACKEND.
 */
osc_status osc_layer_protect(const osc_coap_message *in,
                             const osc_protect_params *params, uint8_t *work,
                             size_t work_cap, osc_coap_message *out,
                             osc_request_binding *binding);

/* A context a request's kid may designate, and which party sent it. */
typedef struct osc_candidate {
    const osc_context *ctx;
    osc_party party;
    size_t index; /* caller's identifier (e.g. position in a context set) */
} osc_candidate;

/* Everything known about one removed (or attempted) layer. */
typedef struct osc_layer_result {
    osc_status status;
    bool is_request;
    osc_option_value option; /* this layer's OSCORE option (points into
                                the input message) */
    /* The context used (decrypted) or, on OSC_ERR_AUTH_FAILED, the last
     * one tried; NULL when none applied. */
    const osc_context *ctx;
    osc_party producer; /* the party of ctx that produced the message */
    size_t candidate_index;
    size_t candidates_tried;
    /* Requests removed through a context set (peel.h): how many contexts
     * of the set match the layer's (kid context, kid), before the
     * OSC_MAX_CANDIDATES cap and any requester filter, and whether that cap
     * left some untried. With candidates_truncated, OSC_ERR_AUTH_FAILED only
     * says that the contexts tried did not authenticate: a caller should report
     * the cap (too many contexts share this kid) rather than a forgery. */
    size_t candidates_matched;
    bool candidates_truncated;
    /* AEAD inputs actually used. */
    uint8_t request_kid[OSC_MAX_ID_LEN];
    size_t request_kid_len;
    uint8_t request_piv[OSC_MAX_PIV_LEN];
    size_t request_piv_len;
    uint8_t nonce[OSC_MAX_NONCE_LEN];
    size_t nonce_len;
    const uint8_t *aad; /* into the work buffer */
    size_t aad_len;
    /* EDHOC + OSCORE combined request (RFC 9668): the EDHOC message_3
     * that preceded the ciphertext; NULL otherwise. */
    const uint8_t *edhoc_message_3;
    size_t edhoc_message_3_len;
    const uint8_t *ciphertext; /* into the input message */
    size_t ciphertext_len;
    /* Decrypted code, options and payload (OSC_OK only). */
    const uint8_t *plaintext; /* into the work buffer */
    size_t plaintext_len;
    osc_coap_message inner; /* plaintext parsed: code, options, payload */
    /* The message with this layer removed: the outer header and outer
     * options (without this OSCORE option and without outer Class E
     * options, which receivers ignore) plus the inner ones. */
    osc_coap_message result;
    /* Outer options a receiver discards (Class E only options found
     * outside; RFC 8613 8.2 step 1), by number. */
    uint16_t ignored_outer[OSC_COAP_MAX_OPTIONS];
    size_t ignored_outer_count;
    /* For a request: what its response layer binds to. */
    osc_request_binding binding;
    /* Group OSCORE layers (ctx is NULL then): the group, the mode, the
     * producer's member index (and the recipient's in pairwise mode), and
     * the countersignature of group mode, decrypted, with its check. */
    const struct osc_group_context *group;
    bool group_mode;
    size_t sender_member;
    size_t recipient_member;
    const uint8_t *signature; /* into the work buffer */
    size_t signature_len;
    osc_status signature_status;
    bool signature_short_form; /* verified as 4-element ToBeSigned */
} osc_layer_result;

/* Bytes of work buffer osc_layer_unprotect needs for this message
 * (osc_layer_unprotect_work_size of peel.h covers Group OSCORE too). */
size_t osc_layer_plain_unprotect_work_size(const osc_coap_message *msg);

/*
 * Removes the outermost layer of `msg` (which must carry an OSCORE
 * option).
 *
 * Requests: tries each candidate in order (nonce from the kid and
 * Partial IV, key of the candidate's party) until one authenticates.
 * Responses: `request` is the binding of the request layer at the same
 * depth on the same leg; the key is the responder's (the requester's
 * peer); the nonce is the request's, or built from the responder's ID and
 * the response Partial IV when the response carries one. `candidates`
 * is ignored for responses.
 *
 * Returns result->status, which is one of: OSC_OK; OSC_ERR_NO_OSCORE_OPTION;
 * an option-value error; OSC_ERR_NO_PAYLOAD; OSC_ERR_MISSING_PIV /
 * OSC_ERR_MISSING_KID (request); OSC_ERR_NO_CONTEXT (no candidate);
 * OSC_ERR_NO_REQUEST_BINDING (response without request);
 * OSC_ERR_AUTH_FAILED (no plaintext is returned);
 * OSC_ERR_PLAINTEXT_MALFORMED; OSC_ERR_GROUP_UNSUPPORTED;
 * OSC_ERR_EDHOC_PREFIX; OSC_ERR_BUFFER_TOO_SMALL.
 * Fields of *result that were determined before the failure (option,
 * nonce, AAD, context tried) stay filled in for display.
 */
osc_status osc_layer_unprotect(const osc_coap_message *msg,
                               const osc_candidate *candidates,
                               size_t candidate_count,
                               const osc_request_binding *request,
                               uint8_t *work, size_t work_cap,
                               osc_layer_result *result);

/* True when msg is a request (code 0.01-0.31, or 7.xx signaling, which
 * OSCORE protects like requests). */
bool osc_message_is_request(const osc_coap_message *msg);

#endif
