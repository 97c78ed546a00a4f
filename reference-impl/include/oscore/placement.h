/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Where the options of a request belong among its OSCORE layers
 * (draft-ietf-core-oscore-capable-proxies 2.2 and 2.4), judged from the
 * layers as they were removed: one set of rules for the decryptor's
 * expert infos and the endpoints' per-hop processing, driven by the option
 * registry (options.h: classes of RFC 8613 4.1, proxy_use).
 *
 * Every function here is a pure computation on caller-owned messages.
 */
#ifndef OSCORE_PLACEMENT_H
#define OSCORE_PLACEMENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "oscore/coap.h"
#include "oscore/layer.h"

/*
 * True when msg is in the forward-proxy form (draft 2.4 steps 1-2): it
 * carries an option whose registry proxy_use is OSC_PROXY_USE_TARGET
 * (Proxy-Uri, Proxy-Scheme). The endpoint that sees it after removing its
 * own layers must be a forward proxy (else 5.05); the option protection
 * steps (2.2 steps 6-7) read the same form for Uri-Host/Uri-Port.
 */
bool osc_request_is_forward_form(const osc_coap_message *msg);

/* Options listed at most per list and layer; more are dropped. */
#define OSC_MAX_MISPLACED 8

/* The options of one layer that sit where the draft does not put them.
 * Each list holds option numbers, each once, in message order. */
typedef struct osc_layer_placement {
    /* Proxy-related options outside a hop layer whose remover (the proxy
     * sharing it) consumes them: they belong inside it (2.2 step 8). */
    uint16_t outside[OSC_MAX_MISPLACED];
    size_t outside_count;
    /* Proxy-related options inside the end-to-end layer of a message with
     * several layers: the proxy that processes them cannot read them
     * (2.2 step 9 keeps them outer there). */
    uint16_t inside[OSC_MAX_MISPLACED];
    size_t inside_count;
    /* End-to-end (Class E only) options inside a hop layer, readable by
     * the proxy that removes it. Uri-Path and Uri-Query count only when
     * the innermost layer carries none of them; otherwise they are routing
     * segments for a reverse proxy (appendix B.8 of the draft). */
    uint16_t readable_e2e[OSC_MAX_MISPLACED];
    size_t readable_e2e_count;
} osc_layer_placement;

/*
 * Checks a request's removed layers, from what a passive observer can
 * know: a layer whose plaintext carries a further OSCORE option is a hop
 * layer (its remover forwards the message, so it is a proxy); the
 * innermost layer of a message with several is the end-to-end one.
 *
 * wire: the request as received; results[k]: the outcome of removing
 * layer k (0 = outermost), for k < removed. complete: every layer was
 * removed, so results[removed - 1] is the end-to-end layer.
 * outermost_added_on_leg: the outermost layer was applied by this leg's
 * sender (false when the same layer was already seen on an earlier leg: a
 * forwarding proxy rightly leaves the proxy options it passes on outside
 * a layer it did not add, as with chains of forward proxies).
 * Fills out[0..removed-1] (out[k] describes layer k).
 */
void osc_check_placement(const osc_coap_message *wire,
                         const osc_layer_result *const *results, size_t removed,
                         bool complete, bool outermost_added_on_leg,
                         osc_layer_placement *out);

#endif
