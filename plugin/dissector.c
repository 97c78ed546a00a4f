/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The entry point: a postdissector. It runs after every other dissector,
 * so it works for CoAP on any transport the built-in CoAP dissector
 * handles (UDP on any port, DTLS, TCP, TLS, WebSockets): it finds the
 * CoAP protocol items of the frame and re-parses their raw bytes with the
 * engine's codec.
 *
 * On the first pass (frames in capture order) each message is peeled
 * layer by layer with the engine and the outcome is cached in file scope
 * with p_add_proto_data; every later pass (tshark -2, GUI clicks in any
 * order) draws the cached result, so all views agree. The cache keeps no
 * AAD or plaintext: a later pass that draws a frame decrypts its layers
 * again with the request layer stack the first pass chose.
 */
#include "oscore_layers.h"

#include <epan/proto_data.h>
#include <epan/tap.h>
#include <string.h>

#include "oscore/option_value.h"
#include "oscore/options.h"
#include "oscore/placement.h"

static dissector_handle_t ol_handle;
static int proto_coap = -1;
static int proto_tcp = -1;
static int proto_websocket = -1;
static int proto_data = -1;

/* The buffers a layer's bytes may live in: the wire message and the
 * plaintext of every layer removed so far. */
typedef struct buffers {
    const uint8_t *ptr[1 + 64];
    size_t len[1 + 64];
    size_t count;
} buffers;

static ol_span locate(const buffers *b, const uint8_t *p, size_t len)
{
    ol_span s = {OL_SRC_NONE, 0, 0};
    if (p == NULL) {
        return s;
    }
    for (size_t i = 0; i < b->count; i++) {
        if (b->ptr[i] != NULL && p >= b->ptr[i] &&
            p + len <= b->ptr[i] + b->len[i]) {
            s.src = (int)i - 1; /* 0 -> OL_SRC_WIRE (-1) */
            s.offset = (unsigned)(p - b->ptr[i]);
            s.length = (unsigned)len;
            return s;
        }
    }
    return s;
}

static ol_status map_status(osc_status st)
{
    switch (st) {
    case OSC_OK:
        return OL_ST_DECRYPTED;
    case OSC_ERR_NO_CONTEXT:
    case OSC_ERR_UNKNOWN_MEMBER:
    case OSC_ERR_GROUP_UNSUPPORTED:
    case OSC_ERR_NO_PRIVATE_KEY:
        return OL_ST_NO_CONTEXT;
    case OSC_ERR_NO_REQUEST_BINDING:
        return OL_ST_NO_REQUEST;
    case OSC_ERR_AUTH_FAILED:
    case OSC_ERR_SIGNATURE_INVALID:
        return OL_ST_AUTH_FAILED;
    case OSC_ERR_DEPTH_LIMIT:
        return OL_ST_DEPTH_LIMIT;
    case OSC_ERR_REPLAY:
        return OL_ST_REPLAY;
    case OSC_ERR_BUFFER_TOO_SMALL:
    case OSC_ERR_INVALID_ARGUMENT:
    case OSC_ERR_OUT_OF_MEMORY:
    case OSC_ERR_CRYPTO_BACKEND:
        /* The decryptor's own failure: the bytes may be fine. */
        return OL_ST_INTERNAL_ERROR;
    default:
        /* Every other engine error is about the message's bytes; a value
         * the engine did not define is this plugin's problem. */
        return (unsigned)st < OSC_STATUS_COUNT ? OL_ST_MALFORMED
                                               : OL_ST_INTERNAL_ERROR;
    }
}

static void flag(uint16_t *list, uint8_t *count, uint16_t number)
{
    for (size_t i = 0; i < *count; i++) {
        if (list[i] == number) {
            return;
        }
    }
    if (*count < OL_MAX_FLAGGED) {
        list[(*count)++] = number;
    }
}

/* The layers' misplaced options (draft-ietf-core-oscore-capable-proxies
 * 2.2), by the engine's rules (placement.h), into each layer's lists. */
static void copy_flags(uint16_t *list, uint8_t *count, const uint16_t *from,
                       size_t from_count)
{
    *count =
        (uint8_t)(from_count < OL_MAX_FLAGGED ? from_count : OL_MAX_FLAGGED);
    memcpy(list, from, *count * sizeof *list);
}

static void check_wrong_layers(ol_layer *layers, size_t removed,
                               const osc_coap_message *wire,
                               const osc_layer_result *const *results,
                               bool fully_peeled, wmem_allocator_t *pool)
{
    if (removed == 0) {
        return;
    }
    osc_layer_placement *found =
        wmem_alloc_array(pool, osc_layer_placement, removed);
    osc_check_placement(wire, results, removed, fully_peeled,
                        layers[0].seen_frame == 0, found);
    for (size_t k = 0; k < removed; k++) {
        ol_layer *l = &layers[k];
        copy_flags(l->flagged->wrong_outside, &l->wrong_outside_count,
                   found[k].outside, found[k].outside_count);
        copy_flags(l->flagged->wrong_inside, &l->wrong_inside_count,
                   found[k].inside, found[k].inside_count);
        copy_flags(l->flagged->readable_e2e, &l->readable_e2e_count,
                   found[k].readable_e2e, found[k].readable_e2e_count);
    }
}

void ol_append_layer_stack(GString *s, const osc_context_set *set,
                           const ol_message *m)
{
    for (unsigned i = 0; i < m->count; i++) {
        const ol_layer *l = &m->layers[i];
        if (i > 0) {
            g_string_append(s, " > ");
        }
        const char *name = ol_layer_shown_name(set, l);
        g_string_append(s, name ? name : "?");
    }
}

void ol_append_response_code(GString *s, uint8_t code)
{
    char text[5];
    osc_coap_code_format(code, text);
    const char *name = osc_coap_code_name(code);
    g_string_append_printf(s, "%s%s%s", text, name ? " " : "",
                           name ? name : "");
}

void ol_append_innermost(GString *s, const ol_message *m)
{
    if (!m->is_request) {
        ol_append_response_code(s, m->inner_code);
        return;
    }
    char code[5];
    osc_coap_code_format(m->inner_code, code);
    const char *name = osc_coap_code_name(m->inner_code);
    g_string_append(s, name ? name : code);
    if (m->inner_uri != NULL) {
        g_string_append_printf(s, " %s", m->inner_uri);
    }
}

