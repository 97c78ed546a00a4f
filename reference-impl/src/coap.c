/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * CoAP message codec for UDP (RFC 7252), TCP/TLS and WebSockets (RFC 8323).
 *
 * Parsing keeps one invariant: a read position `pos` never exceeds `len`,
 * and every read of n bytes is preceded by a check `len - pos >= n`, which
 * cannot wrap. Errors for truncated TCP messages: data shorter than the
 * header/Len announces gives OSC_ERR_COAP_TRUNCATED (the message is
 * incomplete), data longer than it gives OSC_ERR_COAP_LENGTH_MISMATCH.
 *
 * RFC 8323 does not restrict the content of an Empty (0.00) message the way
 * RFC 7252 section 4.1 does for UDP, so OSC_ERR_COAP_EMPTY_WITH_CONTENT is
 * a UDP-only error.
 */
#include "oscore/coap.h"

#include <string.h>

#include "oscore/options.h"

#define COAP_VERSION 1u
#define UDP_HEADER_SIZE 4u
#define LARGEST_OPTION_NUMBER 65535u

/* Option delta and length nibbles (RFC 7252 section 3.1): 13 and 14 are
 * followed by 1 or 2 bytes holding the value minus these bases; 15 is
 * reserved (and 0xFF as a whole byte is the payload marker). */
#define OPTION_NIBBLE_EXT8 13u
#define OPTION_NIBBLE_EXT16 14u
#define OPTION_NIBBLE_RESERVED 15u
#define OPTION_EXT8_BASE 13u
#define OPTION_EXT16_BASE 269u
/* Option header byte plus two 2-byte extensions: the most an option can
 * add on top of its value. */
#define OPTION_MAX_HEADER_SIZE 5u

/* RFC 8323 section 3.2 Len nibble: 13, 14 and 15 are followed by 1, 2 or 4
 * bytes holding the length minus these bases. */
#define TCP_LEN_NIBBLE_EXT8 13u
#define TCP_LEN_NIBBLE_EXT16 14u
#define TCP_LEN_NIBBLE_EXT32 15u
#define TCP_EXT8_BASE 13u
#define TCP_EXT16_BASE 269u
#define TCP_EXT32_BASE 65805u
/* Len/TKL byte, 4 extended-length bytes, code byte. */
#define TCP_MAX_HEADER_SIZE 6u
/* Len/TKL byte and code byte. */
#define WEBSOCKET_HEADER_SIZE 2u

/* RFC 8974 2.1, every framing: TKL 0-12 is the token length; 13 and 14
 * say that one or two bytes right before the token give it, less 13 or
 * less 269; 15 is a message format error. */
#define TKL_EXT8 13u
#define TKL_EXT16 14u
#define TKL_RESERVED 15u
#define TOKEN_EXT8_BASE 13u
#define TOKEN_EXT16_BASE 269u
#define TOKEN_MAX_EXTENSION_SIZE 2u

/* ---- Codes ------------------------------------------------------------ */

bool osc_coap_code_is_request(uint8_t code)
{
    return OSC_COAP_CODE_CLASS(code) == 0 && OSC_COAP_CODE_DETAIL(code) != 0;
}

bool osc_coap_code_is_response(uint8_t code)
{
    uint8_t code_class = OSC_COAP_CODE_CLASS(code);
    return code_class >= 2 && code_class <= 5;
}

bool osc_coap_code_is_signaling(uint8_t code)
{
    return OSC_COAP_CODE_CLASS(code) == 7;
}

void osc_coap_code_format(uint8_t code, char out[5])
{
    unsigned detail = OSC_COAP_CODE_DETAIL(code);
    out[0] = (char)('0' + OSC_COAP_CODE_CLASS(code));
    out[1] = '.';
    out[2] = (char)('0' + detail / 10);
    out[3] = (char)('0' + detail % 10);
    out[4] = '\0';
}

typedef struct code_name {
    uint8_t code;
    const char *name;
} code_name;

