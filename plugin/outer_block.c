/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Outer Block-wise transfers (RFC 8613 4.1.3.4.2 with RFC 7959): a
 * protected message cut into blocks by Block1 (requests) or Block2
 * (responses) outside every layer. No layer of such a block can be
 * removed alone: its ciphertext is a piece of the message's. The blocks
 * are put together with Wireshark's reassembly (reassemble.h), per leg
 * (addresses and ports) and transfer, so the usual fragment tree and
 * "Reassembled in" links appear; the block that completes the transfer
 * yields the whole message, which dissector.c peels like any other.
 *
 * A transfer is named by what stays the same over its blocks: a Block1
 * request by its OSCORE option (kid and Partial IV of its outermost layer)
 * and Request-Tag (RFC 9175 3.2), a Block2 response by the request it
 * answers (its frame number: the follow-up requests for further blocks
 * leave that request's binding in place, RFC 7959 2.4).
 */
#include "oscore_layers.h"

#include <epan/reassemble.h>

#include "oscore/options.h"

static reassembly_table outer_blocks;

static int hf_ol_blocks = -1, hf_ol_block = -1, hf_ol_block_overlap = -1,
           hf_ol_block_overlap_conflicts = -1, hf_ol_block_multiple_tails = -1,
           hf_ol_block_too_long = -1, hf_ol_block_error = -1,
           hf_ol_block_count = -1, hf_ol_block_reassembled_in = -1,
           hf_ol_block_reassembled_length = -1, hf_ol_block_option = -1,
           hf_ol_block_num = -1, hf_ol_block_more = -1;
static int ett_ol_block = -1, ett_ol_blocks = -1;
expert_field ei_ol_fragment = EI_INIT, ei_ol_block_request = EI_INIT;

static const fragment_items outer_block_items = {
    &ett_ol_block,
    &ett_ol_blocks,
    &hf_ol_blocks,
    &hf_ol_block,
    &hf_ol_block_overlap,
    &hf_ol_block_overlap_conflicts,
    &hf_ol_block_multiple_tails,
    &hf_ol_block_too_long,
    &hf_ol_block_error,
    &hf_ol_block_count,
    &hf_ol_block_reassembled_in,
    &hf_ol_block_reassembled_length,
    NULL,
    "Outer blocks",
};

/* Block1 transfers get ids with the top bit set, Block2 ones without: the
 * two kinds never share an id on a leg. */
#define BLOCK1_ID_BIT 0x80000000u

uint32_t ol_outer_block1_id(const osc_coap_message *outer)
{
    const osc_coap_option *oscore = osc_coap_find_option(outer, OSC_OPT_OSCORE);
    const osc_coap_option *tag =
        osc_coap_find_option(outer, OSC_OPT_REQUEST_TAG);
    uint64_t h = oscore != NULL ? ol_hash64(oscore->value, oscore->length) : 0;
    if (tag != NULL) {
        /* Odd multiplier: "no tag" and "empty tag" differ. */
        h ^= ol_hash64(tag->value, tag->length) * 0x9e3779b97f4a7c15ull + 1;
    }
    return (uint32_t)(h ^ h >> 32) | BLOCK1_ID_BIT;
}

uint32_t ol_outer_block2_id(uint32_t request_frame)
{
    return request_frame & ~BLOCK1_ID_BIT;
}

ol_block_role ol_outer_block_role(const osc_coap_message *outer,
                                  bool is_request, osc_block *block,
                                  uint16_t *option)
{
    *option = is_request ? OSC_OPT_BLOCK1 : OSC_OPT_BLOCK2;
    osc_status st = osc_block_get(outer, *option, block);
    if (st == OSC_OK) {
        /* A Block1 request without payload is no piece of anything. */
        return outer->payload_length > 0 ? OL_BLOCK_FRAGMENT : OL_BLOCK_NONE;
    }
    if (is_request && outer->payload_length == 0 &&
        osc_block_get(outer, OSC_OPT_BLOCK2, block) == OSC_OK &&
        block->num > 0) {
        *option = OSC_OPT_BLOCK2;
        return OL_BLOCK_FOLLOW_UP;
    }
    return OL_BLOCK_NONE;
}

fragment_head *ol_outer_block_add(packet_info *pinfo, const field_info *fi,
                                  const uint8_t *bytes,
                                  const osc_coap_message *outer,
                                  const osc_block *block, uint32_t id)
{
    int offset = fi->start + (int)(outer->payload - bytes);
    size_t at = osc_block_offset(block);
    if (at > G_MAXUINT32 - outer->payload_length) {
        return NULL;
    }
    return fragment_add_check(&outer_blocks, fi->ds_tvb, offset, pinfo, id,
                              NULL, (uint32_t)at,
                              (uint32_t)outer->payload_length, block->more);
}

bool ol_outer_block_whole(packet_info *pinfo, const fragment_head *head,
                          const osc_coap_message *last_block,
                          osc_coap_framing framing, const uint8_t **bytes,
                          size_t *len)
{
    if (head == NULL || (head->flags & FD_DEFRAGMENTED) == 0 ||
        head->reassembled_in != pinfo->num || head->tvb_data == NULL) {
        return false;
    }
    guint n = tvb_captured_length(head->tvb_data);
    osc_coap_message whole;
    osc_block_reassembled(last_block, tvb_get_ptr(head->tvb_data, 0, (gint)n),
                          n, &whole);
    whole.framing = framing;
    size_t cap = osc_coap_serialized_size_bound(&whole);
    uint8_t *out = wmem_alloc(pinfo->pool, cap);
    if (osc_coap_serialize(&whole, out, cap, len) != OSC_OK) {
        return false;
    }
    *bytes = out;
    return true;
}

void ol_outer_block_draw(packet_info *pinfo, proto_tree *tree,
                         const ol_message *m, const fragment_head *head,
                         tvbuff_t *whole)
{
    proto_item *pi = proto_tree_add_uint(tree, hf_ol_block_option, NULL, 0, 0,
                                         m->block_option);
    proto_item_set_generated(pi);
    pi = proto_tree_add_uint(tree, hf_ol_block_num, NULL, 0, 0, m->block_num);
    proto_item_set_generated(pi);
    pi = proto_tree_add_boolean(tree, hf_ol_block_more, NULL, 0, 0,
                                m->block_more);
    proto_item_set_generated(pi);
    if (m->block_role == OL_BLOCK_LAST && head != NULL && whole != NULL &&
        head->tvb_data != NULL) {
        /* The blocks' bytes: the payload, at the end of the message. */
        guint total = tvb_captured_length(whole);
        guint payload = tvb_captured_length(head->tvb_data);
        tvbuff_t *ciphertext = tvb_new_subset_length(
            whole, (gint)(total - MIN(payload, total)), (gint)payload);
        proto_item *frag_item = NULL;
        show_fragment_tree((fragment_head *)head, &outer_block_items, tree,
                           pinfo, ciphertext, &frag_item);
    } else if (m->block_role == OL_BLOCK_FRAGMENT && head != NULL &&
               (head->flags & FD_DEFRAGMENTED) != 0) {
        pi = proto_tree_add_uint(tree, hf_ol_block_reassembled_in, NULL, 0, 0,
                                 head->reassembled_in);
        proto_item_set_generated(pi);
    }
}

void ol_outer_block_register(void)
{
    static hf_register_info hf[] = {
        {&hf_ol_block_option,
         {"Outer Block option", OL_PROTO_FILTER ".block.option", FT_UINT16,
          BASE_DEC, NULL, 0x0,
          "23 = Block2, 27 = Block1, outside every layer (RFC 8613 4.1.3.4.2)",
          HFILL}},
        {&hf_ol_block_num,
         {"Outer block number", OL_PROTO_FILTER ".block.num", FT_UINT32,
          BASE_DEC, NULL, 0x0, NULL, HFILL}},
        {&hf_ol_block_more,
         {"More outer blocks", OL_PROTO_FILTER ".block.more", FT_BOOLEAN,
          BASE_NONE, NULL, 0x0, NULL, HFILL}},
        {&hf_ol_blocks,
         {"Outer blocks", OL_PROTO_FILTER ".blocks", FT_NONE, BASE_NONE, NULL,
          0x0, NULL, HFILL}},
        {&hf_ol_block,
         {"Outer block", OL_PROTO_FILTER ".blocks.block", FT_FRAMENUM,
          BASE_NONE, NULL, 0x0, NULL, HFILL}},
        {&hf_ol_block_overlap,
         {"Block overlap", OL_PROTO_FILTER ".blocks.overlap", FT_BOOLEAN,
          BASE_NONE, NULL, 0x0, NULL, HFILL}},
        {&hf_ol_block_overlap_conflicts,
         {"Block overlapping with conflicting data",
          OL_PROTO_FILTER ".blocks.overlap_conflicts", FT_BOOLEAN, BASE_NONE,
          NULL, 0x0, NULL, HFILL}},
        {&hf_ol_block_multiple_tails,
         {"Several last blocks", OL_PROTO_FILTER ".blocks.multiple_tails",
          FT_BOOLEAN, BASE_NONE, NULL, 0x0, NULL, HFILL}},
        {&hf_ol_block_too_long,
         {"Block past the last one", OL_PROTO_FILTER ".blocks.too_long",
          FT_BOOLEAN, BASE_NONE, NULL, 0x0, NULL, HFILL}},
        {&hf_ol_block_error,
         {"Reassembly error", OL_PROTO_FILTER ".blocks.error", FT_FRAMENUM,
          BASE_NONE, NULL, 0x0, NULL, HFILL}},
        {&hf_ol_block_count,
         {"Block count", OL_PROTO_FILTER ".blocks.count", FT_UINT32, BASE_DEC,
          NULL, 0x0, NULL, HFILL}},
        {&hf_ol_block_reassembled_in,
         {"Reassembled in", OL_PROTO_FILTER ".blocks.reassembled_in",
          FT_FRAMENUM, BASE_NONE, NULL, 0x0,
          "The frame whose block completes the protected message", HFILL}},
        {&hf_ol_block_reassembled_length,
         {"Reassembled length", OL_PROTO_FILTER ".blocks.reassembled_length",
          FT_UINT32, BASE_DEC, NULL, 0x0, NULL, HFILL}},
    };
    static int *ett[] = {&ett_ol_block, &ett_ol_blocks};
    static ei_register_info ei[] = {
        {&ei_ol_fragment,
         {OL_PROTO_FILTER ".fragment", PI_REASSEMBLE, PI_CHAT,
          "Outer block of a protected message: its layers are removed once "
          "the message is reassembled",
          EXPFILL}},
        {&ei_ol_block_request,
         {OL_PROTO_FILTER ".block_request", PI_REASSEMBLE, PI_CHAT,
          "Request for a further outer Block2 block: no layer of its own",
          EXPFILL}},
    };
    proto_register_field_array(proto_oscore_layers, hf, array_length(hf));
    proto_register_subtree_array(ett, array_length(ett));
    expert_module_t *expert = expert_register_protocol(proto_oscore_layers);
    expert_register_field_array(expert, ei, array_length(ei));
    reassembly_table_register(&outer_blocks,
                              &addresses_ports_reassembly_table_functions);
}
