/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Drawing: one "OSCORE layers" item per CoAP message with an OSCORE
 * option, one "OSCORE layer i of N" subtree per layer, the innermost
 * message, and the expert infos. Everything drawn here comes from the
 * cached first-pass result; the only engine calls are pure decoders
 * (option value, options of a plaintext), so drawing is repeatable.
 *
 * Each layer's plaintext becomes a data source "OSCORE layer i", and its
 * items point into it, so clicking an option highlights its bytes.
 */
#include "oscore_layers.h"

#include <string.h>

#include "oscore/group.h"
#include "oscore/option_value.h"
#include "oscore/options.h"

typedef struct draw_ctx {
    packet_info *pinfo;
    tvbuff_t *wire;
    int wire_offset;
    tvbuff_t **pt; /* plaintext tvb per layer, NULL if not decrypted */
    unsigned count;
} draw_ctx;

/* The tvb and offset a span lives at, or NULL. */
static tvbuff_t *span_tvb(const draw_ctx *d, ol_span s, int *offset)
{
    if (s.src == OL_SRC_WIRE) {
        *offset = d->wire_offset + (int)s.offset;
        return d->wire;
    }
    if (s.src >= 0 && (unsigned)s.src < d->count && d->pt[s.src] != NULL) {
        *offset = (int)s.offset;
        return d->pt[s.src];
    }
    return NULL;
}

static const char *option_label(uint16_t number)
{
    const char *name = osc_option_name(number);
    return name ? name : "Unknown option";
}

/* "Name (number), ..." of a list of option numbers, for an expert info. */
static const char *options_text(packet_info *pinfo, const uint16_t *list,
                                size_t n)
{
    wmem_strbuf_t *buf = wmem_strbuf_new(pinfo->pool, "");
    for (size_t i = 0; i < n; i++) {
        wmem_strbuf_append_printf(buf, "%s%s (%u)", i ? ", " : "",
                                  option_label(list[i]), list[i]);
    }
    return wmem_strbuf_get_str(buf);
}

static void draw_option_value_fields(proto_tree *tree, tvbuff_t *tvb,
                                     int offset, unsigned len)
{
    const uint8_t *value = len > 0 ? tvb_get_ptr(tvb, offset, (gint)len) : NULL;
    osc_option_value v;
    if (osc_option_value_decode(value, len, &v) != OSC_OK) {
        return;
    }
    if (len > 0) {
        proto_tree_add_item(tree, hf_ol_layer_flags, tvb, offset, 1, ENC_NA);
    }
    if (v.piv_len > 0) {
        proto_tree_add_item(tree, hf_ol_layer_piv, tvb,
                            offset + (int)(v.piv - value), (gint)v.piv_len,
                            ENC_NA);
    }
    if (v.has_kid_context) {
        proto_tree_add_item(tree, hf_ol_layer_kid_context, tvb,
                            offset + (int)(v.kid_context - value),
                            (gint)v.kid_context_len, ENC_NA);
    }
    if (v.has_kid) {
        /* An empty kid is a real value (RFC 8613 C.4): show it anyway. */
        proto_tree_add_bytes_with_length(
            tree, hf_ol_layer_kid, tvb,
            v.kid_len ? offset + (int)(v.kid - value) : offset + (int)len,
            (gint)v.kid_len, v.kid_len ? v.kid : (const uint8_t *)"",
            (gint)v.kid_len);
    }
}

