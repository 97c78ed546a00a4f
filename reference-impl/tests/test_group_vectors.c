/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Group OSCORE (RFC 10021) against group-oscore.json: group
 * context derivation, credentials, X25519 and pairwise keys, group-mode
 * request and both responses (Ed25519 is deterministic, so protecting
 * reproduces the signatures byte for byte), the short ToBeSigned form,
 * pairwise request and response; and what a passive observer without
 * private keys can and cannot do. Expected bytes come from the JSON; the
 * inputs that the file does not hold (master secret and salt, Gid,
 * algorithms, IDs, RFC 8032 seeds, messages' header fields; listed in
 * tests/vectors/README.md) are written here.
 */
#include <stdio.h>
#include <string.h>

#include "oscore/coap.h"
#include "oscore/context_set.h"
#include "oscore/group.h"
#include "oscore/layer_stack.h"
#include "oscore/peel.h"
#include "test_support.h"

static test_vectors *vectors;

static size_t vec(const char *name, uint8_t *out, size_t cap)
{
    return vectors_bytes(vectors, name, out, cap);
}

static void check_vec(const uint8_t *got, size_t got_len, const char *name)
{
    uint8_t want[512];
    size_t want_len = vec(name, want, sizeof want);
    CHECK_BYTES(got, got_len, want, want_len, name);
}

static void check_message(const osc_coap_message *msg, const char *name)
{
    uint8_t wire[512];
    size_t wire_len = 0;
    CHECK_EQ(osc_coap_serialize(msg, wire, sizeof wire, &wire_len), OSC_OK);
    check_vec(wire, wire_len, name);
}

static osc_coap_message parse_vec(const char *name, uint8_t *buf, size_t cap)
{
    size_t len = vec(name, buf, cap);
    osc_coap_message msg;
    CHECK_EQ(osc_coap_parse(buf, len, OSC_COAP_FRAMING_UDP, &msg), OSC_OK);
    return msg;
}

static void test_derivation(const osc_group_context *group)
{
    check_vec(group->members[0].key, 16, "sender_key_client");
    check_vec(group->members[1].key, 16, "sender_key_server");
    check_vec(group->common_iv, 13, "common_iv");
    check_vec(group->signature_key, group->signature_key_len,
              "signature_encryption_key");
    check_vec(group->members[0].public_key, 32, "pub_client");
    check_vec(group->members[1].public_key, 32, "pub_server");

    uint8_t u[32], shared[32];
    CHECK_EQ(osc_x25519_public_from_ed25519(group->members[0].public_key, u),
             OSC_OK);
    check_vec(u, 32, "x25519_u_client");
    CHECK_EQ(osc_x25519_public_from_ed25519(group->members[1].public_key, u),
             OSC_OK);
    check_vec(u, 32, "x25519_u_server");
    CHECK_EQ(osc_x25519_shared_secret(group->members[0].private_key, u, shared),
             OSC_OK);
    check_vec(shared, 32, "shared_secret");

    CHECK(group->has_pairwise_key[0][1] && group->has_pairwise_key[1][0]);
    check_vec(group->pairwise_key[0][1], 16, "pairwise_key_client_to_server");
    check_vec(group->pairwise_key[1][0], 16, "pairwise_key_server_to_client");

    CHECK_EQ(group->members[0].curve, OSC_CURVE_ED25519);

    /* A CCS without a usable key is refused, and so are other formats. */
    uint8_t key[OSC_MAX_PUBLIC_KEY_LEN];
    osc_key_curve curve;
    static const uint8_t not_ccs[] = {0xa1, 0x08, 0xa1, 0x01, 0xa1, 0x01, 0x02};
    CHECK_EQ(
        osc_group_credential_public_key(not_ccs, sizeof not_ccs, &curve, key),
        OSC_ERR_CREDENTIAL_MALFORMED);
    CHECK_EQ(osc_group_credential_public_key(not_ccs, 3, &curve, key),
             OSC_ERR_CREDENTIAL_MALFORMED);
    static const uint8_t x509[] = {0x30, 0x82, 0x01, 0x0a, 0x02, 0x01};
    static const uint8_t c509[] = {0x8b, 0x01, 0x43, 0x01, 0xf3, 0x0d};
    CHECK_EQ(osc_group_credential_public_key(x509, sizeof x509, &curve, key),
             OSC_ERR_CREDENTIAL_UNSUPPORTED);
    CHECK_EQ(osc_group_credential_public_key(c509, sizeof c509, &curve, key),
             OSC_ERR_CREDENTIAL_UNSUPPORTED);
}

