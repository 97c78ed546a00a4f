/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Internal interfaces shared by the plugin's files.
 *
 * Map of the plugin (each file says why it exists):
 *   plugin.c     registration with Wireshark, version symbols
 *   fields.c     header fields, subtrees, expert infos, preferences
 *   keys.c       keys file + UAT + built-in OSCORE table -> one context set
 *   group_keys.c tables of Group OSCORE contexts and members (UAT)
 *   dissector.c  postdissector: finds CoAP messages, peels layers (first
 *                pass), caches per frame, draws
 *   tracking.c   per-capture state: request stacks per leg and token,
 *                replay windows, retransmissions, cross-hop correlation
 *   layer_tree.c drawing one layer and the innermost message
 *   media.c      Content-Format -> media type, hand-off of the payload
 *   stats.c      the oscore_layers,tree statistics tap
 *   export.c     the "OSCORE decrypted CoAP" Export PDU tap
 *   flow.c       the oscore_layers sequence analysis (Flow Graph)
 *   chains.c     the oscore_layers,chains table: one row per end-to-end
 *                exchange across the legs of a proxy chain
 *   outer_block.c outer Block-wise transfers put back together with
 *                Wireshark's reassembly before any layer is removed
 *   compat.h     every Wireshark-version-specific API
 */
#ifndef OSCORE_LAYERS_H
#define OSCORE_LAYERS_H

#include <epan/expert.h>
#include <epan/packet.h>
#include <epan/reassemble.h>

#include "compat.h"
#include "oscore/block.h"
#include "oscore/context_set.h"
#include "oscore/layer_stack.h"
#include "oscore/peel.h"
#include "oscore/replay.h"

#define OL_PROTO_NAME "OSCORE layers (nested OSCORE decryption)"
#define OL_PROTO_SHORT "OSCORE layers"
#define OL_COLUMN_PROTOCOL "OSCORE"
#define OL_PROTO_FILTER "oscore_layers"

/* Status of one layer, as the oscore_layers.layer.status field spells it
 * (a contract: users filter on these strings). */
typedef enum ol_status {
    OL_ST_DECRYPTED = 0,
    OL_ST_NO_CONTEXT,
    OL_ST_NO_REQUEST,
    OL_ST_AUTH_FAILED,
    OL_ST_MALFORMED,
    OL_ST_REPLAY,
    OL_ST_DEPTH_LIMIT,
    /* The decryptor failed, not the layer: an engine error that says
     * nothing about the captured bytes (buffer too small, crypto backend,
     * a status this plugin does not know). */
    OL_ST_INTERNAL_ERROR,
    /* The frame was captured without the end of the message (a snap
     * length shorter than the packet): the layer cannot be checked. */
    OL_ST_TRUNCATED,
    /* A block of a message sent in outer Block-wise (RFC 8613 4.1.3.4.2):
     * removed from the whole message, in the frame that completes it. */
    OL_ST_FRAGMENT,
    /* A request for a further outer Block2 block (RFC 7959 2.4): it
     * repeats its request's OSCORE option and carries no ciphertext. */
    OL_ST_BLOCK_REQUEST,
    OL_ST_COUNT
} ol_status;

const char *ol_status_string(ol_status status);

/* Where some bytes of a layer live: OL_SRC_WIRE = the CoAP message as
 * captured, k >= 0 = the plaintext of layer k (0-based) of the message. */
#define OL_SRC_WIRE (-1)
#define OL_SRC_NONE (-2)

typedef struct ol_span {
    int src;
    unsigned offset;
    unsigned length;
} ol_span;

#define OL_MAX_FLAGGED 8

/* Requests with a response's token tried for its first layer, newest
 * first (token reuse, notifications after a deregistration): a bound, so
 * that thousands of requests sharing a token cost no more per response. */
#define OL_MAX_RESPONSE_CANDIDATES 8

/* The option numbers a layer's checks flagged (most layers have none). */
typedef struct ol_flagged {
    uint16_t ignored_outer[OL_MAX_FLAGGED];
    uint16_t wrong_outside[OL_MAX_FLAGGED]; /* should be inside */
    uint16_t wrong_inside[OL_MAX_FLAGGED];  /* should not be inside */
    uint16_t readable_e2e[OL_MAX_FLAGGED];  /* e2e options in a hop layer */
} ol_flagged;

/* Everything computed on the first pass for one layer. File scope, one
 * per layer of every message: fields are sized to what they hold. */