static void draw_one_option(proto_tree *tree, tvbuff_t *tvb, int offset,
                            const osc_coap_option *o, wmem_allocator_t *pool)
{
    int hf = ol_option_hf(o->number);
    int len = (int)o->length;
    if (hf == -1) {
        proto_item *it = proto_tree_add_bytes_format(
            tree, hf_ol_opt_other, tvb, offset, len, NULL, "Option %u: %s",
            o->number,
            len ? tvb_bytes_to_str(pool, tvb, offset, len) : "(empty)");
        proto_tree *sub = proto_item_add_subtree(it, ett_ol_options);
        proto_item *n = proto_tree_add_uint(sub, hf_ol_opt_other_number, tvb,
                                            offset, len, o->number);
        proto_item_set_generated(n);
        return;
    }
    proto_item *it = NULL;
    switch (proto_registrar_get_ftype(hf)) {
    case FT_UINT32: {
        uint32_t v = 0;
        if (osc_coap_uint_value(o, &v) != OSC_OK) {
            v = 0;
        }
        it = proto_tree_add_uint(tree, hf, tvb, offset, len, v);
        if (o->number == OSC_OPT_CONTENT_FORMAT ||
            o->number == OSC_OPT_ACCEPT) {
            const char *type = ol_media_type(v);
            if (type != NULL) {
                proto_item_append_text(it, " (%s)", type);
            }
        }
        if (o->number == OSC_OPT_BLOCK1 || o->number == OSC_OPT_BLOCK2 ||
            o->number == OSC_OPT_Q_BLOCK1 || o->number == OSC_OPT_Q_BLOCK2) {
            proto_item_append_text(it, " (NUM %u, M %u, size %u)", v >> 4,
                                   (v >> 3) & 1u, 16u << (v & 7u));
        }
        break;
    }
    case FT_STRING:
        /* Escaped, NUL included (an item read from the tvb would end at
         * it and keep control characters in the field's value). */
        it = proto_tree_add_string(tree, hf, tvb, offset, len,
                                   ol_escaped_text(pool, o->value, o->length));
        break;
    default:
        it = proto_tree_add_item(tree, hf, tvb, offset, len, ENC_NA);
        break;
    }
    if (o->number == OSC_OPT_OSCORE) {
        proto_item_append_text(it, " (next layer)");
    }
}

/* "/a/b?x&y" from the Uri-Path and Uri-Query options, or NULL. */
char *ol_request_uri(const osc_coap_message *m, wmem_allocator_t *scope)
{
    size_t len = osc_coap_request_uri(m, true, NULL, 0);
    if (len == 0) {
        return NULL;
    }
    /* The option values are the sender's bytes: escaped before they reach
     * the Info column, a field or the tree (terminal escapes, NUL). */
    char *raw = wmem_alloc(scope, len + 1);
    osc_coap_request_uri(m, true, raw, len + 1);
    char *text = ol_escaped_text(scope, raw, len);
    wmem_free(scope, raw);
    return text;
}

static void draw_inner_options(proto_tree *tree, tvbuff_t *pt,
                               const ol_layer *l, packet_info *pinfo)
{
    osc_coap_message *in = wmem_new0(pinfo->pool, osc_coap_message);
    if (l->plaintext_len < 1 ||
        osc_coap_parse_options(l->plaintext + 1, l->plaintext_len - 1, in) !=
            OSC_OK) {
        return;
    }
    int prev_end = 1;
    for (size_t i = 0; i < in->option_count; i++) {
        const osc_coap_option *o = &in->options[i];
        int off = o->value ? (int)(o->value - l->plaintext) : prev_end;
        draw_one_option(tree, pt, off, o, pinfo->pool);
        prev_end = off + (int)o->length;
    }
    /* The path this layer hides: the resource in an end-to-end layer, a
     * reverse proxy's routing segment in a hop layer (as "dev1" in
     * draft-ietf-core-oscore-capable-proxies appendix B.8). */
    char *uri = ol_request_uri(in, pinfo->pool);
    if (uri != NULL) {
        proto_item *it =
            proto_tree_add_string(tree, hf_ol_layer_uri, pt, 0, 0, uri);
        proto_item_set_generated(it);
    }
}

const char *ol_layer_context_name(const osc_context_set *set, const ol_layer *l)
{
    if (set == NULL) {
        return NULL;
    }
    if (l->group_index >= 0) {
        return osc_context_set_group_name(set, (size_t)l->group_index);
    }
    if (l->ctx_index >= 0) {
        return osc_context_set_name(set, (size_t)l->ctx_index);
    }
    return NULL;
}

const char *ol_layer_shown_name(const osc_context_set *set, const ol_layer *l)
{
    /* A failed AEAD tag does not tell which of the contexts tried is the
     * layer's; a failed countersignature is in the group its kid context
     * or request names. */
    if (l->status == OL_ST_AUTH_FAILED &&
        l->engine_status != OSC_ERR_SIGNATURE_INVALID) {
        return NULL;
    }
    return ol_layer_context_name(set, l);
}

