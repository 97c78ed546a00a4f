/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * CoAP message codec: RFC 7252 (UDP) and RFC 8323 (TCP, TLS, WebSockets).
 *
 * A parsed message never owns memory: a token of up to OSC_COAP_MAX_TOKEN
 * bytes is copied into the struct; a longer one (RFC 8974 allows 65804),
 * option values and the payload point into the buffer that was parsed (or
 * into whatever buffer the caller made them point to). The caller keeps
 * those buffers alive while the message is used.
 *
 * Contract for every parser here: it reads only bytes in [buf, buf+len),
 * never writes outside the output struct, and returns a named error for
 * every malformed input. Options are stored in the order they appear on
 * the wire, which RFC 7252 makes non-decreasing by number.
 */
#ifndef OSCORE_COAP_H
#define OSCORE_COAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "oscore/status.h"

#define OSC_COAP_MAX_OPTIONS 128
/* A message keeps a token of up to this many bytes inline (token[]). */
#define OSC_COAP_MAX_TOKEN 255
/* The longest token RFC 8974 2.1 can express: TKL 14, 65535 + 269. */
#define OSC_COAP_MAX_TOKEN_LENGTH 65804u
#define OSC_COAP_PAYLOAD_MARKER 0xff
/* Largest value length the option encoding can express: 65535 + 269. */
#define OSC_COAP_MAX_OPTION_LENGTH 65804u

/* How the message is framed on the wire. TCP also covers TLS. */
typedef enum osc_coap_framing {
    OSC_COAP_FRAMING_UDP = 0,  /* RFC 7252: Ver/T/TKL, Code, MID */
    OSC_COAP_FRAMING_TCP,      /* RFC 8323 section 3: Len/TKL, ext len */
    OSC_COAP_FRAMING_WEBSOCKET /* RFC 8323 section 4: Len always 0 */
} osc_coap_framing;

typedef enum osc_coap_type {
    OSC_COAP_TYPE_CON = 0,
    OSC_COAP_TYPE_NON = 1,
    OSC_COAP_TYPE_ACK = 2,
    OSC_COAP_TYPE_RST = 3
} osc_coap_type;

typedef struct osc_coap_option {
    uint16_t number;
    uint32_t length;
    const uint8_t *value; /* NULL allowed when length is 0 */
} osc_coap_option;

typedef struct osc_coap_message {
    osc_coap_framing framing;
    osc_coap_type type;  /* UDP only; 0 otherwise */
    uint16_t message_id; /* UDP only; 0 otherwise */
    uint8_t code;        /* class << 5 | detail */
    /* The token: token_length bytes, 0 to OSC_COAP_MAX_TOKEN_LENGTH. Up to
     * OSC_COAP_MAX_TOKEN bytes they are in token[] and long_token is NULL;
     * a longer token is not copied: long_token points at its bytes (into
     * the parsed buffer, or wherever the caller put them) and token[] is
     * unused. Read it with osc_coap_token(). */
    size_t token_length;
    uint8_t token[OSC_COAP_MAX_TOKEN];
    const uint8_t *long_token;
    size_t option_count;
    osc_coap_option options[OSC_COAP_MAX_OPTIONS];
    /* Payload after the 0xFF marker; payload_length 0 means no marker. */
    const uint8_t *payload;
    size_t payload_length;
} osc_coap_message;

/* The token bytes of msg (token_length of them), wherever they are. */
static inline const uint8_t *osc_coap_token(const osc_coap_message *msg)
{
    return msg->long_token != NULL ? msg->long_token : msg->token;
}

/* Code helpers. */
#define OSC_COAP_CODE(cls, detail) ((uint8_t)(((cls) << 5) | (detail)))
#define OSC_COAP_CODE_CLASS(code) ((uint8_t)(code) >> 5)
#define OSC_COAP_CODE_DETAIL(code) ((uint8_t)(code)&0x1f)

enum {
    OSC_COAP_CODE_EMPTY = 0x00,
    OSC_COAP_CODE_GET = 0x01,
    OSC_COAP_CODE_POST = 0x02,
    OSC_COAP_CODE_PUT = 0x03,
    OSC_COAP_CODE_DELETE = 0x04,
    OSC_COAP_CODE_FETCH = 0x05,
    OSC_COAP_CODE_CHANGED = 0x44, /* 2.04 */
    OSC_COAP_CODE_CONTENT = 0x45  /* 2.05 */
};

/* True for request codes 0.01-0.31. */
bool osc_coap_code_is_request(uint8_t code);
/* True for response codes 2.00-5.31. */
bool osc_coap_code_is_response(uint8_t code);
/* True for RFC 8323 signaling codes 7.00-7.31. */
bool osc_coap_code_is_signaling(uint8_t code);

/* Writes "c.dd" (e.g. "2.05") into out (at least 5 bytes). */
void osc_coap_code_format(uint8_t code, char out[5]);

/* Human-readable name of a code ("GET", "Content", "Changed", ...) or
 * NULL for codes without a registered name. */
