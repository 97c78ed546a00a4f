/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Tests of the CoAP codec (coap.h) and of the status strings (status.h).
 *
 * Besides hand-checked encodings, the tests rely on one property of the
 * CoAP encodings: every field has exactly one valid encoding, so any input
 * that parses must serialize back to the very same bytes. Inputs are
 * copied into exactly-sized heap buffers so that AddressSanitizer reports
 * any read past their end.
 */
#include "oscore/coap.h"
#include "oscore/status.h"
#include "test_support.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Option numbers used below (RFC 7252 section 5.10). */
enum {
    OPT_IF_MATCH = 1,
    OPT_URI_HOST = 3,
    OPT_OBSERVE = 6,
    OPT_URI_PATH = 11,
    OPT_CONTENT_FORMAT = 12,
    OPT_URI_QUERY = 15,
    OPT_PROXY_SCHEME = 39
};

static osc_coap_message msg;
static osc_coap_message msg2;
static uint8_t big_value[70000];

/* A heap copy of exactly len bytes (one zeroed byte when len is 0, so that
 * malloc(0) differences do not matter; the parser is given len). */
static uint8_t *exact_copy(const uint8_t *data, size_t len)
{
    uint8_t *copy = calloc(len > 0 ? len : 1, 1);
    if (copy == NULL) {
        fprintf(stderr, "out of memory\n");
        abort();
    }
    if (len > 0)
        memcpy(copy, data, len);
    return copy;
}

static osc_status parse_hex(const char *hex, osc_coap_framing framing,
                            osc_coap_message *out)
{
    uint8_t buf[256];
    size_t len = hex_to_bytes(hex, buf, sizeof buf);
    uint8_t *copy = exact_copy(buf, len);
    osc_status status = osc_coap_parse(copy, len, framing, out);
    free(copy);
    /* Option values point into the freed copy; callers only look at
     * the status and at fields copied into the struct. */
    return status;
}

/* True for the errors a parser may report for malformed input. */
static bool is_parse_error(osc_status status)
{
    switch (status) {
    case OSC_ERR_COAP_TRUNCATED:
    case OSC_ERR_COAP_BAD_VERSION:
    case OSC_ERR_COAP_BAD_TOKEN_LENGTH:
    case OSC_ERR_COAP_EMPTY_WITH_CONTENT:
    case OSC_ERR_COAP_OPTION_DELTA_RESERVED:
    case OSC_ERR_COAP_OPTION_LENGTH_RESERVED:
    case OSC_ERR_COAP_OPTION_NUMBER_OVERFLOW:
    case OSC_ERR_COAP_PAYLOAD_MARKER_EMPTY:
    case OSC_ERR_COAP_TOO_MANY_OPTIONS:
    case OSC_ERR_COAP_LENGTH_MISMATCH:
        return true;
    default:
        return false;
    }
}

/* Parses data (from an exact heap copy) and, when it parses, checks that
 * serializing gives the same bytes. Returns the parse status; reports a
 * failure only through the returned flag so loops can aggregate. */
static bool parse_is_canonical(const uint8_t *data, size_t len,
                               osc_coap_framing framing, osc_status *status)
{
    uint8_t *copy = exact_copy(data, len);
    *status = osc_coap_parse(copy, len, framing, &msg2);
    bool ok;
    if (*status == OSC_OK) {
        uint8_t out[512];
        size_t written = 0;
        ok = len <= sizeof out &&
             osc_coap_serialize(&msg2, out, sizeof out, &written) == OSC_OK &&
             written == len && memcmp(out, data, len) == 0 &&
             osc_coap_serialized_size_bound(&msg2) >= len;
    } else {
        ok = is_parse_error(*status);
    }
    free(copy);
    return ok;
}

/* Parse, check canonical re-serialization, return the status. */
static void check_round_trip_hex(const char *hex, osc_coap_framing framing)
{
    uint8_t buf[512];
    size_t len = hex_to_bytes(hex, buf, sizeof buf);
    CHECK_EQ(osc_coap_parse(buf, len, framing, &msg), OSC_OK);
    uint8_t out[512];
    size_t written = 0;
    CHECK_EQ(osc_coap_serialize(&msg, out, sizeof out, &written), OSC_OK);
    CHECK_BYTES(out, written, buf, len, hex);
}

/* ---- Status strings --------------------------------------------------- */

static void test_status_strings(void)
{
    CHECK(strcmp(osc_status_message(OSC_OK), "ok") == 0);
    CHECK(strcmp(osc_status_name(OSC_OK), "OSC_OK") == 0);
    CHECK(strcmp(osc_status_message(OSC_ERR_AUTH_FAILED),
                 "authentication failed") == 0);
    CHECK(strcmp(osc_status_name(OSC_ERR_AUTH_FAILED), "OSC_ERR_AUTH_FAILED") ==
          0);
    CHECK(strcmp(osc_status_name(OSC_ERR_COAP_TOO_MANY_OPTIONS),
                 "OSC_ERR_COAP_TOO_MANY_OPTIONS") == 0);
    CHECK(strcmp(osc_status_name(OSC_ERR_GROUP_UNSUPPORTED),
                 "OSC_ERR_GROUP_UNSUPPORTED") == 0);
    CHECK(strcmp(osc_status_message(OSC_STATUS_COUNT), "unknown status") == 0);
    CHECK(strcmp(osc_status_message((osc_status)1000), "unknown status") == 0);
    CHECK(osc_status_name((osc_status)1000) != NULL);

    bool all_well_formed = true;
    bool all_distinct = true;
    for (int i = 0; i < OSC_STATUS_COUNT; i++) {
        const char *message = osc_status_message((osc_status)i);
        const char *name = osc_status_name((osc_status)i);
        if (message == NULL || name == NULL || message[0] == '\0' ||
            strcmp(message, "unknown status") == 0 ||
            strncmp(name, "OSC_", 4) != 0) {
            all_well_formed = false;
            fprintf(stderr, "status %d: bad strings\n", i);
            continue;
        }
        for (const char *c = message; *c; c++) {
            if (isupper((unsigned char)*c))
                all_well_formed = false;
        }
        for (const char *c = name; *c; c++) {
            if (!isupper((unsigned char)*c) && *c != '_')
                all_well_formed = false;
        }
        for (int j = 0; j < i; j++) {
            if (strcmp(name, osc_status_name((osc_status)j)) == 0 ||
                strcmp(message, osc_status_message((osc_status)j)) == 0) {
                all_distinct = false;
                fprintf(stderr, "status %d and %d share a string\n", i, j);
            }
        }
    }
    CHECK(all_well_formed);
    CHECK(all_distinct);
}

/* ---- Codes ------------------------------------------------------------ */

static void check_code_format(uint8_t code, const char *want)
{
    char text[5];
    memset(text, 'x', sizeof text);
    osc_coap_code_format(code, text);
    CHECK(strcmp(text, want) == 0);
}

static void check_code_name(uint8_t code, const char *want)
{
    const char *name = osc_coap_code_name(code);
    if (want == NULL)
        CHECK(name == NULL);
    else
        CHECK(name != NULL && strcmp(name, want) == 0);
}

static void test_codes(void)
{
    check_code_format(0x00, "0.00");
    check_code_format(0x01, "0.01");
    check_code_format(0x45, "2.05");
    check_code_format(0x5f, "2.31");
    check_code_format(0x84, "4.04");
    check_code_format(0xa8, "5.08");
    check_code_format(0xe1, "7.01");
    check_code_format(0xff, "7.31");

    check_code_name(OSC_COAP_CODE_GET, "GET");
    check_code_name(OSC_COAP_CODE_POST, "POST");
    check_code_name(OSC_COAP_CODE_FETCH, "FETCH");
    check_code_name(OSC_COAP_CODE(0, 6), "PATCH");
    check_code_name(OSC_COAP_CODE(0, 7), "iPATCH");
    check_code_name(OSC_COAP_CODE_CHANGED, "Changed");
    check_code_name(OSC_COAP_CODE_CONTENT, "Content");
    check_code_name(OSC_COAP_CODE(2, 31), "Continue");
    check_code_name(OSC_COAP_CODE(4, 2), "Bad Option");
    check_code_name(OSC_COAP_CODE(4, 8), "Request Entity Incomplete");
    check_code_name(OSC_COAP_CODE(4, 13), "Request Entity Too Large");
    check_code_name(OSC_COAP_CODE(4, 15), "Unsupported Content-Format");
    check_code_name(OSC_COAP_CODE(4, 29), "Too Many Requests");
    check_code_name(OSC_COAP_CODE(5, 5), "Proxying Not Supported");
    check_code_name(OSC_COAP_CODE(5, 8), "Hop Limit Reached");
    check_code_name(OSC_COAP_CODE(7, 1), "CSM");
    check_code_name(OSC_COAP_CODE(7, 2), "Ping");
    check_code_name(OSC_COAP_CODE(7, 3), "Pong");
    check_code_name(OSC_COAP_CODE(7, 4), "Release");
    check_code_name(OSC_COAP_CODE(7, 5), "Abort");
    check_code_name(OSC_COAP_CODE(0, 31), NULL);
    check_code_name(OSC_COAP_CODE(1, 0), NULL);
    check_code_name(OSC_COAP_CODE(2, 6), NULL);
    check_code_name(OSC_COAP_CODE(6, 0), NULL);
    check_code_name(OSC_COAP_CODE(7, 0), NULL);

    CHECK(osc_coap_code_is_request(0x01));
    CHECK(osc_coap_code_is_request(0x1f));
    CHECK(!osc_coap_code_is_request(0x00));
    CHECK(!osc_coap_code_is_request(0x45));
    CHECK(osc_coap_code_is_response(0x40));
    CHECK(osc_coap_code_is_response(0xbf));
    CHECK(!osc_coap_code_is_response(0x20));
    CHECK(!osc_coap_code_is_response(0xc0));
    CHECK(!osc_coap_code_is_response(0x01));
    CHECK(osc_coap_code_is_signaling(0xe1));
    CHECK(osc_coap_code_is_signaling(0xe0));
    CHECK(!osc_coap_code_is_signaling(0xc1));
    CHECK(!osc_coap_code_is_signaling(0x45));
}

