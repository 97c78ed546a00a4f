/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * oscore-client: sends the scenario's requests through the chain. Each
 * request gets the end-to-end layer first and then one layer per
 * intermediary it shares a context with, closest to the server first
 * (draft-ietf-core-oscore-capable-proxies 2.3); responses are peeled with the
 * same layer stack (2.6). Prints one result line per exchange and exits with 1
 * when a response differs from the scenario's expectation.
 *
 * Usage: oscore-client SCENARIO NODE
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "node.h"
#include "oscore/cbor.h"
#include "oscore/group.h"
#include "oscore/option_value.h"
#include "oscore/options.h"
#include "oscore/replay.h"
#include "outer_block.h"

static ep_node node;
static uint8_t layer_work[EP_MAX_LAYERS][EP_LAYER_WORK];
static uint8_t altered_payload[EP_MAX_LAYERS][EP_LAYER_WORK];
static osc_coap_message stages[EP_MAX_LAYERS + 1];
/* One more than the layers a request can have: the attempt that finds
 * an extra layer reports OSC_ERR_DEPTH_LIMIT into the last entry. */
static uint8_t peel_work[EP_MAX_LAYERS + 1][EP_LAYER_WORK];
static osc_layer_result peeled[EP_MAX_LAYERS + 1];
static uint8_t receive_buffer[EP_MAX_MESSAGE];
static unsigned failures;

/* The request as sent, for its responses and for a replay. */
typedef struct sent_request {
    uint8_t token[SC_MAX_TOKEN];
    size_t token_length;
    uint16_t mid;
    osc_request_binding stack[EP_MAX_LAYERS]; /* removal order */
    size_t layer_count;
    uint8_t wire[EP_MAX_MESSAGE];
    size_t wire_len;
    ep_peer to;
} sent_request;

static sent_request last;

/* A peeled response. */
typedef struct response {
    const osc_coap_message *msg;
    size_t layers_removed;
    osc_status status; /* of the first layer that could not be removed */
    const osc_layer_result *innermost;
} response;

/* Fills Uri-* (and Proxy-Scheme) options from the scenario's URI. */
static bool add_uri_options(const sc_request *req, osc_coap_message *msg)
{
    static uint8_t port[4];
    const char *uri = req->uri;
    size_t len = strlen(uri);
    if (len == 0)
        return true;
    if (uri[0] == '/') {
        /* Relative: a request for the next hop itself. */
        const char *query = strchr(uri, '?');
        const char *end = query ? query : uri + len;
        const char *segment = uri + 1;
        while (segment < end) {
            const char *slash = memchr(segment, '/', (size_t)(end - segment));
            const char *stop = slash ? slash : end;
            osc_coap_add_option(msg, OSC_OPT_URI_PATH, (const uint8_t *)segment,
                                (uint32_t)(stop - segment));
            segment = stop + 1;
        }
        if (query)
            osc_coap_add_option(msg, OSC_OPT_URI_QUERY,
                                (const uint8_t *)query + 1,
                                (uint32_t)(uri + len - query - 1));
        return true;
    }
    osc_coap_option parts[32];
    size_t count;
    if (osc_proxy_uri_split((const uint8_t *)uri, len, port, parts, 32,
                            &count) != OSC_OK) {
        fprintf(stderr, "line %u: bad URI %s\n", req->line, uri);
        return false;
    }
    int next = ep_node_next_hop(&node);
    bool via_forward_proxy =
        next >= 0 && node.sc.nodes[next].role == SC_ROLE_FORWARD_PROXY;
    for (size_t i = 0; i < count; i++) {
        const osc_coap_option *part = &parts[i];
        /* RFC 7252 6.4: no Proxy-Scheme without a forward proxy, and no
         * Uri-Host that is just the destination's IP literal. */
        if (part->number == OSC_OPT_PROXY_SCHEME && !via_forward_proxy &&
            !req->keep_proxy_scheme)
            continue;
        if (part->number == OSC_OPT_URI_HOST && part->length > 0 &&
            part->value[0] >= '0' && part->value[0] <= '9')
            continue;
        osc_coap_add_option(msg, part->number, part->value, part->length);
    }
    return true;
}

