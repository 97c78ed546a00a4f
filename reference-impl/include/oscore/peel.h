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
 * At most OSC_MAX_CANDIDATES contexts are tried, in the order they were
 * added to the set; result->candidates_matched and
 * result->candidates_truncated say how many matched and whether some
 * were left untried.
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

/*
 * The layers of one message, removed one call at a time: the loop every
 * decryptor (the plugin, the endpoints, the demo, the tests) runs.
 *
 *     osc_peel peel;
 *     osc_peel_init(&peel, msg, set, request_stack, stack_len, max_layers);
 *     while (osc_peel_pending(&peel)) {
 *         size_t need = osc_peel_work_size(&peel); // caller's buffer
 *         if (osc_peel_next(&peel, work, cap, &results[peel.depth]) != OSC_OK)
 *             break; // the result says what went wrong
 *     }
 *     // osc_peel_complete(&peel): every layer is off; peel.current is the
 *     // innermost message.
 *
 * The iterator is a plain value with no state elsewhere: a caller may copy
 * it to try a layer several ways (the plugin tries several candidate
 * requests for a response's first layer) and keep the copy that worked.
 * Work buffers and results belong to the caller and must outlive every
 * message the iterator hands out (each layer's result points into them).
 */
typedef struct osc_peel {
    /* The message with `depth` layers removed. */
    const osc_coap_message *current;
    size_t depth;
    /* Status of the last layer tried (OSC_OK before the first). */
    osc_status status;
    /* Requests: where the contexts come from. Responses: the request's
     * layer stack, outermost first. */
    const osc_context_set *set;
    const osc_request_binding *request_stack;
    size_t request_stack_len;
    size_t max_layers;
    /* Requests: only candidates in which `requester` sent the request
     * (osc_peel_only_requester); any party otherwise. */
    bool only_requester;
    osc_party requester;
} osc_peel;

void osc_peel_init(osc_peel *peel, const osc_coap_message *msg,
                   const osc_context_set *set,
                   const osc_request_binding *request_stack,
                   size_t request_stack_len, size_t max_layers);

/*
 * Restricts a request's candidates to the contexts in which `requester` is
 * the party that sends requests: an endpoint removing the layers addressed
 * to it as their responder (draft-ietf-core-oscore-capable-proxies 2.4
 * steps 5-6) holds contexts in both roles and must not take a request
 * whose kid is its own Sender ID for one of them.
 */
void osc_peel_only_requester(osc_peel *peel, osc_party requester);

/*
 * The plain contexts the next request layer would be tried with: those of
 * the set matching its (kid context, kid), exact ID Context matches first,
 * after the requester filter; at most OSC_MAX_CANDIDATES. Writes at most
 * cap of them into out (may be NULL when cap is 0) and returns how many
 * there are. 0 for a response, a message without OSCORE option, one whose
 * option does not decode or carries no kid, or without a set. A caller
 * tells by it whether the layer is addressed to it before removing it.
 * (A Group OSCORE layer, Group Flag set, is removed with the set's group
 * contexts instead.)
 */
size_t osc_peel_candidates(const osc_peel *peel, osc_candidate *out,
                           size_t cap);

/*
 * Whether the set holds what the next request layer would be removed
 * with, as osc_peel_next chooses it: for a Group Flag layer the group its
 * kid context (Gid) names; otherwise a plain candidate
 * (osc_peel_candidates) or, failing one, that group (pairwise mode).
 * False for a response or a layer without kid. An endpoint tells by it
 * whether the layer is addressed to it.
 */
bool osc_peel_addressed(const osc_peel *peel);

/* True while a layer is left to remove: every layer so far was removed
 * and the current message still carries an OSCORE option. */
bool osc_peel_pending(const osc_peel *peel);

/* True when all layers are off: no OSCORE option left and none failed. */
bool osc_peel_complete(const osc_peel *peel);

/* Bytes of work buffer the next layer needs. */
size_t osc_peel_work_size(const osc_peel *peel);

/*
 * Removes the next layer with osc_peel_layer (depth limit, candidates,
 * bindings as described there) into *result, every field of which it
 * sets (the caller need not clear it). On OSC_OK the iterator moves
 * on to result->result; otherwise it stays on the current message and
 * osc_peel_pending becomes false. Returns result->status.
 */
osc_status osc_peel_next(osc_peel *peel, uint8_t *work, size_t work_cap,
                         osc_layer_result *result);

#endif
