/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Outer Block-wise transfers of the reference endpoints: see
 * outer_block.h. The option values and the rebuilt message come from the
 * engine (block.h); this file only keeps the bytes between messages.
 */
#include "outer_block.h"

#include <string.h>

ep_outer_step ep_outer_rx_add(ep_outer_rx *rx, const ep_peer *peer,
                              const osc_coap_message *msg,
                              const osc_block *block, osc_coap_message *whole)
{
    if (msg->token_length > sizeof rx->token) {
        return EP_OUTER_BROKEN; /* net.c drops such messages already */
    }
    if (block->num == 0) {
        rx->active = true;
        rx->peer = *peer;
        rx->token_length = msg->token_length;
        memcpy(rx->token, osc_coap_token(msg), msg->token_length);
        rx->length = 0;
    } else if (!rx->active || !ep_net_same_peer(&rx->peer, peer) ||
               !ep_same_token(msg, rx->token, rx->token_length)) {
        return EP_OUTER_BROKEN;
    }
    size_t offset = osc_block_offset(block);
    /* RFC 7959 2.3: every block but the last is a whole block. */
    bool whole_block = msg->payload_length == osc_block_size(block->szx);
    if (offset != rx->length || (block->more && !whole_block) ||
        msg->payload_length > sizeof rx->data - offset) {
        rx->active = false;
        return EP_OUTER_BROKEN;
    }
    memcpy(rx->data + offset, msg->payload, msg->payload_length);
    rx->length = offset + msg->payload_length;
    if (block->more) {
        return EP_OUTER_MORE;
    }
    rx->active = false;
    osc_block_reassembled(msg, rx->data, rx->length, whole);
    return EP_OUTER_COMPLETE;
}

bool ep_outer_wanted(const ep_node *node, const osc_coap_message *msg)
{
    return node->me->outer_block_szx >= 0 &&
           msg->payload_length >
               osc_block_size((uint8_t)node->me->outer_block_szx);
}

bool ep_outer_tx_start(ep_outer_tx *tx, const ep_node *node,
                       const osc_coap_message *msg, const ep_peer *peer,
                       uint16_t number)
{
    osc_coap_message copy = *msg;
    size_t len;
    if (!ep_serialize(node, &copy, tx->wire, sizeof tx->wire, &len) ||
        osc_coap_parse(tx->wire, len, node->framing, &tx->msg) != OSC_OK) {
        ep_log(node, "cannot keep the message for outer Block-wise");
        tx->active = false;
        return false;
    }
    tx->active = true;
    tx->peer = *peer;
    tx->szx = (uint8_t)node->me->outer_block_szx;
    tx->number = number;
    return true;
}

bool ep_outer_tx_block(const ep_outer_tx *tx, uint32_t num,
                       osc_coap_message *out, uint8_t value[3],
                       osc_block *block)
{
    size_t offset, length;
    if (!tx->active || !osc_block_slice(tx->msg.payload_length, num, tx->szx,
                                        block, &offset, &length)) {
        return false;
    }
    *out = tx->msg;
    out->payload = tx->msg.payload + offset;
    out->payload_length = length;
    uint32_t value_length = osc_block_encode(block, value);
    osc_coap_remove_option(out, tx->number);
    return osc_coap_add_option(out, tx->number, value, value_length) == OSC_OK;
}
