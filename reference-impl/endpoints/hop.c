/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Proxy and server: the same per-hop algorithm (incoming request
 * processing, draft-ietf-core-oscore-capable-proxies 2.4) runs at every
 * hop. A request is peeled while its outermost OSCORE option is addressed
 * to this node; proxy-related options then decide between forwarding and
 * local delivery. Every response, error responses included, goes back
 * protected with exactly the layers that were removed, in reverse order.
 */
#define _POSIX_C_SOURCE 200809L
#include "hop.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "node.h"
#include "oscore/cbor.h"
#include "oscore/option_value.h"
#include "oscore/options.h"
#include "oscore/placement.h"
#include "outer_block.h"

#define MAX_EXCHANGES 32
#define DEDUP_ENTRIES 64
/* An elective option number no registry assigns: the endpoints'
 * "unrecognized option" for the 5.02 test. */
#define UNKNOWN_RESPONSE_OPTION 65000

typedef struct exchange {
    bool used;
    /* The leg the request came from. */
    ep_peer down_peer;
    uint8_t down_token[SC_MAX_TOKEN];
    size_t down_token_length;
    uint16_t down_mid;
    bool down_confirmable;
    bool down_acknowledged; /* piggy-backed ACK already used */
    ep_removed_layer removed[EP_MAX_LAYERS];
    size_t removed_count;
    unsigned responses_sent;
    /* The leg towards the server (proxies). */
    bool forwarded;
    /* Forwarded to a CoAP group (RFC 7252 8.2): NON, open for the
     * answer of every server, each from its own address. */
    bool to_group;
    ep_peer up_peer;
    uint8_t up_token[SC_MAX_TOKEN];
    size_t up_token_length;
    osc_request_binding added[EP_MAX_LAYERS]; /* removal order */
    size_t added_count;
    bool sent_in_blocks; /* the request went up in outer Block1 */
    /* The request came in outer Block1: its last block's option, echoed
     * outside every layer of the final response (RFC 7959 2.3). */
    bool has_outer_block1;
    uint8_t outer_block1[3];
    uint32_t outer_block1_length;
    bool observing; /* keep after the first response */
    uint8_t hop_limit_value[4];
    /* Server side of an observation. */
    bool notifying;
    unsigned notified;
    uint64_t next_notification_ms;
} exchange;

typedef struct dedup_entry {
    bool used;
    ep_peer peer;
    uint16_t mid;
    bool answered;
    uint8_t bytes[EP_MAX_DATAGRAM];
    size_t len;
} dedup_entry;

typedef struct hop {
    ep_node node;
    exchange exchanges[MAX_EXCHANGES];
    dedup_entry dedup[DEDUP_ENTRIES];
    size_t dedup_next;
    /* Block1 upload being received (one at a time is enough here). */
    uint8_t upload[SC_MAX_BYTES];
    size_t upload_length;
    unsigned observe_value;
    /* Outer Block-wise (outer_block.h): a request arriving in Block1, a
     * request going up in Block1 (for sending_for) and a response served
     * in Block2. */
    ep_outer_rx outer_in;
    ep_outer_tx sending;
    const exchange *sending_for;
    ep_outer_tx serving;
} hop;

/* Scratch space; one request or response is processed at a time. */
static uint8_t peel_work[EP_MAX_LAYERS][EP_LAYER_WORK];
static osc_layer_result peeled[EP_MAX_LAYERS];
static uint8_t protect_work[EP_MAX_LAYERS * EP_LAYER_WORK];
static uint8_t wire[EP_MAX_MESSAGE];

static exchange *new_exchange(hop *h)
{
    for (size_t i = 0; i < MAX_EXCHANGES; i++) {
        if (!h->exchanges[i].used) {
            memset(&h->exchanges[i], 0, sizeof h->exchanges[i]);
            h->exchanges[i].used = true;
            return &h->exchanges[i];
        }
    }
    return NULL;
}

static dedup_entry *dedup_find(hop *h, const ep_peer *peer, uint16_t mid)
{
    for (size_t i = 0; i < DEDUP_ENTRIES; i++) {
        dedup_entry *entry = &h->dedup[i];
        if (entry->used && entry->mid == mid &&
            ep_net_same_peer(&entry->peer, peer))
            return entry;
    }
    return NULL;
}

static void dedup_remember(hop *h, const ep_peer *peer, uint16_t mid)
{
    dedup_entry *entry = &h->dedup[h->dedup_next];
    h->dedup_next = (h->dedup_next + 1) % DEDUP_ENTRIES;
    memset(entry, 0, sizeof *entry);
    entry->used = true;
    entry->peer = *peer;
    entry->mid = mid;
}

/*
 * A protected response larger than this node's outer blocks (RFC 8613
 * 4.1.3.4.2): kept, and *response becomes its first block with Block2
 * outside every layer; the requester asks for the others
 * (serve_outer_block2). value holds the option value.
 */
static void start_outer_block2(hop *h, const exchange *ex,
                               osc_coap_message *response, uint8_t value[3])
{
    osc_block block;
    osc_coap_message first;
    if (ep_outer_tx_start(&h->serving, &h->node, response, &ex->down_peer,
                          OSC_OPT_BLOCK2) &&
        ep_outer_tx_block(&h->serving, 0, &first, value, &block)) {
        ep_log(&h->node, "response of %zu bytes in outer Block2",
               response->payload_length);
        *response = first;
    }
}

/* Failure injection (`forge_signature=`): the last byte of a group-mode
 * response is its encrypted countersignature's (RFC 10021 4.1), flipped so
 * that it no longer verifies. */
static void forge_signature(hop *h, const exchange *ex,
                            osc_coap_message *response)
{
    static uint8_t forged[EP_MAX_MESSAGE];
    if (ex->removed_count == 0 || !ex->removed[0].binding.group ||
        !ex->removed[0].binding.group_mode || response->payload_length == 0 ||
        response->payload_length > sizeof forged)
        return;
    memcpy(forged, response->payload, response->payload_length);
    forged[response->payload_length - 1] ^= 0x01;
    response->payload = forged;
    ep_log(&h->node, "forged the countersignature");
}

/*
 * Sends a response on the request's leg: protected with the removed
 * layers, piggy-backed on the ACK of a Confirmable request the first
 * time, as NON with a new MID afterwards (notifications).
 * add_unknown_outer: the 5.02 test resource's misbehaviour, an
 * unrecognized option added outside every layer.
 */