const ol_layer *ol_first_failed_layer(const ol_message *m, unsigned *index)
{
    for (unsigned i = 0; i < m->count; i++) {
        if (m->layers[i].status != OL_ST_DECRYPTED) {
            *index = i + 1;
            return &m->layers[i];
        }
    }
    return NULL;
}

static char *info_text(const ol_message *m, const osc_context_set *set,
                       wmem_allocator_t *scope)
{
    GString *s = g_string_new(NULL);
    g_string_append_printf(s, "OSCORE x%u [", m->count);
    ol_append_layer_stack(s, set, m);
    g_string_append(s, "]");
    if (m->fully_peeled) {
        g_string_append(s, " ");
        ol_append_innermost(s, m);
    } else {
        const ol_layer *l = &m->layers[m->count - 1];
        g_string_append_printf(s, " (layer %u %s)", m->count,
                               ol_status_string(l->status));
    }
    char *out = wmem_strdup(scope, s->str);
    g_string_free(s, TRUE);
    return out;
}

/* Fills one ol_layer from the engine's result. */
static void record_layer(ol_layer *l, const osc_layer_result *res,
                         osc_status st, const osc_coap_message *cur,
                         const osc_context_set *set, const buffers *bufs)
{
    memset(l, 0, sizeof *l);
    l->engine_status = st;
    l->status = map_status(st);
    l->ctx_index = -1;
    l->group_index = -1;
    l->option.src = OL_SRC_NONE;
    l->ciphertext.src = OL_SRC_NONE;
    const osc_coap_option *o = osc_coap_find_option(cur, OSC_OPT_OSCORE);
    if (o != NULL) {
        l->option = locate(bufs, o->value, o->length);
        if (o->length == 0) {
            /* An empty value has no bytes to point at: anchor it. */
            l->option.src = OL_SRC_WIRE;
        }
    }
    if (st == OSC_ERR_DEPTH_LIMIT) {
        return;
    }
    if (res->ctx != NULL) {
        size_t idx = osc_context_set_index_of(set, res->ctx);
        l->ctx_index = idx == SIZE_MAX ? -1 : (int)idx;
    }
    if (res->group != NULL) {
        size_t idx = osc_context_set_group_index_of(set, res->group);
        l->group_index = idx == SIZE_MAX ? -1 : (int)idx;
        l->group_mode = res->group_mode;
        l->sender_member = (uint32_t)res->sender_member;
        l->signature_status = res->signature_status;
        l->signature_short_form = res->signature_short_form;
        if (res->signature != NULL) {
            l->signature = res->signature; /* packet scope until persisted */
            l->signature_len = (uint32_t)res->signature_len;
        }
    }
    l->producer = res->producer;
    l->candidates_tried = (uint32_t)res->candidates_tried;
    l->candidates_matched = (uint32_t)res->candidates_matched;
    l->candidates_truncated = res->candidates_truncated;
    if (st == OSC_ERR_AUTH_FAILED && res->candidates_truncated) {
        /* The right context may be one the engine did not try: no
         * context found, not a failed check. */
        l->status = OL_ST_NO_CONTEXT;
        l->ctx_index = -1;
    }
    if (res->ctx != NULL || res->group != NULL) {
        l->has_request = true;
        memcpy(l->request_kid, res->request_kid, res->request_kid_len);
        l->request_kid_len = (uint8_t)res->request_kid_len;
        memcpy(l->request_piv, res->request_piv, res->request_piv_len);
        l->request_piv_len = (uint8_t)res->request_piv_len;
    }
    memcpy(l->nonce, res->nonce, res->nonce_len);
    l->nonce_len = (uint8_t)res->nonce_len;
    if (res->aad != NULL && res->aad_len > 0) {
        l->aad = res->aad; /* packet scope until persisted */
        l->aad_len = (uint32_t)res->aad_len;
    }
    l->ciphertext = locate(bufs, res->ciphertext, res->ciphertext_len);
    if (st == OSC_OK && res->plaintext != NULL) {
        l->plaintext = res->plaintext; /* packet scope until persisted */
        l->plaintext_len = (uint32_t)res->plaintext_len;
    }
}

/* The outer Class E options the engine ignored for layer l. Only those in
 * clear on the wire matter: between two layers they are the
 * intermediary's own (reverse-proxy routing segments such as "dev1" in
 * draft-ietf-core-oscore-capable-proxies appendix B.8). */
static void flag_ignored_outer(ol_layer *l, const osc_layer_result *res)
{
    for (size_t i = 0; i < res->ignored_outer_count; i++) {
        flag(l->flagged->ignored_outer, &l->ignored_outer_count,
             res->ignored_outer[i]);
    }
}

/* Removes the next layer into a fresh result with a work buffer from
 * the packet pool. */
static osc_layer_result *peel_next(osc_peel *peel, wmem_allocator_t *pool)
{
    /* Not zeroed here: osc_peel_next fills all of it, and at 4.8 KB a
     * layer the second memset was a visible part of the run. */
    osc_layer_result *res = wmem_new(pool, osc_layer_result);
    size_t cap = osc_peel_work_size(peel);
    osc_peel_next(peel, wmem_alloc(pool, cap), cap, res);
    return res;
}

/*
 * Removes the first layer of a response: the request is the latest
 * earlier request on the reverse leg with the same token, or an older one
 * with that token if only it authenticates (token reuse, Observe
 * notifications after a deregistration was sent). *peel continues with
 * the chosen request's layer stack; *chosen is that request (the newest
 * when none authenticates).
 */
static osc_layer_result *
peel_first_response_layer(osc_peel *peel, const osc_coap_message *outer,
                          const osc_context_set *set, ol_request_rec **chosen,
                          ol_request_rec *newest, wmem_allocator_t *pool,
                          bool *older_untried)
{
    osc_peel first = *peel;
    osc_layer_result *first_res = NULL;
    unsigned tried = 0;
    for (ol_request_rec *rec = newest;
         rec != NULL && tried < OL_MAX_RESPONSE_CANDIDATES;
         rec = rec->older, tried++) {
        osc_peel trial;
        osc_peel_init(&trial, outer, set, rec->bindings, rec->bound,
                      ol_pref.max_layers);
        osc_layer_result *res = peel_next(&trial, pool);
        if (trial.status == OSC_OK) {
            *peel = trial;
            *chosen = rec;
            return res;
        }
        if (first_res == NULL) {
            first = trial;
            first_res = res;
        }
    }
    /* Requests older than the candidates tried were not: the request of
     * this response may be one of them (thousands of requests sharing a
     * token), which is not an authentication failure. */
    *older_untried = first_res != NULL && tried == OL_MAX_RESPONSE_CANDIDATES &&
                     newest->same_key_count > OL_MAX_RESPONSE_CANDIDATES;
    *peel = first;
    *chosen = newest;
    return first_res;
}

