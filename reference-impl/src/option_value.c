/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The OSCORE option value and the Partial IV (RFC 8613 6.1).
 */
#include "oscore/option_value.h"

#include <string.h>

osc_status osc_option_value_decode(const uint8_t *value, size_t len,
                                   osc_option_value *out)
{
    memset(out, 0, sizeof *out);
    if (len == 0)
        return OSC_OK; /* empty value: no flags, no fields */

    uint8_t flags = value[0];
    out->flags = flags;
    if (flags & OSC_FLAG_RESERVED_MASK)
        return OSC_ERR_OPTION_RESERVED_FLAGS;
    /* RFC 8613 6.1: with every flag bit zero the value must be empty. */
    if (flags == 0)
        return OSC_ERR_OPTION_EMPTY_FLAGS_NONEMPTY;

    size_t piv_len = flags & OSC_FLAG_PIV_LENGTH_MASK;
    if (piv_len > OSC_MAX_PIV_LEN)
        return OSC_ERR_OPTION_PIV_RESERVED;

    size_t pos = 1;
    if (piv_len > len - pos)
        return OSC_ERR_OPTION_TRUNCATED;
    out->piv = piv_len ? value + pos : NULL;
    out->piv_len = piv_len;
    pos += piv_len;

    out->group_flag = (flags & OSC_FLAG_GROUP) != 0;

    if (flags & OSC_FLAG_KID_CONTEXT) {
        if (pos >= len)
            return OSC_ERR_OPTION_TRUNCATED;
        size_t s = value[pos++];
        if (s > len - pos)
            return OSC_ERR_OPTION_TRUNCATED;
        out->has_kid_context = true;
        out->kid_context = value + pos;
        out->kid_context_len = s;
        pos += s;
    }

    if (flags & OSC_FLAG_KID) {
        /* The kid is always last and takes every remaining byte. */
        out->has_kid = true;
        out->kid = value + pos;
        out->kid_len = len - pos;
        if (out->kid_len > OSC_MAX_KID_LEN)
            return OSC_ERR_OPTION_KID_TOO_LONG;
        pos = len;
    }

    if (pos != len)
        return OSC_ERR_OPTION_TRAILING_BYTES;
    return OSC_OK;
}

osc_status osc_option_value_encode(const osc_option_value *value, uint8_t *out,
                                   size_t cap, size_t *written)
{
    *written = 0;
    if (value->piv_len > OSC_MAX_PIV_LEN || value->kid_context_len > 255)
        return OSC_ERR_INVALID_ARGUMENT;

    uint8_t flags = (uint8_t)value->piv_len;
    if (value->has_kid)
        flags |= OSC_FLAG_KID;
    if (value->has_kid_context)
        flags |= OSC_FLAG_KID_CONTEXT;
    if (value->group_flag)
        flags |= OSC_FLAG_GROUP;
    if (flags == 0)
        return OSC_OK; /* empty option value */

    size_t need = 1 + value->piv_len +
                  (value->has_kid_context ? 1 + value->kid_context_len : 0) +
                  (value->has_kid ? value->kid_len : 0);
    if (need > cap)
        return OSC_ERR_BUFFER_TOO_SMALL;

    size_t pos = 0;
    out[pos++] = flags;
    if (value->piv_len) {
        memcpy(out + pos, value->piv, value->piv_len);
        pos += value->piv_len;
    }
    if (value->has_kid_context) {
        out[pos++] = (uint8_t)value->kid_context_len;
        if (value->kid_context_len)
            memcpy(out + pos, value->kid_context, value->kid_context_len);
        pos += value->kid_context_len;
    }
    if (value->has_kid && value->kid_len) {
        memcpy(out + pos, value->kid, value->kid_len);
        pos += value->kid_len;
    }
    *written = pos;
    return OSC_OK;
}

size_t osc_piv_from_sequence(uint64_t sequence, uint8_t out[OSC_MAX_PIV_LEN])
{
    if (sequence > OSC_MAX_SEQUENCE_NUMBER)
        return 0;
    size_t len = 1;
    while (len < OSC_MAX_PIV_LEN && (sequence >> (8 * len)) != 0)
        len++;
    for (size_t i = 0; i < len; i++)
        out[i] = (uint8_t)(sequence >> (8 * (len - 1 - i)));
    return len;
}

uint64_t osc_piv_to_sequence(const uint8_t *piv, size_t piv_len)
{
    uint64_t sequence = 0;
    for (size_t i = 0; i < piv_len && i < OSC_MAX_PIV_LEN; i++)
        sequence = sequence << 8 | piv[i];
    return sequence;
}
