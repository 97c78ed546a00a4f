/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Deterministic capture mutator for the plugin's fuzz regression test.
 *
 * Reads classic pcap files (Ethernet, raw IP, Linux cooked or BSD
 * loopback link types; pcapng is converted by the caller with editcap)
 * and writes ONE pcap file holding `variants` copies of every input,
 * each copy mutated by a seeded PRNG (splitmix64): the same seed and
 * inputs always give the same bytes. tshark's start-up costs seconds and
 * dissecting a frame microseconds, so many variants in one file keep the
 * test short.
 *
 * A fifth of the mutated copies are rewritten from IPv4 to IPv6 first. Each
 * copy normally gets its own addresses (the 2nd and 3rd octets of
 * every IPv4 address, bytes 4-5 of IPv6 ones), so the plugin sees it as
 * separate traffic; some copies keep the original addresses, so tokens,
 * Message IDs and Partial IVs of earlier copies collide with theirs.
 * Copy 0 of every input is unmutated.
 *
 * Mutations of a frame, chosen at random:
 *  - byte-level, in the CoAP message: bit flips, interesting byte
 *    values, truncation (IP/UDP lengths fixed, or only the captured
 *    length cut as a short snaplen would), insertion, deletion;
 *  - CoAP structure: TKL / Len nibble, option delta and length nibbles,
 *    the OSCORE option's flag byte and its kid context length, code,
 *    type/version, a 0xFF marker with nothing after it, the payload
 *    (ciphertext) spliced from another frame;
 *  - anywhere in the frame (link, IP, UDP/TCP headers), rarely;
 *  - frame level: duplicated, swapped with the next one, dropped;
 *  - RESEAL (with --keys): the frame's OSCORE layers are removed with
 *    the engine, the plaintext of one layer is mutated (code, options
 *    added/removed/changed, payload, raw bytes) and encrypted again with
 *    the same key, nonce and AAD, and every outer layer is sealed again
 *    around it. Only this reaches the plugin's handling of decrypted
 *    layers (inner options, nested OSCORE options, payload hand-off):
 *    byte mutations of a ciphertext only ever fail authentication;
 *  - WRAP (with --keys): a request protected again with 1 to 70 further
 *    layers of random contexts, past the plugin's layer cap of 63.
 *
 * Usage:
 *   pcap_mutate [--seed N] [--variants N] [--keys FILE] -o OUT.pcap IN...
 * Prints one line per input to stdout: frames read, frames written, and
 * how many frames were resealed.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "oscore/algorithms.h"
#include "oscore/coap.h"
#include "oscore/context_set.h"
#include "oscore/engine.h"
#include "oscore/layer_stack.h"
#include "oscore/options.h"
#include "oscore/peel.h"
#include "oscore_keyfile.h"

#define MAX_FRAME 65535
#define MAX_RESEAL_DEPTH 8

static void die(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "pcap_mutate: ");
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\n");
    va_end(ap);
    exit(2);
}

static void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (p == NULL) {
        die("out of memory");
    }
    return p;
}

static void *xmemdup(const void *src, size_t n)
{
    void *p = xmalloc(n);
    if (n > 0) {
        memcpy(p, src, n);
    }
    return p;
}

/* ---- PRNG (splitmix64): deterministic on every platform ---- */

typedef struct rng {
    uint64_t s;
} rng;

static uint64_t rng_next(rng *r)
{
    uint64_t z = (r->s += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

/* Uniform in [0, n); n > 0. */
static size_t rng_below(rng *r, size_t n)
{
    return n ? (size_t)(rng_next(r) % n) : 0;
}

static bool rng_chance(rng *r, unsigned percent)
{
    return rng_below(r, 100) < percent;
}

static rng rng_for(uint64_t seed, uint64_t a, uint64_t b)
{
    rng r = {seed ^ (a * 0x100000001b3ull) ^ (b << 32) ^ b};
    rng_next(&r);
    return r;
}

/* ---- frames ---- */

typedef struct frame {
    uint8_t *data;
    uint32_t caplen;
    uint32_t len; /* original length */
} frame;

typedef struct frame_list {
    frame *v;
    size_t n, cap;
} frame_list;

static void list_push(frame_list *l, const uint8_t *data, uint32_t caplen,
                      uint32_t len)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? 2 * l->cap : 64;
        l->v = realloc(l->v, l->cap * sizeof *l->v);
        if (l->v == NULL) {
            die("out of memory");
        }
    }
    frame *f = &l->v[l->n++];
    f->data = xmalloc(MAX_FRAME);
    memcpy(f->data, data, caplen);
    f->caplen = caplen;
    f->len = len < caplen ? caplen : len;
}

static void list_free(frame_list *l)
{
    for (size_t i = 0; i < l->n; i++) {
        free(l->v[i].data);
    }
    free(l->v);
    memset(l, 0, sizeof *l);
}

/* ---- pcap input, normalised to Ethernet ---- */

static uint32_t rd32(const uint8_t *p, bool swap)
{
    uint32_t v;
    memcpy(&v, p, 4);
    return swap ? __builtin_bswap32(v) : v;
}

/* Prepends an Ethernet header with ethertype et to payload. */
static void push_as_ethernet(frame_list *l, const uint8_t *payload, size_t n,
                             uint32_t orig_extra, uint16_t et)
{
    uint8_t buf[MAX_FRAME];
    if (n + 14 > MAX_FRAME) {
        n = MAX_FRAME - 14;
    }
    memset(buf, 0, 14);
    buf[5] = 1;
    buf[11] = 2;
    buf[12] = (uint8_t)(et >> 8);
    buf[13] = (uint8_t)et;
    memcpy(buf + 14, payload, n);
    list_push(l, buf, (uint32_t)(n + 14), (uint32_t)(n + 14) + orig_extra);
}

static uint16_t ethertype_of_ip(const uint8_t *p, size_t n)
{
    return (n > 0 && (p[0] >> 4) == 6) ? 0x86dd : 0x0800;
}