typedef struct ol_layer {
    ol_status status;
    osc_status engine_status;
    ol_span option; /* the OSCORE option value of this layer */
    ol_span ciphertext;
    int ctx_index; /* in the context set; -1 when none */
    osc_party producer;
    /* Group OSCORE layers (ctx_index is -1 then): the group's index in
     * the set, the mode, the members and the countersignature check. */
    int group_index; /* -1 when not a group layer */
    uint32_t sender_member;
    osc_status signature_status;
    bool group_mode; /* group mode; false = pairwise mode */
    bool signature_short_form;
    bool has_request;
    bool stale_notification;  /* an older notification than one seen */
    const uint8_t *signature; /* decrypted countersignature, or NULL */
    uint32_t signature_len;
    uint32_t candidates_tried;
    /* Requests: contexts sharing the kid, and whether more did than the
     * engine tries (OSC_MAX_CANDIDATES): a failure is then no verdict. */
    uint32_t candidates_matched;
    bool candidates_truncated;
    uint8_t request_kid[OSC_MAX_ID_LEN];
    uint8_t request_kid_len;
    uint8_t request_piv[OSC_MAX_PIV_LEN];
    uint8_t request_piv_len;
    uint8_t nonce[OSC_MAX_NONCE_LEN];
    uint8_t nonce_len;
    uint32_t aad_len;
    /* The AAD and plaintext point into the pass that peeled the layer:
     * the per-frame cache keeps their lengths only, and a later pass
     * decrypts again to draw them (dissector.c, peel_again). */
    const uint8_t *aad;
    const uint8_t *plaintext;
    uint32_t plaintext_len;
    /* Outer Class E options ignored, and options found in the wrong layer
     * (draft-ietf-core-oscore-capable-proxies 2.2, osc_check_placement in
     * placement.h finds them). */
    uint8_t ignored_outer_count;
    uint8_t wrong_outside_count;
    uint8_t wrong_inside_count;
    uint8_t readable_e2e_count;
    ol_flagged *flagged; /* the option numbers; cached only when flagged */
    /* Replay (requests): earlier frame with the same PIV on this leg. */
    uint32_t replay_of;
    /* Cross-hop correlation: the same layer seen earlier on another leg. */
    uint32_t seen_frame;
    const char *seen_leg;
    nstime_t seen_delta;
} ol_layer;

/* What a CoAP message is to an outer Block-wise transfer. */
typedef enum ol_block_role {
    OL_BLOCK_NONE = 0, /* a whole message */
    OL_BLOCK_FRAGMENT, /* a block; the whole message is in another frame */
    OL_BLOCK_LAST,     /* the block that completed the message */
    OL_BLOCK_FOLLOW_UP /* a request for a further Block2 block */
} ol_block_role;

/* One CoAP message carrying an OSCORE option. File scope. */
typedef struct ol_message {
    bool is_request;
    unsigned count;         /* layers found (attempted) */
    unsigned removed;       /* layers removed */
    ol_layer *layers;       /* count entries, outermost first */
    const char *leg;        /* "src > dst" */
    uint32_t request_frame; /* responses: the request bound to */
    /* Responses: the request record whose layer stack they were peeled
     * with, NULL when none (a later pass peels them again with it). */
    const struct ol_request_rec *chosen;
    unsigned request_layers; /* layers of that request */
    bool count_mismatch;
    bool no_request;
    /* Responses whose request may be older than the candidates tried:
     * how many requests on the leg share the token (0 otherwise). */
    uint32_t requests_sharing_token;
    uint32_t retransmission_of;
    /* The end-to-end exchange (ol_track_exchange): requests by their
     * innermost identified layer, responses by their request. */
    uint32_t exchange;
    osc_status parse_error; /* outer message malformed */
    /* Bytes of the message the capture lacks (captured length shorter
     * than the reported one), 0 for a whole message. */
    uint32_t missing_bytes;
    bool fully_peeled; /* no OSCORE option left */
    /* The innermost message (when fully peeled). */
    uint8_t inner_code;
    ol_span inner_payload;
    bool has_content_format;
    uint32_t content_format;
    const char *inner_uri; /* "/a/b?q" of a request, NULL otherwise */
    char *info;            /* Info column text */
    /* The CoAP message the first pass peeled (length, FNV-1a hash): a
     * later pass draws the result only over the same bytes. */
    size_t wire_len;
    uint64_t wire_hash;
    /* Outer Block-wise (outer_block.c): the role, the transfer's
     * reassembly id and the block's option (Block1 or Block2), number and
     * M bit. The layers of an OL_BLOCK_LAST message are those of the whole
     * message. */
    uint8_t block_role;
    bool block_more;
    uint16_t block_option;
    uint32_t block_num;
    uint32_t block_id;
} ol_message;

