/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Several OSCORE layers on one message: onion order for requests,
 * mirrored order for responses (draft-ietf-core-oscore-capable-proxies
 * 2.2 to 2.5).
 */
#include "oscore/layer_stack.h"

#include <string.h>

#include "oscore/group.h"
#include "oscore/options.h"
#include "oscore/placement.h"

/* The answers to the questions of the option protection steps
 * (draft-ietf-core-oscore-capable-proxies 2.2) for one outer-only option,
 * from what the sender knows about the layer's peer X and its next hop. */
static osc_escalation_facts facts_for(const osc_coap_message *msg,
                                      uint16_t number,
                                      const osc_layer_peer *peer)
{
    osc_escalation_facts facts;
    memset(&facts, 0, sizeof facts);
    facts.x_is_next_hop = peer->peer_is_next_hop;
    facts.message_has_proxy_scheme =
        osc_coap_find_option(msg, OSC_OPT_PROXY_SCHEME) != NULL;
    bool forward_form = osc_request_is_forward_form(msg);

    /* Which endpoints consume the option: X and/or the next hop. X is the
     * immediate next consumer when no consumer comes before it, i.e. it
     * is the next hop or the next hop does not consume the option. */
    bool x_consumes, next_hop_consumes;
    facts.sender_added_option = peer->sender_is_origin;
    if (number == OSC_OPT_OSCORE) {
        /* An inner layer's option is for the endpoint of that inner
         * layer, never for X (X's layer is the one being applied). */
        x_consumes = false;
        next_hop_consumes = false;
    } else if (number == OSC_OPT_EDHOC) {
        x_consumes = peer->peer_needs_edhoc_option;
        next_hop_consumes = peer->next_hop_needs_edhoc_option;
        facts.x_needs_option_to_remove_layer = peer->peer_needs_edhoc_option;
    } else {
        /* The proxy-related options: who consumes them is the registry's
         * proxy_use (draft 2.4, RFC 8768). */
        switch (osc_option_lookup(number).proxy_use) {
        case OSC_PROXY_USE_TARGET: /* Proxy-Uri, Proxy-Scheme */
            x_consumes = peer->peer_is_forward_proxy;
            next_hop_consumes = peer->next_hop_is_forward_proxy;
            break;
        case OSC_PROXY_USE_AUTHORITY:
            /* With Proxy-Scheme they address the forward proxy; without
             * it they stay outer anyway (step 7). */
            x_consumes = forward_form && peer->peer_is_forward_proxy;
            next_hop_consumes = forward_form && peer->next_hop_is_forward_proxy;
            break;
        case OSC_PROXY_USE_EVERY_HOP: /* every proxy processes Hop-Limit */
            x_consumes = peer->peer_is_proxy;
            next_hop_consumes = peer->next_hop_is_proxy;
            break;
        default:
            /* Other outer-only options: consumed by the next hop. */
            x_consumes = peer->peer_is_next_hop;
            next_hop_consumes = true;
            break;
        }
    }
    facts.x_is_consumer = x_consumes;
    facts.x_is_immediate_next_consumer =
        x_consumes && (peer->peer_is_next_hop || !next_hop_consumes);
    facts.next_hop_is_immediate_next_consumer = next_hop_consumes;
    return facts;
}

size_t osc_layer_escalations(const osc_coap_message *msg,
                             const osc_layer_peer *peer,
                             uint16_t out[OSC_MAX_ESCALATED])
{
    size_t count = 0;
    for (size_t i = 0; i < msg->option_count && count < OSC_MAX_ESCALATED;
         i++) {
        uint16_t number = msg->options[i].number;
        if (count > 0 && out[count - 1] == number)
            continue; /* repeated option: listed once */
        osc_escalation_facts facts = facts_for(msg, number, peer);
        if (osc_option_escalate(number, &facts))
            out[count++] = number;
    }
    return count;
}

size_t osc_layers_protect_work_size(const osc_coap_message *msg, size_t layers)
{
    /* Each layer adds at most one OSCORE option (with its header), one tag
     * and, for a group layer, a countersignature to the message it
     * protects, and needs the work area of one protection of either kind
     * for it (a group one also holds the AAD and the ToBeSigned). */
    size_t growth =
        5 + OSC_OPTION_VALUE_MAX + OSC_MAX_TAG_LEN + OSC_MAX_SIGNATURE_LEN + 5;
    size_t total = 0;
    osc_coap_message bound = *msg;
    for (size_t i = 0; i < layers; i++) {
        size_t plain = osc_layer_protect_work_size(&bound, NULL);
        size_t group = osc_group_protect_work_size(&bound);
        total += (plain > group ? plain : group) + growth;
        /* The next layer protects all of this one's message, which the
         * plain work area already bounds. */
        bound.payload_length = plain + growth;
        bound.option_count = 0;
    }
    return total;
}

/* Work bytes of one layer on msg: a Group OSCORE layer adds a
 * countersignature and needs its ToBeSigned, a plain one neither. */
