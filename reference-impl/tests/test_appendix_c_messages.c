/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * RFC 8613 Appendix C.4-C.8: protecting and unprotecting whole messages
 * must reproduce every listed value byte for byte (nonces of C.1-C.3 too).
 * All expected values are read from rfc8613-appendix-c.json.
 */
#include <stdio.h>
#include <string.h>

#include "oscore/coap.h"
#include "oscore/context.h"
#include "oscore/context_set.h"
#include "oscore/layer.h"
#include "oscore/layer_stack.h"
#include "oscore/nonce.h"
#include "oscore/peel.h"
#include "test_support.h"

static test_vectors *vectors;

static size_t get(const char *section, const char *name, uint8_t *out,
                  size_t cap)
{
    char key[128];
    snprintf(key, sizeof key, "%s/%s", section, name);
    return vectors_bytes(vectors, key, out, cap);
}

static bool has(const char *section, const char *name)
{
    char key[128];
    snprintf(key, sizeof key, "%s/%s", section, name);
    return vectors_has(vectors, key);
}

/* Derives the context of a key-derivation section (C.1.1 ... C.3.2). */
static void derive_section(const char *section, osc_context *ctx)
{
    osc_context_params params;
    osc_context_params_init(&params);
    params.master_secret_len =
        get(section, "Master Secret", params.master_secret,
            sizeof params.master_secret);
    if (has(section, "Master Salt"))
        params.master_salt_len = get(section, "Master Salt", params.master_salt,
                                     sizeof params.master_salt);
    if (has(section, "ID Context")) {
        params.has_id_context = true;
        params.id_context_len = get(section, "ID Context", params.id_context,
                                    sizeof params.id_context);
    }
    params.sender_id_len =
        get(section, "Sender ID", params.sender_id, sizeof params.sender_id);
    params.recipient_id_len = get(section, "Recipient ID", params.recipient_id,
                                  sizeof params.recipient_id);
    CHECK_EQ(osc_context_derive(&params, ctx), OSC_OK);
}

/* C.1-C.3 "sender nonce"/"recipient nonce": the nonces for Partial IV 0
 * of each party. */
static void test_derivation_nonces(void)
{
    static const char *sections[] = {"C.1.1", "C.1.2", "C.2.1",
                                     "C.2.2", "C.3.1", "C.3.2"};
    for (size_t i = 0; i < sizeof sections / sizeof sections[0]; i++) {
        osc_context ctx;
        derive_section(sections[i], &ctx);
        uint8_t want[OSC_MAX_NONCE_LEN], got[OSC_MAX_NONCE_LEN];
        const uint8_t piv_zero[1] = {0};
        size_t want_len;

        want_len = get(sections[i], "sender nonce", want, sizeof want);
        CHECK_EQ(osc_nonce(ctx.common_iv, 13, ctx.id[OSC_PARTY_SENDER],
                           ctx.id_len[OSC_PARTY_SENDER], piv_zero, 1, got),
                 OSC_OK);
        CHECK_BYTES(got, 13, want, want_len, sections[i]);

        want_len = get(sections[i], "recipient nonce", want, sizeof want);
        CHECK_EQ(osc_nonce(ctx.common_iv, 13, ctx.id[OSC_PARTY_RECIPIENT],
                           ctx.id_len[OSC_PARTY_RECIPIENT], piv_zero, 1, got),
                 OSC_OK);
        CHECK_BYTES(got, 13, want, want_len, sections[i]);
    }
}

static void check_serialized(const osc_coap_message *msg, const char *section,
                             const char *name)
{
    uint8_t want[256], got[256];
    size_t want_len = get(section, name, want, sizeof want);
    size_t got_len = 0;
    CHECK_EQ(osc_coap_serialize(msg, got, sizeof got, &got_len), OSC_OK);
    CHECK_BYTES(got, got_len, want, want_len, name);
}