static void check_layer(const osc_layer_result *layer, const char *nonce,
                        const char *aad, const char *plaintext,
                        const char *signature)
{
    CHECK_EQ(layer->status, OSC_OK);
    check_vec(layer->nonce, layer->nonce_len, nonce);
    check_vec(layer->aad, layer->aad_len, aad);
    check_vec(layer->plaintext, layer->plaintext_len, plaintext);
    if (signature) {
        CHECK_EQ(layer->signature_status, OSC_OK);
        check_vec(layer->signature, layer->signature_len, signature);
    }
}

static void test_group_mode(const osc_group_context *group,
                            const osc_group_context *observer)
{
    static uint8_t work[4][8192];
    uint8_t raw[512];

    /* Request: the client protects GET /tv1 with its group key. */
    uint8_t raw_get[512];
    osc_coap_message get =
        parse_vec("req_unprotected_coap", raw_get, sizeof raw_get);
    osc_group_protect_params params;
    memset(&params, 0, sizeof params);
    params.group = group;
    params.sender = 0;
    params.sequence_number = 5;
    osc_coap_message request;
    osc_request_binding client_binding;
    CHECK_EQ(osc_group_protect(&get, &params, work[0], sizeof work[0], &request,
                               &client_binding),
             OSC_OK);
    check_message(&request, "req_protected_coap");

    /* An observer with only public keys removes it and checks the
     * signature. */
    uint8_t wire[512];
    osc_coap_message on_wire =
        parse_vec("req_protected_coap", wire, sizeof wire);
    osc_layer_result layer;
    CHECK_EQ(osc_group_unprotect(&on_wire, observer, NULL, work[1],
                                 sizeof work[1], &layer),
             OSC_OK);
    check_layer(&layer, "req_nonce", "req_AAD_enc_structure", "req_plaintext",
                "req_signature");
    CHECK(layer.group_mode && !layer.signature_short_form);
    CHECK_EQ(layer.sender_member, 0);
    uint8_t unprotected[512];
    size_t unprotected_len;
    CHECK_EQ(osc_coap_serialize(&layer.result, unprotected, sizeof unprotected,
                                &unprotected_len),
             OSC_OK);
    check_vec(unprotected, unprotected_len, "req_unprotected_coap");
    osc_request_binding observed = layer.binding;

    /* The short (4-element) ToBeSigned form verifies too. */
    uint8_t alt[512];
    size_t alt_len = vec("req_protected_coap", alt, sizeof alt);
    uint8_t alt_signature[64], encrypted[64];
    vec("req_signature_4elem_ALT", alt_signature, sizeof alt_signature);
    vec("req_keystream", encrypted, sizeof encrypted);
    for (int i = 0; i < 64; i++)
        alt[alt_len - 64 + i] = alt_signature[i] ^ encrypted[i];
    osc_coap_message alt_msg;
    CHECK_EQ(osc_coap_parse(alt, alt_len, OSC_COAP_FRAMING_UDP, &alt_msg),
             OSC_OK);
    CHECK_EQ(osc_group_unprotect(&alt_msg, observer, NULL, work[2],
                                 sizeof work[2], &layer),
             OSC_OK);
    CHECK(layer.signature_short_form);

    /* A flipped signature byte fails, and yields no plaintext. */
    alt[alt_len - 1] ^= 0x01;
    CHECK_EQ(osc_coap_parse(alt, alt_len, OSC_COAP_FRAMING_UDP, &alt_msg),
             OSC_OK);
    CHECK_EQ(osc_group_unprotect(&alt_msg, observer, NULL, work[2],
                                 sizeof work[2], &layer),
             OSC_ERR_SIGNATURE_INVALID);
    CHECK(layer.plaintext == NULL && layer.plaintext_len == 0);

    /* Response 1: no Partial IV (the request nonce), kid of the server. */
    osc_coap_message content =
        parse_vec("resp1_unprotected_coap", raw, sizeof raw);
    memset(&params, 0, sizeof params);
    params.group = group;
    params.sender = 1;
    params.request = &client_binding;
    osc_coap_message response;
    CHECK_EQ(osc_group_protect(&content, &params, work[2], sizeof work[2],
                               &response, NULL),
             OSC_OK);
    check_message(&response, "resp1_protected_coap");
    osc_coap_message resp1 =
        parse_vec("resp1_protected_coap", wire, sizeof wire);
    CHECK_EQ(osc_group_unprotect(&resp1, NULL, &observed, work[3],
                                 sizeof work[3], &layer),
             OSC_OK);
    check_layer(&layer, "resp1_nonce", "resp1_AAD_enc_structure",
                "resp_plaintext", "resp1_signature");
    CHECK_EQ(layer.sender_member, 1);

    /* Response 2: the server's Partial IV 0. */
    content.message_id = 0x7a11;
    params.response_with_piv = true;
    params.sequence_number = 0;
    CHECK_EQ(osc_group_protect(&content, &params, work[2], sizeof work[2],
                               &response, NULL),
             OSC_OK);
    check_message(&response, "resp2_protected_coap");
    osc_coap_message resp2 =
        parse_vec("resp2_protected_coap", wire, sizeof wire);
    CHECK_EQ(osc_group_unprotect(&resp2, NULL, &observed, work[3],
                                 sizeof work[3], &layer),
             OSC_OK);
    check_layer(&layer, "resp2_nonce", "resp2_AAD_enc_structure",
                "resp_plaintext", "resp2_signature");

    /* Without the request binding a response cannot be removed. */
    CHECK_EQ(osc_group_unprotect(&resp2, observer, NULL, work[3],
                                 sizeof work[3], &layer),
             OSC_ERR_NO_REQUEST_BINDING);
    /* An observer holds no private key, so it cannot sign. */
    memset(&params, 0, sizeof params);
    params.group = observer;
    params.sequence_number = 6;
    CHECK_EQ(osc_group_protect(&get, &params, work[2], sizeof work[2],
                               &response, NULL),
             OSC_ERR_NO_PRIVATE_KEY);
}