/* ---- UDP messages ----------------------------------------------------- */

static void test_udp_request(void)
{
    /* RFC 8613 C.4 unprotected request: CON GET coap://localhost/tv1. */
    const char *hex = "44015d1f00003974396c6f63616c686f737483747631";
    uint8_t buf[64];
    size_t len = hex_to_bytes(hex, buf, sizeof buf);
    memset(&msg, 0xa5, sizeof msg);
    CHECK_EQ(osc_coap_parse(buf, len, OSC_COAP_FRAMING_UDP, &msg), OSC_OK);
    CHECK_EQ(msg.framing, OSC_COAP_FRAMING_UDP);
    CHECK_EQ(msg.type, OSC_COAP_TYPE_CON);
    CHECK_EQ(msg.code, OSC_COAP_CODE_GET);
    CHECK_EQ(msg.message_id, 0x5d1f);
    static const uint8_t token[] = {0x00, 0x00, 0x39, 0x74};
    CHECK_BYTES(msg.token, msg.token_length, token, sizeof token, "token");
    CHECK_EQ(msg.option_count, 2);
    CHECK_EQ(msg.options[0].number, OPT_URI_HOST);
    CHECK_BYTES(msg.options[0].value, msg.options[0].length,
                (const uint8_t *)"localhost", 9, "Uri-Host");
    CHECK(msg.options[0].value == buf + 9);
    CHECK_EQ(msg.options[1].number, OPT_URI_PATH);
    CHECK_BYTES(msg.options[1].value, msg.options[1].length,
                (const uint8_t *)"tv1", 3, "Uri-Path");
    CHECK(msg.options[1].value == buf + 19);
    CHECK(msg.payload == NULL);
    CHECK_EQ(msg.payload_length, 0);

    uint8_t out[64];
    size_t written = 0;
    CHECK_EQ(osc_coap_serialize(&msg, out, sizeof out, &written), OSC_OK);
    CHECK_BYTES(out, written, buf, len, "C.4 request round trip");
    CHECK(osc_coap_serialized_size_bound(&msg) >= len);

    /* Every smaller capacity is refused and nothing past it is written. */
    bool refused_in_bounds = true;
    for (size_t cap = 0; cap < len; cap++) {
        uint8_t guarded[64];
        memset(guarded, 0xcc, sizeof guarded);
        size_t w = 12345;
        if (osc_coap_serialize(&msg, guarded, cap, &w) !=
                OSC_ERR_BUFFER_TOO_SMALL ||
            w != 12345)
            refused_in_bounds = false;
        for (size_t i = cap; i < sizeof guarded; i++) {
            if (guarded[i] != 0xcc)
                refused_in_bounds = false;
        }
    }
    CHECK(refused_in_bounds);
    CHECK_EQ(osc_coap_serialize(&msg, NULL, 0, &written),
             OSC_ERR_BUFFER_TOO_SMALL);
}

static void test_udp_response_and_types(void)
{
    /* ACK 2.05, MID 0x1234, token 0a, Content-Format 0 (empty value),
     * payload "hi". */
    const char *response = "614512340ac0ff6869";
    CHECK_EQ(parse_hex(response, OSC_COAP_FRAMING_UDP, &msg), OSC_OK);
    CHECK_EQ(msg.type, OSC_COAP_TYPE_ACK);
    CHECK_EQ(msg.code, OSC_COAP_CODE_CONTENT);
    CHECK_EQ(msg.message_id, 0x1234);
    CHECK_EQ(msg.token_length, 1);
    CHECK_EQ(msg.token[0], 0x0a);
    CHECK_EQ(msg.option_count, 1);
    CHECK_EQ(msg.options[0].number, OPT_CONTENT_FORMAT);
    CHECK_EQ(msg.options[0].length, 0);
    CHECK_EQ(msg.payload_length, 2);
    check_round_trip_hex(response, OSC_COAP_FRAMING_UDP);

    /* The four types and the Empty message (CON ping, RST). */
    check_round_trip_hex("40010001", OSC_COAP_FRAMING_UDP);
    check_round_trip_hex("50020002", OSC_COAP_FRAMING_UDP);
    check_round_trip_hex("60000003", OSC_COAP_FRAMING_UDP);
    check_round_trip_hex("7000ffff", OSC_COAP_FRAMING_UDP);
    CHECK_EQ(parse_hex("7000ffff", OSC_COAP_FRAMING_UDP, &msg), OSC_OK);
    CHECK_EQ(msg.type, OSC_COAP_TYPE_RST);
    CHECK_EQ(msg.code, OSC_COAP_CODE_EMPTY);
    CHECK_EQ(msg.message_id, 0xffff);
    CHECK_EQ(msg.option_count, 0);
    CHECK_EQ(msg.token_length, 0);

    /* 8-byte token, payload only. */
    check_round_trip_hex("4801abcd0102030405060708ff00", OSC_COAP_FRAMING_UDP);
    CHECK_EQ(
        parse_hex("4801abcd0102030405060708ff00", OSC_COAP_FRAMING_UDP, &msg),
        OSC_OK);
    CHECK_EQ(msg.token_length, 8);
    CHECK_EQ(msg.token[7], 0x08);
    CHECK_EQ(msg.payload_length, 1);
}

static void test_udp_built_message(void)
{
    /* Build POST coap://example.com/a/b?x with Observe 0 and payload. */
    memset(&msg, 0, sizeof msg);
    msg.framing = OSC_COAP_FRAMING_UDP;
    msg.type = OSC_COAP_TYPE_NON;
    msg.code = OSC_COAP_CODE_POST;
    msg.message_id = 0xbeef;
    msg.token_length = 2;
    msg.token[0] = 0xca;
    msg.token[1] = 0xfe;
    CHECK_EQ(osc_coap_add_option(&msg, OPT_URI_QUERY, (const uint8_t *)"x", 1),
             OSC_OK);
    CHECK_EQ(osc_coap_add_option(&msg, OPT_URI_PATH, (const uint8_t *)"a", 1),
             OSC_OK);
    CHECK_EQ(osc_coap_add_option(&msg, OPT_URI_HOST,
                                 (const uint8_t *)"example.com", 11),
             OSC_OK);
    CHECK_EQ(osc_coap_add_option(&msg, OPT_URI_PATH, (const uint8_t *)"b", 1),
             OSC_OK);
    /* Zero-length values may be given as NULL. */
    CHECK_EQ(osc_coap_add_option(&msg, OPT_OBSERVE, NULL, 0), OSC_OK);
    static const uint8_t payload[] = {0x01, 0x02, 0x03};
    msg.payload = payload;
    msg.payload_length = sizeof payload;

    uint8_t out[64];
    size_t written = 0;
    CHECK_EQ(osc_coap_serialize(&msg, out, sizeof out, &written), OSC_OK);
    uint8_t want[64];
    size_t want_len = hex_to_bytes("5202beefcafe"
                                   "3b6578616d706c652e636f6d" /* Uri-Host */
                                   "30"                       /* Observe */
                                   "5161"                     /* Uri-Path a */
                                   "0162"                     /* Uri-Path b */
                                   "4178"                     /* Uri-Query */
                                   "ff010203",
                                   want, sizeof want);
    CHECK_BYTES(out, written, want, want_len, "built NON POST");
    CHECK(osc_coap_serialized_size_bound(&msg) >= written);

    CHECK_EQ(osc_coap_parse(out, written, OSC_COAP_FRAMING_UDP, &msg2), OSC_OK);
    CHECK_EQ(msg2.type, OSC_COAP_TYPE_NON);
    CHECK_EQ(msg2.message_id, 0xbeef);
    CHECK_EQ(msg2.option_count, 5);
    CHECK_EQ(osc_coap_count_option(&msg2, OPT_URI_PATH), 2);
    CHECK_BYTES(msg2.payload, msg2.payload_length, payload, sizeof payload,
                "payload");
    CHECK(msg2.payload == out + written - 3);
}

/* ---- Extended option deltas and lengths ------------------------------- */

typedef struct option_form {
    uint16_t number;
    uint32_t length;
    const char *header_hex; /* option header bytes before the value */
} option_form;