static const char *context_name(const ol_layer *l)
{
    return ol_layer_context_name(ol_keys_current(), l);
}

static void add_generated_bytes(proto_tree *tree, int hf, tvbuff_t *tvb,
                                const uint8_t *p, size_t n)
{
    proto_item *it = proto_tree_add_bytes_with_length(
        tree, hf, tvb, 0, 0, n ? p : (const uint8_t *)"", (gint)n);
    proto_item_set_generated(it);
}

/* Why no context could decrypt the layer: the group cases name what the
 * keys file lacks; a response needs its request's layer first. */
static void draw_no_context_expert(packet_info *pinfo, proto_item *item,
                                   const ol_message *m, const ol_layer *l,
                                   unsigned index, const char *name)
{
    if (l->engine_status == OSC_ERR_GROUP_UNSUPPORTED) {
        expert_add_info(pinfo, item, &ei_ol_group_unsupported);
    } else if (l->engine_status == OSC_ERR_UNKNOWN_MEMBER) {
        expert_add_info_format(pinfo, item, &ei_ol_unknown_member,
                               "Layer %u: its kid is no member of group %s "
                               "in the keys (the member's credential is "
                               "missing)",
                               index, name ? name : "?");
    } else if (l->engine_status == OSC_ERR_NO_PRIVATE_KEY) {
        expert_add_info_format(pinfo, item, &ei_ol_no_private_key,
                               "Layer %u: pairwise mode in group %s needs "
                               "the private key of one of the two members",
                               index, name ? name : "?");
    } else if (l->candidates_truncated) {
        expert_add_info_format(
            pinfo, item, &ei_ol_candidates_untried,
            "Layer %u: %u contexts share this kid (and kid context); the "
            "first %u tried do not authenticate it and the others were not "
            "tried",
            index, l->candidates_matched, l->candidates_tried);
    } else if (m->is_request) {
        expert_add_info_format(pinfo, item, &ei_ol_no_context,
                               "Layer %u: no security context for this "
                               "kid (and kid context)",
                               index);
    } else {
        expert_add_info_format(pinfo, item, &ei_ol_no_context,
                               "Layer %u: the request layer it answers "
                               "(frame %u) was not decrypted",
                               index, m->request_frame);
    }
}

/* A failed check, with the likely causes: the countersignature of group
 * mode, else the AEAD tag, whose input differs for requests (Class I
 * options) and responses (the request they are bound to). */
static void draw_auth_failed_expert(packet_info *pinfo, proto_item *item,
                                    const ol_message *m, const ol_layer *l,
                                    unsigned index, const char *name)
{
    if (l->engine_status == OSC_ERR_SIGNATURE_INVALID) {
        expert_add_info_format(
            pinfo, item, &ei_ol_signature_invalid,
            "Layer %u: group-mode countersignature invalid in group %s: "
            "wrong credential for this kid, wrong Signature Encryption "
            "Key, or tampering",
            index, name ? name : "?");
        return;
    }
    expert_add_info_format(
        pinfo, item, &ei_ol_auth_failed,
        "Layer %u: authentication failed with context %s (%u tried): "
        "wrong key or IDs, %s, or tampering",
        index, name ? name : "?", l->candidates_tried,
        m->is_request ? "wrong Class I options"
                      : "wrong request binding (response bound to the "
                        "wrong request or layer)");
}

/* A response without its request on this leg, or with a request that
 * had fewer layers. */
static void draw_no_request_expert(packet_info *pinfo, proto_item *item,
                                   const ol_message *m, unsigned index)
{
    if (m->requests_sharing_token > 0) {
        expert_add_info_format(
            pinfo, item, &ei_ol_no_request,
            "Layer %u: none of the %u newest requests with this token on "
            "this leg authenticates this response; %u requests share the "
            "token, so its request may be an older one (not tried)",
            index, OL_MAX_RESPONSE_CANDIDATES, m->requests_sharing_token);
    } else if (m->count_mismatch) {
        expert_add_info_format(
            pinfo, item, &ei_ol_count_mismatch,
            "Layer %u: the request in frame %u had only %u layer(s) on "
            "this leg",
            index, m->request_frame, m->request_layers);
    } else {
        expert_add_info_format(pinfo, item, &ei_ol_no_request,
                               "Response without a matching request on "
                               "this leg (same address pair, same token)");
    }
}

