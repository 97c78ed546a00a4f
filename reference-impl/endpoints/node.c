/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Shared state and per-leg OSCORE helpers of the reference endpoints.
 */
#define _POSIX_C_SOURCE 200809L
#include "node.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "oscore/engine.h"
#include "oscore/group.h"
#include "oscore/option_value.h"
#include "oscore/options.h"

void ep_log(const ep_node *node, const char *format, ...)
{
    va_list args;
    va_start(args, format);
    fprintf(stderr, "[%s] ", node->me ? node->me->name : "?");
    vfprintf(stderr, format, args);
    fprintf(stderr, "\n");
    va_end(args);
}

void ep_log_message(const ep_node *node, const char *what,
                    const osc_coap_message *msg)
{
    static const char *const types[] = {"CON", "NON", "ACK", "RST"};
    char code[8];
    osc_coap_code_format(msg->code, code);
    char line[1024];
    int used = 0;
    if (msg->framing == OSC_COAP_FRAMING_UDP)
        used = snprintf(line, sizeof line, "%s MID 0x%04x ", types[msg->type],
                        msg->message_id);
    used += snprintf(line + used, sizeof line - (size_t)used, "token ");
    /* An RFC 8974 token may be 65804 bytes: its first 32 and its length. */
    const uint8_t *token = osc_coap_token(msg);
    for (size_t i = 0; i < msg->token_length && i < 32; i++)
        used +=
            snprintf(line + used, sizeof line - (size_t)used, "%02x", token[i]);
    if (msg->token_length > 32)
        used += snprintf(line + used, sizeof line - (size_t)used,
                         "... (%zu bytes)", msg->token_length);
    used += snprintf(line + used, sizeof line - (size_t)used, " %s", code);
    for (size_t i = 0; i < msg->option_count && used < 900; i++) {
        const osc_coap_option *opt = &msg->options[i];
        osc_option_info info = osc_option_lookup(opt->number);
        if (info.name)
            used += snprintf(line + used, sizeof line - (size_t)used, " %s",
                             info.name);
        else
            used += snprintf(line + used, sizeof line - (size_t)used, " opt%u",
                             opt->number);
        if (info.format == OSC_FORMAT_STRING)
            used +=
                snprintf(line + used, sizeof line - (size_t)used, "=\"%.*s\"",
                         (int)opt->length, (const char *)opt->value);
        else if (opt->length > 0) {
            used += snprintf(line + used, sizeof line - (size_t)used, "=");
            for (uint32_t j = 0; j < opt->length && j < 16; j++)
                used += snprintf(line + used, sizeof line - (size_t)used,
                                 "%02x", opt->value[j]);
        }
    }
    if (msg->payload_length)
        snprintf(line + used, sizeof line - (size_t)used, " +%zu bytes",
                 msg->payload_length);
    ep_log(node, "%s %s", what, line);
}

/* The contexts in which this node answers requests, for osc_peel: the
 * layers addressed to it (draft-ietf-core-oscore-capable-proxies 2.4
 * steps 5-6), in scenario order. */
static bool build_responder_set(ep_node *node)
{
    node->responder_set = osc_context_set_new();
    if (!node->responder_set)
        return false;
    for (size_t i = 0; i < node->sc.context_count; i++) {
        const ep_context_state *state = &node->contexts[i];
        const char *name = node->sc.contexts[i].name;
        size_t index;
        if (state->is_requester)
            continue;
        if (state->group) {
            if (osc_context_set_add_group(node->responder_set, name,
                                          state->group, &index) != OSC_OK)
                return false;
            node->responder_group_context[index] = (int)i;
        } else if (state->ctx) {
            if (osc_context_set_add(node->responder_set, name, state->ctx,
                                    &index) != OSC_OK)
                return false;
            node->responder_context[index] = (int)i;
        }
    }
    return true;
}

/* The keys file's group of a Group OSCORE context, and this node's member
 * index in it (scenario `members=`). */