/*
 * One request vector: protect the unprotected request with the client
 * context, compare the protected message; then remove the layer with the
 * server's context set and get the unprotected request back.
 * The binding of the server-side removal is returned for the responses.
 */
static void test_request(const char *section, const char *client_section,
                         const char *server_section, bool with_kid_context,
                         osc_context *server_ctx,
                         osc_request_binding *server_binding)
{
    osc_context client;
    derive_section(client_section, &client);
    derive_section(server_section, server_ctx);
    CHECK_EQ(client.aead->cose_id,
             vectors_decimal(vectors, section[3] == '4' ? "C.4/AEAD Algorithm"
                                      : section[3] == '5'
                                          ? "C.5/AEAD Algorithm"
                                          : "C.6/AEAD Algorithm"));

    uint8_t raw[256];
    size_t raw_len = get(section, "Unprotected CoAP request", raw, sizeof raw);
    osc_coap_message request;
    CHECK_EQ(osc_coap_parse(raw, raw_len, OSC_COAP_FRAMING_UDP, &request),
             OSC_OK);

    char key[64];
    snprintf(key, sizeof key, "%s/Sender Sequence Number", section);
    osc_protect_params params;
    memset(&params, 0, sizeof params);
    params.ctx = &client;
    params.party = OSC_PARTY_SENDER;
    params.sequence_number = (uint64_t)vectors_decimal(vectors, key);
    params.include_kid_context = with_kid_context;

    uint8_t work[512];
    osc_coap_message protected_msg;
    osc_request_binding client_binding;
    CHECK_EQ(osc_layer_protect(&request, &params, work, sizeof work,
                               &protected_msg, &client_binding),
             OSC_OK);
    check_serialized(&protected_msg, section,
                     "Protected CoAP request (OSCORE message)");

    uint8_t want[64];
    size_t want_len = get(section, "nonce", want, sizeof want);
    CHECK_BYTES(client_binding.nonce, client_binding.nonce_len, want, want_len,
                "request nonce");
    want_len = get(section, "Partial IV", want, sizeof want);
    CHECK_BYTES(client_binding.piv, client_binding.piv_len, want, want_len,
                "Partial IV");

    /* Remove the layer as the server does: look the kid up in a set. */
    osc_context_set *set = osc_context_set_new();
    CHECK(set != NULL);
    CHECK_EQ(osc_context_set_add(set, "server", server_ctx, NULL), OSC_OK);

    uint8_t wire[256];
    size_t wire_len;
    CHECK_EQ(osc_coap_serialize(&protected_msg, wire, sizeof wire, &wire_len),
             OSC_OK);
    osc_coap_message received;
    CHECK_EQ(osc_coap_parse(wire, wire_len, OSC_COAP_FRAMING_UDP, &received),
             OSC_OK);
    uint8_t unprotect_work[512];
    osc_layer_result result;
    CHECK_EQ(osc_peel_layer(&received, set, NULL, 0, 0, 8, unprotect_work,
                            sizeof unprotect_work, &result),
             OSC_OK);
    CHECK_EQ(result.producer, OSC_PARTY_RECIPIENT);
    want_len = get(section, "AAD", want, sizeof want);
    CHECK_BYTES(result.aad, result.aad_len, want, want_len, "request AAD");
    want_len = get(section, "plaintext", want, sizeof want);
    CHECK_BYTES(result.plaintext, result.plaintext_len, want, want_len,
                "request plaintext");
    want_len = get(section, "kid", want, sizeof want);
    CHECK_BYTES(result.option.kid, result.option.kid_len, want, want_len,
                "kid");
    if (with_kid_context) {
        want_len = get(section, "kid context", want, sizeof want);
        CHECK_BYTES(result.option.kid_context, result.option.kid_context_len,
                    want, want_len, "kid context");
    }
    want_len = get(section, "OSCORE option value", want, sizeof want);
    const osc_coap_option *oscore = osc_coap_find_option(&received, 9);
    CHECK(oscore != NULL);
    if (oscore)
        CHECK_BYTES(oscore->value, oscore->length, want, want_len,
                    "OSCORE option value");
    want_len = get(section, "ciphertext", want, sizeof want);
    CHECK_BYTES(received.payload, received.payload_length, want, want_len,
                "ciphertext");
    check_serialized(&result.result, section, "Unprotected CoAP request");

    /* The binding the server keeps must equal the client's. */
    CHECK_BYTES(result.binding.nonce, result.binding.nonce_len,
                client_binding.nonce, client_binding.nonce_len,
                "binding nonce");
    *server_binding = result.binding;
    /* The binding points at the set's copy; keep the caller's copy. */
    server_binding->ctx = server_ctx;
    osc_context_set_free(set);
}