static void test_option_forms(void)
{
    static const option_form forms[] = {
        {0, 0, "00"},
        {12, 0, "c0"},
        {13, 0, "d000"}, /* smallest 1-byte delta extension */
        {20, 0, "d007"},
        {268, 0, "d0ff"},   /* largest 1-byte delta extension */
        {269, 0, "e00000"}, /* smallest 2-byte delta extension */
        {292, 0, "e00017"},
        {2000, 0, "e006c3"},
        {65000, 0, "e0fcdb"},
        {65535, 0, "e0fef2"},
        {1, 12, "1c"},
        {1, 13, "1d00"},
        {1, 268, "1dff"},
        {1, 269, "1e0000"},
        {1, 1000, "1e02db"},
        {1, 65804, "1effff"}, /* longest expressible value */
        {2000, 1000, "ee06c302db"},
    };
    static uint8_t want[70000];
    static uint8_t out[70000];
    for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++) {
        const option_form *form = &forms[i];
        char what[64];
        snprintf(what, sizeof what, "option %u length %u", form->number,
                 (unsigned)form->length);

        osc_coap_option option = {form->number, form->length, big_value};
        size_t written = 0;
        CHECK_EQ(osc_coap_encode_options(&option, 1, NULL, 0, out, sizeof out,
                                         &written),
                 OSC_OK);
        size_t header_len = hex_to_bytes(form->header_hex, want, sizeof want);
        memcpy(want + header_len, big_value, form->length);
        CHECK_BYTES(out, written, want, header_len + form->length, what);

        memset(&msg, 0, sizeof msg);
        CHECK_EQ(osc_coap_parse_options(out, written, &msg), OSC_OK);
        CHECK_EQ(msg.option_count, 1);
        CHECK_EQ(msg.options[0].number, form->number);
        CHECK_EQ(msg.options[0].length, form->length);
        CHECK(msg.options[0].value == out + header_len);
    }

    /* A sequence of large deltas: 292, 2000 and 65000 in one message. */
    memset(&msg, 0, sizeof msg);
    msg.framing = OSC_COAP_FRAMING_UDP;
    msg.code = OSC_COAP_CODE_GET;
    msg.message_id = 7;
    CHECK_EQ(osc_coap_add_option(&msg, 65000, (const uint8_t *)"z", 1), OSC_OK);
    CHECK_EQ(osc_coap_add_option(&msg, 292, (const uint8_t *)"x", 1), OSC_OK);
    CHECK_EQ(osc_coap_add_option(&msg, 2000, (const uint8_t *)"y", 1), OSC_OK);
    size_t written = 0;
    CHECK_EQ(osc_coap_serialize(&msg, out, sizeof out, &written), OSC_OK);
    /* Deltas 292 (ext 23), 1708 (ext 1439), 63000 (ext 62731). */
    size_t want_len = hex_to_bytes("40010007"
                                   "e1001778"
                                   "e1059f79"
                                   "e1f50b7a",
                                   want, sizeof want);
    CHECK_BYTES(out, written, want, want_len, "deltas 292, 1708, 63000");
    CHECK_EQ(osc_coap_parse(out, written, OSC_COAP_FRAMING_UDP, &msg2), OSC_OK);
    CHECK_EQ(msg2.option_count, 3);
    CHECK_EQ(msg2.options[0].number, 292);
    CHECK_EQ(msg2.options[1].number, 2000);
    CHECK_EQ(msg2.options[2].number, 65000);
    CHECK_EQ(msg2.options[2].value[0], 'z');

    /* Extended delta and extended length in one header byte, 1000-byte
     * value followed by a payload. */
    memset(&msg, 0, sizeof msg);
    msg.framing = OSC_COAP_FRAMING_UDP;
    msg.type = OSC_COAP_TYPE_CON;
    msg.code = OSC_COAP_CODE_PUT;
    CHECK_EQ(osc_coap_add_option(&msg, OPT_PROXY_SCHEME, big_value, 268),
             OSC_OK);
    msg.payload = big_value;
    msg.payload_length = 1000;
    CHECK_EQ(osc_coap_serialize(&msg, out, sizeof out, &written), OSC_OK);
    CHECK_EQ(written, 4 + 3 + 268 + 1 + 1000);
    CHECK_EQ(out[4], 0xdd);
    CHECK_EQ(out[5], OPT_PROXY_SCHEME - 13);
    CHECK_EQ(out[6], 255);
    CHECK_EQ(osc_coap_parse(out, written, OSC_COAP_FRAMING_UDP, &msg2), OSC_OK);
    CHECK_EQ(msg2.options[0].number, OPT_PROXY_SCHEME);
    CHECK_EQ(msg2.options[0].length, 268);
    CHECK_EQ(msg2.payload_length, 1000);
    CHECK(msg2.payload == out + 4 + 3 + 268 + 1);
}

/* ---- Named errors ----------------------------------------------------- */

typedef struct malformed_case {
    osc_coap_framing framing;
    const char *hex;
    osc_status want;
} malformed_case;

