/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Checking where a request's options sit among its layers
 * (draft-ietf-core-oscore-capable-proxies 2.2 and 2.4). The decision for
 * each proxy-related option is the option protection procedure
 * (osc_option_escalate), fed with the facts the observed layering implies.
 */
#include "oscore/placement.h"

#include <string.h>

#include "oscore/options.h"

bool osc_request_is_forward_form(const osc_coap_message *msg)
{
    for (size_t i = 0; i < msg->option_count; i++)
        if (osc_option_lookup(msg->options[i].number).proxy_use ==
            OSC_PROXY_USE_TARGET)
            return true;
    return false;
}

static void list_add(uint16_t *list, size_t *count, uint16_t number)
{
    for (size_t i = 0; i < *count; i++)
        if (list[i] == number)
            return;
    if (*count < OSC_MAX_MISPLACED)
        list[(*count)++] = number;
}

/* Outside a hop layer added by this leg's sender: the sender added the
 * options and the layer's remover, its next hop, consumes them, so step 8
 * puts them inside. */
static void check_outside(const osc_coap_message *wire,
                          osc_layer_placement *out)
{
    osc_escalation_facts f = {
        .sender_added_option = true,
        .x_is_consumer = true,
        .x_is_immediate_next_consumer = true,
        .x_is_next_hop = true,
        .next_hop_is_immediate_next_consumer = true,
        .x_needs_option_to_remove_layer = false,
        .message_has_proxy_scheme =
            osc_coap_has_option(wire, OSC_OPT_PROXY_SCHEME),
    };
    for (size_t i = 0; i < wire->option_count; i++) {
        uint16_t n = wire->options[i].number;
        if (osc_option_is_proxy_related(n) && osc_option_escalate(n, &f))
            list_add(out->outside, &out->outside_count, n);
    }
}

/* Inside the end-to-end layer: its remover (the server) is not the proxy
 * that needs the options, which keep their outer class there (step 9). */
static void check_inside(const osc_coap_message *outer,
                         const osc_coap_message *innermost,
                         osc_layer_placement *out)
{
    osc_escalation_facts f = {
        .sender_added_option = true,
        .x_is_consumer = false,
        .x_is_immediate_next_consumer = false,
        .x_is_next_hop = false,
        .next_hop_is_immediate_next_consumer = true,
        .x_needs_option_to_remove_layer = false,
        .message_has_proxy_scheme =
            osc_coap_has_option(innermost, OSC_OPT_PROXY_SCHEME) ||
            osc_coap_has_option(outer, OSC_OPT_PROXY_SCHEME),
    };
    for (size_t i = 0; i < innermost->option_count; i++) {
        uint16_t n = innermost->options[i].number;
        if (osc_option_is_proxy_related(n) && !osc_option_escalate(n, &f))
            list_add(out->inside, &out->inside_count, n);
    }
}

/* End-to-end options inside a hop layer (innermost: NULL when not every
 * layer was removed). */
static void check_readable(const osc_coap_message *in,
                           const osc_coap_message *innermost,
                           osc_layer_placement *out)
{
    if (!osc_coap_has_option(in, OSC_OPT_OSCORE))
        return; /* not a hop layer */
    for (size_t i = 0; i < in->option_count; i++) {
        uint16_t n = in->options[i].number;
        osc_option_info info = osc_option_lookup(n);
        if (info.name == NULL || info.classes != OSC_CLASS_E)
            continue;
        if ((n == OSC_OPT_URI_PATH || n == OSC_OPT_URI_QUERY) &&
            (innermost == NULL || osc_coap_has_option(innermost, n)))
            continue;
        list_add(out->readable_e2e, &out->readable_e2e_count, n);
    }
}

void osc_check_placement(const osc_coap_message *wire,
                         const osc_layer_result *const *results, size_t removed,
                         bool complete, bool outermost_added_on_leg,
                         osc_layer_placement *out)
{
    memset(out, 0, removed * sizeof *out);
    if (removed == 0)
        return;
    if (outermost_added_on_leg &&
        osc_coap_has_option(&results[0]->result, OSC_OPT_OSCORE))
        check_outside(wire, &out[0]);
    const osc_coap_message *innermost =
        complete ? &results[removed - 1]->inner : NULL;
    if (complete && removed >= 2)
        check_inside(&results[removed - 2]->result, innermost,
                     &out[removed - 1]);
    for (size_t k = 0; k < removed; k++)
        check_readable(&results[k]->inner, innermost, &out[k]);
}
