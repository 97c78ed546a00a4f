/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The OSCORE option value (RFC 8613 6.1; the Group Flag of RFC 10021
 * 4.1): flags, Partial IV, kid context and kid of the COSE_Encrypt0
 * object OSCORE compresses, and the Partial IV's relation to the sender
 * sequence number (RFC 8613 6.1, 7.2).
 */
#ifndef OSCORE_OPTION_VALUE_H
#define OSCORE_OPTION_VALUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "oscore/context.h"
#include "oscore/status.h"

#define OSC_MAX_PIV_LEN 5
#define OSC_MAX_SEQUENCE_NUMBER ((uint64_t)0xffffffffff) /* 2^40 - 1 */
/* kid is bounded by the option length (255) minus the flag byte. */
#define OSC_MAX_KID_LEN 254

/* Flag bits of the first byte of the OSCORE option value. */
enum {
    OSC_FLAG_PIV_LENGTH_MASK = 0x07,
    OSC_FLAG_KID = 0x08,
    OSC_FLAG_KID_CONTEXT = 0x10,
    OSC_FLAG_GROUP = 0x20,
    OSC_FLAG_RESERVED_MASK = 0xc0
};

/* The decoded OSCORE option value. Pointers point into the decoded
 * buffer. */
typedef struct osc_option_value {
    uint8_t flags; /* first byte (0 when the value is empty) */
    bool group_flag;
    const uint8_t *piv;
    size_t piv_len; /* 0 = no Partial IV */
    bool has_kid_context;
    const uint8_t *kid_context;
    size_t kid_context_len;
    bool has_kid;
    const uint8_t *kid;
    size_t kid_len;
} osc_option_value;

/*
 * Decodes an OSCORE option value. An empty value is valid (no flags).
 * Errors: OSC_ERR_OPTION_RESERVED_FLAGS, OSC_ERR_OPTION_PIV_RESERVED,
 * OSC_ERR_OPTION_TRUNCATED, OSC_ERR_OPTION_TRAILING_BYTES,
 * OSC_ERR_OPTION_EMPTY_FLAGS_NONEMPTY.
 */
osc_status osc_option_value_decode(const uint8_t *value, size_t len,
                                   osc_option_value *out);

/*
 * Encodes an option value (flags computed from the fields; group_flag
 * sets 0x20). Writes at most 1 + 5 + 1 + 255 + kid_len bytes.
 * Errors: OSC_ERR_BUFFER_TOO_SMALL, OSC_ERR_INVALID_ARGUMENT (PIV longer
 * than 5 bytes, kid context longer than 255).
 */
osc_status osc_option_value_encode(const osc_option_value *value, uint8_t *out,
                                   size_t cap, size_t *written);

/*
 * Encodes a sequence number as a Partial IV: big endian without leading
 * zero bytes, 0 -> 0x00. Returns its length (1..5) or 0 when the number
 * exceeds 2^40 - 1.
 */
size_t osc_piv_from_sequence(uint64_t sequence, uint8_t out[OSC_MAX_PIV_LEN]);

/* Sequence number of a Partial IV (1..5 bytes; leading zeros allowed). */
uint64_t osc_piv_to_sequence(const uint8_t *piv, size_t piv_len);

/* Room for any OSCORE option value: flags, Partial IV, kid context
 * (length byte and up to 255 bytes) and a kid of up to OSC_MAX_ID_LEN. */
#define OSC_OPTION_VALUE_MAX (1 + OSC_MAX_PIV_LEN + 1 + 255 + OSC_MAX_ID_LEN)

#endif