static void test_malformed_inputs(void)
{
    static const malformed_case cases[] = {
        /* Truncated header, token, extensions, value. */
        {OSC_COAP_FRAMING_UDP, "", OSC_ERR_COAP_TRUNCATED},
        {OSC_COAP_FRAMING_UDP, "400100", OSC_ERR_COAP_TRUNCATED},
        {OSC_COAP_FRAMING_UDP, "42010000aa", OSC_ERR_COAP_TRUNCATED},
        {OSC_COAP_FRAMING_UDP, "40010000d0", OSC_ERR_COAP_TRUNCATED},
        {OSC_COAP_FRAMING_UDP, "40010000e000", OSC_ERR_COAP_TRUNCATED},
        {OSC_COAP_FRAMING_UDP, "400100000d", OSC_ERR_COAP_TRUNCATED},
        {OSC_COAP_FRAMING_UDP, "400100000e01", OSC_ERR_COAP_TRUNCATED},
        {OSC_COAP_FRAMING_UDP, "40010000036162", OSC_ERR_COAP_TRUNCATED},
        {OSC_COAP_FRAMING_UDP, "40010000dd00", OSC_ERR_COAP_TRUNCATED},
        /* Version other than 1. */
        {OSC_COAP_FRAMING_UDP, "00010000", OSC_ERR_COAP_BAD_VERSION},
        {OSC_COAP_FRAMING_UDP, "80010000", OSC_ERR_COAP_BAD_VERSION},
        {OSC_COAP_FRAMING_UDP, "c0010000", OSC_ERR_COAP_BAD_VERSION},
        /* TKL 15 (reserved, RFC 8974 2.1); TKL 13 and 14 without their
         * extended length or token (TKL 14 announces at least 269 bytes). */
        {OSC_COAP_FRAMING_UDP, "4f010000", OSC_ERR_COAP_BAD_TOKEN_LENGTH},
        {OSC_COAP_FRAMING_TCP, "0f01", OSC_ERR_COAP_BAD_TOKEN_LENGTH},
        {OSC_COAP_FRAMING_WEBSOCKET, "0f01", OSC_ERR_COAP_BAD_TOKEN_LENGTH},
        {OSC_COAP_FRAMING_UDP, "4d010000", OSC_ERR_COAP_TRUNCATED},
        {OSC_COAP_FRAMING_UDP, "4d01000000aabb", OSC_ERR_COAP_TRUNCATED},
        {OSC_COAP_FRAMING_UDP, "4e01000000", OSC_ERR_COAP_TRUNCATED},
        {OSC_COAP_FRAMING_TCP, "0d01", OSC_ERR_COAP_TRUNCATED},
        {OSC_COAP_FRAMING_UDP, "4e0100000000", OSC_ERR_COAP_TRUNCATED},
        {OSC_COAP_FRAMING_TCP, "0e01ffff", OSC_ERR_COAP_TRUNCATED},
        {OSC_COAP_FRAMING_WEBSOCKET, "0e010000", OSC_ERR_COAP_TRUNCATED},
        /* Empty message with token, option or payload. */
        {OSC_COAP_FRAMING_UDP, "41000000aa", OSC_ERR_COAP_EMPTY_WITH_CONTENT},
        {OSC_COAP_FRAMING_UDP, "40000000b0", OSC_ERR_COAP_EMPTY_WITH_CONTENT},
        {OSC_COAP_FRAMING_UDP, "40000000ff01", OSC_ERR_COAP_EMPTY_WITH_CONTENT},
        {OSC_COAP_FRAMING_UDP, "41000000", OSC_ERR_COAP_EMPTY_WITH_CONTENT},
        /* Nibble 15 in delta or length (but not the 0xFF marker). */
        {OSC_COAP_FRAMING_UDP, "40010000f0",
         OSC_ERR_COAP_OPTION_DELTA_RESERVED},
        {OSC_COAP_FRAMING_UDP, "40010000f161",
         OSC_ERR_COAP_OPTION_DELTA_RESERVED},
        {OSC_COAP_FRAMING_UDP, "400100000f",
         OSC_ERR_COAP_OPTION_LENGTH_RESERVED},
        {OSC_COAP_FRAMING_UDP, "40010000b1613f",
         OSC_ERR_COAP_OPTION_LENGTH_RESERVED},
        {OSC_COAP_FRAMING_UDP, "40010000df",
         OSC_ERR_COAP_OPTION_LENGTH_RESERVED},
        /* Option numbers past 65535. */
        {OSC_COAP_FRAMING_UDP, "40010000e0fef3",
         OSC_ERR_COAP_OPTION_NUMBER_OVERFLOW},
        {OSC_COAP_FRAMING_UDP, "40010000e0ffff",
         OSC_ERR_COAP_OPTION_NUMBER_OVERFLOW},
        {OSC_COAP_FRAMING_UDP, "40010000e0fef210",
         OSC_ERR_COAP_OPTION_NUMBER_OVERFLOW},
        /* Payload marker at the end. */
        {OSC_COAP_FRAMING_UDP, "40010000ff", OSC_ERR_COAP_PAYLOAD_MARKER_EMPTY},
        {OSC_COAP_FRAMING_UDP, "40010000b161ff",
         OSC_ERR_COAP_PAYLOAD_MARKER_EMPTY},
        {OSC_COAP_FRAMING_TCP, "1001ff", OSC_ERR_COAP_PAYLOAD_MARKER_EMPTY},
        {OSC_COAP_FRAMING_WEBSOCKET, "0001ff",
         OSC_ERR_COAP_PAYLOAD_MARKER_EMPTY},
        /* RFC 8323 Len against the data. */
        {OSC_COAP_FRAMING_TCP, "0001b0", OSC_ERR_COAP_LENGTH_MISMATCH},
        {OSC_COAP_FRAMING_TCP, "1001b000", OSC_ERR_COAP_LENGTH_MISMATCH},
        {OSC_COAP_FRAMING_TCP, "d00001b0", OSC_ERR_COAP_TRUNCATED},
        /* Len 13 (extended form) with 14 bytes of empty options. */
        {OSC_COAP_FRAMING_TCP,
         "d00001"
         "0000000000000000000000000000",
         OSC_ERR_COAP_LENGTH_MISMATCH},
        {OSC_COAP_FRAMING_WEBSOCKET, "1001b0", OSC_ERR_COAP_LENGTH_MISMATCH},
        {OSC_COAP_FRAMING_TCP, "2001b0", OSC_ERR_COAP_TRUNCATED},
        {OSC_COAP_FRAMING_TCP, "", OSC_ERR_COAP_TRUNCATED},
        {OSC_COAP_FRAMING_TCP, "00", OSC_ERR_COAP_TRUNCATED},
        {OSC_COAP_FRAMING_TCP, "d0", OSC_ERR_COAP_TRUNCATED},
        {OSC_COAP_FRAMING_TCP, "e000", OSC_ERR_COAP_TRUNCATED},
        {OSC_COAP_FRAMING_TCP, "f0000000", OSC_ERR_COAP_TRUNCATED},
        {OSC_COAP_FRAMING_TCP, "0201aa", OSC_ERR_COAP_TRUNCATED},
        {OSC_COAP_FRAMING_WEBSOCKET, "", OSC_ERR_COAP_TRUNCATED},
        {OSC_COAP_FRAMING_WEBSOCKET, "01", OSC_ERR_COAP_TRUNCATED},
        {OSC_COAP_FRAMING_WEBSOCKET, "0101", OSC_ERR_COAP_TRUNCATED},
        {OSC_COAP_FRAMING_WEBSOCKET, "0001b3", OSC_ERR_COAP_TRUNCATED},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        osc_status got = parse_hex(cases[i].hex, cases[i].framing, &msg);
        if (!CHECK_EQ(got, cases[i].want))
            fprintf(stderr, "  input %s (framing %d): %s\n", cases[i].hex,
                    (int)cases[i].framing, osc_status_name(got));
    }

    /* Boundary values just inside the limits parse. */
    CHECK_EQ(parse_hex("40010000e0fef2", OSC_COAP_FRAMING_UDP, &msg), OSC_OK);
    CHECK_EQ(msg.options[0].number, 65535);
    CHECK_EQ(parse_hex("40010000e0fef200", OSC_COAP_FRAMING_UDP, &msg), OSC_OK);
    CHECK_EQ(msg.option_count, 2);
    CHECK_EQ(parse_hex("40000000", OSC_COAP_FRAMING_UDP, &msg), OSC_OK);

    /* Unknown framing and NULL arguments. */
    uint8_t byte = 0x40;
    CHECK_EQ(osc_coap_parse(&byte, 1, (osc_coap_framing)7, &msg),
             OSC_ERR_INVALID_ARGUMENT);
    CHECK_EQ(osc_coap_parse(&byte, 1, OSC_COAP_FRAMING_UDP, NULL),
             OSC_ERR_INVALID_ARGUMENT);
    CHECK_EQ(osc_coap_parse(NULL, 4, OSC_COAP_FRAMING_UDP, &msg),
             OSC_ERR_INVALID_ARGUMENT);
    CHECK_EQ(osc_coap_parse(NULL, 0, OSC_COAP_FRAMING_UDP, &msg),
             OSC_ERR_COAP_TRUNCATED);
}

static void test_too_many_options(void)
{
    /* Header plus N one-byte options (number 0, empty value). */
    uint8_t buf[4 + OSC_COAP_MAX_OPTIONS + 1];
    static const uint8_t header[] = {0x40, 0x01, 0x00, 0x00};
    memcpy(buf, header, sizeof header);
    memset(buf + 4, 0x00, sizeof buf - 4);

    CHECK_EQ(osc_coap_parse(buf, 4 + OSC_COAP_MAX_OPTIONS, OSC_COAP_FRAMING_UDP,
                            &msg),
             OSC_OK);
    CHECK_EQ(msg.option_count, OSC_COAP_MAX_OPTIONS);
    CHECK_EQ(osc_coap_parse(buf, sizeof buf, OSC_COAP_FRAMING_UDP, &msg),
             OSC_ERR_COAP_TOO_MANY_OPTIONS);

    /* Appending parse_options counts the options already present. */
    memset(&msg, 0, sizeof msg);
    msg.option_count = OSC_COAP_MAX_OPTIONS - 1;
    CHECK_EQ(osc_coap_parse_options(buf + 4, 1, &msg), OSC_OK);
    CHECK_EQ(msg.option_count, OSC_COAP_MAX_OPTIONS);
    CHECK_EQ(osc_coap_parse_options(buf + 4, 1, &msg),
             OSC_ERR_COAP_TOO_MANY_OPTIONS);
    msg.option_count = OSC_COAP_MAX_OPTIONS + 1;
    CHECK_EQ(osc_coap_parse_options(buf + 4, 1, &msg),
             OSC_ERR_INVALID_ARGUMENT);

    /* add_option on a full message. */
    memset(&msg, 0, sizeof msg);
    bool all_added = true;
    for (int i = 0; i < OSC_COAP_MAX_OPTIONS; i++) {
        if (osc_coap_add_option(&msg, (uint16_t)(i * 3), NULL, 0) != OSC_OK)
            all_added = false;
    }
    CHECK(all_added);
    CHECK_EQ(osc_coap_add_option(&msg, 1, NULL, 0),
             OSC_ERR_COAP_TOO_MANY_OPTIONS);
    CHECK_EQ(msg.option_count, OSC_COAP_MAX_OPTIONS);

    /* Serializing it uses delta 0 for the first, then 3 each. */
    msg.framing = OSC_COAP_FRAMING_UDP;
    msg.code = OSC_COAP_CODE_GET;
    uint8_t out[4 + OSC_COAP_MAX_OPTIONS];
    size_t written = 0;
    CHECK_EQ(osc_coap_serialize(&msg, out, sizeof out, &written), OSC_OK);
    CHECK_EQ(written, sizeof out);
    CHECK_EQ(out[4], 0x00);
    CHECK_EQ(out[5], 0x30);
    CHECK_EQ(out[sizeof out - 1], 0x30);
}