static bool find_group(ep_node *node, const sc_context *spec,
                       ep_context_state *state)
{
    for (size_t j = 0; j < node->keys->group_count; j++)
        if (strcmp(node->keys->groups[j].name, spec->name) == 0)
            state->group = node->keys->groups[j].group;
    const uint8_t *id;
    size_t id_len;
    if (!state->group || !scenario_member_id(spec, node->self, &id, &id_len))
        return false;
    state->member = osc_group_find_member(state->group, id, id_len);
    return state->member != OSC_GROUP_NO_MEMBER;
}

/* Whether this node holds the context, as one of its two parties or as a
 * member of its group, and does not pretend otherwise (`forget=`). */
static bool involved_in(const ep_node *node, const sc_context *spec)
{
    const uint8_t *id;
    size_t id_len;
    bool involved =
        spec->is_group
            ? scenario_member_id(spec, node->self, &id, &id_len)
            : spec->requester == node->self || spec->responder == node->self;
    for (size_t j = 0; j < node->me->forget_count; j++)
        if (strcmp(node->me->forget[j], spec->name) == 0)
            involved = false;
    return involved;
}

bool ep_node_init(ep_node *node, const char *scenario_path,
                  const char *node_name, bool accept_connections)
{
    memset(node, 0, sizeof *node);
    osc_status engine = osc_engine_init();
    if (engine != OSC_OK) {
        fprintf(stderr, "%s: %s\n", node_name, osc_status_message(engine));
        return false;
    }
    if (!scenario_load(scenario_path, &node->sc))
        return false;
    node->self = scenario_node_index(&node->sc, node_name);
    if (node->self < 0) {
        fprintf(stderr, "%s: no node named %s\n", scenario_path, node_name);
        return false;
    }
    node->me = &node->sc.nodes[node->self];
    node->position = scenario_chain_position(&node->sc, node->self);
    node->next_mid = node->me->first_mid;
    node->framing = node->sc.transport == SC_TRANSPORT_TCP
                        ? OSC_COAP_FRAMING_TCP
                        : OSC_COAP_FRAMING_UDP;

    node->keys = oscore_keyfile_load(node->sc.keys_path);
    for (size_t i = 0; i < node->keys->error_count; i++)
        fprintf(stderr, "%s\n", node->keys->errors[i]);
    bool ok = node->keys->error_count == 0;

    for (size_t i = 0; i < node->sc.context_count; i++) {
        const sc_context *spec = &node->sc.contexts[i];
        ep_context_state *state = &node->contexts[i];
        osc_replay_init(&state->replay, OSC_REPLAY_DEFAULT_WINDOW);
        if (!involved_in(node, spec))
            continue;
        if (spec->is_group) {
            if (!find_group(node, spec, state)) {
                fprintf(stderr,
                        "%s: group %s with this node's member is not "
                        "in %s\n",
                        scenario_path, spec->name, node->sc.keys_path);
                ok = false;
                continue;
            }
        } else {
            for (size_t j = 0; j < node->keys->entry_count; j++)
                if (strcmp(node->keys->entries[j].name, spec->name) == 0)
                    state->ctx = &node->keys->entries[j].ctx;
        }
        if (!state->ctx && !state->group) {
            fprintf(stderr, "%s: context %s is not in %s\n", scenario_path,
                    spec->name, node->sc.keys_path);
            ok = false;
            continue;
        }
        state->is_requester = spec->requester == node->self;
        state->next_sequence =
            state->is_requester ? spec->requester_seq : spec->responder_seq;
    }
    if (!ok || !build_responder_set(node))
        return false;
    node->net =
        ep_net_open(node->sc.transport, node->me->address, accept_connections,
                    node->me->drop_first, node->me->name);
    if (node->net && node->me->multicast_group != SC_NO_INDEX)
        return ep_net_join_group(
            node->net, node->sc.nodes[node->me->multicast_group].address);
    return node->net != NULL;
}

void ep_node_free(ep_node *node)
{
    ep_net_close(node->net);
    if (node->responder_set)
        osc_context_set_free(node->responder_set);
    if (node->keys)
        oscore_keyfile_free(node->keys);
}