static void add_uint_option(osc_coap_message *msg, uint16_t number,
                            uint32_t value, uint8_t storage[4])
{
    uint32_t len = osc_coap_encode_uint(value, storage);
    osc_coap_add_option(msg, number, storage, len);
}

/* The unprotected request. observe < 0: no Observe option. */
static bool build_request(const sc_request *req, int observe, int block2_num,
                          int block1_num, bool block1_more,
                          const uint8_t *payload, size_t payload_length,
                          osc_coap_message *msg)
{
    static uint8_t values[6][4];
    static const struct {
        const char *name;
        uint8_t code;
    } methods[] = {{"GET", 1},    {"POST", 2},  {"PUT", 3},
                   {"DELETE", 4}, {"FETCH", 5}, {"PATCH", 6}};
    memset(msg, 0, sizeof *msg);
    for (size_t i = 0; i < sizeof methods / sizeof methods[0]; i++)
        if (strcmp(req->method, methods[i].name) == 0)
            msg->code = methods[i].code;
    if (msg->code == 0) {
        fprintf(stderr, "line %u: unknown method %s\n", req->line, req->method);
        return false;
    }
    msg->framing = node.framing;
    msg->type = req->confirmable ? OSC_COAP_TYPE_CON : OSC_COAP_TYPE_NON;
    if (!add_uri_options(req, msg))
        return false;
    if (observe >= 0)
        add_uint_option(msg, OSC_OPT_OBSERVE, (uint32_t)observe, values[0]);
    if (req->content_format >= 0)
        add_uint_option(msg, OSC_OPT_CONTENT_FORMAT,
                        (uint32_t)req->content_format, values[1]);
    if (req->hop_limit >= 0)
        add_uint_option(msg, OSC_OPT_HOP_LIMIT, (uint32_t)req->hop_limit,
                        values[2]);
    if (block2_num >= 0)
        add_uint_option(msg, OSC_OPT_BLOCK2,
                        (uint32_t)block2_num << 4 | (uint32_t)req->block2_szx,
                        values[3]);
    if (block1_num >= 0) {
        add_uint_option(msg, OSC_OPT_BLOCK1,
                        (uint32_t)block1_num << 4 | (block1_more ? 8u : 0u) |
                            (uint32_t)req->block1_szx,
                        values[4]);
        if (block1_num == 0)
            add_uint_option(msg, OSC_OPT_SIZE1, (uint32_t)req->payload.length,
                            values[5]);
    }
    msg->payload = payload;
    msg->payload_length = payload_length;
    return true;
}

/* The layers of this request, in the order they are applied. */
static size_t request_layers(const sc_request *req, int *out)
{
    if (!req->layers_given)
        return ep_node_request_layers(&node, out, EP_MAX_LAYERS);
    /* Given by name: still applied in onion order. */
    int all[SC_MAX_CONTEXTS];
    size_t all_count = ep_node_request_layers(&node, all, SC_MAX_CONTEXTS);
    size_t count = 0;
    for (size_t i = 0; i < all_count; i++)
        for (size_t j = 0; j < req->layer_count; j++)
            if (all[i] == req->layers[j] && count < EP_MAX_LAYERS)
                out[count++] = all[i];
    return count;
}

/* Applies the layers, with the scenario's deliberate deviations, and
 * sends. base carries token, MID and type already. */