static void test_serializer_errors(void)
{
    uint8_t out[128];
    size_t written = 0;

    osc_coap_option unsorted[] = {{OPT_URI_PATH, 1, (const uint8_t *)"a"},
                                  {OPT_URI_HOST, 1, (const uint8_t *)"h"}};
    CHECK_EQ(osc_coap_encode_options(unsorted, 2, NULL, 0, out, sizeof out,
                                     &written),
             OSC_ERR_COAP_OPTIONS_UNSORTED);

    osc_coap_option too_long = {1, OSC_COAP_MAX_OPTION_LENGTH + 1, big_value};
    CHECK_EQ(osc_coap_encode_options(&too_long, 1, NULL, 0, out, sizeof out,
                                     &written),
             OSC_ERR_COAP_VALUE_TOO_LONG);

    osc_coap_option null_value = {1, 2, NULL};
    CHECK_EQ(osc_coap_encode_options(&null_value, 1, NULL, 0, out, sizeof out,
                                     &written),
             OSC_ERR_INVALID_ARGUMENT);
    CHECK_EQ(
        osc_coap_encode_options(NULL, 0, NULL, 1, out, sizeof out, &written),
        OSC_ERR_INVALID_ARGUMENT);
    CHECK_EQ(osc_coap_encode_options(NULL, 0, NULL, 0, out, sizeof out, NULL),
             OSC_ERR_INVALID_ARGUMENT);

    /* Nothing to encode: zero bytes, even with no buffer. */
    written = 99;
    CHECK_EQ(osc_coap_encode_options(NULL, 0, NULL, 0, NULL, 0, &written),
             OSC_OK);
    CHECK_EQ(written, 0);

    /* Equal numbers are sorted; an empty value may be NULL. */
    osc_coap_option repeated[] = {{OPT_IF_MATCH, 0, NULL},
                                  {OPT_IF_MATCH, 1, (const uint8_t *)"e"}};
    static const uint8_t payload[] = {0x70};
    CHECK_EQ(osc_coap_encode_options(repeated, 2, payload, 1, out, sizeof out,
                                     &written),
             OSC_OK);
    static const uint8_t want[] = {0x10, 0x01, 'e', 0xff, 0x70};
    CHECK_BYTES(out, written, want, sizeof want, "repeated If-Match");
    CHECK_EQ(osc_coap_encode_options(repeated, 2, payload, 1, out, 4, &written),
             OSC_ERR_BUFFER_TOO_SMALL);

    /* Message-level checks. */
    memset(&msg, 0, sizeof msg);
    msg.framing = OSC_COAP_FRAMING_UDP;
    msg.code = OSC_COAP_CODE_EMPTY;
    msg.token_length = 1;
    CHECK_EQ(osc_coap_serialize(&msg, out, sizeof out, &written),
             OSC_ERR_COAP_EMPTY_WITH_CONTENT);
    msg.token_length = 0;
    msg.payload = payload;
    msg.payload_length = 1;
    CHECK_EQ(osc_coap_serialize(&msg, out, sizeof out, &written),
             OSC_ERR_COAP_EMPTY_WITH_CONTENT);
    msg.payload_length = 0;
    CHECK_EQ(osc_coap_serialize(&msg, out, sizeof out, &written), OSC_OK);
    CHECK_EQ(written, 4);

    msg.code = OSC_COAP_CODE_GET;
    msg.type = (osc_coap_type)4;
    CHECK_EQ(osc_coap_serialize(&msg, out, sizeof out, &written),
             OSC_ERR_INVALID_ARGUMENT);
    msg.type = OSC_COAP_TYPE_CON;
    msg.framing = (osc_coap_framing)3;
    CHECK_EQ(osc_coap_serialize(&msg, out, sizeof out, &written),
             OSC_ERR_INVALID_ARGUMENT);
    msg.framing = OSC_COAP_FRAMING_UDP;
    msg.option_count = OSC_COAP_MAX_OPTIONS + 1;
    CHECK_EQ(osc_coap_serialize(&msg, out, sizeof out, &written),
             OSC_ERR_INVALID_ARGUMENT);
    msg.option_count = 2;
    msg.options[0] = unsorted[0];
    msg.options[1] = unsorted[1];
    CHECK_EQ(osc_coap_serialize(&msg, out, sizeof out, &written),
             OSC_ERR_COAP_OPTIONS_UNSORTED);
    msg.option_count = 1;
    msg.options[0] = too_long;
    CHECK_EQ(osc_coap_serialize(&msg, out, sizeof out, &written),
             OSC_ERR_COAP_VALUE_TOO_LONG);
    CHECK_EQ(osc_coap_serialize(NULL, out, sizeof out, &written),
             OSC_ERR_INVALID_ARGUMENT);
    CHECK_EQ(osc_coap_serialize(&msg, out, sizeof out, NULL),
             OSC_ERR_INVALID_ARGUMENT);
    CHECK_EQ(osc_coap_serialized_size_bound(NULL), 0);
}

/* ---- Truncation and mutation ------------------------------------------ */

typedef struct sample {
    osc_coap_framing framing;
    const char *hex;
} sample;

/* Hand-made valid messages that exercise every field form. */
static const sample samples[] = {
    {OSC_COAP_FRAMING_UDP, "44015d1f00003974396c6f63616c686f737483747631"},
    {OSC_COAP_FRAMING_UDP, "614512340ac0ff6869"},
    {OSC_COAP_FRAMING_UDP, "4102abcd8c3b6578616d706c652e636f6d"
                           "d417636f6170e00017ff0102"},
    {OSC_COAP_FRAMING_UDP, "40010000d11161e0fed400"},
    {OSC_COAP_FRAMING_UDP, "40000000"},
    {OSC_COAP_FRAMING_TCP, "00e1"},
    {OSC_COAP_FRAMING_TCP, "30e1220400"},
    {OSC_COAP_FRAMING_TCP, "72450102b3747631ff6869"},
    {OSC_COAP_FRAMING_TCP, "d10002aab161ff62626262626262626262"},
    {OSC_COAP_FRAMING_WEBSOCKET, "0101aab3616263"},
    {OSC_COAP_FRAMING_WEBSOCKET, "0045ff00"},
};

static void test_samples_round_trip(void)
{
    for (size_t i = 0; i < sizeof samples / sizeof samples[0]; i++)
        check_round_trip_hex(samples[i].hex, samples[i].framing);
}

static void test_truncation(void)
{
    for (size_t i = 0; i < sizeof samples / sizeof samples[0]; i++) {
        uint8_t buf[128];
        size_t len = hex_to_bytes(samples[i].hex, buf, sizeof buf);
        bool all_ok = true;
        size_t shorter_parses = 0;
        for (size_t cut = 0; cut < len; cut++) {
            osc_status status;
            if (!parse_is_canonical(buf, cut, samples[i].framing, &status)) {
                all_ok = false;
                fprintf(stderr, "  %s cut at %zu: %s\n", samples[i].hex, cut,
                        osc_status_name(status));
            }
            if (status == OSC_OK)
                shorter_parses++;
        }
        CHECK(all_ok);
        /* A TCP prefix always disagrees with its Len field. */
        if (samples[i].framing == OSC_COAP_FRAMING_TCP)
            CHECK_EQ(shorter_parses, 0);
    }

    /* The C.4 request cut after Uri-Host is itself a valid message. */
    uint8_t buf[64];
    size_t len = hex_to_bytes(samples[0].hex, buf, sizeof buf);
    CHECK(len > 18);
    CHECK_EQ(osc_coap_parse(buf, 18, OSC_COAP_FRAMING_UDP, &msg), OSC_OK);
    CHECK_EQ(msg.option_count, 1);
    CHECK_EQ(osc_coap_parse(buf, 19, OSC_COAP_FRAMING_UDP, &msg),
             OSC_ERR_COAP_TRUNCATED);
}

static void test_mutations(void)
{
    /* Every byte of every sample replaced by every value. */
    bool all_ok = true;
    size_t accepted = 0;
    size_t rejected = 0;
    for (size_t i = 0; i < sizeof samples / sizeof samples[0]; i++) {
        uint8_t buf[128];
        size_t len = hex_to_bytes(samples[i].hex, buf, sizeof buf);
        for (size_t pos = 0; pos < len; pos++) {
            uint8_t original = buf[pos];
            for (unsigned value = 0; value < 256; value++) {
                buf[pos] = (uint8_t)value;
                for (int framing = 0; framing < 3; framing++) {
                    osc_status status;
                    if (!parse_is_canonical(buf, len, (osc_coap_framing)framing,
                                            &status))
                        all_ok = false;
                    if (status == OSC_OK)
                        accepted++;
                    else
                        rejected++;
                }
            }
            buf[pos] = original;
        }
    }
    CHECK(all_ok);
    CHECK(accepted > 0);
    CHECK(rejected > 0);

    /* Random short inputs (fixed seed, reproducible). */
    uint32_t state = 0x12345678;
    all_ok = true;
    for (int round = 0; round < 30000; round++) {
        uint8_t buf[48];
        state = state * 1103515245u + 12345u;
        size_t len = (state >> 16) % sizeof buf;
        for (size_t k = 0; k < len; k++) {
            state = state * 1103515245u + 12345u;
            buf[k] = (uint8_t)(state >> 16);
        }
        /* Often make the header plausible to reach the option parser. */
        if (len > 0 && round % 2 == 0)
            buf[0] = (uint8_t)(0x40 | (buf[0] & 0x37));
        for (int framing = 0; framing < 3; framing++) {
            osc_status status;
            if (!parse_is_canonical(buf, len, (osc_coap_framing)framing,
                                    &status))
                all_ok = false;
        }
    }
    CHECK(all_ok);
}

/* ---- RFC 8323 framing ------------------------------------------------- */

typedef struct tcp_form {
    size_t body_length; /* options + marker + payload */
    const char *header_hex;
} tcp_form;