static size_t one_layer_work_size(const osc_coap_message *msg,
                                  const osc_context *ctx, bool group)
{
    return group ? osc_group_protect_work_size(msg)
                 : osc_layer_protect_work_size(msg, ctx);
}

/* One request layer, of a plain or a group context, hiding the
 * outer-only options the option protection steps (draft 2.2) escalate. */
static osc_status protect_request_layer(const osc_coap_message *in,
                                        const osc_request_layer_spec *spec,
                                        uint8_t *work, size_t work_cap,
                                        osc_coap_message *out,
                                        osc_request_binding *binding)
{
    if (spec->group) {
        osc_group_protect_params params;
        memset(&params, 0, sizeof params);
        params.group = spec->group;
        params.sender = spec->group_sender;
        params.pairwise = spec->pairwise;
        params.recipient = spec->pairwise_recipient;
        params.sequence_number = spec->sequence_number;
        params.escalated_count =
            osc_layer_escalations(in, &spec->peer, params.escalated);
        return osc_group_protect(in, &params, work, work_cap, out, binding);
    }
    osc_protect_params params;
    memset(&params, 0, sizeof params);
    params.ctx = spec->ctx;
    params.party = spec->party;
    params.sequence_number = spec->sequence_number;
    params.include_kid_context = spec->include_kid_context;
    params.escalated_count =
        osc_layer_escalations(in, &spec->peer, params.escalated);
    return osc_layer_protect(in, &params, work, work_cap, out, binding);
}

osc_status osc_protect_request_layers(const osc_coap_message *msg,
                                      const osc_request_layer_spec *specs,
                                      size_t layer_count, uint8_t *work,
                                      size_t work_cap, osc_coap_message *out,
                                      osc_request_binding *bindings)
{
    if (layer_count == 0)
        return OSC_ERR_INVALID_ARGUMENT;
    /* Two message slots: each layer reads the previous one's output,
     * whose option values point into earlier work slices, which stay
     * untouched. */
    osc_coap_message stages[2];
    const osc_coap_message *current = msg;
    size_t used = 0;
    for (size_t i = 0; i < layer_count; i++) {
        size_t need =
            one_layer_work_size(current, specs[i].ctx, specs[i].group != NULL);
        if (need > work_cap - used)
            return OSC_ERR_BUFFER_TOO_SMALL;
        osc_coap_message *next = &stages[i % 2];
        osc_request_binding binding;
        osc_status status = protect_request_layer(
            current, &specs[i], work + used, need, next, &binding);
        if (status != OSC_OK)
            return status;
        used += need;
        if (bindings) /* removal order: the last applied is removed first */
            bindings[layer_count - 1 - i] = binding;
        current = next;
    }
    *out = *current;
    return OSC_OK;
}

/* One response layer answering spec->request, in its request's context:
 * a group request layer is answered in the same mode (RFC 10021 8.3 and
 * 9.3), by the member spec->group_sender. */
static osc_status protect_response_layer(const osc_coap_message *in,
                                         const osc_response_layer_spec *spec,
                                         uint8_t *work, size_t work_cap,
                                         osc_coap_message *out)
{
    const osc_request_binding *request = spec->request;
    if (request->group) {
        osc_group_protect_params params;
        memset(&params, 0, sizeof params);
        params.group = request->group;
        params.sender = spec->group_sender;
        params.pairwise = !request->group_mode;
        params.request = request;
        params.response_with_piv = spec->with_piv;
        params.sequence_number = spec->sequence_number;
        return osc_group_protect(in, &params, work, work_cap, out, NULL);
    }
    osc_protect_params params;
    memset(&params, 0, sizeof params);
    params.request = request;
    params.response_with_piv = spec->with_piv;
    params.sequence_number = spec->sequence_number;
    return osc_layer_protect(in, &params, work, work_cap, out, NULL);
}

osc_status osc_protect_response_layers(const osc_coap_message *msg,
                                       const osc_response_layer_spec *specs,
                                       size_t layer_count, uint8_t *work,
                                       size_t work_cap, osc_coap_message *out)
{
    if (layer_count == 0)
        return OSC_ERR_INVALID_ARGUMENT;
    osc_coap_message stages[2];
    const osc_coap_message *current = msg;
    size_t used = 0;
    /* The layer removed last from the request (the innermost one the
     * responder removed) is applied first. */
    for (size_t step = 0; step < layer_count; step++) {
        const osc_response_layer_spec *spec = &specs[layer_count - 1 - step];
        if (!spec->request || (!spec->request->ctx && !spec->request->group))
            return OSC_ERR_NO_REQUEST_BINDING;
        size_t need = one_layer_work_size(current, spec->request->ctx,
                                          spec->request->group != NULL);
        if (need > work_cap - used)
            return OSC_ERR_BUFFER_TOO_SMALL;
        osc_coap_message *next = &stages[step % 2];
        osc_status status =
            protect_response_layer(current, spec, work + used, need, next);
        if (status != OSC_OK)
            return status;
        used += need;
        current = next;
    }
    *out = *current;
    return OSC_OK;
}
