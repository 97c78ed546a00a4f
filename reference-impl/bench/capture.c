/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * oscore-bench-capture: writes a field-size capture for the tshark
 * benchmark (scripts/bench-plugin.sh) and the keys file that opens it.
 *
 * The traffic is what a capture point between a client and its forward
 * proxy sees: N exchanges (request + response) on one UDP leg, each
 * message carrying 1, 2 or 3 OSCORE layers
 * (draft-ietf-core-oscore-capable-proxies 2 and 3), or none at all (0:
 * the same CoAP traffic unprotected, what a CoAP user without OSCORE
 * brings to a tshark that has the plugin loaded):
 *   1 layer:  c-s               end to end only; the proxy is not an
 *                               OSCORE endpoint (RFC 8613 as deployed);
 *   2 layers: c-s, c-p          the client also shares a context with its
 *                               forward proxy (the draft's appendix B.1);
 *   3 layers: c-s, c-p2, c-p1   two forward proxies in a chain, the
 *                               client sharing a context with each
 *                               (appendix B.6 seen on the first leg).
 * Contexts are listed innermost first. Requests carry Proxy-Scheme and
 * Uri-Host, which the engine escalates into the layer of the next hop
 * when it is an OSCORE endpoint (2.2). Responses come back with the
 * mirrored layers and no Partial IV of their own (2.5).
 *
 * To look like field traffic rather than a loop: GET/POST/PUT on varied
 * paths and payload sizes, CON requests answered by piggybacked ACKs and
 * NON requests by NON responses, tokens of 4 to 8 bytes (unique: a
 * single-layer dissector matches responses by token), Message IDs that
 * start anywhere and wrap, Partial IVs that start anywhere per context
 * and grow from 1 to 3 bytes, up to a few exchanges outstanding at a
 * time, 20 ms between requests. All of it follows from the seed.
 *
 * Every context is AES-CCM-16-64-128 with HKDF-SHA-256, so the
 * single-layer capture also opens with Wireshark's built-in OSCORE
 * dissector; UAT_FILE receives its "oscore_contexts" row as a tshark -o
 * argument.
 *
 * Usage: oscore-bench-capture [-s SEED] LAYERS EXCHANGES PCAP KEYS [UAT_FILE]
 */
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "oscore/coap.h"
#include "oscore/context.h"
#include "oscore/engine.h"
#include "oscore/layer_stack.h"
#include "oscore/options.h"

#define MAX_LAYERS 3
#define MAX_DATAGRAM 1024
#define MAX_PENDING 16
#define REQUEST_INTERVAL_US 20000u
#define CLIENT_PORT 50133u
#define PROXY_PORT 5683u

static void die(const char *what)
{
    fprintf(stderr, "oscore-bench-capture: %s\n", what);
    exit(1);
}

static void die_status(const char *what, osc_status status)
{
    fprintf(stderr, "oscore-bench-capture: %s: %s\n", what,
            osc_status_name(status));
    exit(1);
}

/* ---- deterministic randomness (splitmix64) ---- */

static uint64_t rng_state;

static uint64_t rng_next(void)
{
    uint64_t z = (rng_state += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

static uint32_t rng_below(uint32_t bound)
{
    return (uint32_t)(rng_next() % bound);
}

/* A bijection on 32 bits: distinct exchange numbers give distinct
 * token prefixes, so no two requests share a token. */
static uint32_t scramble32(uint32_t x)
{
    x ^= x >> 16;
    x *= 0x7feb352du;
    x ^= x >> 15;
    x *= 0x846ca68bu;
    x ^= x >> 16;
    return x;
}

/* ---- pcap (Ethernet / IPv4 / UDP) ---- */

typedef struct endpoint {
    uint8_t mac[6];
    uint8_t ip[4];
    uint16_t port;
} endpoint;

/* Documentation addresses (RFC 5737) and locally administered MACs. */
static const endpoint client_ep = {
    {0x02, 0x00, 0x00, 0x00, 0x00, 0x0c}, {192, 0, 2, 10}, CLIENT_PORT};
static const endpoint proxy_ep = {
    {0x02, 0x00, 0x00, 0x00, 0x00, 0x01}, {192, 0, 2, 1}, PROXY_PORT};

static void put16(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

static void write32(FILE *f, uint32_t v)
{
    /* pcap is written in host order; readers detect it by the magic. */
    if (fwrite(&v, sizeof v, 1, f) != 1)
        die("write error");
}

static void pcap_header(FILE *f)
{
    write32(f, 0xa1b2c3d4u);
    write32(f, 2u | 4u << 16); /* version 2.4, as two host-order u16 */
    write32(f, 0);             /* thiszone */
    write32(f, 0);             /* sigfigs */
    write32(f, 65535);         /* snaplen */
    write32(f, 1);             /* LINKTYPE_ETHERNET */
}

static uint32_t sum16(uint32_t sum, const uint8_t *p, size_t n)
{
    for (size_t i = 0; i + 1 < n; i += 2)
        sum += (uint32_t)(p[i] << 8 | p[i + 1]);
    if (n % 2)
        sum += (uint32_t)(p[n - 1] << 8);
    return sum;
}

static uint16_t fold(uint32_t sum)
{
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    return (uint16_t)~sum;
}

/* IPv4 and UDP headers with correct checksums (RFC 768, RFC 791). */
static size_t build_ip_udp(uint8_t *ip, const endpoint *from,
                           const endpoint *to, size_t payload_len,
                           uint16_t ip_id)
{
    size_t udp_len = 8 + payload_len, ip_len = 20 + udp_len;
    memset(ip, 0, 28);
    ip[0] = 0x45;
    put16(ip + 2, (uint32_t)ip_len);
    put16(ip + 4, ip_id);
    ip[8] = 64;
    ip[9] = 17;
    memcpy(ip + 12, from->ip, 4);
    memcpy(ip + 16, to->ip, 4);
    put16(ip + 10, fold(sum16(0, ip, 20)));
    uint8_t *udp = ip + 20;
    put16(udp, from->port);
    put16(udp + 2, to->port);
    put16(udp + 4, (uint32_t)udp_len);
    uint32_t pseudo = sum16(0, ip + 12, 8) + 17 + (uint32_t)udp_len;
    uint16_t check = fold(sum16(pseudo, udp, udp_len));
    put16(udp + 6, check == 0 ? 0xffff : check);
    return ip_len;
}

static void pcap_frame(FILE *f, uint64_t time_us, const endpoint *from,
                       const endpoint *to, const uint8_t *coap, size_t len)
{
    static uint16_t ip_id;
    uint8_t frame[14 + 28 + MAX_DATAGRAM];
    if (len > MAX_DATAGRAM)
        die("message too long");
    memcpy(frame, to->mac, 6);
    memcpy(frame + 6, from->mac, 6);
    put16(frame + 12, 0x0800);
    memcpy(frame + 14 + 28, coap, len);
    size_t n = 14 + build_ip_udp(frame + 14, from, to, len, ip_id++);
    write32(f, (uint32_t)(time_us / 1000000u));
    write32(f, (uint32_t)(time_us % 1000000u));
    write32(f, (uint32_t)n);
    write32(f, (uint32_t)n);
    if (fwrite(frame, 1, n, f) != n)
        die("write error");
}

/* ---- contexts and keys file ---- */

typedef struct bench_context {
    const char *name;
    const char *comment;
    osc_context_params params;
    osc_context ctx;
    uint64_t next_sequence;
} bench_context;

static void fill_random(uint8_t *out, size_t len)
{
    for (size_t i = 0; i < len; i++)
        out[i] = (uint8_t)rng_next();
}

static void make_context(bench_context *c, const char *name,
                         const char *comment, uint8_t sender_id,
                         uint8_t recipient_id, bool salt)
{
    c->name = name;
    c->comment = comment;
    osc_context_params_init(&c->params);
    c->params.master_secret_len = 16;
    fill_random(c->params.master_secret, 16);
    if (salt) {
        c->params.master_salt_len = 8;
        fill_random(c->params.master_salt, 8);
    }
    c->params.sender_id[0] = sender_id;
    c->params.sender_id_len = 1;
    c->params.recipient_id[0] = recipient_id;
    c->params.recipient_id_len = 1;
    osc_status s = osc_context_derive(&c->params, &c->ctx);
    if (s != OSC_OK)
        die_status("derive", s);
    /* Partial IVs start anywhere below 2^16 and grow past it on long
     * runs, so every length from 1 to 3 bytes occurs. */
    c->next_sequence = rng_below(40000);
}

/* Contexts innermost first (the order osc_protect_request_layers takes). */
static size_t make_contexts(unsigned layers, bench_context *out)
{
    make_context(&out[0], "c-s", "client - origin server", 0x5f, 0x01, true);
    if (layers == 2)
        make_context(&out[1], "c-p", "client - forward proxy", 0x20, 0x50,
                     false);
    if (layers == 3) {
        make_context(&out[1], "c-p2", "client - second forward proxy", 0x21,
                     0x60, false);
        make_context(&out[2], "c-p1", "client - first forward proxy", 0x20,
                     0x50, false);
    }
    return layers;
}

static void print_hex(FILE *f, const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        fprintf(f, "%02x", p[i]);
}

static void write_keys(const char *path, const bench_context *c, size_t n,
                       uint64_t seed)
{
    FILE *f = fopen(path, "w");
    if (!f)
        die("cannot write the keys file");
    fprintf(f,
            "# Written by oscore-bench-capture (seed %" PRIu64 ") for its "
            "capture.\n# sender_id is the client's ID in each context.\n",
            seed);
    for (size_t i = 0; i < n; i++) {
        const osc_context_params *p = &c[i].params;
        fprintf(f, "\n# %s\n[%s]\nmaster_secret = ", c[i].comment, c[i].name);
        print_hex(f, p->master_secret, p->master_secret_len);
        if (p->master_salt_len) {
            fprintf(f, "\nmaster_salt = ");
            print_hex(f, p->master_salt, p->master_salt_len);
        }
        fprintf(f, "\nsender_id = ");
        print_hex(f, p->sender_id, p->sender_id_len);
        fprintf(f, "\nrecipient_id = ");
        print_hex(f, p->recipient_id, p->recipient_id_len);
        fprintf(f, "\naead = 10\n");
    }
    if (fclose(f) != 0)
        die("cannot write the keys file");
}

/* The built-in dissector's table row: Sender ID, Recipient ID, Master
 * Secret, Master Salt, ID Context, Algorithm (packet-oscore.c). */
static void write_uat(const char *path, const bench_context *c)
{
    FILE *f = fopen(path, "w");
    if (!f)
        die("cannot write the UAT file");
    const osc_context_params *p = &c->params;
    fprintf(f, "uat:oscore_contexts:\"");
    print_hex(f, p->sender_id, p->sender_id_len);
    fprintf(f, "\",\"");
    print_hex(f, p->recipient_id, p->recipient_id_len);
    fprintf(f, "\",\"");
    print_hex(f, p->master_secret, p->master_secret_len);
    fprintf(f, "\",\"");
    print_hex(f, p->master_salt, p->master_salt_len);
    fprintf(f, "\",\"\",\"AES-CCM-16-64-128 (CCM*)\"\n");
    if (fclose(f) != 0)
        die("cannot write the UAT file");
}

/* ---- messages ---- */

typedef struct exchange_plan {
    bool confirmable;
    uint8_t method;
    char path[2][24];
    char query[16];
    char body[160];
    size_t body_len;
} exchange_plan;

static const char *const resources[] = {"temp", "humidity", "co2",  "door",
                                        "lamp", "battery",  "meter"};

static void plan_exchange(uint64_t i, exchange_plan *x)
{
    memset(x, 0, sizeof *x);
    x->confirmable = rng_below(10) != 0;
    uint32_t pick = rng_below(20);
    x->method = pick < 16   ? OSC_COAP_CODE_GET
                : pick < 19 ? OSC_COAP_CODE_POST
                            : OSC_COAP_CODE_PUT;
    const char *res = resources[rng_below(7)];
    snprintf(x->path[0], sizeof x->path[0], "%s",
             x->method == OSC_COAP_CODE_GET ? "sensors" : "actuators");
    snprintf(x->path[1], sizeof x->path[1], "%s-%u", res, rng_below(64));
    if (rng_below(4) == 0)
        snprintf(x->query, sizeof x->query, "unit=%c", "ckp"[rng_below(3)]);
    /* Request body for POST/PUT, response body for GET: JSON of
     * 10 to ~150 bytes. */
    size_t pad = rng_below(120);
    int n = snprintf(x->body, sizeof x->body,
                     "{\"n\":\"%s\",\"seq\":%" PRIu64
                     ",\"v\":%u.%u,\"x\":\"%.*s\"}",
                     res, i, rng_below(100), rng_below(10), (int)pad,
                     "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz"
                     "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz"
                     "abcdefghijklmnopqrstuvwxyz");
    x->body_len = (size_t)n < sizeof x->body ? (size_t)n : sizeof x->body - 1;
}

static void add_option(osc_coap_message *m, uint16_t number, const void *value,
                       size_t len)
{
    osc_status s = osc_coap_add_option(m, number, value, (uint32_t)len);
    if (s != OSC_OK)
        die_status("add option", s);
}

static void add_string(osc_coap_message *m, uint16_t number, const char *s)
{
    add_option(m, number, s, strlen(s));
}

static uint8_t content_format_json[1] = {50};

static void build_request(const exchange_plan *x, uint16_t mid,
                          const uint8_t *token, uint8_t token_len,
                          osc_coap_message *m)
{
    memset(m, 0, sizeof *m);
    m->framing = OSC_COAP_FRAMING_UDP;
    m->type = x->confirmable ? OSC_COAP_TYPE_CON : OSC_COAP_TYPE_NON;
    m->message_id = mid;
    m->code = x->method;
    m->token_length = token_len;
    memcpy(m->token, token, token_len);
    /* A forward proxy request (RFC 7252 5.10.2): Proxy-Scheme + Uri-*. */
    add_string(m, OSC_OPT_URI_HOST, "server.example");
    add_string(m, OSC_OPT_URI_PATH, x->path[0]);
    add_string(m, OSC_OPT_URI_PATH, x->path[1]);
    if (x->method != OSC_COAP_CODE_GET)
        add_option(m, OSC_OPT_CONTENT_FORMAT, content_format_json, 1);
    if (x->query[0])
        add_string(m, OSC_OPT_URI_QUERY, x->query);
    add_string(m, OSC_OPT_PROXY_SCHEME, "coap");
    if (x->method != OSC_COAP_CODE_GET) {
        m->payload = (const uint8_t *)x->body;
        m->payload_length = x->body_len;
    }
}

static void build_response(const exchange_plan *x,
                           const osc_coap_message *request, uint16_t mid,
                           osc_coap_message *m)
{
    static uint8_t max_age[1] = {30};
    memset(m, 0, sizeof *m);
    m->framing = OSC_COAP_FRAMING_UDP;
    m->type = x->confirmable ? OSC_COAP_TYPE_ACK : OSC_COAP_TYPE_NON;
    m->message_id = x->confirmable ? request->message_id : mid;
    m->token_length = request->token_length;
    memcpy(m->token, request->token, request->token_length);
    if (x->method == OSC_COAP_CODE_GET) {
        m->code = OSC_COAP_CODE_CONTENT;
        add_option(m, OSC_OPT_CONTENT_FORMAT, content_format_json, 1);
        add_option(m, OSC_OPT_MAX_AGE, max_age, 1);
        m->payload = (const uint8_t *)x->body;
        m->payload_length = x->body_len;
    } else {
        m->code = x->method == OSC_COAP_CODE_POST ? OSC_COAP_CODE(2, 1)
                                                  : OSC_COAP_CODE_CHANGED;
    }
}

/* ---- protection ---- */

/* What the client knows about each layer's peer (2.2): only the
 * outermost layer's peer is the next hop, a forward proxy; the next hop
 * is a forward proxy in every case. As in the reference client
 * (endpoints/node.c), proxies further down are described as plain peers. */
static void request_specs(bench_context *c, size_t n,
                          osc_request_layer_spec *specs)
{
    memset(specs, 0, n * sizeof *specs);
    for (size_t i = 0; i < n; i++) {
        specs[i].ctx = &c[i].ctx;
        specs[i].party = OSC_PARTY_SENDER;
        specs[i].sequence_number = c[i].next_sequence++;
        specs[i].peer.sender_is_origin = true;
        specs[i].peer.next_hop_is_proxy = true;
        specs[i].peer.next_hop_is_forward_proxy = true;
        bool outer_proxy = n > 1 && i == n - 1;
        specs[i].peer.peer_is_next_hop = outer_proxy;
        specs[i].peer.peer_is_proxy = outer_proxy;
        specs[i].peer.peer_is_forward_proxy = outer_proxy;
    }
}

static size_t serialize(const osc_coap_message *m, uint8_t *out)
{
    size_t len = 0;
    osc_status s = osc_coap_serialize(m, out, MAX_DATAGRAM, &len);
    if (s != OSC_OK)
        die_status("serialize", s);
    return len;
}

/* osc_layers_protect_work_size bounds any kind of layer, group ones too. */
static uint8_t work[MAX_LAYERS][32768];

static size_t protect_request(const osc_coap_message *m, bench_context *c,
                              size_t n, osc_request_binding *bindings,
                              uint8_t *out)
{
    static osc_coap_message protected_msg;
    osc_request_layer_spec specs[MAX_LAYERS];
    if (n == 0)
        return serialize(m, out);
    if (osc_layers_protect_work_size(m, n) > sizeof work[0])
        die("work buffer too small");
    request_specs(c, n, specs);
    osc_status s = osc_protect_request_layers(
        m, specs, n, work[0], sizeof work[0], &protected_msg, bindings);
    if (s != OSC_OK)
        die_status("protect request", s);
    return serialize(&protected_msg, out);
}

static size_t protect_response(const osc_coap_message *m,
                               const osc_request_binding *bindings, size_t n,
                               uint8_t *out)
{
    static osc_coap_message protected_msg;
    osc_response_layer_spec specs[MAX_LAYERS];
    if (n == 0)
        return serialize(m, out);
    if (osc_layers_protect_work_size(m, n) > sizeof work[1])
        die("work buffer too small");
    memset(specs, 0, sizeof specs);
    for (size_t i = 0; i < n; i++)
        specs[i].request = &bindings[i];
    osc_status s = osc_protect_response_layers(m, specs, n, work[1],
                                               sizeof work[1], &protected_msg);
    if (s != OSC_OK)
        die_status("protect response", s);
    return serialize(&protected_msg, out);
}

/* ---- the capture ---- */

/* Responses waiting for their time, so that exchanges overlap. */
typedef struct pending_response {
    uint64_t time_us;
    size_t len;
    uint8_t bytes[MAX_DATAGRAM];
} pending_response;

static pending_response pending[MAX_PENDING];
static size_t pending_count;

static void flush_until(FILE *f, uint64_t time_us)
{
    while (pending_count > 0) {
        size_t first = 0;
        for (size_t i = 1; i < pending_count; i++)
            if (pending[i].time_us < pending[first].time_us)
                first = i;
        if (pending[first].time_us > time_us)
            return;
        pcap_frame(f, pending[first].time_us, &proxy_ep, &client_ep,
                   pending[first].bytes, pending[first].len);
        pending[first] = pending[--pending_count];
    }
}

typedef struct generator {
    FILE *pcap;
    bench_context contexts[MAX_LAYERS];
    size_t layers;
    uint16_t client_mid, proxy_mid;
    uint32_t token_salt; /* fixed per capture: token prefixes stay unique */
    uint64_t time_us;
} generator;

static void one_exchange(generator *g, uint64_t i)
{
    static osc_coap_message request, response;
    exchange_plan x;
    plan_exchange(i, &x);
    uint8_t token[OSC_COAP_MAX_TOKEN];
    uint8_t token_len = (uint8_t)(4 + rng_below(5));
    uint32_t prefix = scramble32((uint32_t)i ^ g->token_salt);
    for (int b = 0; b < 4; b++)
        token[b] = (uint8_t)(prefix >> (24 - 8 * b));
    fill_random(token + 4, token_len - 4u);
    build_request(&x, g->client_mid++, token, token_len, &request);

    osc_request_binding bindings[MAX_LAYERS];
    uint8_t bytes[MAX_DATAGRAM];
    size_t len =
        protect_request(&request, g->contexts, g->layers, bindings, bytes);
    g->time_us += REQUEST_INTERVAL_US - 2000u + rng_below(4000);
    flush_until(g->pcap, g->time_us);
    pcap_frame(g->pcap, g->time_us, &client_ep, &proxy_ep, bytes, len);

    /* The proxy numbers only the NON responses it originates; an ACK
     * takes the request's Message ID (RFC 7252 4.4). */
    uint16_t mid = x.confirmable ? 0 : g->proxy_mid++;
    build_response(&x, &request, mid, &response);
    if (pending_count == MAX_PENDING)
        die("too many outstanding responses");
    pending_response *p = &pending[pending_count++];
    /* Round trip through the proxy: 3 to 60 ms. */
    p->time_us = g->time_us + 3000u + rng_below(57000);
    p->len = protect_response(&response, bindings, g->layers, p->bytes);
}

static void usage(void)
{
    fprintf(stderr, "usage: oscore-bench-capture [-s SEED] LAYERS EXCHANGES "
                    "PCAP KEYS [UAT_FILE]\n"
                    "  LAYERS 0 (no OSCORE), 1, 2 or 3; UAT_FILE (1 layer "
                    "only) receives\n  the built-in OSCORE dissector's "
                    "context as a tshark -o argument\n");
    exit(2);
}

static uint64_t parse_number(const char *s, uint64_t max)
{
    char *end = NULL;
    unsigned long long v = strtoull(s, &end, 10);
    if (*s == '\0' || *end != '\0' || v > max)
        usage();
    return (uint64_t)v;
}

int main(int argc, char **argv)
{
    uint64_t seed = 1;
    int arg = 1;
    if (argc > 2 && strcmp(argv[1], "-s") == 0) {
        seed = parse_number(argv[2], UINT64_MAX);
        arg = 3;
    }
    if (argc - arg < 4 || argc - arg > 5)
        usage();
    unsigned layers = (unsigned)parse_number(argv[arg], MAX_LAYERS);
    uint64_t exchanges = parse_number(argv[arg + 1], 100000000u);
    const char *uat = argc - arg == 5 ? argv[arg + 4] : NULL;
    if (uat && layers != 1)
        usage();
    osc_status s = osc_engine_init();
    if (s != OSC_OK)
        die_status("engine", s);

    static generator g;
    rng_state = seed;
    g.layers = make_contexts(layers, g.contexts);
    g.client_mid = (uint16_t)rng_next();
    g.proxy_mid = (uint16_t)rng_next();
    g.token_salt = (uint32_t)rng_next();
    g.time_us = 1764748800u * (uint64_t)1000000u; /* 2025-12-03 08:00 UTC */
    g.pcap = fopen(argv[arg + 2], "wb");
    if (!g.pcap)
        die("cannot write the capture");
    pcap_header(g.pcap);
    for (uint64_t i = 0; i < exchanges; i++)
        one_exchange(&g, i);
    flush_until(g.pcap, UINT64_MAX);
    if (fclose(g.pcap) != 0)
        die("cannot write the capture");
    write_keys(argv[arg + 3], g.contexts, g.layers, seed);
    if (uat)
        write_uat(uat, &g.contexts[0]);
    return 0;
}