static void test_tcp_length_forms(void)
{
    /* Token "ab" (TKL 2), code 2.05, body = marker + payload. */
    static const tcp_form forms[] = {
        {0, "0245"},
        {2, "2245"},
        {12, "c245"},
        {13, "d20045"},
        {268, "d2ff45"},
        {269, "e2000045"},
        {1000, "e202db45"},
        {65804, "e2ffff45"},
        {65805, "f20000000045"},
        {70000, "f20000106345"},
    };
    static uint8_t out[70100];
    static uint8_t stream[2 * 70100];
    for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++) {
        const tcp_form *form = &forms[i];
        char what[64];
        snprintf(what, sizeof what, "TCP body %zu", form->body_length);

        memset(&msg, 0, sizeof msg);
        msg.framing = OSC_COAP_FRAMING_TCP;
        msg.code = OSC_COAP_CODE_CONTENT;
        msg.token_length = 2;
        msg.token[0] = 0xab;
        msg.token[1] = 0xcd;
        msg.payload = big_value;
        msg.payload_length = form->body_length ? form->body_length - 1 : 0;

        size_t written = 0;
        CHECK_EQ(osc_coap_serialize(&msg, out, sizeof out, &written), OSC_OK);
        uint8_t header[8];
        size_t header_len = hex_to_bytes(form->header_hex, header, 8);
        CHECK_EQ(written, header_len + 2 + form->body_length);
        CHECK_BYTES(out, header_len, header, header_len, what);
        CHECK(osc_coap_serialized_size_bound(&msg) >= written);

        size_t size = 0;
        CHECK_EQ(osc_coap_tcp_message_size(out, written, &size), OSC_OK);
        CHECK_EQ(size, written);
        /* The size is known from the header alone. */
        CHECK_EQ(osc_coap_tcp_message_size(out, header_len - 1, &size), OSC_OK);
        CHECK_EQ(size, written);
        if (header_len > 2)
            CHECK_EQ(osc_coap_tcp_message_size(out, header_len - 2, &size),
                     OSC_ERR_COAP_TRUNCATED);

        CHECK_EQ(osc_coap_parse(out, written, OSC_COAP_FRAMING_TCP, &msg2),
                 OSC_OK);
        CHECK_EQ(msg2.code, OSC_COAP_CODE_CONTENT);
        CHECK_EQ(msg2.token_length, 2);
        CHECK_EQ(msg2.token[1], 0xcd);
        CHECK_EQ(msg2.type, 0);
        CHECK_EQ(msg2.message_id, 0);
        CHECK_EQ(msg2.payload_length, msg.payload_length);
        CHECK_EQ(osc_coap_parse(out, written - 1, OSC_COAP_FRAMING_TCP, &msg2),
                 OSC_ERR_COAP_TRUNCATED);

        /* Two messages back to back split at the right place. */
        memcpy(stream, out, written);
        memcpy(stream + written, out, written);
        CHECK_EQ(osc_coap_tcp_message_size(stream, 2 * written, &size), OSC_OK);
        CHECK_EQ(size, written);
        CHECK_EQ(
            osc_coap_parse(stream, 2 * written, OSC_COAP_FRAMING_TCP, &msg2),
            OSC_ERR_COAP_LENGTH_MISMATCH);
        CHECK_EQ(
            osc_coap_parse(stream + size, written, OSC_COAP_FRAMING_TCP, &msg2),
            OSC_OK);
    }

    /* Stream splitting over hand-made messages: CSM with
     * Max-Message-Size 1024, then Ping with a token, then a GET. */
    uint8_t buf[64];
    size_t len = hex_to_bytes("30e1220400"
                              "01e27f"
                              "4101aab3747631",
                              buf, sizeof buf);
    static const size_t want_sizes[] = {5, 3, 7};
    static const uint8_t want_codes[] = {0xe1, 0xe2, 0x01};
    size_t pos = 0;
    for (size_t k = 0; k < 3; k++) {
        size_t size = 0;
        CHECK_EQ(osc_coap_tcp_message_size(buf + pos, len - pos, &size),
                 OSC_OK);
        CHECK_EQ(size, want_sizes[k]);
        CHECK_EQ(osc_coap_parse(buf + pos, size, OSC_COAP_FRAMING_TCP, &msg),
                 OSC_OK);
        CHECK_EQ(msg.code, want_codes[k]);
        pos += size;
    }
    CHECK_EQ(pos, len);
    CHECK_EQ(osc_coap_parse(buf, 5, OSC_COAP_FRAMING_TCP, &msg), OSC_OK);
    CHECK(osc_coap_code_is_signaling(msg.code));
    CHECK_EQ(msg.options[0].number, 2);
    uint32_t max_message_size = 0;
    CHECK_EQ(osc_coap_uint_value(&msg.options[0], &max_message_size), OSC_OK);
    CHECK_EQ(max_message_size, 1024);

    /* Header errors of tcp_message_size. */
    size_t size = 0;
    CHECK_EQ(osc_coap_tcp_message_size(buf, 0, &size), OSC_ERR_COAP_TRUNCATED);
    static const uint8_t ext8[] = {0xd0};
    static const uint8_t ext16[] = {0xe0, 0x01};
    static const uint8_t ext32[] = {0xf0, 0x00, 0x00, 0x00};
    static const uint8_t ext32_max[] = {0xf8, 0xff, 0xff, 0xff, 0xff};
    static const uint8_t bad_tkl[] = {0x0f, 0x01};
    CHECK_EQ(osc_coap_tcp_message_size(ext8, 1, &size), OSC_ERR_COAP_TRUNCATED);
    CHECK_EQ(osc_coap_tcp_message_size(ext16, 2, &size),
             OSC_ERR_COAP_TRUNCATED);
    CHECK_EQ(osc_coap_tcp_message_size(ext32, 4, &size),
             OSC_ERR_COAP_TRUNCATED);
    CHECK_EQ(osc_coap_tcp_message_size(ext32_max, 5, &size), OSC_OK);
    CHECK_EQ(size, 5 + 1 + 8 + 0xffffffffull + 65805);
    CHECK_EQ(osc_coap_tcp_message_size(bad_tkl, 2, &size),
             OSC_ERR_COAP_BAD_TOKEN_LENGTH);
    CHECK_EQ(osc_coap_tcp_message_size(ext8, 1, NULL),
             OSC_ERR_INVALID_ARGUMENT);
}

/* Token bytes and a message buffer for the longest RFC 8974 token. */
static uint8_t long_token_bytes[OSC_COAP_MAX_TOKEN_LENGTH];
static uint8_t long_message[OSC_COAP_MAX_TOKEN_LENGTH + 16];

/* A GET with an n-byte token (bytes i * 3 + 1) and Uri-Path "x": inline up
 * to OSC_COAP_MAX_TOKEN bytes, else through long_token (coap.h). */
static void make_token_message(osc_coap_framing framing, size_t n,
                               osc_coap_message *msg)
{
    memset(msg, 0, sizeof *msg);
    msg->framing = framing;
    msg->code = OSC_COAP_CODE_GET;
    msg->message_id = 0x1234;
    msg->token_length = n;
    for (size_t i = 0; i < n; i++)
        long_token_bytes[i] = (uint8_t)(i * 3 + 1);
    if (n > OSC_COAP_MAX_TOKEN)
        msg->long_token = long_token_bytes;
    else
        memcpy(msg->token, long_token_bytes, n);
    static const uint8_t path[] = {'x'};
    CHECK_EQ(osc_coap_add_option(msg, 11, path, sizeof path), OSC_OK);
}

/* RFC 8974 2.1: a token of n bytes in each framing, written and read
 * back. TKL is n itself below 13; 13 with one extended length byte
 * (n - 13) from 13 to 268 bytes; 14 with two (n - 269, network byte
 * order) from 269 to 65804. A parsed token longer than OSC_COAP_MAX_TOKEN
 * points into the parsed buffer. */
static void check_extended_token(osc_coap_framing framing, size_t n)
{
    osc_coap_message msg;
    make_token_message(framing, n, &msg);
    uint8_t *out = long_message;
    size_t written = 0;
    CHECK_EQ(osc_coap_serialize(&msg, out, sizeof long_message, &written),
             OSC_OK);
    size_t header = framing == OSC_COAP_FRAMING_UDP ? 4 : 2;
    unsigned tkl = out[0] & 0x0f;
    size_t ext = n < 13 ? 0 : n < 269 ? 1 : 2;
    CHECK_EQ(tkl, n < 13 ? n : n < 269 ? 13u : 14u);
    if (ext == 1)
        CHECK_EQ(out[header], n - 13);
    if (ext == 2)
        CHECK_EQ((size_t)out[header] << 8 | out[header + 1], n - 269);
    CHECK_EQ(written, header + ext + n + 2);
    CHECK_EQ(osc_coap_serialized_size_bound(&msg) >= written, true);
    osc_coap_message back;
    CHECK_EQ(osc_coap_parse(out, written, framing, &back), OSC_OK);
    CHECK_EQ(back.token_length, n);
    CHECK_BYTES(osc_coap_token(&back), back.token_length, long_token_bytes, n,
                "token");
    CHECK(back.long_token ==
          (n > OSC_COAP_MAX_TOKEN ? out + header + ext : NULL));
    CHECK_EQ(back.option_count, 1);
    CHECK_EQ(back.options[0].number, 11);
    if (framing == OSC_COAP_FRAMING_TCP) {
        size_t size = 0;
        CHECK_EQ(osc_coap_tcp_message_size(out, written, &size), OSC_OK);
        CHECK_EQ(size, written);
    }
    /* One byte short: the option after the token is cut. */
    CHECK_EQ(osc_coap_parse(out, written - 1, framing, &back),
             OSC_ERR_COAP_TRUNCATED);
}

/* TKL 14 whose token runs past the buffer, in each framing, and tokens
 * the serializer refuses. */