static void test_pairwise_mode(const osc_group_context *group,
                               const osc_group_context *observer)
{
    static uint8_t work[3][8192];
    static const uint8_t tv1[] = "tv1";
    static const uint8_t hello[] = "Hello World!";

    /* The pairwise request of the vectors (tests/vectors/README.md): CON
     * GET /tv1, MID 0x5d20, token 00003975, SSN 6. */
    osc_coap_message get;
    memset(&get, 0, sizeof get);
    get.type = OSC_COAP_TYPE_CON;
    get.code = OSC_COAP_CODE_GET;
    get.message_id = 0x5d20;
    get.token_length = 4;
    memcpy(get.token, "\x00\x00\x39\x75", 4);
    CHECK_EQ(osc_coap_add_option(&get, 11, tv1, 3), OSC_OK);

    osc_group_protect_params params;
    memset(&params, 0, sizeof params);
    params.group = group;
    params.sender = 0;
    params.pairwise = true;
    params.recipient = 1;
    params.sequence_number = 6;
    osc_coap_message request;
    osc_request_binding binding;
    CHECK_EQ(osc_group_protect(&get, &params, work[0], sizeof work[0], &request,
                               &binding),
             OSC_OK);
    check_message(&request, "pw_req_protected_coap");

    /* The server's side: finds itself as the recipient. */
    uint8_t wire[512];
    osc_coap_message on_wire =
        parse_vec("pw_req_protected_coap", wire, sizeof wire);
    osc_layer_result layer;
    CHECK_EQ(osc_group_unprotect(&on_wire, group, NULL, work[1], sizeof work[1],
                                 &layer),
             OSC_OK);
    check_layer(&layer, "pw_req_nonce", "pw_req_AAD_enc_structure",
                "req_plaintext", NULL);
    CHECK(!layer.group_mode);
    CHECK_EQ(layer.recipient_member, 1);

    /* Observers without private keys have no pairwise keys. */
    osc_layer_result blind;
    CHECK_EQ(osc_group_unprotect(&on_wire, observer, NULL, work[2],
                                 sizeof work[2], &blind),
             OSC_ERR_NO_PRIVATE_KEY);

    /* Response: ACK 2.05 "Hello World!" without kid or Partial IV. */
    osc_coap_message content;
    memset(&content, 0, sizeof content);
    content.type = OSC_COAP_TYPE_ACK;
    content.code = OSC_COAP_CODE_CONTENT;
    content.message_id = 0x5d20;
    content.token_length = 4;
    memcpy(content.token, "\x00\x00\x39\x75", 4);
    content.payload = hello;
    content.payload_length = 12;
    memset(&params, 0, sizeof params);
    params.group = group;
    params.sender = 1;
    params.pairwise = true;
    params.request = &layer.binding;
    osc_coap_message response;
    CHECK_EQ(osc_group_protect(&content, &params, work[2], sizeof work[2],
                               &response, NULL),
             OSC_OK);
    check_message(&response, "pw_resp_protected_coap");

    osc_coap_message resp_wire =
        parse_vec("pw_resp_protected_coap", wire, sizeof wire);
    osc_layer_result resp_layer;
    CHECK_EQ(osc_group_unprotect(&resp_wire, NULL, &binding, work[0],
                                 sizeof work[0], &resp_layer),
             OSC_OK);
    check_vec(resp_layer.aad, resp_layer.aad_len, "pw_resp_AAD_enc_structure");
    check_vec(resp_layer.plaintext, resp_layer.plaintext_len, "resp_plaintext");
}

