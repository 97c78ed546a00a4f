/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Builds the captures of the plugin's regression tests at test time.
 *
 * Two kinds of capture:
 *  - from the vectors: the messages of tests/vectors (the nested example
 *    of draft-ietf-core-oscore-capable-proxies appendix B.1 and B.3,
 *    RFC 8613 Appendix C and Group OSCORE) are read from the JSON files
 *    and written into pcap files as they are; the Appendix C keys file is
 *    written from the same JSON. No hex of the vectors is copied into this
 *    file.
 *  - SELF-GENERATED ("gen-*"): traffic the vectors do not cover, where a
 *    single-layer dissector easily goes wrong (Observe notifications with
 *    their own Partial IV, RFC 8613 4.1.3.5; a response with its own
 *    Partial IV such as the Echo 4.01 of RFC 8613 appendix B.1.2; a
 *    separate response to a request with an empty token, RFC 7252 5.2.2;
 *    inner Echo, Request-Tag (RFC 9175) and No-Response (RFC 7967); an ID
 *    Context that requests do not repeat as kid context, RFC 8613 5.1) and
 *    the expert-info cases, protected here with the reference engine and
 *    the contexts of tests/keys/generated.keys. These are only as right
 *    as the engine; they are regression captures, not independent ground
 *    truth.
 *
 * Every capture: Ethernet/IPv4/UDP, port 5683 both ways (two captures:
 * CoAP over TCP, RFC 8323, too), 127.0.0.x per endpoint (client .1, proxy .2,
 * server .3), fixed timestamps.
 *
 * Usage: gen_captures VECTORS_DIR KEYS_DIR OUT_DIR
 */
#include <glib.h>
#include <json-glib/json-glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "oscore/block.h"
#include "oscore/coap.h"
#include "oscore/engine.h"
#include "oscore/layer.h"
#include "oscore/layer_stack.h"
#include "oscore/options.h"
#include "oscore/peel.h"
#include "oscore_keyfile.h"

enum { CLIENT = 1, PROXY = 2, SERVER = 3 };
/* Pseudo host: the IPv4 "All CoAP Nodes" group 224.0.1.187 (RFC 7252 12.8),
 * where Group OSCORE requests usually go. */
enum { ALL_COAP_NODES = 187 };

/* The IPv4 address of a host number: 127.0.0.N, or the multicast group. */
static void host_address(int host, uint8_t out[4])
{
    static const uint8_t group[4] = {224, 0, 1, 187};
    static const uint8_t loopback[4] = {127, 0, 0, 0};
    memcpy(out, host == ALL_COAP_NODES ? group : loopback, 4);
    if (host != ALL_COAP_NODES) {
        out[3] = (uint8_t)host;
    }
}

static const char *out_dir;

static void die(const char *fmt, ...) G_GNUC_PRINTF(1, 2);
static void die(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "gen_captures: ");
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\n");
    va_end(ap);
    exit(1);
}

/* ---- pcap writing ---- */

typedef struct capture {
    FILE *f;
    unsigned frames;
    uint16_t udp_port;      /* both ports of every UDP datagram; 0 = 5683 */
    uint32_t later_seconds; /* added to the time of every frame from now */
    /* CoAP over TCP (cap_add_coap_tcp): one connection from the client's
     * port 40001 to port 5683, opened on first use; the next sequence
     * number of the client side [0] and of the other side [1]. */
    bool tcp_open;
    uint32_t tcp_seq[2];
} capture;

static void put32(FILE *f, uint32_t v)
{
    fwrite(&v, 4, 1, f); /* pcap is written in host order with its magic */
}

static capture cap_open(const char *name)
{
    char *path = g_build_filename(out_dir, name, NULL);
    capture c = {.f = fopen(path, "wb")};
    if (c.f == NULL) {
        die("cannot write %s", path);
    }
    g_free(path);
    put32(c.f, 0xa1b2c3d4);
    uint16_t v[2] = {2, 4};
    fwrite(v, 2, 2, c.f);
    put32(c.f, 0);     /* thiszone */
    put32(c.f, 0);     /* sigfigs */
    put32(c.f, 65535); /* snaplen */
    put32(c.f, 1);     /* Ethernet */
    return c;
}