static void test_response(const char *section, bool with_piv,
                          const osc_request_binding *server_binding,
                          const char *client_section)
{
    uint8_t raw[256];
    size_t raw_len = get(section, "Unprotected CoAP response", raw, sizeof raw);
    osc_coap_message response;
    CHECK_EQ(osc_coap_parse(raw, raw_len, OSC_COAP_FRAMING_UDP, &response),
             OSC_OK);

    char key[64];
    snprintf(key, sizeof key, "%s/Sender Sequence Number", section);
    osc_protect_params params;
    memset(&params, 0, sizeof params);
    params.request = server_binding;
    params.response_with_piv = with_piv;
    params.sequence_number = (uint64_t)vectors_decimal(vectors, key);
    uint8_t work[512];
    osc_coap_message protected_msg;
    CHECK_EQ(osc_layer_protect(&response, &params, work, sizeof work,
                               &protected_msg, NULL),
             OSC_OK);
    check_serialized(&protected_msg, section,
                     "Protected CoAP response (OSCORE message)");

    /* The client removes it with its own view of the request layer. */
    osc_context client;
    derive_section(client_section, &client);
    osc_request_binding client_binding = *server_binding;
    client_binding.ctx = &client;
    client_binding.requester = OSC_PARTY_SENDER;
    uint8_t unprotect_work[512];
    osc_layer_result result;
    CHECK_EQ(osc_peel_layer(&protected_msg, NULL, &client_binding, 1, 0, 8,
                            unprotect_work, sizeof unprotect_work, &result),
             OSC_OK);
    uint8_t want[64];
    size_t want_len = get(section, "nonce", want, sizeof want);
    CHECK_BYTES(result.nonce, result.nonce_len, want, want_len,
                "response nonce");
    want_len = get(section, "AAD", want, sizeof want);
    CHECK_BYTES(result.aad, result.aad_len, want, want_len, "response AAD");
    want_len = get(section, "plaintext", want, sizeof want);
    CHECK_BYTES(result.plaintext, result.plaintext_len, want, want_len,
                "response plaintext");
    want_len = get(section, "ciphertext", want, sizeof want);
    CHECK_BYTES(protected_msg.payload, protected_msg.payload_length, want,
                want_len, "response ciphertext");
    check_serialized(&result.result, section, "Unprotected CoAP response");
}

int main(int argc, char **argv)
{
    tests_init(argc, argv);
    vectors = vectors_load_appendix_c("rfc8613-appendix-c.json");

    test_derivation_nonces();

    osc_context server;
    osc_request_binding binding;
    test_request("C.4", "C.1.1", "C.1.2", false, &server, &binding);
    test_response("C.7", false, &binding, "C.1.1");
    test_response("C.8", true, &binding, "C.1.1");

    osc_context server5, server6;
    osc_request_binding binding5, binding6;
    test_request("C.5", "C.2.1", "C.2.2", false, &server5, &binding5);
    test_request("C.6", "C.3.1", "C.3.2", true, &server6, &binding6);

    vectors_free(vectors);
    return tests_finish();
}