/* The per-frame cache: one slot per CoAP protocol item in the frame. */
typedef struct ol_frame {
    unsigned message_count;
    ol_message **messages; /* NULL where the CoAP message had no OSCORE */
} ol_frame;

/* ---- fields.c: ids and preferences ---- */
extern int proto_oscore_layers;
extern int ol_tap;

extern int hf_ol_info, hf_ol_count, hf_ol_removed, hf_ol_leg, hf_ol_exchange,
    hf_ol_request_frame, hf_ol_retransmission_of, hf_ol_layer,
    hf_ol_layer_index, hf_ol_layer_context, hf_ol_layer_kid,
    hf_ol_layer_kid_context, hf_ol_layer_piv, hf_ol_layer_flags,
    hf_ol_layer_option, hf_ol_layer_request_kid, hf_ol_layer_request_piv,
    hf_ol_layer_alg, hf_ol_layer_alg_name, hf_ol_layer_status, hf_ol_layer_code,
    hf_ol_layer_plaintext, hf_ol_layer_nonce, hf_ol_layer_aad,
    hf_ol_layer_ciphertext, hf_ol_layer_producer_id, hf_ol_layer_candidates,
    hf_ol_layer_uri, hf_ol_layer_seen_frame, hf_ol_layer_seen_leg,
    hf_ol_layer_proxy_time, hf_ol_layer_replay_of, hf_ol_layer_sender_key,
    hf_ol_layer_recipient_key, hf_ol_layer_common_iv, hf_ol_inner_code,
    hf_ol_inner_payload, hf_ol_inner_uri, hf_ol_opt_other,
    hf_ol_opt_other_number, hf_ol_layer_mode, hf_ol_layer_signature,
    hf_ol_layer_signature_status;

extern int ett_ol, ett_ol_layer, ett_ol_options;

extern expert_field ei_ol_no_context, ei_ol_auth_failed, ei_ol_no_request,
    ei_ol_replay, ei_ol_retransmission, ei_ol_count_mismatch, ei_ol_wrong_layer,
    ei_ol_ignored_outer, ei_ol_depth_limit, ei_ol_malformed,
    ei_ol_stale_notification, ei_ol_group_unsupported, ei_ol_correlated,
    ei_ol_readable_e2e, ei_ol_signature_invalid, ei_ol_no_private_key,
    ei_ol_unknown_member, ei_ol_internal_error, ei_ol_candidates_untried,
    ei_ol_truncated;

typedef struct ol_prefs {
    ol_pref_bool disable_builtin;
    ol_pref_bool show_derived_keys;
    guint max_layers;
    guint replay_window;
    const char *keys_file;
} ol_prefs;
extern ol_prefs ol_pref;

void ol_register_fields(void);
/* Switches the built-in OSCORE dissector off (or back on) as the
 * disable_builtin preference says. Called at hand-off, so the default
 * holds without any preference being set, and whenever preferences
 * change. */
void ol_apply_builtin_switch(void);
/* Header field for a CoAP option number, or -1 (use the generic one). */
int ol_option_hf(uint16_t number);

/* ---- keys.c ---- */
void ol_keys_register(module_t *module);
/* The current context set, rebuilt when its inputs changed (called at
 * the start of every dissection pass, never in the middle of one, so
 * cached results never point into a freed set). */
const osc_context_set *ol_keys_refresh(void);
const osc_context_set *ol_keys_current(void);
void ol_keys_cleanup(void);
/* A name cell of a table: present, UTF-8 text without control
 * characters (it reaches the tree and columns); else false with
 * "COLUMN: why" in *error (g_free). */
bool ol_uat_name_ok(const char *column, const char *name, char **error);
/* The row number a table's dialog shows for its index-th row the
 * dissector sees (rows that failed their edit-time check may be shown
 * but not given to the dissector). */
struct epan_uat;
guint ol_uat_shown_row(const struct epan_uat *uat, guint index);
/* At set-building time, the name cell of a table's index-th row: true
 * when ol_uat_name_ok accepts it, else a warning "TABLE row N: why" and
 * false. Checked again there because a row whose edit-time check failed
 * can still reach the dissector (Wireshark 4.0 keeps such rows of a
 * table file), and names reach the tree and columns. */
bool ol_uat_row_name_usable(const struct epan_uat *uat, guint index,
                            const char *column, const char *name);
/* Feeds strings into a fingerprint, NULL told from "" and each kept
 * apart. */
void ol_fingerprint_strings(GChecksum *sum, const char *const *s, size_t n);