static bool protect_and_send(const sc_request *req,
                             const osc_coap_message *base)
{
    int layers[EP_MAX_LAYERS];
    size_t count = request_layers(req, layers);
    osc_request_binding bindings[EP_MAX_LAYERS];
    stages[0] = *base;
    for (size_t i = 0; i < count; i++) {
        osc_coap_message *in = &stages[i];
        if (req->proxy_path_layer == layers[i])
            osc_coap_add_option(in, OSC_OPT_URI_PATH,
                                (const uint8_t *)req->proxy_path,
                                (uint32_t)strlen(req->proxy_path));
        if (req->unknown_option_layer == layers[i]) {
            static const uint8_t one[] = {1};
            osc_coap_add_option(in, req->unknown_option, one, sizeof one);
        }
        osc_status status = ep_protect_request_layer(
            &node, layers[i], in, layer_work[i], EP_LAYER_WORK, &stages[i + 1],
            &bindings[i]);
        if (status != OSC_OK) {
            fprintf(stderr, "line %u: protect: %s\n", req->line,
                    osc_status_message(status));
            return false;
        }
        osc_coap_message *out = &stages[i + 1];
        if (req->corrupt_layer == layers[i] && out->payload_length > 0) {
            /* A flipped ciphertext byte: the layer's receiver must fail. */
            memcpy(altered_payload[i], out->payload, out->payload_length);
            altered_payload[i][0] ^= 0x01;
            out->payload = altered_payload[i];
        }
        if (req->edhoc_layer == layers[i]) {
            /* RFC 9668 3.2.1: payload = bstr(EDHOC message_3) ||
             * OSCORE ciphertext, announced by an empty EDHOC option. */
            osc_cbor_writer writer;
            osc_cbor_writer_init(&writer, altered_payload[i], EP_LAYER_WORK);
            osc_cbor_put_bstr(&writer, req->edhoc_message_3.data,
                              req->edhoc_message_3.length);
            osc_cbor_put_raw(&writer, out->payload, out->payload_length);
            if (writer.status != OSC_OK)
                return false;
            out->payload = altered_payload[i];
            out->payload_length = writer.length;
            osc_coap_add_option(out, OSC_OPT_EDHOC, NULL, 0);
        }
    }
    osc_coap_message *final = &stages[count];
    if (req->malformed_oscore) {
        /* Reserved flag bit set: "Failed to decode COSE" (RFC 8613 8.2). */
        static uint8_t bad[64];
        for (size_t i = 0; i < final->option_count; i++) {
            osc_coap_option *opt = &final->options[i];
            if (opt->number == OSC_OPT_OSCORE && opt->length > 0 &&
                opt->length <= sizeof bad) {
                memcpy(bad, opt->value, opt->length);
                bad[0] |= 0x80;
                opt->value = bad;
            }
        }
    }
    last.layer_count = count;
    for (size_t i = 0; i < count; i++)
        last.stack[i] = bindings[count - 1 - i];
    last.token_length = base->token_length;
    memcpy(last.token, osc_coap_token(base), base->token_length);
    last.mid = base->message_id;
    if (!ep_serialize(&node, final, last.wire, sizeof last.wire,
                      &last.wire_len))
        return false;
    if (req->truncate && req->truncate < last.wire_len)
        last.wire_len = req->truncate;
    ep_log_message(&node, "send", final);
    if (base->type == OSC_COAP_TYPE_CON && node.framing == OSC_COAP_FRAMING_UDP)
        return ep_net_send_confirmable(node.net, &last.to, last.wire,
                                       last.wire_len, last.mid,
                                       node.me->ack_timeout_ms);
    return ep_net_send(node.net, &last.to, last.wire, last.wire_len);
}

/* A response arriving in outer Block2 (RFC 8613 4.1.3.4.2). */
static ep_outer_rx outer_in;

/* Asks for the next block of a response sent in outer Block2 (RFC 7959
 * 2.4): the request as it was sent, without its payload, with Block2
 * outside every layer and a new Message ID. */
static bool request_outer_block2(const osc_block *got)
{
    static osc_coap_message follow_up;
    static uint8_t bytes[EP_MAX_MESSAGE];
    if (osc_coap_parse(last.wire, last.wire_len, node.framing, &follow_up) !=
        OSC_OK)
        return false;
    osc_block next = {got->num + 1, false, got->szx};
    uint8_t value[3];
    uint32_t value_length = osc_block_encode(&next, value);
    osc_coap_remove_option(&follow_up, OSC_OPT_BLOCK2);
    osc_coap_add_option(&follow_up, OSC_OPT_BLOCK2, value, value_length);
    follow_up.payload = NULL;
    follow_up.payload_length = 0;
    follow_up.message_id = ep_node_next_mid(&node);
    size_t len;
    if (!ep_serialize(&node, &follow_up, bytes, sizeof bytes, &len))
        return false;
    ep_log_message(&node, "send block request", &follow_up);
    if (follow_up.type == OSC_COAP_TYPE_CON &&
        node.framing == OSC_COAP_FRAMING_UDP)
        return ep_net_send_confirmable(node.net, &last.to, bytes, len,
                                       follow_up.message_id,
                                       node.me->ack_timeout_ms);
    return ep_net_send(node.net, &last.to, bytes, len);
}

