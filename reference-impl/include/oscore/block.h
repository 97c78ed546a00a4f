/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Block-wise transfers (RFC 7959) as OSCORE sees them. Inside a layer,
 * Block1/Block2 are Class E options: every block is its own OSCORE message
 * (RFC 8613 4.1.3.4.1). Outside every layer they are Outer Block options
 * (RFC 8613 4.1.3.4.2): an intermediary (or an endpoint) splits the
 * protected message itself, its ciphertext spread over several CoAP
 * messages, and the receiver puts the payload back together before it can
 * remove a layer. These functions decode and encode the option value and
 * rebuild the message a transfer carried; they keep no state (the
 * reassembly buffer belongs to the caller: the endpoints keep one, the
 * plugin uses Wireshark's reassembly).
 */
#ifndef OSCORE_BLOCK_H
#define OSCORE_BLOCK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "oscore/coap.h"
#include "oscore/status.h"

/* NUM is at most 20 bits (a 3-byte value, RFC 7959 2.2). */
#define OSC_BLOCK_MAX_NUM 0xfffffu
/* SZX 7 is reserved over UDP and means BERT over TCP (RFC 8323 6). */
#define OSC_BLOCK_MAX_SZX 6u

/* One Block1 or Block2 option value: block NUM of 2^(SZX+4) bytes, more
 * blocks follow when `more` is set. */
typedef struct osc_block {
    uint32_t num;
    bool more;
    uint8_t szx;
} osc_block;

/* Bytes per block of a size exponent (16 for SZX 0 ... 1024 for 6). */
size_t osc_block_size(uint8_t szx);

/* Byte offset of the block in the whole payload: NUM * size. */
size_t osc_block_offset(const osc_block *block);

/*
 * Decodes an option value of 0 to 3 bytes (RFC 7959 2.2; the empty value
 * is NUM 0, M 0, SZX 0). Errors: OSC_ERR_BLOCK_INVALID for a longer value
 * or SZX 7 (BERT, not supported).
 */
osc_status osc_block_decode(const uint8_t *value, size_t length,
                            osc_block *out);

/* Encodes block into out (the shortest form, 0 to 3 bytes) and returns
 * its length. block->num must be at most OSC_BLOCK_MAX_NUM and block->szx
 * at most OSC_BLOCK_MAX_SZX. */
uint32_t osc_block_encode(const osc_block *block, uint8_t out[3]);

/*
 * The Block option `number` (OSC_OPT_BLOCK1 or OSC_OPT_BLOCK2) of msg as
 * it stands (outside every layer when msg is the message on the wire).
 * Errors: OSC_ERR_NO_BLOCK_OPTION when msg has none, OSC_ERR_BLOCK_INVALID
 * as osc_block_decode.
 */
osc_status osc_block_get(const osc_coap_message *msg, uint16_t number,
                         osc_block *out);

/*
 * Block `num` of a payload of total_length bytes cut in blocks of 2^(szx+4)
 * bytes: *offset and *length of its bytes and out->more. Returns false
 * when the payload has no such block (num past its end).
 */
bool osc_block_slice(size_t total_length, uint32_t num, uint8_t szx,
                     osc_block *out, size_t *offset, size_t *length);

/*
 * The message an outer Block-wise transfer carried (RFC 8613 4.1.3.4.2,
 * RFC 7959 2.3/2.4): *out is a copy of last_block (the block that completed
 * the transfer: its code, token and options) without the options of the
 * transfer itself (Block1, Block2, Size1, Size2 and Request-Tag of RFC 9175
 * 3.2), whose payload is the reassembled one. out->payload points to
 * payload, which must outlive *out.
 */
void osc_block_reassembled(const osc_coap_message *last_block,
                           const uint8_t *payload, size_t payload_length,
                           osc_coap_message *out);

#endif
