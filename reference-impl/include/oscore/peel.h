/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Removing the OSCORE layers of one message, outermost first
 * (draft-ietf-core-oscore-capable-proxies 2.4 to 2.6): the decryptor's
 * central call. A request's layers are removed with contexts looked up in
 * a context set; a response's with the bindings of the request layers it
 * answers (its request's layer stack, index 0 = outermost).
 */
#ifndef OSCORE_PEEL_H
#define OSCORE_PEEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "oscore/coap.h"
#include "oscore/context_set.h"
#include "oscore/layer.h"
#include "oscore/status.h"

/* Bytes of work buffer the removal of msg's outermost layer needs,
 * whichever kind of layer (plain or Group OSCORE) it turns out to be. */
size_t osc_layer_unprotect_work_size(const osc_coap_message *msg);

/* Contexts tried at most for one request layer: those sharing its kid
 * (and kid context), exact ID Context matches first. */
#define OSC_MAX_CANDIDATES 32

/*
 * Removes the next layer of msg: the central call of the decryptor.
 * depth = number of layers already removed from this message; when it has
 * reached max_layers the result is OSC_ERR_DEPTH_LIMIT without touching
 * the message. Requests: candidates come from `set` by (kid context, kid).
 * At most OSC_MAX_CANDIDATES contexts are tried.
 * Responses: request_stack[depth] of request_stack_len entries is the
 * binding (OSC_ERR_NO_REQUEST_BINDING when depth >= request_stack_len or
 * request_stack is NULL). work must hold
 * osc_layer_unprotect_work_size(msg) bytes and outlive result->result.
 */
osc_status osc_peel_layer(const osc_coap_message *msg,
                          const osc_context_set *set,
                          const osc_request_binding *request_stack,
                          size_t request_stack_len, size_t depth,
                          size_t max_layers, uint8_t *work, size_t work_cap,
                          osc_layer_result *result);

#endif