/* A response with Block2 outside every layer is one block of the
 * protected response: true when *msg is whole (rebuilt from its blocks,
 * or never cut), false while blocks are missing (the next one asked). */
static bool whole_response(osc_coap_message *msg, const ep_peer *from)
{
    osc_block block;
    if (!osc_coap_has_option(msg, OSC_OPT_OSCORE) ||
        osc_block_get(msg, OSC_OPT_BLOCK2, &block) != OSC_OK)
        return true;
    static osc_coap_message whole;
    ep_outer_step step = ep_outer_rx_add(&outer_in, from, msg, &block, &whole);
    if (step == EP_OUTER_COMPLETE) {
        ep_log(&node, "outer Block2 complete: %zu bytes", whole.payload_length);
        *msg = whole;
        return true;
    }
    if (step == EP_OUTER_BROKEN) {
        ep_log(&node, "outer Block2 %u out of order", block.num);
        return false;
    }
    request_outer_block2(&block);
    return false;
}

/*
 * Waits for the next response on the last request's token; skip_observe
 * ignores notifications (while waiting for a deregistration's answer).
 * Returns the parsed message in *msg or false on timeout/reset.
 */
static bool await_response(unsigned timeout_ms, bool skip_observe,
                           osc_coap_message *msg)
{
    uint64_t deadline = ep_now_ms() + timeout_ms;
    for (;;) {
        uint64_t now = ep_now_ms();
        if (now >= deadline)
            return false;
        ep_peer from;
        size_t len;
        int got = ep_net_receive(node.net, (int)(deadline - now), &from,
                                 receive_buffer, sizeof receive_buffer, &len);
        if (got <= 0)
            return false;
        if (osc_coap_parse(receive_buffer, len, node.framing, msg) != OSC_OK)
            continue;
        if (msg->type == OSC_COAP_TYPE_ACK || msg->type == OSC_COAP_TYPE_RST)
            ep_net_acknowledged(node.net, &from, msg->message_id);
        if (msg->type == OSC_COAP_TYPE_RST && msg->message_id == last.mid) {
            ep_log(&node, "request reset by the next hop");
            return false;
        }
        if (msg->code == OSC_COAP_CODE_EMPTY)
            continue;
        if (msg->type == OSC_COAP_TYPE_CON &&
            node.framing == OSC_COAP_FRAMING_UDP) {
            uint8_t ack[4] = {0x60, 0x00, (uint8_t)(msg->message_id >> 8),
                              (uint8_t)msg->message_id};
            ep_net_send(node.net, &from, ack, sizeof ack);
        }
        ep_log_message(&node, "received", msg);
        if (!ep_same_token(msg, last.token, last.token_length))
            continue;
        if (skip_observe && osc_coap_find_option(msg, OSC_OPT_OBSERVE))
            continue;
        if (!whole_response(msg, &from))
            continue;
        return true;
    }
}

/* Removes the layers of the request's stack from a response; stops at
 * the first layer that is missing or fails (error responses may carry
 * fewer layers: a hop protects its error response only with the layers it
 * had removed before the error, draft-ietf-core-oscore-capable-proxies 2.5). */
static response peel_response(const osc_coap_message *msg)
{
    response out = {msg, 0, OSC_OK, NULL};
    /* At most our own layers: an OSCORE option left after them is an
     * error (draft-ietf-core-oscore-capable-proxies 2.6), which the layer
     * cap reports as OSC_ERR_DEPTH_LIMIT. */
    osc_peel peel;
    osc_peel_init(&peel, msg, NULL, last.stack, last.layer_count,
                  last.layer_count);
    while (osc_peel_pending(&peel)) {
        size_t depth = peel.depth;
        out.status = osc_peel_next(&peel, peel_work[depth], EP_LAYER_WORK,
                                   &peeled[depth]);
        if (out.status != OSC_OK)
            return out;
        out.innermost = &peeled[depth];
        out.msg = peel.current;
        out.layers_removed++;
    }
    return out;
}

