/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The AAD of RFC 8613 5.4: external_aad wrapped in the COSE
 * Enc_structure. (Group OSCORE's longer external_aad is osc_group_aad in
 * group.h.)
 */
#ifndef OSCORE_AAD_H
#define OSCORE_AAD_H

#include <stddef.h>
#include <stdint.h>

#include "oscore/bytes.h"
#include "oscore/status.h"

/*
 * AAD of RFC 8613 5.4: Enc_structure ["Encrypt0", h'', external_aad] with
 * external_aad = bstr .cbor [1, [alg_aead], request_kid, request_piv,
 * class_i_options]. Writes the AAD into out; *written gets its length.
 * Errors: OSC_ERR_BUFFER_TOO_SMALL.
 */
osc_status osc_aad(int aead_id, osc_bytes request_kid, osc_bytes request_piv,
                   osc_bytes class_i_options, uint8_t *out, size_t cap,
                   size_t *written);

/* Bytes needed by osc_aad for these input lengths. */
size_t osc_aad_size(int aead_id, size_t request_kid_len, size_t request_piv_len,
                    size_t class_i_options_len);

#endif