/* ---- group_keys.c ---- */
/* The tables "OSCORE layers groups" and "OSCORE layers group members". */
void ol_group_keys_register(module_t *module);
/* Feeds every cell of both tables into sum (ol_keys_refresh's
 * fingerprint: a change of a cell re-dissects). */
void ol_group_keys_fingerprint(GChecksum *sum);
/* Adds the groups of the tables to set, reporting each bad row once
 * (the set is rebuilt only when the fingerprint changes). */
void ol_group_keys_add(osc_context_set *set);

/* ---- tracking.c ---- */
void ol_tracking_init(void);
/* Forgets everything kept for the file (cleanup routine: the file is
 * closed, or about to be dissected again). */
void ol_tracking_cleanup(void);
/* The allocator of everything kept for the file (the per-frame cache and
 * the tracking state), emptied by ol_tracking_cleanup. */
wmem_allocator_t *ol_file_pool(void);
/* The leg of this frame, "src > dst" (with reverse "dst > src"),
 * interned: equal legs are the same pointer, valid for the file. A leg
 * not seen before is NULL unless create is set. */
const char *ol_leg_string(packet_info *pinfo, bool reverse, bool create);
/* True when the frame goes to a multicast address (IPv4 224/4, IPv6
 * ff00::/8): a group request, which any member may answer. */
bool ol_dst_is_multicast(const packet_info *pinfo);
/* "addr:port > *" for the requester of this frame (its source, or with
 * reverse its destination): the leg key of requests sent to a group,
 * under which responses from every member find them. */
const char *ol_any_responder_leg(packet_info *pinfo, bool reverse, bool create);

typedef struct ol_request_rec {
    uint32_t frame;
    unsigned count;
    unsigned bound; /* entries of bindings (layers decrypted) */
    osc_request_binding *bindings;
    /* Response freshness per bound layer (RFC 8613 7.4.1): most requests
     * get one response without a Partial IV, recorded as a bit of
     * first_without_piv; the engine's states (one per bound layer) are
     * made when one gets more (Observe, several group members, a replay).
     * A group request's second record shares the first one's
     * (state_owner). */
    uint64_t first_without_piv;
    osc_notification_state *notifications; /* NULL until needed */
    struct ol_request_rec *state_owner;    /* this record, or the first */
    struct ol_request_rec *older; /* earlier request with the same key */
    uint32_t same_key_count;      /* this one and all the older ones */
    uint32_t exchange;            /* ol_message.exchange of the request */
} ol_request_rec;

void ol_track_request(const char *leg, const uint8_t *token, size_t token_len,
                      ol_request_rec *rec);
/* Newest request with this key (reverse leg of the response); NULL for
 * a NULL leg. */
ol_request_rec *ol_find_requests(const char *leg, const uint8_t *token,
                                 size_t token_len);
/* 0, or the frame this UDP message repeats byte for byte (same MID,
 * within EXCHANGE_LIFETIME of it). */
uint32_t ol_track_retransmission(const char *leg, uint16_t mid,
                                 const uint8_t *bytes, size_t len,
                                 uint32_t frame, const nstime_t *ts);
/* Replay check and update for a request layer, per sender (context and
 * producing party, or group and member) and leg; returns the earlier frame
 * with the same sequence number (or this frame when only the window says
 * it is too old), 0 when fresh. */
uint32_t ol_track_replay(const ol_layer *l, const char *leg, uint64_t sequence,
                         uint32_t frame);
/* Records a sighting of a layer's identity (direction, sender, request
 * kid and Partial IV, a response's own Partial IV) and fills the latest
 * earlier sighting on another leg into layer->seen_*. */
void ol_track_correlation(ol_layer *layer, bool is_request,
                          const uint8_t *response_piv, size_t response_piv_len,
                          const char *leg, packet_info *pinfo);
/* End-to-end exchanges (the oscore_layers.exchange field, the chains
 * tap): a number per request identity (layer's sender, kid, Partial IV)
 * across legs, so that every hop's copy of a request layer (and the
 * responses bound to them) get the same one; given out in capture order
 * on the first pass. ol_new_exchange is a number for a message no layer
 * identifies (no context for its outermost layer, no request). */
uint32_t ol_track_exchange(const ol_layer *layer, const nstime_t *ts);
uint32_t ol_new_exchange(void);

/* FNV-1a, 64 bits (a later pass recognises a message by it). */
uint64_t ol_hash64(const uint8_t *bytes, size_t len);