static void send_response(hop *h, exchange *ex, osc_coap_message *response,
                          bool add_unknown_outer)
{
    ep_node *node = &h->node;
    ep_set_token(response, ex->down_token, ex->down_token_length);
    if (ex->down_confirmable && !ex->down_acknowledged) {
        response->type = OSC_COAP_TYPE_ACK;
        response->message_id = ex->down_mid;
        ex->down_acknowledged = true;
    } else {
        response->type = OSC_COAP_TYPE_NON;
        response->message_id = ep_node_next_mid(node);
    }
    /* Relayed answers of a group each carry a Partial IV: they are
     * several responses to one request (RFC 10021 8.3, draft 2.5.1). */
    bool first = ex->responses_sent == 0 && !ex->to_group;
    osc_coap_message protected_response;
    osc_status status = ep_protect_response(
        node, response, ex->removed, ex->removed_count, first, protect_work,
        sizeof protect_work, &protected_response);
    if (status != OSC_OK) {
        ep_log(node, "cannot protect response: %s", osc_status_message(status));
        return;
    }
    if (node->me->forge_signature)
        forge_signature(h, ex, &protected_response);
    if (add_unknown_outer) {
        static const uint8_t marker[] = {0x01};
        osc_coap_add_option(&protected_response, UNKNOWN_RESPONSE_OPTION,
                            marker, sizeof marker);
    }
    if (ex->has_outer_block1)
        osc_coap_add_option(&protected_response, OSC_OPT_BLOCK1,
                            ex->outer_block1, ex->outer_block1_length);
    uint8_t block2[3];
    if (ep_outer_wanted(node, &protected_response))
        start_outer_block2(h, ex, &protected_response, block2);
    size_t len;
    if (!ep_serialize(node, &protected_response, wire, sizeof wire, &len))
        return;
    ep_log_message(node, "send response", &protected_response);
    ep_net_send(node->net, &ex->down_peer, wire, len);
    ex->responses_sent++;
    if (protected_response.type == OSC_COAP_TYPE_ACK) {
        dedup_entry *entry = dedup_find(h, &ex->down_peer, ex->down_mid);
        if (entry && len <= sizeof entry->bytes) {
            memcpy(entry->bytes, wire, len);
            entry->len = len;
            entry->answered = true;
        }
    }
}

/* A response with a code and an optional text payload. */
static void respond_simple(hop *h, exchange *ex, uint8_t code, const char *text,
                           bool max_age_zero)
{
    osc_coap_message response;
    memset(&response, 0, sizeof response);
    response.code = code;
    static const uint8_t zero[1];
    if (max_age_zero) /* RFC 8613 8.2: errors must not be cached */
        osc_coap_add_option(&response, OSC_OPT_MAX_AGE, zero, 0);
    if (text) {
        response.payload = (const uint8_t *)text;
        response.payload_length = strlen(text);
    }
    char code_text[8];
    osc_coap_code_format(code, code_text);
    ep_log(&h->node, "answer %s%s%s with %zu layer(s)", code_text,
           text ? " " : "", text ? text : "", ex->removed_count);
    send_response(h, ex, &response, false);
    if (!ex->observing && !ex->notifying)
        ex->used = false;
}

/* An OSCORE processing error (RFC 8613 8.2; step 6 of
 * draft-ietf-core-oscore-capable-proxies 2.4, response per 2.5): the layer that
 * failed is not applied; the layers removed before it are, unless the
 * node is configured to answer such errors without any layer. */
static void respond_oscore_error(hop *h, exchange *ex, osc_status status)
{
    uint8_t code;
    const char *text;
    switch (status) {
    case OSC_ERR_NO_CONTEXT:
    case OSC_ERR_UNKNOWN_MEMBER:
    case OSC_ERR_MISSING_KID:
        code = OSC_COAP_CODE(4, 1);
        text = "Security context not found";
        break;
    case OSC_ERR_REPLAY:
        code = OSC_COAP_CODE(4, 1);
        text = "Replay detected";
        break;
    case OSC_ERR_AUTH_FAILED:
    case OSC_ERR_PLAINTEXT_MALFORMED:
        code = OSC_COAP_CODE(4, 0);
        text = "Decryption failed";
        break;
    default:
        code = OSC_COAP_CODE(4, 2);
        text = "Failed to decode COSE";
        break;
    }
    ep_log(&h->node, "OSCORE error: %s", osc_status_message(status));
    if (h->node.me->unprotected_errors)
        ex->removed_count = 0;
    respond_simple(h, ex, code, text, true);
}

static bool uint_option(const osc_coap_message *msg, uint16_t number,
                        uint32_t *value)
{
    const osc_coap_option *opt = osc_coap_find_option(msg, number);
    return opt && osc_coap_uint_value(opt, value) == OSC_OK;
}

static exchange *find_observation(hop *h, const exchange *ex, bool server)
{
    for (size_t i = 0; i < MAX_EXCHANGES; i++) {
        exchange *other = &h->exchanges[i];
        if (other == ex || !other->used ||
            !(server ? other->notifying : other->observing))
            continue;
        if (ep_net_same_peer(&other->down_peer, &ex->down_peer) &&
            other->down_token_length == ex->down_token_length &&
            memcmp(other->down_token, ex->down_token, ex->down_token_length) ==
                0)
            return other;
    }
    return NULL;
}

static void send_notification(hop *h, exchange *ex)
{
    char text[32];
    ex->notified++;
    h->observe_value++;
    snprintf(text, sizeof text, "n=%u", ex->notified);
    osc_coap_message response;
    memset(&response, 0, sizeof response);
    response.code = OSC_COAP_CODE_CONTENT;
    uint8_t observe[4], format[4];
    uint32_t observe_len = osc_coap_encode_uint(h->observe_value, observe);
    osc_coap_add_option(&response, OSC_OPT_OBSERVE, observe, observe_len);
    uint32_t format_len = osc_coap_encode_uint(0, format); /* text/plain */
    osc_coap_add_option(&response, OSC_OPT_CONTENT_FORMAT, format, format_len);
    response.payload = (const uint8_t *)text;
    response.payload_length = strlen(text);
    ep_log(&h->node, "notification %u of %u", ex->notified,
           h->node.me->notifications);
    send_response(h, ex, &response, false);
    ex->next_notification_ms = ep_now_ms() + h->node.me->notify_interval_ms;
}

