/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Block option values (RFC 7959 2.2) and the message an outer Block-wise
 * transfer carried (RFC 8613 4.1.3.4.2). See block.h.
 */
#include "oscore/block.h"

#include "oscore/options.h"

size_t osc_block_size(uint8_t szx)
{
    return (size_t)16 << (szx & 7u);
}

size_t osc_block_offset(const osc_block *block)
{
    return (size_t)block->num * osc_block_size(block->szx);
}

osc_status osc_block_decode(const uint8_t *value, size_t length, osc_block *out)
{
    if (length > 3 || (length > 0 && value == NULL)) {
        return OSC_ERR_BLOCK_INVALID;
    }
    uint32_t v = 0;
    for (size_t i = 0; i < length; i++) {
        v = v << 8 | value[i];
    }
    out->num = v >> 4;
    out->more = (v & 0x8u) != 0;
    out->szx = (uint8_t)(v & 0x7u);
    return out->szx > OSC_BLOCK_MAX_SZX ? OSC_ERR_BLOCK_INVALID : OSC_OK;
}

uint32_t osc_block_encode(const osc_block *block, uint8_t out[3])
{
    uint32_t v = (block->num & OSC_BLOCK_MAX_NUM) << 4 |
                 (block->more ? 0x8u : 0u) | (block->szx & 0x7u);
    uint32_t length = v == 0 ? 0 : v <= 0xff ? 1 : v <= 0xffff ? 2 : 3;
    for (uint32_t i = 0; i < length; i++) {
        out[i] = (uint8_t)(v >> (8 * (length - 1 - i)));
    }
    return length;
}

osc_status osc_block_get(const osc_coap_message *msg, uint16_t number,
                         osc_block *out)
{
    const osc_coap_option *opt = osc_coap_find_option(msg, number);
    if (opt == NULL) {
        return OSC_ERR_NO_BLOCK_OPTION;
    }
    return osc_block_decode(opt->value, opt->length, out);
}

bool osc_block_slice(size_t total_length, uint32_t num, uint8_t szx,
                     osc_block *out, size_t *offset, size_t *length)
{
    size_t size = osc_block_size(szx);
    if (num > OSC_BLOCK_MAX_NUM || szx > OSC_BLOCK_MAX_SZX ||
        (size_t)num * size >= total_length) {
        return false;
    }
    *offset = (size_t)num * size;
    *length = total_length - *offset < size ? total_length - *offset : size;
    out->num = num;
    out->szx = szx;
    out->more = *offset + *length < total_length;
    return true;
}

void osc_block_reassembled(const osc_coap_message *last_block,
                           const uint8_t *payload, size_t payload_length,
                           osc_coap_message *out)
{
    static const uint16_t transfer_options[] = {OSC_OPT_BLOCK1, OSC_OPT_BLOCK2,
                                                OSC_OPT_SIZE1, OSC_OPT_SIZE2,
                                                OSC_OPT_REQUEST_TAG};
    *out = *last_block;
    for (size_t i = 0; i < sizeof transfer_options / sizeof *transfer_options;
         i++) {
        osc_coap_remove_option(out, transfer_options[i]);
    }
    out->payload = payload_length > 0 ? payload : NULL;
    out->payload_length = payload_length;
}