static void draw_replay_expert(packet_info *pinfo, proto_item *item,
                               const ol_message *m, const ol_layer *l,
                               unsigned index)
{
    if (m->is_request) {
        expert_add_info_format(
            pinfo, item, &ei_ol_replay,
            "Layer %u: Partial IV already seen in this context, direction "
            "and leg (frame %u) or older than the replay window",
            index, l->replay_of);
    } else {
        expert_add_info_format(pinfo, item, &ei_ol_replay,
                               "Layer %u: notification number already "
                               "seen for this request",
                               index);
    }
}

/* The expert info of a layer's status (none for a decrypted layer). */
static void draw_status_expert(packet_info *pinfo, proto_item *item,
                               const ol_message *m, const ol_layer *l,
                               unsigned index)
{
    const char *name = context_name(l);
    switch (l->status) {
    case OL_ST_NO_CONTEXT:
        draw_no_context_expert(pinfo, item, m, l, index, name);
        break;
    case OL_ST_AUTH_FAILED:
        draw_auth_failed_expert(pinfo, item, m, l, index, name);
        break;
    case OL_ST_NO_REQUEST:
        draw_no_request_expert(pinfo, item, m, index);
        break;
    case OL_ST_MALFORMED:
        expert_add_info_format(pinfo, item, &ei_ol_malformed, "Layer %u: %s",
                               index, osc_status_message(l->engine_status));
        break;
    case OL_ST_INTERNAL_ERROR:
        expert_add_info_format(pinfo, item, &ei_ol_internal_error,
                               "Layer %u: internal error (%s)", index,
                               osc_status_message(l->engine_status));
        break;
    case OL_ST_DEPTH_LIMIT:
        expert_add_info_format(pinfo, item, &ei_ol_depth_limit,
                               "Layer cap of %u reached: further layers not "
                               "removed",
                               ol_pref.max_layers);
        break;
    case OL_ST_REPLAY:
        draw_replay_expert(pinfo, item, m, l, index);
        break;
    case OL_ST_FRAGMENT:
        expert_add_info_format(
            pinfo, item, &ei_ol_fragment,
            "Layer %u: outer %s block #%u of a protected message (RFC 8613 "
            "4.1.3.4.2): removed once the message is reassembled",
            index, m->block_option == OSC_OPT_BLOCK1 ? "Block1" : "Block2",
            m->block_num);
        break;
    case OL_ST_BLOCK_REQUEST:
        expert_add_info_format(pinfo, item, &ei_ol_block_request,
                               "Request for outer Block2 block #%u of the "
                               "response to frame %u: repeats that request's "
                               "OSCORE option, carries no ciphertext",
                               m->block_num, m->request_frame);
        break;
    case OL_ST_TRUNCATED:
        expert_add_info_format(pinfo, item, &ei_ol_truncated,
                               "Layer %u: the capture lacks the last %u "
                               "byte(s) of the message (snap length), so the "
                               "layer cannot be authenticated",
                               index, m->missing_bytes);
        break;
    default:
        break;
    }
}

/* Options on the wrong side of this layer for the proxies of the path
 * (draft-ietf-core-oscore-capable-proxies, Section 2.2), and Class E
 * options left outside it. */
