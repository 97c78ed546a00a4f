/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * layer_stack.h, peel.h / layer.h: protect -> peel round trips of nested OSCORE
 * (draft-ietf-core-oscore-capable-proxies 2.2 to 2.6, RFC 8613 8).
 *
 * Covers, for every AEAD algorithm of algorithms.h (each alone and mixed
 * across layers), 1 to 8 layers with distinct contexts (IDs up to each
 * algorithm's maximum, an empty Sender ID, HKDF SHA-256/512):
 *   - requests protected with osc_protect_request_layers and peeled with
 *     osc_peel_layer from their wire bytes, once with a set of the
 *     requester-view contexts and once with a set of only the
 *     responder-view (osc_context_swap) contexts;
 *   - responses protected with osc_protect_response_layers (bindings from
 *     the responder's peel) and peeled with the requester's stack and
 *     with an observer's stack, with and without Partial IV;
 *   - with and without ID Context (kid context sent or omitted);
 *   - payloads of 0, 1, 64 and 1500 bytes;
 *   - Observe (outer FETCH / 2.05, inner Observe of notifications empty);
 *   - outer-only options that stay outer (Uri-Host without Proxy-Scheme)
 *     or are escalated (Proxy-Scheme, Uri-Host with Proxy-Scheme,
 *     Hop-Limit for a proxy or for a server talked to directly).
 * After the last layer the message must equal the original (serialized),
 * and as many layers must have been peeled as were applied.
 * Negative cases: wrong key, wrong request binding, a flipped ciphertext
 * or tag byte at each layer, the depth limit, responses with more layers
 * than the request stack, requests without kid or Partial IV, unknown
 * kid, no payload, the Group Flag (refused by the plain layer function
 * with OSC_ERR_GROUP_UNSUPPORTED, also for a response on a plain binding;
 * a group request whose Gid no group in the set has is OSC_ERR_NO_CONTEXT
 * since osc_peel_layer routes the Group Flag to group.h), bad option
 * values, malformed plaintext, small work buffers, EDHOC + OSCORE
 * combined requests (RFC 9668, also with the EDHOC option inside an
 * outer layer), and the sequence number limit (2^40 - 1 works with a
 * 5-byte Partial IV, 2^40 does not).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "oscore/aad.h"
#include "oscore/algorithms.h"
#include "oscore/coap.h"
#include "oscore/context.h"
#include "oscore/context_set.h"
#include "oscore/layer.h"
#include "oscore/layer_stack.h"
#include "oscore/nonce.h"
#include "oscore/option_value.h"
#include "oscore/options.h"
#include "oscore/peel.h"
#include "test_support.h"

#define MAX_LAYERS 8
#define SEQ_MAX ((uint64_t)0xffffffffff)

/* ---- Failure context -------------------------------------------------- */

static char scenario_text[256];
static bool scenario_reported;

static void set_scenario(const char *text)
{
    snprintf(scenario_text, sizeof scenario_text, "%s", text);
    scenario_reported = false;
}

static void report_scenario(void)
{
    if (!scenario_reported)
        fprintf(stderr, "  in scenario: %s\n", scenario_text);
    scenario_reported = true;
}

#define SCHECK(expr)                                                           \
    do {                                                                       \
        if (!CHECK(expr))                                                      \
            report_scenario();                                                 \
    } while (0)
#define SCHECK_EQ(got, want)                                                   \
    do {                                                                       \
        if (!CHECK_EQ(got, want))                                              \
            report_scenario();                                                 \
    } while (0)

/* ---- Helpers ----------------------------------------------------------- */

/* Serializes into a fresh heap buffer. */
static uint8_t *serialize(const osc_coap_message *msg, size_t *len)
{
    size_t cap = osc_coap_serialized_size_bound(msg);
    uint8_t *buf = malloc(cap);
    *len = 0;
    osc_status s = osc_coap_serialize(msg, buf, cap, len);
    SCHECK_EQ(s, OSC_OK);
    return buf;
}

/* Both messages serialize to the same bytes. */
static bool same_message(const osc_coap_message *a, const osc_coap_message *b)
{
    size_t la, lb;
    uint8_t *ba = serialize(a, &la);
    uint8_t *bb = serialize(b, &lb);
    bool same = la == lb && memcmp(ba, bb, la) == 0;
    if (!same) {
        fprintf(stderr, "  message differs:\n   got  ");
        for (size_t i = 0; i < la && i < 80; i++)
            fprintf(stderr, "%02x", ba[i]);
        fprintf(stderr, "\n   want ");
        for (size_t i = 0; i < lb && i < 80; i++)
            fprintf(stderr, "%02x", bb[i]);
        fprintf(stderr, "\n");
    }
    free(ba);
    free(bb);
    return same;
}

/* A message parsed from its own wire bytes (kept in *bytes). */
static osc_coap_message reparse(const osc_coap_message *msg, uint8_t **bytes)
{
    size_t len;
    *bytes = serialize(msg, &len);
    osc_coap_message out;
    SCHECK_EQ(osc_coap_parse(*bytes, len, OSC_COAP_FRAMING_UDP, &out), OSC_OK);
    return out;
}

static bool option_has_value(const osc_coap_option *opt, const uint8_t *value,
                             size_t len)
{
    return opt && opt->length == len &&
           (len == 0 || memcmp(opt->value, value, len) == 0);
}

static bool piv_is(const uint8_t *piv, size_t piv_len, uint64_t seq)
{
    uint8_t want[OSC_MAX_PIV_LEN];
    size_t want_len = osc_piv_from_sequence(seq, want);
    return want_len > 0 && piv_len == want_len &&
           memcmp(piv, want, piv_len) == 0;
}

/* ---- Contexts ---------------------------------------------------------- */

typedef struct ctx_options {
    bool id_context;
    bool empty_first_sender_id;
    unsigned seed;
    uint8_t secret_tweak; /* a different Master Secret, same IDs */
} ctx_options;

/* Layer `layer`'s context, requester's view. IDs: the Sender ID starts
 * with 0x10 + layer, the Recipient ID with 0x40 + layer; lengths vary up
 * to the algorithm's maximum. */
static void make_context(int aead_id, size_t layer, const ctx_options *o,
                         osc_context *out)
{
    const osc_aead_alg *alg = osc_aead_by_id(aead_id);
    size_t max = osc_aead_max_id_len(alg);
    osc_context_params p;
    osc_context_params_init(&p);
    p.aead_id = aead_id;
    p.hkdf = (layer + o->seed) % 3 == 2 ? OSC_HKDF_SHA512 : OSC_HKDF_SHA256;
    p.master_secret_len = 16 + (layer % 3) * 8;
    for (size_t i = 0; i < p.master_secret_len; i++)
        p.master_secret[i] =
            (uint8_t)(o->seed * 31 + layer * 7 + i + o->secret_tweak);
    if ((layer + o->seed) % 2) {
        p.master_salt_len = 8;
        for (size_t i = 0; i < 8; i++)
            p.master_salt[i] = (uint8_t)(0x9e - i + layer);
    }
    p.sender_id_len = 1 + (layer + o->seed) % max;
    p.recipient_id_len = 1 + (layer + o->seed + 1) % max;
    for (size_t i = 0; i < OSC_MAX_ID_LEN; i++) {
        p.sender_id[i] = (uint8_t)(i == 0 ? 0x10 + layer : 0xa0 + i);
        p.recipient_id[i] = (uint8_t)(i == 0 ? 0x40 + layer : 0xb0 + i);
    }
    if (o->empty_first_sender_id && layer == 0)
        p.sender_id_len = 0;
    if (o->id_context) {
        p.has_id_context = true;
        p.id_context_len = 2 + layer % 7;
        for (size_t i = 0; i < p.id_context_len; i++)
            p.id_context[i] = (uint8_t)(0x37 + i * 11 + layer);
    }
    SCHECK_EQ(osc_context_derive(&p, out), OSC_OK);
}

/* ---- Scenario ---------------------------------------------------------- */

enum { MODE_PLAIN, MODE_REVERSE, MODE_FORWARD, MODE_COUNT };
static const char *const mode_names[] = {"plain", "reverse-proxy",
                                         "forward-proxy"};
enum { IDCTX_NONE, IDCTX_SENT, IDCTX_OMITTED, IDCTX_COUNT };
static const char *const idctx_names[] = {"no ID Context", "kid context sent",
                                          "kid context omitted"};
enum { PIV_NONE, PIV_ALL, PIV_ALTERNATE, PIV_COUNT };
static const char *const piv_names[] = {
    "responses without PIV", "responses with PIV", "PIV alternating"};

typedef struct scenario {
    size_t n;
    int aead[MAX_LAYERS]; /* per layer, 0 = innermost */
    size_t payload_len;
    bool observe;
    int idctx;
    int piv_mode;
    int mode;
    bool empty_first_id;
    unsigned seed;
} scenario;

static const uint8_t host[] = "example.com";
static const uint8_t scheme[] = "coap";
static const uint8_t path1[] = "alarm_status";
static const uint8_t path2[] = "x";
static const uint8_t query[] = "a=1";
static const uint8_t hop_limit[] = {16};
static const uint8_t echo[] = {0xec, 0x40, 0x01, 0x02};
static const uint8_t no_response[] = {26};
static const uint8_t unknown_value[] = {1, 2, 3};
static const uint8_t etag[] = {1, 2, 3, 4};
static const uint8_t content_format[] = {50};
static const uint8_t max_age[] = {60};
static const uint8_t observe_seq[] = {0x0a, 0x0b};
static uint8_t payload_bytes[1600];
static const uint8_t token[] = {0xde, 0xad, 0xbe, 0xef};

static osc_coap_message make_request(const scenario *sc)
{
    osc_coap_message m;
    memset(&m, 0, sizeof m);
    m.type = OSC_COAP_TYPE_CON;
    m.message_id = (uint16_t)(0x4d2 + sc->seed);
    m.token_length = sizeof token;
    memcpy(m.token, token, sizeof token);
    m.code = sc->payload_len == 0 ? OSC_COAP_CODE_GET
             : sc->observe        ? OSC_COAP_CODE_FETCH
                                  : OSC_COAP_CODE_PUT;
    if (sc->mode != MODE_PLAIN)
        osc_coap_add_option(&m, OSC_OPT_URI_HOST, host, 11);
    if (sc->observe) /* registration: Observe 0 (empty) */
        osc_coap_add_option(&m, OSC_OPT_OBSERVE, NULL, 0);
    osc_coap_add_option(&m, OSC_OPT_URI_PATH, path1, 12);
    osc_coap_add_option(&m, OSC_OPT_URI_PATH, path2, 1);
    if (sc->payload_len)
        osc_coap_add_option(&m, OSC_OPT_CONTENT_FORMAT, NULL, 0);
    osc_coap_add_option(&m, OSC_OPT_URI_QUERY, query, 3);
    if (sc->mode == MODE_FORWARD) {
        osc_coap_add_option(&m, OSC_OPT_HOP_LIMIT, hop_limit, 1);
        osc_coap_add_option(&m, OSC_OPT_PROXY_SCHEME, scheme, 4);
    }
    if (sc->mode == MODE_PLAIN) {
        osc_coap_add_option(&m, OSC_OPT_ECHO, echo, sizeof echo);
        osc_coap_add_option(&m, OSC_OPT_NO_RESPONSE, no_response, 1);
        osc_coap_add_option(&m, 65000, unknown_value, sizeof unknown_value);
    }
    m.payload = sc->payload_len ? payload_bytes : NULL;
    m.payload_length = sc->payload_len;
    return m;
}

static osc_coap_message make_response(const scenario *sc,
                                      const osc_coap_message *request)
{
    osc_coap_message m;
    memset(&m, 0, sizeof m);
    m.type = OSC_COAP_TYPE_ACK;
    m.message_id = request->message_id;
    m.token_length = request->token_length;
    memcpy(m.token, request->token, sizeof m.token);
    m.code = sc->seed % 5 == 4 ? OSC_COAP_CODE(4, 4) : OSC_COAP_CODE_CONTENT;
    osc_coap_add_option(&m, OSC_OPT_ETAG, etag, sizeof etag);
    if (sc->observe) /* a notification */
        osc_coap_add_option(&m, OSC_OPT_OBSERVE, observe_seq,
                            sizeof observe_seq);
    if (sc->payload_len)
        osc_coap_add_option(&m, OSC_OPT_CONTENT_FORMAT, content_format, 1);
    osc_coap_add_option(&m, OSC_OPT_MAX_AGE, max_age, 1);
    /* Other bytes than the request's. */
    m.payload = sc->payload_len ? payload_bytes + 7 : NULL;
    m.payload_length = sc->payload_len;
    return m;
}

/* What the sender of layer i (0 = innermost, e2e with the server) knows
 * about X and its next hop: layers 1..n-1 are shared with proxies, the
 * outermost one with the proxy next to the client
 * (draft-ietf-core-oscore-capable-proxies 2.3). */
static osc_layer_peer peer_for(size_t i, size_t n, int mode)
{
    osc_layer_peer p;
    memset(&p, 0, sizeof p);
    bool forward = mode == MODE_FORWARD;
    p.sender_is_origin = true;
    if (i == 0) {
        p.peer_is_next_hop = n == 1 && mode == MODE_PLAIN;
        p.next_hop_is_proxy = n > 1 || mode != MODE_PLAIN;
        p.next_hop_is_forward_proxy = forward;
    } else {
        p.peer_is_next_hop = i == n - 1;
        p.peer_is_proxy = true;
        p.peer_is_forward_proxy = forward;
        p.next_hop_is_proxy = true;
        p.next_hop_is_forward_proxy = forward;
    }
    return p;
}

static uint64_t request_sequence(const scenario *sc, size_t layer)
{
    static const uint64_t seqs[] = {0, 1, 0x14, 0xff, 0x100, 0x123456, SEQ_MAX};
    return seqs[(sc->seed + layer) % (sizeof seqs / sizeof seqs[0])];
}

static bool response_has_piv(const scenario *sc, size_t depth)
{
    return sc->piv_mode == PIV_ALL ||
           (sc->piv_mode == PIV_ALTERNATE && depth % 2 == 0);
}

static uint64_t response_sequence(const scenario *sc, size_t depth)
{
    static const uint64_t seqs[] = {0, 7, 0x1000, SEQ_MAX};
    return seqs[(sc->seed + depth) % 4];
}

/* ---- Peeling ----------------------------------------------------------- */

typedef struct peel_run {
    osc_layer_result res[MAX_LAYERS + 1];
    uint8_t *work[MAX_LAYERS + 1];
    size_t count;      /* layers removed */
    osc_status status; /* of the last call (OSC_OK if none failed) */
    const osc_coap_message *final;
} peel_run;

/* Peels while an OSCORE option is present, stopping at the first error.
 * Each work buffer is allocated with exactly the advertised size. */
static void peel_all(peel_run *run, const osc_coap_message *wire,
                     const osc_context_set *set,
                     const osc_request_binding *stack, size_t stack_len,
                     size_t max_layers)
{
    memset(run->work, 0, sizeof run->work);
    run->count = 0;
    run->status = OSC_OK;
    const osc_coap_message *cur = wire;
    while (osc_coap_find_option(cur, OSC_OPT_OSCORE) &&
           run->count <= MAX_LAYERS) {
        size_t d = run->count;
        size_t need = osc_layer_unprotect_work_size(cur);
        run->work[d] = malloc(need ? need : 1);
        osc_status s = osc_peel_layer(cur, set, stack, stack_len, d, max_layers,
                                      run->work[d], need, &run->res[d]);
        SCHECK_EQ(run->res[d].status, s);
        run->status = s;
        if (s != OSC_OK)
            break;
        cur = &run->res[d].result;
        run->count++;
    }
    run->final = cur;
}

static void peel_free(peel_run *run)
{
    for (size_t i = 0; i <= MAX_LAYERS; i++)
        free(run->work[i]);
}

/* ---- One scenario ------------------------------------------------------ */

static void describe(const scenario *sc, char *out, size_t cap)
{
    int used = snprintf(out, cap, "%zu layers [", sc->n);
    for (size_t i = 0; i < sc->n && used > 0 && (size_t)used < cap; i++)
        used += snprintf(out + used, cap - (size_t)used, "%s%s", i ? "," : "",
                         osc_aead_by_id(sc->aead[i])->name);
    if (used > 0 && (size_t)used < cap)
        snprintf(out + used, cap - (size_t)used,
                 "], payload %zu, %s, %s, %s, %s%s, seed %u", sc->payload_len,
                 sc->observe ? "Observe" : "no Observe", idctx_names[sc->idctx],
                 piv_names[sc->piv_mode], mode_names[sc->mode],
                 sc->empty_first_id ? ", empty e2e Sender ID" : "", sc->seed);
}

static void check_request_layers(const scenario *sc, const peel_run *run,
                                 const osc_context_set *set, osc_party producer,
                                 const osc_request_binding *bindings,
                                 const osc_coap_message *original)
{
    size_t n = sc->n;
    SCHECK_EQ(run->status, OSC_OK);
    SCHECK_EQ(run->count, n);
    if (run->count != n)
        return;
    for (size_t d = 0; d < n; d++) {
        const osc_layer_result *r = &run->res[d];
        size_t layer = n - 1 - d; /* removal order -> application order */
        SCHECK(r->is_request);
        SCHECK(r->ctx == osc_context_set_get(set, layer));
        SCHECK_EQ(r->producer, producer);
        SCHECK(r->plaintext != NULL);
        SCHECK_EQ(r->plaintext_len + r->ctx->aead->tag_len, r->ciphertext_len);
        SCHECK(r->edhoc_message_3 == NULL);
        /* The binding equals the one the requester recorded. */
        SCHECK(r->binding.kid_len == bindings[d].kid_len &&
               memcmp(r->binding.kid, bindings[d].kid, r->binding.kid_len) ==
                   0);
        SCHECK(r->binding.piv_len == bindings[d].piv_len &&
               memcmp(r->binding.piv, bindings[d].piv, r->binding.piv_len) ==
                   0);
        SCHECK(r->binding.nonce_len == bindings[d].nonce_len &&
               memcmp(r->binding.nonce, bindings[d].nonce,
                      r->binding.nonce_len) == 0);
        SCHECK(r->binding.ctx == r->ctx);
        SCHECK_EQ(r->binding.requester, producer);
        SCHECK(piv_is(r->option.piv, r->option.piv_len,
                      request_sequence(sc, layer)));
        SCHECK_EQ(r->option.has_kid_context, sc->idctx == IDCTX_SENT);
        SCHECK(r->option.has_kid);
        /* The code under this layer: the outer code (POST, or FETCH with
         * Observe; RFC 8613 4.2) of the layer inside, or the real method
         * under the last one, since each layer protects the message as the
         * layers inside left it. */
        uint8_t want_code = d == n - 1    ? original->code
                            : sc->observe ? OSC_COAP_CODE_FETCH
                                          : OSC_COAP_CODE_POST;
        SCHECK_EQ(r->result.code, want_code);
        SCHECK_EQ(r->inner.code, want_code);
        if (sc->observe) {
            /* Registration: the inner Observe carries the value (0). */
            const osc_coap_option *obs =
                osc_coap_find_option(&r->inner, OSC_OPT_OBSERVE);
            SCHECK(option_has_value(obs, NULL, 0));
        }
        /* An OSCORE option surfaces after every layer but the last. */
        SCHECK_EQ(osc_coap_count_option(&r->result, OSC_OPT_OSCORE),
                  d == n - 1 ? 0 : 1);
    }
    SCHECK(same_message(run->final, original));
}

static void check_response_layers(const scenario *sc, const peel_run *run,
                                  const osc_context *const *contexts,
                                  osc_party producer,
                                  const osc_coap_message *original,
                                  const osc_coap_message *expected)
{
    size_t n = sc->n;
    SCHECK_EQ(run->status, OSC_OK);
    SCHECK_EQ(run->count, n);
    if (run->count != n)
        return;
    for (size_t d = 0; d < n; d++) {
        const osc_layer_result *r = &run->res[d];
        size_t layer = n - 1 - d;
        SCHECK(!r->is_request);
        SCHECK(r->ctx == contexts[layer]);
        SCHECK_EQ(r->producer, producer);
        SCHECK(r->plaintext != NULL);
        SCHECK(!r->option.has_kid);
        SCHECK(!r->option.has_kid_context);
        if (response_has_piv(sc, d))
            SCHECK(piv_is(r->option.piv, r->option.piv_len,
                          response_sequence(sc, d)));
        else
            SCHECK_EQ(r->option.piv_len, 0);
        uint8_t want_code = d == n - 1    ? original->code
                            : sc->observe ? OSC_COAP_CODE_CONTENT
                                          : OSC_COAP_CODE_CHANGED;
        SCHECK_EQ(r->result.code, want_code);
        if (sc->observe) {
            /* RFC 8613 4.1.3.5.2: the inner Observe of a notification is
             * empty, in every layer. */
            const osc_coap_option *obs =
                osc_coap_find_option(&r->inner, OSC_OPT_OBSERVE);
            SCHECK(option_has_value(obs, NULL, 0));
        }
        SCHECK_EQ(osc_coap_count_option(&r->result, OSC_OPT_OSCORE),
                  d == n - 1 ? 0 : 1);
    }
    SCHECK(same_message(run->final, expected));
}

static void run_scenario(const scenario *sc)
{
    char text[256];
    describe(sc, text, sizeof text);
    set_scenario(text);
    size_t n = sc->n;

    /* Contexts: requester view in one set, responder view in another. */
    ctx_options co = {sc->idctx != IDCTX_NONE, sc->empty_first_id, sc->seed, 0};
    osc_context client[MAX_LAYERS], server[MAX_LAYERS];
    osc_context_set *client_set = osc_context_set_new();
    osc_context_set *server_set = osc_context_set_new();
    for (size_t i = 0; i < n; i++) {
        make_context(sc->aead[i], i, &co, &client[i]);
        osc_context_swap(&client[i], &server[i]);
        SCHECK_EQ(osc_context_set_add(client_set, NULL, &client[i], NULL),
                  OSC_OK);
        SCHECK_EQ(osc_context_set_add(server_set, NULL, &server[i], NULL),
                  OSC_OK);
    }

    /* --- Request --- */
    osc_coap_message request = make_request(sc);
    osc_request_layer_spec specs[MAX_LAYERS];
    memset(specs, 0, sizeof specs);
    for (size_t i = 0; i < n; i++) {
        specs[i].ctx = &client[i];
        specs[i].party = OSC_PARTY_SENDER;
        specs[i].sequence_number = request_sequence(sc, i);
        specs[i].include_kid_context = sc->idctx == IDCTX_SENT;
        specs[i].peer = peer_for(i, n, sc->mode);
    }
    size_t work_size = osc_layers_protect_work_size(&request, n);
    uint8_t *work = malloc(work_size);
    osc_coap_message protected_request;
    osc_request_binding bindings[MAX_LAYERS];
    osc_status s = osc_protect_request_layers(
        &request, specs, n, work, work_size, &protected_request, bindings);
    SCHECK_EQ(s, OSC_OK);
    if (s != OSC_OK) {
        free(work);
        osc_context_set_free(client_set);
        osc_context_set_free(server_set);
        return;
    }
    uint8_t *wire_bytes;
    osc_coap_message wire = reparse(&protected_request, &wire_bytes);
    SCHECK_EQ(wire.code,
              sc->observe ? OSC_COAP_CODE_FETCH : OSC_COAP_CODE_POST);
    SCHECK_EQ(osc_coap_count_option(&wire, OSC_OPT_OSCORE), 1);
    if (sc->observe) /* outer Observe for proxies, same value */
        SCHECK(option_has_value(osc_coap_find_option(&wire, OSC_OPT_OBSERVE),
                                NULL, 0));
    for (size_t d = 0; d < n; d++) {
        SCHECK(bindings[d].ctx == &client[n - 1 - d]);
        SCHECK_EQ(bindings[d].requester, OSC_PARTY_SENDER);
    }

    /* Observer / proxy holding the requester-view contexts. */
    static peel_run observer, responder, requester, observer_response;
    peel_all(&observer, &wire, client_set, NULL, 0, MAX_LAYERS);
    check_request_layers(sc, &observer, client_set, OSC_PARTY_SENDER, bindings,
                         &request);
    /* The responders, holding only their own (swapped) views. */
    peel_all(&responder, &wire, server_set, NULL, 0, MAX_LAYERS);
    check_request_layers(sc, &responder, server_set, OSC_PARTY_RECIPIENT,
                         bindings, &request);

    /* --- Response, protected with the bindings of the responder --- */
    if (responder.count == n && observer.count == n) {
        osc_request_binding server_stack[MAX_LAYERS],
            observer_stack[MAX_LAYERS];
        osc_response_layer_spec rspecs[MAX_LAYERS];
        const osc_context *client_ctx[MAX_LAYERS];
        for (size_t d = 0; d < n; d++) {
            server_stack[d] = responder.res[d].binding;
            observer_stack[d] = observer.res[d].binding;
            rspecs[d].request = &server_stack[d];
            rspecs[d].with_piv = response_has_piv(sc, d);
            rspecs[d].sequence_number = response_sequence(sc, d);
        }
        for (size_t i = 0; i < n; i++)
            client_ctx[i] = &client[i];
        osc_coap_message response = make_response(sc, &request);
        size_t rwork_size = osc_layers_protect_work_size(&response, n);
        uint8_t *rwork = malloc(rwork_size);
        osc_coap_message protected_response;
        s = osc_protect_response_layers(&response, rspecs, n, rwork, rwork_size,
                                        &protected_response);
        SCHECK_EQ(s, OSC_OK);
        if (s == OSC_OK) {
            uint8_t *rwire_bytes;
            osc_coap_message rwire = reparse(&protected_response, &rwire_bytes);
            SCHECK_EQ(rwire.code, sc->observe ? OSC_COAP_CODE_CONTENT
                                              : OSC_COAP_CODE_CHANGED);
            SCHECK_EQ(osc_coap_count_option(&rwire, OSC_OPT_OSCORE), 1);
            if (sc->observe)
                SCHECK(option_has_value(
                    osc_coap_find_option(&rwire, OSC_OPT_OBSERVE), observe_seq,
                    sizeof observe_seq));

            /* The client's view of the result: the notification's Observe
             * is the (empty) inner one; the outer value is ignored
             * (RFC 8613 4.1.3.5.2). */
            osc_coap_message expected = response;
            for (size_t i = 0; i < expected.option_count; i++)
                if (expected.options[i].number == OSC_OPT_OBSERVE)
                    expected.options[i].length = 0;

            /* The requester peels with the stack it recorded. */
            peel_all(&requester, &rwire, NULL, bindings, n, MAX_LAYERS);
            check_response_layers(sc, &requester, client_ctx,
                                  OSC_PARTY_RECIPIENT, &response, &expected);
            /* The observer with the stack it learned from the request. */
            const osc_context *observed_ctx[MAX_LAYERS];
            for (size_t i = 0; i < n; i++)
                observed_ctx[i] = osc_context_set_get(client_set, i);
            peel_all(&observer_response, &rwire, NULL, observer_stack, n,
                     MAX_LAYERS);
            check_response_layers(sc, &observer_response, observed_ctx,
                                  OSC_PARTY_RECIPIENT, &response, &expected);
            peel_free(&requester);
            peel_free(&observer_response);
            free(rwire_bytes);
        }
        free(rwork);
    }

    peel_free(&observer);
    peel_free(&responder);
    free(wire_bytes);
    free(work);
    osc_context_set_free(client_set);
    osc_context_set_free(server_set);
}

static void test_matrix(void)
{
    static const size_t payloads[] = {0, 1, 64, 1500};
    size_t count = osc_aead_count();
    CHECK_EQ(count, 12);
    unsigned counter = 0;
    for (int mixed = 0; mixed < 2; mixed++)
        for (size_t a = 0; a < count; a++)
            for (size_t n = 1; n <= MAX_LAYERS; n++)
                for (size_t p = 0; p < 4; p++)
                    for (int observe = 0; observe < 2; observe++) {
                        scenario sc;
                        memset(&sc, 0, sizeof sc);
                        sc.n = n;
                        for (size_t i = 0; i < n; i++)
                            sc.aead[i] =
                                osc_aead_at(mixed ? (a + i * 5) % count : a)
                                    ->cose_id;
                        sc.payload_len = payloads[p];
                        sc.observe = observe != 0;
                        sc.idctx = (int)(counter % IDCTX_COUNT);
                        sc.piv_mode = (int)(counter / IDCTX_COUNT % PIV_COUNT);
                        sc.mode = (int)(counter / (IDCTX_COUNT * PIV_COUNT) %
                                        MODE_COUNT);
                        sc.empty_first_id = counter % 4 == 1;
                        sc.seed = counter;
                        run_scenario(&sc);
                        counter++;
                    }
    CHECK_EQ(counter, 2 * 12 * 8 * 4 * 2);
}

/* ---- Where escalated options surface ----------------------------------- */

/* Which of Uri-Host / Proxy-Scheme / Hop-Limit a message shows. */
static unsigned visible(const osc_coap_message *m)
{
    return (osc_coap_find_option(m, OSC_OPT_URI_HOST) ? 1u : 0u) |
           (osc_coap_find_option(m, OSC_OPT_PROXY_SCHEME) ? 2u : 0u) |
           (osc_coap_find_option(m, OSC_OPT_HOP_LIMIT) ? 4u : 0u);
}

static void test_placement(void)
{
    for (size_t n = 1; n <= MAX_LAYERS; n++)
        for (int mode = MODE_PLAIN; mode < MODE_COUNT; mode++) {
            scenario sc;
            memset(&sc, 0, sizeof sc);
            sc.n = n;
            for (size_t i = 0; i < n; i++)
                sc.aead[i] = OSC_AEAD_AES_CCM_16_64_128;
            sc.payload_len = 1;
            sc.mode = mode;
            sc.seed = 7;
            char text[256];
            describe(&sc, text, sizeof text);
            set_scenario(text);

            ctx_options co = {false, false, 7, 0};
            osc_context ctx[MAX_LAYERS];
            osc_context_set *set = osc_context_set_new();
            for (size_t i = 0; i < n; i++) {
                make_context(sc.aead[i], i, &co, &ctx[i]);
                osc_context_set_add(set, NULL, &ctx[i], NULL);
            }
            osc_coap_message request = make_request(&sc);
            /* Client talking to the server directly, with Hop-Limit. */
            if (mode == MODE_PLAIN)
                osc_coap_add_option(&request, OSC_OPT_HOP_LIMIT, hop_limit, 1);
            osc_request_layer_spec specs[MAX_LAYERS];
            memset(specs, 0, sizeof specs);
            for (size_t i = 0; i < n; i++) {
                specs[i].ctx = &ctx[i];
                specs[i].sequence_number = i + 1;
                specs[i].peer = peer_for(i, n, mode);
            }
            size_t work_size = osc_layers_protect_work_size(&request, n);
            uint8_t *work = malloc(work_size);
            osc_coap_message out;
            SCHECK_EQ(osc_protect_request_layers(&request, specs, n, work,
                                                 work_size, &out, NULL),
                      OSC_OK);
            uint8_t *bytes;
            osc_coap_message wire = reparse(&out, &bytes);
            static peel_run run;
            peel_all(&run, &wire, set, NULL, 0, MAX_LAYERS);
            SCHECK_EQ(run.count, n);
            if (run.count == n) {
                const osc_coap_message *after_first = &run.res[0].result;
                if (mode == MODE_REVERSE) {
                    /* Uri-Host without Proxy-Scheme: outer everywhere. */
                    SCHECK_EQ(visible(&wire), 1);
                    for (size_t d = 0; d < n; d++)
                        SCHECK_EQ(visible(&run.res[d].result), 1);
                } else if (mode == MODE_FORWARD && n > 1) {
                    /* Proxy-Scheme, Uri-Host with it and Hop-Limit: hidden
                     * on the wire, readable by the first proxy once it has
                     * removed its (the outermost) layer. */
                    SCHECK_EQ(visible(&wire), 0);
                    if (!CHECK_EQ(visible(after_first), 7)) {
                        report_scenario();
                        for (size_t d = 1; d < n; d++)
                            if (visible(&run.res[d].result) == 7) {
                                fprintf(stderr,
                                        "  they surface only after layer %zu "
                                        "(the C-P%zu layer)\n",
                                        d, d + 1);
                                break;
                            }
                    }
                } else if (mode == MODE_FORWARD) {
                    /* One e2e layer, an OSCORE-unaware forward proxy next:
                     * all three outer. */
                    SCHECK_EQ(visible(&wire), 7);
                } else if (n == 1) {
                    /* Direct: Hop-Limit protected end to end. */
                    SCHECK_EQ(visible(&wire), 0);
                    SCHECK_EQ(visible(after_first), 4);
                } else {
                    /* Hop-Limit for the first (reverse) proxy. */
                    SCHECK_EQ(visible(&wire), 0);
                    SCHECK_EQ(visible(after_first) & 4, 4);
                }
                SCHECK(same_message(run.final, &request));
            }
            peel_free(&run);
            free(bytes);
            free(work);
            osc_context_set_free(set);
        }
}

/* ---- Negative cases ---------------------------------------------------- */

typedef struct fixture {
    size_t n;
    osc_context client[MAX_LAYERS];
    osc_context_set *set;
    osc_coap_message request;
    osc_request_binding bindings[MAX_LAYERS];
    uint8_t *work;
    uint8_t *wire_bytes;
    osc_coap_message wire;
} fixture;

static void fixture_init(fixture *f, size_t n, uint64_t first_seq,
                         uint8_t secret_tweak)
{
    memset(f, 0, sizeof *f);
    f->n = n;
    ctx_options co = {false, false, 3, secret_tweak};
    f->set = osc_context_set_new();
    scenario sc;
    memset(&sc, 0, sizeof sc);
    sc.n = n;
    sc.payload_len = 20;
    sc.seed = 3;
    for (size_t i = 0; i < n; i++) {
        make_context(osc_aead_at((i * 7) % osc_aead_count())->cose_id, i, &co,
                     &f->client[i]);
        osc_context_set_add(f->set, NULL, &f->client[i], NULL);
    }
    f->request = make_request(&sc);
    osc_request_layer_spec specs[MAX_LAYERS];
    memset(specs, 0, sizeof specs);
    for (size_t i = 0; i < n; i++) {
        specs[i].ctx = &f->client[i];
        specs[i].sequence_number = first_seq + i;
        specs[i].peer = peer_for(i, n, MODE_PLAIN);
    }
    size_t size = osc_layers_protect_work_size(&f->request, n);
    f->work = malloc(size);
    osc_coap_message out;
    SCHECK_EQ(osc_protect_request_layers(&f->request, specs, n, f->work, size,
                                         &out, f->bindings),
              OSC_OK);
    f->wire = reparse(&out, &f->wire_bytes);
}

static void fixture_free(fixture *f)
{
    osc_context_set_free(f->set);
    free(f->work);
    free(f->wire_bytes);
}

/* Protects a 2.05 response to the fixture's request with the requester's
 * bindings (same keys as the responder's), every layer with or without
 * Partial IV. */
static osc_coap_message protect_response(fixture *f, bool with_piv,
                                         uint8_t **work, uint8_t **bytes)
{
    scenario sc;
    memset(&sc, 0, sizeof sc);
    sc.payload_len = 20;
    osc_coap_message response = make_response(&sc, &f->request);
    osc_response_layer_spec specs[MAX_LAYERS];
    for (size_t d = 0; d < f->n; d++) {
        specs[d].request = &f->bindings[d];
        specs[d].with_piv = with_piv;
        specs[d].sequence_number = 100 + d;
    }
    size_t size = osc_layers_protect_work_size(&response, f->n);
    *work = malloc(size);
    osc_coap_message out;
    SCHECK_EQ(
        osc_protect_response_layers(&response, specs, f->n, *work, size, &out),
        OSC_OK);
    return reparse(&out, bytes);
}

static void test_wrong_key(void)
{
    set_scenario("wrong key");
    fixture f, wrong;
    fixture_init(&f, 2, 5, 0);
    fixture_init(&wrong, 2, 5, 0x55); /* same IDs, other Master Secret */

    /* Request: the only candidate has the wrong key. */
    static peel_run run;
    peel_all(&run, &f.wire, wrong.set, NULL, 0, MAX_LAYERS);
    SCHECK_EQ(run.status, OSC_ERR_AUTH_FAILED);
    SCHECK_EQ(run.count, 0);
    SCHECK(run.res[0].plaintext == NULL);
    SCHECK_EQ(run.res[0].plaintext_len, 0);
    SCHECK(run.res[0].ctx == osc_context_set_get(wrong.set, 1));
    SCHECK_EQ(run.res[0].candidates_tried, 1);
    peel_free(&run);

    /* Wrong and right context with the same kid: the right one wins. */
    osc_context_set *both = osc_context_set_new();
    osc_context_set_add(both, "wrong", &wrong.client[1], NULL);
    osc_context_set_add(both, "wrong0", &wrong.client[0], NULL);
    osc_context_set_add(both, "right", &f.client[1], NULL);
    osc_context_set_add(both, "right0", &f.client[0], NULL);
    peel_all(&run, &f.wire, both, NULL, 0, MAX_LAYERS);
    SCHECK_EQ(run.status, OSC_OK);
    SCHECK_EQ(run.count, 2);
    SCHECK(run.res[0].ctx == osc_context_set_get(both, 2));
    SCHECK_EQ(run.res[0].candidates_tried, 2);
    SCHECK(same_message(run.final, &f.request));
    peel_free(&run);
    osc_context_set_free(both);

    /* Response: the binding's context has the wrong key. */
    for (int with_piv = 0; with_piv < 2; with_piv++) {
        uint8_t *work, *bytes;
        osc_coap_message rwire = protect_response(&f, with_piv, &work, &bytes);
        osc_request_binding bad[MAX_LAYERS];
        memcpy(bad, f.bindings, sizeof bad);
        bad[0].ctx = &wrong.client[1];
        peel_all(&run, &rwire, NULL, bad, 2, MAX_LAYERS);
        SCHECK_EQ(run.status, OSC_ERR_AUTH_FAILED);
        SCHECK_EQ(run.count, 0);
        SCHECK(run.res[0].plaintext == NULL);
        SCHECK_EQ(run.res[0].plaintext_len, 0);
        peel_free(&run);
        /* Right outer layer, wrong inner one. */
        memcpy(bad, f.bindings, sizeof bad);
        bad[1].ctx = &wrong.client[0];
        peel_all(&run, &rwire, NULL, bad, 2, MAX_LAYERS);
        SCHECK_EQ(run.status, OSC_ERR_AUTH_FAILED);
        SCHECK_EQ(run.count, 1);
        SCHECK(run.res[1].plaintext == NULL);
        SCHECK_EQ(run.res[1].plaintext_len, 0);
        peel_free(&run);
        free(work);
        free(bytes);
    }
    fixture_free(&f);
    fixture_free(&wrong);
}

static void test_wrong_binding(void)
{
    set_scenario("response with the wrong request binding");
    fixture f, other;
    fixture_init(&f, 3, 40, 0);
    fixture_init(&other, 3, 41, 0); /* same contexts, other PIVs */
    static peel_run run;
    for (int with_piv = 0; with_piv < 2; with_piv++) {
        uint8_t *work, *bytes;
        osc_coap_message rwire = protect_response(&f, with_piv, &work, &bytes);
        /* The right stack works. */
        peel_all(&run, &rwire, NULL, f.bindings, 3, MAX_LAYERS);
        SCHECK_EQ(run.status, OSC_OK);
        SCHECK_EQ(run.count, 3);
        peel_free(&run);
        /* Another request's stack (other PIV): the AAD (and, without a
         * response PIV, the nonce) differs. */
        peel_all(&run, &rwire, NULL, other.bindings, 3, MAX_LAYERS);
        SCHECK_EQ(run.status, OSC_ERR_AUTH_FAILED);
        SCHECK_EQ(run.count, 0);
        SCHECK(run.res[0].plaintext == NULL);
        peel_free(&run);
        /* Only the innermost binding wrong. */
        osc_request_binding mixed[MAX_LAYERS];
        memcpy(mixed, f.bindings, sizeof mixed);
        mixed[2] = other.bindings[2];
        peel_all(&run, &rwire, NULL, mixed, 3, MAX_LAYERS);
        SCHECK_EQ(run.status, OSC_ERR_AUTH_FAILED);
        SCHECK_EQ(run.count, 2);
        peel_free(&run);
        /* The stack in the wrong order. */
        osc_request_binding reversed[3] = {f.bindings[2], f.bindings[1],
                                           f.bindings[0]};
        peel_all(&run, &rwire, NULL, reversed, 3, MAX_LAYERS);
        SCHECK_EQ(run.status, OSC_ERR_AUTH_FAILED);
        peel_free(&run);
        free(work);
        free(bytes);
    }
    fixture_free(&f);
    fixture_free(&other);
}

/* Applies the layers one at a time through the wire, flipping one byte
 * of the ciphertext of the layer that is removed at depth `tamper` (the
 * first byte, or the last one, which is in the tag). */
static void test_flip_at_each_layer(void)
{
    for (size_t n = 1; n <= MAX_LAYERS; n++)
        for (size_t tamper = 0; tamper < n; tamper++)
            for (int last = 0; last < 2; last++)
                for (int response = 0; response < 2; response++) {
                    char text[128];
                    snprintf(text, sizeof text,
                             "%zu layers, %s byte of the %s ciphertext "
                             "flipped at depth %zu",
                             n, last ? "last (tag)" : "first",
                             response ? "response" : "request", tamper);
                    set_scenario(text);
                    fixture f;
                    fixture_init(&f, n, 9, 0);
                    uint8_t *works[MAX_LAYERS] = {0}, *bufs[MAX_LAYERS] = {0};
                    osc_coap_message stages[MAX_LAYERS];
                    scenario sc;
                    memset(&sc, 0, sizeof sc);
                    sc.payload_len = 64;
                    osc_coap_message base = make_response(&sc, &f.request);
                    const osc_coap_message *cur = response ? &base : &f.request;
                    osc_request_binding bindings[MAX_LAYERS];
                    for (size_t step = 0; step < n; step++) {
                        size_t depth = n - 1 - step; /* removed at */
                        osc_coap_message out;
                        size_t size = osc_layers_protect_work_size(cur, 1);
                        works[step] = malloc(size);
                        osc_status s;
                        if (response) {
                            osc_response_layer_spec spec = {
                                &f.bindings[depth], step % 2 == 0, step, 0};
                            s = osc_protect_response_layers(
                                cur, &spec, 1, works[step], size, &out);
                        } else {
                            osc_request_layer_spec spec;
                            memset(&spec, 0, sizeof spec);
                            spec.ctx = &f.client[step];
                            spec.sequence_number = 77 + step;
                            spec.peer = peer_for(step, n, MODE_PLAIN);
                            s = osc_protect_request_layers(
                                cur, &spec, 1, works[step], size, &out,
                                &bindings[depth]);
                        }
                        SCHECK_EQ(s, OSC_OK);
                        size_t len;
                        bufs[step] = serialize(&out, &len);
                        if (depth == tamper && out.payload_length > 0)
                            bufs[step][last ? len - 1
                                            : len - out.payload_length] ^= 0x01;
                        SCHECK_EQ(osc_coap_parse(bufs[step], len,
                                                 OSC_COAP_FRAMING_UDP,
                                                 &stages[step]),
                                  OSC_OK);
                        cur = &stages[step];
                    }
                    static peel_run run;
                    if (response)
                        peel_all(&run, cur, NULL, f.bindings, n, MAX_LAYERS);
                    else
                        peel_all(&run, cur, f.set, NULL, 0, MAX_LAYERS);
                    SCHECK_EQ(run.status, OSC_ERR_AUTH_FAILED);
                    SCHECK_EQ(run.count, tamper);
                    if (run.count == tamper) {
                        const osc_layer_result *r = &run.res[tamper];
                        SCHECK(r->plaintext == NULL);
                        SCHECK_EQ(r->plaintext_len, 0);
                        /* The context of that layer was the one tried. */
                        SCHECK(r->ctx != NULL &&
                               r->ctx->aead == f.client[n - 1 - tamper].aead);
                    }
                    peel_free(&run);
                    for (size_t i = 0; i < n; i++) {
                        free(works[i]);
                        free(bufs[i]);
                    }
                    fixture_free(&f);
                }
}

/* A flipped byte in the visible OSCORE option (PIV, kid) of a request:
 * the nonce/AAD change, so authentication fails or no context is found. */
static void test_flip_option(void)
{
    set_scenario("flipped OSCORE option bytes");
    fixture f;
    fixture_init(&f, 1, 0x1234, 0);
    const osc_coap_option *opt = osc_coap_find_option(&f.wire, OSC_OPT_OSCORE);
    SCHECK(opt != NULL && opt->length == 1 + 2 + f.client[0].id_len[0]);
    size_t offset = (size_t)(opt->value - f.wire_bytes);
    size_t wire_len;
    uint8_t *copy = serialize(&f.wire, &wire_len);
    /* PIV bytes. */
    for (size_t i = 1; i <= 2; i++) {
        copy[offset + i] ^= 0x80;
        osc_coap_message m;
        SCHECK_EQ(osc_coap_parse(copy, wire_len, OSC_COAP_FRAMING_UDP, &m),
                  OSC_OK);
        static peel_run run;
        peel_all(&run, &m, f.set, NULL, 0, MAX_LAYERS);
        SCHECK_EQ(run.status, OSC_ERR_AUTH_FAILED);
        peel_free(&run);
        copy[offset + i] ^= 0x80;
    }
    /* First kid byte: no context has that kid. */
    copy[offset + 3] ^= 0x80;
    osc_coap_message m;
    SCHECK_EQ(osc_coap_parse(copy, wire_len, OSC_COAP_FRAMING_UDP, &m), OSC_OK);
    static peel_run run;
    peel_all(&run, &m, f.set, NULL, 0, MAX_LAYERS);
    SCHECK_EQ(run.status, OSC_ERR_NO_CONTEXT);
    peel_free(&run);
    free(copy);
    fixture_free(&f);
}

static void test_depth_limit(void)
{
    set_scenario("depth limit");
    fixture f;
    fixture_init(&f, 3, 1, 0);
    for (size_t max = 0; max <= 4; max++) {
        static peel_run run;
        size_t before_len, after_len;
        uint8_t *before = serialize(&f.wire, &before_len);
        peel_all(&run, &f.wire, f.set, NULL, 0, max);
        if (max < 3) {
            SCHECK_EQ(run.status, OSC_ERR_DEPTH_LIMIT);
            SCHECK_EQ(run.count, max);
            SCHECK_EQ(run.res[max].status, OSC_ERR_DEPTH_LIMIT);
            SCHECK(run.res[max].is_request);
            SCHECK(run.res[max].plaintext == NULL);
        } else {
            SCHECK_EQ(run.status, OSC_OK);
            SCHECK_EQ(run.count, 3);
            SCHECK(same_message(run.final, &f.request));
        }
        /* The message itself is never touched. */
        uint8_t *after = serialize(&f.wire, &after_len);
        SCHECK(before_len == after_len &&
               memcmp(before, after, before_len) == 0);
        free(before);
        free(after);
        peel_free(&run);
    }

    /* Responses honour it too. */
    uint8_t *work, *bytes;
    osc_coap_message rwire = protect_response(&f, true, &work, &bytes);
    static peel_run run;
    peel_all(&run, &rwire, NULL, f.bindings, 3, 2);
    SCHECK_EQ(run.status, OSC_ERR_DEPTH_LIMIT);
    SCHECK_EQ(run.count, 2);
    SCHECK(!run.res[2].is_request);
    peel_free(&run);
    free(work);
    free(bytes);
    fixture_free(&f);
}

static void test_missing_binding(void)
{
    set_scenario("response with more layers than the request stack");
    fixture f;
    fixture_init(&f, 3, 1, 0);
    uint8_t *work, *bytes;
    osc_coap_message rwire = protect_response(&f, false, &work, &bytes);
    static peel_run run;
    for (size_t stack_len = 0; stack_len < 3; stack_len++) {
        peel_all(&run, &rwire, NULL, f.bindings, stack_len, MAX_LAYERS);
        SCHECK_EQ(run.status, OSC_ERR_NO_REQUEST_BINDING);
        SCHECK_EQ(run.count, stack_len);
        peel_free(&run);
    }
    peel_all(&run, &rwire, NULL, NULL, 3, MAX_LAYERS);
    SCHECK_EQ(run.status, OSC_ERR_NO_REQUEST_BINDING);
    SCHECK_EQ(run.count, 0);
    peel_free(&run);

    /* Protecting: a response layer without its request. */
    osc_response_layer_spec spec = {NULL, false, 0, 0};
    osc_coap_message out;
    scenario sc;
    memset(&sc, 0, sizeof sc);
    osc_coap_message response = make_response(&sc, &f.request);
    uint8_t w[4096];
    SCHECK_EQ(
        osc_protect_response_layers(&response, &spec, 1, w, sizeof w, &out),
        OSC_ERR_NO_REQUEST_BINDING);
    SCHECK_EQ(
        osc_protect_response_layers(&response, &spec, 0, w, sizeof w, &out),
        OSC_ERR_INVALID_ARGUMENT);
    osc_request_layer_spec rspec;
    memset(&rspec, 0, sizeof rspec);
    rspec.ctx = &f.client[0];
    SCHECK_EQ(osc_protect_request_layers(&f.request, &rspec, 0, w, sizeof w,
                                         &out, NULL),
              OSC_ERR_INVALID_ARGUMENT);
    free(work);
    free(bytes);
    fixture_free(&f);
}

/* A hand-built OSCORE message: option value and payload given. */
static osc_coap_message raw_message(uint8_t code, const uint8_t *option,
                                    size_t option_len, const uint8_t *payload,
                                    size_t payload_len)
{
    osc_coap_message m;
    memset(&m, 0, sizeof m);
    m.type = OSC_COAP_TYPE_CON;
    m.message_id = 1;
    m.code = code;
    osc_coap_add_option(&m, OSC_OPT_OSCORE, option, (uint32_t)option_len);
    m.payload = payload;
    m.payload_length = payload_len;
    return m;
}

static osc_status peel_one(const osc_coap_message *m,
                           const osc_context_set *set,
                           const osc_request_binding *stack, size_t stack_len,
                           osc_layer_result *result)
{
    size_t need = osc_layer_unprotect_work_size(m);
    uint8_t *work = malloc(need ? need : 1);
    osc_status s = osc_peel_layer(m, set, stack, stack_len, 0, MAX_LAYERS, work,
                                  need, result);
    SCHECK_EQ(result->status, s);
    free(work);
    return s;
}

static void test_named_errors(void)
{
    set_scenario("named errors of hand-built messages");
    /* A context whose Sender ID is 25 (the RFC 8613 6.3 example kid). */
    osc_context_params p;
    osc_context_params_init(&p);
    p.master_secret_len = 16;
    memset(p.master_secret, 0x11, 16);
    p.sender_id[0] = 0x25;
    p.sender_id_len = 1;
    p.recipient_id[0] = 0x52;
    p.recipient_id_len = 1;
    osc_context ctx;
    SCHECK_EQ(osc_context_derive(&p, &ctx), OSC_OK);
    osc_context_set *set = osc_context_set_new();
    osc_context_set_add(set, "25", &ctx, NULL);
    static osc_layer_result r;
    static const uint8_t ciphertext[16] = {1, 2, 3, 4, 5, 6, 7, 8, 9};

    static const struct {
        const char *what;
        uint8_t code;
        const char *option;
        size_t payload_len;
        osc_status want;
    } cases[] = {
        {"request without kid", OSC_COAP_CODE_POST, "0105", 16,
         OSC_ERR_MISSING_KID},
        {"request without PIV", OSC_COAP_CODE_POST, "0825", 16,
         OSC_ERR_MISSING_PIV},
        {"request, empty option", OSC_COAP_CODE_POST, "", 16,
         OSC_ERR_MISSING_PIV},
        {"request, unknown kid", OSC_COAP_CODE_POST, "091426", 16,
         OSC_ERR_NO_CONTEXT},
        {"request, kid longer than any ID", OSC_COAP_CODE_POST,
         "0914010203040506070809", 16, OSC_ERR_NO_CONTEXT},
        {"request without payload", OSC_COAP_CODE_POST, "090525", 0,
         OSC_ERR_NO_PAYLOAD},
        {"group request, unknown Gid", OSC_COAP_CODE_POST, "39050344616c25", 16,
         OSC_ERR_NO_CONTEXT},
        {"reserved flags", OSC_COAP_CODE_POST, "c90525", 16,
         OSC_ERR_OPTION_RESERVED_FLAGS},
        {"PIV length 6", OSC_COAP_CODE_POST, "0e01020304050625", 16,
         OSC_ERR_OPTION_PIV_RESERVED},
        {"truncated kid context", OSC_COAP_CODE_POST, "19050925", 16,
         OSC_ERR_OPTION_TRUNCATED},
        {"ciphertext shorter than the tag", OSC_COAP_CODE_POST, "090525", 3,
         OSC_ERR_AUTH_FAILED},
        {"forged ciphertext", OSC_COAP_CODE_POST, "090525", 16,
         OSC_ERR_AUTH_FAILED},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        uint8_t option[32];
        size_t option_len =
            hex_to_bytes(cases[i].option, option, sizeof option);
        osc_coap_message m = raw_message(
            cases[i].code, option, option_len,
            cases[i].payload_len ? ciphertext : NULL, cases[i].payload_len);
        osc_status got = peel_one(&m, set, NULL, 0, &r);
        if (!CHECK_EQ(got, cases[i].want))
            fprintf(stderr, "  %s: got %s\n", cases[i].what,
                    osc_status_name(got));
        SCHECK(r.plaintext == NULL);
        SCHECK_EQ(r.plaintext_len, 0);
        SCHECK(r.is_request);
    }
    /* No set at all: no context. */
    uint8_t option[] = {0x09, 0x05, 0x25};
    osc_coap_message m =
        raw_message(OSC_COAP_CODE_POST, option, 3, ciphertext, 16);
    SCHECK_EQ(peel_one(&m, NULL, NULL, 0, &r), OSC_ERR_NO_CONTEXT);
    /* Without OSCORE option. */
    osc_coap_message plain;
    memset(&plain, 0, sizeof plain);
    plain.code = OSC_COAP_CODE_GET;
    SCHECK_EQ(peel_one(&plain, set, NULL, 0, &r), OSC_ERR_NO_OSCORE_OPTION);

    /* The plain layer function does not do group mode: the Group Flag
     * is refused even when a plain context has the kid. */
    uint8_t group_option[] = {0x39, 0x05, 0x03, 0x44, 0x61, 0x6c, 0x25};
    m = raw_message(OSC_COAP_CODE_POST, group_option, sizeof group_option,
                    ciphertext, 16);
    osc_candidate candidate = {&ctx, OSC_PARTY_SENDER, 0};
    size_t group_need = osc_layer_unprotect_work_size(&m);
    uint8_t *group_work = malloc(group_need);
    SCHECK_EQ(osc_layer_unprotect(&m, &candidate, 1, NULL, group_work,
                                  group_need, &r),
              OSC_ERR_GROUP_UNSUPPORTED);
    SCHECK(r.plaintext == NULL);
    free(group_work);

    /* Responses: no payload, group flag (with a plain binding). */
    fixture f;
    fixture_init(&f, 1, 1, 0);
    m = raw_message(OSC_COAP_CODE_CHANGED, NULL, 0, NULL, 0);
    SCHECK_EQ(peel_one(&m, NULL, f.bindings, 1, &r), OSC_ERR_NO_PAYLOAD);
    SCHECK(!r.is_request);
    uint8_t group_response[] = {0x28, 0x52};
    m = raw_message(OSC_COAP_CODE_CHANGED, group_response, 2, ciphertext, 16);
    SCHECK_EQ(peel_one(&m, NULL, f.bindings, 1, &r), OSC_ERR_GROUP_UNSUPPORTED);
    fixture_free(&f);

    /* Work buffers smaller than the payload: refused, never overrun
     * (exact-size heap blocks under ASan). */
    m = raw_message(OSC_COAP_CODE_POST, option, 3, ciphertext, 16);
    for (size_t cap = 0; cap <= 16; cap += 4) {
        uint8_t *small = malloc(cap ? cap : 1);
        SCHECK_EQ(osc_peel_layer(&m, set, NULL, 0, 0, 4, small, cap, &r),
                  OSC_ERR_BUFFER_TOO_SMALL);
        free(small);
    }
    osc_context_set_free(set);
}

/* Plaintext that authenticates but is not code || options || payload. */
static void test_malformed_plaintext(void)
{
    set_scenario("malformed plaintext");
    fixture f;
    fixture_init(&f, 1, 0x21, 0);
    const osc_context *ctx = &f.client[0];
    static const struct {
        const char *hex;
    } plaintexts[] = {
        {""},     /* no code byte */
        {"01f0"}, /* option delta nibble 15 */
        {"010f"}, /* option length nibble 15 */
        {"01d1"}, /* delta 13 without its extension byte */
        {"0131"}, /* option value past the end */
        {"01ff"}, /* payload marker without payload */
        /* Code 0.00 (Empty, RFC 7252 4.1): with a payload (the fuzz
         * input 020000 of issue 12 decrypted to this), with an option,
         * and alone (the inner message would keep the outer token). */
        {"00ff01"},
        {"0061aa"},
        {"00"},
    };
    for (size_t i = 0; i < sizeof plaintexts / sizeof plaintexts[0]; i++) {
        uint8_t plaintext[8];
        size_t plaintext_len =
            hex_to_bytes(plaintexts[i].hex, plaintext, sizeof plaintext);
        uint8_t piv[] = {0x33};
        uint8_t nonce[OSC_MAX_NONCE_LEN], aad[64], ct[64], option[16];
        size_t aad_len;
        SCHECK_EQ(osc_nonce(ctx->common_iv, ctx->aead->nonce_len, ctx->id[0],
                            ctx->id_len[0], piv, 1, nonce),
                  OSC_OK);
        SCHECK_EQ(osc_aad(ctx->aead->cose_id,
                          OSC_BYTES(ctx->id[0], ctx->id_len[0]),
                          OSC_BYTES(piv, 1), OSC_BYTES(NULL, 0), aad,
                          sizeof aad, &aad_len),
                  OSC_OK);
        SCHECK_EQ(osc_aead_encrypt(ctx->aead, ctx->key[0], nonce, aad, aad_len,
                                   plaintext, plaintext_len, ct, sizeof ct),
                  OSC_OK);
        option[0] = 0x09;
        option[1] = 0x33;
        memcpy(option + 2, ctx->id[0], ctx->id_len[0]);
        osc_coap_message m =
            raw_message(OSC_COAP_CODE_POST, option, 2 + ctx->id_len[0], ct,
                        plaintext_len + ctx->aead->tag_len);
        static osc_layer_result r;
        osc_status got = peel_one(&m, f.set, NULL, 0, &r);
        if (!CHECK_EQ(got, OSC_ERR_PLAINTEXT_MALFORMED))
            fprintf(stderr, "  plaintext %s: got %s\n", plaintexts[i].hex,
                    osc_status_name(got));
    }
    fixture_free(&f);
}

static size_t put_bstr_head(uint8_t *out, size_t len)
{
    if (len < 24) {
        out[0] = (uint8_t)(0x40 | len);
        return 1;
    }
    if (len < 256) {
        out[0] = 0x58;
        out[1] = (uint8_t)len;
        return 2;
    }
    out[0] = 0x59;
    out[1] = (uint8_t)(len >> 8);
    out[2] = (uint8_t)len;
    return 3;
}

/* Replaces msg's payload with bstr(m3) || payload into buf. */
static void prefix_edhoc(osc_coap_message *msg, const uint8_t *m3,
                         size_t m3_len, uint8_t *buf)
{
    size_t head = put_bstr_head(buf, m3_len);
    memcpy(buf + head, m3, m3_len);
    memcpy(buf + head + m3_len, msg->payload, msg->payload_length);
    msg->payload = buf;
    msg->payload_length += head + m3_len;
}

static void test_edhoc(void)
{
    set_scenario("EDHOC + OSCORE combined request");
    static uint8_t m3[300];
    for (size_t i = 0; i < sizeof m3; i++)
        m3[i] = (uint8_t)(0x80 ^ i);
    fixture f;
    fixture_init(&f, 2, 0, 0);

    /* One layer; the peer is the EDHOC responder: EDHOC stays outer. */
    osc_coap_message original = f.request;
    osc_coap_add_option(&original, OSC_OPT_EDHOC, NULL, 0);
    osc_coap_message without_edhoc = f.request;
    static const size_t lengths[] = {0, 5, 24, 300};
    for (size_t k = 0; k < 4; k++) {
        osc_request_layer_spec spec;
        memset(&spec, 0, sizeof spec);
        spec.ctx = &f.client[1];
        spec.sequence_number = 0;
        spec.peer.sender_is_origin = true;
        spec.peer.peer_is_next_hop = true;
        spec.peer.peer_needs_edhoc_option = true;
        size_t size = osc_layers_protect_work_size(&original, 1);
        uint8_t *work = malloc(size);
        osc_coap_message out;
        osc_request_binding binding;
        SCHECK_EQ(osc_protect_request_layers(&original, &spec, 1, work, size,
                                             &out, &binding),
                  OSC_OK);
        SCHECK(osc_coap_find_option(&out, OSC_OPT_EDHOC) != NULL);
        size_t ct_len = out.payload_length;
        uint8_t *combined = malloc(ct_len + 3 + lengths[k]);
        prefix_edhoc(&out, m3, lengths[k], combined);
        uint8_t *bytes;
        osc_coap_message wire = reparse(&out, &bytes);
        static peel_run run;
        peel_all(&run, &wire, f.set, NULL, 0, MAX_LAYERS);
        SCHECK_EQ(run.status, OSC_OK);
        SCHECK_EQ(run.count, 1);
        const osc_layer_result *r = &run.res[0];
        SCHECK(r->edhoc_message_3 != NULL);
        SCHECK_EQ(r->edhoc_message_3_len, lengths[k]);
        if (r->edhoc_message_3 && r->edhoc_message_3_len == lengths[k] &&
            lengths[k])
            SCHECK(memcmp(r->edhoc_message_3, m3, lengths[k]) == 0);
        SCHECK_EQ(r->ciphertext_len, ct_len);
        SCHECK(r->ciphertext == wire.payload + wire.payload_length - ct_len);
        /* The EDHOC option is consumed with the prefix. */
        SCHECK(osc_coap_find_option(run.final, OSC_OPT_EDHOC) == NULL);
        SCHECK(same_message(run.final, &without_edhoc));
        peel_free(&run);
        free(bytes);
        free(combined);
        free(work);
    }

    /* Malformed combined requests. */
    uint8_t option[] = {0x09, 0x05, 0x10};
    static const struct {
        const char *payload;
        osc_status want;
    } bad[] = {
        {"0102030405060708090a", OSC_ERR_EDHOC_PREFIX}, /* uint, not bstr */
        {"4501020304", OSC_ERR_EDHOC_PREFIX},           /* bstr truncated */
        {"5f01020304ff", OSC_ERR_EDHOC_PREFIX},         /* indefinite */
        {"4401020304", OSC_ERR_NO_PAYLOAD},             /* no ciphertext */
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        uint8_t payload[32];
        size_t len = hex_to_bytes(bad[i].payload, payload, sizeof payload);
        osc_coap_message m =
            raw_message(OSC_COAP_CODE_POST, option, 3, payload, len);
        osc_coap_add_option(&m, OSC_OPT_EDHOC, NULL, 0);
        static osc_layer_result r;
        osc_status got = peel_one(&m, f.set, NULL, 0, &r);
        if (!CHECK_EQ(got, bad[i].want))
            fprintf(stderr, "  EDHOC payload %s: got %s\n", bad[i].payload,
                    osc_status_name(got));
    }

    /* Two layers, EDHOC for the server behind the proxy (as in the second
     * combined request of draft-ietf-core-oscore-capable-proxies appendix B.5):
     * outer of C-S (S needs it), inside C-P (the proxy does not). */
    osc_coap_message req = f.request;
    osc_coap_add_option(&req, OSC_OPT_URI_HOST, host, 11);
    osc_coap_add_option(&req, OSC_OPT_PROXY_SCHEME, scheme, 4);
    osc_coap_message req_edhoc = req;
    osc_coap_add_option(&req_edhoc, OSC_OPT_EDHOC, NULL, 0);
    osc_request_layer_spec cs;
    memset(&cs, 0, sizeof cs);
    cs.ctx = &f.client[0];
    cs.peer.sender_is_origin = true;
    cs.peer.next_hop_is_proxy = true;
    cs.peer.next_hop_is_forward_proxy = true;
    cs.peer.peer_needs_edhoc_option = true;
    size_t size1 = osc_layers_protect_work_size(&req_edhoc, 1);
    uint8_t *work1 = malloc(size1);
    osc_coap_message layer1;
    SCHECK_EQ(osc_protect_request_layers(&req_edhoc, &cs, 1, work1, size1,
                                         &layer1, NULL),
              OSC_OK);
    SCHECK(osc_coap_find_option(&layer1, OSC_OPT_EDHOC) != NULL);
    SCHECK(osc_coap_find_option(&layer1, OSC_OPT_PROXY_SCHEME) != NULL);
    uint8_t *combined = malloc(layer1.payload_length + 2 + 40);
    prefix_edhoc(&layer1, m3, 40, combined);
    uint8_t *bytes1;
    osc_coap_message stage1 = reparse(&layer1, &bytes1);
    osc_request_layer_spec cp;
    memset(&cp, 0, sizeof cp);
    cp.ctx = &f.client[1];
    cp.sequence_number = 1;
    cp.peer.sender_is_origin = true;
    cp.peer.peer_is_next_hop = true;
    cp.peer.peer_is_proxy = true;
    cp.peer.peer_is_forward_proxy = true;
    cp.peer.next_hop_is_proxy = true;
    cp.peer.next_hop_is_forward_proxy = true;
    size_t size2 = osc_layers_protect_work_size(&stage1, 1);
    uint8_t *work2 = malloc(size2);
    osc_coap_message layer2;
    SCHECK_EQ(osc_protect_request_layers(&stage1, &cp, 1, work2, size2, &layer2,
                                         NULL),
              OSC_OK);
    uint8_t *bytes2;
    osc_coap_message wire = reparse(&layer2, &bytes2);
    SCHECK(osc_coap_find_option(&wire, OSC_OPT_EDHOC) == NULL);
    SCHECK(osc_coap_find_option(&wire, OSC_OPT_PROXY_SCHEME) == NULL);
    static peel_run run;
    peel_all(&run, &wire, f.set, NULL, 0, MAX_LAYERS);
    SCHECK_EQ(run.status, OSC_OK);
    SCHECK_EQ(run.count, 2);
    if (run.count == 2) {
        SCHECK(run.res[0].edhoc_message_3 == NULL);
        SCHECK(osc_coap_find_option(&run.res[0].result, OSC_OPT_EDHOC) != NULL);
        SCHECK(run.res[1].edhoc_message_3 != NULL &&
               run.res[1].edhoc_message_3_len == 40 &&
               memcmp(run.res[1].edhoc_message_3, m3, 40) == 0);
        SCHECK(same_message(run.final, &req));
    }
    peel_free(&run);
    free(bytes1);
    free(bytes2);
    free(combined);
    free(work1);
    free(work2);
    fixture_free(&f);
}

static void test_sequence_limit(void)
{
    set_scenario("sequence number limit");
    fixture f;
    fixture_init(&f, 3, 0, 0);
    osc_request_layer_spec specs[3];
    memset(specs, 0, sizeof specs);
    for (size_t i = 0; i < 3; i++) {
        specs[i].ctx = &f.client[i];
        specs[i].sequence_number = SEQ_MAX;
        specs[i].peer = peer_for(i, 3, MODE_PLAIN);
    }
    size_t size = osc_layers_protect_work_size(&f.request, 3);
    uint8_t *work = malloc(size);
    osc_coap_message out;
    osc_request_binding bindings[3];

    /* 2^40 - 1: a 5-byte Partial IV ff ff ff ff ff. */
    SCHECK_EQ(osc_protect_request_layers(&f.request, specs, 3, work, size, &out,
                                         bindings),
              OSC_OK);
    const osc_coap_option *opt = osc_coap_find_option(&out, OSC_OPT_OSCORE);
    static const uint8_t ff5[] = {0xff, 0xff, 0xff, 0xff, 0xff};
    SCHECK(opt && opt->length >= 6 && opt->value[0] == (0x08 | 5) &&
           memcmp(opt->value + 1, ff5, 5) == 0);
    for (size_t d = 0; d < 3; d++)
        SCHECK(bindings[d].piv_len == 5 &&
               memcmp(bindings[d].piv, ff5, 5) == 0);
    uint8_t *bytes;
    osc_coap_message wire = reparse(&out, &bytes);
    static peel_run run;
    peel_all(&run, &wire, f.set, NULL, 0, MAX_LAYERS);
    SCHECK_EQ(run.count, 3);
    for (size_t d = 0; d < run.count; d++)
        SCHECK(run.res[d].option.piv_len == 5);
    SCHECK(same_message(run.final, &f.request));
    peel_free(&run);
    free(bytes);

    /* A response with Partial IV 2^40 - 1 too. */
    scenario sc;
    memset(&sc, 0, sizeof sc);
    sc.payload_len = 3;
    osc_coap_message response = make_response(&sc, &f.request);
    osc_response_layer_spec rspecs[3];
    for (size_t d = 0; d < 3; d++) {
        rspecs[d].request = &bindings[d];
        rspecs[d].with_piv = true;
        rspecs[d].sequence_number = SEQ_MAX;
    }
    size_t rsize = osc_layers_protect_work_size(&response, 3);
    uint8_t *rwork = malloc(rsize);
    SCHECK_EQ(
        osc_protect_response_layers(&response, rspecs, 3, rwork, rsize, &out),
        OSC_OK);
    wire = reparse(&out, &bytes);
    peel_all(&run, &wire, NULL, bindings, 3, MAX_LAYERS);
    SCHECK_EQ(run.count, 3);
    SCHECK(same_message(run.final, &response));
    peel_free(&run);
    free(bytes);

    /* 2^40: exhausted, for any layer of the stack. */
    for (size_t bad = 0; bad < 3; bad++) {
        specs[bad].sequence_number = SEQ_MAX + 1;
        SCHECK_EQ(osc_protect_request_layers(&f.request, specs, 3, work, size,
                                             &out, NULL),
                  OSC_ERR_PIV_EXHAUSTED);
        specs[bad].sequence_number = SEQ_MAX;
        rspecs[bad].sequence_number = SEQ_MAX + 1;
        SCHECK_EQ(osc_protect_response_layers(&response, rspecs, 3, rwork,
                                              rsize, &out),
                  OSC_ERR_PIV_EXHAUSTED);
        rspecs[bad].sequence_number = SEQ_MAX;
    }
    specs[0].sequence_number = UINT64_MAX;
    SCHECK_EQ(osc_protect_request_layers(&f.request, specs, 1, work, size, &out,
                                         NULL),
              OSC_ERR_PIV_EXHAUSTED);
    /* Without Partial IV the response sequence number is not used. */
    rspecs[0].with_piv = false;
    rspecs[0].sequence_number = UINT64_MAX;
    SCHECK_EQ(
        osc_protect_response_layers(&response, rspecs, 1, rwork, rsize, &out),
        OSC_OK);

    /* Work buffer too small. */
    SCHECK_EQ(osc_protect_request_layers(&f.request, specs + 1, 2, work, 40,
                                         &out, NULL),
              OSC_ERR_BUFFER_TOO_SMALL);
    free(rwork);
    free(work);
    fixture_free(&f);
}

/* IDs of each algorithm's maximum length and one more. */
static void test_id_limits(void)
{
    set_scenario("ID length limits");
    for (size_t a = 0; a < osc_aead_count(); a++) {
        const osc_aead_alg *alg = osc_aead_at(a);
        size_t max = osc_aead_max_id_len(alg);
        SCHECK_EQ(max, alg->nonce_len - 6);
        osc_context_params p;
        osc_context_params_init(&p);
        p.aead_id = alg->cose_id;
        p.master_secret_len = 16;
        memset(p.master_secret, 7, 16);
        memset(p.sender_id, 0x33, sizeof p.sender_id);
        memset(p.recipient_id, 0x44, sizeof p.recipient_id);
        p.sender_id_len = max;
        p.recipient_id_len = max;
        osc_context ctx;
        SCHECK_EQ(osc_context_derive(&p, &ctx), OSC_OK);
        if (max < OSC_MAX_ID_LEN) {
            p.sender_id_len = max + 1;
            SCHECK_EQ(osc_context_derive(&p, &ctx), OSC_ERR_ID_TOO_LONG);
            p.sender_id_len = max;
            p.recipient_id_len = max + 1;
            SCHECK_EQ(osc_context_derive(&p, &ctx), OSC_ERR_ID_TOO_LONG);
        }
    }
}

int main(int argc, char **argv)
{
    tests_init(argc, argv);
    for (size_t i = 0; i < sizeof payload_bytes; i++)
        payload_bytes[i] = (uint8_t)(i * 13 + 5);
    test_id_limits();
    test_matrix();
    test_placement();
    test_wrong_key();
    test_wrong_binding();
    test_flip_at_each_layer();
    test_flip_option();
    test_depth_limit();
    test_missing_binding();
    test_named_errors();
    test_malformed_plaintext();
    test_edhoc();
    test_sequence_limit();
    return tests_finish();
}
