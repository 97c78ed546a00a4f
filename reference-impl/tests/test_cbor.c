/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The CBOR subset: head encodings at every argument-size boundary (RFC
 * 8949 section 3), the few simple values, the sticky overflow status and
 * size counting of the writer, and the bstr reader's error cases.
 *
 * Expected encodings are written out by hand from the rules of RFC 8949
 * (initial byte = major type << 5 | additional information; arguments
 * 24..27 announce 1, 2, 4, 8 following bytes in network order).
 */
#include <string.h>

#include "oscore/cbor.h"
#include "test_support.h"

/* Compares the writer's output with a hex string and checks that it
 * succeeded. */
static void expect(const osc_cbor_writer *w, const char *hex, const char *what)
{
    uint8_t want[64];
    size_t want_len = hex_to_bytes(hex, want, sizeof want);
    CHECK_EQ(w->status, OSC_OK);
    CHECK_BYTES(w->buf, w->length, want, want_len, what);
}

static void check_one_uint(uint64_t value, const char *hex)
{
    uint8_t buf[16];
    osc_cbor_writer w;
    osc_cbor_writer_init(&w, buf, sizeof buf);
    osc_cbor_put_uint(&w, value);
    expect(&w, hex, hex);
}

static void check_one_int(int64_t value, const char *hex)
{
    uint8_t buf[16];
    osc_cbor_writer w;
    osc_cbor_writer_init(&w, buf, sizeof buf);
    osc_cbor_put_int(&w, value);
    expect(&w, hex, hex);
}

static void test_uint_boundaries(void)
{
    check_one_uint(0, "00");
    check_one_uint(1, "01");
    check_one_uint(10, "0a");
    check_one_uint(23, "17");
    check_one_uint(24, "1818");
    check_one_uint(255, "18ff");
    check_one_uint(256, "190100");
    check_one_uint(65535, "19ffff");
    check_one_uint(65536, "1a00010000");
    check_one_uint(UINT32_MAX, "1affffffff");
    check_one_uint((uint64_t)1 << 32, "1b0000000100000000");
    check_one_uint(UINT64_MAX, "1bffffffffffffffff");
}

static void test_int(void)
{
    /* Non-negative values are major type 0 like put_uint. */
    check_one_int(0, "00");
    check_one_int(24, "1818");
    check_one_int(65536, "1a00010000");
    /* Major type 1 encodes -1 - n. */
    check_one_int(-1, "20");
    check_one_int(-10, "29"); /* COSE direct+HKDF-SHA-256 */
    check_one_int(-24, "37");
    check_one_int(-25, "3818");
    check_one_int(-256, "38ff");
    check_one_int(-257, "390100");
    check_one_int(-65536, "39ffff");
    check_one_int(-65537, "3a00010000");
    check_one_int(-65534, "39fffd"); /* A128CTR */
    check_one_int(-4294967296LL, "3affffffff");
    check_one_int(-4294967297LL, "3b0000000100000000");
    check_one_int(INT64_MAX, "1b7fffffffffffffff");
    check_one_int(INT64_MIN, "3b7fffffffffffffff");
}

