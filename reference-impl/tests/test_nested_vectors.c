/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * nested-example-5.9.json: the examples "C-S + C-P" (appendix B.1) and
 * "C-S + C-P + P-S" (appendix B.3) of draft-ietf-core-oscore-capable-proxies
 * at byte level. Every message is produced the way the client, the
 * proxy and the server produce it, and every layer is peeled the way a
 * passive observer does; all expected bytes come from
 * nested-example-5.9.json.
 */
#include <stdio.h>
#include <string.h>

#include "oscore/coap.h"
#include "oscore/context_set.h"
#include "oscore/layer_stack.h"
#include "oscore/options.h"
#include "oscore/peel.h"
#include "test_support.h"

static test_vectors *vectors;

static size_t vec(const char *name, uint8_t *out, size_t cap)
{
    return vectors_bytes(vectors, name, out, cap);
}

static void check_message(const osc_coap_message *msg, const char *name)
{
    uint8_t want[256], got[256];
    size_t want_len = vec(name, want, sizeof want);
    size_t got_len = 0;
    CHECK_EQ(osc_coap_serialize(msg, got, sizeof got, &got_len), OSC_OK);
    CHECK_BYTES(got, got_len, want, want_len, name);
}

static void check_field(const uint8_t *got, size_t got_len, const char *layer,
                        const char *field)
{
    char name[64];
    snprintf(name, sizeof name, "%s.%s", layer, field);
    uint8_t want[256];
    size_t want_len = vec(name, want, sizeof want);
    CHECK_BYTES(got, got_len, want, want_len, name);
}

/* Checks a peeled layer against the vector set of that layer ("L2_CP_req"). */
static void check_layer(const osc_layer_result *layer, const char *name)
{
    CHECK_EQ(layer->status, OSC_OK);
    check_field(layer->plaintext, layer->plaintext_len, name, "plaintext");
    check_field(layer->aad, layer->aad_len, name, "AAD");
    check_field(layer->nonce, layer->nonce_len, name, "nonce");
    check_field(layer->ciphertext, layer->ciphertext_len, name, "ciphertext");
}

/* The OSCORE option visible on msg equals the layer's vector. */
static void check_oscore_option(const osc_coap_message *msg, const char *layer)
{
    const osc_coap_option *oscore = osc_coap_find_option(msg, OSC_OPT_OSCORE);
    if (CHECK(oscore != NULL))
        check_field(oscore->value, oscore->length, layer, "oscore_option");
}

static osc_coap_message parse(const uint8_t *buf, size_t len)
{
    osc_coap_message msg;
    CHECK_EQ(osc_coap_parse(buf, len, OSC_COAP_FRAMING_UDP, &msg), OSC_OK);
    return msg;
}

static void test_contexts(const osc_context *cs, const osc_context *cp,
                          const osc_context *ps)
{
    const osc_context *contexts[] = {cs, cp, ps};
    const char *names[] = {"CTX_C_S", "CTX_C_P", "CTX_P_S"};
    for (int i = 0; i < 3; i++) {
        char name[64];
        snprintf(name, sizeof name, "%s.sender_key", names[i]);
        uint8_t want[32];
        size_t want_len = vec(name, want, sizeof want);
        CHECK_BYTES(contexts[i]->key[OSC_PARTY_SENDER], 16, want, want_len,
                    name);
        snprintf(name, sizeof name, "%s.recipient_key", names[i]);
        want_len = vec(name, want, sizeof want);
        CHECK_BYTES(contexts[i]->key[OSC_PARTY_RECIPIENT], 16, want, want_len,
                    name);
        snprintf(name, sizeof name, "%s.common_iv", names[i]);
        want_len = vec(name, want, sizeof want);
        CHECK_BYTES(contexts[i]->common_iv, 13, want, want_len, name);
    }
}