static void test_tkl14_errors(void)
{
    static const osc_coap_framing framings[] = {
        OSC_COAP_FRAMING_UDP, OSC_COAP_FRAMING_TCP, OSC_COAP_FRAMING_WEBSOCKET};
    for (size_t f = 0; f < sizeof framings / sizeof framings[0]; f++) {
        /* A GET announcing a 1000-byte token (ext 1000 - 269) that has
         * only 999 bytes left. */
        uint8_t *buf = long_message;
        size_t header = framings[f] == OSC_COAP_FRAMING_UDP ? 4 : 2;
        memset(buf, 0, 1100);
        buf[0] = framings[f] == OSC_COAP_FRAMING_UDP ? 0x4e : 0x0e;
        buf[1] = OSC_COAP_CODE_GET;
        buf[header] = (uint8_t)((1000 - 269) >> 8);
        buf[header + 1] = (uint8_t)(1000 - 269);
        osc_coap_message msg;
        CHECK_EQ(osc_coap_parse(buf, header + 2 + 999, framings[f], &msg),
                 OSC_ERR_COAP_TRUNCATED);
        CHECK_EQ(osc_coap_parse(buf, header + 2 + 1000, framings[f], &msg),
                 OSC_OK);
        CHECK_EQ(msg.token_length, 1000);
    }
    osc_coap_message msg;
    make_token_message(OSC_COAP_FRAMING_UDP, 300, &msg);
    size_t written = 0;
    msg.long_token = NULL;
    CHECK_EQ(
        osc_coap_serialize(&msg, long_message, sizeof long_message, &written),
        OSC_ERR_INVALID_ARGUMENT);
    msg.long_token = long_token_bytes;
    msg.token_length = OSC_COAP_MAX_TOKEN_LENGTH + 1;
    CHECK_EQ(
        osc_coap_serialize(&msg, long_message, sizeof long_message, &written),
        OSC_ERR_COAP_TOKEN_TOO_LONG);
}

static void test_extended_tokens(void)
{
    static const size_t lengths[] = {0,
                                     9,
                                     12,
                                     13,
                                     14,
                                     200,
                                     255,
                                     256,
                                     268,
                                     269,
                                     270,
                                     1000,
                                     OSC_COAP_MAX_TOKEN_LENGTH};
    static const osc_coap_framing framings[] = {
        OSC_COAP_FRAMING_UDP, OSC_COAP_FRAMING_TCP, OSC_COAP_FRAMING_WEBSOCKET};
    for (size_t f = 0; f < sizeof framings / sizeof framings[0]; f++)
        for (size_t i = 0; i < sizeof lengths / sizeof lengths[0]; i++)
            check_extended_token(framings[f], lengths[i]);
    /* The 13-byte token of RFC 8974's smallest extended form, byte by
     * byte: TKL 13, extended length 0, then the token. */
    uint8_t udp[4 + 1 + 13];
    static const uint8_t head[] = {0x4d, 0x01, 0x12, 0x34, 0x00};
    memcpy(udp, head, sizeof head);
    for (size_t i = 0; i < 13; i++)
        udp[5 + i] = (uint8_t)(0xa0 + i);
    osc_coap_message msg;
    CHECK_EQ(osc_coap_parse(udp, sizeof udp, OSC_COAP_FRAMING_UDP, &msg),
             OSC_OK);
    CHECK_EQ(msg.token_length, 13);
    CHECK_EQ(msg.token[12], 0xac);
    CHECK_EQ(msg.message_id, 0x1234);
}

static void test_websocket(void)
{
    /* GET with token aa and Uri-Path "abc". */
    uint8_t buf[32];
    size_t len = hex_to_bytes("0101aab3616263", buf, sizeof buf);
    CHECK_EQ(osc_coap_parse(buf, len, OSC_COAP_FRAMING_WEBSOCKET, &msg),
             OSC_OK);
    CHECK_EQ(msg.framing, OSC_COAP_FRAMING_WEBSOCKET);
    CHECK_EQ(msg.code, OSC_COAP_CODE_GET);
    CHECK_EQ(msg.token_length, 1);
    CHECK_EQ(msg.token[0], 0xaa);
    CHECK_EQ(msg.option_count, 1);
    CHECK_EQ(msg.options[0].number, OPT_URI_PATH);
    CHECK(msg.options[0].value == buf + 4);

    /* The same message framed three ways differs only in the header. */
    uint8_t out[32];
    size_t written = 0;
    CHECK_EQ(osc_coap_serialize(&msg, out, sizeof out, &written), OSC_OK);
    CHECK_BYTES(out, written, buf, len, "WebSocket round trip");
    msg.framing = OSC_COAP_FRAMING_TCP;
    CHECK_EQ(osc_coap_serialize(&msg, out, sizeof out, &written), OSC_OK);
    static const uint8_t tcp[] = {0x41, 0x01, 0xaa, 0xb3, 'a', 'b', 'c'};
    CHECK_BYTES(out, written, tcp, sizeof tcp, "as TCP");
    msg.framing = OSC_COAP_FRAMING_UDP;
    msg.type = OSC_COAP_TYPE_NON;
    msg.message_id = 0x0102;
    CHECK_EQ(osc_coap_serialize(&msg, out, sizeof out, &written), OSC_OK);
    static const uint8_t udp[] = {0x51, 0x01, 0x01, 0x02, 0xaa,
                                  0xb3, 'a',  'b',  'c'};
    CHECK_BYTES(out, written, udp, sizeof udp, "as UDP");

    /* A large WebSocket message needs no length field. */
    memset(&msg, 0, sizeof msg);
    msg.framing = OSC_COAP_FRAMING_WEBSOCKET;
    msg.code = OSC_COAP_CODE_CONTENT;
    msg.payload = big_value;
    msg.payload_length = 5000;
    static uint8_t large[6000];
    CHECK_EQ(osc_coap_serialize(&msg, large, sizeof large, &written), OSC_OK);
    CHECK_EQ(written, 2 + 1 + 5000);
    CHECK_EQ(large[0], 0x00);
    CHECK_EQ(large[2], 0xff);
    CHECK_EQ(osc_coap_parse(large, written, OSC_COAP_FRAMING_WEBSOCKET, &msg2),
             OSC_OK);
    CHECK_EQ(msg2.payload_length, 5000);

    /* An Empty message over WebSocket. */
    check_round_trip_hex("0000", OSC_COAP_FRAMING_WEBSOCKET);
}

/* ---- Option helpers --------------------------------------------------- */

static void test_option_helpers(void)
{
    memset(&msg, 0, sizeof msg);
    static const uint8_t a[] = {'a'};
    static const uint8_t b[] = {'b'};
    static const uint8_t c[] = {'c'};
    static const uint8_t host[] = {'h'};
    CHECK_EQ(osc_coap_add_option(&msg, OPT_URI_PATH, a, 1), OSC_OK);
    CHECK_EQ(osc_coap_add_option(&msg, OPT_URI_QUERY, c, 1), OSC_OK);
    CHECK_EQ(osc_coap_add_option(&msg, OPT_URI_PATH, b, 1), OSC_OK);
    CHECK_EQ(osc_coap_add_option(&msg, OPT_URI_HOST, host, 1), OSC_OK);
    CHECK_EQ(osc_coap_add_option(&msg, OPT_IF_MATCH, NULL, 0), OSC_OK);
    CHECK_EQ(osc_coap_add_option(&msg, OPT_URI_PATH, c, 1), OSC_OK);

    static const uint16_t want_numbers[] = {OPT_IF_MATCH, OPT_URI_HOST,
                                            OPT_URI_PATH, OPT_URI_PATH,
                                            OPT_URI_PATH, OPT_URI_QUERY};
    static const uint8_t *const want_values[] = {NULL, host, a, b, c, c};
    CHECK_EQ(msg.option_count, 6);
    for (size_t i = 0; i < 6; i++) {
        CHECK_EQ(msg.options[i].number, want_numbers[i]);
        CHECK(msg.options[i].value == want_values[i]);
    }

    const osc_coap_option *found = osc_coap_find_option(&msg, OPT_URI_PATH);
    CHECK(found == &msg.options[2]);
    CHECK(osc_coap_find_option(&msg, OPT_OBSERVE) == NULL);
    CHECK(osc_coap_find_option(NULL, OPT_URI_PATH) == NULL);
    CHECK_EQ(osc_coap_count_option(&msg, OPT_URI_PATH), 3);
    CHECK_EQ(osc_coap_count_option(&msg, OPT_URI_HOST), 1);
    CHECK_EQ(osc_coap_count_option(&msg, OPT_OBSERVE), 0);
    CHECK_EQ(osc_coap_count_option(NULL, OPT_URI_PATH), 0);

    CHECK_EQ(osc_coap_remove_option(&msg, OPT_OBSERVE), 0);
    CHECK_EQ(msg.option_count, 6);
    CHECK_EQ(osc_coap_remove_option(&msg, OPT_URI_PATH), 3);
    CHECK_EQ(msg.option_count, 3);
    CHECK_EQ(msg.options[0].number, OPT_IF_MATCH);
    CHECK_EQ(msg.options[1].number, OPT_URI_HOST);
    CHECK_EQ(msg.options[2].number, OPT_URI_QUERY);
    CHECK(msg.options[2].value == c);
    CHECK_EQ(osc_coap_remove_option(&msg, OPT_IF_MATCH), 1);
    CHECK_EQ(msg.options[0].number, OPT_URI_HOST);
    CHECK_EQ(osc_coap_remove_option(NULL, OPT_IF_MATCH), 0);

    CHECK_EQ(osc_coap_add_option(&msg, 1, NULL, 3), OSC_ERR_INVALID_ARGUMENT);
    CHECK_EQ(osc_coap_add_option(NULL, 1, NULL, 0), OSC_ERR_INVALID_ARGUMENT);
    CHECK_EQ(
        osc_coap_add_option(&msg, 1, big_value, OSC_COAP_MAX_OPTION_LENGTH + 1),
        OSC_ERR_COAP_VALUE_TOO_LONG);
    CHECK_EQ(msg.option_count, 2);

    /* Options added to a parsed message serialize in order. */
    uint8_t buf[64];
    size_t len = hex_to_bytes("44015d1f00003974396c6f63616c686f737483747631",
                              buf, sizeof buf);
    CHECK_EQ(osc_coap_parse(buf, len, OSC_COAP_FRAMING_UDP, &msg), OSC_OK);
    static const uint8_t observe_value[] = {0x05};
    CHECK_EQ(osc_coap_add_option(&msg, OPT_OBSERVE, observe_value, 1), OSC_OK);
    CHECK_EQ(msg.options[1].number, OPT_OBSERVE);
    uint8_t out[64];
    size_t written = 0;
    CHECK_EQ(osc_coap_serialize(&msg, out, sizeof out, &written), OSC_OK);
    uint8_t want[64];
    size_t want_len = hex_to_bytes("44015d1f00003974396c6f63616c686f7374"
                                   "3105"
                                   "53747631",
                                   want, sizeof want);
    CHECK_BYTES(out, written, want, want_len, "Observe inserted");
    CHECK_EQ(osc_coap_remove_option(&msg, OPT_OBSERVE), 1);
    CHECK_EQ(osc_coap_serialize(&msg, out, sizeof out, &written), OSC_OK);
    CHECK_BYTES(out, written, buf, len, "Observe removed again");
}