/* EDHOC itself (RFC 9528) is not implemented: message_2 is an opaque,
 * fixed byte string; what matters is where the EDHOC messages travel
 * (draft-ietf-core-oscore-capable-proxies appendix B.4 and B.5). */
static void edhoc_resource(hop *h, exchange *ex, const osc_coap_message *req)
{
    static uint8_t message_2[34];
    if (req->code != OSC_COAP_CODE_POST) {
        respond_simple(h, ex, OSC_COAP_CODE(4, 5), NULL, false);
        return;
    }
    osc_coap_message response;
    memset(&response, 0, sizeof response);
    response.code = OSC_COAP_CODE_CHANGED;
    /* A message_1 request starts with CBOR true (RFC 9528 A.2). */
    if (req->payload_length > 0 && req->payload[0] == 0xf5) {
        message_2[0] = 0x58; /* bstr of 32 bytes */
        message_2[1] = 0x20;
        for (size_t i = 2; i < sizeof message_2; i++)
            message_2[i] = (uint8_t)(0xe0 ^ (i * 7) ^ (unsigned)h->node.self);
        response.payload = message_2;
        response.payload_length = sizeof message_2;
    }
    ep_log(&h->node, "EDHOC message %s", response.payload_length ? "1" : "3");
    send_response(h, ex, &response, false);
    ex->used = false;
}

static void block_value(uint32_t num, bool more, unsigned szx, uint8_t out[4],
                        uint32_t *len)
{
    *len = osc_coap_encode_uint(num << 4 | (more ? 8u : 0u) | szx, out);
}

/* A local resource's response and the storage its option values point
 * into, which must live until the response is sent. */
typedef struct local_response {
    osc_coap_message msg;
    uint8_t block[4], size[4], observe[4], format[4];
    bool add_unknown;
} local_response;

/* Payloads made at run time (the /large pattern, counters, reports). */
static uint8_t local_body[SC_MAX_BYTES + 64];

/* Content-Format 0, text/plain (RFC 7252 12.3). */
static void add_text_plain(local_response *r)
{
    uint32_t len = osc_coap_encode_uint(0, r->format);
    osc_coap_add_option(&r->msg, OSC_OPT_CONTENT_FORMAT, r->format, len);
}

/* RFC 8613 A.1, the draft's examples: 2.05 "0", no options; add_unknown
 * gives the 5.02 test resource. */
static void alarm_status_resource(local_response *r, bool add_unknown)
{
    r->msg.code = OSC_COAP_CODE_CONTENT;
    r->msg.payload = (const uint8_t *)"0";
    r->msg.payload_length = 1;
    r->add_unknown = add_unknown;
}

/* 2.04 with the request's payload and Content-Format. */
static void echo_resource(const osc_coap_message *req, local_response *r)
{
    r->msg.code = OSC_COAP_CODE_CHANGED;
    const osc_coap_option *cf =
        osc_coap_find_option(req, OSC_OPT_CONTENT_FORMAT);
    if (cf)
        osc_coap_add_option(&r->msg, OSC_OPT_CONTENT_FORMAT, cf->value,
                            cf->length);
    r->msg.payload = req->payload;
    r->msg.payload_length = req->payload_length;
}

/* Observe registration (RFC 7641 4.1) when the request has Observe 0;
 * the notifications follow from send_notification. */
static void observe_resource(hop *h, exchange *ex, const osc_coap_message *req,
                             local_response *r)
{
    const sc_node *me = h->node.me;
    uint32_t value;
    bool has_observe = uint_option(req, OSC_OPT_OBSERVE, &value);
    exchange *old = find_observation(h, ex, true);
    if (old) /* re-registration or deregistration ends the old one */
        old->used = false;
    r->msg.code = OSC_COAP_CODE_CONTENT;
    if (has_observe && value == 0) {
        ex->notifying = true;
        ex->next_notification_ms = ep_now_ms() + me->notify_interval_ms;
        uint32_t len = osc_coap_encode_uint(h->observe_value, r->observe);
        osc_coap_add_option(&r->msg, OSC_OPT_OBSERVE, r->observe, len);
    }
    add_text_plain(r);
    int n = snprintf((char *)local_body, sizeof local_body, "n=%u",
                     old ? old->notified : 0);
    r->msg.payload = local_body;
    r->msg.payload_length = (size_t)n;
    if (ex->notifying && me->notifications == 0)
        ex->notifying = false;
}

/* Inner Block2 (RFC 8613 4.1.3.4.2): each block is its own end-to-end
 * OSCORE exchange. False when the block is out of range (answered). */
static bool large_resource(hop *h, exchange *ex, const osc_coap_message *req,
                           local_response *r)
{
    const sc_node *me = h->node.me;
    uint32_t value, num = 0, szx = 2;
    if (uint_option(req, OSC_OPT_BLOCK2, &value)) {
        num = value >> 4;
        szx = value & 7;
    }
    if (szx == 7)
        szx = 6;
    size_t block_size = (size_t)16 << szx;
    size_t offset = (size_t)num * block_size;
    scenario_pattern(local_body, me->large_size);
    if (offset >= me->large_size) {
        respond_simple(h, ex, OSC_COAP_CODE(4, 2), "Block out of range", false);
        return false;
    }
    size_t chunk = me->large_size - offset;
    bool more = chunk > block_size;
    if (more)
        chunk = block_size;
    r->msg.code = OSC_COAP_CODE_CONTENT;
    add_text_plain(r);
    uint32_t len;
    block_value(num, more, szx, r->block, &len);
    osc_coap_add_option(&r->msg, OSC_OPT_BLOCK2, r->block, len);
    if (num == 0) {
        len = osc_coap_encode_uint(me->large_size, r->size);
        osc_coap_add_option(&r->msg, OSC_OPT_SIZE2, r->size, len);
    }
    r->msg.payload = local_body + offset;
    r->msg.payload_length = chunk;
    return true;
}

/* Block1 upload (RFC 7959 2.5): blocks must come in order; 2.31 Continue until
 * the last, which reports the size. False when a block is out of order or too
 * much (answered with 4.08). */