/* IANA "CoAP Codes" and "CoAP Signaling Codes" registries. */
static const code_name code_names[] = {
    {OSC_COAP_CODE(0, 0), "Empty"},
    {OSC_COAP_CODE(0, 1), "GET"},
    {OSC_COAP_CODE(0, 2), "POST"},
    {OSC_COAP_CODE(0, 3), "PUT"},
    {OSC_COAP_CODE(0, 4), "DELETE"},
    {OSC_COAP_CODE(0, 5), "FETCH"},
    {OSC_COAP_CODE(0, 6), "PATCH"},
    {OSC_COAP_CODE(0, 7), "iPATCH"},
    {OSC_COAP_CODE(2, 1), "Created"},
    {OSC_COAP_CODE(2, 2), "Deleted"},
    {OSC_COAP_CODE(2, 3), "Valid"},
    {OSC_COAP_CODE(2, 4), "Changed"},
    {OSC_COAP_CODE(2, 5), "Content"},
    {OSC_COAP_CODE(2, 31), "Continue"},
    {OSC_COAP_CODE(4, 0), "Bad Request"},
    {OSC_COAP_CODE(4, 1), "Unauthorized"},
    {OSC_COAP_CODE(4, 2), "Bad Option"},
    {OSC_COAP_CODE(4, 3), "Forbidden"},
    {OSC_COAP_CODE(4, 4), "Not Found"},
    {OSC_COAP_CODE(4, 5), "Method Not Allowed"},
    {OSC_COAP_CODE(4, 6), "Not Acceptable"},
    {OSC_COAP_CODE(4, 8), "Request Entity Incomplete"},
    {OSC_COAP_CODE(4, 9), "Conflict"},
    {OSC_COAP_CODE(4, 12), "Precondition Failed"},
    {OSC_COAP_CODE(4, 13), "Request Entity Too Large"},
    {OSC_COAP_CODE(4, 15), "Unsupported Content-Format"},
    {OSC_COAP_CODE(4, 22), "Unprocessable Entity"},
    {OSC_COAP_CODE(4, 29), "Too Many Requests"},
    {OSC_COAP_CODE(5, 0), "Internal Server Error"},
    {OSC_COAP_CODE(5, 1), "Not Implemented"},
    {OSC_COAP_CODE(5, 2), "Bad Gateway"},
    {OSC_COAP_CODE(5, 3), "Service Unavailable"},
    {OSC_COAP_CODE(5, 4), "Gateway Timeout"},
    {OSC_COAP_CODE(5, 5), "Proxying Not Supported"},
    {OSC_COAP_CODE(5, 8), "Hop Limit Reached"},
    {OSC_COAP_CODE(7, 1), "CSM"},
    {OSC_COAP_CODE(7, 2), "Ping"},
    {OSC_COAP_CODE(7, 3), "Pong"},
    {OSC_COAP_CODE(7, 4), "Release"},
    {OSC_COAP_CODE(7, 5), "Abort"},
};

const char *osc_coap_code_name(uint8_t code)
{
    for (size_t i = 0; i < sizeof code_names / sizeof code_names[0]; i++) {
        if (code_names[i].code == code)
            return code_names[i].name;
    }
    return NULL;
}

/* ---- Parsing ---------------------------------------------------------- */

/* Decodes the extension bytes that follow a non-reserved delta or length
 * nibble, advancing *pos past them. */
static osc_status read_option_field(const uint8_t *buf, size_t len, size_t *pos,
                                    unsigned nibble, uint32_t *value)
{
    if (nibble == OPTION_NIBBLE_EXT8) {
        if (len - *pos < 1)
            return OSC_ERR_COAP_TRUNCATED;
        *value = buf[*pos] + OPTION_EXT8_BASE;
        *pos += 1;
    } else if (nibble == OPTION_NIBBLE_EXT16) {
        if (len - *pos < 2)
            return OSC_ERR_COAP_TRUNCATED;
        *value = ((uint32_t)buf[*pos] << 8 | buf[*pos + 1]) + OPTION_EXT16_BASE;
        *pos += 2;
    } else {
        *value = nibble;
    }
    return OSC_OK;
}