/* The engine's verdict on a response layer to the request layer
 * rec->bindings[depth] (osc_notification_accept), with the states made
 * only for requests that get more than one response without a Partial IV:
 * a fresh state for the first such response, and, when more come, states
 * brought to the same point by giving the engine that first one again. */
static osc_notification_verdict accept_response(ol_request_rec *rec,
                                                size_t depth, bool has_piv,
                                                uint64_t sequence)
{
    rec = rec->state_owner;
    uint64_t bit = UINT64_C(1) << depth; /* depth < bound <= 64 */
    if (rec->notifications == NULL && !has_piv &&
        (rec->first_without_piv & bit) == 0) {
        osc_notification_state fresh;
        osc_notification_init(&fresh);
        rec->first_without_piv |= bit;
        return osc_notification_accept(&fresh, false, 0);
    }
    if (rec->notifications == NULL) {
        rec->notifications = wmem_alloc_array(
            ol_file_pool(), osc_notification_state, rec->bound);
        for (unsigned i = 0; i < rec->bound; i++) {
            osc_notification_init(&rec->notifications[i]);
            if (rec->first_without_piv & (UINT64_C(1) << i)) {
                osc_notification_accept(&rec->notifications[i], false, 0);
            }
        }
    }
    return osc_notification_accept(&rec->notifications[depth], has_piv,
                                   sequence);
}

/* Replay and correlation tracking of a removed layer (first passes over
 * a message that is not a link-layer retransmission). */
static void track_layer(packet_info *pinfo, const ol_message *m, ol_layer *l,
                        const osc_layer_result *res, ol_request_rec *chosen,
                        size_t depth)
{
    uint64_t seq = osc_piv_to_sequence(res->option.piv, res->option.piv_len);
    if (m->is_request) {
        l->replay_of = ol_track_replay(l, m->leg, seq, pinfo->num);
        if (l->replay_of != 0) {
            l->status = OL_ST_REPLAY;
        }
    } else if (chosen != NULL && depth < chosen->bound) {
        osc_notification_verdict v =
            accept_response(chosen, depth, res->option.piv_len > 0, seq);
        if (v == OSC_NOTIFICATION_REPLAY) {
            l->status = OL_ST_REPLAY;
        } else if (v == OSC_NOTIFICATION_STALE) {
            l->stale_notification = true;
        }
    }
    ol_track_correlation(l, m->is_request, res->option.piv, res->option.piv_len,
                         m->leg, pinfo);
}

/* A response layer that failed for want of its request layer: more layers
 * than the request had on this leg, or the request layer itself was not
 * decrypted. */
static void note_request_match(ol_message *m, ol_layer *l,
                               const ol_request_rec *chosen, size_t depth,
                               osc_status st)
{
    m->request_frame = chosen->frame;
    m->request_layers = chosen->count;
    if (st != OSC_ERR_NO_REQUEST_BINDING) {
        return;
    }
    if (depth >= chosen->count) {
        m->count_mismatch = true;
    } else {
        l->status = OL_ST_NO_CONTEXT;
    }
}

/* What peeling one message produced, layer by layer. */
typedef struct peeled {
    ol_layer *layers;
    const osc_coap_message **msgs; /* msgs[k] has k layers removed */
    const osc_layer_result **results;
    ol_flagged *flags; /* one per layer */
    buffers bufs;
    ol_request_rec *chosen; /* responses: the request they answer */
} peeled;

/* Removes every layer of m's message with the engine's iterator, recording
 * and tracking each one. */
static void peel_layers(packet_info *pinfo, ol_message *m, peeled *p,
                        const osc_context_set *set, ol_request_rec *newest,
                        size_t max)
{
    bool repeat = m->retransmission_of != 0;
    osc_peel peel;
    osc_peel_init(&peel, p->msgs[0], set, NULL, 0, ol_pref.max_layers);
    size_t depth = 0;
    for (; depth < max; depth++) {
        if (!osc_peel_pending(&peel)) {
            m->fully_peeled = true;
            break;
        }
        const osc_coap_message *cur = peel.current;
        bool older_untried = false;
        osc_layer_result *res =
            !m->is_request && depth == 0 && newest != NULL
                ? peel_first_response_layer(&peel, cur, set, &p->chosen, newest,
                                            pinfo->pool, &older_untried)
                : peel_next(&peel, pinfo->pool);
        osc_status st = peel.status;
        p->results[depth] = res;
        ol_layer *l = &p->layers[depth];
        record_layer(l, res, st, cur, set, &p->bufs);
        l->flagged = &p->flags[depth];
        if (depth == 0) {
            flag_ignored_outer(l, res);
        }
        m->count++;
        if (!m->is_request && p->chosen != NULL) {
            note_request_match(m, l, p->chosen, depth, st);
        }
        if (older_untried && st == OSC_ERR_AUTH_FAILED) {
            /* Not bound to any request: none of those tried is its own. */
            l->status = OL_ST_NO_REQUEST;
            m->requests_sharing_token = newest->same_key_count;
            m->request_frame = 0;
        }
        if (st != OSC_OK) {
            break;
        }
        m->removed++;
        p->bufs.ptr[p->bufs.count] = res->plaintext;
        p->bufs.len[p->bufs.count] = res->plaintext_len;
        p->bufs.count++;
        p->msgs[depth + 1] = peel.current;
        if (!repeat) {
            track_layer(pinfo, m, l, res, p->chosen, depth);
        }
    }
    if (depth == max && osc_peel_pending(&peel)) {
        m->fully_peeled = false;
    }
}

/* The innermost message of a fully peeled one: code, payload, content
 * format and (requests) URI. */