void ep_set_token(osc_coap_message *msg, const uint8_t *token, size_t len)
{
    msg->token_length = len;
    msg->long_token = NULL;
    if (len <= OSC_COAP_MAX_TOKEN)
        memcpy(msg->token, token, len);
    else
        msg->long_token = token;
}

bool ep_same_token(const osc_coap_message *msg, const uint8_t *token,
                   size_t len)
{
    return msg->token_length == len &&
           memcmp(osc_coap_token(msg), token, len) == 0;
}

void ep_node_next_token(ep_node *node, osc_coap_message *msg)
{
    const sc_node *me = node->me;
    if (node->tokens_used < me->token_count) {
        node->last_token = me->tokens[node->tokens_used];
    } else if (node->last_token.length == 0) {
        /* No list given: one-byte tokens from the chain position, so the
         * legs of a capture are told apart by their tokens. */
        node->last_token.length = 1;
        node->last_token.bytes[0] = (uint8_t)(0x10 * (node->position + 1));
    } else {
        /* Past the list: increment the last token as a big number. */
        for (size_t i = node->last_token.length; i-- > 0;)
            if (++node->last_token.bytes[i] != 0)
                break;
    }
    node->tokens_used++;
    ep_set_token(msg, node->last_token.bytes, node->last_token.length);
}

uint16_t ep_node_next_mid(ep_node *node)
{
    return node->next_mid++;
}

int ep_node_next_hop(const ep_node *node)
{
    if (node->position < 0 ||
        (size_t)node->position + 1 >= node->sc.chain_length)
        return -1;
    return node->sc.chain[node->position + 1];
}

size_t ep_node_request_layers(const ep_node *node, int *out, size_t cap)
{
    /* Collect the contexts this node requests in, then sort them by the
     * responder's distance, farthest first. */
    size_t count = 0;
    for (size_t i = 0; i < node->sc.context_count && count < cap; i++) {
        const ep_context_state *state = &node->contexts[i];
        int responder = node->sc.contexts[i].responder;
        if ((state->ctx || state->group) && state->is_requester &&
            scenario_chain_position(&node->sc, responder) > node->position)
            out[count++] = (int)i;
    }
    for (size_t i = 1; i < count; i++) {
        for (size_t j = i; j > 0; j--) {
            int a = scenario_chain_position(
                &node->sc, node->sc.contexts[out[j - 1]].responder);
            int b = scenario_chain_position(
                &node->sc, node->sc.contexts[out[j]].responder);
            if (a >= b)
                break;
            int swap = out[j];
            out[j] = out[j - 1];
            out[j - 1] = swap;
        }
    }
    return count;
}

/*
 * What the sender knows about the peer of a layer, for the escalation
 * procedure of draft-ietf-core-oscore-capable-proxies 2.2. The engine asks "is
 * X a (forward) proxy" where the procedure asks "is X the immediately next
 * consumer": with several proxies on the path only the next hop consumes
 * Hop-Limit and the proxy options first, so a proxy farther down is described
 * as a plain peer (otherwise Proxy-Scheme would hide in the innermost proxy
 * layer and the first proxy could not forward).
 */
static osc_layer_peer layer_peer(const ep_node *node, int context)
{
    const scenario *sc = &node->sc;
    int peer = sc->contexts[context].responder;
    int next = ep_node_next_hop(node);
    osc_layer_peer facts;
    memset(&facts, 0, sizeof facts);
    facts.sender_is_origin = node->me->role == SC_ROLE_CLIENT;
    facts.peer_is_next_hop = peer == next;
    if (next >= 0) {
        sc_role next_role = sc->nodes[next].role;
        facts.next_hop_is_proxy = scenario_is_proxy(next_role);
        facts.next_hop_is_forward_proxy = next_role == SC_ROLE_FORWARD_PROXY;
    }
    facts.peer_is_proxy = facts.peer_is_next_hop && facts.next_hop_is_proxy;
    facts.peer_is_forward_proxy =
        facts.peer_is_next_hop && facts.next_hop_is_forward_proxy;
    return facts;
}