static bool upload_resource(hop *h, exchange *ex, const osc_coap_message *req,
                            local_response *r)
{
    uint32_t value, num = 0, szx = 6;
    bool more = false;
    if (uint_option(req, OSC_OPT_BLOCK1, &value)) {
        num = value >> 4;
        more = (value & 8) != 0;
        szx = value & 7;
    }
    size_t offset = (size_t)num * ((size_t)16 << szx);
    if (num == 0)
        h->upload_length = 0;
    if (offset != h->upload_length ||
        offset + req->payload_length > sizeof h->upload) {
        respond_simple(h, ex, OSC_COAP_CODE(4, 8), "Request Entity Incomplete",
                       false);
        return false;
    }
    memcpy(h->upload + offset, req->payload, req->payload_length);
    h->upload_length = offset + req->payload_length;
    r->msg.code = more ? OSC_COAP_CODE(2, 31) : OSC_COAP_CODE_CHANGED;
    uint32_t len;
    block_value(num, more, szx, r->block, &len);
    osc_coap_add_option(&r->msg, OSC_OPT_BLOCK1, r->block, len);
    if (!more) {
        int n = snprintf((char *)local_body, sizeof local_body,
                         "stored %zu bytes", h->upload_length);
        r->msg.payload = local_body;
        r->msg.payload_length = (size_t)n;
    }
    return true;
}

/* Local resources of the server (and of a proxy for EDHOC). */
static void deliver_locally(hop *h, exchange *ex, const osc_coap_message *req)
{
    char path[SC_MAX_TEXT];
    osc_coap_request_uri(req, false, path, sizeof path);
    ep_log(&h->node, "local request %s (after %zu layer(s))", path,
           ex->removed_count);

    if (strcmp(path, "/.well-known/edhoc") == 0) {
        edhoc_resource(h, ex, req);
        return;
    }
    if (h->node.me->role != SC_ROLE_SERVER) {
        respond_simple(h, ex, OSC_COAP_CODE(4, 4), NULL, false);
        return;
    }

    local_response r;
    memset(&r, 0, sizeof r);
    bool get = req->code == OSC_COAP_CODE_GET;
    bool post = req->code == OSC_COAP_CODE_POST;
    bool ready = true; /* false: the resource has answered with an error */
    if (strcmp(path, "/alarm_status") == 0 && get) {
        alarm_status_resource(&r, false);
    } else if (strcmp(path, "/unknown-option") == 0) {
        alarm_status_resource(&r, true);
    } else if (strcmp(path, "/echo") == 0 && post) {
        echo_resource(req, &r);
    } else if (strcmp(path, "/observe") == 0 && get) {
        observe_resource(h, ex, req, &r);
    } else if (strcmp(path, "/large") == 0 && get) {
        ready = large_resource(h, ex, req, &r);
    } else if (strcmp(path, "/upload") == 0 && post) {
        ready = upload_resource(h, ex, req, &r);
    } else {
        respond_simple(h, ex, OSC_COAP_CODE(4, 4), NULL, false);
        return;
    }
    if (!ready)
        return;
    send_response(h, ex, &r.msg, r.add_unknown);
    if (!ex->notifying)
        ex->used = false;
}

/* Removes the first Uri-Path option (a reverse proxy's routing segment). */
static void remove_first_uri_path(osc_coap_message *msg)
{
    for (size_t i = 0; i < msg->option_count; i++) {
        if (msg->options[i].number == OSC_OPT_URI_PATH) {
            memmove(&msg->options[i], &msg->options[i + 1],
                    (msg->option_count - i - 1) * sizeof msg->options[0]);
            msg->option_count--;
            return;
        }
    }
}

static bool option_equals(const osc_coap_option *opt, const char *text)
{
    return opt && opt->length == strlen(text) &&
           memcmp(opt->value, text, opt->length) == 0;
}

/* Step 4 of draft-ietf-core-oscore-capable-proxies 2.4 (is forwarding
 * acceptable?) for a forward proxy: the configured list of hosts it
 * forwards to ("allow="), any host when empty. */
static bool forwarding_allowed(const hop *h, const osc_coap_message *msg)
{
    const sc_node *me = h->node.me;
    if (me->allow_host_count == 0)
        return true;
    const osc_coap_option *host = osc_coap_find_option(msg, OSC_OPT_URI_HOST);
    for (size_t i = 0; i < me->allow_host_count; i++)
        if (option_equals(host, me->allow_hosts[i]))
            return true;
    return false;
}

/* Re-expresses a Proxy-Uri of msg as Uri-* options of out, for the last
 * forward proxy (the client never sends it with OSCORE: RFC 8613
 * 4.1.3.3 makes it split the URI first). False when the URI is bad
 * (answered with 4.02). */
static bool split_proxy_uri(hop *h, exchange *ex, const osc_coap_message *msg,
                            osc_coap_message *out)
{
    const osc_coap_option *uri = osc_coap_find_option(msg, OSC_OPT_PROXY_URI);
    if (!uri)
        return true;
    static uint8_t port[4];
    osc_coap_option parts[32];
    size_t count;
    osc_coap_remove_option(out, OSC_OPT_PROXY_URI);
    if (osc_proxy_uri_split(uri->value, uri->length, port, parts, 32, &count) !=
        OSC_OK) {
        respond_simple(h, ex, OSC_COAP_CODE(4, 2), "Bad Proxy-Uri", false);
        return false;
    }
    for (size_t i = 0; i < count; i++)
        if (parts[i].number != OSC_OPT_PROXY_SCHEME)
            osc_coap_add_option(out, parts[i].number, parts[i].value,
                                parts[i].length);
    return true;
}

/* Removes from out what addressed this proxy: the proxy options of the
 * forward-proxy form, or the Uri-Host / first Uri-Path that selected a
 * reverse proxy. False when the request has been answered instead. */
static bool consume_proxy_options(hop *h, exchange *ex,
                                  const osc_coap_message *msg,
                                  osc_coap_message *out, int next,
                                  bool forward_form)
{
    ep_node *node = &h->node;
    if (!forward_form) {
        if (node->me->route_host[0])
            osc_coap_remove_option(out, OSC_OPT_URI_HOST);
        if (node->me->route_path[0])
            remove_first_uri_path(out);
        return true;
    }
    if (!forwarding_allowed(h, out)) {
        respond_simple(h, ex, OSC_COAP_CODE(4, 1), "Forwarding refused", false);
        return false;
    }
    /* RFC 7252 5.7.2: the last forward proxy consumes the proxy options;
     * towards another forward proxy they stay. */
    if (node->sc.nodes[next].role == SC_ROLE_FORWARD_PROXY)
        return true;
    osc_coap_remove_option(out, OSC_OPT_PROXY_SCHEME);
    return split_proxy_uri(h, ex, msg, out);
}