static void draw_option_placement_experts(packet_info *pinfo, proto_item *item,
                                          const ol_layer *l, unsigned index)
{
    if (l->wrong_outside_count > 0) {
        expert_add_info_format(
            pinfo, item, &ei_ol_wrong_layer,
            "Outside layer %u although the proxy removing it consumes it: %s",
            index,
            options_text(pinfo, l->flagged->wrong_outside,
                         l->wrong_outside_count));
    }
    if (l->wrong_inside_count > 0) {
        expert_add_info_format(
            pinfo, item, &ei_ol_wrong_layer,
            "Inside end-to-end layer %u, where the proxy that needs it "
            "cannot read it: %s",
            index,
            options_text(pinfo, l->flagged->wrong_inside,
                         l->wrong_inside_count));
    }
    if (l->readable_e2e_count > 0) {
        expert_add_info_format(
            pinfo, item, &ei_ol_readable_e2e,
            "End-to-end option(s) inside hop layer %u, readable by the "
            "intermediary: %s",
            index,
            options_text(pinfo, l->flagged->readable_e2e,
                         l->readable_e2e_count));
    }
    if (l->ignored_outer_count > 0) {
        expert_add_info_format(pinfo, item, &ei_ol_ignored_outer,
                               "Class E option(s) outside layer %u: %s", index,
                               options_text(pinfo, l->flagged->ignored_outer,
                                            l->ignored_outer_count));
    }
}

static void draw_layer_experts(const draw_ctx *d, proto_item *item,
                               const ol_message *m, const ol_layer *l,
                               unsigned index)
{
    draw_status_expert(d->pinfo, item, m, l, index);
    if (l->stale_notification) {
        expert_add_info(d->pinfo, item, &ei_ol_stale_notification);
    }
    draw_option_placement_experts(d->pinfo, item, l, index);
}

/* Context, mode, sender, algorithm and countersignature of a Group OSCORE
 * layer. */
static void draw_group_fields(const draw_ctx *d, proto_tree *lt,
                              const ol_layer *l, const char *name)
{
    const osc_group_context *group =
        osc_context_set_get_group(ol_keys_current(), (size_t)l->group_index);
    proto_item *it =
        proto_tree_add_string(lt, hf_ol_layer_context, d->wire, 0, 0, name);
    proto_item_set_generated(it);
    it = proto_tree_add_string(lt, hf_ol_layer_mode, d->wire, 0, 0,
                               l->group_mode ? "group" : "pairwise");
    proto_item_set_generated(it);
    if (group == NULL) {
        return;
    }
    if (l->sender_member < group->member_count) {
        const osc_group_member *sender = &group->members[l->sender_member];
        add_generated_bytes(lt, hf_ol_layer_producer_id, d->wire, sender->id,
                            sender->id_len);
    }
    const osc_aead_alg *alg = l->group_mode ? group->group_enc : group->aead;
    if (alg != NULL) {
        it = proto_tree_add_int(lt, hf_ol_layer_alg, d->wire, 0, 0,
                                alg->cose_id);
        proto_item_set_generated(it);
        it = proto_tree_add_string(lt, hf_ol_layer_alg_name, d->wire, 0, 0,
                                   alg->name);
        proto_item_set_generated(it);
    }
    if (l->signature != NULL) {
        add_generated_bytes(lt, hf_ol_layer_signature, d->wire, l->signature,
                            l->signature_len);
        it = proto_tree_add_string(
            lt, hf_ol_layer_signature_status, d->wire, 0, 0,
            l->signature_status != OSC_OK ? "invalid"
            : l->signature_short_form     ? "valid (4-element ToBeSigned)"
                                          : "valid");
        proto_item_set_generated(it);
    }
}

/* Context, mode, sender, algorithm and, when asked for, the derived keys
 * of an RFC 8613 layer. */
static void draw_context_fields(const draw_ctx *d, proto_tree *lt,
                                const ol_layer *l, const char *name)
{
    proto_item *it =
        proto_tree_add_string(lt, hf_ol_layer_context, d->wire, 0, 0, name);
    proto_item_set_generated(it);
    it = proto_tree_add_string(lt, hf_ol_layer_mode, d->wire, 0, 0, "oscore");
    proto_item_set_generated(it);
    const osc_context *ctx =
        osc_context_set_get(ol_keys_current(), (size_t)l->ctx_index);
    if (ctx == NULL) {
        return;
    }
    add_generated_bytes(lt, hf_ol_layer_producer_id, d->wire,
                        ctx->id[l->producer], ctx->id_len[l->producer]);
    it = proto_tree_add_int(lt, hf_ol_layer_alg, d->wire, 0, 0,
                            ctx->aead->cose_id);
    proto_item_set_generated(it);
    it = proto_tree_add_string(lt, hf_ol_layer_alg_name, d->wire, 0, 0,
                               ctx->aead->name);
    proto_item_set_generated(it);
    if (ol_pref.show_derived_keys) {
        add_generated_bytes(lt, hf_ol_layer_sender_key, d->wire,
                            ctx->key[OSC_PARTY_SENDER], ctx->aead->key_len);
        add_generated_bytes(lt, hf_ol_layer_recipient_key, d->wire,
                            ctx->key[OSC_PARTY_RECIPIENT], ctx->aead->key_len);
        add_generated_bytes(lt, hf_ol_layer_common_iv, d->wire, ctx->common_iv,
                            ctx->aead->nonce_len);
    }
}