osc_status ep_protect_request_layer(ep_node *node, int context,
                                    const osc_coap_message *in, uint8_t *work,
                                    size_t work_cap, osc_coap_message *out,
                                    osc_request_binding *binding)
{
    ep_context_state *state = &node->contexts[context];
    const sc_context *sc_ctx = &node->sc.contexts[context];
    osc_request_layer_spec spec;
    memset(&spec, 0, sizeof spec);
    spec.ctx = state->ctx;
    if (state->group) {
        /* RFC 10021: group mode to every member, or pairwise mode to the
         * context's responder. */
        spec.group = state->group;
        spec.group_sender = state->member;
        spec.pairwise = sc_ctx->pairwise;
        const uint8_t *id;
        size_t id_len;
        spec.pairwise_recipient = OSC_GROUP_NO_MEMBER;
        if (scenario_member_id(sc_ctx, sc_ctx->responder, &id, &id_len))
            spec.pairwise_recipient =
                osc_group_find_member(state->group, id, id_len);
    }
    spec.party = OSC_PARTY_SENDER; /* the keys file's sender requests */
    spec.sequence_number = state->next_sequence++;
    spec.include_kid_context = sc_ctx->kid_context;
    spec.peer = layer_peer(node, context);
    return osc_protect_request_layers(in, &spec, 1, work, work_cap, out,
                                      binding);
}

void ep_node_peel_request(const ep_node *node, osc_peel *peel,
                          const osc_coap_message *msg)
{
    size_t max = node->me->max_layers;
    osc_peel_init(peel, msg, node->responder_set, NULL, 0,
                  max < EP_MAX_LAYERS ? max : EP_MAX_LAYERS);
    /* The requester is the keys file's sender. */
    osc_peel_only_requester(peel, OSC_PARTY_SENDER);
}

osc_status ep_accept_request_layer(ep_node *node, osc_layer_result *result,
                                   int *context)
{
    if (result->group)
        *context = node->responder_group_context[osc_context_set_group_index_of(
            node->responder_set, result->group)];
    else
        *context = node->responder_context[result->candidate_index];
    /* RFC 8613 7.4: accept each Partial IV once; the window is updated
     * only after the message authenticated. */
    ep_context_state *state = &node->contexts[*context];
    uint64_t sequence =
        osc_piv_to_sequence(result->option.piv, result->option.piv_len);
    if (osc_replay_check(&state->replay, sequence) != OSC_OK) {
        result->status = OSC_ERR_REPLAY;
        return OSC_ERR_REPLAY;
    }
    osc_replay_update(&state->replay, sequence);
    return OSC_OK;
}

osc_status ep_protect_response(ep_node *node, const osc_coap_message *in,
                               const ep_removed_layer *removed, size_t count,
                               bool first_response, uint8_t *work,
                               size_t work_cap, osc_coap_message *out)
{
    if (count == 0) {
        *out = *in;
        return OSC_OK;
    }
    osc_response_layer_spec specs[EP_MAX_LAYERS];
    for (size_t i = 0; i < count && i < EP_MAX_LAYERS; i++) {
        ep_context_state *state = &node->contexts[removed[i].context];
        /* A group server may give even its first response a Partial IV
         * (RFC 10021 8.3, scenario `group_piv=`). */
        bool with_piv =
            !first_response || (state->group && node->me->group_piv);
        specs[i].request = &removed[i].binding;
        specs[i].with_piv = with_piv;
        specs[i].sequence_number = with_piv ? state->next_sequence++ : 0;
        specs[i].group_sender = state->member;
    }
    return osc_protect_response_layers(in, specs, count, work, work_cap, out);
}

bool ep_serialize(const ep_node *node, osc_coap_message *msg, uint8_t *out,
                  size_t cap, size_t *len)
{
    msg->framing = node->framing;
    if (node->framing != OSC_COAP_FRAMING_UDP) {
        msg->type = 0;
        msg->message_id = 0;
    }
    osc_status status = osc_coap_serialize(msg, out, cap, len);
    if (status != OSC_OK) {
        ep_log(node, "cannot serialize: %s", osc_status_message(status));
        return false;
    }
    return true;
}

bool ep_option_unknown(uint16_t number)
{
    return osc_option_name(number) == NULL;
}