/* RFC 8768: every proxy decrements Hop-Limit, and answers 5.08 instead
 * of forwarding it at 1. False when answered. */
static bool decrement_hop_limit(hop *h, exchange *ex, osc_coap_message *out)
{
    uint32_t hop_limit;
    if (!uint_option(out, OSC_OPT_HOP_LIMIT, &hop_limit))
        return true;
    if (hop_limit <= 1) {
        respond_simple(h, ex, OSC_COAP_CODE(5, 8), NULL, false);
        return false;
    }
    uint32_t len = osc_coap_encode_uint(hop_limit - 1, ex->hop_limit_value);
    osc_coap_remove_option(out, OSC_OPT_HOP_LIMIT);
    osc_coap_add_option(out, OSC_OPT_HOP_LIMIT, ex->hop_limit_value, len);
    return true;
}

/* draft-ietf-core-oscore-capable-proxies 2.2: a proxy that must protect a
 * request carrying an option it does not recognize stops with 4.02.
 * False when answered. */
static bool protectable_options(hop *h, exchange *ex,
                                const osc_coap_message *out, size_t layer_count)
{
    if (layer_count == 0)
        return true;
    for (size_t i = 0; i < out->option_count; i++) {
        if (ep_option_unknown(out->options[i].number)) {
            respond_simple(h, ex, OSC_COAP_CODE(4, 2), "Unrecognized option",
                           false);
            return false;
        }
    }
    return true;
}

/* Token, type and MID of the upstream request: an observation continues
 * on its upstream token (RFC 7641 3.6), anything else gets a new one. */
static void set_upstream_header(hop *h, exchange *ex, osc_coap_message *out)
{
    ep_node *node = &h->node;
    exchange *old = find_observation(h, ex, false);
    if (old) {
        memcpy(ex->up_token, old->up_token, old->up_token_length);
        ex->up_token_length = old->up_token_length;
        old->used = false;
    } else {
        ep_node_next_token(node, out);
        ex->up_token_length = out->token_length;
        memcpy(ex->up_token, osc_coap_token(out), out->token_length);
    }
    ep_set_token(out, ex->up_token, ex->up_token_length);
    out->type = OSC_COAP_TYPE_CON;
    out->message_id = ep_node_next_mid(node);
    if (osc_coap_find_option(out, OSC_OPT_OBSERVE))
        ex->observing = true;
}

/* Adds this leg's layers to out in onion order and remembers their
 * bindings, in removal order, for the response. Returns the protected
 * request, or NULL when a layer fails (answered with 5.00). */
static osc_coap_message *protect_next_leg(hop *h, exchange *ex,
                                          const osc_coap_message *out,
                                          const int *layers, size_t layer_count)
{
    ep_node *node = &h->node;
    static osc_coap_message stages[EP_MAX_LAYERS + 1];
    stages[0] = *out;
    osc_request_binding bindings[EP_MAX_LAYERS];
    for (size_t i = 0; i < layer_count && i < EP_MAX_LAYERS; i++) {
        osc_status status = ep_protect_request_layer(
            node, layers[i], &stages[i], protect_work + i * EP_LAYER_WORK,
            EP_LAYER_WORK, &stages[i + 1], &bindings[i]);
        if (status != OSC_OK) {
            ep_log(node, "cannot protect: %s", osc_status_message(status));
            respond_simple(h, ex, OSC_COAP_CODE(5, 0), NULL, false);
            return NULL;
        }
    }
    ex->added_count = layer_count;
    for (size_t i = 0; i < layer_count; i++)
        ex->added[i] = bindings[layer_count - 1 - i];
    return &stages[layer_count];
}

/* Block num of the request kept in h->sending, to the next hop: block 0
 * with the request's own Message ID, each later one (after the 2.31
 * Continue for the one before, RFC 7959 2.5) with a new one. */
static bool send_outer_block1(hop *h, exchange *ex, uint32_t num)
{
    ep_node *node = &h->node;
    osc_coap_message block_msg;
    uint8_t value[3];
    osc_block block;
    if (!ep_outer_tx_block(&h->sending, num, &block_msg, value, &block))
        return false;
    if (num > 0)
        block_msg.message_id = ep_node_next_mid(node);
    size_t len;
    if (!ep_serialize(node, &block_msg, wire, sizeof wire, &len))
        return false;
    ep_log_message(node, "forward block", &block_msg);
    return ep_net_send_confirmable(node->net, &ex->up_peer, wire, len,
                                   block_msg.message_id,
                                   node->me->ack_timeout_ms);
}

/* Forwards msg to the next hop (step 4 of
 * draft-ietf-core-oscore-capable-proxies 2.4, then 2.3 for the layers of the
 * next leg). */
static void forward(hop *h, exchange *ex, const osc_coap_message *msg,
                    bool forward_form)
{
    ep_node *node = &h->node;
    int next = ep_node_next_hop(node);
    if (next < 0) {
        respond_simple(h, ex, OSC_COAP_CODE(5, 2), "No next hop", false);
        return;
    }
    osc_coap_message out = *msg;
    if (!consume_proxy_options(h, ex, msg, &out, next, forward_form) ||
        !decrement_hop_limit(h, ex, &out))
        return;

    int layers[SC_MAX_CONTEXTS];
    size_t layer_count = ep_node_request_layers(node, layers, SC_MAX_CONTEXTS);
    if (!protectable_options(h, ex, &out, layer_count))
        return;
    set_upstream_header(h, ex, &out);
    osc_coap_message *final =
        protect_next_leg(h, ex, &out, layers, layer_count);
    if (!final)
        return;

    if (!ep_net_peer_for(node->net, node->sc.nodes[next].address,
                         &ex->up_peer)) {
        respond_simple(h, ex, OSC_COAP_CODE(5, 2), "Next hop unreachable",
                       false);
        return;
    }
    ex->forwarded = true;
    if (node->sc.nodes[next].role == SC_ROLE_MULTICAST) {
        /* RFC 7252 8.1: group requests are Non-confirmable. */
        ex->to_group = true;
        final->type = OSC_COAP_TYPE_NON;
    }
    if (ep_outer_wanted(node, final)) {
        if (!ep_outer_tx_start(&h->sending, node, final, &ex->up_peer,
                               OSC_OPT_BLOCK1)) {
            respond_simple(h, ex, OSC_COAP_CODE(5, 0), NULL, false);
            return;
        }
        ep_log(node, "request of %zu bytes in outer Block1",
               final->payload_length);
        h->sending_for = ex;
        ex->sent_in_blocks = true;
        send_outer_block1(h, ex, 0);
        return;
    }
    size_t len;
    if (!ep_serialize(node, final, wire, sizeof wire, &len))
        return;
    ep_log_message(node, "forward", final);
    if (ex->to_group)
        ep_net_send(node->net, &ex->up_peer, wire, len);
    else
        ep_net_send_confirmable(node->net, &ex->up_peer, wire, len,
                                final->message_id, node->me->ack_timeout_ms);
}