static void test_strings_and_arrays(void)
{
    uint8_t buf[400];
    uint8_t content[300];
    osc_cbor_writer w;

    memset(content, 0xab, sizeof content);

    osc_cbor_writer_init(&w, buf, sizeof buf);
    osc_cbor_put_bstr(&w, NULL, 0);
    osc_cbor_put_tstr(&w, "", 0);
    expect(&w, "4060", "empty bstr and tstr");

    osc_cbor_writer_init(&w, buf, sizeof buf);
    osc_cbor_put_bstr(&w, (const uint8_t *)"\x01\x02", 2);
    osc_cbor_put_tstr(&w, "Key", 3);
    osc_cbor_put_tstr(&w, "IV", 2);
    expect(&w, "420102634b6579624956", "short bstr and tstrs");

    /* Head sizes of strings follow the same boundaries as integers. */
    osc_cbor_writer_init(&w, buf, sizeof buf);
    osc_cbor_put_bstr(&w, content, 23);
    CHECK_EQ(w.length, 24);
    CHECK_EQ(buf[0], 0x57);
    osc_cbor_writer_init(&w, buf, sizeof buf);
    osc_cbor_put_bstr(&w, content, 24);
    CHECK_EQ(w.length, 26);
    CHECK_EQ(buf[0], 0x58);
    CHECK_EQ(buf[1], 24);
    CHECK_BYTES(buf + 2, 24, content, 24, "bstr content");
    osc_cbor_writer_init(&w, buf, sizeof buf);
    osc_cbor_put_tstr(&w, (const char *)content, 256);
    CHECK_EQ(w.length, 259);
    CHECK_EQ(buf[0], 0x79);
    CHECK_EQ(buf[1], 0x01);
    CHECK_EQ(buf[2], 0x00);

    /* A bstr head alone (for "bstr .cbor") then raw content. */
    osc_cbor_writer_init(&w, buf, sizeof buf);
    osc_cbor_put_bstr_head(&w, 3);
    osc_cbor_put_raw(&w, (const uint8_t *)"\x83\x01\x02", 3);
    expect(&w, "43830102", "bstr head + raw");
    osc_cbor_writer_init(&w, buf, sizeof buf);
    osc_cbor_put_bstr_head(&w, 300);
    expect(&w, "59012c", "bstr head 300");

    osc_cbor_writer_init(&w, buf, sizeof buf);
    osc_cbor_put_array(&w, 0);
    osc_cbor_put_array(&w, 5);
    osc_cbor_put_array(&w, 23);
    osc_cbor_put_array(&w, 24);
    osc_cbor_put_array(&w, 1000);
    expect(&w, "80859798189903e8", "array heads");
}

static void test_simple_values(void)
{
    uint8_t buf[8];
    osc_cbor_writer w;
    osc_cbor_writer_init(&w, buf, sizeof buf);
    osc_cbor_put_null(&w);
    osc_cbor_put_bool(&w, false);
    osc_cbor_put_bool(&w, true);
    expect(&w, "f6f4f5", "null false true");
}

/* The RFC 8613 C.1.1 "info (for Sender Key)" structure, as a sanity check
 * that the pieces compose. */
static void test_composite(void)
{
    uint8_t buf[32];
    osc_cbor_writer w;
    osc_cbor_writer_init(&w, buf, sizeof buf);
    osc_cbor_put_array(&w, 5);
    osc_cbor_put_bstr(&w, NULL, 0);
    osc_cbor_put_null(&w);
    osc_cbor_put_int(&w, 10);
    osc_cbor_put_tstr(&w, "Key", 3);
    osc_cbor_put_uint(&w, 16);
    expect(&w, "8540f60a634b657910", "info array");
}