static void print_payload(const uint8_t *payload, size_t len)
{
    bool text = true;
    for (size_t i = 0; i < len; i++)
        if (payload[i] < 0x20 || payload[i] > 0x7e)
            text = false;
    if (len > 48) {
        printf(" (%zu bytes)", len);
    } else if (text) {
        printf(" \"%.*s\"", (int)len, (const char *)payload);
    } else {
        printf(" hex:");
        for (size_t i = 0; i < len; i++)
            printf("%02x", payload[i]);
    }
}

/* Prints one result line and checks it against the expectation. */
static void report(const sc_request *req, const char *what, const response *r,
                   int expect_code, const sc_bytes *expect_payload,
                   const uint8_t *body, size_t body_len, size_t expect_pattern)
{
    char code[8];
    osc_coap_code_format(r->msg->code, code);
    printf("line %u %s %s %s: %s", req->line, req->method, req->uri, what,
           code);
    print_payload(body, body_len);
    printf(" [layers %zu/%zu]", r->layers_removed, last.layer_count);
    bool ok = r->status == OSC_OK;
    if (!ok)
        printf(" peel error: %s", osc_status_message(r->status));
    if (expect_code >= 0 && r->msg->code != expect_code)
        ok = false;
    if (expect_payload && expect_payload->present &&
        (expect_payload->length != body_len ||
         memcmp(expect_payload->data, body, body_len) != 0))
        ok = false;
    if (expect_pattern) {
        static uint8_t pattern[SC_MAX_BYTES];
        scenario_pattern(pattern, expect_pattern);
        if (body_len != expect_pattern || memcmp(pattern, body, body_len) != 0)
            ok = false;
    }
    printf(" %s\n", ok ? "ok" : "UNEXPECTED");
    fflush(stdout);
    if (!ok)
        failures++;
}

static void report_timeout(const sc_request *req, const char *what)
{
    printf("line %u %s %s %s: no response UNEXPECTED\n", req->line, req->method,
           req->uri, what);
    fflush(stdout);
    failures++;
}

static unsigned exchange_timeout(void)
{
    return node.sc.timeout_ms;
}

/* One request/response exchange with a fresh token and MID. */
static bool exchange_once(const sc_request *req, osc_coap_message *base,
                          osc_coap_message *response_msg, bool new_token)
{
    if (new_token)
        ep_node_next_token(&node, base);
    else {
        ep_set_token(base, last.token, last.token_length);
    }
    base->message_id = ep_node_next_mid(&node);
    if (!protect_and_send(req, base))
        return false;
    return await_response(exchange_timeout(), !new_token, response_msg);
}

static void run_plain(const sc_request *req)
{
    osc_coap_message base, msg;
    if (!build_request(req, -1, -1, -1, false, req->payload.data,
                       req->payload.length, &base))
        return;
    if (!exchange_once(req, &base, &msg, true)) {
        report_timeout(req, "response");
        return;
    }
    response r = peel_response(&msg);
    report(req, "response", &r, req->expect_code, &req->expect_payload,
           r.msg->payload, r.msg->payload_length, req->expect_pattern);
}

/* Appends " from kid HEX", the innermost layer's sender in a group
 * response (RFC 10021 8.3), so that a result line names the server. */
static void append_group_sender(const response *r, char *out, size_t cap)
{
    const osc_layer_result *layer = r->innermost;
    if (!layer || !layer->group ||
        layer->sender_member >= layer->group->member_count)
        return;
    const osc_group_member *m = &layer->group->members[layer->sender_member];
    size_t used = strlen(out);
    used += (size_t)snprintf(out + used, cap - used, " from kid ");
    for (size_t i = 0; i < m->id_len && used < cap; i++)
        used += (size_t)snprintf(out + used, cap - used, "%02x", m->id[i]);
}

/* A request to a group (`responses=N`): one request, then the answer of
 * every server, each peeled and checked; `expect_rejected=K` of them must
 * fail to verify (a forged countersignature must never be accepted). */
