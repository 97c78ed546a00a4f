/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Removing the layers of one message, one at a time
 * (draft-ietf-core-oscore-capable-proxies 2.4 to 2.6): which kind of layer
 * (plain or Group OSCORE) and which contexts to try.
 */
#include "oscore/peel.h"

#include <string.h>

#include "oscore/group.h"
#include "oscore/options.h"

size_t osc_layer_unprotect_work_size(const osc_coap_message *msg)
{
    /* Enough for a Group OSCORE layer too, whose AAD carries credentials
     * and whose signature check needs a ToBeSigned copy. */
    size_t plain = osc_layer_plain_unprotect_work_size(msg);
    size_t group = osc_group_unprotect_work_size(msg);
    return plain > group ? plain : group;
}

osc_status osc_peel_layer(const osc_coap_message *msg,
                          const osc_context_set *set,
                          const osc_request_binding *request_stack,
                          size_t request_stack_len, size_t depth,
                          size_t max_layers, uint8_t *work, size_t work_cap,
                          osc_layer_result *result)
{
    if (depth >= max_layers) {
        memset(result, 0, sizeof *result);
        result->is_request = osc_message_is_request(msg);
        result->status = OSC_ERR_DEPTH_LIMIT;
        return OSC_ERR_DEPTH_LIMIT;
    }

    if (!osc_message_is_request(msg)) {
        const osc_request_binding *binding =
            request_stack && depth < request_stack_len ? &request_stack[depth]
                                                       : NULL;
        if (binding && binding->group)
            return osc_group_unprotect(msg, NULL, binding, work, work_cap,
                                       result);
        return osc_layer_unprotect(msg, NULL, 0, binding, work, work_cap,
                                   result);
    }

    /* Decode the option first only to find the candidates; the layer
     * functions decode it again and report any error themselves. */
    osc_candidate candidates[OSC_MAX_CANDIDATES];
    size_t candidate_count = 0;
    const osc_coap_option *oscore = osc_coap_find_option(msg, OSC_OPT_OSCORE);
    osc_option_value value;
    if (set && oscore &&
        osc_option_value_decode(oscore->value, oscore->length, &value) ==
            OSC_OK &&
        value.has_kid) {
        const osc_group_context *group =
            value.has_kid_context
                ? osc_context_set_lookup_group(set, value.kid_context,
                                               value.kid_context_len)
                : NULL;
        /* Group Flag: group mode. Without it, a Gid names pairwise mode,
         * unless a plain context claims the kid (RFC 10021 8.2 lets
         * receivers check plain contexts first). */
        if (value.group_flag)
            return osc_group_unprotect(msg, group, NULL, work, work_cap,
                                       result);
        candidate_count = osc_context_set_lookup(
            set, value.kid, value.kid_len, value.has_kid_context,
            value.kid_context, value.kid_context_len, candidates,
            OSC_MAX_CANDIDATES);
        if (candidate_count == 0 && group)
            return osc_group_unprotect(msg, group, NULL, work, work_cap,
                                       result);
        if (candidate_count > OSC_MAX_CANDIDATES)
            candidate_count = OSC_MAX_CANDIDATES;
    }
    return osc_layer_unprotect(msg, candidates, candidate_count, NULL, work,
                               work_cap, result);
}

void osc_peel_init(osc_peel *peel, const osc_coap_message *msg,
                   const osc_context_set *set,
                   const osc_request_binding *request_stack,
                   size_t request_stack_len, size_t max_layers)
{
    memset(peel, 0, sizeof *peel);
    peel->current = msg;
    peel->status = OSC_OK;
    peel->set = set;
    peel->request_stack = request_stack;
    peel->request_stack_len = request_stack_len;
    peel->max_layers = max_layers;
}

bool osc_peel_pending(const osc_peel *peel)
{
    return peel->status == OSC_OK &&
           osc_coap_find_option(peel->current, OSC_OPT_OSCORE) != NULL;
}

bool osc_peel_complete(const osc_peel *peel)
{
    return peel->status == OSC_OK &&
           osc_coap_find_option(peel->current, OSC_OPT_OSCORE) == NULL;
}

size_t osc_peel_work_size(const osc_peel *peel)
{
    return osc_layer_unprotect_work_size(peel->current);
}

osc_status osc_peel_next(osc_peel *peel, uint8_t *work, size_t work_cap,
                         osc_layer_result *result)
{
    peel->status = osc_peel_layer(peel->current, peel->set, peel->request_stack,
                                  peel->request_stack_len, peel->depth,
                                  peel->max_layers, work, work_cap, result);
    if (peel->status == OSC_OK) {
        peel->current = &result->result;
        peel->depth++;
    }
    return peel->status;
}