static void describe_innermost(ol_message *m, const peeled *p,
                               wmem_allocator_t *pool)
{
    m->inner_payload.src = OL_SRC_NONE;
    if (!m->fully_peeled || m->removed == 0) {
        return;
    }
    const osc_coap_message *in = p->msgs[m->removed];
    m->inner_code = in->code;
    if (in->payload_length > 0) {
        m->inner_payload = locate(&p->bufs, in->payload, in->payload_length);
    }
    const osc_coap_option *cf =
        osc_coap_find_option(in, OSC_OPT_CONTENT_FORMAT);
    if (cf != NULL && osc_coap_uint_value(cf, &m->content_format) == OSC_OK) {
        m->has_content_format = true;
    }
    if (m->is_request) {
        m->inner_uri = ol_request_uri(in, pool);
    }
}

_Static_assert(sizeof(ol_request_rec) % _Alignof(osc_request_binding) == 0,
               "the bindings after a request record are aligned");

/* The end-to-end exchange of a message: a request's innermost layer with
 * a context names it on every leg (the proxies forward that layer as it
 * is); a response belongs to the request it is bound to. */
static uint32_t exchange_of(packet_info *pinfo, const ol_message *m,
                            const ol_request_rec *chosen)
{
    if (!m->is_request) {
        return chosen != NULL && m->request_frame != 0 ? chosen->exchange
                                                       : ol_new_exchange();
    }
    for (unsigned i = m->count; i-- > 0;) {
        if (m->layers[i].has_request) {
            return ol_track_exchange(&m->layers[i], &pinfo->abs_ts);
        }
    }
    return ol_new_exchange();
}

/* Requests: remember the layer stack for the responses on this leg. */
static void remember_request(packet_info *pinfo, const ol_message *m,
                             const peeled *p, const osc_coap_message *outer)
{
    /* One allocation: the record, then a binding per removed layer. */
    size_t n = m->removed;
    ol_request_rec *rec =
        wmem_alloc(ol_file_pool(),
                   sizeof(ol_request_rec) + n * sizeof(osc_request_binding));
    *rec = (ol_request_rec){.frame = pinfo->num,
                            .count = m->count,
                            .bound = m->removed,
                            .exchange = m->exchange};
    rec->state_owner = rec;
    rec->bindings = n > 0 ? (osc_request_binding *)(rec + 1) : NULL;
    for (size_t i = 0; i < n; i++) {
        rec->bindings[i] = p->results[i]->binding;
    }
    ol_track_request(m->leg, osc_coap_token(outer), outer->token_length, rec);
    if (ol_dst_is_multicast(pinfo)) {
        /* Responses come from each member's own address: keep the
         * request under the requester alone too (its own chain of older
         * requests, hence a copy). */
        ol_request_rec *group_rec =
            wmem_memdup(ol_file_pool(), rec, sizeof *rec);
        ol_track_request(ol_any_responder_leg(pinfo, false, true),
                         osc_coap_token(outer), outer->token_length, group_rec);
    }
}

/* The requests a response may answer, newest first: on the reverse leg,
 * else (a response from one member to a request sent to a group) from
 * any responder. */
static ol_request_rec *candidate_requests(packet_info *pinfo,
                                          const osc_coap_message *outer)
{
    ol_request_rec *newest =
        ol_find_requests(ol_leg_string(pinfo, true, false),
                         osc_coap_token(outer), outer->token_length);
    if (newest == NULL) {
        newest = ol_find_requests(ol_any_responder_leg(pinfo, true, false),
                                  osc_coap_token(outer), outer->token_length);
    }
    return newest;
}

/* Bump allocation inside one block sized beforehand. */
typedef struct carver {
    uint8_t *next;
} carver;

#define ALIGN_UP(n) (((n) + 7u) & ~(size_t)7u)

static void *carve(carver *c, const void *from, size_t len)
{
    void *to = c->next;
    memcpy(to, from, len);
    c->next += ALIGN_UP(len);
    return to;
}

static bool has_flags(const ol_layer *l)
{
    return l->ignored_outer_count + l->wrong_outside_count +
               l->wrong_inside_count + l->readable_e2e_count >
           0;
}

/* Copies a message peeled in packet scope, its layers, their
 * countersignatures and its strings into one file-scope block: the cache
 * of a frame costs one allocation per message, whatever its layers. AAD
 * and plaintexts are left out: on 3-layer traffic they were a quarter of
 * the cache, and a later pass that draws the frame decrypts again
 * (peel_again). */
static ol_message *persist_message(const ol_message *m)
{
    size_t info_len = strlen(m->info) + 1;
    size_t uri_len = m->inner_uri != NULL ? strlen(m->inner_uri) + 1 : 0;
    size_t total = ALIGN_UP(sizeof *m) + ALIGN_UP(m->count * sizeof(ol_layer)) +
                   ALIGN_UP(info_len) + ALIGN_UP(uri_len);
    for (unsigned i = 0; i < m->count; i++) {
        total += ALIGN_UP(m->layers[i].signature_len);
        total += has_flags(&m->layers[i]) ? ALIGN_UP(sizeof(ol_flagged)) : 0;
    }
    carver c = {wmem_alloc(ol_file_pool(), total)};
    ol_message *out = carve(&c, m, sizeof *m);
    out->layers = carve(&c, m->layers, m->count * sizeof(ol_layer));
    out->info = carve(&c, m->info, info_len);
    out->inner_uri = uri_len > 0 ? carve(&c, m->inner_uri, uri_len) : NULL;
    for (unsigned i = 0; i < m->count; i++) {
        ol_layer *l = &out->layers[i];
        l->aad = NULL;
        l->plaintext = NULL;
        l->flagged =
            has_flags(l) ? carve(&c, l->flagged, sizeof(ol_flagged)) : NULL;
        l->signature = l->signature != NULL
                           ? carve(&c, l->signature, l->signature_len)
                           : NULL;
    }
    return out;
}

/* A layer that failed on a message the capture cut short failed for want
 * of bytes, not of a key: its status says so (RFC 8613 8.2 step 6 can
 * only fail on an incomplete ciphertext). */
static void mark_truncated(ol_message *m)
{
    if (m->missing_bytes == 0 || m->count == 0) {
        return;
    }
    ol_layer *l = &m->layers[m->count - 1];
    if (l->status == OL_ST_AUTH_FAILED || l->status == OL_ST_MALFORMED) {
        l->status = OL_ST_TRUNCATED;
    }
}

