/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Protecting a message with several OSCORE layers
 * (draft-ietf-core-oscore-capable-proxies sections 2.2 to 2.5;
 * docs/DESIGN.md summarises the rules): the onion order of a request's
 * layers, the mirrored order of a response's, and which outer-only options
 * each layer must hide (the option protection steps of section 2.2).
 * Removing layers is peel.h's.
 *
 * Terminology: a request's layers are listed in the order they are
 * removed, outermost first (index 0 = the OSCORE option visible on the
 * wire). A response layer at index i is bound to the request layer at
 * index i on the same leg.
 */
#ifndef OSCORE_LAYER_STACK_H
#define OSCORE_LAYER_STACK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "oscore/coap.h"
#include "oscore/context.h"
#include "oscore/layer.h"
#include "oscore/status.h"

/* What the sender of a layer knows about the endpoint X it shares the
 * layer's context with, and about its next hop. The escalation procedure
 * (osc_option_escalate) is fed from these facts. */
typedef struct osc_layer_peer {
    bool sender_is_origin;      /* sender created the request's options
                                   (client); false for a forwarding proxy */
    bool peer_is_next_hop;      /* X is the sender's next hop */
    bool peer_is_proxy;         /* X is a proxy (forward or reverse) */
    bool peer_is_forward_proxy; /* X consumes Proxy-Uri/Proxy-Scheme and
                                   Uri-Host/Uri-Port with Proxy-Scheme */
    bool next_hop_is_proxy;
    bool next_hop_is_forward_proxy;
    bool peer_needs_edhoc_option; /* X is the EDHOC responder of a combined
                                     request protected by this layer */
    bool next_hop_needs_edhoc_option;
} osc_layer_peer;

/*
 * The outer-only options of msg that must go inside the layer shared with
 * the peer described by `peer`, by the steps of
 * draft-ietf-core-oscore-capable-proxies 2.2. Writes their numbers (each
 * once) into out and returns how many.
 */
size_t osc_layer_escalations(const osc_coap_message *msg,
                             const osc_layer_peer *peer,
                             uint16_t out[OSC_MAX_ESCALATED]);

struct osc_group_context; /* group.h */

/* One layer to apply to a request: a plain context (ctx), or a Group
 * OSCORE one (group set, ctx NULL; RFC 10021 group mode, or pairwise mode
 * towards one member). */
typedef struct osc_request_layer_spec {
    const osc_context *ctx;
    osc_party party; /* the party of ctx that sends the request */
    uint64_t sequence_number;
    bool include_kid_context;
    osc_layer_peer peer;
    const struct osc_group_context *group;
    size_t group_sender;       /* member index of the requester */
    bool pairwise;             /* pairwise mode instead of group mode */
    size_t pairwise_recipient; /* pairwise: member index of the server */
} osc_request_layer_spec;

/* One layer to apply to a response. A request layer of a group context
 * is answered in its own mode by the member group_sender. */
typedef struct osc_response_layer_spec {
    const osc_request_binding *request; /* request layer it answers */
    bool with_piv;
    uint64_t sequence_number; /* responder's, used when with_piv */
    size_t group_sender;      /* group layers: the responder's member index */
} osc_response_layer_spec;

/* Work bytes enough to protect msg with `layers` layers of any kind, plain
 * or Group OSCORE. */
size_t osc_layers_protect_work_size(const osc_coap_message *msg, size_t layers);

/*
 * Applies layer_count layers to a request, specs[0] first (innermost,
 * draft-ietf-core-oscore-capable-proxies 2.3). bindings (may be NULL) receives
 * layer_count entries in removal order: bindings[0] = the outermost layer =
 * specs[last]. Errors: as osc_layer_protect (osc_group_protect for a group
 * layer), OSC_ERR_INVALID_ARGUMENT for 0 layers.
 */
osc_status osc_protect_request_layers(const osc_coap_message *msg,
                                      const osc_request_layer_spec *specs,
                                      size_t layer_count, uint8_t *work,
                                      size_t work_cap, osc_coap_message *out,
                                      osc_request_binding *bindings);

/*
 * Applies layers to a response: the responder applies exactly the layers
 * it removed from the request, in reverse order of removal. specs are
 * given in the request's removal order (specs[0] answers the outermost
 * request layer); specs[last] is applied first. Errors: as for requests,
 * OSC_ERR_NO_REQUEST_BINDING for a spec without a request layer.
 */
osc_status osc_protect_response_layers(const osc_coap_message *msg,
                                       const osc_response_layer_spec *specs,
                                       size_t layer_count, uint8_t *work,
                                       size_t work_cap, osc_coap_message *out);

#endif
