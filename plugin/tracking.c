/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * State that spans frames, filled on the first pass only (frames in
 * capture order) and kept in file scope:
 *  - request layer stacks per leg and token (responses bind to the same
 *    layer of their request on the same leg: each layer is an RFC 8613
 *    exchange of its own, 7.1, and a responder applies the layers it
 *    removed, draft-ietf-core-oscore-capable-proxies 2.5);
 *  - replay windows per context, direction and leg (a proxy forwards the
 *    end-to-end layer unchanged, so the same kid and Partial IV
 *    legitimately appear on several legs; RFC 8613 7.4);
 *  - the last message per leg and Message ID, to recognise a CoAP
 *    retransmission (same MID, same bytes), which is not a replay;
 *  - every sighting of a layer identity, for cross-hop correlation.
 * Keys are strings: legs print as "addr:port > addr:port".
 */
#include "oscore_layers.h"

#include <epan/address_types.h>
#include <epan/to_str.h>
#include <stdio.h>
#include <string.h>

static wmem_map_t *requests;    /* "leg|token" -> ol_request_rec * */
static wmem_map_t *replays;     /* "ctx|party|leg" -> replay_state * */
static wmem_map_t *last_by_mid; /* "leg|mid" -> mid_entry * */
static wmem_map_t *sightings;   /* identity -> wmem_array_t of sighting */

typedef struct replay_state {
    osc_replay_window window;
    wmem_map_t *frames; /* sequence -> first frame (for the expert text) */
} replay_state;

typedef struct mid_entry {
    uint32_t frame;
    size_t len;
    uint8_t *bytes;
} mid_entry;

typedef struct sighting {
    uint32_t frame;
    const char *leg;
    nstime_t ts;
} sighting;

void ol_tracking_init(void)
{
    /* Autoreset maps empty themselves when file scope is left. */
    if (requests != NULL) {
        return;
    }
    requests = wmem_map_new_autoreset(wmem_epan_scope(), wmem_file_scope(),
                                      g_str_hash, g_str_equal);
    replays = wmem_map_new_autoreset(wmem_epan_scope(), wmem_file_scope(),
                                     g_str_hash, g_str_equal);
    last_by_mid = wmem_map_new_autoreset(wmem_epan_scope(), wmem_file_scope(),
                                         g_str_hash, g_str_equal);
    sightings = wmem_map_new_autoreset(wmem_epan_scope(), wmem_file_scope(),
                                       g_str_hash, g_str_equal);
}

static char *endpoint_string(wmem_allocator_t *scope, const address *addr,
                             guint32 port)
{
    char *a = address_to_str(scope, addr);
    char *s = addr->type == AT_IPv6
                  ? wmem_strdup_printf(scope, "[%s]:%u", a, port)
                  : wmem_strdup_printf(scope, "%s:%u", a, port);
    wmem_free(scope, a);
    return s;
}

const char *ol_leg_string(packet_info *pinfo, bool reverse)
{
    const address *from = reverse ? &pinfo->dst : &pinfo->src;
    const address *to = reverse ? &pinfo->src : &pinfo->dst;
    guint32 from_port = reverse ? pinfo->destport : pinfo->srcport;
    guint32 to_port = reverse ? pinfo->srcport : pinfo->destport;
    char *a = endpoint_string(pinfo->pool, from, from_port);
    char *b = endpoint_string(pinfo->pool, to, to_port);
    return wmem_strdup_printf(wmem_file_scope(), "%s > %s", a, b);
}

bool ol_dst_is_multicast(const packet_info *pinfo)
{
    const address *dst = &pinfo->dst;
    const uint8_t *bytes = dst->data;
    if (dst->type == AT_IPv4 && dst->len == 4) {
        return bytes[0] >= 224 && bytes[0] <= 239;
    }
    if (dst->type == AT_IPv6 && dst->len == 16) {
        return bytes[0] == 0xff;
    }
    return false;
}

const char *ol_any_responder_leg(packet_info *pinfo, bool reverse)
{
    const address *requester = reverse ? &pinfo->dst : &pinfo->src;
    guint32 port = reverse ? pinfo->destport : pinfo->srcport;
    char *a = endpoint_string(pinfo->pool, requester, port);
    return wmem_strdup_printf(wmem_file_scope(), "%s > *", a);
}

