/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * OSCORE option value, AEAD nonce and AAD (RFC 8613 sections 5 and 6).
 */
#include "oscore/cose.h"

#include <string.h>

#include "oscore/cbor.h"

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

osc_status osc_nonce(const uint8_t *common_iv, size_t nonce_len,
                     const uint8_t *id_piv, size_t id_piv_len,
                     const uint8_t *piv, size_t piv_len, uint8_t *nonce)
{
    if (nonce_len < OSC_MIN_NONCE_LEN || nonce_len > OSC_MAX_NONCE_LEN ||
        piv_len > OSC_MAX_PIV_LEN)
        return OSC_ERR_INVALID_ARGUMENT;
    size_t id_field_len = nonce_len - 6;
    if (id_piv_len > id_field_len)
        return OSC_ERR_ID_TOO_LONG;

    /* S | ID_PIV left-padded to nonce_len - 6 | PIV left-padded to 5 */
    uint8_t plain[OSC_MAX_NONCE_LEN] = {0};
    plain[0] = (uint8_t)id_piv_len;
    if (id_piv_len)
        memcpy(plain + 1 + id_field_len - id_piv_len, id_piv, id_piv_len);
    if (piv_len)
        memcpy(plain + nonce_len - piv_len, piv, piv_len);
    for (size_t i = 0; i < nonce_len; i++)
        nonce[i] = plain[i] ^ common_iv[i];
    return OSC_OK;
}

/* Writes the aad_array; shared by the size computation and the AAD. */
static void put_aad_array(osc_cbor_writer *w, int aead_id,
                          const uint8_t *request_kid, size_t request_kid_len,
                          const uint8_t *request_piv, size_t request_piv_len,
                          const uint8_t *class_i_options,
                          size_t class_i_options_len)
{
    osc_cbor_put_array(w, 5);
    osc_cbor_put_uint(w, 1); /* oscore_version */
    osc_cbor_put_array(w, 1);
    osc_cbor_put_int(w, aead_id);
    osc_cbor_put_bstr(w, request_kid, request_kid_len);
    osc_cbor_put_bstr(w, request_piv, request_piv_len);
    osc_cbor_put_bstr(w, class_i_options, class_i_options_len);
}

static size_t aad_array_size(int aead_id, size_t request_kid_len,
                             size_t request_piv_len, size_t class_i_options_len)
{
    /* A zero-capacity writer only counts bytes; byte string contents are
     * added by length since only their size matters here. */
    osc_cbor_writer w;
    osc_cbor_writer_init(&w, NULL, 0);
    osc_cbor_put_array(&w, 5);
    osc_cbor_put_uint(&w, 1);
    osc_cbor_put_array(&w, 1);
    osc_cbor_put_int(&w, aead_id);
    osc_cbor_put_bstr_head(&w, request_kid_len);
    w.length += request_kid_len;
    osc_cbor_put_bstr_head(&w, request_piv_len);
    w.length += request_piv_len;
    osc_cbor_put_bstr_head(&w, class_i_options_len);
    w.length += class_i_options_len;
    return w.length;
}

static const char encrypt0_context[] = "Encrypt0";

size_t osc_aad_size(int aead_id, size_t request_kid_len, size_t request_piv_len,
                    size_t class_i_options_len)
{
    size_t array_len = aad_array_size(aead_id, request_kid_len, request_piv_len,
                                      class_i_options_len);
    osc_cbor_writer w;
    osc_cbor_writer_init(&w, NULL, 0);
    osc_cbor_put_array(&w, 3);
    osc_cbor_put_tstr(&w, encrypt0_context, sizeof encrypt0_context - 1);
    osc_cbor_put_bstr(&w, NULL, 0);
    osc_cbor_put_bstr_head(&w, array_len);
    return w.length + array_len;
}

osc_status osc_aad(int aead_id, const uint8_t *request_kid,
                   size_t request_kid_len, const uint8_t *request_piv,
                   size_t request_piv_len, const uint8_t *class_i_options,
                   size_t class_i_options_len, uint8_t *out, size_t cap,
                   size_t *written)
{
    *written = 0;
    size_t array_len = aad_array_size(aead_id, request_kid_len, request_piv_len,
                                      class_i_options_len);
    osc_cbor_writer w;
    osc_cbor_writer_init(&w, out, cap);
    /* Enc_structure = ["Encrypt0", h'' (empty protected header),
     * external_aad], external_aad being the aad_array wrapped in a bstr
     * exactly once. */
    osc_cbor_put_array(&w, 3);
    osc_cbor_put_tstr(&w, encrypt0_context, sizeof encrypt0_context - 1);
    osc_cbor_put_bstr(&w, NULL, 0);
    osc_cbor_put_bstr_head(&w, array_len);
    put_aad_array(&w, aead_id, request_kid, request_kid_len, request_piv,
                  request_piv_len, class_i_options, class_i_options_len);
    if (w.status != OSC_OK)
        return w.status;
    *written = w.length;
    return OSC_OK;
}