int main(int argc, char **argv)
{
    tests_init(argc, argv);
    vectors = vectors_load_object("nested-example-5.9.json");

    osc_context cs, cp, ps;
    test_nested_context("C-S", &cs);
    test_nested_context("C-P", &cp);
    test_nested_context("P-S", &ps);
    test_contexts(&cs, &cp, &ps);

    /* --- Client: GET coap://example.com/alarm_status via the proxy. --- */
    static const uint8_t host[] = "example.com";
    static const uint8_t path[] = "alarm_status";
    static const uint8_t scheme[] = "coap";
    osc_coap_message get;
    memset(&get, 0, sizeof get);
    get.type = OSC_COAP_TYPE_CON;
    get.message_id = 0x1001;
    get.code = OSC_COAP_CODE_GET;
    get.token_length = 1;
    get.token[0] = 0x8c;
    CHECK_EQ(osc_coap_add_option(&get, OSC_OPT_URI_HOST, host, 11), OSC_OK);
    CHECK_EQ(osc_coap_add_option(&get, OSC_OPT_URI_PATH, path, 12), OSC_OK);
    CHECK_EQ(osc_coap_add_option(&get, OSC_OPT_PROXY_SCHEME, scheme, 4),
             OSC_OK);

    /* Onion order: the end-to-end layer first, then the proxy's. */
    osc_request_layer_spec client_layers[2];
    memset(client_layers, 0, sizeof client_layers);
    client_layers[0].ctx = &cs;
    client_layers[0].sequence_number = 42;
    client_layers[0].peer.sender_is_origin = true;
    client_layers[0].peer.next_hop_is_proxy = true;
    client_layers[0].peer.next_hop_is_forward_proxy = true;
    client_layers[1].ctx = &cp;
    client_layers[1].sequence_number = 31;
    client_layers[1].peer.sender_is_origin = true;
    client_layers[1].peer.peer_is_next_hop = true;
    client_layers[1].peer.peer_is_proxy = true;
    client_layers[1].peer.peer_is_forward_proxy = true;
    client_layers[1].peer.next_hop_is_proxy = true;
    client_layers[1].peer.next_hop_is_forward_proxy = true;

    static uint8_t work[8192];
    osc_coap_message msg1;
    osc_request_binding client_stack[2];
    CHECK_EQ(osc_protect_request_layers(&get, client_layers, 2, work,
                                        sizeof work, &msg1, client_stack),
             OSC_OK);
    check_message(&msg1, "MSG1_C_to_P_request");
    check_field(client_stack[0].nonce, client_stack[0].nonce_len, "L2_CP_req",
                "nonce");
    check_field(client_stack[1].nonce, client_stack[1].nonce_len, "L1_CS_req",
                "nonce");

    /* --- Observer / proxy: peel MSG1 from its wire bytes. --- */
    osc_context_set *all = osc_context_set_new();
    CHECK_EQ(osc_context_set_add(all, "c-s", &cs, NULL), OSC_OK);
    CHECK_EQ(osc_context_set_add(all, "c-p", &cp, NULL), OSC_OK);
    CHECK_EQ(osc_context_set_add(all, "p-s", &ps, NULL), OSC_OK);

    uint8_t wire1[256];
    size_t wire1_len = vec("MSG1_C_to_P_request", wire1, sizeof wire1);
    osc_coap_message on_wire1 = parse(wire1, wire1_len);
    static uint8_t peel_work[4][512];
    osc_layer_result msg1_layers[2];
    CHECK_EQ(osc_peel_layer(&on_wire1, all, NULL, 0, 0, 16, peel_work[0],
                            sizeof peel_work[0], &msg1_layers[0]),
             OSC_OK);
    check_layer(&msg1_layers[0], "L2_CP_req");
    check_oscore_option(&on_wire1, "L2_CP_req");
    check_oscore_option(&msg1_layers[0].result, "L1_CS_req");
    CHECK_EQ(osc_peel_layer(&msg1_layers[0].result, all, NULL, 0, 1, 16,
                            peel_work[1], sizeof peel_work[1], &msg1_layers[1]),
             OSC_OK);
    check_layer(&msg1_layers[1], "L1_CS_req");
    CHECK_EQ(msg1_layers[1].result.code, OSC_COAP_CODE_GET);
    CHECK(osc_coap_find_option(&msg1_layers[1].result, OSC_OPT_OSCORE) == NULL);
    /* The cap stops a third attempt before it touches the message. */
    osc_layer_result capped;
    CHECK_EQ(osc_peel_layer(&msg1_layers[0].result, all, NULL, 0, 1, 1,
                            peel_work[2], sizeof peel_work[2], &capped),
             OSC_ERR_DEPTH_LIMIT);

    /* --- Proxy: removes C-P, consumes Proxy-Scheme, new token/MID. --- */
    osc_coap_message forwarded = msg1_layers[0].result;
    CHECK_EQ(osc_coap_remove_option(&forwarded, OSC_OPT_PROXY_SCHEME), 1);
    forwarded.token[0] = 0x7b;
    forwarded.message_id = 0x2001;
    check_message(&forwarded, "MSG2A_P_to_S_request"); /* appendix B.1 */

    osc_request_layer_spec proxy_layer;
    memset(&proxy_layer, 0, sizeof proxy_layer);
    proxy_layer.ctx = &ps;
    proxy_layer.sequence_number = 53;
    proxy_layer.peer.peer_is_next_hop = true;
    osc_coap_message msg2b;
    osc_request_binding proxy_stack[1];
    static uint8_t proxy_work[4096];
    CHECK_EQ(osc_protect_request_layers(&forwarded, &proxy_layer, 1, proxy_work,
                                        sizeof proxy_work, &msg2b, proxy_stack),
             OSC_OK);
    check_message(&msg2b, "MSG2B_P_to_S_request"); /* appendix B.3 */

    /* --- Server: peels P-S then C-S from MSG2B. --- */
    uint8_t wire2[256];
    size_t wire2_len = vec("MSG2B_P_to_S_request", wire2, sizeof wire2);
    osc_coap_message on_wire2 = parse(wire2, wire2_len);
    osc_layer_result msg2_layers[2];
    CHECK_EQ(osc_peel_layer(&on_wire2, all, NULL, 0, 0, 16, peel_work[2],
                            sizeof peel_work[2], &msg2_layers[0]),
             OSC_OK);
    check_layer(&msg2_layers[0], "L3_PS_req");
    CHECK_EQ(osc_peel_layer(&msg2_layers[0].result, all, NULL, 0, 1, 16,
                            peel_work[3], sizeof peel_work[3], &msg2_layers[1]),
             OSC_OK);
    check_layer(&msg2_layers[1], "L1_CS_req");
    osc_request_binding server_stack[2] = {msg2_layers[0].binding,
                                           msg2_layers[1].binding};

    /* --- Server: 2.05 "0", piggybacked, protected C-S then P-S. --- */
    static const uint8_t zero[] = "0";
    osc_coap_message content;
    memset(&content, 0, sizeof content);
    content.type = OSC_COAP_TYPE_ACK;
    content.message_id = 0x2001;
    content.code = OSC_COAP_CODE_CONTENT;
    content.token_length = 1;
    content.token[0] = 0x7b;
    content.payload = zero;
    content.payload_length = 1;

    osc_response_layer_spec cs_only = {&server_stack[1], false, 0, 0};
    osc_coap_message msg3a;
    static uint8_t response_work[4096];
    CHECK_EQ(osc_protect_response_layers(&content, &cs_only, 1, response_work,
                                         sizeof response_work, &msg3a),
             OSC_OK);
    check_message(&msg3a, "MSG3A_S_to_P_response");

    osc_response_layer_spec server_layers[2] = {
        {&server_stack[0], false, 0, 0}, {&server_stack[1], false, 0, 0}};
    osc_coap_message msg3b;
    CHECK_EQ(osc_protect_response_layers(&content, server_layers, 2,
                                         response_work, sizeof response_work,
                                         &msg3b),
             OSC_OK);
    check_message(&msg3b, "MSG3B_S_to_P_response");

    /* --- Proxy: removes P-S from MSG3B, adds C-P for the client. --- */
    uint8_t wire3[256];
    size_t wire3_len = vec("MSG3B_S_to_P_response", wire3, sizeof wire3);
    osc_coap_message on_wire3 = parse(wire3, wire3_len);
    osc_layer_result msg3_layers[2];
    CHECK_EQ(osc_peel_layer(&on_wire3, NULL, server_stack, 2, 0, 16,
                            peel_work[0], sizeof peel_work[0], &msg3_layers[0]),
             OSC_OK);
    check_layer(&msg3_layers[0], "L3_PS_resp");
    CHECK_EQ(osc_peel_layer(&msg3_layers[0].result, NULL, server_stack, 2, 1,
                            16, peel_work[1], sizeof peel_work[1],
                            &msg3_layers[1]),
             OSC_OK);
    check_layer(&msg3_layers[1], "L1_CS_resp");
    CHECK_EQ(msg3_layers[1].result.code, OSC_COAP_CODE_CONTENT);

    osc_coap_message to_client = msg3_layers[0].result;
    to_client.token[0] = 0x8c;
    to_client.message_id = 0x1001;
    osc_response_layer_spec proxy_response = {&client_stack[0], false, 0, 0};
    osc_coap_message msg4;
    CHECK_EQ(osc_protect_response_layers(&to_client, &proxy_response, 1,
                                         response_work, sizeof response_work,
                                         &msg4),
             OSC_OK);
    check_message(&msg4, "MSG4_P_to_C_response");

    /* --- Client / observer: peels MSG4 with the C->P request stack. --- */
    uint8_t wire4[256];
    size_t wire4_len = vec("MSG4_P_to_C_response", wire4, sizeof wire4);
    osc_coap_message on_wire4 = parse(wire4, wire4_len);
    osc_layer_result msg4_layers[2];
    osc_request_binding observed_stack[2] = {msg1_layers[0].binding,
                                             msg1_layers[1].binding};
    CHECK_EQ(osc_peel_layer(&on_wire4, NULL, observed_stack, 2, 0, 16,
                            peel_work[2], sizeof peel_work[2], &msg4_layers[0]),
             OSC_OK);
    check_layer(&msg4_layers[0], "L2_CP_resp");
    CHECK_EQ(osc_peel_layer(&msg4_layers[0].result, NULL, observed_stack, 2, 1,
                            16, peel_work[3], sizeof peel_work[3],
                            &msg4_layers[1]),
             OSC_OK);
    check_layer(&msg4_layers[1], "L1_CS_resp");
    CHECK_EQ(msg4_layers[1].result.payload_length, 1);
    CHECK(msg4_layers[1].result.payload_length == 1 &&
          msg4_layers[1].result.payload[0] == '0');

    /* A response with one more layer than its request stack: no binding. */
    osc_layer_result extra;
    CHECK_EQ(osc_peel_layer(&msg4_layers[0].result, NULL, observed_stack, 1, 1,
                            16, peel_work[0], sizeof peel_work[0], &extra),
             OSC_ERR_NO_REQUEST_BINDING);

    /* A notification through the proxy: the Outer Observe the server set
     * survives the removal of the C-P layer (the proxy forwards it), the
     * innermost message carries the empty Inner Observe (RFC 8613
     * 4.1.3.5.2). */
    static const uint8_t seven[] = {7};
    osc_coap_message notification = content;
    notification.token[0] = 0x8c;
    CHECK_EQ(osc_coap_add_option(&notification, OSC_OPT_OBSERVE, seven, 1),
             OSC_OK);
    osc_response_layer_spec notify_layers[2] = {{&client_stack[0], true, 3, 0},
                                                {&client_stack[1], true, 9, 0}};
    osc_coap_message protected_notification;
    CHECK_EQ(osc_protect_response_layers(&notification, notify_layers, 2,
                                         response_work, sizeof response_work,
                                         &protected_notification),
             OSC_OK);
    CHECK_EQ(protected_notification.code, OSC_COAP_CODE_CONTENT);
    osc_layer_result notify_layers_peeled[2];
    CHECK_EQ(osc_peel_layer(&protected_notification, NULL, client_stack, 2, 0,
                            16, peel_work[0], sizeof peel_work[0],
                            &notify_layers_peeled[0]),
             OSC_OK);
    const osc_coap_option *observe =
        osc_coap_find_option(&notify_layers_peeled[0].result, OSC_OPT_OBSERVE);
    CHECK(observe != NULL && observe->length == 1 && observe->value[0] == 7);
    CHECK_EQ(osc_peel_layer(&notify_layers_peeled[0].result, NULL, client_stack,
                            2, 1, 16, peel_work[1], sizeof peel_work[1],
                            &notify_layers_peeled[1]),
             OSC_OK);
    observe =
        osc_coap_find_option(&notify_layers_peeled[1].result, OSC_OPT_OBSERVE);
    CHECK(observe != NULL && observe->length == 0);
    CHECK_EQ(notify_layers_peeled[1].result.code, OSC_COAP_CODE_CONTENT);

    osc_context_set_free(all);
    vectors_free(vectors);
    return tests_finish();
}
