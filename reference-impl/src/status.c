/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Messages and identifiers of osc_status values.
 *
 * osc_status_name switches over the enum without a default label so that
 * the compiler (-Wswitch, part of -Wall) reports any status added to
 * status.h but forgotten there. The messages are a table indexed by
 * status, whose gaps reference-impl/tests/test_coap.c finds instead (it
 * asks for a message of every status below OSC_STATUS_COUNT).
 */
#include "oscore/status.h"

#include <stddef.h>

/* Indexed by status; a status missing here is NULL, which
 * osc_status_message turns into "unknown status". */
static const char *const status_messages[OSC_STATUS_COUNT] = {
    [OSC_OK] = "ok",
    [OSC_ERR_BUFFER_TOO_SMALL] = "output buffer too small",
    [OSC_ERR_INVALID_ARGUMENT] = "invalid argument",
    [OSC_ERR_OUT_OF_MEMORY] = "out of memory",
    [OSC_ERR_CBOR_TRUNCATED] = "cbor item truncated",
    [OSC_ERR_CBOR_UNSUPPORTED] = "unsupported cbor item",
    [OSC_ERR_COAP_TRUNCATED] = "coap message truncated",
    [OSC_ERR_COAP_BAD_VERSION] = "unsupported coap version",
    [OSC_ERR_COAP_BAD_TOKEN_LENGTH] = "reserved token length",
    [OSC_ERR_COAP_TOKEN_TOO_LONG] = "token longer than 65804 bytes",
    [OSC_ERR_COAP_EMPTY_WITH_CONTENT] = "empty message with content",
    [OSC_ERR_COAP_OPTION_DELTA_RESERVED] = "reserved option delta",
    [OSC_ERR_COAP_OPTION_LENGTH_RESERVED] = "reserved option length",
    [OSC_ERR_COAP_OPTION_NUMBER_OVERFLOW] = "option number above 65535",
    [OSC_ERR_COAP_PAYLOAD_MARKER_EMPTY] = "payload marker without payload",
    [OSC_ERR_COAP_TOO_MANY_OPTIONS] = "too many options",
    [OSC_ERR_COAP_LENGTH_MISMATCH] = "length field disagrees with data",
    [OSC_ERR_COAP_OPTIONS_UNSORTED] = "options not sorted by number",
    [OSC_ERR_COAP_VALUE_TOO_LONG] = "option value too long",
    [OSC_ERR_NO_BLOCK_OPTION] = "no block option",
    [OSC_ERR_BLOCK_INVALID] = "invalid block option value",
    [OSC_ERR_UNKNOWN_AEAD] = "unknown aead algorithm",
    [OSC_ERR_UNKNOWN_HKDF] = "unknown hkdf algorithm",
    [OSC_ERR_ID_TOO_LONG] = "sender or recipient id too long",
    [OSC_ERR_ID_CONTEXT_TOO_LONG] = "id context too long",
    [OSC_ERR_SECRET_TOO_LONG] = "master secret or salt too long",
    [OSC_ERR_CRYPTO_BACKEND] = "crypto backend error",
    [OSC_ERR_OPTION_RESERVED_FLAGS] = "reserved oscore flag bits set",
    [OSC_ERR_OPTION_PIV_RESERVED] = "reserved partial iv length",
    [OSC_ERR_OPTION_TRUNCATED] = "oscore option truncated",
    [OSC_ERR_OPTION_TRAILING_BYTES] = "trailing bytes in oscore option",
    [OSC_ERR_OPTION_KID_TOO_LONG] = "kid too long",
    [OSC_ERR_OPTION_EMPTY_FLAGS_NONEMPTY] =
        "zero flags byte in non-empty oscore option",
    [OSC_ERR_NO_OSCORE_OPTION] = "no oscore option",
    [OSC_ERR_NO_PAYLOAD] = "oscore message without payload",
    [OSC_ERR_MISSING_PIV] = "request without partial iv",
    [OSC_ERR_MISSING_KID] = "request without kid",
    [OSC_ERR_NO_CONTEXT] = "no security context",
    [OSC_ERR_AUTH_FAILED] = "authentication failed",
    [OSC_ERR_PLAINTEXT_MALFORMED] = "malformed plaintext",
    [OSC_ERR_NO_REQUEST_BINDING] = "response without matching request",
    [OSC_ERR_DEPTH_LIMIT] = "layer depth limit reached",
    [OSC_ERR_PIV_EXHAUSTED] = "sequence number exhausted",
    [OSC_ERR_REPLAY] = "replayed partial iv",
    [OSC_ERR_EDHOC_PREFIX] = "edhoc option without cbor byte string",
    [OSC_ERR_GROUP_UNSUPPORTED] = "group algorithm or mode not supported",
    [OSC_ERR_SIGNATURE_INVALID] = "countersignature invalid",
    [OSC_ERR_CREDENTIAL_MALFORMED] = "authentication credential malformed",
    [OSC_ERR_NO_PRIVATE_KEY] = "private key not available",
    [OSC_ERR_TOO_MANY_MEMBERS] = "too many group members",
    [OSC_ERR_CREDENTIAL_UNSUPPORTED] = "unsupported credential format",
    [OSC_ERR_CREDENTIAL_WRONG_CURVE] =
        "credential key of the wrong curve for the group's algorithms",
    [OSC_ERR_UNKNOWN_MEMBER] = "kid of no known group member",
};

