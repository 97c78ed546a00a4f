/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libFuzzer harness of one-layer peeling (osc_peel_layer, peel.h) with
 * the contexts of RFC 8613 C.1.1 (client and server) and C.2.1, values as
 * in tests/vectors/rfc8613-appendix-c.json.
 *
 * The first input byte chooses what the rest is:
 *  - bit 0 clear: a plaintext (code || options || payload, RFC 8613 5.3),
 *    which the harness encrypts with the real keys into a request layer
 *    (bit 1 clear; kid of C.1's client, Partial IV from byte 0) or into
 *    the response to a fixed request (bit 1 set). Such a layer always
 *    authenticates, so the fuzzer reaches the decrypted-content paths:
 *    the result must be OSC_OK or OSC_ERR_PLAINTEXT_MALFORMED, and an
 *    OSC_OK message must serialise (issue 12: code 0.00 with content did
 *    not, input 020000).
 *  - bit 0 set: a whole CoAP message over UDP as it came off the wire,
 *    peeled as a request with the set, or as the response to the fixed
 *    request (bit 1): any status, but plaintext only with OSC_OK or
 *    OSC_ERR_PLAINTEXT_MALFORMED, and an OSC_OK result serialises.
 */
#include <stdint.h>
#include <string.h>

#include "fuzz_common.h"
#include "oscore/aad.h"
#include "oscore/algorithms.h"
#include "oscore/coap.h"
#include "oscore/context.h"
#include "oscore/context_set.h"
#include "oscore/layer.h"
#include "oscore/nonce.h"
#include "oscore/options.h"
#include "oscore/peel.h"

#define MAX_PLAINTEXT 2048

static osc_context_set *set;
static const osc_context *client; /* C.1.1, Sender ID empty */
static osc_request_binding request_binding;

static size_t hex(const char *text, uint8_t *out)
{
    size_t n = strlen(text) / 2;
    for (size_t i = 0; i < n; i++) {
        unsigned byte;
        FUZZ_CHECK(sscanf(text + 2 * i, "%2x", &byte) == 1);
        out[i] = (uint8_t)byte;
    }
    return n;
}

static void add_context(const char *salt, const char *sender,
                        const char *recipient)
{
    osc_context_params p;
    osc_context_params_init(&p);
    p.master_secret_len =
        hex("0102030405060708090a0b0c0d0e0f10", p.master_secret);
    p.master_salt_len = hex(salt, p.master_salt);
    p.sender_id_len = hex(sender, p.sender_id);
    p.recipient_id_len = hex(recipient, p.recipient_id);
    osc_context ctx;
    FUZZ_CHECK(osc_context_derive(&p, &ctx) == OSC_OK);
    FUZZ_CHECK(osc_context_set_add(set, NULL, &ctx, NULL) == OSC_OK);
}

/* The binding of a GET protected with the client's context, the request
 * the response inputs answer. */
static void make_request_binding(void)
{
    osc_coap_message in;
    fuzz_fixed_get(&in);
    osc_protect_params params;
    memset(&params, 0, sizeof params);
    params.ctx = client;
    params.party = OSC_PARTY_SENDER;
    params.sequence_number = 20;
    static uint8_t work[1024];
    osc_coap_message out;
    FUZZ_CHECK(osc_layer_protect(&in, &params, work, sizeof work, &out,
                                 &request_binding) == OSC_OK);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fuzz_engine_init();
    set = osc_context_set_new();
    FUZZ_CHECK(set != NULL);
    add_context("9e7ca92223786340", "", "01"); /* C.1.1 client */
    add_context("9e7ca92223786340", "01", ""); /* C.1.1 server */
    add_context("", "00", "01");               /* C.2.1 client */
    client = osc_context_set_get(set, 0);
    make_request_binding();
    return 0;
}

/* Encrypts plaintext into *msg (payload in ct): a request from the
 * client with Partial IV piv, or the response to request_binding
 * without Partial IV (RFC 8613 5.2, 5.4). */
static void encrypt_layer(bool response, uint8_t piv, const uint8_t *plaintext,
                          size_t len, uint8_t *option, uint8_t *ct,
                          osc_coap_message *msg)
{
    const osc_aead_alg *aead = client->aead;
    uint8_t nonce[OSC_MAX_NONCE_LEN], aad[64];
    size_t aad_len, option_len;
    osc_bytes kid = OSC_BYTES(client->id[OSC_PARTY_SENDER],
                              client->id_len[OSC_PARTY_SENDER]);
    osc_bytes request_piv = OSC_BYTES(&piv, 1);
    if (response) {
        memcpy(nonce, request_binding.nonce, request_binding.nonce_len);
        kid = OSC_BYTES(request_binding.kid, request_binding.kid_len);
        request_piv = OSC_BYTES(request_binding.piv, request_binding.piv_len);
        option_len = 0; /* no Partial IV, no kid: an empty option */
    } else {
        FUZZ_CHECK(osc_nonce(client->common_iv, aead->nonce_len, kid.ptr,
                             kid.len, &piv, 1, nonce) == OSC_OK);
        option[0] = 0x09; /* k, n = 1 (RFC 8613 6.1); the kid is empty */
        option[1] = piv;
        option_len = 2;
    }
    FUZZ_CHECK(osc_aad(aead->cose_id, kid, request_piv, OSC_BYTES(NULL, 0), aad,
                       sizeof aad, &aad_len) == OSC_OK);
    const uint8_t *key =
        client->key[response ? OSC_PARTY_RECIPIENT : OSC_PARTY_SENDER];
    FUZZ_CHECK(osc_aead_encrypt(aead, key, nonce, aad, aad_len, plaintext, len,
                                ct, len + aead->tag_len) == OSC_OK);
    memset(msg, 0, sizeof *msg);
    msg->type = response ? OSC_COAP_TYPE_ACK : OSC_COAP_TYPE_CON;
    msg->code = response ? OSC_COAP_CODE(2, 4) : OSC_COAP_CODE_POST;
    msg->token_length = 1;
    msg->token[0] = 0x4a;
    FUZZ_CHECK(osc_coap_add_option(msg, OSC_OPT_OSCORE, option, option_len) ==
               OSC_OK);
    msg->payload = ct;
    msg->payload_length = len + aead->tag_len;
}

/* Peels msg once and checks the contract of peel.h / layer.h. */
static osc_status peel_and_check(const osc_coap_message *msg, bool response)
{
    static uint8_t work[MAX_PLAINTEXT * 2 + 4096];
    static osc_layer_result result;
    if (osc_layer_unprotect_work_size(msg) > sizeof work)
        return OSC_ERR_BUFFER_TOO_SMALL;
    osc_status status =
        osc_peel_layer(msg, set, response ? &request_binding : NULL,
                       response ? 1 : 0, 0, 4, work, sizeof work, &result);
    FUZZ_CHECK(status == result.status);
    FUZZ_CHECK((unsigned)status < OSC_STATUS_COUNT);
    if (status != OSC_OK && status != OSC_ERR_PLAINTEXT_MALFORMED)
        FUZZ_CHECK(result.plaintext == NULL && result.plaintext_len == 0);
    if (status == OSC_OK) {
        static uint8_t wire[MAX_PLAINTEXT * 2 + 4096];
        size_t wire_len;
        FUZZ_CHECK(osc_coap_serialize(&result.result, wire, sizeof wire,
                                      &wire_len) == OSC_OK);
        FUZZ_CHECK(result.result.code != OSC_COAP_CODE_EMPTY);
    }
    return status;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || size > MAX_PLAINTEXT)
        return 0;
    bool raw = data[0] & 1;
    bool response = data[0] & 2;
    if (raw) {
        static osc_coap_message msg;
        if (osc_coap_parse(data + 1, size - 1, OSC_COAP_FRAMING_UDP, &msg) ==
            OSC_OK)
            peel_and_check(&msg, response);
        return 0;
    }
    static uint8_t ct[MAX_PLAINTEXT + 16];
    uint8_t option[8];
    static osc_coap_message msg;
    encrypt_layer(response, data[0], data + 1, size - 1, option, ct, &msg);
    osc_status status = peel_and_check(&msg, response);
    FUZZ_CHECK(status == OSC_OK || status == OSC_ERR_PLAINTEXT_MALFORMED);
    return 0;
}