static uint16_t checksum(uint32_t sum, const uint8_t *p, size_t n)
{
    for (size_t i = 0; i + 1 < n; i += 2) {
        sum += (uint32_t)(p[i] << 8 | p[i + 1]);
    }
    if (n % 2) {
        sum += (uint32_t)(p[n - 1] << 8);
    }
    while (sum >> 16) {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    return (uint16_t)~sum;
}

/* A TCP segment (for CoAP over TCP, RFC 8323): ports, sequence numbers
 * and flags as given, correct checksums. */
static void cap_add_tcp(capture *c, int from, int to, uint16_t sport,
                        uint16_t dport, uint32_t seq, uint32_t ack,
                        uint8_t flags, const uint8_t *data, size_t len)
{
    uint8_t pkt[2048];
    size_t tcp_len = 20 + len, ip_len = 20 + tcp_len, n = 14 + ip_len;
    if (n > sizeof pkt) {
        die("segment too long");
    }
    memset(pkt, 0, n);
    pkt[5] = (uint8_t)to;
    pkt[11] = (uint8_t)from;
    pkt[12] = 0x08;
    uint8_t *ip = pkt + 14;
    ip[0] = 0x45;
    ip[2] = (uint8_t)(ip_len >> 8);
    ip[3] = (uint8_t)ip_len;
    ip[8] = 64;
    ip[9] = 6;
    uint8_t src[4] = {127, 0, 0, (uint8_t)from};
    uint8_t dst[4] = {127, 0, 0, (uint8_t)to};
    memcpy(ip + 12, src, 4);
    memcpy(ip + 16, dst, 4);
    uint16_t sum = checksum(0, ip, 20);
    ip[10] = (uint8_t)(sum >> 8);
    ip[11] = (uint8_t)sum;
    uint8_t *tcp = ip + 20;
    tcp[0] = (uint8_t)(sport >> 8);
    tcp[1] = (uint8_t)sport;
    tcp[2] = (uint8_t)(dport >> 8);
    tcp[3] = (uint8_t)dport;
    for (int i = 0; i < 4; i++) {
        tcp[4 + i] = (uint8_t)(seq >> (24 - 8 * i));
        tcp[8 + i] = (uint8_t)(ack >> (24 - 8 * i));
    }
    tcp[12] = 5 << 4;
    tcp[13] = flags;
    tcp[14] = 0xff;
    tcp[15] = 0xff;
    memcpy(tcp + 20, data, len);
    uint8_t pseudo[12];
    memcpy(pseudo, src, 4);
    memcpy(pseudo + 4, dst, 4);
    pseudo[8] = 0;
    pseudo[9] = 6;
    pseudo[10] = (uint8_t)(tcp_len >> 8);
    pseudo[11] = (uint8_t)tcp_len;
    uint32_t partial = 0;
    for (int i = 0; i < 12; i += 2) {
        partial += (uint32_t)(pseudo[i] << 8 | pseudo[i + 1]);
    }
    sum = checksum(partial, tcp, tcp_len);
    tcp[16] = (uint8_t)(sum >> 8);
    tcp[17] = (uint8_t)sum;
    put32(c->f, 1000);
    put32(c->f, c->frames * 10000u);
    put32(c->f, (uint32_t)n);
    put32(c->f, (uint32_t)n);
    fwrite(pkt, 1, n, c->f);
    c->frames++;
}

static void cap_add(capture *c, int from, int to, const uint8_t *coap,
                    size_t len)
{
    uint8_t pkt[2048];
    size_t udp_len = 8 + len, ip_len = 20 + udp_len, n = 14 + ip_len;
    if (n > sizeof pkt) {
        die("message too long");
    }
    memset(pkt, 0, 14);
    pkt[5] = (uint8_t)to;
    pkt[11] = (uint8_t)from;
    pkt[12] = 0x08;
    uint8_t *ip = pkt + 14;
    memset(ip, 0, 20);
    ip[0] = 0x45;
    ip[2] = (uint8_t)(ip_len >> 8);
    ip[3] = (uint8_t)ip_len;
    ip[8] = 64;
    ip[9] = 17;
    uint8_t src[4], dst[4];
    host_address(from, src);
    host_address(to, dst);
    memcpy(ip + 12, src, 4);
    memcpy(ip + 16, dst, 4);
    uint32_t sum = 0;
    for (int i = 0; i < 20; i += 2) {
        sum += (uint32_t)(ip[i] << 8 | ip[i + 1]);
    }
    while (sum >> 16) {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    ip[10] = (uint8_t)(~sum >> 8);
    ip[11] = (uint8_t)~sum;
    uint8_t *udp = ip + 20;
    uint16_t port = c->udp_port ? c->udp_port : 5683;
    udp[0] = udp[2] = (uint8_t)(port >> 8);
    udp[1] = udp[3] = (uint8_t)port;
    udp[4] = (uint8_t)(udp_len >> 8);
    udp[5] = (uint8_t)udp_len;
    udp[6] = udp[7] = 0; /* no checksum (allowed for IPv4) */
    memcpy(udp + 8, coap, len);
    /* Fixed time: 10 ms between frames. */
    uint64_t usec = (uint64_t)c->frames * 10000u;
    put32(c->f, 1000 + c->later_seconds + (uint32_t)(usec / 1000000u));
    put32(c->f, (uint32_t)(usec % 1000000u));
    put32(c->f, (uint32_t)n);
    put32(c->f, (uint32_t)n);
    fwrite(pkt, 1, n, c->f);
    c->frames++;
}

/* A CoAP over TCP message (RFC 8323) on the capture's one connection
 * between CLIENT and another host, opened by the client's three-way
 * handshake before its first message. */
static void cap_add_coap_tcp(capture *c, int from, int to, const uint8_t *coap,
                             size_t len)
{
    enum { CLIENT_PORT = 40001, COAP_PORT = 5683 };
    bool client_sends = from == CLIENT;
    int peer = client_sends ? to : from;
    if (!c->tcp_open) {
        cap_add_tcp(c, CLIENT, peer, CLIENT_PORT, COAP_PORT, 999, 0, 0x02, NULL,
                    0);
        cap_add_tcp(c, peer, CLIENT, COAP_PORT, CLIENT_PORT, 4999, 1000, 0x12,
                    NULL, 0);
        cap_add_tcp(c, CLIENT, peer, CLIENT_PORT, COAP_PORT, 1000, 5000, 0x10,
                    NULL, 0);
        c->tcp_seq[0] = 1000;
        c->tcp_seq[1] = 5000;
        c->tcp_open = true;
    }
    uint32_t *mine = &c->tcp_seq[client_sends ? 0 : 1];
    uint32_t theirs = c->tcp_seq[client_sends ? 1 : 0];
    cap_add_tcp(c, from, to, client_sends ? CLIENT_PORT : COAP_PORT,
                client_sends ? COAP_PORT : CLIENT_PORT, *mine, theirs, 0x18,
                coap, len);
    *mine += (uint32_t)len;
}

static void cap_close(capture *c)
{
    fclose(c->f);
}

/* ---- vectors ---- */

static size_t hex_bytes(const char *hex, uint8_t *out, size_t cap)
{
    size_t len = 0;
    if (!oscore_keyfile_parse_hex(hex, out, cap, &len)) {
        die("bad hex in vectors: %s", hex);
    }
    return len;
}

static JsonNode *load_json(const char *dir, const char *file)
{
    char *path = g_build_filename(dir, file, NULL);
    JsonParser *p = json_parser_new();
    GError *err = NULL;
    if (!json_parser_load_from_file(p, path, &err)) {
        die("%s: %s", path, err->message);
    }
    JsonNode *root = json_node_copy(json_parser_get_root(p));
    g_object_unref(p);
    g_free(path);
    return root;
}

/* nested-example-5.9.json: {"NAME": "hex"} */
static void add_nested(capture *c, JsonObject *o, const char *name, int from,
                       int to)
{
    uint8_t buf[1024];
    const char *hex = json_object_get_string_member(o, name);
    if (hex == NULL) {
        die("vector %s missing", name);
    }
    cap_add(c, from, to, buf, hex_bytes(hex, buf, sizeof buf));
}

/* rfc8613-appendix-c.json: [[section, name, hex, len], ...] */
static const char *appendix(JsonArray *a, const char *section, const char *name)
{
    for (guint i = 0; i < json_array_get_length(a); i++) {
        JsonArray *row = json_array_get_array_element(a, i);
        if (strcmp(json_array_get_string_element(row, 0), section) == 0 &&
            strcmp(json_array_get_string_element(row, 1), name) == 0) {
            return json_array_get_string_element(row, 2);
        }
    }
    die("vector %s/%s missing", section, name);
    return NULL;
}

static void add_appendix(capture *c, JsonArray *a, const char *section,
                         const char *name, int from, int to)
{
    uint8_t buf[1024];
    cap_add(c, from, to, buf,
            hex_bytes(appendix(a, section, name), buf, sizeof buf));
}

/* A vector message re-framed for CoAP over TCP by the engine's codec
 * (OSCORE protects no header field, so the layers stay valid). */
static size_t tcp_message(JsonObject *o, const char *name, uint8_t *out,
                          size_t cap)
{
    uint8_t buf[1024];
    size_t len =
        hex_bytes(json_object_get_string_member(o, name), buf, sizeof buf);
    osc_coap_message *m = g_new0(osc_coap_message, 1);
    size_t n = 0;
    if (osc_coap_parse(buf, len, OSC_COAP_FRAMING_UDP, m) != OSC_OK) {
        die("parse %s", name);
    }
    m->framing = OSC_COAP_FRAMING_TCP;
    m->type = 0;
    m->message_id = 0;
    if (osc_coap_serialize(m, out, cap, &n) != OSC_OK) {
        die("serialize %s for TCP", name);
    }
    g_free(m);
    return n;
}

static void tcp_capture(JsonObject *o)
{
    capture c = cap_open("nested-5.9-tcp.pcap");
    uint8_t req[1024], resp[1024];
    size_t req_len = tcp_message(o, "MSG1_C_to_P_request", req, sizeof req);
    size_t resp_len = tcp_message(o, "MSG4_P_to_C_response", resp, sizeof resp);
    const uint16_t cport = 40000, sport = 5683;
    cap_add_tcp(&c, CLIENT, PROXY, cport, sport, 1000, 0, 0x02, NULL, 0);
    cap_add_tcp(&c, PROXY, CLIENT, sport, cport, 5000, 1001, 0x12, NULL, 0);
    cap_add_tcp(&c, CLIENT, PROXY, cport, sport, 1001, 5001, 0x10, NULL, 0);
    cap_add_tcp(&c, CLIENT, PROXY, cport, sport, 1001, 5001, 0x18, req,
                req_len);
    cap_add_tcp(&c, PROXY, CLIENT, sport, cport, 5001, 1001 + (uint32_t)req_len,
                0x18, resp, resp_len);
    cap_close(&c);
}

static void group_from_vectors(const char *vectors);
static void group_algorithms_from_vectors(const char *vectors);

/* A vector message re-framed for CoAP over WebSockets (RFC 8323 4: no
 * length, no type or MID) inside one binary WebSocket frame, masked as a
 * client must (RFC 6455 5.3) when from_client. */
static size_t ws_frame(JsonObject *o, const char *name, bool from_client,
                       uint8_t *out, size_t cap)
{
    uint8_t buf[1024], coap[1024];
    size_t len =
        hex_bytes(json_object_get_string_member(o, name), buf, sizeof buf);
    osc_coap_message *m = g_new0(osc_coap_message, 1);
    size_t n = 0;
    if (osc_coap_parse(buf, len, OSC_COAP_FRAMING_UDP, m) != OSC_OK) {
        die("parse %s", name);
    }
    m->framing = OSC_COAP_FRAMING_WEBSOCKET;
    m->type = 0;
    m->message_id = 0;
    if (osc_coap_serialize(m, coap, sizeof coap, &n) != OSC_OK || n > 125 ||
        n + 6 > cap) {
        die("frame %s for WebSocket", name);
    }
    g_free(m);
    static const uint8_t mask[4] = {0x37, 0xfa, 0x21, 0x3d};
    size_t pos = 0;
    out[pos++] = 0x82; /* FIN, binary */
    out[pos++] = (uint8_t)((from_client ? 0x80 : 0) | n);
    if (from_client) {
        memcpy(out + pos, mask, 4);
        pos += 4;
    }
    for (size_t i = 0; i < n; i++) {
        out[pos++] = from_client ? coap[i] ^ mask[i % 4] : coap[i];
    }
    return pos;
}

/* The C->P request and P->C response of nested-example-5.9.json over a
 * WebSocket
 * opened with subprotocol "coap" (RFC 8323 4.1). */
static void ws_capture(JsonObject *o)
{
    static const char upgrade[] =
        "GET /.well-known/coap HTTP/1.1\r\nHost: 127.0.0.2\r\n"
        "Upgrade: websocket\r\nConnection: Upgrade\r\n"
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
        "Sec-WebSocket-Protocol: coap\r\nSec-WebSocket-Version: 13\r\n\r\n";
    static const char accept[] =
        "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
        "Connection: Upgrade\r\n"
        "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"
        "Sec-WebSocket-Protocol: coap\r\n\r\n";
    uint8_t req[256], resp[256];
    size_t req_len = ws_frame(o, "MSG1_C_to_P_request", true, req, sizeof req);
    size_t resp_len =
        ws_frame(o, "MSG4_P_to_C_response", false, resp, sizeof resp);
    capture c = cap_open("nested-5.9-websocket.pcap");
    const uint16_t cport = 40001, sport = 80;
    uint32_t cseq = 2000, sseq = 7000;
    cap_add_tcp(&c, CLIENT, PROXY, cport, sport, cseq, 0, 0x02, NULL, 0);
    cap_add_tcp(&c, PROXY, CLIENT, sport, cport, sseq, cseq + 1, 0x12, NULL, 0);
    cseq++;
    sseq++;
    cap_add_tcp(&c, CLIENT, PROXY, cport, sport, cseq, sseq, 0x10, NULL, 0);
    cap_add_tcp(&c, CLIENT, PROXY, cport, sport, cseq, sseq, 0x18,
                (const uint8_t *)upgrade, sizeof upgrade - 1);
    cseq += (uint32_t)(sizeof upgrade - 1);
    cap_add_tcp(&c, PROXY, CLIENT, sport, cport, sseq, cseq, 0x18,
                (const uint8_t *)accept, sizeof accept - 1);
    sseq += (uint32_t)(sizeof accept - 1);
    cap_add_tcp(&c, CLIENT, PROXY, cport, sport, cseq, sseq, 0x18, req,
                req_len);
    cseq += (uint32_t)req_len;
    cap_add_tcp(&c, PROXY, CLIENT, sport, cport, sseq, cseq, 0x18, resp,
                resp_len);
    cap_close(&c);
}

static void from_vectors(const char *vectors)
{
    JsonNode *n = load_json(vectors, "nested-example-5.9.json");
    JsonObject *o = json_node_get_object(n);
    capture c = cap_open("nested-5.9-ex3.pcap");
    add_nested(&c, o, "MSG1_C_to_P_request", CLIENT, PROXY);
    add_nested(&c, o, "MSG2B_P_to_S_request", PROXY, SERVER);
    add_nested(&c, o, "MSG3B_S_to_P_response", SERVER, PROXY);
    add_nested(&c, o, "MSG4_P_to_C_response", PROXY, CLIENT);
    cap_close(&c);
    c = cap_open("nested-5.9-ex1.pcap");
    add_nested(&c, o, "MSG1_C_to_P_request", CLIENT, PROXY);
    add_nested(&c, o, "MSG2A_P_to_S_request", PROXY, SERVER);
    add_nested(&c, o, "MSG3A_S_to_P_response", SERVER, PROXY);
    add_nested(&c, o, "MSG4_P_to_C_response", PROXY, CLIENT);
    cap_close(&c);
    tcp_capture(o);
    ws_capture(o);
    /* The same example on a port CoAP does not decode by default: with
     * Decode As (-d udp.port==61616,coap) the plugin must see it too. */
    c = cap_open("nested-5.9-port-61616.pcap");
    c.udp_port = 61616;
    add_nested(&c, o, "MSG1_C_to_P_request", CLIENT, PROXY);
    add_nested(&c, o, "MSG4_P_to_C_response", PROXY, CLIENT);
    cap_close(&c);
    json_node_unref(n);
    group_from_vectors(vectors);
    group_algorithms_from_vectors(vectors);

    n = load_json(vectors, "rfc8613-appendix-c.json");
    JsonArray *a = json_node_get_array(n);
    const char *req = "Protected CoAP request (OSCORE message)";
    const char *resp = "Protected CoAP response (OSCORE message)";
    c = cap_open("rfc8613-c4-c7.pcap");
    add_appendix(&c, a, "C.4", req, CLIENT, SERVER);
    add_appendix(&c, a, "C.7", resp, SERVER, CLIENT);
    cap_close(&c);
    c = cap_open("rfc8613-c4-c8.pcap");
    add_appendix(&c, a, "C.4", req, CLIENT, SERVER);
    add_appendix(&c, a, "C.8", resp, SERVER, CLIENT);
    cap_close(&c);
    c = cap_open("rfc8613-c5-c6.pcap");
    add_appendix(&c, a, "C.5", req, CLIENT, SERVER);
    add_appendix(&c, a, "C.6", req, CLIENT, SERVER);
    cap_close(&c);

    /* The client-side contexts of C.1, C.2 and C.3, from the same file. */
    char *path = g_build_filename(out_dir, "appendix-c.keys", NULL);
    FILE *k = fopen(path, "w");
    if (k == NULL) {
        die("cannot write %s", path);
    }
    fprintf(k, "# Written by gen_captures from rfc8613-appendix-c.json\n");
    const char *secs[] = {"C.1.1", "C.2.1", "C.3.1"};
    const char *names[] = {"rfc8613-c1", "rfc8613-c2", "rfc8613-c3"};
    for (int i = 0; i < 3; i++) {
        fprintf(k, "\n[%s]\nmaster_secret = %s\n", names[i],
                appendix(a, secs[i], "Master Secret"));
        if (i != 1) {
            fprintf(k, "master_salt = %s\n",
                    appendix(a, secs[i], "Master Salt"));
        }
        if (i == 2) {
            fprintf(k, "id_context = %s\n", appendix(a, secs[i], "ID Context"));
        }
        fprintf(k, "sender_id = %s\nrecipient_id = %s\n",
                appendix(a, secs[i], "Sender ID"),
                appendix(a, secs[i], "Recipient ID"));
    }
    fclose(k);
    g_free(path);
    json_node_unref(n);
}

/*
 * group-oscore.json (Group OSCORE, RFC 10021): the group-mode request with
 * both
 * responses and the pairwise exchange, and two keys files written from the
 * same file: an observer's (credentials only) and one that also knows the
 * client's private key (so pairwise keys exist). Inputs the file does not
 * hold (secret, salt, Gid, algorithms, RFC 8032 TEST 1 seed; listed in
 * tests/vectors/README.md) are written here.
 */
static void group_from_vectors(const char *vectors)
{
    JsonNode *n = load_json(vectors, "group-oscore.json");
    JsonObject *o = json_node_get_object(n);
    capture c = cap_open("group-oscore.pcap");
    add_nested(&c, o, "req_protected_coap", CLIENT, SERVER);
    add_nested(&c, o, "resp1_protected_coap", SERVER, CLIENT);
    add_nested(&c, o, "resp2_protected_coap", SERVER, CLIENT);
    add_nested(&c, o, "pw_req_protected_coap", CLIENT, SERVER);
    add_nested(&c, o, "pw_resp_protected_coap", SERVER, CLIENT);
    cap_close(&c);
    /* The group-mode request as Group OSCORE is mostly used: to a
     * multicast group, answered from the server's unicast address. */
    c = cap_open("group-oscore-multicast.pcap");
    add_nested(&c, o, "req_protected_coap", CLIENT, ALL_COAP_NODES);
    add_nested(&c, o, "resp1_protected_coap", SERVER, CLIENT);
    add_nested(&c, o, "resp2_protected_coap", SERVER, CLIENT);
    cap_close(&c);

    for (int with_private_key = 0; with_private_key < 2; with_private_key++) {
        char *path = g_build_filename(out_dir,
                                      with_private_key ? "group-member.keys"
                                                       : "group-observer.keys",
                                      NULL);
        FILE *k = fopen(path, "w");
        if (k == NULL) {
            die("cannot write %s", path);
        }
        fprintf(k,
                "# Written by gen_captures from group-oscore.json\n"
                "[group-dal]\ngroup = true\n"
                "master_secret = 0102030405060708090a0b0c0d0e0f10\n"
                "master_salt = 9e7ca92223786340\nid_context = 44616c\n"
                "aead = 10\ngroup_enc = 10\nsignature = EdDSA\n"
                "pairwise_ka = -27\ngm_cred = %s\nmember.25 = %s\n"
                "member.52 = %s\n",
                json_object_get_string_member(o, "cred_gm"),
                json_object_get_string_member(o, "cred_client"),
                json_object_get_string_member(o, "cred_server"));
        if (with_private_key) {
            fprintf(k, "member.25.private_key = 9d61b19deffd5a60ba844af492ec2c"
                       "c44449c5697b326919703bac031cae7f60\n");
        }
        fclose(k);
        g_free(path);
    }
    json_node_unref(n);
}

/* A member of a case of group-algorithms.json, "CASE/NAME". */
static const char *case_member(JsonObject *o, const char *group_case,
                               const char *name)
{
    char full[96];
    snprintf(full, sizeof full, "%s/%s", group_case, name);
    if (!json_object_has_member(o, full)) {
        die("group-algorithms.json has no %s", full);
    }
    return json_object_get_string_member(o, full);
}

/*
 * tests/data/group-algorithms/group-algorithms.json (Group OSCORE with
 * ES256, A128CTR and P-256 pairwise keys): per case a capture of the
 * group-mode request, both responses and the pairwise exchange, and a
 * keys file with the client's private key (so pairwise opens too).
 */
static void group_algorithms_from_vectors(const char *vectors)
{
    static const char *const cases[] = {"es256_ctr", "es256_gcm", "eddsa_ctr"};
    static const char *const messages[5][2] = {{"req_protected_coap", "c"},
                                               {"resp1_protected_coap", "s"},
                                               {"resp2_protected_coap", "s"},
                                               {"pw_req_protected_coap", "c"},
                                               {"pw_resp_protected_coap", "s"}};
    JsonNode *n =
        load_json(vectors, "../data/group-algorithms/group-algorithms.json");
    JsonObject *o = json_node_get_object(n);
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        char name[96];
        snprintf(name, sizeof name, "group-%s.pcap", cases[i]);
        capture c = cap_open(name);
        for (size_t m = 0; m < G_N_ELEMENTS(messages); m++) {
            bool from_client = messages[m][1][0] == 'c';
            snprintf(name, sizeof name, "%s/%s", cases[i], messages[m][0]);
            add_nested(&c, o, name, from_client ? CLIENT : SERVER,
                       from_client ? SERVER : CLIENT);
        }
        cap_close(&c);

        snprintf(name, sizeof name, "group-%s.keys", cases[i]);
        char *path = g_build_filename(out_dir, name, NULL);
        FILE *k = fopen(path, "w");
        if (k == NULL) {
            die("cannot write %s", path);
        }
        fprintf(k,
                "# Written by gen_captures from group-algorithms.json\n"
                "[group-%s]\ngroup = true\n"
                "master_secret = 0102030405060708090a0b0c0d0e0f10\n"
                "master_salt = 9e7ca92223786340\nid_context = 44616c\n"
                "aead = %s\ngroup_enc = %s\nsignature = %s\n"
                "pairwise_ka = -27\ngm_cred = %s\nmember.25 = %s\n"
                "member.52 = %s\nmember.25.private_key = %s\n",
                cases[i], case_member(o, cases[i], "alg_aead"),
                case_member(o, cases[i], "alg_group_enc"),
                case_member(o, cases[i], "alg_signature"),
                case_member(o, cases[i], "cred_gm"),
                case_member(o, cases[i], "cred_client"),
                case_member(o, cases[i], "cred_server"),
                case_member(o, cases[i], "private_client"));
        fclose(k);
        g_free(path);
    }
    json_node_unref(n);
}

/* ---- self-generated traffic ---- */

static oscore_keyfile *keys_gen;

static const osc_context *context(const char *name)
{
    for (size_t i = 0; i < keys_gen->entry_count; i++) {
        if (strcmp(keys_gen->entries[i].name, name) == 0) {
            return &keys_gen->entries[i].ctx;
        }
    }
    die("context %s not in the keys files", name);
    return NULL;
}

static void msg_init(osc_coap_message *m, osc_coap_type type, uint16_t mid,
                     uint8_t code, const char *token)
{
    memset(m, 0, sizeof *m);
    m->framing = OSC_COAP_FRAMING_UDP;
    m->type = type;
    m->message_id = mid;
    m->code = code;
    m->token_length = (uint8_t)strlen(token);
    memcpy(m->token, token, m->token_length);
}

static void opt(osc_coap_message *m, uint16_t number, const void *value,
                size_t len)
{
    if (osc_coap_add_option(m, number, value, (uint32_t)len) != OSC_OK) {
        die("add option %u", number);
    }
}

static void opt_str(osc_coap_message *m, uint16_t number, const char *s)
{
    opt(m, number, s, strlen(s));
}

/* Option values must outlive the message: keep uint encodings here. */
static uint8_t uint_store[64][4];
static size_t uint_used;

static void opt_uint(osc_coap_message *m, uint16_t number, uint32_t v)
{
    uint8_t *buf = uint_store[uint_used++ % 64];
    opt(m, number, buf, osc_coap_encode_uint(v, buf));
}

static void payload(osc_coap_message *m, const char *s)
{
    m->payload = (const uint8_t *)s;
    m->payload_length = strlen(s);
}

static void add_plain(capture *c, int from, int to, const osc_coap_message *m)
{
    uint8_t buf[1024];
    size_t n = 0;
    if (osc_coap_serialize(m, buf, sizeof buf, &n) != OSC_OK) {
        die("serialize");
    }
    if (m->framing == OSC_COAP_FRAMING_TCP) {
        cap_add_coap_tcp(c, from, to, buf, n);
    } else {
        cap_add(c, from, to, buf, n);
    }
}

static osc_layer_peer direct_peer(void)
{
    osc_layer_peer p = {.sender_is_origin = true, .peer_is_next_hop = true};
    return p;
}

/* Protects a request with n layers (specs innermost first), adds it. */
static void add_request(capture *c, int from, int to, const osc_coap_message *m,
                        const osc_request_layer_spec *specs, size_t n,
                        osc_request_binding *bindings)
{
    size_t cap = osc_layers_protect_work_size(m, n);
    uint8_t *work = g_malloc(cap);
    osc_coap_message *out = g_new0(osc_coap_message, 1);
    osc_status s =
        osc_protect_request_layers(m, specs, n, work, cap, out, bindings);
    if (s != OSC_OK) {
        die("protect request: %s", osc_status_name(s));
    }
    add_plain(c, from, to, out);
    g_free(out);
    g_free(work);
}

static void add_response(capture *c, int from, int to,
                         const osc_coap_message *m,
                         const osc_response_layer_spec *specs, size_t n)
{
    size_t cap = osc_layers_protect_work_size(m, n) + 256;
    uint8_t *work = g_malloc(cap);
    osc_coap_message *out = g_new0(osc_coap_message, 1);
    osc_status s = osc_protect_response_layers(m, specs, n, work, cap, out);
    if (s != OSC_OK) {
        die("protect response: %s", osc_status_name(s));
    }
    add_plain(c, from, to, out);
    g_free(out);
    g_free(work);
}

static osc_request_layer_spec client_layer(const char *ctx, uint64_t seq)
{
    osc_request_layer_spec s = {.ctx = context(ctx),
                                .party = OSC_PARTY_SENDER,
                                .sequence_number = seq,
                                .include_kid_context = false,
                                .peer = direct_peer()};
    return s;
}

static void response_1(capture *c, int from, int to, const osc_coap_message *m,
                       const osc_request_binding *b, bool with_piv,
                       uint64_t seq)
{
    osc_response_layer_spec s = {
        .request = b, .with_piv = with_piv, .sequence_number = seq};
    add_response(c, from, to, m, &s, 1);
}

static void gen_observe(void)
{
    capture c = cap_open("gen-observe.pcap");
    osc_coap_message *m = g_new0(osc_coap_message, 1);
    osc_request_binding reg, dereg;
    osc_request_layer_spec spec = client_layer("c-s", 10);

    msg_init(m, OSC_COAP_TYPE_CON, 0x3001, OSC_COAP_CODE_GET, "\x0b");
    opt_uint(m, OSC_OPT_OBSERVE, 0);
    opt_str(m, OSC_OPT_URI_PATH, "temp");
    add_request(&c, CLIENT, SERVER, m, &spec, 1, &reg);

    /* Notifications, each with the server's own Partial IV. */
    const char *values[] = {"21", "22", "23"};
    const osc_coap_type types[] = {OSC_COAP_TYPE_ACK, OSC_COAP_TYPE_CON,
                                   OSC_COAP_TYPE_NON};
    const uint16_t mids[] = {0x3001, 0x5001, 0x5002};
    for (int i = 0; i < 3; i++) {
        msg_init(m, types[i], mids[i], OSC_COAP_CODE_CONTENT, "\x0b");
        opt_uint(m, OSC_OPT_OBSERVE, 100u + (uint32_t)i);
        opt_uint(m, OSC_OPT_CONTENT_FORMAT, 0);
        payload(m, values[i]);
        response_1(&c, SERVER, CLIENT, m, &reg, true, 20u + (uint64_t)i);
        if (types[i] == OSC_COAP_TYPE_CON) {
            msg_init(m, OSC_COAP_TYPE_ACK, 0x5001, OSC_COAP_CODE_EMPTY, "");
            add_plain(&c, CLIENT, SERVER, m);
        }
    }
    /* Deregistration on the registration's token, new Partial IV. */
    spec.sequence_number = 11;
    msg_init(m, OSC_COAP_TYPE_CON, 0x3002, OSC_COAP_CODE_GET, "\x0b");
    opt_uint(m, OSC_OPT_OBSERVE, 1);
    opt_str(m, OSC_OPT_URI_PATH, "temp");
    add_request(&c, CLIENT, SERVER, m, &spec, 1, &dereg);
    msg_init(m, OSC_COAP_TYPE_ACK, 0x3002, OSC_COAP_CODE_CONTENT, "\x0b");
    opt_uint(m, OSC_OPT_CONTENT_FORMAT, 0);
    payload(m, "23");
    response_1(&c, SERVER, CLIENT, m, &dereg, false, 0);
    cap_close(&c);
    g_free(m);
}

static void gen_echo(void)
{
    capture c = cap_open("gen-echo.pcap");
    osc_coap_message *m = g_new0(osc_coap_message, 1);
    osc_request_binding b1, b2;
    osc_request_layer_spec spec = client_layer("c-s", 12);
    static const uint8_t echo[8] = {0xe1, 0xe2, 0xe3, 0xe4,
                                    0xe5, 0xe6, 0xe7, 0xe8};

    msg_init(m, OSC_COAP_TYPE_CON, 0x3101, OSC_COAP_CODE_GET, "\x21");
    opt_str(m, OSC_OPT_URI_PATH, "sensor");
    add_request(&c, CLIENT, SERVER, m, &spec, 1, &b1);
    /* RFC 8613 B.1.2: 4.01 with an inner Echo and its own Partial IV. */
    msg_init(m, OSC_COAP_TYPE_ACK, 0x3101, OSC_COAP_CODE(4, 1), "\x21");
    opt(m, OSC_OPT_ECHO, echo, sizeof echo);
    response_1(&c, SERVER, CLIENT, m, &b1, true, 30);
    spec.sequence_number = 13;
    msg_init(m, OSC_COAP_TYPE_CON, 0x3102, OSC_COAP_CODE_GET, "\x22");
    opt_str(m, OSC_OPT_URI_PATH, "sensor");
    opt(m, OSC_OPT_ECHO, echo, sizeof echo);
    add_request(&c, CLIENT, SERVER, m, &spec, 1, &b2);
    msg_init(m, OSC_COAP_TYPE_ACK, 0x3102, OSC_COAP_CODE_CONTENT, "\x22");
    payload(m, "ok");
    response_1(&c, SERVER, CLIENT, m, &b2, false, 0);
    cap_close(&c);
    g_free(m);
}

static void gen_empty_token(void)
{
    capture c = cap_open("gen-empty-token.pcap");
    osc_coap_message *m = g_new0(osc_coap_message, 1);
    osc_request_binding b;
    osc_request_layer_spec spec = client_layer("c-s", 14);

    msg_init(m, OSC_COAP_TYPE_CON, 0x3201, OSC_COAP_CODE_GET, "");
    opt_str(m, OSC_OPT_URI_PATH, "slow");
    add_request(&c, CLIENT, SERVER, m, &spec, 1, &b);
    msg_init(m, OSC_COAP_TYPE_ACK, 0x3201, OSC_COAP_CODE_EMPTY, "");
    add_plain(&c, SERVER, CLIENT, m);
    /* Separate response: new MID, the (empty) token of the request. */
    msg_init(m, OSC_COAP_TYPE_CON, 0x6001, OSC_COAP_CODE_CONTENT, "");
    payload(m, "done");
    response_1(&c, SERVER, CLIENT, m, &b, false, 0);
    msg_init(m, OSC_COAP_TYPE_ACK, 0x6001, OSC_COAP_CODE_EMPTY, "");
    add_plain(&c, CLIENT, SERVER, m);
    cap_close(&c);
    g_free(m);
}

/* RFC 8974 extended tokens: a 12-byte token (TKL 12, reserved before
 * RFC 8974), and two 22-byte ones (TKL 13 and one extended length byte)
 * that share their first 8 bytes, answered in the reverse order: each
 * response must find its own request. */
static void gen_extended_token(void)
{
    capture c = cap_open("gen-extended-token.pcap");
    osc_coap_message *m = g_new0(osc_coap_message, 1);
    osc_request_binding b12, ba, bb;
    osc_request_layer_spec spec = client_layer("c-s", 40);
    static const char *const tokens[] = {
        "twelve-bytes", "stateless-proxy-A-0001", "stateless-proxy-A-0002"};

    msg_init(m, OSC_COAP_TYPE_CON, 0x3401, OSC_COAP_CODE_GET, tokens[0]);
    opt_str(m, OSC_OPT_URI_PATH, "short");
    add_request(&c, CLIENT, SERVER, m, &spec, 1, &b12);
    msg_init(m, OSC_COAP_TYPE_ACK, 0x3401, OSC_COAP_CODE_CONTENT, tokens[0]);
    payload(m, "12");
    response_1(&c, SERVER, CLIENT, m, &b12, false, 0);
    osc_request_binding *bindings[] = {&ba, &bb};
    for (unsigned i = 0; i < 2; i++) {
        spec.sequence_number = 41 + i;
        msg_init(m, OSC_COAP_TYPE_NON, (uint16_t)(0x3402 + i),
                 OSC_COAP_CODE_GET, tokens[1 + i]);
        opt_str(m, OSC_OPT_URI_PATH, i == 0 ? "first" : "second");
        add_request(&c, CLIENT, SERVER, m, &spec, 1, bindings[i]);
    }
    for (unsigned i = 2; i-- > 0;) {
        msg_init(m, OSC_COAP_TYPE_NON, (uint16_t)(0x5402 + i),
                 OSC_COAP_CODE_CONTENT, tokens[1 + i]);
        payload(m, i == 0 ? "first" : "second");
        response_1(&c, SERVER, CLIENT, m, bindings[i], false, 0);
    }
    cap_close(&c);
    g_free(m);
}

/* RFC 8974 TKL 14: two 300-byte tokens (two extended length bytes,
 * 300 - 269) that differ only in their last byte, so past the 255 bytes a
 * message keeps inline; two requests, answered in the reverse order, over
 * UDP and then over TCP (RFC 8323): each response must find its own
 * request, and a response with a third such token none. */
static void gen_long_token(void)
{
    enum { TOKEN_LENGTH = 300 };
    static uint8_t tokens[3][TOKEN_LENGTH];
    for (size_t i = 0; i < TOKEN_LENGTH; i++) {
        tokens[0][i] = tokens[1][i] = tokens[2][i] = (uint8_t)(i * 7 + 3);
    }
    tokens[1][TOKEN_LENGTH - 1] ^= 0xff;
    tokens[2][TOKEN_LENGTH - 1] ^= 0x0f;
    capture c = cap_open("gen-long-token.pcap");
    osc_coap_message *m = g_new0(osc_coap_message, 1);
    osc_request_binding bindings[2];
    osc_request_layer_spec spec = client_layer("c-s", 50);
    static const char *const paths[] = {"first", "second"};
    static const osc_coap_framing framings[] = {OSC_COAP_FRAMING_UDP,
                                                OSC_COAP_FRAMING_TCP};
    for (size_t f = 0; f < 2; f++) {
        for (unsigned i = 0; i < 2; i++) {
            msg_init(m, OSC_COAP_TYPE_NON, (uint16_t)(0x3502 + i),
                     OSC_COAP_CODE_GET, "");
            m->framing = framings[f];
            m->token_length = TOKEN_LENGTH;
            m->long_token = tokens[i];
            opt_str(m, OSC_OPT_URI_PATH, paths[i]);
            add_request(&c, CLIENT, SERVER, m, &spec, 1, &bindings[i]);
            spec.sequence_number++;
        }
        for (unsigned i = 2; i-- > 0;) {
            msg_init(m, OSC_COAP_TYPE_NON, (uint16_t)(0x5502 + i),
                     OSC_COAP_CODE_CONTENT, "");
            m->framing = framings[f];
            m->token_length = TOKEN_LENGTH;
            m->long_token = tokens[i];
            payload(m, paths[i]);
            response_1(&c, SERVER, CLIENT, m, &bindings[i], false, 0);
        }
        /* A third token, no request of its own: protected for the first
         * request, it must still find none. */
        msg_init(m, OSC_COAP_TYPE_NON, 0x5504, OSC_COAP_CODE_CONTENT, "");
        m->framing = framings[f];
        m->token_length = TOKEN_LENGTH;
        m->long_token = tokens[2];
        payload(m, "stray");
        response_1(&c, SERVER, CLIENT, m, &bindings[0], false, 0);
    }
    cap_close(&c);
    g_free(m);
}

static void gen_inner_options(void)
{
    capture c = cap_open("gen-inner-options.pcap");
    osc_coap_message *m = g_new0(osc_coap_message, 1);
    osc_request_binding b;
    osc_request_layer_spec spec = client_layer("c-s", 15);
    static const uint8_t echo[4] = {0xec, 0x40, 0x00, 0x01};
    static const uint8_t tag[2] = {0x7a, 0x61};

    msg_init(m, OSC_COAP_TYPE_CON, 0x3301, OSC_COAP_CODE_POST, "\x31");
    opt_str(m, OSC_OPT_URI_PATH, "cfg");
    opt_uint(m, OSC_OPT_CONTENT_FORMAT, 50);
    opt(m, OSC_OPT_ECHO, echo, sizeof echo);
    opt_uint(m, OSC_OPT_NO_RESPONSE, 16);
    opt(m, OSC_OPT_REQUEST_TAG, tag, sizeof tag);
    payload(m, "{\"interval\":30}");
    add_request(&c, CLIENT, SERVER, m, &spec, 1, &b);
    msg_init(m, OSC_COAP_TYPE_ACK, 0x3301, OSC_COAP_CODE_CHANGED, "\x31");
    response_1(&c, SERVER, CLIENT, m, &b, false, 0);
    cap_close(&c);
    g_free(m);
}

static void gen_idctx(void)
{
    capture c = cap_open("gen-idctx.pcap");
    osc_coap_message *m = g_new0(osc_coap_message, 1);
    osc_request_binding b;
    osc_request_layer_spec spec = client_layer("c-s-idctx", 1);

    /* The kid context is left out: the ID Context is known out of band. */
    msg_init(m, OSC_COAP_TYPE_CON, 0x3401, OSC_COAP_CODE_GET, "\x51");
    opt_str(m, OSC_OPT_URI_PATH, "id");
    add_request(&c, CLIENT, SERVER, m, &spec, 1, &b);
    msg_init(m, OSC_COAP_TYPE_ACK, 0x3401, OSC_COAP_CODE_CONTENT, "\x51");
    payload(m, "without");
    response_1(&c, SERVER, CLIENT, m, &b, false, 0);
    spec.sequence_number = 2;
    spec.include_kid_context = true;
    msg_init(m, OSC_COAP_TYPE_CON, 0x3402, OSC_COAP_CODE_GET, "\x52");
    opt_str(m, OSC_OPT_URI_PATH, "id");
    add_request(&c, CLIENT, SERVER, m, &spec, 1, &b);
    msg_init(m, OSC_COAP_TYPE_ACK, 0x3402, OSC_COAP_CODE_CONTENT, "\x52");
    payload(m, "with");
    response_1(&c, SERVER, CLIENT, m, &b, false, 0);
    cap_close(&c);
    g_free(m);
}

/* A request protected once with one layer, for captures that send the
 * same protected message several times: msg points into work. */
typedef struct one_layer_request {
    osc_coap_message *msg;
    uint8_t *work;
    osc_request_binding binding;
} one_layer_request;

static one_layer_request protect_once(const osc_coap_message *m,
                                      const osc_request_layer_spec *spec)
{
    one_layer_request r = {.msg = g_new0(osc_coap_message, 1)};
    size_t cap = osc_layers_protect_work_size(m, 1);
    r.work = g_malloc(cap);
    if (osc_protect_request_layers(m, spec, 1, r.work, cap, r.msg,
                                   &r.binding) != OSC_OK) {
        die("protect request");
    }
    return r;
}

/* Adds r's message (with its current Message ID) as one frame. */
static void add_protected(capture *c, int from, int to,
                          const one_layer_request *r)
{
    uint8_t buf[512];
    size_t n = 0;
    if (osc_coap_serialize(r->msg, buf, sizeof buf, &n) != OSC_OK) {
        die("serialize request");
    }
    cap_add(c, from, to, buf, n);
}

static void free_protected(one_layer_request *r)
{
    g_free(r->msg);
    g_free(r->work);
}

/* A CON retransmission (same bytes) and a replay (same OSCORE layer,
 * new MID) of one request. */
static void gen_replay(void)
{
    capture c = cap_open("gen-replay.pcap");
    osc_coap_message *m = g_new0(osc_coap_message, 1);
    osc_request_layer_spec spec = client_layer("c-s", 50);
    msg_init(m, OSC_COAP_TYPE_CON, 0x3501, OSC_COAP_CODE_GET, "\x41");
    opt_str(m, OSC_OPT_URI_PATH, "door");
    one_layer_request r = protect_once(m, &spec);
    add_protected(&c, CLIENT, SERVER, &r);
    add_protected(&c, CLIENT, SERVER, &r); /* retransmission */
    r.msg->message_id = 0x3502;            /* replay: same layer, new MID */
    add_protected(&c, CLIENT, SERVER, &r);
    msg_init(m, OSC_COAP_TYPE_ACK, 0x3501, OSC_COAP_CODE_CONTENT, "\x41");
    payload(m, "open");
    response_1(&c, SERVER, CLIENT, m, &r.binding, false, 0);
    free_protected(&r);
    cap_close(&c);
    g_free(m);
}

/* Block num (16-byte blocks) of r's protected request, cut with Block1
 * outside its layer and Request-Tag tag, as one frame with Message ID mid
 * (RFC 8613 4.1.3.4.2, RFC 9175 3.2). */
static void add_block1(capture *c, const one_layer_request *r, uint32_t num,
                       uint16_t mid, const char *tag)
{
    osc_coap_message *b = g_new(osc_coap_message, 1);
    *b = *r->msg;
    osc_block block;
    size_t offset, length;
    if (!osc_block_slice(r->msg->payload_length, num, 0, &block, &offset,
                         &length)) {
        die("no block %u", num);
    }
    b->payload = r->msg->payload + offset;
    b->payload_length = length;
    uint8_t value[3];
    opt(b, OSC_OPT_BLOCK1, value, osc_block_encode(&block, value));
    opt_str(b, OSC_OPT_REQUEST_TAG, tag);
    b->message_id = mid;
    add_plain(c, CLIENT, SERVER, b);
    g_free(b);
}

static one_layer_request block1_request(osc_coap_message *m, const char *token,
                                        const char *path, const char *text,
                                        uint64_t seq)
{
    osc_request_layer_spec spec = client_layer("c-s", seq);
    msg_init(m, OSC_COAP_TYPE_CON, 0, OSC_COAP_CODE_POST, token);
    opt_str(m, OSC_OPT_URI_PATH, path);
    payload(m, text);
    return protect_once(m, &spec);
}

/* Three outer Block1 transfers on one leg, told apart by Request-Tag:
 * A (4 blocks, its first block retransmitted) completes last; B's last
 * block comes before its first; C lacks block 1 and never completes. B's
 * response binds to the frame that completed B. */
static void gen_outer_block(void)
{
    capture c = cap_open("gen-outer-block.pcap");
    osc_coap_message *m = g_new0(osc_coap_message, 1);
    one_layer_request a = block1_request(
        m, "\x61", "a", "transfer A: forty-one bytes of text here", 70);
    one_layer_request b = block1_request(m, "\x62", "b", "transfer B", 71);
    one_layer_request cc =
        block1_request(m, "\x63", "c", "transfer C: never reassembled", 72);
    add_block1(&c, &a, 0, 0x3601, "A");
    add_block1(&c, &b, 1, 0x3611, "B");
    add_block1(&c, &a, 0, 0x3601, "A"); /* retransmission */
    add_block1(&c, &b, 0, 0x3610, "B");
    add_block1(&c, &a, 1, 0x3602, "A");
    add_block1(&c, &cc, 0, 0x3620, "C");
    add_block1(&c, &a, 2, 0x3603, "A");
    add_block1(&c, &cc, 2, 0x3622, "C");
    add_block1(&c, &a, 3, 0x3604, "A");
    msg_init(m, OSC_COAP_TYPE_ACK, 0x3610, OSC_COAP_CODE_CHANGED, "\x62");
    payload(m, "stored B");
    response_1(&c, SERVER, CLIENT, m, &b.binding, false, 0);
    free_protected(&a);
    free_protected(&b);
    free_protected(&cc);
    cap_close(&c);
    g_free(m);
}

/* The same request bytes again, first at once and then 248 s later:
 * RFC 7252 4.8.2 lets a sender reuse a Message ID after EXCHANGE_LIFETIME
 * (247 s), so only the first repeat is a retransmission; the late one is
 * a new message carrying an old Partial IV, a replay. */
static void gen_lifetime(void)
{
    capture c = cap_open("gen-lifetime.pcap");
    osc_coap_message *m = g_new0(osc_coap_message, 1);
    osc_request_layer_spec spec = client_layer("c-s", 52);
    msg_init(m, OSC_COAP_TYPE_CON, 0x3511, OSC_COAP_CODE_GET, "\x43");
    opt_str(m, OSC_OPT_URI_PATH, "door");
    one_layer_request r = protect_once(m, &spec);
    add_protected(&c, CLIENT, SERVER, &r);
    add_protected(&c, CLIENT, SERVER, &r); /* retransmission */
    c.later_seconds = 248;
    add_protected(&c, CLIENT, SERVER, &r); /* MID reused: a replay */
    free_protected(&r);
    cap_close(&c);
    g_free(m);
}

/* A request whose encrypted Uri-Path holds terminal control sequences
 * (ESC, BEL, CR, LF) and a NUL byte: decrypted text from a capture, which
 * must reach the Info column, the fields and the tree escaped. */
static void gen_escape(void)
{
    static const char hostile[] = "\x1b]0;pwned\x07\x1b[31mRED\x1b[0m\r\n2";
    static const char with_nul[] = {'a', 0, 'b'};
    capture c = cap_open("gen-escape.pcap");
    osc_coap_message *m = g_new0(osc_coap_message, 1);
    osc_request_binding b;
    osc_request_layer_spec spec = client_layer("c-s", 54);
    msg_init(m, OSC_COAP_TYPE_CON, 0x3521, OSC_COAP_CODE_GET, "\x44");
    opt(m, OSC_OPT_URI_PATH, hostile, sizeof hostile - 1);
    opt(m, OSC_OPT_URI_PATH, with_nul, sizeof with_nul);
    add_request(&c, CLIENT, SERVER, m, &spec, 1, &b);
    msg_init(m, OSC_COAP_TYPE_ACK, 0x3521, OSC_COAP_CODE_CONTENT, "\x44");
    payload(m, "ok");
    response_1(&c, SERVER, CLIENT, m, &b, false, 0);
    cap_close(&c);
    g_free(m);
}

/* A single-layer request forwarded unchanged by a proxy that is not an
 * OSCORE endpoint, once at once and once 600 s later: the first copy is
 * the same layer seen on the client's leg, the late one is not linked,
 * since no forwarding outlives EXCHANGE_LIFETIME (RFC 7252 4.8.2). */
static void gen_forward_late(void)
{
    capture c = cap_open("gen-forward-late.pcap");
    osc_coap_message *m = g_new0(osc_coap_message, 1);
    for (unsigned i = 0; i < 2; i++) {
        msg_init(m, OSC_COAP_TYPE_NON, (uint16_t)(0x3531 + i),
                 OSC_COAP_CODE_GET, i == 0 ? "\x47" : "\x48");
        opt_str(m, OSC_OPT_URI_PATH, "fwd");
        osc_request_layer_spec spec = client_layer("c-s", 58 + i);
        one_layer_request r = protect_once(m, &spec);
        add_protected(&c, CLIENT, PROXY, &r);
        if (i == 1) {
            c.later_seconds = 600; /* the second copy, 600 s late */
        }
        add_protected(&c, PROXY, SERVER, &r);
        free_protected(&r);
    }
    cap_close(&c);
    g_free(m);
}

/* One request sent again count times with new Message IDs: every copy
 * after the first is a replay (the complexity test plugin.flood.replay:
 * each copy must cost what one message costs, whatever came before). */
static void gen_replay_flood(const char *name, unsigned count)
{
    capture c = cap_open(name);
    osc_coap_message *m = g_new0(osc_coap_message, 1);
    osc_request_layer_spec spec = client_layer("c-s", 56);
    msg_init(m, OSC_COAP_TYPE_NON, 0, OSC_COAP_CODE_POST, "\x45");
    opt_str(m, OSC_OPT_URI_PATH, "alarm");
    one_layer_request r = protect_once(m, &spec);
    for (unsigned i = 0; i < count; i++) {
        r.msg->message_id = (uint16_t)i;
        add_protected(&c, CLIENT, SERVER, &r);
    }
    free_protected(&r);
    cap_close(&c);
    g_free(m);
}

/* count requests sharing one token, then their responses, oldest first:
 * only the newest OL_MAX_RESPONSE_CANDIDATES (8) requests are tried for
 * a response, so the older ones' responses must say their request may be
 * one not tried, not that they failed to authenticate. */
static void gen_token_reuse(const char *name, unsigned count)
{
    capture c = cap_open(name);
    osc_coap_message *m = g_new0(osc_coap_message, 1);
    osc_request_binding *b = g_new0(osc_request_binding, count);
    for (unsigned i = 0; i < count; i++) {
        msg_init(m, OSC_COAP_TYPE_NON, (uint16_t)(0x5000 + i),
                 OSC_COAP_CODE_GET, "\x46");
        opt_str(m, OSC_OPT_URI_PATH, "t");
        osc_request_layer_spec spec = client_layer("c-s", 100 + i);
        add_request(&c, CLIENT, SERVER, m, &spec, 1, &b[i]);
    }
    for (unsigned i = 0; i < count; i++) {
        msg_init(m, OSC_COAP_TYPE_NON, (uint16_t)(0x9000 + i),
                 OSC_COAP_CODE_CONTENT, "\x46");
        payload(m, "r");
        response_1(&c, SERVER, CLIENT, m, &b[i], false, 0);
    }
    g_free(b);
    cap_close(&c);
    g_free(m);
}

static osc_request_layer_spec proxy_chain_spec(const char *ctx, uint64_t seq,
                                               bool outer)
{
    osc_request_layer_spec s = client_layer(ctx, seq);
    memset(&s.peer, 0, sizeof s.peer);
    s.peer.sender_is_origin = true;
    s.peer.next_hop_is_proxy = true;
    s.peer.next_hop_is_forward_proxy = true;
    if (outer) {
        s.peer.peer_is_next_hop = true;
        s.peer.peer_is_proxy = true;
        s.peer.peer_is_forward_proxy = true;
    }
    return s;
}

/* A two-layer request answered by the proxy with one layer only (an
 * error of its own), and a request whose proxy options were left outside
 * the proxy's layer plus an outer Uri-Path. */
static void gen_anomalies(void)
{
    capture c = cap_open("gen-anomalies.pcap");
    osc_coap_message *m = g_new0(osc_coap_message, 1);
    osc_request_binding b[2];
    osc_request_layer_spec specs[2] = {proxy_chain_spec("c-s", 60, false),
                                       proxy_chain_spec("c-p", 61, true)};

    msg_init(m, OSC_COAP_TYPE_CON, 0x3601, OSC_COAP_CODE_GET, "\x61");
    opt_str(m, OSC_OPT_URI_HOST, "example.com");
    opt_str(m, OSC_OPT_URI_PATH, "alarm_status");
    opt_str(m, OSC_OPT_PROXY_SCHEME, "coap");
    add_request(&c, CLIENT, PROXY, m, specs, 2, b);
    /* The proxy answers 5.04 itself: only its own layer. */
    msg_init(m, OSC_COAP_TYPE_ACK, 0x3601, OSC_COAP_CODE(5, 4), "\x61");
    response_1(&c, PROXY, CLIENT, m, &b[0], false, 0);

    /* Wrong layers, built one layer at a time so the escalation can be
     * withheld: Uri-Host and Proxy-Scheme stay outside the C-P layer. */
    msg_init(m, OSC_COAP_TYPE_CON, 0x3602, OSC_COAP_CODE_GET, "\x62");
    opt_str(m, OSC_OPT_URI_HOST, "example.com");
    opt_str(m, OSC_OPT_URI_PATH, "alarm_status");
    opt_str(m, OSC_OPT_PROXY_SCHEME, "coap");
    osc_protect_params p1 = {.ctx = context("c-s"),
                             .party = OSC_PARTY_SENDER,
                             .sequence_number = 62};
    size_t cap1 = osc_layer_protect_work_size(m, p1.ctx);
    uint8_t *w1 = g_malloc(cap1);
    osc_coap_message *l1 = g_new0(osc_coap_message, 1);
    if (osc_layer_protect(m, &p1, w1, cap1, l1, NULL) != OSC_OK) {
        die("protect wrong-layer inner");
    }
    osc_protect_params p2 = {.ctx = context("c-p"),
                             .party = OSC_PARTY_SENDER,
                             .sequence_number = 63,
                             .escalated = {OSC_OPT_OSCORE},
                             .escalated_count = 1};
    size_t cap2 = osc_layer_protect_work_size(l1, p2.ctx);
    uint8_t *w2 = g_malloc(cap2);
    osc_coap_message *l2 = g_new0(osc_coap_message, 1);
    if (osc_layer_protect(l1, &p2, w2, cap2, l2, NULL) != OSC_OK) {
        die("protect wrong-layer outer");
    }
    /* An end-to-end option written outside every layer. */
    opt_str(l2, OSC_OPT_URI_QUERY, "leaked=1");
    add_plain(&c, CLIENT, PROXY, l2);
    g_free(l2);
    g_free(w2);
    g_free(l1);
    g_free(w1);
    cap_close(&c);
    g_free(m);
}

static oscore_keyfile *load_keys(const char *dir, const char *name)
{
    char *path = g_build_filename(dir, name, NULL);
    oscore_keyfile *kf = oscore_keyfile_load(path);
    if (kf->error_count > 0) {
        die("%s", kf->errors[0]);
    }
    g_free(path);
    return kf;
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: %s VECTORS_DIR KEYS_DIR OUT_DIR\n", argv[0]);
        return 2;
    }
    osc_status engine = osc_engine_init();
    if (engine != OSC_OK) {
        fprintf(stderr, "%s: %s\n", argv[0], osc_status_message(engine));
        return 1;
    }
    out_dir = argv[3];
    g_mkdir_with_parents(out_dir, 0755);
    from_vectors(argv[1]);
    keys_gen = load_keys(argv[2], "generated.keys");
    gen_observe();
    gen_echo();
    gen_empty_token();
    gen_extended_token();
    gen_long_token();
    gen_inner_options();
    gen_idctx();
    gen_replay();
    gen_lifetime();
    gen_escape();
    gen_forward_late();
    gen_token_reuse("gen-token-reuse.pcap", 12);
    /* Floods in a folder of their own: the fuzz tests mutate every
     * capture of out_dir, and these are 90,000 frames. */
    char *floods = g_build_filename(out_dir, "floods", NULL);
    g_mkdir_with_parents(floods, 0755);
    g_free(floods);
    gen_replay_flood("floods/replay.pcap", 60000);
    gen_token_reuse("floods/same-token.pcap", 15000);
    gen_anomalies();
    gen_outer_block();
    oscore_keyfile_free(keys_gen);
    return 0;
}