osc_status osc_coap_parse_options(const uint8_t *buf, size_t len,
                                  osc_coap_message *out)
{
    if (out == NULL || (buf == NULL && len > 0) ||
        out->option_count > OSC_COAP_MAX_OPTIONS)
        return OSC_ERR_INVALID_ARGUMENT;
    out->payload = NULL;
    out->payload_length = 0;

    uint32_t number = 0;
    size_t pos = 0;
    while (pos < len) {
        uint8_t first = buf[pos++];
        if (first == OSC_COAP_PAYLOAD_MARKER) {
            if (pos == len)
                return OSC_ERR_COAP_PAYLOAD_MARKER_EMPTY;
            out->payload = buf + pos;
            out->payload_length = len - pos;
            return OSC_OK;
        }
        unsigned delta_nibble = first >> 4;
        unsigned length_nibble = first & 0x0f;
        /* Checked before any extension byte is read, so the first byte
         * alone decides these two errors. */
        if (delta_nibble == OPTION_NIBBLE_RESERVED)
            return OSC_ERR_COAP_OPTION_DELTA_RESERVED;
        if (length_nibble == OPTION_NIBBLE_RESERVED)
            return OSC_ERR_COAP_OPTION_LENGTH_RESERVED;

        uint32_t delta;
        uint32_t length;
        osc_status status =
            read_option_field(buf, len, &pos, delta_nibble, &delta);
        if (status != OSC_OK)
            return status;
        status = read_option_field(buf, len, &pos, length_nibble, &length);
        if (status != OSC_OK)
            return status;

        /* number <= 65535 and delta <= 65804 here, so no wrap. */
        number += delta;
        if (number > LARGEST_OPTION_NUMBER)
            return OSC_ERR_COAP_OPTION_NUMBER_OVERFLOW;
        if (length > len - pos)
            return OSC_ERR_COAP_TRUNCATED;
        if (out->option_count == OSC_COAP_MAX_OPTIONS)
            return OSC_ERR_COAP_TOO_MANY_OPTIONS;

        osc_coap_option *option = &out->options[out->option_count++];
        option->number = (uint16_t)number;
        option->length = length;
        /* Also for length 0: a pointer into (or one past) the buffer lets
         * callers compute the option's offset. */
        option->value = buf + pos;
        pos += length;
    }
    return OSC_OK;
}

/* The token length announced by the TKL nibble, reading the extended
 * length bytes at buf (what follows the header) when TKL says so. */
static osc_status read_token_length(unsigned tkl, const uint8_t *buf,
                                    size_t len, size_t *extension_size,
                                    size_t *token_length)
{
    if (tkl == TKL_RESERVED)
        return OSC_ERR_COAP_BAD_TOKEN_LENGTH;
    size_t ext = tkl == TKL_EXT8 ? 1 : tkl == TKL_EXT16 ? 2 : 0;
    if (len < ext)
        return OSC_ERR_COAP_TRUNCATED;
    size_t n = tkl;
    if (tkl == TKL_EXT8)
        n = TOKEN_EXT8_BASE + buf[0];
    else if (tkl == TKL_EXT16)
        n = TOKEN_EXT16_BASE + ((size_t)buf[0] << 8 | buf[1]);
    *extension_size = ext;
    *token_length = n;
    return OSC_OK;
}

/* Takes the token (after its extended length, if any): copied when it
 * fits in out->token, else pointed at in buf (coap.h). Then parses the
 * options and payload that follow it. */
static osc_status parse_token_and_rest(const uint8_t *buf, size_t len,
                                       unsigned tkl, osc_coap_message *out)
{
    size_t ext = 0;
    size_t n = 0;
    osc_status status = read_token_length(tkl, buf, len, &ext, &n);
    if (status != OSC_OK)
        return status;
    if (len - ext < n)
        return OSC_ERR_COAP_TRUNCATED;
    out->token_length = n;
    if (n > OSC_COAP_MAX_TOKEN)
        out->long_token = buf + ext;
    else if (n > 0)
        memcpy(out->token, buf + ext, n);
    return osc_coap_parse_options(buf + ext + n, len - ext - n, out);
}

static osc_status parse_udp(const uint8_t *buf, size_t len,
                            osc_coap_message *out)
{
    if (len < UDP_HEADER_SIZE)
        return OSC_ERR_COAP_TRUNCATED;
    if (buf[0] >> 6 != COAP_VERSION)
        return OSC_ERR_COAP_BAD_VERSION;
    unsigned tkl = buf[0] & 0x0f;
    out->type = (osc_coap_type)((buf[0] >> 4) & 0x03);
    out->code = buf[1];
    out->message_id = (uint16_t)(buf[2] << 8 | buf[3]);
    if (out->code == OSC_COAP_CODE_EMPTY && (tkl != 0 || len > UDP_HEADER_SIZE))
        return OSC_ERR_COAP_EMPTY_WITH_CONTENT;
    return parse_token_and_rest(buf + UDP_HEADER_SIZE, len - UDP_HEADER_SIZE,
                                tkl, out);
}

