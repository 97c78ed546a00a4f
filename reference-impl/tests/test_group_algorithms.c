/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Group OSCORE (RFC 10021) with the algorithms group-oscore.json does not
 * cover, against tests/data/group-algorithms/group-algorithms.json (made
 * by an independent implementation on pyca/cryptography, see its README):
 * ES256 countersignatures (RFC 6979 nonces, so protecting reproduces the
 * signatures byte for byte), the non-AEAD Group Encryption Algorithm
 * A128CTR, P-256 and X25519 pairwise keys. Then round trips for every
 * signature algorithm x Group Encryption Algorithm x pairwise AEAD, and
 * the refusals: a bad signature, a wrong Gid, an unknown member, a
 * credential of the wrong curve, a CTR cipher where an AEAD is needed,
 * credential formats other than CCS.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "oscore/coap.h"
#include "oscore/group.h"
#include "test_support.h"

static test_vectors *vectors;
static const char *case_name;

static const char *name_of(const char *name)
{
    static char full[128];
    snprintf(full, sizeof full, "%s/%s", case_name, name);
    return full;
}

static size_t vec(const char *name, uint8_t *out, size_t cap)
{
    return vectors_bytes(vectors, name_of(name), out, cap);
}

static void check_vec(const uint8_t *got, size_t got_len, const char *name)
{
    uint8_t want[512];
    size_t want_len = vec(name, want, sizeof want);
    CHECK_BYTES(got, got_len, want, want_len, name_of(name));
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

/* The case's group: master secret, salt and Gid of group-oscore.json,
 * client 0x25 and server 0x52, with or without their private keys. */
static osc_group_params case_params(bool private_keys)
{
    osc_group_params p;
    osc_group_params_init(&p);
    p.master_secret_len = hex_to_bytes("0102030405060708090a0b0c0d0e0f10",
                                       p.master_secret, sizeof p.master_secret);
    p.master_salt_len =
        hex_to_bytes("9e7ca92223786340", p.master_salt, sizeof p.master_salt);
    p.gid_len = hex_to_bytes("44616c", p.gid, sizeof p.gid);
    p.aead_id = (int)vectors_decimal(vectors, name_of("alg_aead"));
    p.group_enc_id = (int)vectors_decimal(vectors, name_of("alg_group_enc"));
    p.signature_alg = (int)vectors_decimal(vectors, name_of("alg_signature"));
    p.pairwise_ka_alg = OSC_PAIRWISE_ECDH_SS_HKDF_256;
    p.gm_credential_len =
        vec("cred_gm", p.gm_credential, sizeof p.gm_credential);
    static const char *const who[2] = {"client", "server"};
    static const uint8_t ids[2] = {0x25, 0x52};
    for (int i = 0; i < 2; i++) {
        osc_group_member_params *m = &p.members[i];
        char name[32];
        m->id[0] = ids[i];
        m->id_len = 1;
        snprintf(name, sizeof name, "cred_%s", who[i]);
        m->credential_len = vec(name, m->credential, sizeof m->credential);
        snprintf(name, sizeof name, "private_%s", who[i]);
        CHECK_EQ(vec(name, m->private_key, sizeof m->private_key), 32);
        m->has_private_key = private_keys;
    }
    p.member_count = 2;
    return p;
}

static void test_derivation(const osc_group_context *group)
{
    size_t key_len = group->group_enc->key_len;
    check_vec(group->members[0].key, key_len, "sender_key_client");
    check_vec(group->members[1].key, key_len, "sender_key_server");
    size_t iv_len = group->group_enc->nonce_len > group->aead->nonce_len
                        ? group->group_enc->nonce_len
                        : group->aead->nonce_len;
    check_vec(group->common_iv, iv_len, "common_iv");
    check_vec(group->signature_key, group->signature_key_len,
              "signature_encryption_key");
    size_t public_len = group->members[0].curve == OSC_CURVE_P256 ? 64 : 32;
    check_vec(group->members[0].public_key, public_len, "pub_client");
    check_vec(group->members[1].public_key, public_len, "pub_server");
    uint8_t shared[OSC_MAX_SHARED_SECRET_LEN];
    CHECK_EQ(osc_curve_shared_secret(group->members[0].curve,
                                     group->members[0].private_key,
                                     group->members[1].public_key, shared),
             OSC_OK);
    check_vec(shared, sizeof shared, "shared_secret");
    size_t pairwise_len = group->aead->key_len;
    check_vec(group->pairwise_key[0][1], pairwise_len,
              "pairwise_key_client_to_server");
    check_vec(group->pairwise_key[1][0], pairwise_len,
              "pairwise_key_server_to_client");
}

static void check_layer(const osc_layer_result *layer, const char *prefix,
                        const char *plaintext, bool signed_layer)
{
    char name[64];
    CHECK_EQ(layer->status, OSC_OK);
    snprintf(name, sizeof name, "%snonce", prefix);
    check_vec(layer->nonce, layer->nonce_len, name);
    snprintf(name, sizeof name, "%sAAD_enc_structure", prefix);
    check_vec(layer->aad, layer->aad_len, name);
    check_vec(layer->plaintext, layer->plaintext_len, plaintext);
    if (signed_layer) {
        CHECK_EQ(layer->signature_status, OSC_OK);
        snprintf(name, sizeof name, "%ssignature", prefix);
        check_vec(layer->signature, layer->signature_len, name);
    }
}

/* Group-mode request and both responses: protected byte for byte, then
 * removed by an observer that holds no private key. */
static void test_group_mode(const osc_group_context *group,
                            const osc_group_context *observer)
{
    static uint8_t work[3][8192];
    uint8_t raw[512], wire[512];
    osc_coap_message get;
    memset(&get, 0, sizeof get);
    get.type = OSC_COAP_TYPE_NON;
    get.code = OSC_COAP_CODE_GET;
    get.message_id = 0x5d1f;
    get.token_length = 4;
    memcpy(get.token, "\x00\x00\x39\x74", 4);
    CHECK_EQ(osc_coap_add_option(&get, 11, (const uint8_t *)"tv1", 3), OSC_OK);
    osc_group_protect_params params;
    memset(&params, 0, sizeof params);
    params.group = group;
    params.sequence_number = 5;
    osc_coap_message request, response;
    osc_request_binding binding;
    CHECK_EQ(osc_group_protect(&get, &params, work[0], sizeof work[0], &request,
                               &binding),
             OSC_OK);
    check_message(&request, "req_protected_coap");

    osc_coap_message on_wire =
        parse_vec("req_protected_coap", wire, sizeof wire);
    osc_layer_result layer;
    CHECK_EQ(osc_group_unprotect(&on_wire, observer, NULL, work[1],
                                 sizeof work[1], &layer),
             OSC_OK);
    check_layer(&layer, "req_", "req_plaintext", true);
    osc_request_binding observed = layer.binding;

    osc_coap_message content;
    memset(&content, 0, sizeof content);
    content.type = OSC_COAP_TYPE_NON;
    content.code = OSC_COAP_CODE_CONTENT;
    content.token_length = 4;
    memcpy(content.token, "\x00\x00\x39\x74", 4);
    content.payload = (const uint8_t *)"Hello World!";
    content.payload_length = 12;
    for (int with_piv = 0; with_piv < 2; with_piv++) {
        content.message_id = (uint16_t)(0x7a10 + with_piv);
        memset(&params, 0, sizeof params);
        params.group = group;
        params.sender = 1;
        params.request = &binding;
        params.response_with_piv = with_piv;
        CHECK_EQ(osc_group_protect(&content, &params, work[2], sizeof work[2],
                                   &response, NULL),
                 OSC_OK);
        const char *message =
            with_piv ? "resp2_protected_coap" : "resp1_protected_coap";
        check_message(&response, message);
        osc_coap_message resp = parse_vec(message, raw, sizeof raw);
        CHECK_EQ(osc_group_unprotect(&resp, NULL, &observed, work[1],
                                     sizeof work[1], &layer),
                 OSC_OK);
        check_layer(&layer, with_piv ? "resp2_" : "resp1_", "resp_plaintext",
                    true);
        CHECK_EQ(layer.sender_member, 1);
    }
}

/* Pairwise request and response: the server finds itself as recipient,
 * the client opens the response with the request's binding. */
static void test_pairwise_mode(const osc_group_context *group)
{
    static uint8_t work[3][8192];
    uint8_t wire[512];
    osc_coap_message on_wire =
        parse_vec("pw_req_protected_coap", wire, sizeof wire);
    osc_layer_result layer;
    CHECK_EQ(osc_group_unprotect(&on_wire, group, NULL, work[0], sizeof work[0],
                                 &layer),
             OSC_OK);
    check_layer(&layer, "pw_req_", "req_plaintext", false);
    CHECK(!layer.group_mode);
    CHECK_EQ(layer.recipient_member, 1);

    /* The server protects its answer exactly as the vectors. */
    osc_coap_message content;
    memset(&content, 0, sizeof content);
    content.type = OSC_COAP_TYPE_ACK;
    content.code = OSC_COAP_CODE_CONTENT;
    content.message_id = 0x5d20;
    content.token_length = 4;
    memcpy(content.token, "\x00\x00\x39\x75", 4);
    content.payload = (const uint8_t *)"Hello World!";
    content.payload_length = 12;
    osc_group_protect_params params;
    memset(&params, 0, sizeof params);
    params.group = group;
    params.sender = 1;
    params.pairwise = true;
    params.request = &layer.binding;
    osc_coap_message response;
    CHECK_EQ(osc_group_protect(&content, &params, work[1], sizeof work[1],
                               &response, NULL),
             OSC_OK);
    check_message(&response, "pw_resp_protected_coap");
    uint8_t resp_wire[512];
    osc_coap_message resp =
        parse_vec("pw_resp_protected_coap", resp_wire, sizeof resp_wire);
    osc_layer_result resp_layer;
    CHECK_EQ(osc_group_unprotect(&resp, NULL, &layer.binding, work[2],
                                 sizeof work[2], &resp_layer),
             OSC_OK);
    check_layer(&resp_layer, "pw_resp_", "resp_plaintext", false);
}

/* A forged signature, a wrong Gid and an unknown member: no plaintext. */
static void test_refusals(const osc_group_context *group)
{
    static uint8_t work[8192];
    uint8_t wire[512];
    size_t len = vec("req_protected_coap", wire, sizeof wire);
    osc_coap_message msg;
    osc_layer_result layer;
    wire[len - 1] ^= 0x01; /* last byte of the encrypted signature */
    CHECK_EQ(osc_coap_parse(wire, len, OSC_COAP_FRAMING_UDP, &msg), OSC_OK);
    CHECK_EQ(osc_group_unprotect(&msg, group, NULL, work, sizeof work, &layer),
             OSC_ERR_SIGNATURE_INVALID);
    CHECK(layer.plaintext == NULL && layer.plaintext_len == 0);
    wire[len - 1] ^= 0x01;
    /* With CTR, a flipped ciphertext byte is caught by the signature too. */
    wire[len - 65] ^= 0x80;
    CHECK_EQ(osc_coap_parse(wire, len, OSC_COAP_FRAMING_UDP, &msg), OSC_OK);
    CHECK_EQ(osc_group_unprotect(&msg, group, NULL, work, sizeof work, &layer),
             OSC_ERR_SIGNATURE_INVALID);
    CHECK(layer.plaintext == NULL);
    wire[len - 65] ^= 0x80;

    osc_group_params p = case_params(false);
    p.gid[0] ^= 0xff;
    osc_group_context other;
    CHECK_EQ(osc_group_context_derive(&p, &other), OSC_OK);
    CHECK_EQ(osc_coap_parse(wire, len, OSC_COAP_FRAMING_UDP, &msg), OSC_OK);
    CHECK_EQ(osc_group_unprotect(&msg, &other, NULL, work, sizeof work, &layer),
             OSC_ERR_NO_CONTEXT);
    p = case_params(false);
    p.members[0] = p.members[1]; /* the client is not a member */
    p.member_count = 1;
    CHECK_EQ(osc_group_context_derive(&p, &other), OSC_OK);
    CHECK_EQ(osc_group_unprotect(&msg, &other, NULL, work, sizeof work, &layer),
             OSC_ERR_UNKNOWN_MEMBER);
}

static void test_case(const char *name)
{
    case_name = name;
    osc_group_params with_keys = case_params(true);
    osc_group_params public_only = case_params(false);
    static osc_group_context group, observer;
    CHECK_EQ(osc_group_context_derive(&with_keys, &group), OSC_OK);
    CHECK_EQ(osc_group_context_derive(&public_only, &observer), OSC_OK);
    test_derivation(&group);
    test_group_mode(&group, &observer);
    test_pairwise_mode(&group);
    test_refusals(&observer);
}

/* One group request and response in group mode, then one pairwise
 * exchange, protected by the members and removed by an observer (group
 * mode) or the other member (pairwise mode). */
static void round_trip(const osc_group_context *group,
                       const osc_group_context *observer, const char *what)
{
    static uint8_t work[4][8192];
    osc_coap_message get;
    memset(&get, 0, sizeof get);
    get.type = OSC_COAP_TYPE_NON;
    get.code = OSC_COAP_CODE_GET;
    get.token_length = 1;
    CHECK_EQ(osc_coap_add_option(&get, 11, (const uint8_t *)"rt", 2), OSC_OK);
    for (int pairwise = 0; pairwise < 2; pairwise++) {
        osc_group_protect_params params;
        memset(&params, 0, sizeof params);
        params.group = group;
        params.pairwise = pairwise;
        params.recipient = 1;
        params.sequence_number = 7 + (uint64_t)pairwise;
        osc_coap_message request, response;
        osc_request_binding binding;
        osc_layer_result layer, resp_layer;
        const osc_group_context *reader = pairwise ? group : observer;
        bool ok = osc_group_protect(&get, &params, work[0], sizeof work[0],
                                    &request, &binding) == OSC_OK &&
                  osc_group_unprotect(&request, reader, NULL, work[1],
                                      sizeof work[1], &layer) == OSC_OK &&
                  layer.plaintext_len == 4 && layer.group_mode == !pairwise;
        osc_coap_message content = get;
        content.code = OSC_COAP_CODE_CONTENT;
        content.option_count = 0;
        content.payload = (const uint8_t *)"ok";
        content.payload_length = 2;
        params.sender = 1;
        params.request = &binding;
        params.response_with_piv = !pairwise;
        ok = ok &&
             osc_group_protect(&content, &params, work[2], sizeof work[2],
                               &response, NULL) == OSC_OK &&
             osc_group_unprotect(&response, NULL, &layer.binding, work[3],
                                 sizeof work[3], &resp_layer) == OSC_OK &&
             resp_layer.plaintext_len == 4;
        if (!CHECK(ok))
            fprintf(stderr, "round trip failed: %s, %s mode\n", what,
                    pairwise ? "pairwise" : "group");
    }
}

/* Every Group Encryption Algorithm (each AEAD, A128CTR, A192CTR,
 * A256CTR) with each signature algorithm and its curve's pairwise keys,
 * the AEAD Algorithm cycling through the AEAD table. */
static void test_round_trips(void)
{
    static const char *const curves[2] = {"eddsa_ctr", "es256_ctr"};
    static const int ctr[3] = {OSC_CIPHER_A128CTR, OSC_CIPHER_A192CTR,
                               OSC_CIPHER_A256CTR};
    size_t aead_count = osc_aead_count();
    for (int c = 0; c < 2; c++) {
        case_name = curves[c];
        for (size_t i = 0; i < aead_count + 3; i++) {
            osc_group_params with_keys = case_params(true);
            osc_group_params public_only = case_params(false);
            int enc =
                i < aead_count ? osc_aead_at(i)->cose_id : ctr[i - aead_count];
            int aead = osc_aead_at(i % aead_count)->cose_id;
            with_keys.group_enc_id = public_only.group_enc_id = enc;
            with_keys.aead_id = public_only.aead_id = aead;
            static osc_group_context group, observer;
            char what[96];
            snprintf(what, sizeof what, "%s, group_enc %d, aead %d", case_name,
                     enc, aead);
            if (!CHECK(osc_group_context_derive(&with_keys, &group) == OSC_OK &&
                       osc_group_context_derive(&public_only, &observer) ==
                           OSC_OK)) {
                fprintf(stderr, "derivation failed: %s\n", what);
                continue;
            }
            round_trip(&group, &observer, what);
        }
    }
}

/* Configurations RFC 10021 does not allow, or this engine does not
 * support, are refused when the context is derived. */
static void test_configuration_refusals(void)
{
    static osc_group_context group;
    case_name = "es256_ctr";
    osc_group_params p = case_params(true);
    /* CTR provides no integrity: never the AEAD Algorithm (pairwise). */
    p.aead_id = OSC_CIPHER_A128CTR;
    CHECK_EQ(osc_group_context_derive(&p, &group), OSC_ERR_UNKNOWN_AEAD);
    /* Without an AEAD Algorithm there is no pairwise mode. */
    p.aead_id = 0;
    p.pairwise_ka_alg = 0;
    CHECK_EQ(osc_group_context_derive(&p, &group), OSC_OK);
    osc_coap_message get;
    memset(&get, 0, sizeof get);
    get.type = OSC_COAP_TYPE_NON;
    get.code = OSC_COAP_CODE_GET;
    osc_group_protect_params params;
    memset(&params, 0, sizeof params);
    params.group = &group;
    params.pairwise = true;
    params.recipient = 1;
    static uint8_t work[8192];
    osc_coap_message out;
    CHECK_EQ(osc_group_protect(&get, &params, work, sizeof work, &out, NULL),
             OSC_ERR_GROUP_UNSUPPORTED);
    /* ES256 with an Ed25519 credential, and the other way round. */
    case_name = "eddsa_ctr";
    osc_group_params ed = case_params(false);
    case_name = "es256_ctr";
    p = case_params(false);
    p.members[1].credential_len = ed.members[1].credential_len;
    memcpy(p.members[1].credential, ed.members[1].credential,
           ed.members[1].credential_len);
    CHECK_EQ(osc_group_context_derive(&p, &group),
             OSC_ERR_CREDENTIAL_WRONG_CURVE);
    p.signature_alg = OSC_SIGNATURE_EDDSA;
    CHECK_EQ(osc_group_context_derive(&p, &group),
             OSC_ERR_CREDENTIAL_WRONG_CURVE);
    /* Pairwise only (no signature), members of two curves. */
    p.signature_alg = 0;
    p.group_enc_id = 0;
    p.members[0].has_private_key = true;
    CHECK_EQ(osc_group_context_derive(&p, &group),
             OSC_ERR_CREDENTIAL_WRONG_CURVE);
    /* ES384 and X.509 credentials are not supported. */
    p = case_params(false);
    p.signature_alg = -35;
    CHECK_EQ(osc_group_context_derive(&p, &group), OSC_ERR_GROUP_UNSUPPORTED);
    p = case_params(false);
    static const uint8_t x509[] = {0x30, 0x82, 0x01, 0x0a, 0x02, 0x01, 0x00};
    memcpy(p.members[0].credential, x509, sizeof x509);
    p.members[0].credential_len = sizeof x509;
    CHECK_EQ(osc_group_context_derive(&p, &group),
             OSC_ERR_CREDENTIAL_UNSUPPORTED);
    /* A P-256 private scalar of zero is no key. */
    p = case_params(true);
    memset(p.members[0].private_key, 0, 32);
    CHECK(osc_group_context_derive(&p, &group) != OSC_OK);
}

/* The ES256 primitives: a signature verifies, a changed message does not,
 * and a point off the curve is refused in ECDH. */
static void test_p256_primitives(void)
{
    case_name = "es256_ctr";
    uint8_t d[32], public_key[64], derived[64], signature[64], shared[32];
    vec("private_client", d, sizeof d);
    vec("pub_client", public_key, sizeof public_key);
    CHECK_EQ(osc_p256_public_from_private(d, derived), OSC_OK);
    CHECK_BYTES(derived, 64, public_key, 64, "P-256 public key");
    static const uint8_t message[] = "sample";
    CHECK_EQ(osc_es256_sign(d, message, 6, signature), OSC_OK);
    CHECK_EQ(osc_es256_verify(public_key, message, 6, signature), OSC_OK);
    CHECK_EQ(osc_es256_verify(public_key, message, 5, signature),
             OSC_ERR_SIGNATURE_INVALID);
    /* RFC 6979 A.2.5, P-256 with SHA-256, message "sample". */
    uint8_t want[64];
    hex_to_bytes(
        "efd48b2aacb6a8fd1140dd9cd45e81d69d2c877b56aaf991c34d0ea84eaf3716"
        "f7cb1c942d657c41d436c7a1b6e29f65f3e900dbb9aff4064dc4ab2f843acda8",
        want, sizeof want);
    CHECK_BYTES(signature, 64, want, 64, "RFC 6979 A.2.5 signature");
    public_key[63] ^= 0x01;
    CHECK_EQ(osc_p256_shared_secret(d, public_key, shared),
             OSC_ERR_INVALID_ARGUMENT);
    CHECK_EQ(osc_es256_verify(public_key, message, 6, signature),
             OSC_ERR_SIGNATURE_INVALID);
}

int main(int argc, char **argv)
{
    tests_init(argc, argv);
    vectors = vectors_load_object("../data/group-algorithms/"
                                  "group-algorithms.json");
    test_p256_primitives();
    test_case("es256_ctr");
    test_case("es256_gcm");
    test_case("eddsa_ctr");
    test_round_trips();
    test_configuration_refusals();
    vectors_free(vectors);
    return tests_finish();
}