const char *osc_status_message(osc_status status)
{
    /* Unsigned: a negative value cast to osc_status is out of range too. */
    if ((unsigned)status >= OSC_STATUS_COUNT || status_messages[status] == NULL)
        return "unknown status";
    return status_messages[status];
}

const char *osc_status_name(osc_status status)
{
    /* The identifier is spelled once, as a token, so name and enum cannot
     * drift apart. */
#define OSC_STATUS_NAME_CASE(id)                                               \
    case id:                                                                   \
        return #id
    switch (status) {
        OSC_STATUS_NAME_CASE(OSC_OK);
        OSC_STATUS_NAME_CASE(OSC_ERR_BUFFER_TOO_SMALL);
        OSC_STATUS_NAME_CASE(OSC_ERR_INVALID_ARGUMENT);
        OSC_STATUS_NAME_CASE(OSC_ERR_OUT_OF_MEMORY);
        OSC_STATUS_NAME_CASE(OSC_ERR_CBOR_TRUNCATED);
        OSC_STATUS_NAME_CASE(OSC_ERR_CBOR_UNSUPPORTED);
        OSC_STATUS_NAME_CASE(OSC_ERR_COAP_TRUNCATED);
        OSC_STATUS_NAME_CASE(OSC_ERR_COAP_BAD_VERSION);
        OSC_STATUS_NAME_CASE(OSC_ERR_COAP_BAD_TOKEN_LENGTH);
        OSC_STATUS_NAME_CASE(OSC_ERR_COAP_TOKEN_TOO_LONG);
        OSC_STATUS_NAME_CASE(OSC_ERR_COAP_EMPTY_WITH_CONTENT);
        OSC_STATUS_NAME_CASE(OSC_ERR_COAP_OPTION_DELTA_RESERVED);
        OSC_STATUS_NAME_CASE(OSC_ERR_COAP_OPTION_LENGTH_RESERVED);
        OSC_STATUS_NAME_CASE(OSC_ERR_COAP_OPTION_NUMBER_OVERFLOW);
        OSC_STATUS_NAME_CASE(OSC_ERR_COAP_PAYLOAD_MARKER_EMPTY);
        OSC_STATUS_NAME_CASE(OSC_ERR_COAP_TOO_MANY_OPTIONS);
        OSC_STATUS_NAME_CASE(OSC_ERR_COAP_LENGTH_MISMATCH);
        OSC_STATUS_NAME_CASE(OSC_ERR_COAP_OPTIONS_UNSORTED);
        OSC_STATUS_NAME_CASE(OSC_ERR_COAP_VALUE_TOO_LONG);
        OSC_STATUS_NAME_CASE(OSC_ERR_NO_BLOCK_OPTION);
        OSC_STATUS_NAME_CASE(OSC_ERR_BLOCK_INVALID);
        OSC_STATUS_NAME_CASE(OSC_ERR_UNKNOWN_AEAD);
        OSC_STATUS_NAME_CASE(OSC_ERR_UNKNOWN_HKDF);
        OSC_STATUS_NAME_CASE(OSC_ERR_ID_TOO_LONG);
        OSC_STATUS_NAME_CASE(OSC_ERR_ID_CONTEXT_TOO_LONG);
        OSC_STATUS_NAME_CASE(OSC_ERR_SECRET_TOO_LONG);
        OSC_STATUS_NAME_CASE(OSC_ERR_CRYPTO_BACKEND);
        OSC_STATUS_NAME_CASE(OSC_ERR_OPTION_RESERVED_FLAGS);
        OSC_STATUS_NAME_CASE(OSC_ERR_OPTION_PIV_RESERVED);
        OSC_STATUS_NAME_CASE(OSC_ERR_OPTION_TRUNCATED);
        OSC_STATUS_NAME_CASE(OSC_ERR_OPTION_TRAILING_BYTES);
        OSC_STATUS_NAME_CASE(OSC_ERR_OPTION_KID_TOO_LONG);
        OSC_STATUS_NAME_CASE(OSC_ERR_OPTION_EMPTY_FLAGS_NONEMPTY);
        OSC_STATUS_NAME_CASE(OSC_ERR_NO_OSCORE_OPTION);
        OSC_STATUS_NAME_CASE(OSC_ERR_NO_PAYLOAD);
        OSC_STATUS_NAME_CASE(OSC_ERR_MISSING_PIV);
        OSC_STATUS_NAME_CASE(OSC_ERR_MISSING_KID);
        OSC_STATUS_NAME_CASE(OSC_ERR_NO_CONTEXT);
        OSC_STATUS_NAME_CASE(OSC_ERR_AUTH_FAILED);
        OSC_STATUS_NAME_CASE(OSC_ERR_PLAINTEXT_MALFORMED);
        OSC_STATUS_NAME_CASE(OSC_ERR_NO_REQUEST_BINDING);
        OSC_STATUS_NAME_CASE(OSC_ERR_DEPTH_LIMIT);
        OSC_STATUS_NAME_CASE(OSC_ERR_PIV_EXHAUSTED);
        OSC_STATUS_NAME_CASE(OSC_ERR_REPLAY);
        OSC_STATUS_NAME_CASE(OSC_ERR_EDHOC_PREFIX);
        OSC_STATUS_NAME_CASE(OSC_ERR_GROUP_UNSUPPORTED);
        OSC_STATUS_NAME_CASE(OSC_ERR_SIGNATURE_INVALID);
        OSC_STATUS_NAME_CASE(OSC_ERR_CREDENTIAL_MALFORMED);
        OSC_STATUS_NAME_CASE(OSC_ERR_NO_PRIVATE_KEY);
        OSC_STATUS_NAME_CASE(OSC_ERR_TOO_MANY_MEMBERS);
        OSC_STATUS_NAME_CASE(OSC_ERR_CREDENTIAL_UNSUPPORTED);
        OSC_STATUS_NAME_CASE(OSC_ERR_CREDENTIAL_WRONG_CURVE);
        OSC_STATUS_NAME_CASE(OSC_ERR_UNKNOWN_MEMBER);
    case OSC_STATUS_COUNT:
        break;
    }
#undef OSC_STATUS_NAME_CASE
    return "OSC_STATUS_UNKNOWN";
}