/* Peels the message outer, parsed from bytes (the CoAP message on the
 * wire, or the whole message of an outer Block-wise transfer). */
static ol_message *peel_message(packet_info *pinfo,
                                const osc_coap_message *outer,
                                const uint8_t *bytes, size_t len,
                                osc_coap_framing framing,
                                uint32_t missing_bytes)
{
    wmem_allocator_t *pool = pinfo->pool;
    const osc_context_set *set = ol_keys_current();
    ol_message *m = wmem_new0(pool, ol_message);
    m->missing_bytes = missing_bytes;
    m->is_request = osc_message_is_request(outer);
    m->leg = ol_leg_string(pinfo, false, true);
    if (framing == OSC_COAP_FRAMING_UDP) {
        m->retransmission_of = ol_track_retransmission(
            m->leg, outer->message_id, bytes, len, pinfo->num, &pinfo->abs_ts);
    }
    ol_request_rec *newest = NULL;
    if (!m->is_request) {
        newest = candidate_requests(pinfo, outer);
        m->no_request = newest == NULL;
    }

    /* Generous bound; the layer cap preference stops far earlier. */
    size_t max = ol_pref.max_layers + 1;
    if (max > 64) {
        max = 64;
    }
    peeled p = {.bufs = {.count = 1}};
    /* Peeled into packet scope with room for the cap; only the layers
     * found are kept (most messages have one to three of up to 17). */
    p.layers = wmem_alloc_array(pool, ol_layer, max);
    p.msgs = wmem_alloc0_array(pool, const osc_coap_message *, max + 1);
    p.results = wmem_alloc0_array(pool, const osc_layer_result *, max);
    p.flags = wmem_alloc_array(pool, ol_flagged, max);
    p.bufs.ptr[0] = bytes;
    p.bufs.len[0] = len;
    p.msgs[0] = outer;
    peel_layers(pinfo, m, &p, set, newest, max);

    if (!m->is_request && p.chosen != NULL && m->fully_peeled &&
        m->removed != p.chosen->count) {
        m->count_mismatch = true;
    }
    if (m->is_request) {
        check_wrong_layers(p.layers, m->removed, outer, p.results,
                           m->fully_peeled, pool);
    }
    m->layers = p.layers;
    m->chosen = p.chosen;
    mark_truncated(m);
    m->exchange = exchange_of(pinfo, m, p.chosen);
    describe_innermost(m, &p, pool);
    if (m->is_request && m->retransmission_of == 0) {
        remember_request(pinfo, m, &p, outer);
    }
    m->info = info_text(m, set, pool);
    return m;
}

static osc_coap_framing framing_of(packet_info *pinfo)
{
    bool tcp = false;
    for (wmem_list_frame_t *f = wmem_list_head(pinfo->layers); f != NULL;
         f = wmem_list_frame_next(f)) {
        int id = GPOINTER_TO_INT(wmem_list_frame_data(f));
        if (id == proto_websocket) {
            return OSC_COAP_FRAMING_WEBSOCKET;
        }
        if (id == proto_tcp) {
            tcp = true;
        }
    }
    return tcp ? OSC_COAP_FRAMING_TCP : OSC_COAP_FRAMING_UDP;
}

/* How many bytes of the CoAP message of item fi the capture lacks: those
 * reported but not captured after it, when it ends where the captured
 * bytes end (a snap length cut it); 0 otherwise. */
static uint32_t missing_bytes(const field_info *fi)
{
    gint captured = tvb_captured_length_remaining(fi->ds_tvb, fi->start);
    gint reported = tvb_reported_length_remaining(fi->ds_tvb, fi->start);
    if (captured != fi->length || reported <= captured) {
        return 0;
    }
    return (uint32_t)(reported - captured);
}

/* The blocks of outer Block-wise transfers in the item being drawn: the
 * reassembly head (NULL while incomplete) and, on the frame that completed
 * the transfer, the whole message. */
typedef struct block_view {
    fragment_head *head;
    const uint8_t *whole;
    size_t whole_len;
} block_view;

/*
 * A message that is only part of an outer Block-wise transfer (a block, or
 * a request for the next Block2 block): one layer, whose OSCORE option is
 * shown but which is not removed here. A follow-up request leaves the
 * binding of the request it repeats alone (not remembered, RFC 7959 2.4).
 */
static ol_message *block_message(packet_info *pinfo,
                                 const osc_coap_message *outer,
                                 const uint8_t *bytes, size_t len,
                                 ol_block_role role)
{
    ol_message *m = wmem_new0(pinfo->pool, ol_message);
    m->is_request = osc_message_is_request(outer);
    m->leg = ol_leg_string(pinfo, false, true);
    m->count = 1;
    m->layers = wmem_new0(pinfo->pool, ol_layer);
    ol_layer *l = &m->layers[0];
    l->status =
        role == OL_BLOCK_FOLLOW_UP ? OL_ST_BLOCK_REQUEST : OL_ST_FRAGMENT;
    l->ctx_index = -1;
    l->group_index = -1;
    l->ciphertext.src = OL_SRC_NONE;
    buffers bufs = {.ptr = {bytes}, .len = {len}, .count = 1};
    const osc_coap_option *o = osc_coap_find_option(outer, OSC_OPT_OSCORE);
    l->option = locate(&bufs, o->value, o->length);
    if (o->length == 0) {
        l->option.src = OL_SRC_WIRE;
    }
    const ol_request_rec *rec =
        m->is_request
            ? ol_find_requests(ol_leg_string(pinfo, false, false),
                               osc_coap_token(outer), outer->token_length)
            : candidate_requests(pinfo, outer);
    if (rec != NULL && (!m->is_request || role == OL_BLOCK_FOLLOW_UP)) {
        m->request_frame = rec->frame;
        m->exchange = rec->exchange;
    }
    m->inner_payload.src = OL_SRC_NONE;
    return m;
}

/* Info column of a message that is only part of a transfer, e.g.
 * "OSCORE outer Block1 #0, more (fragment)". */
static char *block_info(const ol_message *m, wmem_allocator_t *scope)
{
    const char *name = m->block_option == OSC_OPT_BLOCK1 ? "Block1" : "Block2";
    if (m->block_role == OL_BLOCK_FOLLOW_UP) {
        return wmem_strdup_printf(scope, "OSCORE outer %s request for #%u",
                                  name, m->block_num);
    }
    return wmem_strdup_printf(scope, "OSCORE outer %s #%u, %s (fragment)", name,
                              m->block_num, m->block_more ? "more" : "last");
}