static void test_sticky_overflow(void)
{
    uint8_t buf[8];
    osc_cbor_writer w;

    /* Size counting with no buffer at all. */
    osc_cbor_writer_init(&w, NULL, 0);
    osc_cbor_put_array(&w, 2);
    osc_cbor_put_uint(&w, 65536);
    osc_cbor_put_tstr(&w, "Encrypt0", 8);
    CHECK_EQ(w.status, OSC_ERR_BUFFER_TOO_SMALL);
    CHECK_EQ(w.length, 1 + 5 + 9);

    /* A NULL buffer with a non-zero capacity is still a counting-only
     * writer, never a write through NULL. */
    osc_cbor_writer_init(&w, NULL, 100);
    osc_cbor_put_uint(&w, 1);
    CHECK_EQ(w.status, OSC_ERR_BUFFER_TOO_SMALL);
    CHECK_EQ(w.length, 1);

    /* An item that does not fit is not written at all, and later items
     * that would fit are not written either: the status is sticky. */
    memset(buf, 0xee, sizeof buf);
    osc_cbor_writer_init(&w, buf, 4);
    osc_cbor_put_uint(&w, 1);                         /* 1 byte, fits */
    osc_cbor_put_bstr(&w, (const uint8_t *)"abc", 3); /* 4 bytes, doesn't */
    CHECK_EQ(w.status, OSC_ERR_BUFFER_TOO_SMALL);
    CHECK_EQ(w.length, 5);
    CHECK_EQ(buf[0], 0x01);
    CHECK_EQ(buf[1], 0xee); /* no partial head */
    osc_cbor_put_null(&w);  /* would fit in the remaining 3 bytes */
    CHECK_EQ(w.status, OSC_ERR_BUFFER_TOO_SMALL);
    CHECK_EQ(w.length, 6);
    CHECK_EQ(buf[1], 0xee);
    osc_cbor_put_raw(&w, (const uint8_t *)"xy", 2);
    CHECK_EQ(w.length, 8);
    CHECK_EQ(buf[1], 0xee);
    CHECK_EQ(buf[4], 0xee); /* nothing past the capacity either */

    /* Exactly filling the buffer is fine. */
    osc_cbor_writer_init(&w, buf, 4);
    osc_cbor_put_uint(&w, 65535);
    osc_cbor_put_null(&w);
    expect(&w, "19fffff6", "exact fit");
    osc_cbor_put_raw(&w, NULL, 0); /* empty raw: no-op */
    CHECK_EQ(w.status, OSC_OK);
    osc_cbor_put_bool(&w, true); /* one byte too many */
    CHECK_EQ(w.status, OSC_ERR_BUFFER_TOO_SMALL);
    CHECK_EQ(w.length, 5);

    /* A NULL content pointer with a length is a caller error; it is
     * sticky too and still counted. */
    osc_cbor_writer_init(&w, buf, sizeof buf);
    osc_cbor_put_bstr(&w, NULL, 2);
    CHECK_EQ(w.status, OSC_ERR_INVALID_ARGUMENT);
    osc_cbor_put_uint(&w, 0);
    CHECK_EQ(w.status, OSC_ERR_INVALID_ARGUMENT);
    CHECK_EQ(w.length, 4);
}

