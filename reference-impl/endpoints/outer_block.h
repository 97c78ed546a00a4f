/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Outer Block-wise transfers of the reference endpoints (RFC 8613
 * 4.1.3.4.2 with RFC 7959): a node that is told to (scenario node setting
 * outer_block=SZX) sends a protected message larger than one block in
 * pieces, with Block1 (requests) or Block2 (responses) outside every OSCORE
 * layer; every node puts such pieces back together before it removes a
 * layer. One transfer per direction at a time is enough for the scenarios.
 */
#ifndef OSCORE_ENDPOINTS_OUTER_BLOCK_H
#define OSCORE_ENDPOINTS_OUTER_BLOCK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "node.h"
#include "oscore/block.h"

/* A message being received in blocks. */
typedef struct ep_outer_rx {
    bool active;
    ep_peer peer;
    uint8_t token[SC_MAX_TOKEN];
    size_t token_length;
    uint8_t data[EP_MAX_MESSAGE];
    size_t length;
} ep_outer_rx;

typedef enum ep_outer_step {
    EP_OUTER_MORE,     /* stored; more blocks to come */
    EP_OUTER_COMPLETE, /* *whole is the message the transfer carried */
    EP_OUTER_BROKEN    /* out of order, too large or not a transfer */
} ep_outer_step;

/*
 * Adds a received block (msg carries the Block option `number` outside
 * every layer, decoded into *block) from peer. Block 0 starts a transfer;
 * later ones must come in order on the same token. On EP_OUTER_COMPLETE,
 * *whole (osc_block_reassembled) points into rx, valid until the next call.
 */
ep_outer_step ep_outer_rx_add(ep_outer_rx *rx, const ep_peer *peer,
                              const osc_coap_message *msg,
                              const osc_block *block, osc_coap_message *whole);

/* A protected message sent in blocks: a copy of it, parsed again, so its
 * options and payload live here and not in the sender's scratch space. */
typedef struct ep_outer_tx {
    bool active;
    ep_peer peer;
    uint8_t szx;
    uint16_t number; /* OSC_OPT_BLOCK1 or OSC_OPT_BLOCK2 */
    uint8_t wire[EP_MAX_MESSAGE];
    osc_coap_message msg;
} ep_outer_tx;

/* True when the node is configured to fragment and msg's payload does not
 * fit in one of its blocks. */
bool ep_outer_wanted(const ep_node *node, const osc_coap_message *msg);

/* Keeps a copy of msg for sending it to peer in blocks of the node's size
 * with option `number`. False (logged) when it cannot. */
bool ep_outer_tx_start(ep_outer_tx *tx, const ep_node *node,
                       const osc_coap_message *msg, const ep_peer *peer,
                       uint16_t number);

/* Block `num` of the kept message: *out is the message with that slice of
 * its payload and the Block option (value in value[3]). False when the
 * message has no such block. */
bool ep_outer_tx_block(const ep_outer_tx *tx, uint32_t num,
                       osc_coap_message *out, uint8_t value[3],
                       osc_block *block);

#endif
