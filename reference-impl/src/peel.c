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

/* Which parties' requests a peel accepts: any, or only those sent by one
 * party of each context (osc_peel_only_requester). */
typedef struct party_filter {
    bool active;
    osc_party requester;
} party_filter;

/* The plain contexts for a request's (kid context, kid), at most
 * OSC_MAX_CANDIDATES, without those the filter excludes. *total gets the
 * number the set matched before either limit, *truncated whether the cap
 * left matching contexts out (the filter may then have dropped some that
 * would have been kept: the caller cannot know they do not apply). */
static size_t request_candidates(const osc_context_set *set,
                                 const osc_option_value *value,
                                 party_filter filter, osc_candidate *out,
                                 size_t *total, bool *truncated)
{
    *total = osc_context_set_lookup(
        set, value->kid, value->kid_len, value->has_kid_context,
        value->kid_context, value->kid_context_len, out, OSC_MAX_CANDIDATES);
    *truncated = *total > OSC_MAX_CANDIDATES;
    size_t count = *truncated ? OSC_MAX_CANDIDATES : *total;
    if (!filter.active)
        return count;
    size_t kept = 0;
    for (size_t i = 0; i < count; i++)
        if (out[i].party == filter.requester)
            out[kept++] = out[i];
    return kept;
}

/* Decodes a request's OSCORE option only to find its candidates; false
 * when there is none to look up (the layer functions decode it again and
 * report any error themselves). */
static bool lookup_value(const osc_coap_message *msg,
                         const osc_context_set *set, osc_option_value *value)
{
    const osc_coap_option *oscore = osc_coap_find_option(msg, OSC_OPT_OSCORE);
    return set && oscore &&
           osc_option_value_decode(oscore->value, oscore->length, value) ==
               OSC_OK &&
           value->has_kid;
}

/* The group a request layer names by its kid context (the Gid), or NULL. */
static const osc_group_context *request_group(const osc_context_set *set,
                                              const osc_option_value *value)
{
    return value->has_kid_context
               ? osc_context_set_lookup_group(set, value->kid_context,
                                              value->kid_context_len)
               : NULL;
}

static osc_status peel_request_layer(const osc_coap_message *msg,
                                     const osc_context_set *set,
                                     party_filter filter, uint8_t *work,
                                     size_t work_cap, osc_layer_result *result)
{
    osc_candidate candidates[OSC_MAX_CANDIDATES];
    size_t candidate_count = 0;
    size_t total = 0;
    bool truncated = false;
    osc_option_value value;
    if (lookup_value(msg, set, &value)) {
        const osc_group_context *group = request_group(set, &value);
        /* Group Flag: group mode. Without it, a Gid names pairwise mode,
         * unless a plain context claims the kid (RFC 10021 8.2 lets
         * receivers check plain contexts first). */
        if (value.group_flag)
            return osc_group_unprotect(msg, group, NULL, work, work_cap,
                                       result);
        candidate_count = request_candidates(set, &value, filter, candidates,
                                             &total, &truncated);
        if (candidate_count == 0 && group)
            return osc_group_unprotect(msg, group, NULL, work, work_cap,
                                       result);
    }
    osc_status status = osc_layer_unprotect(msg, candidates, candidate_count,
                                            NULL, work, work_cap, result);
    /* Filled in after the call, which starts by clearing *result. */
    result->candidates_matched = total;
    result->candidates_truncated = truncated;
    return status;
}

static osc_status peel_layer(const osc_coap_message *msg,
                             const osc_context_set *set, party_filter filter,
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
    if (osc_message_is_request(msg))
        return peel_request_layer(msg, set, filter, work, work_cap, result);
    const osc_request_binding *binding =
        request_stack && depth < request_stack_len ? &request_stack[depth]
                                                   : NULL;
    if (binding && binding->group)
        return osc_group_unprotect(msg, NULL, binding, work, work_cap, result);
    return osc_layer_unprotect(msg, NULL, 0, binding, work, work_cap, result);
}

osc_status osc_peel_layer(const osc_coap_message *msg,
                          const osc_context_set *set,
                          const osc_request_binding *request_stack,
                          size_t request_stack_len, size_t depth,
                          size_t max_layers, uint8_t *work, size_t work_cap,
                          osc_layer_result *result)
{
    party_filter any = {false, OSC_PARTY_SENDER};
    return peel_layer(msg, set, any, request_stack, request_stack_len, depth,
                      max_layers, work, work_cap, result);
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

void osc_peel_only_requester(osc_peel *peel, osc_party requester)
{
    peel->only_requester = true;
    peel->requester = requester;
}

size_t osc_peel_candidates(const osc_peel *peel, osc_candidate *out, size_t cap)
{
    osc_option_value value;
    if (!osc_message_is_request(peel->current) ||
        !lookup_value(peel->current, peel->set, &value))
        return 0;
    osc_candidate found[OSC_MAX_CANDIDATES];
    party_filter filter = {peel->only_requester, peel->requester};
    size_t total;
    bool truncated;
    size_t count = request_candidates(peel->set, &value, filter, found, &total,
                                      &truncated);
    for (size_t i = 0; i < count && i < cap; i++)
        out[i] = found[i];
    return count;
}

bool osc_peel_addressed(const osc_peel *peel)
{
    osc_option_value value;
    if (!osc_message_is_request(peel->current) ||
        !lookup_value(peel->current, peel->set, &value))
        return false;
    /* As peel_request_layer chooses: a Group Flag layer is its group's,
     * another one a plain candidate's or else its Gid's group. */
    const osc_group_context *group = request_group(peel->set, &value);
    if (value.group_flag)
        return group != NULL;
    return osc_peel_candidates(peel, NULL, 0) > 0 || group != NULL;
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
    party_filter filter = {peel->only_requester, peel->requester};
    peel->status =
        peel_layer(peel->current, peel->set, filter, peel->request_stack,
                   peel->request_stack_len, peel->depth, peel->max_layers, work,
                   work_cap, result);
    if (peel->status == OSC_OK) {
        peel->current = &result->result;
        peel->depth++;
    }
    return peel->status;
}