static void run_group(const sc_request *req)
{
    osc_coap_message base, msg;
    if (!build_request(req, -1, -1, -1, false, req->payload.data,
                       req->payload.length, &base))
        return;
    /* The first answer ends the exchange; the others follow on its token. */
    bool got = exchange_once(req, &base, &msg, true);
    unsigned rejected = 0;
    for (unsigned k = 1; k <= req->responses; k++) {
        char what[64];
        snprintf(what, sizeof what, "response %u of %u", k, req->responses);
        if (k > 1)
            got = await_response(exchange_timeout(), false, &msg);
        if (!got) {
            report_timeout(req, what);
            return;
        }
        response r = peel_response(&msg);
        if (r.status != OSC_OK) {
            rejected++;
            printf("line %u %s %s %s: rejected (%s) [layers %zu/%zu]\n",
                   req->line, req->method, req->uri, what,
                   osc_status_message(r.status), r.layers_removed,
                   last.layer_count);
            continue;
        }
        append_group_sender(&r, what, sizeof what);
        report(req, what, &r, req->expect_code, &req->expect_payload,
               r.msg->payload, r.msg->payload_length, req->expect_pattern);
    }
    printf("line %u: %u of %u responses rejected, %u expected %s\n", req->line,
           rejected, req->responses, req->expect_rejected,
           rejected == req->expect_rejected ? "ok" : "UNEXPECTED");
    fflush(stdout);
    if (rejected != req->expect_rejected)
        failures++;
}

static void run_replay(const sc_request *req)
{
    /* The same protected bytes again, as an attacker would send them; a
     * new MID so that it is not a retransmission (RFC 7252 4.5). */
    if (last.wire_len == 0) {
        fprintf(stderr, "line %u: nothing to replay\n", req->line);
        failures++;
        return;
    }
    last.mid = ep_node_next_mid(&node);
    if (node.framing == OSC_COAP_FRAMING_UDP) {
        last.wire[2] = (uint8_t)(last.mid >> 8);
        last.wire[3] = (uint8_t)last.mid;
        ep_net_send_confirmable(node.net, &last.to, last.wire, last.wire_len,
                                last.mid, node.me->ack_timeout_ms);
    } else {
        ep_net_send(node.net, &last.to, last.wire, last.wire_len);
    }
    ep_log(&node, "replayed the previous request with MID 0x%04x", last.mid);
    osc_coap_message msg;
    if (!await_response(exchange_timeout(), false, &msg)) {
        report_timeout(req, "replay");
        return;
    }
    response r = peel_response(&msg);
    report(req, "replay", &r, req->expect_code, &req->expect_payload,
           r.msg->payload, r.msg->payload_length, 0);
}

static void run_observe(const sc_request *req)
{
    osc_coap_message base, msg;
    if (!build_request(req, 0, -1, -1, false, NULL, 0, &base))
        return;
    if (!exchange_once(req, &base, &msg, true)) {
        report_timeout(req, "registration");
        return;
    }
    response r = peel_response(&msg);
    report(req, "registration", &r, req->expect_code, &req->expect_payload,
           r.msg->payload, r.msg->payload_length, 0);
    if (!osc_coap_find_option(r.msg, OSC_OPT_OBSERVE)) {
        printf("line %u: not registered UNEXPECTED\n", req->line);
        failures++;
        return;
    }
    /* RFC 8613 7.4.1: the freshness of notifications is the order of the
     * end-to-end layer's Partial IVs. */
    osc_notification_state order;
    osc_notification_init(&order);
    if (r.innermost)
        osc_notification_accept(
            &order, r.innermost->option.piv_len > 0,
            osc_piv_to_sequence(r.innermost->option.piv,
                                r.innermost->option.piv_len));
    for (unsigned n = 1; n <= req->observe; n++) {
        if (!await_response(exchange_timeout(), false, &msg)) {
            report_timeout(req, "notification");
            return;
        }
        r = peel_response(&msg);
        char what[32], text[32];
        snprintf(what, sizeof what, "notification %u", n);
        snprintf(text, sizeof text, "n=%u", n);
        sc_bytes expect;
        memset(&expect, 0, sizeof expect);
        expect.present = true;
        expect.length = strlen(text);
        memcpy(expect.data, text, expect.length);
        if (r.innermost &&
            osc_notification_accept(
                &order, r.innermost->option.piv_len > 0,
                osc_piv_to_sequence(r.innermost->option.piv,
                                    r.innermost->option.piv_len)) !=
                OSC_NOTIFICATION_FRESH) {
            printf("line %u: notification %u is not fresh UNEXPECTED\n",
                   req->line, n);
            failures++;
        }
        report(req, what, &r, OSC_COAP_CODE_CONTENT, &expect, r.msg->payload,
               r.msg->payload_length, 0);
    }
    /* Deregistration: same token, Observe 1, new Partial IVs. */
    if (!build_request(req, 1, -1, -1, false, NULL, 0, &base))
        return;
    if (!exchange_once(req, &base, &msg, false)) {
        report_timeout(req, "deregistration");
        return;
    }
    r = peel_response(&msg);
    report(req, "deregistration", &r, OSC_COAP_CODE_CONTENT, NULL,
           r.msg->payload, r.msg->payload_length, 0);
}