/* The exchange of a received request: the leg it came from. */
static exchange *open_exchange(hop *h, const osc_coap_message *request,
                               const ep_peer *from)
{
    exchange *ex = new_exchange(h);
    if (!ex) {
        ep_log(&h->node, "too many exchanges; request dropped");
        return NULL;
    }
    ex->down_peer = *from;
    ex->down_token_length = request->token_length; /* net.c: at most
                                                    * SC_MAX_TOKEN */
    memcpy(ex->down_token, osc_coap_token(request), request->token_length);
    ex->down_mid = request->message_id;
    ex->down_confirmable = request->type == OSC_COAP_TYPE_CON &&
                           h->node.framing == OSC_COAP_FRAMING_UDP;
    return ex;
}

/*
 * Steps 5-6 of draft-ietf-core-oscore-capable-proxies 2.4 for the layers
 * addressed to this node, outermost first: returns the message inside
 * them, or NULL after answering an error. A layer addressed to this node
 * is removed before the proxy-related options are looked at: a proxy must
 * not forward its own layer (with several proxies, or a reverse proxy, the
 * outer options alone would say "forward").
 */
static const osc_coap_message *remove_own_layers(hop *h, exchange *ex,
                                                 const osc_coap_message *req)
{
    ep_node *node = &h->node;
    osc_peel peel;
    ep_node_peel_request(node, &peel, req);
    while (osc_peel_pending(&peel)) {
        const osc_coap_option *oscore =
            osc_coap_find_option(peel.current, OSC_OPT_OSCORE);
        osc_option_value value;
        osc_status status =
            osc_option_value_decode(oscore->value, oscore->length, &value);
        if (status != OSC_OK) {
            respond_oscore_error(h, ex, status);
            return NULL;
        }
        if (!osc_peel_addressed(&peel))
            break; /* not addressed to this node */
        size_t depth = peel.depth;
        int context = -1;
        status = osc_peel_next(&peel, peel_work[depth], EP_LAYER_WORK,
                               &peeled[depth]);
        if (status == OSC_OK)
            status = ep_accept_request_layer(node, &peeled[depth], &context);
        if (status == OSC_ERR_DEPTH_LIMIT) {
            respond_simple(h, ex, OSC_COAP_CODE(4, 1), "Too many layers",
                           false);
            return NULL;
        }
        if (status != OSC_OK) {
            respond_oscore_error(h, ex, status);
            return NULL;
        }
        ep_log(node, "removed layer %zu (%s)", depth + 1,
               node->sc.contexts[context].name);
        ex->removed[depth].context = context;
        ex->removed[depth].binding = peeled[depth].binding;
        ex->removed_count++;
    }
    return peel.current;
}

/* Steps 1-5 of draft-ietf-core-oscore-capable-proxies 2.4 once no further
 * layer is addressed to this node: forward or deliver. */
static void route_request(hop *h, exchange *ex, const osc_coap_message *req)
{
    const sc_node *me = h->node.me;
    /* Steps 1-2: the forward-proxy form. */
    if (osc_request_is_forward_form(req)) {
        if (me->role != SC_ROLE_FORWARD_PROXY) {
            respond_simple(h, ex, OSC_COAP_CODE(5, 5), NULL, false);
            return;
        }
        forward(h, ex, req, true);
        return;
    }
    /* Step 3: the reverse-proxy form, if this request is for it. */
    if (me->role == SC_ROLE_REVERSE_PROXY) {
        const osc_coap_option *host =
            osc_coap_find_option(req, OSC_OPT_URI_HOST);
        const osc_coap_option *path =
            osc_coap_find_option(req, OSC_OPT_URI_PATH);
        if ((me->route_host[0] && option_equals(host, me->route_host)) ||
            (me->route_path[0] && option_equals(path, me->route_path))) {
            forward(h, ex, req, false);
            return;
        }
    }
    /* Steps 5-6: an OSCORE layer that is not for this node. */
    if (osc_coap_has_option(req, OSC_OPT_OSCORE)) {
        respond_oscore_error(h, ex, OSC_ERR_NO_CONTEXT);
        return;
    }
    deliver_locally(h, ex, req);
}

/* The per-hop loop of draft-ietf-core-oscore-capable-proxies 2.4 for one
 * received request. */
/*
 * A block of a request sent in outer Block1 (RFC 8613 4.1.3.4.2): no layer
 * can be removed before the whole message is there, so every block but
 * the last is answered 2.31 Continue outside every layer (RFC 7959 2.3).
 * Returns the whole request once the last block is in, NULL otherwise
 * (answered).
 */
static const osc_coap_message *
receive_outer_block1(hop *h, exchange *ex, const osc_coap_message *request,
                     const ep_peer *from, const osc_block *block)
{
    static osc_coap_message whole;
    ep_outer_step step =
        ep_outer_rx_add(&h->outer_in, from, request, block, &whole);
    if (step == EP_OUTER_BROKEN) {
        respond_simple(h, ex, OSC_COAP_CODE(4, 8), "Request Entity Incomplete",
                       false);
        return NULL;
    }
    osc_block echo = *block;
    echo.more = step == EP_OUTER_MORE;
    if (step == EP_OUTER_COMPLETE) {
        ex->has_outer_block1 = true;
        ex->outer_block1_length = osc_block_encode(&echo, ex->outer_block1);
        ep_log(&h->node, "outer Block1 complete: %zu bytes",
               whole.payload_length);
        return &whole;
    }
    osc_coap_message response;
    memset(&response, 0, sizeof response);
    response.code = OSC_COAP_CODE(2, 31);
    uint8_t value[3];
    uint32_t value_length = osc_block_encode(&echo, value);
    osc_coap_add_option(&response, OSC_OPT_BLOCK1, value, value_length);
    send_response(h, ex, &response, false);
    ex->used = false;
    return NULL;
}