typedef struct tcp_header {
    size_t size;          /* Len/TKL byte plus extended length bytes */
    uint64_t body_length; /* options and payload, as Len announces */
    unsigned tkl;         /* the TKL nibble */
} tcp_header;

/* Decodes the Len/TKL byte and extended length of RFC 8323 section 3.2
 * (everything before the code byte). */
static osc_status read_tcp_header(const uint8_t *buf, size_t len,
                                  tcp_header *header)
{
    if (len < 1)
        return OSC_ERR_COAP_TRUNCATED;
    unsigned len_nibble = buf[0] >> 4;
    header->tkl = buf[0] & 0x0f;

    size_t extension_size = 0;
    uint64_t base = len_nibble;
    if (len_nibble == TCP_LEN_NIBBLE_EXT8) {
        extension_size = 1;
        base = TCP_EXT8_BASE;
    } else if (len_nibble == TCP_LEN_NIBBLE_EXT16) {
        extension_size = 2;
        base = TCP_EXT16_BASE;
    } else if (len_nibble == TCP_LEN_NIBBLE_EXT32) {
        extension_size = 4;
        base = TCP_EXT32_BASE;
    }
    if (len - 1 < extension_size)
        return OSC_ERR_COAP_TRUNCATED;
    uint64_t extension = 0;
    for (size_t i = 0; i < extension_size; i++)
        extension = extension << 8 | buf[1 + i];
    header->size = 1 + extension_size;
    header->body_length = base + extension;
    return OSC_OK;
}

static osc_status parse_tcp(const uint8_t *buf, size_t len,
                            osc_coap_message *out)
{
    tcp_header header;
    osc_status status = read_tcp_header(buf, len, &header);
    if (status != OSC_OK)
        return status;
    size_t pos = header.size;
    if (len - pos < 1)
        return OSC_ERR_COAP_TRUNCATED;
    out->code = buf[pos++];
    /* Len counts options and payload: not the token, nor its length. */
    size_t ext = 0;
    size_t token_length = 0;
    status = read_token_length(header.tkl, buf + pos, len - pos, &ext,
                               &token_length);
    if (status != OSC_OK)
        return status;
    if (len - pos - ext < token_length)
        return OSC_ERR_COAP_TRUNCATED;
    size_t body_available = len - pos - ext - token_length;
    if (body_available < header.body_length)
        return OSC_ERR_COAP_TRUNCATED;
    if (body_available > header.body_length)
        return OSC_ERR_COAP_LENGTH_MISMATCH;
    return parse_token_and_rest(buf + pos, len - pos, header.tkl, out);
}

static osc_status parse_websocket(const uint8_t *buf, size_t len,
                                  osc_coap_message *out)
{
    if (len < WEBSOCKET_HEADER_SIZE)
        return OSC_ERR_COAP_TRUNCATED;
    /* The WebSocket frame carries the length; RFC 8323 section 4.2 makes
     * Len zero. */
    if (buf[0] >> 4 != 0)
        return OSC_ERR_COAP_LENGTH_MISMATCH;
    out->code = buf[1];
    return parse_token_and_rest(buf + WEBSOCKET_HEADER_SIZE,
                                len - WEBSOCKET_HEADER_SIZE, buf[0] & 0x0f,
                                out);
}

osc_status osc_coap_parse(const uint8_t *buf, size_t len,
                          osc_coap_framing framing, osc_coap_message *out)
{
    if (out == NULL || (buf == NULL && len > 0))
        return OSC_ERR_INVALID_ARGUMENT;
    out->framing = framing;
    out->type = OSC_COAP_TYPE_CON;
    out->message_id = 0;
    out->code = 0;
    out->token_length = 0;
    memset(out->token, 0, sizeof out->token);
    out->long_token = NULL;
    out->option_count = 0;
    out->payload = NULL;
    out->payload_length = 0;

    switch (framing) {
    case OSC_COAP_FRAMING_UDP:
        return parse_udp(buf, len, out);
    case OSC_COAP_FRAMING_TCP:
        return parse_tcp(buf, len, out);
    case OSC_COAP_FRAMING_WEBSOCKET:
        return parse_websocket(buf, len, out);
    }
    return OSC_ERR_INVALID_ARGUMENT;
}

