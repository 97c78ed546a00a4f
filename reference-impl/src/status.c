/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Messages and identifiers of osc_status values.
 *
 * Both functions switch over the enum without a default label so that the
 * compiler (-Wswitch, part of -Wall) reports any status added to status.h
 * but forgotten here.
 */
#include "oscore/status.h"

const char *osc_status_message(osc_status status)
{
    switch (status) {
    case OSC_OK:
        return "ok";
    case OSC_ERR_BUFFER_TOO_SMALL:
        return "output buffer too small";
    case OSC_ERR_INVALID_ARGUMENT:
        return "invalid argument";
    case OSC_ERR_OUT_OF_MEMORY:
        return "out of memory";
    case OSC_ERR_CBOR_TRUNCATED:
        return "cbor item truncated";
    case OSC_ERR_CBOR_UNSUPPORTED:
        return "unsupported cbor item";
    case OSC_ERR_COAP_TRUNCATED:
        return "coap message truncated";
    case OSC_ERR_COAP_BAD_VERSION:
        return "unsupported coap version";
    case OSC_ERR_COAP_BAD_TOKEN_LENGTH:
        return "reserved token length";
    case OSC_ERR_COAP_EMPTY_WITH_CONTENT:
        return "empty message with content";
    case OSC_ERR_COAP_OPTION_DELTA_RESERVED:
        return "reserved option delta";
    case OSC_ERR_COAP_OPTION_LENGTH_RESERVED:
        return "reserved option length";
    case OSC_ERR_COAP_OPTION_NUMBER_OVERFLOW:
        return "option number above 65535";
    case OSC_ERR_COAP_PAYLOAD_MARKER_EMPTY:
        return "payload marker without payload";
    case OSC_ERR_COAP_TOO_MANY_OPTIONS:
        return "too many options";
    case OSC_ERR_COAP_LENGTH_MISMATCH:
        return "length field disagrees with data";
    case OSC_ERR_COAP_OPTIONS_UNSORTED:
        return "options not sorted by number";
    case OSC_ERR_COAP_VALUE_TOO_LONG:
        return "option value too long";
    case OSC_ERR_UNKNOWN_AEAD:
        return "unknown aead algorithm";
    case OSC_ERR_UNKNOWN_HKDF:
        return "unknown hkdf algorithm";
    case OSC_ERR_ID_TOO_LONG:
        return "sender or recipient id too long";
    case OSC_ERR_ID_CONTEXT_TOO_LONG:
        return "id context too long";
    case OSC_ERR_SECRET_TOO_LONG:
        return "master secret or salt too long";
    case OSC_ERR_CRYPTO_BACKEND:
        return "crypto backend error";
    case OSC_ERR_OPTION_RESERVED_FLAGS:
        return "reserved oscore flag bits set";
    case OSC_ERR_OPTION_PIV_RESERVED:
        return "reserved partial iv length";
    case OSC_ERR_OPTION_TRUNCATED:
        return "oscore option truncated";
    case OSC_ERR_OPTION_TRAILING_BYTES:
        return "trailing bytes in oscore option";
    case OSC_ERR_OPTION_KID_TOO_LONG:
        return "kid too long";
    case OSC_ERR_OPTION_EMPTY_FLAGS_NONEMPTY:
        return "zero flags byte in non-empty oscore option";
    case OSC_ERR_NO_OSCORE_OPTION:
        return "no oscore option";
    case OSC_ERR_NO_PAYLOAD:
        return "oscore message without payload";
    case OSC_ERR_MISSING_PIV:
        return "request without partial iv";
    case OSC_ERR_MISSING_KID:
        return "request without kid";
    case OSC_ERR_NO_CONTEXT:
        return "no security context";
    case OSC_ERR_AUTH_FAILED:
        return "authentication failed";
    case OSC_ERR_PLAINTEXT_MALFORMED:
        return "malformed plaintext";
    case OSC_ERR_NO_REQUEST_BINDING:
        return "response without matching request";
    case OSC_ERR_DEPTH_LIMIT:
        return "layer depth limit reached";
    case OSC_ERR_PIV_EXHAUSTED:
        return "sequence number exhausted";
    case OSC_ERR_REPLAY:
        return "replayed partial iv";
    case OSC_ERR_EDHOC_PREFIX:
        return "edhoc option without cbor byte string";
    case OSC_ERR_GROUP_UNSUPPORTED:
        return "group algorithm or mode not supported";
    case OSC_ERR_SIGNATURE_INVALID:
        return "countersignature invalid";
    case OSC_ERR_CREDENTIAL_MALFORMED:
        return "authentication credential malformed";
    case OSC_ERR_NO_PRIVATE_KEY:
        return "private key not available";
    case OSC_ERR_TOO_MANY_MEMBERS:
        return "too many group members";
    case OSC_STATUS_COUNT:
        break;
    }
    return "unknown status";
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
        OSC_STATUS_NAME_CASE(OSC_ERR_COAP_EMPTY_WITH_CONTENT);
        OSC_STATUS_NAME_CASE(OSC_ERR_COAP_OPTION_DELTA_RESERVED);
        OSC_STATUS_NAME_CASE(OSC_ERR_COAP_OPTION_LENGTH_RESERVED);
        OSC_STATUS_NAME_CASE(OSC_ERR_COAP_OPTION_NUMBER_OVERFLOW);
        OSC_STATUS_NAME_CASE(OSC_ERR_COAP_PAYLOAD_MARKER_EMPTY);
        OSC_STATUS_NAME_CASE(OSC_ERR_COAP_TOO_MANY_OPTIONS);
        OSC_STATUS_NAME_CASE(OSC_ERR_COAP_LENGTH_MISMATCH);
        OSC_STATUS_NAME_CASE(OSC_ERR_COAP_OPTIONS_UNSORTED);
        OSC_STATUS_NAME_CASE(OSC_ERR_COAP_VALUE_TOO_LONG);
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
    case OSC_STATUS_COUNT:
        break;
    }
#undef OSC_STATUS_NAME_CASE
    return "OSC_STATUS_UNKNOWN";
}