/* What decryption used or tried: candidate count, the request the
 * response is bound to, nonce, AAD and the ciphertext itself. */
static void draw_crypto_fields(const draw_ctx *d, proto_tree *lt,
                               const ol_layer *l)
{
    if (l->candidates_tried > 0) {
        proto_item *it =
            proto_tree_add_uint(lt, hf_ol_layer_candidates, d->wire, 0, 0,
                                (guint32)l->candidates_tried);
        proto_item_set_generated(it);
    }
    if (l->has_request) {
        add_generated_bytes(lt, hf_ol_layer_request_kid, d->wire,
                            l->request_kid, l->request_kid_len);
        add_generated_bytes(lt, hf_ol_layer_request_piv, d->wire,
                            l->request_piv, l->request_piv_len);
    }
    if (l->nonce_len > 0) {
        add_generated_bytes(lt, hf_ol_layer_nonce, d->wire, l->nonce,
                            l->nonce_len);
    }
    if (l->aad != NULL) {
        add_generated_bytes(lt, hf_ol_layer_aad, d->wire, l->aad, l->aad_len);
    }
    int coff = 0;
    tvbuff_t *ctvb = span_tvb(d, l->ciphertext, &coff);
    if (ctvb != NULL) {
        proto_tree_add_item(lt, hf_ol_layer_ciphertext, ctvb, coff,
                            (gint)l->ciphertext.length, ENC_NA);
    }
}

/* Links to other frames: the replayed one, and the same layer seen on
 * another leg (with the proxy's delay), flagged on the layer item li. */
static void draw_seen_fields(const draw_ctx *d, proto_tree *lt, proto_item *li,
                             const ol_layer *l, unsigned index)
{
    proto_item *it;
    if (l->replay_of != 0) {
        it = proto_tree_add_uint(lt, hf_ol_layer_replay_of, d->wire, 0, 0,
                                 l->replay_of);
        proto_item_set_generated(it);
    }
    if (l->seen_frame == 0) {
        return;
    }
    it = proto_tree_add_uint(lt, hf_ol_layer_seen_frame, d->wire, 0, 0,
                             l->seen_frame);
    proto_item_set_generated(it);
    proto_item_append_text(it, " on leg %s", l->seen_leg);
    it = proto_tree_add_string(lt, hf_ol_layer_seen_leg, d->wire, 0, 0,
                               l->seen_leg);
    proto_item_set_generated(it);
    it = proto_tree_add_time(lt, hf_ol_layer_proxy_time, d->wire, 0, 0,
                             &l->seen_delta);
    proto_item_set_generated(it);
    expert_add_info_format(d->pinfo, li, &ei_ol_correlated,
                           "Layer %u also seen in frame %u on leg %s", index,
                           l->seen_frame, l->seen_leg);
}

/* Appends " (2.05 Content)" to an item showing a CoAP code. */
static void append_code_text(proto_item *it, uint8_t code_byte)
{
    char code[5];
    osc_coap_code_format(code_byte, code);
    const char *cname = osc_coap_code_name(code_byte);
    proto_item_append_text(it, " (%s%s%s)", code, cname ? " " : "",
                           cname ? cname : "");
}

/* The decrypted plaintext pt: its code, its options and its bytes. */
static void draw_plaintext_fields(const draw_ctx *d, proto_tree *lt,
                                  const ol_layer *l, tvbuff_t *pt)
{
    proto_item *it =
        proto_tree_add_item(lt, hf_ol_layer_code, pt, 0, 1, ENC_NA);
    append_code_text(it, l->plaintext[0]);
    draw_inner_options(lt, pt, l, d->pinfo);
    proto_tree_add_item(lt, hf_ol_layer_plaintext, pt, 0,
                        (gint)l->plaintext_len, ENC_NA);
}