static char *token_key(const char *leg, const uint8_t *token, size_t len)
{
    char hex[2 * OSC_COAP_MAX_TOKEN + 1];
    size_t n = len < OSC_COAP_MAX_TOKEN ? len : OSC_COAP_MAX_TOKEN;
    for (size_t i = 0; i < n; i++) {
        snprintf(hex + 2 * i, 3, "%02x", token[i]);
    }
    hex[2 * n] = '\0';
    return wmem_strdup_printf(wmem_file_scope(), "%s|%s", leg, hex);
}

void ol_track_request(const char *leg, const uint8_t *token, size_t token_len,
                      ol_request_rec *rec)
{
    char *key = token_key(leg, token, token_len);
    rec->older = wmem_map_lookup(requests, key);
    wmem_map_insert(requests, key, rec);
}

ol_request_rec *ol_find_requests(const char *leg, const uint8_t *token,
                                 size_t token_len)
{
    char *key = token_key(leg, token, token_len);
    ol_request_rec *rec = wmem_map_lookup(requests, key);
    wmem_free(wmem_file_scope(), key);
    return rec;
}

uint32_t ol_track_retransmission(const char *leg, uint16_t mid,
                                 const uint8_t *bytes, size_t len,
                                 uint32_t frame)
{
    char *key = wmem_strdup_printf(wmem_file_scope(), "%s|%u", leg, mid);
    mid_entry *e = wmem_map_lookup(last_by_mid, key);
    if (e != NULL && e->len == len && memcmp(e->bytes, bytes, len) == 0) {
        return e->frame;
    }
    e = wmem_new(wmem_file_scope(), mid_entry);
    e->frame = frame;
    e->len = len;
    e->bytes = wmem_memdup(wmem_file_scope(), bytes, len);
    wmem_map_insert(last_by_mid, key, e);
    return 0;
}

uint32_t ol_track_replay(const char *sender, const char *leg, uint64_t sequence,
                         uint32_t frame)
{
    char *key = wmem_strdup_printf(wmem_file_scope(), "%s|%s", sender, leg);
    replay_state *st = wmem_map_lookup(replays, key);
    if (st == NULL) {
        st = wmem_new0(wmem_file_scope(), replay_state);
        osc_replay_init(&st->window, ol_pref.replay_window);
        st->frames =
            wmem_map_new(wmem_file_scope(), g_int64_hash, g_int64_equal);
        wmem_map_insert(replays, key, st);
    }
    if (osc_replay_check(&st->window, sequence) != OSC_OK) {
        gint64 k = (gint64)sequence;
        uint32_t first = GPOINTER_TO_UINT(wmem_map_lookup(st->frames, &k));
        /* Older than the window and never seen: no frame to name. */
        return first != 0 ? first : frame;
    }
    osc_replay_update(&st->window, sequence);
    gint64 *k = wmem_new(wmem_file_scope(), gint64);
    *k = (gint64)sequence;
    wmem_map_insert(st->frames, k, GUINT_TO_POINTER(frame));
    return 0;
}

void ol_track_correlation(const char *identity, const char *leg,
                          packet_info *pinfo, ol_layer *layer)
{
    wmem_array_t *list = wmem_map_lookup(sightings, identity);
    if (list == NULL) {
        list = wmem_array_new(wmem_file_scope(), sizeof(sighting));
        wmem_map_insert(sightings, wmem_strdup(wmem_file_scope(), identity),
                        list);
    }
    /* The latest earlier sighting on a different leg: the hop before. */
    for (guint i = wmem_array_get_count(list); i-- > 0;) {
        sighting *s = wmem_array_index(list, i);
        if (strcmp(s->leg, leg) != 0) {
            layer->seen_frame = s->frame;
            layer->seen_leg = s->leg;
            nstime_delta(&layer->seen_delta, &pinfo->abs_ts, &s->ts);
            break;
        }
    }
    sighting s = {.frame = pinfo->num, .leg = leg, .ts = pinfo->abs_ts};
    wmem_array_append_one(list, s);
}