/* osc_peel_layer finds the group by Gid in a context set and routes
 * group-mode, pairwise and response layers to it. */
static void test_peel_through_set(const osc_group_context *group)
{
    osc_context_set *set = osc_context_set_new();
    size_t index = 99;
    CHECK_EQ(osc_context_set_add_group(set, "group", group, &index), OSC_OK);
    CHECK_EQ(index, 0);
    CHECK_EQ(osc_context_set_group_count(set), 1);
    const osc_group_context *stored = osc_context_set_get_group(set, 0);
    CHECK(stored != NULL && stored != group);
    CHECK_EQ(osc_context_set_group_index_of(set, stored), 0);
    CHECK(strcmp(osc_context_set_group_name(set, 0), "group") == 0);
    static const uint8_t gid[] = {0x44, 0x61, 0x6c};
    CHECK(osc_context_set_lookup_group(set, gid, 3) == stored);
    CHECK(osc_context_set_lookup_group(set, gid, 2) == NULL);

    static uint8_t work[4][8192];
    uint8_t wire[4][512];
    const char *const requests[2] = {"req_protected_coap",
                                     "pw_req_protected_coap"};
    const char *const responses[2] = {"resp2_protected_coap",
                                      "pw_resp_protected_coap"};
    for (int i = 0; i < 2; i++) {
        osc_coap_message request = parse_vec(requests[i], wire[0], 512);
        osc_layer_result layer;
        CHECK_EQ(osc_peel_layer(&request, set, NULL, 0, 0, 4, work[0],
                                sizeof work[0], &layer),
                 OSC_OK);
        CHECK(layer.group == stored && layer.group_mode == (i == 0));
        check_vec(layer.plaintext, layer.plaintext_len, "req_plaintext");
        CHECK(osc_layer_unprotect_work_size(&request) <= sizeof work[0]);

        osc_coap_message response = parse_vec(responses[i], wire[1], 512);
        osc_layer_result response_layer;
        CHECK_EQ(osc_peel_layer(&response, set, &layer.binding, 1, 0, 4,
                                work[1], sizeof work[1], &response_layer),
                 OSC_OK);
        check_vec(response_layer.plaintext, response_layer.plaintext_len,
                  "resp_plaintext");
    }
    osc_context_set_free(set);
}

/* A group layer as one layer of a stack (osc_protect_request_layers and
 * osc_protect_response_layers): the client's group-mode request inside
 * a client-to-proxy layer, and a server's response relayed back inside
 * it (draft-ietf-core-oscore-capable-proxies with RFC 10021). The group
 * layer's bytes are the vectors', whatever surrounds them. */
