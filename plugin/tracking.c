/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * State that spans frames, filled on the first pass only (frames in
 * capture order) and kept until the file is closed (file_pool):
 *  - request layer stacks per leg and token (responses bind to the same
 *    layer of their request on the same leg: each layer is an RFC 8613
 *    exchange of its own, 7.1, and a responder applies the layers it
 *    removed, draft-ietf-core-oscore-capable-proxies 2.5);
 *  - replay windows per context, direction and leg (a proxy forwards the
 *    end-to-end layer unchanged, so the same kid and Partial IV
 *    legitimately appear on several legs; RFC 8613 7.4);
 *  - the last message per leg and Message ID, to recognise a CoAP
 *    retransmission (same MID, same bytes, within EXCHANGE_LIFETIME:
 *    RFC 7252 4.5 lets a sender reuse a MID after it), which is not a
 *    replay;
 *  - the latest sightings of a layer identity, for cross-hop correlation.
 * The last two end with the exchange: an entry is forgotten once
 * EXCHANGE_LIFETIME has passed since its last update (aging_table), so
 * they hold a few minutes of traffic, not the whole capture. Request
 * layer stacks stay (Observe notifications may come hours later), replay
 * state is one window per sender.
 * Legs are interned: one file-scope record per address pair, found by
 * the addresses themselves, so a message's leg is a stable pointer and
 * no string is formatted once a leg is known. The other maps have
 * fixed-size binary keys (zeroed structs, hashed and compared whole)
 * stored inside their entry: a lookup builds its key on the stack, an
 * insert makes one allocation. Every entry has a fixed size, whatever the
 * capture holds: per identity the two sightings correlation needs, per
 * sender the frames of the replay window only.
 */
#include "oscore_layers.h"

#include <epan/address_types.h>
#include <epan/to_str.h>
#include <string.h>

/* Everything the plugin keeps for a file: tracking entries, the per-frame
 * cache. A bump allocator (wmem's BLOCK_FAST: no per-allocation header,
 * no free list) emptied when the file is closed or dissected again; on
 * 100,000 3-layer exchanges the general file-scope allocator's bookkeeping
 * cost a tenth of the run. Nothing here is ever freed alone. */
static wmem_allocator_t *file_pool;

/* GLib's open-addressing tables keep each key's hash beside it, so a
 * lookup in a table of 600,000 identities touches one entry, not a chain
 * of nodes. Keys point into their entries, which live in file_pool. */
static GHashTable *legs;      /* leg_key -> "addr:port > addr:port" */
static GHashTable *leg_names; /* the strings of legs, each once */
static GHashTable *requests;  /* request_key -> request_slot */
static GHashTable *replays;   /* replay_key -> replay_state */

/* RFC 7252 4.8.2: a MID is not reused within EXCHANGE_LIFETIME, and no
 * exchange outlives it. */
#define EXCHANGE_LIFETIME_SECONDS 247

/*
 * A table whose entries are forgotten once EXCHANGE_LIFETIME has passed
 * since their last update (in capture time): what a retransmission or a
 * forwarded copy of a message can still be matched with. Two generations,
 * each a table with its own pool: entries go into the current one (an
 * entry found in the previous one moves over), and when the current one
 * is a lifetime old the previous one is dropped whole. An entry lives at
 * least one lifetime after its last update and at most two; the tables
 * hold what a few minutes of traffic leave, however long the capture.
 * Entries start with their key, which the table points to.
 */
typedef struct aging_table {
    GHashTable *table[2]; /* [current], [!current] the previous one */
    wmem_allocator_t *pool[2];
    int current;
    size_t entry_size;
    nstime_t current_since; /* capture time the current one started */
    bool started;
} aging_table;

static aging_table last_by_mid; /* mid_key -> mid_entry */
/* The last exchange number given out (ol_new_exchange). */
static uint32_t last_exchange;
static aging_table sightings; /* identity_key -> sightings_entry */

/* A leg: from one endpoint to another, or (any_responder) from a
 * requester to whichever member of a group answers. */
typedef struct leg_key {
    address from;
    address to;
    guint32 from_port;
    guint32 to_port;
    bool any_responder;
} leg_key;

/* The sender of a layer: a context and party, or a group and member
 * (the scope of its sequence numbers, RFC 8613 7.4). */