/* Peels the CoAP message of item fi, or (outer Block-wise) adds it to its
 * transfer, peeling the whole message on the frame that completes it. */
static ol_message *peel_item(packet_info *pinfo, const field_info *fi,
                             osc_coap_framing framing, block_view *view)
{
    const uint8_t *bytes = tvb_get_ptr(fi->ds_tvb, fi->start, fi->length);
    size_t len = (size_t)fi->length;
    osc_coap_message *outer = wmem_new0(pinfo->pool, osc_coap_message);
    if (osc_coap_parse(bytes, len, framing, outer) != OSC_OK ||
        !osc_coap_has_option(outer, OSC_OPT_OSCORE)) {
        return NULL; /* the CoAP dissector reports malformed messages */
    }
    bool is_request = osc_message_is_request(outer);
    osc_block block;
    uint16_t option;
    ol_block_role role =
        ol_outer_block_role(outer, is_request, &block, &option);
    if (role == OL_BLOCK_NONE) {
        return peel_message(pinfo, outer, bytes, len, framing,
                            missing_bytes(fi));
    }
    uint32_t id = 0;
    ol_message *m = NULL;
    if (role == OL_BLOCK_FRAGMENT) {
        const ol_request_rec *rec =
            is_request ? NULL : candidate_requests(pinfo, outer);
        id = is_request ? ol_outer_block1_id(outer)
                        : ol_outer_block2_id(rec != NULL ? rec->frame : 0);
        view->head = ol_outer_block_add(pinfo, fi, bytes, outer, &block, id);
        osc_coap_message *whole = wmem_new0(pinfo->pool, osc_coap_message);
        if (ol_outer_block_whole(pinfo, view->head, outer, framing,
                                 &view->whole, &view->whole_len) &&
            osc_coap_parse(view->whole, view->whole_len, framing, whole) ==
                OSC_OK) {
            role = OL_BLOCK_LAST;
            m = peel_message(pinfo, whole, view->whole, view->whole_len,
                             framing, 0);
        }
    }
    if (m == NULL) {
        m = block_message(pinfo, outer, bytes, len, role);
    }
    m->block_role = (uint8_t)role;
    m->block_option = option;
    m->block_num = block.num;
    m->block_more = block.more;
    m->block_id = id;
    if (role != OL_BLOCK_LAST) {
        m->info = block_info(m, pinfo->pool);
    } else {
        m->info = wmem_strdup_printf(
            pinfo->pool, "%s (outer %s, reassembled)", m->info,
            option == OSC_OPT_BLOCK1 ? "Block1" : "Block2");
    }
    return m;
}

/* The cached result of every frame whose CoAP messages carry no OSCORE
 * option: nothing to draw, nothing allocated in file scope for it. */
static ol_frame no_oscore_frame;

/* Peels every CoAP message of the frame; *messages gets the results in
 * packet scope (with their layers' AAD and plaintexts, for drawing now),
 * the returned frame their file-scope copies. */
static ol_frame *first_pass(packet_info *pinfo, GPtrArray *items,
                            ol_message ***peeled_now, block_view **views)
{
    ol_message **messages =
        wmem_alloc0_array(pinfo->pool, ol_message *, items->len);
    *peeled_now = messages;
    *views = wmem_alloc0_array(pinfo->pool, block_view, items->len);
    bool any = false;
    osc_coap_framing framing = framing_of(pinfo);
    for (guint i = 0; i < items->len; i++) {
        field_info *fi = g_ptr_array_index(items, i);
        if (fi->ds_tvb == NULL || fi->length <= 0 ||
            !tvb_bytes_exist(fi->ds_tvb, fi->start, fi->length)) {
            continue;
        }
        const uint8_t *bytes = tvb_get_ptr(fi->ds_tvb, fi->start, fi->length);
        ol_message *m = peel_item(pinfo, fi, framing, &(*views)[i]);
        if (m != NULL) {
            m->wire_len = (size_t)fi->length;
            m->wire_hash = ol_hash64(bytes, m->wire_len);
        }
        messages[i] = m;
        any = any || m != NULL;
    }
    if (!any) {
        return &no_oscore_frame;
    }
    /* One allocation: the frame and its message slots. */
    ol_frame *fr =
        wmem_alloc(ol_file_pool(), sizeof *fr + items->len * sizeof *messages);
    fr->message_count = items->len;
    fr->messages = (ol_message **)(fr + 1);
    for (guint i = 0; i < items->len; i++) {
        fr->messages[i] =
            messages[i] != NULL ? persist_message(messages[i]) : NULL;
    }
    return fr;
}

/*
 * A cached message with the AAD and plaintext of its layers again, in
 * packet scope: the same bytes peeled with the same contexts and the same
 * request's layer stack as on the first pass, and the engine is
 * deterministic (new keys mean a new first pass). A layer whose result
 * differs anyway is drawn without them rather than with other bytes.
 * *innermost (when not NULL) gets the message with every layer removed,
 * or NULL when not all of them were.
 */
static const ol_message *peel_again(packet_info *pinfo, const ol_message *m,
                                    const uint8_t *bytes, size_t len,
                                    const osc_coap_message **innermost)
{
    wmem_allocator_t *pool = pinfo->pool;
    osc_coap_message *outer = wmem_new0(pool, osc_coap_message);
    if (innermost != NULL) {
        *innermost = NULL;
    }
    if (m->count == 0 ||
        (m->block_role != OL_BLOCK_NONE && m->block_role != OL_BLOCK_LAST) ||
        osc_coap_parse(bytes, len, framing_of(pinfo), outer) != OSC_OK) {
        return m;
    }
    ol_message *copy = wmem_memdup(pool, m, sizeof *m);
    copy->layers = wmem_memdup(pool, m->layers, m->count * sizeof *m->layers);
    const ol_request_rec *rec = m->chosen;
    osc_peel peel;
    osc_peel_init(&peel, outer, ol_keys_current(),
                  rec != NULL ? rec->bindings : NULL,
                  rec != NULL ? rec->bound : 0, ol_pref.max_layers);
    unsigned removed = 0;
    for (unsigned i = 0; i < m->count && osc_peel_pending(&peel); i++) {
        const osc_layer_result *res = peel_next(&peel, pool);
        ol_layer *l = &copy->layers[i];
        if (l->aad_len > 0 && res->aad != NULL && res->aad_len == l->aad_len) {
            l->aad = res->aad;
        }
        if (peel.status != OSC_OK) {
            break;
        }
        removed++;
        if (l->plaintext_len > 0 && res->plaintext_len == l->plaintext_len) {
            l->plaintext = res->plaintext;
        }
    }
    if (innermost != NULL && m->fully_peeled && removed == m->removed &&
        removed > 0 && !osc_peel_pending(&peel)) {
        *innermost = peel.current;
    }
    return copy;
}