static void read_pcap(const char *path, frame_list *out)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        die("cannot open %s", path);
    }
    uint8_t hdr[24];
    if (fread(hdr, 1, 24, f) != 24) {
        die("%s: not a pcap file (too short)", path);
    }
    uint32_t magic;
    memcpy(&magic, hdr, 4);
    bool swap, nano;
    switch (magic) {
    case 0xa1b2c3d4:
        swap = false, nano = false;
        break;
    case 0xd4c3b2a1:
        swap = true, nano = false;
        break;
    case 0xa1b23c4d:
        swap = false, nano = true;
        break;
    case 0x4d3cb2a1:
        swap = true, nano = true;
        break;
    default:
        die("%s: not a classic pcap file (convert pcapng with editcap -F "
            "pcap)",
            path);
        return;
    }
    (void)nano; /* timestamps are rewritten */
    uint32_t linktype = rd32(hdr + 20, swap) & 0x0fffffff;
    uint8_t rec[16];
    uint8_t *buf = xmalloc(MAX_FRAME);
    while (fread(rec, 1, 16, f) == 16) {
        uint32_t caplen = rd32(rec + 8, swap);
        uint32_t len = rd32(rec + 12, swap);
        if (caplen > MAX_FRAME) {
            die("%s: record of %u bytes", path, caplen);
        }
        if (fread(buf, 1, caplen, f) != caplen) {
            break; /* cut short: keep what we have */
        }
        uint32_t extra = len > caplen ? len - caplen : 0;
        switch (linktype) {
        case 1: /* Ethernet */
            list_push(out, buf, caplen, len);
            break;
        case 101: /* raw IP */
        case 228: /* IPv4 */
        case 229: /* IPv6 */
            push_as_ethernet(out, buf, caplen, extra,
                             ethertype_of_ip(buf, caplen));
            break;
        case 0: /* BSD loopback: 4-byte family */
            if (caplen > 4) {
                push_as_ethernet(out, buf + 4, caplen - 4, extra,
                                 ethertype_of_ip(buf + 4, caplen - 4));
            }
            break;
        case 113: /* Linux cooked: 16 bytes, protocol at 14 */
            if (caplen > 16) {
                push_as_ethernet(out, buf + 16, caplen - 16, extra,
                                 (uint16_t)(buf[14] << 8 | buf[15]));
            }
            break;
        default:
            die("%s: link type %u not supported", path, linktype);
        }
    }
    free(buf);
    fclose(f);
}

/* ---- locating the layers of a frame ---- */

typedef struct loc {
    bool ip;
    size_t l3;     /* IP header offset */
    int version;   /* 4 or 6 */
    size_t l4;     /* UDP/TCP header offset */
    int proto;     /* 17 UDP, 6 TCP, 0 other */
    size_t coap;   /* transport payload offset */
    size_t coap_n; /* transport payload bytes captured */
} loc;

static uint16_t be16(const uint8_t *p)
{
    return (uint16_t)(p[0] << 8 | p[1]);
}