/* The "OSCORE layer i of N" item, over the layer's ciphertext when it is
 * known, else an empty item at the start of the CoAP message. */
static proto_item *add_layer_item(const draw_ctx *d, proto_tree *tree,
                                  const ol_message *m, const ol_layer *l,
                                  unsigned index, const char *name)
{
    int off = 0;
    tvbuff_t *anchor = span_tvb(d, l->ciphertext, &off);
    int anchor_len = anchor ? (int)l->ciphertext.length : 0;
    if (anchor == NULL) {
        anchor = d->wire;
        off = d->wire_offset;
    }
    return proto_tree_add_none_format(
        tree, hf_ol_layer, anchor, off, anchor_len,
        "OSCORE layer %u of %u: %s (%s)", index, m->count, name ? name : "?",
        ol_status_string(l->status));
}

static void draw_layer(const draw_ctx *d, proto_tree *tree, const ol_message *m,
                       unsigned i)
{
    const ol_layer *l = &m->layers[i];
    unsigned index = i + 1;
    const char *name = context_name(l);
    proto_item *li = add_layer_item(d, tree, m, l, index,
                                    ol_layer_shown_name(ol_keys_current(), l));
    proto_tree *lt = proto_item_add_subtree(li, ett_ol_layer);
    proto_item *it;

    it = proto_tree_add_uint(lt, hf_ol_layer_index, d->wire, 0, 0, index);
    proto_item_set_generated(it);
    it = proto_tree_add_string(lt, hf_ol_layer_status, d->wire, 0, 0,
                               ol_status_string(l->status));
    proto_item_set_generated(it);

    int ooff = 0;
    tvbuff_t *otvb = span_tvb(d, l->option, &ooff);
    if (otvb != NULL) {
        proto_tree_add_item(lt, hf_ol_layer_option, otvb, ooff,
                            (gint)l->option.length, ENC_NA);
        draw_option_value_fields(lt, otvb, ooff, l->option.length);
    }
    if (l->group_index >= 0 && name != NULL) {
        draw_group_fields(d, lt, l, name);
    }
    if (l->ctx_index >= 0 && name != NULL) {
        draw_context_fields(d, lt, l, name);
    }
    draw_crypto_fields(d, lt, l);
    draw_seen_fields(d, lt, li, l, index);
    if (d->pt[i] != NULL) {
        draw_plaintext_fields(d, lt, l, d->pt[i]);
    }
    draw_layer_experts(d, li, m, l, index);
}

/* Message-level fields: layer counts, leg, the request answered, and a
 * CoAP retransmission (not a replay) or a layer count that differs from
 * the request's. */
static void draw_message_fields(tvbuff_t *coap_tvb, int coap_offset,
                                packet_info *pinfo, proto_item *ti,
                                proto_tree *t, const ol_message *m)
{
    proto_item *it;

    /* From 4.2 on, _ws.col.* are filled before postdissectors run, so the
     * plugin's Info text is filterable only through its own field. */
    it =
        proto_tree_add_string(t, hf_ol_info, coap_tvb, coap_offset, 0, m->info);
    proto_item_set_generated(it);
    it =
        proto_tree_add_uint(t, hf_ol_count, coap_tvb, coap_offset, 0, m->count);
    proto_item_set_generated(it);
    it = proto_tree_add_uint(t, hf_ol_removed, coap_tvb, coap_offset, 0,
                             m->removed);
    proto_item_set_generated(it);
    it = proto_tree_add_string(t, hf_ol_leg, coap_tvb, coap_offset, 0, m->leg);
    proto_item_set_generated(it);
    if (m->exchange != 0) { /* 0: a block whose exchange is not known */
        it = proto_tree_add_uint(t, hf_ol_exchange, coap_tvb, coap_offset, 0,
                                 m->exchange);
        proto_item_set_generated(it);
    }
    /* A request for a further Block2 block names the request it repeats. */
    if ((!m->is_request || m->block_role == OL_BLOCK_FOLLOW_UP) &&
        m->request_frame != 0) {
        it = proto_tree_add_uint(t, hf_ol_request_frame, coap_tvb, coap_offset,
                                 0, m->request_frame);
        proto_item_set_generated(it);
    }
    if (m->retransmission_of != 0) {
        it = proto_tree_add_uint(t, hf_ol_retransmission_of, coap_tvb,
                                 coap_offset, 0, m->retransmission_of);
        proto_item_set_generated(it);
        expert_add_info_format(pinfo, it, &ei_ol_retransmission,
                               "CoAP retransmission of frame %u (same MID, "
                               "same bytes): not a replay",
                               m->retransmission_of);
    }
    if (m->count_mismatch && m->fully_peeled) {
        expert_add_info_format(pinfo, ti, &ei_ol_count_mismatch,
                               "Response has %u layer(s), its request (frame "
                               "%u) had %u on this leg",
                               m->removed, m->request_frame, m->request_layers);
    }
}

