/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The AAD: external_aad in an Enc_structure (RFC 8613 5.4).
 */
#include "oscore/aad.h"

#include "oscore/cbor.h"

/* Writes the aad_array; shared by the size computation and the AAD. */
static void put_aad_array(osc_cbor_writer *w, int aead_id,
                          osc_bytes request_kid, osc_bytes request_piv,
                          osc_bytes class_i_options)
{
    osc_cbor_put_array(w, 5);
    osc_cbor_put_uint(w, 1); /* oscore_version */
    osc_cbor_put_array(w, 1);
    osc_cbor_put_int(w, aead_id);
    osc_cbor_put_bstr(w, request_kid.ptr, request_kid.len);
    osc_cbor_put_bstr(w, request_piv.ptr, request_piv.len);
    osc_cbor_put_bstr(w, class_i_options.ptr, class_i_options.len);
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

osc_status osc_aad(int aead_id, osc_bytes request_kid, osc_bytes request_piv,
                   osc_bytes class_i_options, uint8_t *out, size_t cap,
                   size_t *written)
{
    *written = 0;
    size_t array_len = aad_array_size(aead_id, request_kid.len, request_piv.len,
                                      class_i_options.len);
    osc_cbor_writer w;
    osc_cbor_writer_init(&w, out, cap);
    /* Enc_structure = ["Encrypt0", h'' (empty protected header),
     * external_aad], external_aad being the aad_array wrapped in a bstr
     * exactly once. */
    osc_cbor_put_array(&w, 3);
    osc_cbor_put_tstr(&w, encrypt0_context, sizeof encrypt0_context - 1);
    osc_cbor_put_bstr(&w, NULL, 0);
    osc_cbor_put_bstr_head(&w, array_len);
    put_aad_array(&w, aead_id, request_kid, request_piv, class_i_options);
    if (w.status != OSC_OK)
        return w.status;
    *written = w.length;
    return OSC_OK;
}