static void test_read_bstr(void)
{
    uint8_t in[300];
    const uint8_t *content = NULL;
    size_t content_len = 0, item_len = 0;

    /* Short head, with trailing data that is not part of the item. */
    hex_to_bytes("43010203ff", in, sizeof in);
    CHECK_EQ(osc_cbor_read_bstr(in, 5, &content, &content_len, &item_len),
             OSC_OK);
    CHECK(content == in + 1);
    CHECK_EQ(content_len, 3);
    CHECK_EQ(item_len, 4);

    /* Empty bstr. */
    hex_to_bytes("40", in, sizeof in);
    CHECK_EQ(osc_cbor_read_bstr(in, 1, &content, &content_len, &item_len),
             OSC_OK);
    CHECK_EQ(content_len, 0);
    CHECK_EQ(item_len, 1);

    /* 1-, 2-, 4- and 8-byte length arguments. */
    memset(in, 0x55, sizeof in);
    hex_to_bytes("5818", in, sizeof in);
    CHECK_EQ(osc_cbor_read_bstr(in, 26, &content, &content_len, &item_len),
             OSC_OK);
    CHECK_EQ(content_len, 24);
    CHECK_EQ(item_len, 26);
    hex_to_bytes("590100", in, sizeof in);
    CHECK_EQ(osc_cbor_read_bstr(in, 259, &content, &content_len, &item_len),
             OSC_OK);
    CHECK(content == in + 3);
    CHECK_EQ(content_len, 256);
    hex_to_bytes("5a00000002", in, sizeof in);
    CHECK_EQ(osc_cbor_read_bstr(in, 7, &content, &content_len, &item_len),
             OSC_OK);
    CHECK_EQ(content_len, 2);
    CHECK_EQ(item_len, 7);
    hex_to_bytes("5b0000000000000001", in, sizeof in);
    CHECK_EQ(osc_cbor_read_bstr(in, 10, &content, &content_len, &item_len),
             OSC_OK);
    CHECK_EQ(content_len, 1);
    CHECK_EQ(item_len, 10);

    /* Truncation: empty input, content past the end, argument past the
     * end, and a 64-bit length no buffer can hold. */
    CHECK_EQ(osc_cbor_read_bstr(in, 0, &content, &content_len, &item_len),
             OSC_ERR_CBOR_TRUNCATED);
    CHECK_EQ(osc_cbor_read_bstr(NULL, 0, &content, &content_len, &item_len),
             OSC_ERR_CBOR_TRUNCATED);
    hex_to_bytes("430102", in, sizeof in);
    CHECK_EQ(osc_cbor_read_bstr(in, 3, &content, &content_len, &item_len),
             OSC_ERR_CBOR_TRUNCATED);
    hex_to_bytes("59010000", in, sizeof in);
    CHECK_EQ(osc_cbor_read_bstr(in, 2, &content, &content_len, &item_len),
             OSC_ERR_CBOR_TRUNCATED);
    CHECK_EQ(osc_cbor_read_bstr(in, 4, &content, &content_len, &item_len),
             OSC_ERR_CBOR_TRUNCATED);
    hex_to_bytes("58", in, sizeof in);
    CHECK_EQ(osc_cbor_read_bstr(in, 1, &content, &content_len, &item_len),
             OSC_ERR_CBOR_TRUNCATED);
    hex_to_bytes("5bffffffffffffffff00", in, sizeof in);
    CHECK_EQ(osc_cbor_read_bstr(in, 10, &content, &content_len, &item_len),
             OSC_ERR_CBOR_TRUNCATED);

    /* Not a bstr, indefinite length, reserved additional information. */
    hex_to_bytes("6161", in, sizeof in); /* tstr "a" */
    CHECK_EQ(osc_cbor_read_bstr(in, 2, &content, &content_len, &item_len),
             OSC_ERR_CBOR_UNSUPPORTED);
    hex_to_bytes("8140", in, sizeof in); /* [h''] */
    CHECK_EQ(osc_cbor_read_bstr(in, 2, &content, &content_len, &item_len),
             OSC_ERR_CBOR_UNSUPPORTED);
    hex_to_bytes("5f4101ff", in, sizeof in); /* (_ h'01') */
    CHECK_EQ(osc_cbor_read_bstr(in, 4, &content, &content_len, &item_len),
             OSC_ERR_CBOR_UNSUPPORTED);
    for (uint8_t ai = 28; ai <= 30; ai++) {
        in[0] = (uint8_t)(0x40 | ai);
        CHECK_EQ(osc_cbor_read_bstr(in, 4, &content, &content_len, &item_len),
                 OSC_ERR_CBOR_UNSUPPORTED);
    }

    CHECK_EQ(osc_cbor_read_bstr(in, 4, NULL, &content_len, &item_len),
             OSC_ERR_INVALID_ARGUMENT);
}

/* Round trip: whatever the writer makes as a bstr, the reader accepts. */
static void test_round_trip(void)
{
    static const size_t lengths[] = {0, 1, 23, 24, 255, 256, 1000};
    uint8_t content[1000];
    uint8_t buf[1010];
    for (size_t i = 0; i < sizeof content; i++) {
        content[i] = (uint8_t)i;
    }
    for (size_t i = 0; i < sizeof lengths / sizeof lengths[0]; i++) {
        osc_cbor_writer w;
        const uint8_t *got;
        size_t got_len, item_len;
        osc_cbor_writer_init(&w, buf, sizeof buf);
        osc_cbor_put_bstr(&w, content, lengths[i]);
        CHECK_EQ(w.status, OSC_OK);
        CHECK_EQ(osc_cbor_read_bstr(buf, w.length, &got, &got_len, &item_len),
                 OSC_OK);
        CHECK_EQ(item_len, w.length);
        CHECK_BYTES(got, got_len, content, lengths[i], "round trip");
    }
}

int main(int argc, char **argv)
{
    tests_init(argc, argv);
    test_uint_boundaries();
    test_int();
    test_strings_and_arrays();
    test_simple_values();
    test_composite();
    test_sticky_overflow();
    test_read_bstr();
    test_round_trip();
    return tests_finish();
}