osc_status osc_coap_tcp_message_size(const uint8_t *buf, size_t len,
                                     size_t *message_size)
{
    if (message_size == NULL || (buf == NULL && len > 0))
        return OSC_ERR_INVALID_ARGUMENT;
    tcp_header header;
    osc_status status = read_tcp_header(buf, len, &header);
    if (status != OSC_OK)
        return status;
    /* The token's length follows the code byte when TKL is 13 or 14
     * (read_token_length reads nothing otherwise). */
    size_t after_code = header.size + 1;
    size_t available = len > after_code ? len - after_code : 0;
    size_t ext = 0;
    size_t token_length = 0;
    status = read_token_length(header.tkl, buf + (len - available), available,
                               &ext, &token_length);
    if (status != OSC_OK)
        return status;
    /* At most 5 + 1 + 2 + 255 + 2^32 - 1 + 65805: fits in 64 bits. */
    uint64_t total = after_code + ext + token_length + header.body_length;
#if SIZE_MAX < UINT64_MAX
    if (total > SIZE_MAX)
        return OSC_ERR_COAP_LENGTH_MISMATCH;
#endif
    *message_size = (size_t)total;
    return OSC_OK;
}

/* ---- Serialization ---------------------------------------------------- */

/* Shortest delta/length encoding: nibble and number of extension bytes. */
static unsigned option_field_nibble(uint32_t value)
{
    if (value < OPTION_EXT8_BASE)
        return value;
    if (value < OPTION_EXT16_BASE)
        return OPTION_NIBBLE_EXT8;
    return OPTION_NIBBLE_EXT16;
}

static size_t option_field_extension_size(uint32_t value)
{
    if (value < OPTION_EXT8_BASE)
        return 0;
    if (value < OPTION_EXT16_BASE)
        return 1;
    return 2;
}

static uint8_t *write_option_field_extension(uint8_t *out, uint32_t value)
{
    if (value >= OPTION_EXT16_BASE) {
        uint32_t extension = value - OPTION_EXT16_BASE;
        *out++ = (uint8_t)(extension >> 8);
        *out++ = (uint8_t)extension;
    } else if (value >= OPTION_EXT8_BASE) {
        *out++ = (uint8_t)(value - OPTION_EXT8_BASE);
    }
    return out;
}

/* Validates options and payload and computes their encoded size, so that
 * writing can happen only once everything is known to fit. */
static osc_status measure_options(const osc_coap_option *options,
                                  size_t option_count, const uint8_t *payload,
                                  size_t payload_length, size_t *size)
{
    if ((options == NULL && option_count > 0) ||
        (payload == NULL && payload_length > 0))
        return OSC_ERR_INVALID_ARGUMENT;
    size_t total = 0;
    uint32_t previous = 0;
    for (size_t i = 0; i < option_count; i++) {
        const osc_coap_option *option = &options[i];
        if (option->number < previous)
            return OSC_ERR_COAP_OPTIONS_UNSORTED;
        if (option->length > OSC_COAP_MAX_OPTION_LENGTH)
            return OSC_ERR_COAP_VALUE_TOO_LONG;
        if (option->value == NULL && option->length > 0)
            return OSC_ERR_INVALID_ARGUMENT;
        /* Only reachable where size_t is narrow; the message could not be
         * stored in any buffer anyway. */
        if ((size_t)OPTION_MAX_HEADER_SIZE + option->length > SIZE_MAX - total)
            return OSC_ERR_BUFFER_TOO_SMALL;
        total += 1 + option_field_extension_size(option->number - previous) +
                 option_field_extension_size(option->length) + option->length;
        previous = option->number;
    }
    if (payload_length > 0) {
        if (payload_length >= SIZE_MAX - total)
            return OSC_ERR_BUFFER_TOO_SMALL;
        total += 1 + payload_length;
    }
    *size = total;
    return OSC_OK;
}

