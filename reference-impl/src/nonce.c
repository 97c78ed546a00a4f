/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The AEAD nonce (RFC 8613 5.2).
 */
#include "oscore/nonce.h"

#include <string.h>

#include "oscore/algorithms.h"
#include "oscore/option_value.h"

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