static void handle_request(hop *h, const osc_coap_message *request,
                           const ep_peer *from)
{
    if (h->node.me->leisure_ms > 0) {
        /* RFC 7252 8.2: a server of a group waits before it answers. */
        struct timespec leisure = {h->node.me->leisure_ms / 1000,
                                   (long)(h->node.me->leisure_ms % 1000) *
                                       1000000L};
        nanosleep(&leisure, NULL);
    }
    exchange *ex = open_exchange(h, request, from);
    if (!ex)
        return;
    osc_block block;
    if (osc_coap_has_option(request, OSC_OPT_OSCORE) &&
        osc_block_get(request, OSC_OPT_BLOCK1, &block) == OSC_OK) {
        request = receive_outer_block1(h, ex, request, from, &block);
        if (!request)
            return;
    }
    const osc_coap_message *inner = remove_own_layers(h, ex, request);
    if (inner)
        route_request(h, ex, inner);
}

static exchange *find_upstream(hop *h, const osc_coap_message *msg,
                               const ep_peer *from)
{
    for (size_t i = 0; i < MAX_EXCHANGES; i++) {
        exchange *ex = &h->exchanges[i];
        /* A group's members answer from their own addresses. */
        bool same_peer = ex->to_group || ep_net_same_peer(&ex->up_peer, from);
        if (ex->used && ex->forwarded && same_peer &&
            ep_same_token(msg, ex->up_token, ex->up_token_length))
            return ex;
    }
    return NULL;
}

/* A 2.31 Continue for a block of the request in h->sending: sends the
 * next one (true). Any other response ends the transfer (false). */
static bool continue_outer_block1(hop *h, exchange *ex,
                                  const osc_coap_message *msg)
{
    osc_block block;
    if (msg->code != OSC_COAP_CODE(2, 31) || h->sending_for != ex ||
        osc_block_get(msg, OSC_OPT_BLOCK1, &block) != OSC_OK) {
        h->sending.active = false;
        return false;
    }
    if (!send_outer_block1(h, ex, block.num + 1)) {
        ep_log(&h->node, "2.31 Continue after the last block");
        h->sending.active = false;
    }
    return true;
}

/* A follow-up request for block N > 0 of the response in h->serving
 * (RFC 7959 2.4: the same request with Block2 outside every layer, no
 * payload): answered from the kept response, without removing any layer
 * again (true). False for any other request. */
static bool serve_outer_block2(hop *h, const osc_coap_message *msg,
                               const ep_peer *from)
{
    ep_outer_tx *tx = &h->serving;
    osc_block asked;
    if (!tx->active || !ep_net_same_peer(&tx->peer, from) ||
        !ep_same_token(msg, osc_coap_token(&tx->msg), tx->msg.token_length) ||
        osc_block_get(msg, OSC_OPT_BLOCK2, &asked) != OSC_OK || asked.num == 0)
        return false;
    osc_coap_message out;
    uint8_t value[3];
    osc_block block;
    if (!ep_outer_tx_block(tx, asked.num, &out, value, &block)) {
        ep_log(&h->node, "outer Block2 %u: no such block", asked.num);
        return true;
    }
    bool con = msg->type == OSC_COAP_TYPE_CON &&
               h->node.framing == OSC_COAP_FRAMING_UDP;
    out.type = con ? OSC_COAP_TYPE_ACK : OSC_COAP_TYPE_NON;
    out.message_id = con ? msg->message_id : ep_node_next_mid(&h->node);
    size_t len;
    if (ep_serialize(&h->node, &out, wire, sizeof wire, &len)) {
        ep_log_message(&h->node, "send block", &out);
        ep_net_send(h->node.net, from, wire, len);
    }
    if (!block.more)
        tx->active = false;
    return true;
}

/* A response from the next hop: remove the layers added to the request on
 * that leg, then return it with the layers removed from the client's. */
static void handle_upstream_response(hop *h, const osc_coap_message *msg,
                                     const ep_peer *from)
{
    ep_node *node = &h->node;
    exchange *ex = find_upstream(h, msg, from);
    if (!ex) {
        ep_log(node, "response without a matching request, ignored");
        return;
    }
    osc_coap_message upstream;
    if (ex->sent_in_blocks) {
        if (continue_outer_block1(h, ex, msg))
            return;
        /* The final response's Block1 is this leg's, not the client's. */
        upstream = *msg;
        osc_coap_remove_option(&upstream, OSC_OPT_BLOCK1);
        msg = &upstream;
    }
    /* The outer Observe of a notification carries the order; the inner
     * one is empty (RFC 8613 4.1.3.5.2), so keep the outer value. */
    const osc_coap_option *outer_observe =
        osc_coap_find_option(msg, OSC_OPT_OBSERVE);
    uint8_t observe_value[4];
    uint32_t observe_len = 0;
    if (outer_observe && outer_observe->length <= 4) {
        observe_len = outer_observe->length;
        memcpy(observe_value, outer_observe->value, observe_len);
    }

    /* Only the layers added on that leg: any further one is the client's.
     * An error response from a hop with fewer layers has fewer. */
    osc_peel peel;
    osc_peel_init(&peel, msg, NULL, ex->added, ex->added_count, EP_MAX_LAYERS);
    while (peel.depth < ex->added_count && osc_peel_pending(&peel)) {
        size_t depth = peel.depth;
        osc_status status = osc_peel_next(&peel, peel_work[depth],
                                          EP_LAYER_WORK, &peeled[depth]);
        if (status != OSC_OK) {
            ep_log(node, "response layer %zu: %s", depth + 1,
                   osc_status_message(status));
            respond_simple(h, ex, OSC_COAP_CODE(5, 2), "Bad response", false);
            return;
        }
    }

    osc_coap_message response = *peel.current;
    if (outer_observe) {
        osc_coap_remove_option(&response, OSC_OPT_OBSERVE);
        osc_coap_add_option(&response, OSC_OPT_OBSERVE, observe_value,
                            observe_len);
    }
    /* draft-ietf-core-oscore-capable-proxies 2.2: protecting a response with an
     * unrecognized option -> 5.02. */
    if (ex->removed_count > 0) {
        for (size_t i = 0; i < response.option_count; i++) {
            if (ep_option_unknown(response.options[i].number)) {
                ex->observing = false;
                respond_simple(h, ex, OSC_COAP_CODE(5, 2),
                               "Unrecognized option in response", false);
                return;
            }
        }
    }
    bool notification = osc_coap_has_option(&response, OSC_OPT_OBSERVE);
    if (!notification)
        ex->observing = false;
    send_response(h, ex, &response, false);
    if (!ex->observing && !ex->to_group)
        ex->used = false;
}