/* Writes what measure_options accepted; out has room for all of it. */
static void write_options(const osc_coap_option *options, size_t option_count,
                          const uint8_t *payload, size_t payload_length,
                          uint8_t *out)
{
    uint32_t previous = 0;
    for (size_t i = 0; i < option_count; i++) {
        const osc_coap_option *option = &options[i];
        uint32_t delta = option->number - previous;
        *out++ = (uint8_t)(option_field_nibble(delta) << 4 |
                           option_field_nibble(option->length));
        out = write_option_field_extension(out, delta);
        out = write_option_field_extension(out, option->length);
        if (option->length > 0) {
            memcpy(out, option->value, option->length);
            out += option->length;
        }
        previous = option->number;
    }
    if (payload_length > 0) {
        *out++ = OSC_COAP_PAYLOAD_MARKER;
        memcpy(out, payload, payload_length);
    }
}

osc_status osc_coap_encode_options(const osc_coap_option *options,
                                   size_t option_count, const uint8_t *payload,
                                   size_t payload_length, uint8_t *out,
                                   size_t cap, size_t *written)
{
    if (written == NULL || (out == NULL && cap > 0))
        return OSC_ERR_INVALID_ARGUMENT;
    size_t size;
    osc_status status =
        measure_options(options, option_count, payload, payload_length, &size);
    if (status != OSC_OK)
        return status;
    if (size > cap)
        return OSC_ERR_BUFFER_TOO_SMALL;
    if (size > 0)
        write_options(options, option_count, payload, payload_length, out);
    *written = size;
    return OSC_OK;
}

/* Writes the RFC 8323 Len/TKL byte and extended length; returns the
 * position after them. The caller has checked the body length fits. */
static uint8_t *write_tcp_length(uint8_t *out, size_t body_length, unsigned tkl)
{
    size_t extension_size;
    unsigned nibble;
    uint64_t extension;
    if (body_length < TCP_EXT8_BASE) {
        nibble = (unsigned)body_length;
        extension_size = 0;
        extension = 0;
    } else if (body_length < TCP_EXT16_BASE) {
        nibble = TCP_LEN_NIBBLE_EXT8;
        extension_size = 1;
        extension = body_length - TCP_EXT8_BASE;
    } else if (body_length < TCP_EXT32_BASE) {
        nibble = TCP_LEN_NIBBLE_EXT16;
        extension_size = 2;
        extension = body_length - TCP_EXT16_BASE;
    } else {
        nibble = TCP_LEN_NIBBLE_EXT32;
        extension_size = 4;
        extension = body_length - TCP_EXT32_BASE;
    }
    *out++ = (uint8_t)(nibble << 4 | tkl);
    for (size_t i = extension_size; i > 0; i--)
        *out++ = (uint8_t)(extension >> (8 * (i - 1)));
    return out;
}

/* The TKL nibble for a token of n bytes, and how many extended length
 * bytes precede the token (RFC 8974 2.1). */
static unsigned tkl_of(size_t n)
{
    return n < TOKEN_EXT8_BASE    ? (unsigned)n
           : n < TOKEN_EXT16_BASE ? TKL_EXT8
                                  : TKL_EXT16;
}

static size_t token_extension_size(size_t n)
{
    return n < TOKEN_EXT8_BASE ? 0 : n < TOKEN_EXT16_BASE ? 1 : 2;
}

/* Writes the extended token length, if any, and the token. */
static uint8_t *write_token(uint8_t *p, const osc_coap_message *msg)
{
    size_t n = msg->token_length;
    if (n >= TOKEN_EXT16_BASE) {
        *p++ = (uint8_t)((n - TOKEN_EXT16_BASE) >> 8);
        *p++ = (uint8_t)(n - TOKEN_EXT16_BASE);
    } else if (n >= TOKEN_EXT8_BASE) {
        *p++ = (uint8_t)(n - TOKEN_EXT8_BASE);
    }
    if (n > 0) {
        memcpy(p, osc_coap_token(msg), n);
        p += n;
    }
    return p;
}

static size_t tcp_header_size(size_t body_length)
{
    if (body_length < TCP_EXT8_BASE)
        return 2;
    if (body_length < TCP_EXT16_BASE)
        return 3;
    if (body_length < TCP_EXT32_BASE)
        return 4;
    return 6;
}

