/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * block.h: Block option values (RFC 7959 2.2) and the message an outer
 * Block-wise transfer carried (RFC 8613 4.1.3.4.2).
 *
 * Covers: the RFC's own value examples (2.2: NUM 0..15 in one byte, SZX
 * meaning 16..1024 bytes), round trips over every SZX and NUM lengths of 0
 * to 3 bytes, the empty value, SZX 7 and 4-byte values refused; slicing a
 * payload into blocks against a direct model for every size; the
 * reassembled message: the transfer's options gone, every other option and
 * the header kept, the new payload in place, and serialized with the rest.
 */
#include <string.h>

#include "oscore/block.h"
#include "oscore/options.h"
#include "test_support.h"

static void test_values(void)
{
    osc_block b;
    /* RFC 7959 2.2: 0x0a = NUM 0, M 1, SZX 2 (64 bytes). */
    static const uint8_t one[] = {0x0a};
    CHECK_EQ(osc_block_decode(one, 1, &b), OSC_OK);
    CHECK_EQ(b.num, 0);
    CHECK(b.more);
    CHECK_EQ(b.szx, 2);
    CHECK_EQ(osc_block_size(b.szx), 64);
    CHECK_EQ(osc_block_size(0), 16);
    CHECK_EQ(osc_block_size(6), 1024);
    CHECK_EQ(osc_block_decode(NULL, 0, &b), OSC_OK);
    CHECK(b.num == 0 && !b.more && b.szx == 0);
    static const uint8_t bert[] = {0x17};
    CHECK_EQ(osc_block_decode(bert, 1, &b), OSC_ERR_BLOCK_INVALID);
    static const uint8_t four[] = {1, 2, 3, 4};
    CHECK_EQ(osc_block_decode(four, 4, &b), OSC_ERR_BLOCK_INVALID);
    static const uint32_t nums[] = {0, 1, 15, 16, 4095, 4096, 0xfffff};
    static const uint32_t lengths[] = {1, 1, 1, 2, 2, 3, 3};
    for (size_t i = 0; i < sizeof nums / sizeof *nums; i++) {
        for (uint8_t szx = 0; szx <= OSC_BLOCK_MAX_SZX; szx++) {
            osc_block in = {nums[i], (i & 1) != 0, szx}, out;
            uint8_t v[3];
            uint32_t len = osc_block_encode(&in, v);
            bool zero = in.num == 0 && !in.more && szx == 0;
            CHECK_EQ(len, zero ? 0 : nums[i] == 0 ? 1 : lengths[i]);
            CHECK_EQ(osc_block_decode(v, len, &out), OSC_OK);
            CHECK(out.num == in.num && out.more == in.more &&
                  out.szx == in.szx);
            CHECK_EQ(osc_block_offset(&out), (long long)in.num * (16 << szx));
        }
    }
}

static void test_slices(void)
{
    for (uint8_t szx = 0; szx <= OSC_BLOCK_MAX_SZX; szx++) {
        size_t size = (size_t)16 << szx;
        static const size_t totals[] = {1, 15, 16, 17, 100, 1024, 1025};
        for (size_t t = 0; t < sizeof totals / sizeof *totals; t++) {
            size_t total = totals[t], covered = 0;
            uint32_t num = 0;
            osc_block b;
            size_t offset, length;
            while (osc_block_slice(total, num, szx, &b, &offset, &length)) {
                CHECK_EQ(offset, covered);
                CHECK_EQ(length,
                         total - covered < size ? total - covered : size);
                CHECK_EQ(b.more, offset + length < total);
                CHECK(b.num == num && b.szx == szx);
                covered += length;
                num++;
            }
            CHECK_EQ(covered, total);
            CHECK_EQ(num, (total + size - 1) / size);
        }
    }
    osc_block b;
    size_t offset, length;
    CHECK(!osc_block_slice(0, 0, 0, &b, &offset, &length));
    CHECK(!osc_block_slice(100, 0, 7, &b, &offset, &length));
}

static void test_reassembled(void)
{
    osc_coap_message last = {.framing = OSC_COAP_FRAMING_UDP,
                             .type = OSC_COAP_TYPE_CON,
                             .message_id = 0x1234,
                             .code = OSC_COAP_CODE_POST,
                             .token_length = 1,
                             .token = {0x7b}};
    static const uint8_t kid[] = {0x09, 0x05, 0x01};
    static const uint8_t tag[] = {0xaa};
    static const uint8_t block[] = {0x21}; /* NUM 2, M 0, SZX 1 */
    static const uint8_t slice[] = "tail";
    CHECK_EQ(osc_coap_add_option(&last, OSC_OPT_OSCORE, kid, sizeof kid),
             OSC_OK);
    CHECK_EQ(osc_coap_add_option(&last, OSC_OPT_BLOCK1, block, 1), OSC_OK);
    CHECK_EQ(osc_coap_add_option(&last, OSC_OPT_SIZE1, block, 1), OSC_OK);
    CHECK_EQ(osc_coap_add_option(&last, OSC_OPT_REQUEST_TAG, tag, 1), OSC_OK);
    last.payload = slice;
    last.payload_length = 4;
    osc_block got;
    CHECK_EQ(osc_block_get(&last, OSC_OPT_BLOCK1, &got), OSC_OK);
    CHECK(got.num == 2 && !got.more && got.szx == 1);
    CHECK_EQ(osc_block_get(&last, OSC_OPT_BLOCK2, &got),
             OSC_ERR_NO_BLOCK_OPTION);

    uint8_t whole[68];
    memset(whole, 0x5a, sizeof whole);
    osc_coap_message out;
    osc_block_reassembled(&last, whole, sizeof whole, &out);
    CHECK_EQ(out.option_count, 1);
    CHECK_EQ(out.options[0].number, OSC_OPT_OSCORE);
    CHECK(out.payload == whole && out.payload_length == sizeof whole);
    CHECK(out.code == last.code && out.message_id == last.message_id &&
          out.token_length == 1 && out.token[0] == 0x7b);
    CHECK_EQ(last.option_count, 4); /* the block itself is untouched */
    uint8_t wire[128];
    size_t len = 0;
    CHECK_EQ(osc_coap_serialize(&out, wire, sizeof wire, &len), OSC_OK);
    CHECK_EQ(len, 4 + 1 + 1 + sizeof kid + 1 + sizeof whole);
}

int main(int argc, char **argv)
{
    tests_init(argc, argv);
    test_values();
    test_slices();
    test_reassembled();
    return tests_finish();
}