/* Makes each decrypted plaintext a data source "OSCORE layer i", so that
 * its items highlight their bytes. */
static void add_plaintext_sources(draw_ctx *d, const ol_message *m)
{
    for (unsigned i = 0; i < m->count; i++) {
        const ol_layer *l = &m->layers[i];
        if (l->plaintext == NULL) {
            continue;
        }
        d->pt[i] = tvb_new_child_real_data(d->wire, l->plaintext,
                                           (guint)l->plaintext_len,
                                           (gint)l->plaintext_len);
        add_new_data_source(
            d->pinfo, d->pt[i],
            wmem_strdup_printf(d->pinfo->pool, "OSCORE layer %u", i + 1));
    }
}

/* The innermost message once every layer is removed: code, Uri and the
 * payload, handed to the dissector of its Content-Format. */
static void draw_innermost(const draw_ctx *d, proto_tree *t,
                           const ol_message *m)
{
    /* The innermost code is the first byte of the last plaintext. */
    tvbuff_t *last = d->pt[m->removed - 1];
    if (last != NULL) {
        proto_item *it =
            proto_tree_add_item(t, hf_ol_inner_code, last, 0, 1, ENC_NA);
        append_code_text(it, m->inner_code);
    }
    if (m->inner_uri != NULL) {
        proto_item *it = proto_tree_add_string(t, hf_ol_inner_uri, d->wire,
                                               d->wire_offset, 0, m->inner_uri);
        proto_item_set_generated(it);
    }
    int poff = 0;
    tvbuff_t *ptvb = span_tvb(d, m->inner_payload, &poff);
    if (ptvb != NULL && m->inner_payload.length > 0) {
        proto_tree_add_item(t, hf_ol_inner_payload, ptvb, poff,
                            (gint)m->inner_payload.length, ENC_NA);
        if (m->has_content_format) {
            tvbuff_t *payload = tvb_new_subset_length(
                ptvb, poff, (gint)m->inner_payload.length);
            ol_media_dissect(payload, d->pinfo, t, m->content_format);
        }
    }
}

proto_tree *ol_draw_message(tvbuff_t *coap_tvb, int coap_offset,
                            int coap_length, packet_info *pinfo,
                            proto_tree *tree, const ol_message *m)
{
    proto_item *ti = proto_tree_add_item(tree, proto_oscore_layers, coap_tvb,
                                         coap_offset, coap_length, ENC_NA);
    proto_item_append_text(ti, ", %u of %u layer%s removed", m->removed,
                           m->count, m->count == 1 ? "" : "s");
    proto_tree *t = proto_item_add_subtree(ti, ett_ol);
    draw_message_fields(coap_tvb, coap_offset, pinfo, ti, t, m);

    draw_ctx d = {
        .pinfo = pinfo,
        .wire = coap_tvb,
        .wire_offset = coap_offset,
        .pt = wmem_alloc0_array(pinfo->pool, tvbuff_t *, m->count),
        .count = m->count,
    };
    add_plaintext_sources(&d, m);
    for (unsigned i = 0; i < m->count; i++) {
        draw_layer(&d, t, m, i);
    }
    if (m->fully_peeled && m->removed > 0) {
        draw_innermost(&d, t, m);
    }
    return t;
}