static void test_parse_options_tail(void)
{
    /* An OSCORE plaintext after its code byte: Uri-Path "tv1", deltas
     * restarting from 0 although an option is already present. */
    memset(&msg, 0, sizeof msg);
    CHECK_EQ(osc_coap_add_option(&msg, OPT_URI_HOST, (const uint8_t *)"h", 1),
             OSC_OK);
    static const uint8_t tail[] = {0xb3, 't', 'v', '1', 0xff, 0x2a};
    CHECK_EQ(osc_coap_parse_options(tail, sizeof tail, &msg), OSC_OK);
    CHECK_EQ(msg.option_count, 2);
    CHECK_EQ(msg.options[1].number, OPT_URI_PATH);
    CHECK(msg.options[1].value == tail + 1);
    CHECK(msg.payload == tail + 5);
    CHECK_EQ(msg.payload_length, 1);

    /* Nothing after the code byte. */
    memset(&msg, 0, sizeof msg);
    msg.payload = tail;
    msg.payload_length = 9;
    CHECK_EQ(osc_coap_parse_options(NULL, 0, &msg), OSC_OK);
    CHECK_EQ(msg.option_count, 0);
    CHECK(msg.payload == NULL);
    CHECK_EQ(msg.payload_length, 0);
    CHECK_EQ(osc_coap_parse_options(NULL, 1, &msg), OSC_ERR_INVALID_ARGUMENT);
    CHECK_EQ(osc_coap_parse_options(tail, 1, NULL), OSC_ERR_INVALID_ARGUMENT);

    /* Only a payload. */
    static const uint8_t payload_only[] = {0xff, 0x00, 0x01};
    CHECK_EQ(osc_coap_parse_options(payload_only, 3, &msg), OSC_OK);
    CHECK_EQ(msg.option_count, 0);
    CHECK(msg.payload == payload_only + 1);
    CHECK_EQ(msg.payload_length, 2);
}

static void test_uint_values(void)
{
    static const struct {
        uint32_t value;
        uint32_t length;
    } cases[] = {
        {0, 0},          {1, 1},          {255, 1},      {256, 2},
        {0xffff, 2},     {0x10000, 3},    {0xffffff, 3}, {0x1000000, 4},
        {0x12345678, 4}, {0xffffffff, 4},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        uint8_t bytes[4] = {0xee, 0xee, 0xee, 0xee};
        uint32_t length = osc_coap_encode_uint(cases[i].value, bytes);
        CHECK_EQ(length, cases[i].length);
        if (length > 0)
            CHECK(bytes[0] != 0);
        osc_coap_option option = {OPT_OBSERVE, length, bytes};
        uint32_t decoded = 0xdeadbeef;
        CHECK_EQ(osc_coap_uint_value(&option, &decoded), OSC_OK);
        CHECK_EQ(decoded, cases[i].value);
    }
    uint8_t bytes[4];
    CHECK_EQ(osc_coap_encode_uint(0x12345678, bytes), 4);
    static const uint8_t big_endian[] = {0x12, 0x34, 0x56, 0x78};
    CHECK_BYTES(bytes, 4, big_endian, 4, "uint big endian");

    /* Leading zero bytes are tolerated when decoding. */
    static const uint8_t padded[] = {0x00, 0x00, 0x01};
    osc_coap_option option = {OPT_CONTENT_FORMAT, 3, padded};
    uint32_t decoded = 0;
    CHECK_EQ(osc_coap_uint_value(&option, &decoded), OSC_OK);
    CHECK_EQ(decoded, 1);

    static const uint8_t five[] = {0, 0, 0, 0, 1};
    option.length = 5;
    option.value = five;
    CHECK_EQ(osc_coap_uint_value(&option, &decoded), OSC_ERR_INVALID_ARGUMENT);
    osc_coap_option empty = {OPT_OBSERVE, 0, NULL};
    CHECK_EQ(osc_coap_uint_value(&empty, &decoded), OSC_OK);
    CHECK_EQ(decoded, 0);
    CHECK_EQ(osc_coap_uint_value(NULL, &decoded), OSC_ERR_INVALID_ARGUMENT);
    CHECK_EQ(osc_coap_uint_value(&empty, NULL), OSC_ERR_INVALID_ARGUMENT);
}

/* osc_coap_request_uri: path, query, cut text, no options. */
static void test_request_uri(void)
{
    osc_coap_message msg;
    memset(&msg, 0, sizeof msg);
    char text[32];
    CHECK_EQ(osc_coap_request_uri(&msg, true, text, sizeof text), 0);
    CHECK(strcmp(text, "") == 0);
    osc_coap_add_option(&msg, OPT_URI_HOST, (const uint8_t *)"h", 1);
    osc_coap_add_option(&msg, OPT_URI_QUERY, (const uint8_t *)"x=1", 3);
    CHECK_EQ(osc_coap_request_uri(&msg, false, text, sizeof text), 0);
    CHECK_EQ(osc_coap_request_uri(&msg, true, text, sizeof text), 4);
    CHECK(strcmp(text, "?x=1") == 0);
    osc_coap_add_option(&msg, OPT_URI_PATH, (const uint8_t *)"a", 1);
    osc_coap_add_option(&msg, OPT_URI_PATH, (const uint8_t *)"bc", 2);
    osc_coap_add_option(&msg, OPT_URI_QUERY, (const uint8_t *)"", 0);
    CHECK_EQ(osc_coap_request_uri(&msg, true, text, sizeof text), 10);
    CHECK(strcmp(text, "/a/bc?x=1&") == 0);
    CHECK_EQ(osc_coap_request_uri(&msg, false, text, sizeof text), 5);
    CHECK(strcmp(text, "/a/bc") == 0);
    /* Cut like snprintf: the full length, a NUL-terminated prefix. */
    CHECK_EQ(osc_coap_request_uri(&msg, true, text, 4), 10);
    CHECK(strcmp(text, "/a/") == 0);
    CHECK_EQ(osc_coap_request_uri(&msg, true, NULL, 0), 10);
    /* A lone empty Uri-Path is the root. */
    memset(&msg, 0, sizeof msg);
    osc_coap_add_option(&msg, OPT_URI_PATH, NULL, 0);
    CHECK_EQ(osc_coap_request_uri(&msg, true, text, sizeof text), 1);
    CHECK(strcmp(text, "/") == 0);
}

int main(int argc, char **argv)
{
    tests_init(argc, argv);
    for (size_t i = 0; i < sizeof big_value; i++)
        big_value[i] = (uint8_t)(i * 7 + 1);

    test_status_strings();
    test_codes();
    test_udp_request();
    test_udp_response_and_types();
    test_udp_built_message();
    test_option_forms();
    test_malformed_inputs();
    test_too_many_options();
    test_serializer_errors();
    test_samples_round_trip();
    test_truncation();
    test_mutations();
    test_tcp_length_forms();
    test_extended_tokens();
    test_tkl14_errors();
    test_websocket();
    test_option_helpers();
    test_parse_options_tail();
    test_uint_values();
    test_request_uri();
    return tests_finish();
}