/* Hands the message with every layer removed to the export tap (File ›
 * Export PDUs, tshark -U), in the framing it was captured in; messages
 * not fully peeled are only counted. */
static void export_innermost(packet_info *pinfo, const ol_message *m,
                             const field_info *fi, const uint8_t *bytes,
                             size_t len)
{
    const osc_coap_message *in = NULL;
    if (m->fully_peeled && m->removed > 0) {
        peel_again(pinfo, m, bytes, len, &in);
    }
    ol_export_message(pinfo, fi->ds_tvb, in);
}

/*
 * The CoAP item of this pass that carries the bytes message m was peeled
 * from: item `index` normally, else another one with the same bytes, else
 * NULL. TCP reassembly can give a frame other CoAP messages in a later
 * pass than in the first (tshark -2 on a capture with overlapping
 * retransmissions, found by tests/fuzz): drawing the first pass's offsets
 * over another message threw "Malformed Packet: OSCORE layers".
 */
static bool same_message(const field_info *fi, const ol_message *m)
{
    return fi->ds_tvb != NULL && fi->length > 0 &&
           (size_t)fi->length == m->wire_len &&
           tvb_bytes_exist(fi->ds_tvb, fi->start, fi->length) &&
           ol_hash64(tvb_get_ptr(fi->ds_tvb, fi->start, fi->length),
                     m->wire_len) == m->wire_hash;
}

static field_info *item_of(GPtrArray *items, guint index, const ol_message *m)
{
    if (index < items->len &&
        same_message(g_ptr_array_index(items, index), m)) {
        return g_ptr_array_index(items, index);
    }
    for (guint j = 0; j < items->len; j++) {
        if (j != index && same_message(g_ptr_array_index(items, j), m)) {
            return g_ptr_array_index(items, j);
        }
    }
    return NULL;
}

/* Where a data item lies, as a hash key. */
typedef struct data_span {
    const tvbuff_t *tvb;
    gint start;
    gint length;
} data_span;

static guint data_span_hash(gconstpointer key)
{
    const data_span *d = key;
    return g_direct_hash(d->tvb) ^ (guint)d->start * 31u ^
           (guint)d->length * 1000003u;
}

static gboolean data_span_equal(gconstpointer a, gconstpointer b)
{
    const data_span *x = a, *y = b;
    return x->tvb == y->tvb && x->start == y->start && x->length == y->length;
}

/*
 * With the built-in OSCORE dissector switched off, Wireshark's CoAP
 * dissector (4.0 to 4.6) hands the ciphertext to the "data" dissector
 * twice, so the tree showed "Data (N bytes)" twice over the same bytes
 * (over the reassembled payload too, for outer Block-wise). Every copy
 * after the first of the same bytes in the frame is hidden (one hash
 * lookup per item); the layer tree shows the ciphertext of each layer.
 */
static void hide_repeated_data(packet_info *pinfo, proto_tree *tree)
{
    GPtrArray *items = proto_get_finfo_ptr_array(tree, proto_data);
    if (items == NULL || items->len < 2) {
        return;
    }
    wmem_map_t *seen =
        wmem_map_new(pinfo->pool, data_span_hash, data_span_equal);
    for (guint i = 0; i < items->len; i++) {
        field_info *fi = g_ptr_array_index(items, i);
        data_span *key = wmem_new(pinfo->pool, data_span);
        *key = (data_span){fi->ds_tvb, fi->start, fi->length};
        if (FI_GET_FLAG(fi, FI_HIDDEN)) {
            continue;
        }
        if (wmem_map_contains(seen, key)) {
            FI_SET_FLAG(fi, FI_HIDDEN);
        } else {
            wmem_map_insert(seen, key, fi);
        }
    }
}

/* Protocol and Info columns from the cached result of a frame. */
static void set_columns(packet_info *pinfo, const ol_frame *fr)
{
    col_set_writable(pinfo->cinfo, -1, TRUE);
    col_set_str(pinfo->cinfo, COL_PROTOCOL, OL_COLUMN_PROTOCOL);
    /* Over TLS (not TCP or DTLS) the Info column comes here fenced behind
     * CoAP's text: without this the plugin's text would follow it. */
    col_clear_fence(pinfo->cinfo, COL_INFO);
    col_clear(pinfo->cinfo, COL_INFO);
    bool first = true;
    for (guint i = 0; i < fr->message_count; i++) {
        const ol_message *m = fr->messages[i];
        if (m != NULL) {
            if (first) {
                col_add_str(pinfo->cinfo, COL_INFO, m->info);
            } else {
                col_append_sep_str(pinfo->cinfo, COL_INFO, ", ", m->info);
            }
            first = false;
        }
    }
}

/* On a later pass: the outer Block-wise transfer of the cached message m
 * again (reassemble.h finds it for every frame of a completed transfer),
 * and on the frame that completed it the whole message. */
static void revisit_blocks(packet_info *pinfo, const field_info *fi,
                           const ol_message *m, block_view *view)
{
    if (m->block_role != OL_BLOCK_FRAGMENT && m->block_role != OL_BLOCK_LAST) {
        return;
    }
    const uint8_t *bytes = tvb_get_ptr(fi->ds_tvb, fi->start, fi->length);
    osc_coap_message *outer = wmem_new0(pinfo->pool, osc_coap_message);
    osc_coap_framing framing = framing_of(pinfo);
    osc_block block;
    if (osc_coap_parse(bytes, (size_t)fi->length, framing, outer) != OSC_OK ||
        osc_block_get(outer, m->block_option, &block) != OSC_OK) {
        return;
    }
    view->head =
        ol_outer_block_add(pinfo, fi, bytes, outer, &block, m->block_id);
    if (m->block_role == OL_BLOCK_LAST) {
        ol_outer_block_whole(pinfo, view->head, outer, framing, &view->whole,
                             &view->whole_len);
    }
}