static void handle_message(hop *h, const uint8_t *bytes, size_t len,
                           const ep_peer *from)
{
    ep_node *node = &h->node;
    osc_coap_message msg;
    osc_status status = osc_coap_parse(bytes, len, node->framing, &msg);
    if (status != OSC_OK) {
        ep_log(node, "unparsable message (%s)", osc_status_message(status));
        /* RFC 7252 4.2: reject a malformed Confirmable message with RST. */
        if (node->framing == OSC_COAP_FRAMING_UDP && len >= 4 &&
            (bytes[0] >> 4 & 3) == OSC_COAP_TYPE_CON) {
            uint8_t reset[4] = {0x70, 0x00, bytes[2], bytes[3]};
            ep_net_send(node->net, from, reset, sizeof reset);
        }
        return;
    }
    ep_log_message(node, "received", &msg);
    if (msg.type == OSC_COAP_TYPE_ACK || msg.type == OSC_COAP_TYPE_RST)
        ep_net_acknowledged(node->net, from, msg.message_id);

    if (osc_message_is_request(&msg)) {
        if (msg.type == OSC_COAP_TYPE_CON &&
            node->framing == OSC_COAP_FRAMING_UDP) {
            /* RFC 7252 4.5: a duplicate gets the same answer, not a
             * second processing (which would look like a replay). */
            dedup_entry *seen = dedup_find(h, from, msg.message_id);
            if (seen) {
                ep_log(node, "duplicate MID 0x%04x", msg.message_id);
                if (seen->answered)
                    ep_net_send(node->net, from, seen->bytes, seen->len);
                return;
            }
            dedup_remember(h, from, msg.message_id);
        }
        if (!serve_outer_block2(h, &msg, from))
            handle_request(h, &msg, from);
        return;
    }
    if (msg.code == OSC_COAP_CODE_EMPTY)
        return;
    if (msg.type == OSC_COAP_TYPE_CON &&
        node->framing == OSC_COAP_FRAMING_UDP) {
        uint8_t ack[4] = {0x60, 0x00, (uint8_t)(msg.message_id >> 8),
                          (uint8_t)msg.message_id};
        ep_net_send(node->net, from, ack, sizeof ack);
    }
    handle_upstream_response(h, &msg, from);
}

static void run_notifications(hop *h)
{
    uint64_t now = ep_now_ms();
    for (size_t i = 0; i < MAX_EXCHANGES; i++) {
        exchange *ex = &h->exchanges[i];
        if (!ex->used || !ex->notifying ||
            ex->notified >= h->node.me->notifications ||
            now < ex->next_notification_ms)
            continue;
        send_notification(h, ex);
    }
}

static int next_notification_wait(const hop *h, int limit)
{
    uint64_t now = ep_now_ms();
    int wait = limit;
    for (size_t i = 0; i < MAX_EXCHANGES; i++) {
        const exchange *ex = &h->exchanges[i];
        if (!ex->used || !ex->notifying ||
            ex->notified >= h->node.me->notifications)
            continue;
        int due = ex->next_notification_ms > now
                      ? (int)(ex->next_notification_ms - now)
                      : 0;
        if (due < wait)
            wait = due;
    }
    return wait;
}

int hop_main(int argc, char **argv, const char *program, bool want_proxy)
{
    if (argc < 3 || argc > 4) {
        fprintf(stderr, "usage: %s SCENARIO NODE [READY_FILE]\n", program);
        return 2;
    }
    static hop h;
    if (!ep_node_init(&h.node, argv[1], argv[2], true))
        return 1;
    bool is_proxy = scenario_is_proxy(h.node.me->role);
    if (is_proxy != want_proxy) {
        fprintf(stderr, "%s: node %s is not a %s\n", program, argv[2],
                want_proxy ? "proxy" : "server");
        ep_node_free(&h.node);
        return 2;
    }
    if (argc == 4) {
        /* Tell run-scenario.sh the socket is bound; it waits for this
         * file before it starts the client. */
        FILE *ready = fopen(argv[3], "w");
        if (!ready || fclose(ready) != 0) {
            fprintf(stderr, "%s: cannot create the ready file %s\n", program,
                    argv[3]);
            ep_node_free(&h.node);
            return 1;
        }
    }
    const scenario *sc = &h.node.sc;
    uint64_t start = ep_now_ms();
    /* A node the scenario's traffic never reaches (e.g. the server when a
     * proxy refuses the request) must not wait for the hard timeout: the
     * client starts right after every node is ready, so two seconds of
     * initial silence are the end of its part. */
    uint64_t last_activity = start + 2000;
    int exit_status = 0;
    static uint8_t buffer[EP_MAX_MESSAGE];
    for (;;) {
        uint64_t now = ep_now_ms();
        if (now - start >= sc->timeout_ms) {
            ep_log(&h.node, "scenario timeout, exiting");
            break;
        }
        /* Exit after the scenario: silence once traffic has been seen,
         * and nothing left to retransmit or notify. */
        bool busy = ep_net_has_pending(h.node.net) ||
                    next_notification_wait(&h, 1 << 30) < (1 << 30);
        if (!busy && now >= last_activity + sc->idle_ms)
            break;
        int wait = next_notification_wait(&h, 50);
        ep_peer from;
        size_t len;
        int got = ep_net_receive(h.node.net, wait, &from, buffer, sizeof buffer,
                                 &len);
        if (got < 0) {
            ep_log(&h.node, "receiving failed, exiting");
            exit_status = 1;
            break;
        }
        if (got > 0) {
            last_activity = ep_now_ms();
            handle_message(&h, buffer, len, &from);
        }
        size_t before = 0;
        for (size_t i = 0; i < MAX_EXCHANGES; i++)
            before += h.exchanges[i].notified;
        run_notifications(&h);
        size_t after = 0;
        for (size_t i = 0; i < MAX_EXCHANGES; i++)
            after += h.exchanges[i].notified;
        if (after != before)
            last_activity = ep_now_ms();
    }
    ep_node_free(&h.node);
    return exit_status;
}