typedef struct sender_key {
    int32_t group;  /* 1 for a Group OSCORE layer */
    int32_t index;  /* context or group index in the set */
    uint64_t party; /* osc_party, or the group member */
} sender_key;

/* Tokens up to 8 bytes (RFC 7252) are kept whole; a longer one (RFC
 * 8974) by its first 8 bytes and a 64-bit hash of all of it, so that a
 * key stays small whatever the token. */
#define KEY_TOKEN_BYTES 8
typedef struct request_key {
    const char *leg; /* interned */
    uint64_t long_token_hash;
    uint32_t token_len; /* up to 65804 (RFC 8974 2.1) */
    uint8_t token[KEY_TOKEN_BYTES];
} request_key;

typedef struct request_slot {
    request_key key; /* first: the map's key points here */
    ol_request_rec *newest;
} request_slot;

typedef struct replay_key {
    sender_key sender;
    const char *leg; /* interned */
} replay_key;

typedef struct mid_key {
    const char *leg; /* interned */
    uint32_t mid;
} mid_key;

/* A layer as seen on every hop: direction, sender, the request's kid and
 * Partial IV, and (responses) the response's own Partial IV. */
typedef struct identity_key {
    sender_key sender;
    uint8_t is_request;
    uint8_t kid_len;
    uint8_t piv_len;
    uint8_t response_piv_len;
    uint8_t kid[OSC_MAX_ID_LEN];
    uint8_t piv[OSC_MAX_PIV_LEN];
    uint8_t response_piv[OSC_MAX_PIV_LEN];
} identity_key;

/* The frame that first carried a sequence number of the window. */
typedef struct replay_slot {
    uint64_t sequence;
    uint32_t frame; /* 0: empty */
} replay_slot;

typedef struct replay_state {
    replay_key key;
    osc_replay_window window;
    /* sequence % window size -> its first frame, for the expert text:
     * only numbers inside the window can be found again. */
    replay_slot *frames;
} replay_state;

typedef struct mid_entry {
    mid_key key;
    uint32_t frame;
    nstime_t ts;
    size_t len;
    uint64_t hash; /* FNV-1a of the message's bytes */
} mid_entry;

typedef struct sighting {
    uint32_t frame; /* 0: none */
    const char *leg;
    nstime_t ts;
} sighting;

/* The latest sighting, and the latest one on a leg other than the
 * latest's: together they answer "latest earlier sighting on a leg other
 * than L" for every L. */
typedef struct sightings_entry {
    identity_key key;
    sighting latest;
    sighting other_leg;
    uint32_t exchange; /* requests: the end-to-end exchange, 0 until asked */
} sightings_entry;

/* FNV-1a over a key struct; keys are zeroed before being filled, so
 * their padding hashes and compares alike. */
static guint bytes_hash(const void *p, size_t n)
{
    const uint8_t *b = p;
    guint32 h = 2166136261u;
    for (size_t i = 0; i < n; i++) {
        h = (h ^ b[i]) * 16777619u;
    }
    return h;
}

uint64_t ol_hash64(const uint8_t *b, size_t n)
{
    uint64_t h = 0xcbf29ce484222325ull;
    for (size_t i = 0; i < n; i++) {
        h = (h ^ b[i]) * 0x100000001b3ull;
    }
    return h;
}

#define KEY_FUNCS(type)                                                        \
    static guint type##_hash(gconstpointer k)                                  \
    {                                                                          \
        return bytes_hash(k, sizeof(type));                                    \
    }                                                                          \
    static gboolean type##_equal(gconstpointer a, gconstpointer b)             \
    {                                                                          \
        return memcmp(a, b, sizeof(type)) == 0;                                \
    }

KEY_FUNCS(request_key)
KEY_FUNCS(replay_key)
KEY_FUNCS(mid_key)
KEY_FUNCS(identity_key)

static guint leg_key_hash(gconstpointer p)
{
    const leg_key *k = p;
    guint h = add_address_to_hash(k->from_port, &k->from);
    h = add_address_to_hash(h * 31u + k->to_port, &k->to);
    return h * 2u + (k->any_responder ? 1u : 0u);
}

static gboolean leg_key_equal(gconstpointer pa, gconstpointer pb)
{
    const leg_key *a = pa;
    const leg_key *b = pb;
    return a->from_port == b->from_port && a->to_port == b->to_port &&
           a->any_responder == b->any_responder &&
           addresses_equal(&a->from, &b->from) &&
           addresses_equal(&a->to, &b->to);
}