/* Draws cached message m of item fi (peeled: its packet-scope result when
 * this is the first pass, NULL otherwise). The layers of a message that
 * an outer Block-wise transfer carried are drawn over the reassembled
 * message, in a data source of its own. */
static void draw_item(packet_info *pinfo, proto_tree *tree, field_info *fi,
                      const ol_message *m, const ol_message *peeled,
                      const block_view *view)
{
    const uint8_t *bytes = tvb_get_ptr(fi->ds_tvb, fi->start, fi->length);
    size_t len = (size_t)fi->length;
    tvbuff_t *tvb = fi->ds_tvb;
    int offset = fi->start;
    tvbuff_t *whole = NULL;
    if (m->block_role == OL_BLOCK_LAST) {
        if (view->whole == NULL) {
            return; /* the transfer is gone (new keys: next pass) */
        }
        bytes = view->whole;
        len = view->whole_len;
        whole =
            tvb_new_child_real_data(fi->ds_tvb, bytes, (guint)len, (gint)len);
        add_new_data_source(pinfo, whole, "Reassembled OSCORE message");
        tvb = whole;
        offset = 0;
    }
    const ol_message *full =
        peeled != NULL ? peeled : peel_again(pinfo, m, bytes, len, NULL);
    proto_tree *t = ol_draw_message(tvb, offset, (int)len, pinfo, tree, full);
    if (m->block_role != OL_BLOCK_NONE) {
        ol_outer_block_draw(pinfo, t, m, view->head, whole);
    }
    if (ol_export_wanted()) {
        export_innermost(pinfo, m, fi, bytes, len);
    }
}

static int dissect_oscore_layers(tvbuff_t *tvb _U_, packet_info *pinfo,
                                 proto_tree *tree, void *data _U_)
{
    ol_frame *fr =
        p_get_proto_data(wmem_file_scope(), pinfo, proto_oscore_layers, 0);
    GPtrArray *items =
        tree != NULL ? proto_get_finfo_ptr_array(tree, proto_coap) : NULL;
    ol_message **peeled_now = NULL;
    block_view *views = NULL;
    if (fr == NULL) {
        if (PINFO_FD_VISITED(pinfo) || items == NULL || items->len == 0) {
            return 0;
        }
        fr = first_pass(pinfo, items, &peeled_now, &views);
        p_add_proto_data(wmem_file_scope(), pinfo, proto_oscore_layers, 0, fr);
    }
    bool any = false;
    for (guint i = 0; i < fr->message_count; i++) {
        any = any || fr->messages[i] != NULL;
    }
    if (!any) {
        return 0;
    }
    /* Draw when there is a tree with the CoAP items. Without one (the
     * GUI's packet list dissects a frame again just for its columns, with
     * no tree or one without CoAP items) the cached result still sets the
     * columns. */
    guint drawable = items != NULL ? items->len : 0;
    for (guint i = 0; i < fr->message_count && i < drawable; i++) {
        const ol_message *m = fr->messages[i];
        if (m == NULL) {
            continue;
        }
        field_info *fi = item_of(items, i, m);
        if (fi != NULL) {
            block_view later = {NULL, NULL, 0};
            if (views == NULL) {
                revisit_blocks(pinfo, fi, m, &later);
            }
            draw_item(pinfo, tree, fi, m,
                      peeled_now != NULL ? peeled_now[i] : NULL,
                      views != NULL ? &views[i] : &later);
        }
        tap_queue_packet(ol_tap, pinfo, m);
    }
    if (tree != NULL) {
        hide_repeated_data(pinfo, tree);
    }
    /* Columns last: payload dissectors called while drawing (JSON, CBOR,
     * text) write their own. */
    set_columns(pinfo, fr);
    return tvb_captured_length(tvb);
}

/* A tap listener that only asks for protocol trees. Without a tree the
 * postdissector cannot find the CoAP items, and tshark builds none on the
 * first pass of -2 (or without filters) just for a postdissector's
 * wanted fields; every first pass must see every message. Its filter
 * "coap || data" is what keeps the CoAP items (and the data items
 * hide_repeated_data looks at) in the tree on the second pass of -2,
 * where the wanted fields are not primed. */
static bool keeper_registered;

static tap_packet_status tree_keeper(void *tapdata _U_, packet_info *pinfo _U_,
                                     epan_dissect_t *edt _U_,
                                     const void *data _U_,
                                     tap_flags_t flags _U_)
{
    return TAP_PACKET_DONT_REDRAW;
}

static void register_tree_keeper(void)
{
    /* Registered at the first file open: the display filter engine the
     * listener's "coap" filter needs is not ready during handoff. */
    if (keeper_registered) {
        return;
    }
    GString *err = register_tap_listener("frame", &keeper_registered,
                                         "coap || data", TL_REQUIRES_PROTO_TREE,
                                         NULL, tree_keeper, NULL, NULL);
    if (err != NULL) {
        g_string_free(err, TRUE);
    } else {
        keeper_registered = true;
    }
}

static void ol_init(void)
{
    register_tree_keeper();
    ol_tracking_init();
    ol_keys_refresh();
}

void ol_dissector_register(void)
{
    ol_handle = register_dissector("oscore_layers", dissect_oscore_layers,
                                   proto_oscore_layers);
    register_init_routine(ol_init);
    register_cleanup_routine(ol_tracking_cleanup);
}

void ol_dissector_handoff(void)
{

    proto_coap = proto_get_id_by_filter_name("coap");
    proto_tcp = proto_get_id_by_filter_name("tcp");
    proto_websocket = proto_get_id_by_filter_name("websocket");
    proto_data = proto_get_id_by_filter_name("data");
    register_postdissector(ol_handle);
    GArray *wanted = g_array_new(FALSE, FALSE, sizeof(int));
    g_array_append_val(wanted, proto_coap);
    g_array_append_val(wanted, proto_data);
    set_postdissector_wanted_hfids(ol_handle, wanted);
    ol_media_init();
    ol_apply_builtin_switch();
}
