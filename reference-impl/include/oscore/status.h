/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Named result codes shared by every function of the engine.
 *
 * Contract: every engine function that can fail returns an osc_status.
 * OSC_OK (0) is success; every other value names exactly one reason.
 * On failure, output parameters are left in an unspecified but safe state
 * (never pointing outside the caller's buffers) unless a header says
 * otherwise.
 */
#ifndef OSCORE_STATUS_H
#define OSCORE_STATUS_H

typedef enum osc_status {
    OSC_OK = 0,

    /* Generic */
    OSC_ERR_BUFFER_TOO_SMALL, /* caller-supplied output buffer too small */
    OSC_ERR_INVALID_ARGUMENT, /* NULL pointer or out-of-range parameter */
    OSC_ERR_OUT_OF_MEMORY,    /* allocation failed (context set only) */

    /* CBOR subset */
    OSC_ERR_CBOR_TRUNCATED,   /* item extends past the end of the input */
    OSC_ERR_CBOR_UNSUPPORTED, /* item type outside the supported subset */

    /* CoAP codec */
    OSC_ERR_COAP_TRUNCATED,          /* header, token or option past end */
    OSC_ERR_COAP_BAD_VERSION,        /* UDP version field is not 1 */
    OSC_ERR_COAP_BAD_TOKEN_LENGTH,   /* TKL 15 (RFC 8974 2.1) */
    OSC_ERR_COAP_TOKEN_TOO_LONG,     /* token above 65804 bytes (RFC 8974) */
    OSC_ERR_COAP_EMPTY_WITH_CONTENT, /* code 0.00 with token/options/payload */
    OSC_ERR_COAP_OPTION_DELTA_RESERVED,  /* option delta nibble 15 */
    OSC_ERR_COAP_OPTION_LENGTH_RESERVED, /* option length nibble 15 */
    OSC_ERR_COAP_OPTION_NUMBER_OVERFLOW, /* option number above 65535 */
    OSC_ERR_COAP_PAYLOAD_MARKER_EMPTY,   /* 0xFF followed by no payload */
    OSC_ERR_COAP_TOO_MANY_OPTIONS,       /* more than OSC_COAP_MAX_OPTIONS */
    OSC_ERR_COAP_LENGTH_MISMATCH,        /* RFC 8323 Len disagrees with data */
    OSC_ERR_COAP_OPTIONS_UNSORTED,       /* serializer got decreasing numbers */
    OSC_ERR_COAP_VALUE_TOO_LONG,         /* option value longer than 65804 */
    OSC_ERR_NO_BLOCK_OPTION, /* no Block1/Block2 option of that number */
    OSC_ERR_BLOCK_INVALID,   /* Block value > 3 bytes or SZX 7 */

    /* Algorithms and context derivation */
    OSC_ERR_UNKNOWN_AEAD,        /* AEAD algorithm not supported */
    OSC_ERR_UNKNOWN_HKDF,        /* HKDF algorithm not supported */
    OSC_ERR_ID_TOO_LONG,         /* Sender/Recipient ID > nonce length - 6 */
    OSC_ERR_ID_CONTEXT_TOO_LONG, /* ID Context longer than OSC_MAX_ID_CONTEXT */
    OSC_ERR_SECRET_TOO_LONG,     /* Master Secret/Salt longer than supported */
    OSC_ERR_CRYPTO_BACKEND,      /* libgcrypt refused an operation */

    /* OSCORE option value (RFC 8613 section 6.1) */
    OSC_ERR_OPTION_RESERVED_FLAGS, /* bit 0x40 or 0x80 set */
    OSC_ERR_OPTION_PIV_RESERVED,   /* Partial IV length 6 or 7 */
    OSC_ERR_OPTION_TRUNCATED,      /* PIV or kid context past the end */
    OSC_ERR_OPTION_TRAILING_BYTES, /* bytes left over without the k flag */
    OSC_ERR_OPTION_KID_TOO_LONG,   /* kid longer than any ID can be */
    OSC_ERR_OPTION_EMPTY_FLAGS_NONEMPTY, /* first byte 0 but value longer */

    /* OSCORE message processing */
    OSC_ERR_NO_OSCORE_OPTION,    /* message carries no OSCORE option */
    OSC_ERR_NO_PAYLOAD,          /* OSCORE message without ciphertext */
    OSC_ERR_MISSING_PIV,         /* request without Partial IV */
    OSC_ERR_MISSING_KID,         /* request without kid */
    OSC_ERR_NO_CONTEXT,          /* no candidate context for the kid */
    OSC_ERR_AUTH_FAILED,         /* AEAD tag check failed: no plaintext */
    OSC_ERR_PLAINTEXT_MALFORMED, /* decrypted bytes are not code+options */
    OSC_ERR_NO_REQUEST_BINDING,  /* response without its request layer */
    OSC_ERR_DEPTH_LIMIT,         /* caller's layer cap reached */
    OSC_ERR_PIV_EXHAUSTED,       /* sequence number above 2^40 - 1 */
    OSC_ERR_REPLAY,              /* Partial IV already seen / too old */
    OSC_ERR_EDHOC_PREFIX,        /* EDHOC option but payload has no bstr */
    OSC_ERR_GROUP_UNSUPPORTED,   /* group algorithm or mode not handled */

    /* Group OSCORE (RFC 10021) */
    OSC_ERR_SIGNATURE_INVALID,      /* countersignature does not verify */
    OSC_ERR_CREDENTIAL_MALFORMED,   /* credential without a usable key */
    OSC_ERR_NO_PRIVATE_KEY,         /* operation needs a key we lack */
    OSC_ERR_TOO_MANY_MEMBERS,       /* more than OSC_GROUP_MAX_MEMBERS */
    OSC_ERR_CREDENTIAL_UNSUPPORTED, /* X.509, C509 or CWT, not a CCS */
    OSC_ERR_CREDENTIAL_WRONG_CURVE, /* key of another curve than needed */
    OSC_ERR_UNKNOWN_MEMBER,         /* kid of no member of the group */

    OSC_STATUS_COUNT
} osc_status;

/* A short, stable, lower-case English description of a status ("ok",
 * "authentication failed", ...). Never NULL; unknown values give
 * "unknown status". */
const char *osc_status_message(osc_status status);

/* A stable identifier of the status ("OSC_ERR_AUTH_FAILED"), for logs. */
const char *osc_status_name(osc_status status);

#endif