osc_status osc_coap_serialize(const osc_coap_message *msg, uint8_t *out,
                              size_t cap, size_t *written)
{
    if (msg == NULL || written == NULL || (out == NULL && cap > 0) ||
        msg->option_count > OSC_COAP_MAX_OPTIONS)
        return OSC_ERR_INVALID_ARGUMENT;
    if (msg->token_length > OSC_COAP_MAX_TOKEN_LENGTH)
        return OSC_ERR_COAP_TOKEN_TOO_LONG;
    if (msg->token_length > OSC_COAP_MAX_TOKEN && msg->long_token == NULL)
        return OSC_ERR_INVALID_ARGUMENT;
    size_t body_length;
    osc_status status =
        measure_options(msg->options, msg->option_count, msg->payload,
                        msg->payload_length, &body_length);
    if (status != OSC_OK)
        return status;

    size_t header_size;
    switch (msg->framing) {
    case OSC_COAP_FRAMING_UDP:
        if ((unsigned)msg->type > OSC_COAP_TYPE_RST)
            return OSC_ERR_INVALID_ARGUMENT;
        /* Refused so that the serializer never emits what parse rejects. */
        if (msg->code == OSC_COAP_CODE_EMPTY &&
            (msg->token_length != 0 || body_length != 0))
            return OSC_ERR_COAP_EMPTY_WITH_CONTENT;
        header_size = UDP_HEADER_SIZE;
        break;
    case OSC_COAP_FRAMING_TCP:
        /* The 4-byte extended length cannot express more. */
        if (body_length >= TCP_EXT32_BASE &&
            (uint64_t)body_length - TCP_EXT32_BASE > UINT32_MAX)
            return OSC_ERR_INVALID_ARGUMENT;
        header_size = tcp_header_size(body_length);
        break;
    case OSC_COAP_FRAMING_WEBSOCKET:
        header_size = WEBSOCKET_HEADER_SIZE;
        break;
    default:
        return OSC_ERR_INVALID_ARGUMENT;
    }

    size_t prefix_size = header_size + token_extension_size(msg->token_length) +
                         msg->token_length;
    unsigned tkl = tkl_of(msg->token_length);
    if (body_length > SIZE_MAX - prefix_size || prefix_size + body_length > cap)
        return OSC_ERR_BUFFER_TOO_SMALL;

    uint8_t *p = out;
    switch (msg->framing) {
    case OSC_COAP_FRAMING_UDP:
        *p++ = (uint8_t)(COAP_VERSION << 6 | (unsigned)msg->type << 4 | tkl);
        *p++ = msg->code;
        *p++ = (uint8_t)(msg->message_id >> 8);
        *p++ = (uint8_t)msg->message_id;
        break;
    case OSC_COAP_FRAMING_TCP:
        p = write_tcp_length(p, body_length, tkl);
        *p++ = msg->code;
        break;
    case OSC_COAP_FRAMING_WEBSOCKET:
        *p++ = (uint8_t)tkl;
        *p++ = msg->code;
        break;
    }
    p = write_token(p, msg);
    if (body_length > 0)
        write_options(msg->options, msg->option_count, msg->payload,
                      msg->payload_length, p);
    *written = prefix_size + body_length;
    return OSC_OK;
}

static size_t saturating_add(size_t a, size_t b)
{
    return a > SIZE_MAX - b ? SIZE_MAX : a + b;
}

size_t osc_coap_serialized_size_bound(const osc_coap_message *msg)
{
    if (msg == NULL)
        return 0;
    size_t token = msg->token_length > OSC_COAP_MAX_TOKEN ? msg->token_length
                                                          : OSC_COAP_MAX_TOKEN;
    size_t bound =
        saturating_add(TCP_MAX_HEADER_SIZE + TOKEN_MAX_EXTENSION_SIZE, token);
    size_t count = msg->option_count < OSC_COAP_MAX_OPTIONS
                       ? msg->option_count
                       : OSC_COAP_MAX_OPTIONS;
    for (size_t i = 0; i < count; i++) {
        bound = saturating_add(bound, OPTION_MAX_HEADER_SIZE);
        bound = saturating_add(bound, msg->options[i].length);
    }
    if (msg->payload_length > 0) {
        bound = saturating_add(bound, 1);
        bound = saturating_add(bound, msg->payload_length);
    }
    return bound;
}

/* ---- Option helpers --------------------------------------------------- */

static size_t valid_option_count(const osc_coap_message *msg)
{
    return msg->option_count < OSC_COAP_MAX_OPTIONS ? msg->option_count
                                                    : OSC_COAP_MAX_OPTIONS;
}