static void test_group_layer_in_stack(const osc_group_context *group)
{
    osc_context_params cp_params;
    osc_context_params_init(&cp_params);
    memset(cp_params.master_secret, 0x11, 16);
    cp_params.master_secret_len = 16;
    cp_params.sender_id[0] = 0x20;
    cp_params.sender_id_len = 1;
    cp_params.recipient_id_len = 0;
    static osc_context cp;
    CHECK_EQ(osc_context_derive(&cp_params, &cp), OSC_OK);
    osc_context_set *set = osc_context_set_new();
    size_t index;
    CHECK_EQ(osc_context_set_add(set, "c-p", &cp, &index), OSC_OK);
    CHECK_EQ(osc_context_set_add_group(set, "group", group, &index), OSC_OK);

    uint8_t raw_get[512], raw_content[512];
    osc_coap_message get =
        parse_vec("req_unprotected_coap", raw_get, sizeof raw_get);
    osc_request_layer_spec specs[2];
    memset(specs, 0, sizeof specs);
    specs[0].group = group; /* innermost: for the servers */
    specs[0].group_sender = 0;
    specs[0].sequence_number = 5;
    specs[0].peer.sender_is_origin = true;
    specs[0].peer.next_hop_is_proxy = true;
    specs[1].ctx = &cp; /* outermost: for the proxy */
    specs[1].party = OSC_PARTY_SENDER;
    specs[1].sequence_number = 31;
    specs[1].peer.sender_is_origin = true;
    specs[1].peer.peer_is_next_hop = true;
    specs[1].peer.peer_is_proxy = specs[1].peer.next_hop_is_proxy = true;
    static uint8_t work[3][16384];
    CHECK(osc_layers_protect_work_size(&get, 2) <= sizeof work[0]);
    osc_coap_message request;
    osc_request_binding bindings[2];
    CHECK_EQ(osc_protect_request_layers(&get, specs, 2, work[0], sizeof work[0],
                                        &request, bindings),
             OSC_OK);
    CHECK(bindings[0].ctx == &cp && bindings[1].group == group);

    osc_peel peel;
    static osc_layer_result layers[2];
    osc_peel_init(&peel, &request, set, NULL, 0, 4);
    for (int i = 0; i < 2 && osc_peel_pending(&peel); i++) {
        if (i == 1)
            check_message(peel.current, "req_protected_coap");
        CHECK(osc_peel_addressed(&peel)); /* c-p, then the group by Gid */
        CHECK_EQ(osc_peel_next(&peel, work[1] + i * 8192, 8192, &layers[i]),
                 OSC_OK);
    }
    CHECK(osc_peel_complete(&peel) && peel.depth == 2);
    CHECK(!osc_peel_addressed(&peel)); /* no layer left */

    /* A proxy holding c-p only: the group layer inside is not its own. */
    osc_context_set *proxy_set = osc_context_set_new();
    CHECK_EQ(osc_context_set_add(proxy_set, "c-p", &cp, &index), OSC_OK);
    osc_layer_result proxy_layer;
    osc_peel_init(&peel, &request, proxy_set, NULL, 0, 4);
    CHECK(osc_peel_addressed(&peel));
    CHECK_EQ(osc_peel_next(&peel, work[1], 8192, &proxy_layer), OSC_OK);
    CHECK(osc_peel_pending(&peel) && !osc_peel_addressed(&peel));
    osc_context_set_free(proxy_set);
    CHECK(layers[1].group != NULL && layers[1].group_mode);
    CHECK_EQ(layers[1].signature_status, OSC_OK);
    check_vec(layers[1].plaintext, layers[1].plaintext_len, "req_plaintext");

    /* The server (member 1) answers without its Partial IV; the proxy
     * adds its layer with one. */
    osc_coap_message content =
        parse_vec("resp1_unprotected_coap", raw_content, sizeof raw_content);
    osc_response_layer_spec answers[2] = {{&bindings[0], true, 7, 0},
                                          {&bindings[1], false, 0, 1}};
    osc_coap_message response;
    CHECK_EQ(osc_protect_response_layers(&content, answers, 2, work[0],
                                         sizeof work[0], &response),
             OSC_OK);
    osc_request_binding stack[2] = {layers[0].binding, layers[1].binding};
    osc_peel_init(&peel, &response, NULL, stack, 2, 2);
    CHECK(!osc_peel_addressed(&peel)); /* responses bind, not look up */
    for (int i = 0; i < 2 && osc_peel_pending(&peel); i++) {
        if (i == 1)
            check_message(peel.current, "resp1_protected_coap");
        CHECK_EQ(osc_peel_next(&peel, work[2] + i * 8192, 8192, &layers[i]),
                 OSC_OK);
    }
    CHECK(osc_peel_complete(&peel));
    CHECK_EQ(layers[1].sender_member, 1);
    check_vec(layers[1].plaintext, layers[1].plaintext_len, "resp_plaintext");

    /* A response layer needs the member answering: an index past the
     * group is refused. */
    answers[1].group_sender = group->member_count;
    CHECK_EQ(osc_protect_response_layers(&content, answers, 2, work[0],
                                         sizeof work[0], &response),
             OSC_ERR_INVALID_ARGUMENT);
    osc_context_set_free(set);
}

int main(int argc, char **argv)
{
    tests_init(argc, argv);
    vectors = vectors_load_object("group-oscore.json");

    static osc_group_context group, observer;
    test_group_context(vectors, true, &group);
    test_group_context(vectors, false, &observer);
    test_derivation(&group);
    CHECK(!observer.has_pairwise_key[0][1]);
    test_group_mode(&group, &observer);
    test_pairwise_mode(&group, &observer);
    test_peel_through_set(&group);
    test_group_layer_in_stack(&group);

    vectors_free(vectors);
    return tests_finish();
}
