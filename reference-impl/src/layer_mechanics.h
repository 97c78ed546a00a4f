/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The mechanics every kind of layer shares, plain OSCORE (oscore_layer.c)
 * and Group OSCORE (group_layer.c) alike: splitting a message into outer
 * options and plaintext (RFC 8613 4.1, 5.3), the Partial IV and nonce
 * (RFC 8613 5.2), the outer code (RFC 8613 4.2), and after decryption
 * parsing the plaintext and merging it with the outer options (RFC 8613
 * 8.2, 8.4). Work buffers are cut by osc_work_carve from one list of slice
 * sizes, the same list a layer's *_work_size adds up. Private to the
 * engine; neither layer file calls the other.
 */
#ifndef OSCORE_LAYER_MECHANICS_H
#define OSCORE_LAYER_MECHANICS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "oscore/bytes.h"
#include "oscore/coap.h"
#include "oscore/layer.h"
#include "oscore/option_value.h"

/* Mirrors OSC_GROUP_NO_MEMBER of group.h without including it here. */
#define OSC_GROUP_NO_MEMBER_INTERNAL ((size_t)-1)

/* Consecutive slices of one work buffer; the last one takes every byte
 * left. */
#define OSC_WORK_MAX_SLICES 4
typedef struct osc_work_layout {
    size_t size[OSC_WORK_MAX_SLICES];
    size_t count;
} osc_work_layout;

/* Bytes the layout needs. */
size_t osc_work_layout_total(const osc_work_layout *layout);

/* Cuts work into the layout's slices; *last_cap gets the capacity of the
 * last one. Errors: OSC_ERR_BUFFER_TOO_SMALL. */
osc_status osc_work_carve(const osc_work_layout *layout, uint8_t *work,
                          size_t work_cap, uint8_t **slices, size_t *last_cap);

/* Bytes the options and payload of msg can take when encoded (each
 * option header is at most 5 bytes), with the payload marker. */
size_t osc_layer_body_bound(const osc_coap_message *msg);

/*
 * Splits in's options: the inner ones (Class E, escalated outer-only ones,
 * the inner copy of Observe) are encoded with the code and payload into
 * plaintext; out receives the header and the outer options (OSCORE option,
 * code and payload are the caller's to add).
 */
osc_status osc_layer_build_plaintext(const osc_coap_message *in,
                                     bool is_request, const uint16_t *escalated,
                                     size_t escalated_count,
                                     osc_coap_message *out, uint8_t *plaintext,
                                     size_t plaintext_cap,
                                     size_t *plaintext_len, bool *has_observe);

/* POST/FETCH for requests, 2.04/2.05 for responses (RFC 8613 4.2). */
void osc_layer_set_outer_code(osc_coap_message *out, bool is_request,
                              bool has_observe);

/*
 * First step of a removal: clears *result, decodes the OSCORE option and
 * locates the ciphertext (after an EDHOC prefix). *oscore gets the
 * message's OSCORE option (NULL when absent).
 */
osc_status osc_layer_open(const osc_coap_message *msg, osc_layer_result *result,
                          const osc_coap_option **oscore);

/* Last step: parses result->plaintext and builds result->inner and
 * result->result. */
osc_status osc_layer_finish(const osc_coap_message *msg,
                            const osc_coap_option *oscore,
                            osc_layer_result *result);

/* Records the final status; drops the plaintext of a failed layer. */
osc_status osc_layer_close(osc_layer_result *result, osc_status status);

/* Records a request layer's kid, Partial IV and nonce in a binding (the
 * caller sets the context or group fields). */
void osc_binding_set_request(osc_request_binding *binding, const uint8_t *kid,
                             size_t kid_len, const uint8_t *piv, size_t piv_len,
                             const uint8_t *nonce, size_t nonce_len);

/* Records the request kid and Partial IV an AAD binds in a result. */
void osc_result_set_request(osc_layer_result *result, const uint8_t *kid,
                            size_t kid_len, const uint8_t *piv, size_t piv_len);

/*
 * Partial IV and nonce of a layer being protected (RFC 8613 5.2): with
 * own_piv (requests, and responses carrying their own Partial IV,
 * draft-ietf-core-oscore-capable-proxies 2.5.1) the Partial IV of
 * sequence_number goes into piv and value->piv and the nonce is built from
 * producer_id; otherwise the nonce is the request's.
 * Errors: OSC_ERR_PIV_EXHAUSTED, OSC_ERR_NO_REQUEST_BINDING, osc_nonce's.
 */
osc_status osc_layer_protect_nonce(bool own_piv, uint64_t sequence_number,
                                   const uint8_t *common_iv, size_t nonce_len,
                                   osc_bytes producer_id,
                                   const osc_request_binding *request,
                                   uint8_t piv[OSC_MAX_PIV_LEN],
                                   osc_option_value *value, uint8_t *nonce);

/*
 * Nonce of a layer being removed, into result->nonce: from sender_id and
 * the message's Partial IV, or the request's nonce when the message has
 * none. result->nonce_len is set on success.
 * Errors: OSC_ERR_NO_REQUEST_BINDING, osc_nonce's.
 */
osc_status osc_layer_unprotect_nonce(const uint8_t *common_iv, size_t nonce_len,
                                     osc_bytes sender_id,
                                     const osc_request_binding *request,
                                     osc_layer_result *result);

#endif
