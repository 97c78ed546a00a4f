/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The AEAD nonce of RFC 8613 5.2 (also Group OSCORE's, RFC 10021 2.3.2).
 */
#ifndef OSCORE_NONCE_H
#define OSCORE_NONCE_H

#include <stddef.h>
#include <stdint.h>

#include "oscore/status.h"

/*
 * AEAD nonce (RFC 8613 5.2): S || pad || ID_PIV || pad || PIV, XORed
 * with the first nonce_len bytes of common_iv. id_piv is the Sender ID of
 * the endpoint that generated the Partial IV.
 * Errors: OSC_ERR_ID_TOO_LONG (id_piv longer than nonce_len - 6),
 * OSC_ERR_INVALID_ARGUMENT (piv_len > 5, nonce_len outside 7..13).
 */
osc_status osc_nonce(const uint8_t *common_iv, size_t nonce_len,
                     const uint8_t *id_piv, size_t id_piv_len,
                     const uint8_t *piv, size_t piv_len, uint8_t *nonce);

#endif