static void aging_init(aging_table *t, GHashFunc hash, GEqualFunc equal,
                       size_t entry_size)
{
    for (int i = 0; i < 2; i++) {
        t->table[i] = g_hash_table_new(hash, equal);
        t->pool[i] = wmem_allocator_new(WMEM_ALLOCATOR_BLOCK_FAST);
    }
    t->entry_size = entry_size;
}

static void aging_drop(aging_table *t, int generation)
{
    g_hash_table_remove_all(t->table[generation]);
    wmem_free_all(t->pool[generation]);
}

static void aging_clear(aging_table *t)
{
    aging_drop(t, 0);
    aging_drop(t, 1);
    t->started = false;
}

/* True when b is more than EXCHANGE_LIFETIME after a. */
static bool beyond_exchange_lifetime(const nstime_t *a, const nstime_t *b)
{
    nstime_t delta;
    nstime_delta(&delta, b, a);
    return delta.secs > EXCHANGE_LIFETIME_SECONDS ||
           (delta.secs == EXCHANGE_LIFETIME_SECONDS && delta.nsecs > 0);
}

/* Moves the clock to now (capture time; an earlier time than seen before,
 * as merged captures have, does not move it back). */
static void aging_advance(aging_table *t, const nstime_t *now)
{
    if (!t->started) {
        t->current_since = *now;
        t->started = true;
        return;
    }
    if (!beyond_exchange_lifetime(&t->current_since, now)) {
        return;
    }
    nstime_t idle;
    nstime_delta(&idle, now, &t->current_since);
    t->current = !t->current;
    aging_drop(t, t->current); /* the previous generation goes */
    if (idle.secs >= 2 * EXCHANGE_LIFETIME_SECONDS) {
        aging_drop(t, !t->current); /* and the current one is as old */
    }
    t->current_since = *now;
}

/* The entry with this key, in the current generation, or NULL. */
static void *aging_lookup(aging_table *t, const void *key)
{
    void *e = g_hash_table_lookup(t->table[t->current], key);
    if (e != NULL) {
        return e;
    }
    void *old = g_hash_table_lookup(t->table[!t->current], key);
    if (old == NULL) {
        return NULL;
    }
    e = wmem_memdup(t->pool[t->current], old, t->entry_size);
    g_hash_table_remove(t->table[!t->current], key);
    g_hash_table_insert(t->table[t->current], e, e);
    return e;
}

/* A new zeroed entry holding key (key_size bytes at its start). */
static void *aging_insert(aging_table *t, const void *key, size_t key_size)
{
    void *e = wmem_alloc0(t->pool[t->current], t->entry_size);
    memcpy(e, key, key_size);
    g_hash_table_insert(t->table[t->current], e, e);
    return e;
}

void ol_tracking_init(void)
{
    if (file_pool != NULL) {
        return;
    }
    file_pool = wmem_allocator_new(WMEM_ALLOCATOR_BLOCK_FAST);
    legs = g_hash_table_new(leg_key_hash, leg_key_equal);
    leg_names = g_hash_table_new(g_str_hash, g_str_equal);
    requests = g_hash_table_new(request_key_hash, request_key_equal);
    replays = g_hash_table_new(replay_key_hash, replay_key_equal);
    aging_init(&last_by_mid, mid_key_hash, mid_key_equal, sizeof(mid_entry));
    aging_init(&sightings, identity_key_hash, identity_key_equal,
               sizeof(sightings_entry));
}

void ol_tracking_cleanup(void)
{
    if (file_pool == NULL) {
        return;
    }
    GHashTable *tables[] = {legs, leg_names, requests, replays};
    for (size_t i = 0; i < G_N_ELEMENTS(tables); i++) {
        g_hash_table_remove_all(tables[i]);
    }
    aging_clear(&last_by_mid);
    aging_clear(&sightings);
    last_exchange = 0;
    wmem_free_all(file_pool);
}