const osc_coap_option *osc_coap_find_option(const osc_coap_message *msg,
                                            uint16_t number)
{
    if (msg == NULL)
        return NULL;
    size_t count = valid_option_count(msg);
    for (size_t i = 0; i < count; i++) {
        if (msg->options[i].number == number)
            return &msg->options[i];
    }
    return NULL;
}

bool osc_coap_has_option(const osc_coap_message *msg, uint16_t number)
{
    return osc_coap_find_option(msg, number) != NULL;
}

/* Appends a separator and an option value to the text being built. */
static void uri_append(char *out, size_t cap, size_t *len, char separator,
                       const osc_coap_option *opt)
{
    if (*len + 1 < cap)
        out[*len] = separator;
    (*len)++;
    for (uint32_t i = 0; i < opt->length; i++, (*len)++)
        if (*len + 1 < cap)
            out[*len] = (char)opt->value[i];
}

size_t osc_coap_request_uri(const osc_coap_message *msg, bool with_query,
                            char *out, size_t cap)
{
    size_t len = 0;
    for (size_t i = 0; i < msg->option_count; i++)
        if (msg->options[i].number == OSC_OPT_URI_PATH)
            uri_append(out, cap, &len, '/', &msg->options[i]);
    bool first = true;
    for (size_t i = 0; with_query && i < msg->option_count; i++) {
        if (msg->options[i].number == OSC_OPT_URI_QUERY) {
            uri_append(out, cap, &len, first ? '?' : '&', &msg->options[i]);
            first = false;
        }
    }
    if (cap > 0)
        out[len < cap ? len : cap - 1] = '\0';
    return len;
}

size_t osc_coap_count_option(const osc_coap_message *msg, uint16_t number)
{
    if (msg == NULL)
        return 0;
    size_t count = valid_option_count(msg);
    size_t found = 0;
    for (size_t i = 0; i < count; i++) {
        if (msg->options[i].number == number)
            found++;
    }
    return found;
}

osc_status osc_coap_add_option(osc_coap_message *msg, uint16_t number,
                               const uint8_t *value, uint32_t length)
{
    if (msg == NULL || (value == NULL && length > 0) ||
        msg->option_count > OSC_COAP_MAX_OPTIONS)
        return OSC_ERR_INVALID_ARGUMENT;
    if (length > OSC_COAP_MAX_OPTION_LENGTH)
        return OSC_ERR_COAP_VALUE_TOO_LONG;
    if (msg->option_count == OSC_COAP_MAX_OPTIONS)
        return OSC_ERR_COAP_TOO_MANY_OPTIONS;
    /* After every option with the same number, so repeated options keep
     * the order in which they were added. */
    size_t at = msg->option_count;
    while (at > 0 && msg->options[at - 1].number > number)
        at--;
    memmove(&msg->options[at + 1], &msg->options[at],
            (msg->option_count - at) * sizeof msg->options[0]);
    msg->options[at].number = number;
    msg->options[at].length = length;
    msg->options[at].value = value;
    msg->option_count++;
    return OSC_OK;
}

size_t osc_coap_remove_option(osc_coap_message *msg, uint16_t number)
{
    if (msg == NULL)
        return 0;
    size_t count = valid_option_count(msg);
    size_t kept = 0;
    for (size_t i = 0; i < count; i++) {
        if (msg->options[i].number != number)
            msg->options[kept++] = msg->options[i];
    }
    msg->option_count = kept;
    return count - kept;
}

osc_status osc_coap_uint_value(const osc_coap_option *opt, uint32_t *value)
{
    if (opt == NULL || value == NULL || opt->length > 4 ||
        (opt->value == NULL && opt->length > 0))
        return OSC_ERR_INVALID_ARGUMENT;
    uint32_t result = 0;
    for (uint32_t i = 0; i < opt->length; i++)
        result = result << 8 | opt->value[i];
    *value = result;
    return OSC_OK;
}

uint32_t osc_coap_encode_uint(uint32_t value, uint8_t out[4])
{
    const uint8_t big_endian[4] = {(uint8_t)(value >> 24),
                                   (uint8_t)(value >> 16),
                                   (uint8_t)(value >> 8), (uint8_t)value};
    size_t leading_zeros = 0;
    while (leading_zeros < sizeof big_endian && big_endian[leading_zeros] == 0)
        leading_zeros++;
    size_t length = sizeof big_endian - leading_zeros;
    memcpy(out, big_endian + leading_zeros, length);
    return (uint32_t)length;
}