static void run_block2(const sc_request *req)
{
    static uint8_t body[SC_MAX_BYTES];
    size_t body_len = 0;
    response r;
    osc_coap_message base, msg;
    for (int num = 0;; num++) {
        if (!build_request(req, -1, num, -1, false, NULL, 0, &base))
            return;
        if (!exchange_once(req, &base, &msg, true)) {
            report_timeout(req, "block");
            return;
        }
        r = peel_response(&msg);
        const osc_coap_option *block =
            osc_coap_find_option(r.msg, OSC_OPT_BLOCK2);
        uint32_t value = 0;
        if (r.status != OSC_OK || !block ||
            osc_coap_uint_value(block, &value) != OSC_OK ||
            (int)(value >> 4) != num ||
            body_len + r.msg->payload_length > sizeof body)
            break;
        memcpy(body + body_len, r.msg->payload, r.msg->payload_length);
        body_len += r.msg->payload_length;
        if (!(value & 8)) {
            char what[32];
            snprintf(what, sizeof what, "%d blocks", num + 1);
            report(req, what, &r, req->expect_code, &req->expect_payload, body,
                   body_len, req->expect_pattern);
            return;
        }
    }
    report(req, "block transfer broken", &r, req->expect_code, NULL, body,
           body_len, 0);
    failures++;
}

static void run_block1(const sc_request *req)
{
    size_t block_size = (size_t)16 << req->block1_szx;
    size_t total = req->payload.length;
    osc_coap_message base, msg;
    for (int num = 0;; num++) {
        size_t offset = (size_t)num * block_size;
        size_t chunk = total - offset;
        bool more = chunk > block_size;
        if (more)
            chunk = block_size;
        if (!build_request(req, -1, -1, num, more, req->payload.data + offset,
                           chunk, &base))
            return;
        if (!exchange_once(req, &base, &msg, true)) {
            report_timeout(req, "block");
            return;
        }
        response r = peel_response(&msg);
        if (more) {
            if (r.status != OSC_OK || r.msg->code != OSC_COAP_CODE(2, 31)) {
                report(req, "block continue", &r, OSC_COAP_CODE(2, 31), NULL,
                       r.msg->payload, r.msg->payload_length, 0);
                return;
            }
            continue;
        }
        char what[32];
        snprintf(what, sizeof what, "%d blocks", num + 1);
        report(req, what, &r, req->expect_code, &req->expect_payload,
               r.msg->payload, r.msg->payload_length, 0);
        return;
    }
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: oscore-client SCENARIO NODE\n");
        return 2;
    }
    if (!ep_node_init(&node, argv[1], argv[2], false))
        return 1;
    if (node.me->role != SC_ROLE_CLIENT || node.position != 0) {
        fprintf(stderr, "oscore-client: %s is not the chain's client\n",
                argv[2]);
        return 2;
    }
    int first_hop = ep_node_next_hop(&node);
    if (!ep_net_peer_for(node.net, node.sc.nodes[first_hop].address,
                         &last.to)) {
        fprintf(stderr, "oscore-client: cannot reach %s\n",
                node.sc.nodes[first_hop].name);
        return 1;
    }
    for (size_t i = 0; i < node.sc.request_count; i++) {
        const sc_request *req = &node.sc.requests[i];
        if (strcmp(req->method, "REPLAY") == 0)
            run_replay(req);
        else if (req->observe)
            run_observe(req);
        else if (req->block2_szx >= 0)
            run_block2(req);
        else if (req->block1_szx >= 0)
            run_block1(req);
        else if (req->responses > 0)
            run_group(req);
        else
            run_plain(req);
    }
    /* Let the last ACKs leave before the socket closes. */
    ep_node_free(&node);
    return failures ? 1 : 0;
}