wmem_allocator_t *ol_file_pool(void)
{
    return file_pool;
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

/* The interned string of leg k (formatted and kept on its first use), or
 * NULL when it is new and create is false. */
static const char *intern_leg(packet_info *pinfo, const leg_key *k, bool create)
{
    const char *leg = g_hash_table_lookup(legs, k);
    if (leg != NULL || !create) {
        return leg;
    }
    char *a = endpoint_string(pinfo->pool, &k->from, k->from_port);
    char *b = k->any_responder
                  ? wmem_strdup(pinfo->pool, "*")
                  : endpoint_string(pinfo->pool, &k->to, k->to_port);
    char *s = wmem_strdup_printf(pinfo->pool, "%s > %s", a, b);
    /* Two address pairs that print alike (other address types) share one
     * string, so that equal legs are equal pointers, as equal strings
     * were before legs were interned. */
    char *name = g_hash_table_lookup(leg_names, s);
    if (name == NULL) {
        name = wmem_strdup(file_pool, s);
        g_hash_table_insert(leg_names, name, name);
    }
    leg_key *stored = wmem_new0(file_pool, leg_key);
    copy_address_wmem(file_pool, &stored->from, &k->from);
    copy_address_wmem(file_pool, &stored->to, &k->to);
    stored->from_port = k->from_port;
    stored->to_port = k->to_port;
    stored->any_responder = k->any_responder;
    g_hash_table_insert(legs, stored, name);
    return name;
}

const char *ol_leg_string(packet_info *pinfo, bool reverse, bool create)
{
    leg_key k = {
        .from = reverse ? pinfo->dst : pinfo->src,
        .to = reverse ? pinfo->src : pinfo->dst,
        .from_port = reverse ? pinfo->destport : pinfo->srcport,
        .to_port = reverse ? pinfo->srcport : pinfo->destport,
    };
    return intern_leg(pinfo, &k, create);
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

const char *ol_any_responder_leg(packet_info *pinfo, bool reverse, bool create)
{
    leg_key k = {
        .from = reverse ? pinfo->dst : pinfo->src,
        .from_port = reverse ? pinfo->destport : pinfo->srcport,
        .any_responder = true,
    };
    clear_address(&k.to);
    return intern_leg(pinfo, &k, create);
}

static request_key make_request_key(const char *leg, const uint8_t *token,
                                    size_t len)
{
    request_key k;
    memset(&k, 0, sizeof k);
    k.leg = leg;
    k.token_len =
        (uint32_t)(len < OSC_COAP_MAX_TOKEN_LENGTH ? len
                                                   : OSC_COAP_MAX_TOKEN_LENGTH);
    if (k.token_len > 0) { /* an empty token may be NULL */
        memcpy(k.token, token,
               k.token_len < KEY_TOKEN_BYTES ? k.token_len : KEY_TOKEN_BYTES);
    }
    if (k.token_len > KEY_TOKEN_BYTES) {
        k.long_token_hash = ol_hash64(token, k.token_len);
    }
    return k;
}

void ol_track_request(const char *leg, const uint8_t *token, size_t token_len,
                      ol_request_rec *rec)
{
    request_key k = make_request_key(leg, token, token_len);
    request_slot *slot = g_hash_table_lookup(requests, &k);
    if (slot == NULL) {
        slot = wmem_new0(file_pool, request_slot);
        slot->key = k;
        g_hash_table_insert(requests, &slot->key, slot);
    }
    rec->older = slot->newest;
    rec->same_key_count =
        rec->older != NULL ? rec->older->same_key_count + 1 : 1;
    slot->newest = rec;
}

ol_request_rec *ol_find_requests(const char *leg, const uint8_t *token,
                                 size_t token_len)
{
    if (leg == NULL) {
        return NULL; /* a leg never seen has no requests */
    }
    request_key k = make_request_key(leg, token, token_len);
    request_slot *slot = g_hash_table_lookup(requests, &k);
    return slot != NULL ? slot->newest : NULL;
}

uint32_t ol_track_retransmission(const char *leg, uint16_t mid,
                                 const uint8_t *bytes, size_t len,
                                 uint32_t frame, const nstime_t *ts)
{
    mid_key k;
    memset(&k, 0, sizeof k);
    k.leg = leg;
    k.mid = mid;
    uint64_t hash = ol_hash64(bytes, len);
    aging_advance(&last_by_mid, ts);
    mid_entry *e = aging_lookup(&last_by_mid, &k);
    if (e != NULL && e->len == len && e->hash == hash &&
        !beyond_exchange_lifetime(&e->ts, ts)) {
        return e->frame;
    }
    if (e == NULL) {
        e = aging_insert(&last_by_mid, &k, sizeof k);
    }
    /* The last message with this MID replaces the one before. */
    e->frame = frame;
    e->ts = *ts;
    e->len = len;
    e->hash = hash;
    return 0;
}

static sender_key make_sender_key(const ol_layer *l)
{
    sender_key k;
    memset(&k, 0, sizeof k);
    if (l->group_index >= 0) {
        k.group = 1;
        k.index = l->group_index;
        k.party = l->sender_member;
    } else {
        k.index = l->ctx_index;
        k.party = (uint64_t)l->producer;
    }
    return k;
}

static replay_state *replay_state_of(const replay_key *key)
{
    replay_state *st = g_hash_table_lookup(replays, key);
    if (st == NULL) {
        st = wmem_new0(file_pool, replay_state);
        st->key = *key;
        osc_replay_init(&st->window, ol_pref.replay_window);
        st->frames = wmem_alloc0_array(file_pool, replay_slot, st->window.size);
        g_hash_table_insert(replays, &st->key, st);
    }
    return st;
}

uint32_t ol_track_replay(const ol_layer *l, const char *leg, uint64_t sequence,
                         uint32_t frame)
{
    replay_key key;
    memset(&key, 0, sizeof key);
    key.sender = make_sender_key(l);
    key.leg = leg;
    replay_state *st = replay_state_of(&key);
    replay_slot *slot = &st->frames[sequence % st->window.size];
    if (osc_replay_check(&st->window, sequence) != OSC_OK) {
        /* Older than the window: no frame to name. */
        return slot->frame != 0 && slot->sequence == sequence ? slot->frame
                                                              : frame;
    }
    osc_replay_update(&st->window, sequence);
    slot->sequence = sequence;
    slot->frame = frame;
    return 0;
}

static identity_key make_identity_key(const ol_layer *l, bool is_request,
                                      const uint8_t *response_piv,
                                      size_t response_piv_len)
{
    identity_key k;
    memset(&k, 0, sizeof k);
    k.sender = make_sender_key(l);
    k.is_request = is_request;
    k.kid_len = (uint8_t)l->request_kid_len;
    memcpy(k.kid, l->request_kid, l->request_kid_len);
    k.piv_len = (uint8_t)l->request_piv_len;
    memcpy(k.piv, l->request_piv, l->request_piv_len);
    if (!is_request) {
        size_t n = response_piv_len < OSC_MAX_PIV_LEN ? response_piv_len
                                                      : OSC_MAX_PIV_LEN;
        k.response_piv_len = (uint8_t)n;
        if (n > 0) { /* no Partial IV: the pointer may be NULL */
            memcpy(k.response_piv, response_piv, n);
        }
    }
    return k;
}

void ol_track_correlation(ol_layer *layer, bool is_request,
                          const uint8_t *response_piv, size_t response_piv_len,
                          const char *leg, packet_info *pinfo)
{
    identity_key k =
        make_identity_key(layer, is_request, response_piv, response_piv_len);
    aging_advance(&sightings, &pinfo->abs_ts);
    sightings_entry *e = aging_lookup(&sightings, &k);
    if (e == NULL) {
        e = aging_insert(&sightings, &k, sizeof k);
    }
    /* The latest earlier sighting on a different leg: the hop before.
     * Legs are interned: the same leg is the same pointer. */
    const sighting *before = e->latest.frame != 0 && e->latest.leg != leg
                                 ? &e->latest
                                 : &e->other_leg;
    if (before->frame != 0) {
        layer->seen_frame = before->frame;
        layer->seen_leg = before->leg;
        nstime_delta(&layer->seen_delta, &pinfo->abs_ts, &before->ts);
    }
    if (e->latest.frame != 0 && e->latest.leg != leg) {
        e->other_leg = e->latest;
    }
    e->latest =
        (sighting){.frame = pinfo->num, .leg = leg, .ts = pinfo->abs_ts};
}

uint32_t ol_new_exchange(void)
{
    return ++last_exchange;
}

uint32_t ol_track_exchange(const ol_layer *layer, const nstime_t *ts)
{
    identity_key k = make_identity_key(layer, true, NULL, 0);
    aging_advance(&sightings, ts);
    sightings_entry *e = aging_lookup(&sightings, &k);
    if (e == NULL) {
        e = aging_insert(&sightings, &k, sizeof k);
    }
    if (e->exchange == 0) {
        e->exchange = ol_new_exchange();
    }
    return e->exchange;
}
