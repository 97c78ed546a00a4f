/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Steps of one layer's protection and removal shared by plain OSCORE
 * (layer.c) and Group OSCORE (group.c). Private to the engine.
 */
#ifndef OSCORE_LAYER_INTERNAL_H
#define OSCORE_LAYER_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "oscore/coap.h"
#include "oscore/layer.h"

/* Mirrors OSC_GROUP_NO_MEMBER of group.h without including it here. */
#define OSC_GROUP_NO_MEMBER_INTERNAL ((size_t)-1)

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

#endif