/* ---- layer_tree.c ---- */
/* "/a/b?x&y" from the Uri-Path and Uri-Query options of m, allocated in
 * scope, or NULL when m has neither. */
char *ol_request_uri(const osc_coap_message *m, wmem_allocator_t *scope);
/* The name of the context (or group) a layer was removed with, or NULL. */
const char *ol_layer_context_name(const osc_context_set *set,
                                  const ol_layer *l);
/* The name shown for a layer in the Info column and its tree item: its
 * context's, except for an AEAD failure (which of the tried contexts it
 * was is unknown), or NULL. */
const char *ol_layer_shown_name(const osc_context_set *set, const ol_layer *l);
/* Draws msg over its CoAP message; returns the message's subtree. */
proto_tree *ol_draw_message(tvbuff_t *coap_tvb, int coap_offset,
                            int coap_length, packet_info *pinfo,
                            proto_tree *tree, const ol_message *msg);

/* ---- media.c ---- */
void ol_media_init(void);
/* Media type of a CoAP Content-Format number, or NULL. */
const char *ol_media_type(uint32_t content_format);
void ol_media_dissect(tvbuff_t *payload, packet_info *pinfo, proto_tree *tree,
                      uint32_t content_format);

/* ---- dissector.c ---- */
void ol_dissector_register(void);
/* Appends "c-p > c-s": the context of each layer of m, outermost first,
 * "?" where none decrypted it. */
void ol_append_layer_stack(GString *s, const osc_context_set *set,
                           const ol_message *m);
/* Appends a response code as "2.05 Content" ("2.05" when unnamed). */
void ol_append_response_code(GString *s, uint8_t code);
/* Appends what the innermost message of a fully peeled m is: the method
 * and path of a request ("GET /alarm_status"), the code of a response. */
void ol_append_innermost(GString *s, const ol_message *m);
/* The first layer of m not cleanly removed (a replay is decrypted, and
 * still a failure) and its 1-based *index, or NULL. */
const ol_layer *ol_first_failed_layer(const ol_message *m, unsigned *index);
void ol_dissector_handoff(void);

/* ---- stats.c ---- */
void ol_stats_register(void);

/* ---- export.c ---- */
void ol_export_register(void);
/* True when an Export PDU listener wants the decrypted messages. */
bool ol_export_wanted(void);
/* Queues msg (every layer removed; NULL when not all could be) for the
 * "OSCORE decrypted CoAP" export, as a CoAP message in the framing of
 * the captured one, with the frame's addresses and ports. */
void ol_export_message(packet_info *pinfo, tvbuff_t *parent,
                       const osc_coap_message *msg);

/* ---- flow.c ---- */
void ol_flow_register(void);
void ol_flow_handoff(void);

/* ---- chains.c ---- */
void ol_chains_register(void);

/* ---- outer_block.c ---- */
extern expert_field ei_ol_fragment, ei_ol_block_request;
void ol_outer_block_register(void);
/* The message's role in an outer Block-wise transfer (no layer removed
 * yet: outer is the message on the wire), with its block and option. */
ol_block_role ol_outer_block_role(const osc_coap_message *outer,
                                  bool is_request, osc_block *block,
                                  uint16_t *option);
/* Reassembly ids: a Block1 request's from its OSCORE option and
 * Request-Tag, a Block2 response's from the request it answers. */
uint32_t ol_outer_block1_id(const osc_coap_message *outer);
uint32_t ol_outer_block2_id(uint32_t request_frame);
/* Adds the block (outer parsed from bytes, the CoAP item fi) to its
 * transfer on the first pass; on later passes finds the transfer again.
 * Returns the reassembly head, NULL while incomplete on the first pass. */
fragment_head *ol_outer_block_add(packet_info *pinfo, const field_info *fi,
                                  const uint8_t *bytes,
                                  const osc_coap_message *outer,
                                  const osc_block *block, uint32_t id);
/* On the frame that completed the transfer of head: the whole message
 * (RFC 8613 4.1.3.4.2: last_block's header and options without those of
 * the transfer, the reassembled payload) serialized in packet scope. */
bool ol_outer_block_whole(packet_info *pinfo, const fragment_head *head,
                          const osc_coap_message *last_block,
                          osc_coap_framing framing, const uint8_t **bytes,
                          size_t *len);
/* The block's fields, and the fragment tree (the frame that completed the
 * transfer, whole = the reassembled message) or the "Reassembled in"
 * link (the other blocks, once the transfer is complete). */
void ol_outer_block_draw(packet_info *pinfo, proto_tree *tree,
                         const ol_message *m, const fragment_head *head,
                         tvbuff_t *whole);

#endif