const char *osc_coap_code_name(uint8_t code);

/*
 * Parses a whole CoAP message with the given framing.
 * For TCP the buffer must hold exactly one message (the Len field is
 * checked against len); for WebSocket the message is the whole buffer.
 * Token lengths follow RFC 8974 2.1 in every framing (TKL 13 and 14: one
 * or two bytes before the token give its length); a token longer than
 * OSC_COAP_MAX_TOKEN is left in buf (out->long_token points at it).
 * Errors: OSC_ERR_COAP_TRUNCATED, _BAD_VERSION, _BAD_TOKEN_LENGTH,
 * _EMPTY_WITH_CONTENT, _OPTION_DELTA_RESERVED, _OPTION_LENGTH_RESERVED,
 * _OPTION_NUMBER_OVERFLOW, _PAYLOAD_MARKER_EMPTY, _TOO_MANY_OPTIONS,
 * _LENGTH_MISMATCH.
 */
osc_status osc_coap_parse(const uint8_t *buf, size_t len,
                          osc_coap_framing framing, osc_coap_message *out);

/*
 * For TCP framing: how many bytes the message starting at buf occupies
 * (header + extended length + code + token + options + payload), so a
 * stream can be split into messages. OSC_ERR_COAP_TRUNCATED when the
 * header itself is incomplete.
 */
osc_status osc_coap_tcp_message_size(const uint8_t *buf, size_t len,
                                     size_t *message_size);

/*
 * Parses an options-and-payload sequence (what follows the token; also
 * the tail of an OSCORE plaintext after its code byte). Appends to
 * out->options starting at out->option_count, option deltas starting
 * from 0, and sets out->payload/payload_length.
 */
osc_status osc_coap_parse_options(const uint8_t *buf, size_t len,
                                  osc_coap_message *out);

/*
 * Encodes options (must be sorted by number, non-decreasing) and, if
 * payload_length > 0, the marker and payload into out. Writes the number
 * of bytes in *written. OSC_ERR_BUFFER_TOO_SMALL if cap is too small,
 * OSC_ERR_COAP_OPTIONS_UNSORTED, OSC_ERR_COAP_VALUE_TOO_LONG.
 */
osc_status osc_coap_encode_options(const osc_coap_option *options,
                                   size_t option_count, const uint8_t *payload,
                                   size_t payload_length, uint8_t *out,
                                   size_t cap, size_t *written);

/* Serializes msg with msg->framing into out. Same errors as above, and
 * OSC_ERR_COAP_TOKEN_TOO_LONG for a token_length above
 * OSC_COAP_MAX_TOKEN_LENGTH; OSC_ERR_INVALID_ARGUMENT for one above
 * OSC_COAP_MAX_TOKEN without long_token. */
osc_status osc_coap_serialize(const osc_coap_message *msg, uint8_t *out,
                              size_t cap, size_t *written);

/* Upper bound of the serialized size of msg (for sizing buffers). */
size_t osc_coap_serialized_size_bound(const osc_coap_message *msg);

/* First option with this number, or NULL. */
const osc_coap_option *osc_coap_find_option(const osc_coap_message *msg,
                                            uint16_t number);

/* True when msg carries at least one option with this number. */
bool osc_coap_has_option(const osc_coap_message *msg, uint16_t number);

/*
 * The request's path and query as text, "/a/b?x&y" (the path-abempty and
 * query of RFC 7252 6.5, values as they are, not percent-encoded): "/" and
 * the value of each Uri-Path option, then, when with_query, "?" for the
 * first Uri-Query and "&" for the next ones, each with its value. The
 * values are copied as they are, even non-printable bytes: text for a
 * display must be escaped by the caller. Writes at most cap - 1 bytes and
 * a NUL into out (nothing when cap is 0; out may then be NULL) and returns
 * the length of the whole text, as snprintf does: a result >= cap means it
 * was cut. 0 means the message has none of these options.
 */
size_t osc_coap_request_uri(const osc_coap_message *msg, bool with_query,
                            char *out, size_t cap);

/* Number of options with this number. */
size_t osc_coap_count_option(const osc_coap_message *msg, uint16_t number);

/*
 * Inserts an option keeping the list sorted (after existing options with
 * the same number). OSC_ERR_COAP_TOO_MANY_OPTIONS when full.
 */
osc_status osc_coap_add_option(osc_coap_message *msg, uint16_t number,
                               const uint8_t *value, uint32_t length);

/* Removes every option with this number; returns how many were removed. */
size_t osc_coap_remove_option(osc_coap_message *msg, uint16_t number);

/* Decodes an unsigned-integer option value (0-4 bytes, big endian).
 * Values longer than 4 bytes give OSC_ERR_INVALID_ARGUMENT. */
osc_status osc_coap_uint_value(const osc_coap_option *opt, uint32_t *value);

/* Encodes value as the shortest uint option value into out[4]; returns
 * its length (0 for value 0). */
uint32_t osc_coap_encode_uint(uint32_t value, uint8_t out[4]);

#endif
