/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What every reference endpoint has: its place in the scenario's chain,
 * the security contexts it holds (from the keys file) with their sequence
 * numbers and replay windows, token and Message ID counters, and the
 * helpers that apply and remove the OSCORE layers of one leg.
 */
#ifndef OSCORE_ENDPOINTS_NODE_H
#define OSCORE_ENDPOINTS_NODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "net.h"
#include "oscore/coap.h"
#include "oscore/layer_stack.h"
#include "oscore/peel.h"
#include "oscore/replay.h"
#include "oscore_keyfile.h"
#include "scenario.h"

#define EP_MAX_LAYERS 8
/* Work area of one layer: the largest message plus OSCORE overhead. */
#define EP_LAYER_WORK 8192
#define EP_MAX_MESSAGE 4096

typedef struct ep_context_state {
    const osc_context *ctx; /* NULL when this node does not hold it */
    /* Group OSCORE contexts (ctx NULL then): the group and this node's
     * member index in it. */
    const struct osc_group_context *group;
    size_t member;
    bool is_requester;      /* this node sends the requests in it */
    uint64_t next_sequence; /* this node's Sender Sequence Number */
    osc_replay_window replay;
} ep_context_state;

/* A layer removed from a request: what its response layers bind to. */
typedef struct ep_removed_layer {
    int context;
    osc_request_binding binding;
} ep_removed_layer;

typedef struct ep_node {
    scenario sc;
    int self;
    const sc_node *me;
    int position; /* in the chain */
    oscore_keyfile *keys;
    ep_context_state contexts[SC_MAX_CONTEXTS];
    ep_net *net;
    size_t tokens_used;
    sc_token last_token;
    uint16_t next_mid;
    osc_coap_framing framing;
    /* The contexts this node is the responder of, for osc_peel, and the
     * scenario context of each set index. */
    osc_context_set *responder_set;
    int responder_context[SC_MAX_CONTEXTS];
    int responder_group_context[SC_MAX_CONTEXTS];
} ep_node;

/* Loads the scenario and keys, finds the node and opens its socket. */
bool ep_node_init(ep_node *node, const char *scenario_path,
                  const char *node_name, bool accept_connections);
void ep_node_free(ep_node *node);

void ep_log(const ep_node *node, const char *format, ...)
    __attribute__((format(printf, 2, 3)));
/* One line describing a message: type, MID, token, code, options. */
void ep_log_message(const ep_node *node, const char *what,
                    const osc_coap_message *msg);

/* Gives msg the len-byte token at token (up to SC_MAX_TOKEN, RFC 8974):
 * copied when the message keeps it inline, else pointed at, so token
 * must then outlive msg. */
void ep_set_token(osc_coap_message *msg, const uint8_t *token, size_t len);
/* True when msg's token is the len bytes at token. */
bool ep_same_token(const osc_coap_message *msg, const uint8_t *token,
                   size_t len);

/* Deterministic token and Message ID for the next request this node
 * originates (scenario `tokens=` and `mid=`). */
void ep_node_next_token(ep_node *node, osc_coap_message *msg);
uint16_t ep_node_next_mid(ep_node *node);

/* The chain neighbour towards the server, or -1. */
int ep_node_next_hop(const ep_node *node);

/*
 * Contexts this node applies to a request it sends on its next leg, in
 * the draft's onion order (draft-ietf-core-oscore-capable-proxies 2.3): the
 * one shared with the node
 * farthest down the chain first, the next hop's last.
 */
size_t ep_node_request_layers(const ep_node *node, int *out, size_t cap);

/* Applies one request layer of `context` to in. */
osc_status ep_protect_request_layer(ep_node *node, int context,
                                    const osc_coap_message *in, uint8_t *work,
                                    size_t work_cap, osc_coap_message *out,
                                    osc_request_binding *binding);

/*
 * Starts removing the layers of a request addressed to this node: *peel
 * looks candidates up among the contexts in which this node is the
 * responder (their requester is the keys file's sender), and the groups
 * it is a member of, up to the node's max_layers. osc_peel_addressed(peel)
 * says whether the next layer is addressed to this node.
 */
void ep_node_peel_request(const ep_node *node, osc_peel *peel,
                          const osc_coap_message *msg);

/*
 * After osc_peel_next removed a request layer into *result: sets *context
 * to the scenario context it used and applies the replay check of RFC 8613
 * 7.4 (OSC_ERR_REPLAY, also stored in result->status).
 */
osc_status ep_accept_request_layer(ep_node *node, osc_layer_result *result,
                                   int *context);

/*
 * Protects a response with exactly the layers removed from its request,
 * in reverse order (draft-ietf-core-oscore-capable-proxies 2.5). Each layer
 * carries this node's own Partial IV unless first_response (2.5.1 of the
 * draft: only the first response to a request may omit it). removed[0] is the
 * outermost removed layer. With no layers, *out is a copy of in.
 */
osc_status ep_protect_response(ep_node *node, const osc_coap_message *in,
                               const ep_removed_layer *removed, size_t count,
                               bool first_response, uint8_t *work,
                               size_t work_cap, osc_coap_message *out);

/* Serializes with this node's framing. */
bool ep_serialize(const ep_node *node, osc_coap_message *msg, uint8_t *out,
                  size_t cap, size_t *len);

/* True for options the endpoints do not recognize (no registry name). */
bool ep_option_unknown(uint16_t number);

#endif