static void put16(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

static loc locate(const frame *f)
{
    loc l;
    memset(&l, 0, sizeof l);
    const uint8_t *d = f->data;
    size_t n = f->caplen, off = 12;
    if (n < 14) {
        return l;
    }
    uint16_t et = be16(d + off);
    while ((et == 0x8100 || et == 0x88a8) && off + 6 <= n) {
        off += 4;
        et = be16(d + off);
    }
    off += 2;
    if (et == 0x0800 && off + 20 <= n && (d[off] >> 4) == 4) {
        size_t ihl = (size_t)(d[off] & 0x0f) * 4;
        if (ihl < 20 || off + ihl > n) {
            return l;
        }
        l.ip = true;
        l.version = 4;
        l.l3 = off;
        l.proto = d[off + 9];
        /* Fragments (other than the first, or with MF) are left alone. */
        if ((be16(d + off + 6) & 0x3fff) != 0) {
            l.proto = 0;
        }
        l.l4 = off + ihl;
    } else if (et == 0x86dd && off + 40 <= n && (d[off] >> 4) == 6) {
        l.ip = true;
        l.version = 6;
        l.l3 = off;
        int nh = d[off + 6];
        size_t p = off + 40;
        /* Hop-by-hop, routing, destination options. */
        while ((nh == 0 || nh == 43 || nh == 60) && p + 8 <= n) {
            nh = d[p];
            p += (size_t)(d[p + 1] + 1) * 8;
        }
        l.proto = nh;
        l.l4 = p;
    } else {
        return l;
    }
    if (l.proto == 17 && l.l4 + 8 <= n) {
        l.coap = l.l4 + 8;
    } else if (l.proto == 6 && l.l4 + 20 <= n) {
        size_t doff = (size_t)(d[l.l4 + 12] >> 4) * 4;
        if (doff < 20 || l.l4 + doff > n) {
            l.proto = 0;
            return l;
        }
        l.coap = l.l4 + doff;
    } else {
        l.proto = 0;
        return l;
    }
    l.coap_n = n - l.coap;
    return l;
}

static uint16_t ip_checksum(const uint8_t *p, size_t n)
{
    uint32_t sum = 0;
    for (size_t i = 0; i + 1 < n; i += 2) {
        sum += be16(p + i);
    }
    while (sum >> 16) {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    return (uint16_t)~sum;
}

/* After the transport payload changed size to new_n bytes: IP and UDP
 * lengths (and the IPv4 header checksum) follow, and the frame is cut
 * there. UDP checksums are zeroed for IPv4 (allowed) and left wrong for
 * IPv6: Wireshark does not check either by default. */
static void fix_lengths(frame *f, const loc *l, size_t new_n)
{
    uint8_t *d = f->data;
    size_t end = l->coap + new_n;
    if (l->version == 4) {
        put16(d + l->l3 + 2, (uint32_t)(end - l->l3));
        d[l->l3 + 10] = d[l->l3 + 11] = 0;
        size_t ihl = (size_t)(d[l->l3] & 0x0f) * 4;
        put16(d + l->l3 + 10, ip_checksum(d + l->l3, ihl));
    } else {
        put16(d + l->l3 + 4, (uint32_t)(end - l->l3 - 40));
    }
    if (l->proto == 17) {
        put16(d + l->l4 + 4, (uint32_t)(end - l->l4));
        if (l->version == 4) {
            d[l->l4 + 6] = d[l->l4 + 7] = 0;
        }
    }
    f->caplen = (uint32_t)end;
    f->len = (uint32_t)end;
}

/* Replaces the transport payload by bytes (n of them). */
static void set_payload(frame *f, const loc *l, const uint8_t *bytes, size_t n)
{
    if (l->coap + n > MAX_FRAME) {
        n = MAX_FRAME - l->coap;
    }
    memmove(f->data + l->coap, bytes, n);
    fix_lengths(f, l, n);
}

/* Renumbers the addresses of a copy: 2nd/3rd IPv4 octet, IPv6 bytes 4-5
 * of source and destination, the same way for every frame of the copy. */
static void rebase_addresses(frame *f, unsigned copy_id)
{
    loc l = locate(f);
    if (!l.ip || copy_id == 0) {
        return;
    }
    uint8_t *d = f->data + l.l3;
    uint8_t hi = (uint8_t)(copy_id >> 8), lo = (uint8_t)copy_id;
    if (l.version == 4) {
        d[13] ^= hi;
        d[14] ^= lo;
        d[17] ^= hi;
        d[18] ^= lo;
        d[10] = d[11] = 0;
        put16(d + 10, ip_checksum(d, (size_t)(d[0] & 0x0f) * 4));
    } else {
        d[8 + 4] ^= hi;
        d[8 + 5] ^= lo;
        d[24 + 4] ^= hi;
        d[24 + 5] ^= lo;
    }
}

/* Rewrites an IPv4 frame as IPv6 (2001:db8::a.b.c.d), so that the
 * plugin's legs and tracking also see IPv6 addresses: no test capture
 * has any. Transport checksums are left as they are (Wireshark does not
 * check them by default). */
static void to_ipv6(frame *f)
{
    loc l = locate(f);
    if (!l.ip || l.version != 4) {
        return;
    }
    uint8_t *d = f->data;
    size_t ihl = (size_t)(d[l.l3] & 0x0f) * 4;
    size_t total = be16(d + l.l3 + 2);
    size_t payload = f->caplen - l.l3 - ihl;
    if (f->caplen + 40 - ihl > MAX_FRAME) {
        return;
    }
    uint8_t v6[40];
    memset(v6, 0, sizeof v6);
    v6[0] = 0x60;
    put16(v6 + 4, (uint32_t)(total > ihl ? total - ihl : 0));
    v6[6] = d[l.l3 + 9]; /* protocol -> next header */
    v6[7] = d[l.l3 + 8]; /* TTL -> hop limit */
    static const uint8_t prefix[12] = {0x20, 0x01, 0x0d, 0xb8};
    memcpy(v6 + 8, prefix, 12);
    memcpy(v6 + 20, d + l.l3 + 12, 4);
    memcpy(v6 + 24, prefix, 12);
    memcpy(v6 + 36, d + l.l3 + 16, 4);
    memmove(d + l.l3 + 40, d + l.l3 + ihl, payload);
    memcpy(d + l.l3, v6, 40);
    d[l.l3 - 2] = 0x86;
    d[l.l3 - 1] = 0xdd;
    f->caplen = (uint32_t)(l.l3 + 40 + payload);
    f->len = f->len + 40 - (uint32_t)ihl;
}

/* ---- CoAP structure (wire framing of the frame's transport) ---- */

/* Offset of the first option (after header and token) in a CoAP message
 * of n bytes, or SIZE_MAX. */
static size_t coap_options_start(const uint8_t *m, size_t n, bool tcp)
{
    if (!tcp) {
        if (n < 4) {
            return SIZE_MAX;
        }
        size_t tkl = m[0] & 0x0f;
        return 4 + tkl <= n ? 4 + tkl : SIZE_MAX;
    }
    if (n < 2) {
        return SIZE_MAX;
    }
    size_t lenf = m[0] >> 4, tkl = m[0] & 0x0f;
    size_t ext = lenf == 13 ? 1 : lenf == 14 ? 2 : lenf == 15 ? 4 : 0;
    size_t start = 1 + ext + 1 + tkl;
    return start <= n ? start : SIZE_MAX;
}

/* One option header on the wire. */
typedef struct wire_opt {
    size_t hdr;   /* offset of the delta/length byte */
    size_t value; /* offset of the value */
    size_t len;
    unsigned number;
} wire_opt;

/* Walks the options; returns how many were found (at most cap). */
static size_t coap_walk(const uint8_t *m, size_t n, size_t start, wire_opt *out,
                        size_t cap)
{
    size_t count = 0, p = start;
    unsigned number = 0;
    while (p < n && m[p] != 0xff && count < cap) {
        size_t hdr = p;
        unsigned delta = m[p] >> 4, len = m[p] & 0x0f;
        p++;
        if (delta == 15 || len == 15) {
            break;
        }
        if (delta == 13) {
            if (p >= n) {
                break;
            }
            delta = 13u + m[p++];
        } else if (delta == 14) {
            if (p + 2 > n) {
                break;
            }
            delta = 269u + be16(m + p);
            p += 2;
        }
        if (len == 13) {
            if (p >= n) {
                break;
            }
            len = 13u + m[p++];
        } else if (len == 14) {
            if (p + 2 > n) {
                break;
            }
            len = 269u + be16(m + p);
            p += 2;
        }
        if (p + len > n) {
            break;
        }
        number += delta;
        out[count].hdr = hdr;
        out[count].value = p;
        out[count].len = len;
        out[count].number = number;
        count++;
        p += len;
    }
    return count;
}

/* Offset of the payload marker, or SIZE_MAX. */
static size_t coap_marker(const uint8_t *m, size_t n, size_t start)
{
    wire_opt opts[160];
    size_t k = coap_walk(m, n, start, opts, 160);
    size_t p = k ? opts[k - 1].value + opts[k - 1].len : start;
    return (p < n && m[p] == 0xff) ? p : SIZE_MAX;
}

static const uint8_t interesting[] = {0x00, 0x01, 0x09, 0x0d, 0x0e, 0x0f,
                                      0x10, 0x19, 0x1f, 0x7f, 0x80, 0x90,
                                      0xd0, 0xd1, 0xe0, 0xe1, 0xf0, 0xff};

/* ---- RESEAL: the layers of a frame as decrypted from the input ---- */

typedef struct sealed_layer {
    const osc_aead_alg *alg;
    uint8_t key[OSC_MAX_KEY_LEN];
    uint8_t nonce[OSC_MAX_NONCE_LEN];
    uint8_t *aad;
    size_t aad_len;
    uint8_t *plaintext;
    size_t plaintext_len;
    size_t ct_offset; /* of this layer's ciphertext in its container */
} sealed_layer;

typedef struct frame_layers {
    size_t count; /* layers that can be resealed, outermost first */
    sealed_layer layer[MAX_RESEAL_DEPTH];
} frame_layers;

typedef struct request_rec {
    char key[128]; /* "leg|token" */
    size_t bound;
    osc_request_binding bindings[MAX_RESEAL_DEPTH];
} request_rec;

typedef struct tracker {
    request_rec *v;
    size_t n, cap;
} tracker;

static void leg_key(const frame *f, const loc *l, bool reverse,
                    const osc_coap_message *m, char out[128])
{
    const uint8_t *d = f->data;
    size_t alen = l->version == 4 ? 4 : 16;
    size_t src = l->l3 + (l->version == 4 ? 12 : 8);
    size_t dst = src + alen;
    if (reverse) {
        size_t t = src;
        src = dst;
        dst = t;
    }
    unsigned sport = be16(d + l->l4 + (reverse ? 2 : 0));
    unsigned dport = be16(d + l->l4 + (reverse ? 0 : 2));
    int w = 0;
    for (size_t i = 0; i < alen; i++) {
        w += snprintf(out + w, (size_t)(128 - w), "%02x", d[src + i]);
    }
    w += snprintf(out + w, (size_t)(128 - w), ":%u>", sport);
    for (size_t i = 0; i < alen; i++) {
        w += snprintf(out + w, (size_t)(128 - w), "%02x", d[dst + i]);
    }
    w += snprintf(out + w, (size_t)(128 - w), ":%u|", dport);
    const uint8_t *token = osc_coap_token(m);
    for (size_t i = 0; i < m->token_length && w < 120; i++) {
        w += snprintf(out + w, (size_t)(128 - w), "%02x", token[i]);
    }
}

static request_rec *tracker_find(tracker *t, const char *key)
{
    for (size_t i = t->n; i-- > 0;) {
        if (strcmp(t->v[i].key, key) == 0) {
            return &t->v[i];
        }
    }
    return NULL;
}

static request_rec *tracker_add(tracker *t, const char *key)
{
    if (t->n == t->cap) {
        t->cap = t->cap ? 2 * t->cap : 64;
        t->v = realloc(t->v, t->cap * sizeof *t->v);
        if (t->v == NULL) {
            die("out of memory");
        }
    }
    request_rec *r = &t->v[t->n++];
    memset(r, 0, sizeof *r);
    snprintf(r->key, sizeof r->key, "%s", key);
    return r;
}

static void frame_layers_free(frame_layers *fl)
{
    for (size_t i = 0; i < fl->count; i++) {
        free(fl->layer[i].aad);
        free(fl->layer[i].plaintext);
    }
    fl->count = 0;
}

/* Removes the layers of a UDP frame's CoAP message as the plugin would
 * (requests by kid, responses bound to the latest request on the reverse
 * leg with that token) and records what resealing needs. */
static void analyse_frame(const frame *f, const osc_context_set *set,
                          tracker *t, frame_layers *fl)
{
    memset(fl, 0, sizeof *fl);
    loc l = locate(f);
    if (set == NULL || l.proto != 17 || l.coap_n == 0) {
        return;
    }
    static osc_coap_message msgs[MAX_RESEAL_DEPTH + 1];
    static osc_layer_result res[MAX_RESEAL_DEPTH];
    static uint8_t *work[MAX_RESEAL_DEPTH];
    const uint8_t *wire = f->data + l.coap;
    if (osc_coap_parse(wire, l.coap_n, OSC_COAP_FRAMING_UDP, &msgs[0]) !=
        OSC_OK) {
        return;
    }
    bool is_request = osc_message_is_request(&msgs[0]);
    char key[128];
    leg_key(f, &l, !is_request, &msgs[0], key);
    request_rec *req = NULL;
    if (!is_request) {
        req = tracker_find(t, key);
    }
    osc_request_binding bindings[MAX_RESEAL_DEPTH];
    size_t bound = 0;
    const uint8_t *container = wire;
    size_t container_len = l.coap_n;
    for (size_t depth = 0; depth < MAX_RESEAL_DEPTH; depth++) {
        const osc_coap_message *cur = &msgs[depth];
        if (osc_coap_find_option(cur, OSC_OPT_OSCORE) == NULL) {
            break;
        }
        size_t cap = osc_layer_unprotect_work_size(cur);
        free(work[depth]);
        work[depth] = xmalloc(cap);
        osc_layer_result *r = &res[depth];
        osc_status st = osc_peel_layer(cur, set, req ? req->bindings : NULL,
                                       req ? req->bound : 0, depth,
                                       MAX_RESEAL_DEPTH, work[depth], cap, r);
        if (st != OSC_OK) {
            break;
        }
        if (is_request) {
            bindings[bound++] = r->binding;
        }
        /* Resealable: a plain OSCORE layer whose ciphertext ends its
         * container (the payload is always last). */
        if (r->ctx == NULL || r->ciphertext == NULL ||
            r->ciphertext < container ||
            r->ciphertext + r->ciphertext_len != container + container_len) {
            break;
        }
        sealed_layer *s = &fl->layer[fl->count++];
        s->alg = r->ctx->aead;
        memcpy(s->key, r->ctx->key[r->producer], s->alg->key_len);
        memcpy(s->nonce, r->nonce, s->alg->nonce_len);
        s->aad = xmemdup(r->aad, r->aad_len);
        s->aad_len = r->aad_len;
        s->plaintext = xmemdup(r->plaintext, r->plaintext_len);
        s->plaintext_len = r->plaintext_len;
        s->ct_offset = (size_t)(r->ciphertext - container);
        msgs[depth + 1] = r->result;
        container = r->plaintext;
        container_len = r->plaintext_len;
    }
    if (is_request && bound > 0) {
        request_rec *rec = tracker_add(t, key);
        rec->bound = bound;
        memcpy(rec->bindings, bindings, bound * sizeof bindings[0]);
    }
}

/* A plaintext (code, options, payload) mutated structurally, or as raw
 * bytes when it does not parse. Writes at most cap bytes to out. */
static size_t mutate_plaintext(rng *r, const uint8_t *pt, size_t n,
                               uint8_t *out, size_t cap)
{
    static osc_coap_message m;
    static uint8_t arena[8192];
    size_t used = 0;
    memset(&m, 0, sizeof m);
    bool parsed = n >= 1 && osc_coap_parse_options(pt + 1, n - 1, &m) == OSC_OK;
    size_t choice = rng_below(r, parsed ? 10 : 3);
    if (choice < 3) {
        /* Raw bytes: flips, truncation, extension. */
        size_t len = n < cap ? n : cap;
        memcpy(out, pt, len);
        if (choice == 0 && len > 0) {
            for (size_t k = 1 + rng_below(r, 4); k > 0; k--) {
                out[rng_below(r, len)] ^= (uint8_t)(1u << rng_below(r, 8));
            }
        } else if (choice == 1) {
            len = rng_below(r, len + 1);
        } else {
            size_t extra = 1 + rng_below(r, 32);
            for (size_t k = 0; k < extra && len < cap; k++) {
                out[len++] = rng_chance(r, 50)
                                 ? interesting[rng_below(r, sizeof interesting)]
                                 : (uint8_t)rng_next(r);
            }
        }
        return len;
    }
    uint8_t code = pt[0];
    static const uint8_t codes[] = {0x00, 0x01, 0x02, 0x03, 0x04, 0x05,
                                    0x06, 0x07, 0x1f, 0x41, 0x44, 0x45,
                                    0x5f, 0x84, 0xa0, 0xe1, 0xe5, 0xff};
    static const uint16_t numbers[] = {
        1,   3,    4,  5,  6,  7,  8,  9,  11, 12, 14, 15,  16,
        17,  19,   20, 21, 23, 27, 28, 31, 35, 39, 60, 252, 258,
        292, 2049, 9,  9,  12, 12, 11, 15, 6,  23, 9,  259, 1000};
    static const uint32_t formats[] = {0,  40,  42,    50,    60,    61,   63,
                                       96, 101, 110,   112,   256,   310,  320,
                                       16, 18,  11542, 11543, 11544, 65535};
    const uint8_t *payload = m.payload;
    size_t payload_len = m.payload_length;
    size_t ops = 1 + rng_below(r, 3);
    for (size_t op = 0; op < ops; op++) {
        switch (rng_below(r, 8)) {
        case 0:
            code = codes[rng_below(r, sizeof codes)];
            break;
        case 1:
        case 2: { /* add an option */
            uint16_t number =
                rng_chance(r, 85)
                    ? numbers[rng_below(r, sizeof numbers / sizeof numbers[0])]
                    : (uint16_t)rng_next(r);
            size_t len;
            uint8_t *v = arena + used;
            if (number == OSC_OPT_CONTENT_FORMAT || number == 17) {
                uint32_t cf =
                    formats[rng_below(r, sizeof formats / sizeof formats[0])];
                len = osc_coap_encode_uint(cf, v);
            } else if (number == OSC_OPT_OSCORE) {
                /* A nested OSCORE option: flags, PIV, kid context, kid. */
                len = rng_below(r, 12);
                for (size_t k = 0; k < len; k++) {
                    v[k] = (uint8_t)rng_next(r);
                }
                if (len > 0 && rng_chance(r, 60)) {
                    v[0] = (uint8_t)(rng_chance(r, 50) ? 0x09 : 0x19) &
                           (uint8_t)rng_next(r);
                }
            } else {
                len = rng_chance(r, 90) ? rng_below(r, 16) : rng_below(r, 600);
                for (size_t k = 0; k < len; k++) {
                    v[k] = rng_chance(r, 70) ? (uint8_t)('a' + rng_below(r, 26))
                                             : (uint8_t)rng_next(r);
                }
            }
            if (used + len <= sizeof arena - 1024) {
                used += len;
                osc_coap_add_option(&m, number, v, (uint32_t)len);
            }
            break;
        }
        case 3: /* remove an option */
            if (m.option_count > 0) {
                osc_coap_remove_option(
                    &m, m.options[rng_below(r, m.option_count)].number);
            }
            break;
        case 4: /* change an option value */
            if (m.option_count > 0 && used + 64 < sizeof arena) {
                osc_coap_option *o = &m.options[rng_below(r, m.option_count)];
                uint8_t *v = arena + used;
                size_t len = o->length < 32 ? o->length : 32;
                if (o->length > 0) {
                    memcpy(v, o->value, len);
                }
                if (rng_chance(r, 50) || len == 0) {
                    len = rng_below(r, 9);
                    for (size_t k = 0; k < len; k++) {
                        v[k] = (uint8_t)rng_next(r);
                    }
                } else {
                    v[rng_below(r, len)] ^= (uint8_t)(1u << rng_below(r, 8));
                }
                used += len;
                o->value = v;
                o->length = (uint32_t)len;
            }
            break;
        case 5: { /* payload */
            size_t len = rng_below(r, 4) == 0 ? 0 : rng_below(r, 400);
            if (used + len + 1 > sizeof arena) {
                break;
            }
            uint8_t *v = arena + used;
            static const char *const texts[] = {
                "{\"a\":[1,2,{\"b\":",
                "<a><b></a>",
                "\xbf\x61\x61\x9f\xff",
                "\x1b\xff\xff\xff\xff\xff\xff\xff\xff",
                "</x>;rt=\"",
                "[{\"bn\":\"/3/0/\",\"n\":\"1\",\"v\":"};
            size_t t = rng_below(r, 8);
            if (t < sizeof texts / sizeof texts[0]) {
                size_t tl = strlen(texts[t]);
                len = len < tl ? tl : len;
                for (size_t k = 0; k < len; k++) {
                    v[k] = k < tl ? (uint8_t)texts[t][k] : (uint8_t)rng_next(r);
                }
            } else {
                for (size_t k = 0; k < len; k++) {
                    v[k] = (uint8_t)rng_next(r);
                }
            }
            used += len;
            payload = v;
            payload_len = len;
            break;
        }
        case 6: /* many options (past the engine's 128) */
            for (size_t k = rng_below(r, 140); k > 0; k--) {
                if (osc_coap_add_option(&m, (uint16_t)(2000 + rng_below(r, 8)),
                                        NULL, 0) != OSC_OK) {
                    break;
                }
            }
            break;
        default: /* an option with an extended number and length */
            if (used + 300 < sizeof arena) {
                uint8_t *v = arena + used;
                size_t len = 13 + rng_below(r, 270);
                memset(v, 'x', len);
                used += len;
                osc_coap_add_option(&m, (uint16_t)(269 + rng_below(r, 65000)),
                                    v, (uint32_t)len);
            }
            break;
        }
    }
    if (cap < 1) {
        return 0;
    }
    out[0] = code;
    size_t written = 0;
    if (osc_coap_encode_options(m.options, m.option_count, payload, payload_len,
                                out + 1, cap - 1, &written) != OSC_OK) {
        return 1; /* the code byte alone */
    }
    return 1 + written;
}

/* Seals plaintext into out (ciphertext || tag); returns its length or 0. */
static size_t seal(const sealed_layer *s, const uint8_t *pt, size_t n,
                   uint8_t *out, size_t cap)
{
    if (n + s->alg->tag_len > cap ||
        osc_aead_encrypt(s->alg, s->key, s->nonce, s->aad, s->aad_len, pt, n,
                         out, cap) != OSC_OK) {
        return 0;
    }
    return n + s->alg->tag_len;
}

/* Reseals frame f (a copy of the analysed input frame) with a mutated
 * plaintext in one of its layers. Returns false if it could not. */
static bool reseal(rng *r, frame *f, const frame_layers *fl)
{
    if (fl->count == 0) {
        return false;
    }
    loc l = locate(f);
    if (l.proto != 17) {
        return false;
    }
    static uint8_t pt[MAX_FRAME], ct[MAX_FRAME], tmp[MAX_FRAME];
    size_t depth = rng_below(r, fl->count);
    const sealed_layer *s = &fl->layer[depth];
    size_t n = mutate_plaintext(r, s->plaintext, s->plaintext_len, pt,
                                MAX_FRAME - 2048);
    size_t ct_len = seal(s, pt, n, ct, sizeof ct);
    if (ct_len == 0) {
        return false;
    }
    /* Outward: the layer around holds this ciphertext as its tail. */
    for (size_t j = depth; j-- > 0;) {
        const sealed_layer *outer = &fl->layer[j];
        size_t head = fl->layer[j + 1].ct_offset;
        if (head + ct_len > sizeof tmp) {
            return false;
        }
        memcpy(tmp, outer->plaintext, head);
        memcpy(tmp + head, ct, ct_len);
        ct_len = seal(outer, tmp, head + ct_len, ct, sizeof ct);
        if (ct_len == 0) {
            return false;
        }
    }
    size_t head = fl->layer[0].ct_offset;
    if (head > l.coap_n || l.coap + head + ct_len > MAX_FRAME) {
        return false;
    }
    memcpy(tmp, f->data + l.coap, head);
    memcpy(tmp + head, ct, ct_len);
    set_payload(f, &l, tmp, head + ct_len);
    return true;
}

/* ---- WRAP: a request protected again, with up to 70 more layers ---- */

static const oscore_keyfile *wrap_keys; /* contexts to wrap with */

/* Protects the UDP request of frame f with 1 to 70 further layers of
 * random contexts (past the plugin's cap of 63 sometimes): deep nesting
 * that decrypts, which byte mutations never produce. */
static bool wrap(rng *r, frame *f)
{
    loc l = locate(f);
    if (wrap_keys == NULL || wrap_keys->entry_count == 0 || l.proto != 17) {
        return false;
    }
    static osc_coap_message in, out;
    if (osc_coap_parse(f->data + l.coap, l.coap_n, OSC_COAP_FRAMING_UDP, &in) !=
            OSC_OK ||
        !osc_message_is_request(&in)) {
        return false;
    }
    size_t k = rng_chance(r, 80) ? 1 + rng_below(r, 4) : 1 + rng_below(r, 70);
    osc_request_layer_spec specs[70];
    memset(specs, 0, sizeof specs);
    for (size_t i = 0; i < k; i++) {
        const oscore_keyfile_entry *e =
            &wrap_keys->entries[rng_below(r, wrap_keys->entry_count)];
        specs[i].ctx = &e->ctx;
        specs[i].party =
            rng_chance(r, 50) ? OSC_PARTY_SENDER : OSC_PARTY_RECIPIENT;
        specs[i].sequence_number = rng_below(r, 1000);
        specs[i].include_kid_context = rng_chance(r, 30);
        specs[i].peer.sender_is_origin = i == 0;
        specs[i].peer.peer_is_next_hop = i + 1 == k;
        specs[i].peer.peer_is_proxy = i + 1 < k;
    }
    size_t cap = osc_layers_protect_work_size(&in, k);
    uint8_t *work = xmalloc(cap);
    bool ok = false;
    if (osc_protect_request_layers(&in, specs, k, work, cap, &out, NULL) ==
        OSC_OK) {
        static uint8_t wire[MAX_FRAME];
        size_t n = 0;
        if (osc_coap_serialize(&out, wire, sizeof wire - l.coap, &n) ==
                OSC_OK &&
            l.coap + n <= MAX_FRAME) {
            set_payload(f, &l, wire, n);
            ok = true;
        }
    }
    free(work);
    return ok;
}

/* ---- byte and structure mutations of one frame ---- */

typedef struct input {
    const char *path;
    frame_list frames;
    frame_layers *layers; /* per frame */
} input;

static void mutate_frame(rng *r, frame *f, const input *in, size_t index,
                         unsigned *resealed)
{
    loc l = locate(f);
    if (l.proto == 0 || l.coap_n == 0) {
        /* Not UDP/TCP: flip something anywhere. */
        if (f->caplen > 0) {
            f->data[rng_below(r, f->caplen)] ^=
                (uint8_t)(1u + rng_below(r, 255));
        }
        return;
    }
    bool tcp = l.proto == 6;
    uint8_t *m = f->data + l.coap;
    size_t n = l.coap_n;
    size_t start = coap_options_start(m, n, tcp);
    unsigned op = (unsigned)rng_below(r, 21);
    if (op == 20) {
        if (wrap(r, f)) {
            (*resealed)++;
            return;
        }
        op = (unsigned)rng_below(r, 16);
    } else if (op >= 16 && in->layers[index].count > 0) {
        if (reseal(r, f, &in->layers[index])) {
            (*resealed)++;
            return;
        }
        op = (unsigned)rng_below(r, 16);
    } else if (op >= 16) {
        op = (unsigned)rng_below(r, 16);
    }
    switch (op) {
    case 0: /* bit flips */
    case 1:
        for (size_t k = 1 + rng_below(r, 4); k > 0; k--) {
            m[rng_below(r, n)] ^= (uint8_t)(1u << rng_below(r, 8));
        }
        break;
    case 2: /* interesting byte */
        m[rng_below(r, n)] = interesting[rng_below(r, sizeof interesting)];
        break;
    case 3: /* truncation, lengths fixed */
        fix_lengths(f, &l, rng_below(r, n));
        break;
    case 4: /* truncation of the capture only (short snaplen) */
        f->caplen = (uint32_t)(l.coap + rng_below(r, n));
        break;
    case 5: { /* insertion */
        size_t at = rng_below(r, n + 1), k = 1 + rng_below(r, 16);
        if (l.coap + n + k > MAX_FRAME) {
            break;
        }
        memmove(m + at + k, m + at, n - at);
        for (size_t i = 0; i < k; i++) {
            m[at + i] = (uint8_t)rng_next(r);
        }
        fix_lengths(f, &l, n + k);
        break;
    }
    case 6: { /* deletion */
        size_t at = rng_below(r, n), k = 1 + rng_below(r, n - at);
        memmove(m + at, m + at + k, n - at - k);
        fix_lengths(f, &l, n - k);
        break;
    }
    case 7: /* TKL (UDP) or Len/TKL (TCP) nibble */
        m[0] = (uint8_t)((m[0] & 0xf0) | rng_below(r, 16));
        if (tcp && rng_chance(r, 50)) {
            m[0] = (uint8_t)((m[0] & 0x0f) | (rng_below(r, 16) << 4));
        }
        break;
    case 8:
    case 9: { /* option delta or length nibble */
        wire_opt opts[160];
        size_t k = start == SIZE_MAX ? 0 : coap_walk(m, n, start, opts, 160);
        if (k == 0) {
            if (start != SIZE_MAX && start < n) {
                m[start] = (uint8_t)rng_next(r);
            }
            break;
        }
        wire_opt *o = &opts[rng_below(r, k)];
        if (op == 8) {
            m[o->hdr] = (uint8_t)((m[o->hdr] & 0x0f) | (rng_below(r, 16) << 4));
        } else {
            m[o->hdr] = (uint8_t)((m[o->hdr] & 0xf0) | rng_below(r, 16));
        }
        break;
    }
    case 10:
    case 11: { /* the OSCORE option: flag byte, kid context length */
        wire_opt opts[160];
        size_t k = start == SIZE_MAX ? 0 : coap_walk(m, n, start, opts, 160);
        for (size_t i = 0; i < k; i++) {
            if (opts[i].number != OSC_OPT_OSCORE) {
                continue;
            }
            if (opts[i].len == 0) {
                /* An empty value: make its length nibble claim bytes. */
                m[opts[i].hdr] =
                    (uint8_t)((m[opts[i].hdr] & 0xf0) | (1 + rng_below(r, 12)));
                break;
            }
            uint8_t *v = m + opts[i].value;
            if (op == 10) {
                v[0] = rng_chance(r, 50)
                           ? (uint8_t)rng_next(r)
                           : (uint8_t)(v[0] ^ (1u << rng_below(r, 8)));
            } else {
                /* The byte after flags and PIV: kid context length s. */
                size_t at = 1 + (v[0] & 0x07);
                if (at < opts[i].len) {
                    v[at] = interesting[rng_below(r, sizeof interesting)];
                } else {
                    v[0] |= 0x10;
                }
            }
            break;
        }
        break;
    }
    case 12: /* code */
        if (!tcp && n >= 2) {
            static const uint8_t codes[] = {0x00, 0x01, 0x02, 0x05, 0x44,
                                            0x45, 0x84, 0xa0, 0xe1, 0xff};
            m[1] = codes[rng_below(r, sizeof codes)];
        } else if (tcp && start != SIZE_MAX && start > 0) {
            size_t tkl = m[0] & 0x0f;
            if (start >= tkl + 1) {
                m[start - tkl - 1] = (uint8_t)rng_next(r);
            }
        }
        break;
    case 13: /* version/type, Message ID */
        if (!tcp) {
            m[0] = (uint8_t)((m[0] & 0x0f) | (rng_below(r, 16) << 4));
            if (n >= 4 && rng_chance(r, 50)) {
                m[2] ^= (uint8_t)rng_next(r);
                m[3] ^= (uint8_t)rng_next(r);
            }
        }
        break;
    case 14: { /* a payload marker with nothing after it, or none */
        size_t mk = start == SIZE_MAX ? SIZE_MAX : coap_marker(m, n, start);
        if (mk != SIZE_MAX) {
            fix_lengths(f, &l, rng_chance(r, 50) ? mk + 1 : mk);
        }
        break;
    }
    default: { /* splice the payload of another frame of the input */
        const frame *other = &in->frames.v[rng_below(r, in->frames.n)];
        loc ol = locate(other);
        if (ol.proto == 0 || ol.coap_n == 0) {
            break;
        }
        const uint8_t *om = other->data + ol.coap;
        size_t os = coap_options_start(om, ol.coap_n, ol.proto == 6);
        size_t omk = os == SIZE_MAX ? SIZE_MAX : coap_marker(om, ol.coap_n, os);
        size_t mk = start == SIZE_MAX ? SIZE_MAX : coap_marker(m, n, start);
        if (omk == SIZE_MAX || mk == SIZE_MAX) {
            break;
        }
        size_t plen = ol.coap_n - omk - 1;
        if (l.coap + mk + 1 + plen > MAX_FRAME) {
            break;
        }
        memmove(m + mk + 1, om + omk + 1, plen);
        fix_lengths(f, &l, mk + 1 + plen);
        break;
    }
    }
}

/* Rarely: a byte anywhere in the frame (link, IP, transport headers). */
static void mutate_headers(rng *r, frame *f)
{
    loc l = locate(f);
    size_t end = l.coap ? l.coap : f->caplen;
    if (end > 0) {
        f->data[rng_below(r, end)] ^= (uint8_t)(1u << rng_below(r, 8));
    }
}

/* ---- output ---- */

typedef struct writer {
    FILE *f;
    uint64_t frames;
} writer;

static void wr32(FILE *f, uint32_t v)
{
    fwrite(&v, 4, 1, f);
}

static void write_header(writer *w)
{
    wr32(w->f, 0xa1b2c3d4);
    uint16_t v[2] = {2, 4};
    fwrite(v, 2, 2, w->f);
    wr32(w->f, 0);
    wr32(w->f, 0);
    wr32(w->f, MAX_FRAME);
    wr32(w->f, 1);
}

static void write_frame(writer *w, const frame *f)
{
    /* Fixed time base, 1 ms per frame: deterministic and increasing. */
    uint64_t us = w->frames * 1000u;
    wr32(w->f, (uint32_t)(1700000000u + us / 1000000u));
    wr32(w->f, (uint32_t)(us % 1000000u));
    wr32(w->f, f->caplen);
    wr32(w->f, f->len < f->caplen ? f->caplen : f->len);
    fwrite(f->data, 1, f->caplen, w->f);
    w->frames++;
}

static void emit_copy(writer *w, rng *r, const input *in, unsigned copy_id,
                      bool mutate, unsigned *resealed)
{
    size_t n = in->frames.n;
    frame *copy = xmalloc(n * sizeof *copy);
    for (size_t i = 0; i < n; i++) {
        copy[i] = in->frames.v[i];
        copy[i].data = xmemdup(in->frames.v[i].data, MAX_FRAME);
    }
    size_t *order = xmalloc((n + 1) * sizeof *order);
    for (size_t i = 0; i < n; i++) {
        order[i] = i;
    }
    unsigned density = mutate ? (unsigned)(10 + rng_below(r, 91)) : 0;
    bool own_addresses = !mutate || rng_chance(r, 80);
    bool ipv6 = mutate && rng_chance(r, 20);
    for (size_t i = 0; i < n; i++) {
        if (ipv6) {
            to_ipv6(&copy[i]);
        }
        if (mutate && rng_chance(r, density)) {
            mutate_frame(r, &copy[i], in, i, resealed);
            if (rng_chance(r, 10)) {
                mutate_frame(r, &copy[i], in, i, resealed);
            }
        }
        if (mutate && rng_chance(r, 3)) {
            mutate_headers(r, &copy[i]);
        }
        if (own_addresses) {
            rebase_addresses(&copy[i], copy_id);
        }
    }
    /* Frame order: swaps with the next frame. */
    for (size_t i = 0; mutate && i + 1 < n; i++) {
        if (rng_chance(r, 8)) {
            size_t t = order[i];
            order[i] = order[i + 1];
            order[i + 1] = t;
        }
    }
    for (size_t i = 0; i < n; i++) {
        const frame *f = &copy[order[i]];
        if (mutate && rng_chance(r, 5)) {
            continue; /* dropped */
        }
        write_frame(w, f);
        if (mutate && rng_chance(r, 7)) {
            write_frame(w, f); /* duplicated */
        }
    }
    for (size_t i = 0; i < n; i++) {
        free(copy[i].data);
    }
    free(copy);
    free(order);
}

int main(int argc, char **argv)
{
    uint64_t seed = 1;
    unsigned variants = 8;
    const char *keys = NULL, *out_path = NULL;
    int first_input = argc;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--seed") == 0 && i + 1 < argc) {
            seed = strtoull(argv[++i], NULL, 0);
        } else if (strcmp(argv[i], "--variants") == 0 && i + 1 < argc) {
            variants = (unsigned)strtoul(argv[++i], NULL, 0);
        } else if (strcmp(argv[i], "--keys") == 0 && i + 1 < argc) {
            keys = argv[++i];
        } else if (strcmp(argv[i], "-o") == 0 && i + 1 < argc) {
            out_path = argv[++i];
        } else if (argv[i][0] == '-') {
            die("unknown option %s", argv[i]);
        } else {
            first_input = i;
            break;
        }
    }
    if (out_path == NULL || first_input >= argc || variants == 0) {
        fprintf(stderr, "usage: pcap_mutate [--seed N] [--variants N] "
                        "[--keys FILE] -o OUT.pcap IN.pcap...\n");
        return 2;
    }

    osc_status engine = osc_engine_init();
    if (engine != OSC_OK) {
        fprintf(stderr, "%s: %s\n", argv[0], osc_status_message(engine));
        return 1;
    }
    osc_context_set *set = NULL;
    if (keys != NULL) {
        oscore_keyfile *kf = oscore_keyfile_load(keys);
        set = osc_context_set_new();
        if (set == NULL) {
            die("out of memory");
        }
        oscore_keyfile_add_to_set(kf, set);
        wrap_keys = kf; /* freed at exit */
    }

    size_t count = (size_t)(argc - first_input);
    input *inputs = xmalloc(count * sizeof *inputs);
    for (size_t i = 0; i < count; i++) {
        input *in = &inputs[i];
        memset(in, 0, sizeof *in);
        in->path = argv[first_input + (int)i];
        read_pcap(in->path, &in->frames);
        in->layers = xmalloc((in->frames.n + 1) * sizeof *in->layers);
        tracker t = {0};
        for (size_t k = 0; k < in->frames.n; k++) {
            analyse_frame(&in->frames.v[k], set, &t, &in->layers[k]);
        }
        free(t.v);
    }

    writer w = {fopen(out_path, "wb"), 0};
    if (w.f == NULL) {
        die("cannot write %s", out_path);
    }
    write_header(&w);
    unsigned *resealed = calloc(count, sizeof *resealed);
    uint64_t *written = calloc(count, sizeof *written);
    for (unsigned v = 0; v < variants; v++) {
        for (size_t i = 0; i < count; i++) {
            rng r = rng_for(seed, v, i);
            uint64_t before = w.frames;
            /* Copy ids are unique per (variant, input) and never 0. */
            unsigned copy_id = (unsigned)(1 + v * count + i);
            emit_copy(&w, &r, &inputs[i], copy_id, v > 0, &resealed[i]);
            written[i] += w.frames - before;
        }
    }
    if (fclose(w.f) != 0) {
        die("cannot write %s", out_path);
    }
    for (size_t i = 0; i < count; i++) {
        size_t layers = 0;
        for (size_t k = 0; k < inputs[i].frames.n; k++) {
            layers += inputs[i].layers[k].count;
            frame_layers_free(&inputs[i].layers[k]);
        }
        printf("%s: %zu frames (%zu decrypted layers), %llu written, %u "
               "resealed/wrapped\n",
               inputs[i].path, inputs[i].frames.n, layers,
               (unsigned long long)written[i], resealed[i]);
        free(inputs[i].layers);
        list_free(&inputs[i].frames);
    }
    free(inputs);
    free(resealed);
    free(written);
    osc_context_set_free(set);
    oscore_keyfile_free((oscore_keyfile *)wrap_keys);
    return 0;
}
