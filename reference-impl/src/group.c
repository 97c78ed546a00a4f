/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Group OSCORE (RFC 10021): group context derivation, group mode
 * (encrypt, then countersign; the signature travels encrypted with a
 * keystream) and pairwise mode, as one layer.
 */
#include "oscore/group.h"

#include <string.h>

#include "layer_internal.h"
#include "oscore/cbor.h"
#include "oscore/cose.h"
#include "oscore/layering.h"
#include "oscore/options.h"

/* Room for the largest group AAD: fixed parts, a Gid, an OSCORE option
 * value and two credentials. */
#define GROUP_AAD_MAX                                                          \
    (64 + OSC_MAX_ID_CONTEXT_LEN + 270 + 2 * (OSC_MAX_CREDENTIAL_LEN + 3))
#define OPTION_VALUE_MAX (1 + OSC_MAX_PIV_LEN + 1 + 255 + OSC_MAX_ID_LEN)

static const char counter_signature_context[] = "CounterSignature0";

void osc_group_params_init(osc_group_params *params)
{
    memset(params, 0, sizeof *params);
    params->hkdf = OSC_HKDF_SHA256;
}

size_t osc_group_find_member(const osc_group_context *group, const uint8_t *id,
                             size_t id_len)
{
    for (size_t i = 0; i < group->member_count; i++)
        if (group->members[i].id_len == id_len &&
            memcmp(group->members[i].id, id, id_len) == 0)
            return i;
    return OSC_GROUP_NO_MEMBER;
}

/* Reads an integer map key or value (major type 0 or 1). */
static bool read_int(const uint8_t *buf, size_t len, int64_t *value,
                     size_t *item_len)
{
    uint8_t major;
    uint64_t argument;
    if (osc_cbor_read_head(buf, len, &major, &argument, item_len) != OSC_OK ||
        major > 1 || argument > INT64_MAX)
        return false;
    *value = major == 0 ? (int64_t)argument : -1 - (int64_t)argument;
    return true;
}

/* Finds the value of integer key `key` in the map at buf. */
static bool map_lookup(const uint8_t *buf, size_t len, int64_t key,
                       const uint8_t **value, size_t *value_len)
{
    uint8_t major;
    uint64_t count;
    size_t head_len;
    if (osc_cbor_read_head(buf, len, &major, &count, &head_len) != OSC_OK ||
        major != 5)
        return false;
    size_t pos = head_len;
    for (uint64_t i = 0; i < count; i++) {
        int64_t entry_key;
        size_t key_len, entry_len;
        if (!read_int(buf + pos, len - pos, &entry_key, &key_len))
            return false;
        pos += key_len;
        if (osc_cbor_item_size(buf + pos, len - pos, &entry_len) != OSC_OK)
            return false;
        if (entry_key == key) {
            *value = buf + pos;
            *value_len = entry_len;
            return true;
        }
        pos += entry_len;
    }
    return false;
}

osc_status osc_group_credential_public_key(const uint8_t *credential,
                                           size_t credential_len,
                                           uint8_t key[OSC_ED25519_KEY_LEN])
{
    /* CCS: {8 (cnf): {1 (COSE_Key): {1 (kty): 1 (OKP), -1 (crv): 6
     * (Ed25519), -2 (x): bstr}}} */
    const uint8_t *cnf, *cose_key, *item;
    size_t cnf_len, cose_key_len, item_len, head_len;
    int64_t number;
    if (!map_lookup(credential, credential_len, 8, &cnf, &cnf_len) ||
        !map_lookup(cnf, cnf_len, 1, &cose_key, &cose_key_len))
        return OSC_ERR_CREDENTIAL_MALFORMED;
    if (!map_lookup(cose_key, cose_key_len, 1, &item, &item_len) ||
        !read_int(item, item_len, &number, &head_len) || number != 1)
        return OSC_ERR_CREDENTIAL_MALFORMED; /* kty must be OKP */
    if (!map_lookup(cose_key, cose_key_len, -1, &item, &item_len) ||
        !read_int(item, item_len, &number, &head_len) || number != 6)
        return OSC_ERR_CREDENTIAL_MALFORMED; /* crv must be Ed25519 */
    const uint8_t *x;
    size_t x_len, x_item_len;
    if (!map_lookup(cose_key, cose_key_len, -2, &item, &item_len) ||
        osc_cbor_read_bstr(item, item_len, &x, &x_len, &x_item_len) != OSC_OK ||
        x_len != OSC_ED25519_KEY_LEN)
        return OSC_ERR_CREDENTIAL_MALFORMED;
    memcpy(key, x, OSC_ED25519_KEY_LEN);
    return OSC_OK;
}

/* The algorithm Sender/Recipient Keys and the Common IV are derived for
 * (RFC 10021 2.3): the Group Encryption Algorithm when set. */
static const osc_aead_alg *key_algorithm(const osc_group_context *group)
{
    return group->group_enc ? group->group_enc : group->aead;
}

static osc_status derive(const osc_group_params *params, const uint8_t *id,
                         size_t id_len, int alg_id, const char *type,
                         size_t out_len, uint8_t *out)
{
    uint8_t info[OSC_MAX_ID_CONTEXT_LEN + 64];
    size_t info_len;
    osc_status status =
        osc_context_info(id, id_len, true, params->gid, params->gid_len, alg_id,
                         type, out_len, info, sizeof info, &info_len);
    if (status != OSC_OK)
        return status;
    return osc_hkdf(params->hkdf, params->master_salt, params->master_salt_len,
                    params->master_secret, params->master_secret_len, info,
                    info_len, out, out_len);
}

static osc_status derive_pairwise_keys(osc_group_context *group)
{
    for (size_t i = 0; i < group->member_count; i++) {
        for (size_t j = 0; j < group->member_count; j++) {
            const osc_group_member *from = &group->members[i];
            const osc_group_member *to = &group->members[j];
            if (i == j || !(from->has_private_key || to->has_private_key))
                continue;
            /* Either side's private key with the other's public key gives
             * the same shared secret. */
            uint8_t peer_u[OSC_X25519_LEN], shared[OSC_X25519_LEN];
            const osc_group_member *own = from->has_private_key ? from : to;
            const osc_group_member *peer = own == from ? to : from;
            osc_status status =
                osc_x25519_public_from_ed25519(peer->public_key, peer_u);
            if (status == OSC_OK)
                status =
                    osc_x25519_shared_secret(own->private_key, peer_u, shared);
            if (status != OSC_OK)
                return status;

            /* IKM = sender credential || recipient credential || secret,
             * salt = the sender's key, info names the sender (RFC 10021 2.5.1).
             */
            uint8_t ikm[2 * OSC_MAX_CREDENTIAL_LEN + OSC_X25519_LEN];
            size_t ikm_len = 0;
            memcpy(ikm, from->credential, from->credential_len);
            ikm_len += from->credential_len;
            memcpy(ikm + ikm_len, to->credential, to->credential_len);
            ikm_len += to->credential_len;
            memcpy(ikm + ikm_len, shared, sizeof shared);
            ikm_len += sizeof shared;

            uint8_t info[OSC_MAX_ID_CONTEXT_LEN + 64];
            size_t info_len;
            status = osc_context_info(from->id, from->id_len, true, group->gid,
                                      group->gid_len, group->aead->cose_id,
                                      "Key", group->aead->key_len, info,
                                      sizeof info, &info_len);
            if (status == OSC_OK)
                status = osc_hkdf(group->hkdf, from->key,
                                  key_algorithm(group)->key_len, ikm, ikm_len,
                                  info, info_len, group->pairwise_key[i][j],
                                  group->aead->key_len);
            memset(shared, 0, sizeof shared);
            memset(ikm, 0, sizeof ikm);
            if (status != OSC_OK)
                return status;
            group->has_pairwise_key[i][j] = true;
        }
    }
    return OSC_OK;
}

osc_status osc_group_context_derive(const osc_group_params *params,
                                    osc_group_context *out)
{
    if (params->member_count > OSC_GROUP_MAX_MEMBERS)
        return OSC_ERR_TOO_MANY_MEMBERS;
    if (params->gid_len > OSC_MAX_ID_CONTEXT_LEN ||
        params->master_secret_len > OSC_MAX_SECRET_LEN ||
        params->master_salt_len > OSC_MAX_SALT_LEN ||
        params->gm_credential_len > OSC_MAX_CREDENTIAL_LEN)
        return OSC_ERR_INVALID_ARGUMENT;
    if (params->signature_alg != 0 &&
        params->signature_alg != OSC_SIGNATURE_EDDSA)
        return OSC_ERR_GROUP_UNSUPPORTED;
    if (params->pairwise_ka_alg != 0 &&
        params->pairwise_ka_alg != OSC_PAIRWISE_ECDH_SS_HKDF_256)
        return OSC_ERR_GROUP_UNSUPPORTED;

    osc_group_context *group = out;
    memset(group, 0, sizeof *group);
    group->hkdf = params->hkdf;
    if (params->aead_id != 0 &&
        !(group->aead = osc_aead_by_id(params->aead_id)))
        return OSC_ERR_UNKNOWN_AEAD;
    if (params->group_enc_id != 0 &&
        !(group->group_enc = osc_aead_by_id(params->group_enc_id)))
        return OSC_ERR_GROUP_UNSUPPORTED; /* e.g. A128CTR: not an AEAD */
    if (!group->aead && !group->group_enc)
        return OSC_ERR_UNKNOWN_AEAD;
    if (group->group_enc && params->signature_alg == 0)
        return OSC_ERR_GROUP_UNSUPPORTED; /* group mode needs signatures */
    group->signature_alg = params->signature_alg;
    group->pairwise_ka_alg = params->pairwise_ka_alg;
    memcpy(group->gid, params->gid, params->gid_len);
    group->gid_len = params->gid_len;
    memcpy(group->gm_credential, params->gm_credential,
           params->gm_credential_len);
    group->gm_credential_len = params->gm_credential_len;

    const osc_aead_alg *alg = key_algorithm(group);
    /* Common IV as long as the longest nonce of the set algorithms. */
    size_t iv_len = alg->nonce_len;
    if (group->aead && group->aead->nonce_len > iv_len)
        iv_len = group->aead->nonce_len;
    /* IDs must fit the shortest nonce. */
    size_t max_id = alg->nonce_len - 6;
    if (group->aead && group->aead->nonce_len - 6 < max_id)
        max_id = group->aead->nonce_len - 6;

    osc_status status =
        derive(params, NULL, 0, alg->cose_id, "IV", iv_len, group->common_iv);
    if (status == OSC_OK && group->group_enc) {
        group->signature_key_len = group->group_enc->key_len;
        status = derive(params, NULL, 0, group->group_enc->cose_id, "SEKey",
                        group->signature_key_len, group->signature_key);
    }
    for (size_t i = 0; status == OSC_OK && i < params->member_count; i++) {
        const osc_group_member_params *in = &params->members[i];
        osc_group_member *member = &group->members[i];
        if (in->id_len > max_id)
            return OSC_ERR_ID_TOO_LONG;
        if (in->credential_len > OSC_MAX_CREDENTIAL_LEN)
            return OSC_ERR_INVALID_ARGUMENT;
        memcpy(member->id, in->id, in->id_len);
        member->id_len = in->id_len;
        memcpy(member->credential, in->credential, in->credential_len);
        member->credential_len = in->credential_len;
        member->has_private_key = in->has_private_key;
        memcpy(member->private_key, in->private_key, OSC_ED25519_KEY_LEN);
        status = osc_group_credential_public_key(
            in->credential, in->credential_len, member->public_key);
        if (status == OSC_OK)
            status = derive(params, in->id, in->id_len, alg->cose_id, "Key",
                            alg->key_len, member->key);
        group->member_count = i + 1;
    }
    if (status == OSC_OK && group->aead && group->pairwise_ka_alg != 0)
        status = derive_pairwise_keys(group);
    return status;
}

static void put_optional_alg(osc_cbor_writer *w, int id)
{
    if (id == 0)
        osc_cbor_put_null(w);
    else
        osc_cbor_put_int(w, id);
}

static void
put_group_aad_array(osc_cbor_writer *w, const osc_group_context *group,
                    const uint8_t *request_kid, size_t request_kid_len,
                    const uint8_t *request_piv, size_t request_piv_len,
                    const uint8_t *oscore_option, size_t oscore_option_len,
                    const uint8_t *sender_credential,
                    size_t sender_credential_len)
{
    osc_cbor_put_array(w, 9);
    osc_cbor_put_uint(w, 1);
    osc_cbor_put_array(w, 4);
    put_optional_alg(w, group->aead ? group->aead->cose_id : 0);
    put_optional_alg(w, group->group_enc ? group->group_enc->cose_id : 0);
    put_optional_alg(w, group->signature_alg);
    put_optional_alg(w, group->pairwise_ka_alg);
    osc_cbor_put_bstr(w, request_kid, request_kid_len);
    osc_cbor_put_bstr(w, request_piv, request_piv_len);
    osc_cbor_put_bstr(w, NULL, 0); /* no Class I options */
    osc_cbor_put_bstr(w, group->gid, group->gid_len);
    osc_cbor_put_bstr(w, oscore_option, oscore_option_len);
    osc_cbor_put_bstr(w, sender_credential, sender_credential_len);
    osc_cbor_put_bstr(w, group->gm_credential, group->gm_credential_len);
}

osc_status osc_group_aad(const osc_group_context *group,
                         const uint8_t *request_kid, size_t request_kid_len,
                         const uint8_t *request_piv, size_t request_piv_len,
                         const uint8_t *oscore_option, size_t oscore_option_len,
                         const uint8_t *sender_credential,
                         size_t sender_credential_len, uint8_t *out, size_t cap,
                         size_t *written, size_t *external_aad_offset)
{
    osc_cbor_writer sizer;
    osc_cbor_writer_init(&sizer, NULL, 0);
    put_group_aad_array(&sizer, group, request_kid, request_kid_len,
                        request_piv, request_piv_len, oscore_option,
                        oscore_option_len, sender_credential,
                        sender_credential_len);
    size_t array_len = sizer.length;

    osc_cbor_writer w;
    osc_cbor_writer_init(&w, out, cap);
    osc_cbor_put_array(&w, 3);
    osc_cbor_put_tstr(&w, "Encrypt0", 8);
    osc_cbor_put_bstr(&w, NULL, 0);
    *external_aad_offset = w.length;
    osc_cbor_put_bstr_head(&w, array_len);
    put_group_aad_array(&w, group, request_kid, request_kid_len, request_piv,
                        request_piv_len, oscore_option, oscore_option_len,
                        sender_credential, sender_credential_len);
    *written = w.length;
    return w.status;
}

/*
 * ToBeSigned of the countersignature: ["CounterSignature0", h'', h'',
 * external_aad, ciphertext], or without the second h'' in the short form
 * (RFC 10021 3.1, with the Countersignature0 structure of RFC 9338). The
 * text of RFC 9338 leaves sign_protected out of the abbreviated form, but
 * the implementations that interoperate on Group OSCORE (aiocoap,
 * Californium) sign the five-element array with an empty sign_protected,
 * so both forms are built.
 */
static osc_status to_be_signed(const uint8_t *external_aad,
                               size_t external_aad_len,
                               const uint8_t *ciphertext, size_t ciphertext_len,
                               bool short_form, uint8_t *out, size_t cap,
                               size_t *written)
{
    osc_cbor_writer w;
    osc_cbor_writer_init(&w, out, cap);
    osc_cbor_put_array(&w, short_form ? 4 : 5);
    osc_cbor_put_tstr(&w, counter_signature_context,
                      sizeof counter_signature_context - 1);
    osc_cbor_put_bstr(&w, NULL, 0); /* body_protected */
    if (!short_form)
        osc_cbor_put_bstr(&w, NULL, 0);                   /* sign_protected */
    osc_cbor_put_raw(&w, external_aad, external_aad_len); /* a bstr */
    osc_cbor_put_bstr(&w, ciphertext, ciphertext_len);
    *written = w.length;
    return w.status;
}

/* KEYSTREAM = HKDF(salt = PIV, IKM = Signature Encryption Key,
 * info = [id, Gid, is_request, L], L) (RFC 10021 4.2). */
static osc_status keystream(const osc_group_context *group, const uint8_t *piv,
                            size_t piv_len, const uint8_t *id, size_t id_len,
                            bool is_request, uint8_t *out, size_t out_len)
{
    uint8_t info[OSC_MAX_ID_CONTEXT_LEN + 32];
    osc_cbor_writer w;
    osc_cbor_writer_init(&w, info, sizeof info);
    osc_cbor_put_array(&w, 4);
    osc_cbor_put_bstr(&w, id, id_len);
    osc_cbor_put_bstr(&w, group->gid, group->gid_len);
    osc_cbor_put_bool(&w, is_request);
    osc_cbor_put_uint(&w, out_len);
    if (w.status != OSC_OK)
        return w.status;
    return osc_hkdf(group->hkdf, piv, piv_len, group->signature_key,
                    group->signature_key_len, info, w.length, out, out_len);
}

/* Bytes of code, options and payload in's plaintext can take. */
static size_t body_bound(const osc_coap_message *in)
{
    size_t body = 1 + 1 + in->payload_length; /* code, marker */
    for (size_t i = 0; i < in->option_count; i++)
        body += 5 + in->options[i].length;
    return body;
}

size_t osc_group_protect_work_size(const osc_coap_message *in)
{
    size_t body = body_bound(in);
    /* option value | AAD | ciphertext, tag, signature | ToBeSigned */
    return OPTION_VALUE_MAX + GROUP_AAD_MAX +
           (body + OSC_MAX_TAG_LEN + OSC_ED25519_SIGNATURE_LEN) +
           (GROUP_AAD_MAX + body + OSC_MAX_TAG_LEN + 32);
}

osc_status osc_group_protect(const osc_coap_message *in,
                             const osc_group_protect_params *params,
                             uint8_t *work, size_t work_cap,
                             osc_coap_message *out,
                             osc_request_binding *binding)
{
    const osc_group_context *group = params->group;
    bool is_request = osc_message_is_request(in);
    if (!group || params->sender >= group->member_count)
        return OSC_ERR_INVALID_ARGUMENT;
    if (!is_request && (!params->request || params->request->group != group))
        return OSC_ERR_NO_REQUEST_BINDING;
    if (work_cap < osc_group_protect_work_size(in))
        return OSC_ERR_BUFFER_TOO_SMALL;

    const osc_group_member *sender = &group->members[params->sender];
    bool pairwise = params->pairwise;
    size_t recipient = params->recipient;
    if (!is_request && pairwise)
        recipient = params->request->requester_member;
    const osc_aead_alg *alg = pairwise ? group->aead : group->group_enc;
    if (!alg)
        return OSC_ERR_GROUP_UNSUPPORTED;
    const uint8_t *key;
    if (pairwise) {
        if (recipient >= group->member_count ||
            !group->has_pairwise_key[params->sender][recipient])
            return OSC_ERR_NO_PRIVATE_KEY;
        key = group->pairwise_key[params->sender][recipient];
    } else {
        if (!sender->has_private_key)
            return OSC_ERR_NO_PRIVATE_KEY;
        key = sender->key;
    }

    size_t body = body_bound(in);
    uint8_t *option_value = work;
    uint8_t *aad = option_value + OPTION_VALUE_MAX;
    uint8_t *plaintext = aad + GROUP_AAD_MAX;
    size_t plaintext_cap = body + OSC_MAX_TAG_LEN + OSC_ED25519_SIGNATURE_LEN;
    uint8_t *signed_bytes = plaintext + plaintext_cap;
    size_t signed_cap = GROUP_AAD_MAX + body + OSC_MAX_TAG_LEN + 32;

    size_t plaintext_len;
    bool has_observe;
    osc_status status = osc_layer_build_plaintext(
        in, is_request, params->escalated, params->escalated_count, out,
        plaintext, plaintext_cap, &plaintext_len, &has_observe);
    if (status != OSC_OK)
        return status;

    /* Option value, nonce and AAD binding. */
    osc_option_value value;
    memset(&value, 0, sizeof value);
    value.group_flag = !pairwise;
    uint8_t piv[OSC_MAX_PIV_LEN];
    size_t piv_len = 0;
    uint8_t nonce[OSC_MAX_NONCE_LEN];
    bool own_piv = is_request || params->response_with_piv;
    if (own_piv) {
        piv_len = osc_piv_from_sequence(params->sequence_number, piv);
        if (piv_len == 0)
            return OSC_ERR_PIV_EXHAUSTED;
        value.piv = piv;
        value.piv_len = piv_len;
        status = osc_nonce(group->common_iv, alg->nonce_len, sender->id,
                           sender->id_len, piv, piv_len, nonce);
        if (status != OSC_OK)
            return status;
    } else {
        if (params->request->nonce_len != alg->nonce_len)
            return OSC_ERR_NO_REQUEST_BINDING;
        memcpy(nonce, params->request->nonce, alg->nonce_len);
    }
    /* Requests carry kid and Gid; group-mode responses carry the kid of
     * the responder (RFC 10021 4.2). */
    if (is_request || !pairwise) {
        value.has_kid = true;
        value.kid = sender->id;
        value.kid_len = sender->id_len;
    }
    if (is_request) {
        value.has_kid_context = true;
        value.kid_context = group->gid;
        value.kid_context_len = group->gid_len;
    }
    const uint8_t *request_kid = is_request ? sender->id : params->request->kid;
    size_t request_kid_len =
        is_request ? sender->id_len : params->request->kid_len;
    const uint8_t *request_piv = is_request ? piv : params->request->piv;
    size_t request_piv_len = is_request ? piv_len : params->request->piv_len;

    size_t option_value_len;
    status = osc_option_value_encode(&value, option_value, OPTION_VALUE_MAX,
                                     &option_value_len);
    if (status != OSC_OK)
        return status;
    size_t aad_len, external_aad_offset;
    status = osc_group_aad(group, request_kid, request_kid_len, request_piv,
                           request_piv_len, option_value, option_value_len,
                           sender->credential, sender->credential_len, aad,
                           GROUP_AAD_MAX, &aad_len, &external_aad_offset);
    if (status != OSC_OK)
        return status;

    status = osc_aead_encrypt(alg, key, nonce, aad, aad_len, plaintext,
                              plaintext_len, plaintext, plaintext_cap);
    if (status != OSC_OK)
        return status;
    size_t ciphertext_len = plaintext_len + alg->tag_len;
    size_t payload_len = ciphertext_len;

    if (!pairwise) {
        size_t signed_len;
        status = to_be_signed(
            aad + external_aad_offset, aad_len - external_aad_offset, plaintext,
            ciphertext_len, false, signed_bytes, signed_cap, &signed_len);
        uint8_t signature[OSC_ED25519_SIGNATURE_LEN];
        uint8_t mask[OSC_ED25519_SIGNATURE_LEN];
        if (status == OSC_OK)
            status = osc_ed25519_sign(sender->private_key, signed_bytes,
                                      signed_len, signature);
        /* The keystream salt is the Partial IV the nonce was built from,
         * with the ID of whoever generated it. */
        if (status == OSC_OK)
            status =
                own_piv
                    ? keystream(group, piv, piv_len, sender->id, sender->id_len,
                                is_request, mask, sizeof mask)
                    : keystream(group, params->request->piv,
                                params->request->piv_len, params->request->kid,
                                params->request->kid_len, false, mask,
                                sizeof mask);
        if (status != OSC_OK)
            return status;
        if (plaintext_cap < ciphertext_len + sizeof signature)
            return OSC_ERR_BUFFER_TOO_SMALL;
        for (size_t i = 0; i < sizeof signature; i++)
            plaintext[ciphertext_len + i] = signature[i] ^ mask[i];
        payload_len += sizeof signature;
    }

    osc_layer_set_outer_code(out, is_request, has_observe);
    status = osc_coap_add_option(out, OSC_OPT_OSCORE, option_value,
                                 (uint32_t)option_value_len);
    if (status != OSC_OK)
        return status;
    out->payload = plaintext;
    out->payload_length = payload_len;

    if (binding) {
        if (is_request) {
            memset(binding, 0, sizeof *binding);
            binding->group = group;
            binding->group_mode = !pairwise;
            binding->requester_member = params->sender;
            binding->responder_member =
                pairwise ? recipient : OSC_GROUP_NO_MEMBER;
            osc_binding_set_request(binding, sender->id, sender->id_len, piv,
                                    piv_len, nonce, alg->nonce_len);
        } else {
            *binding = *params->request;
        }
    }
    return OSC_OK;
}

size_t osc_group_unprotect_work_size(const osc_coap_message *msg)
{
    /* AAD | ToBeSigned (AAD + ciphertext) | signature | plaintext */
    return GROUP_AAD_MAX + (GROUP_AAD_MAX + msg->payload_length + 64) +
           OSC_ED25519_SIGNATURE_LEN + msg->payload_length;
}

/* Verifies the decrypted countersignature against both ToBeSigned forms. */
static osc_status
verify_signature(const osc_group_member *sender, const uint8_t *external_aad,
                 size_t external_aad_len, const uint8_t *ciphertext,
                 size_t ciphertext_len, const uint8_t *signature,
                 uint8_t *scratch, size_t scratch_cap, bool *short_form)
{
    for (int form = 0; form < 2; form++) {
        size_t signed_len;
        osc_status status = to_be_signed(external_aad, external_aad_len,
                                         ciphertext, ciphertext_len, form == 1,
                                         scratch, scratch_cap, &signed_len);
        if (status != OSC_OK)
            return status;
        if (osc_ed25519_verify(sender->public_key, scratch, signed_len,
                               signature) == OSC_OK) {
            *short_form = form == 1;
            return OSC_OK;
        }
    }
    return OSC_ERR_SIGNATURE_INVALID;
}

/* Decrypts result->ciphertext with key/nonce into the plaintext area. */
static osc_status open_ciphertext(const osc_aead_alg *alg, const uint8_t *key,
                                  size_t ciphertext_len, uint8_t *plaintext,
                                  size_t plaintext_cap,
                                  osc_layer_result *result)
{
    osc_status status = osc_aead_decrypt(
        alg, key, result->nonce, result->aad, result->aad_len,
        result->ciphertext, ciphertext_len, plaintext, plaintext_cap);
    if (status != OSC_OK)
        return status;
    result->plaintext = plaintext;
    result->plaintext_len = ciphertext_len - alg->tag_len;
    return OSC_OK;
}

osc_status osc_group_unprotect(const osc_coap_message *msg,
                               const osc_group_context *group,
                               const osc_request_binding *request,
                               uint8_t *work, size_t work_cap,
                               osc_layer_result *result)
{
    const osc_coap_option *oscore;
    osc_status status = osc_layer_open(msg, result, &oscore);
    if (status != OSC_OK)
        return osc_layer_close(result, status);
    const osc_option_value *value = &result->option;
    bool is_request = result->is_request;
    if (!is_request) {
        if (!request || !request->group)
            return osc_layer_close(result, OSC_ERR_NO_REQUEST_BINDING);
        group = request->group;
    }
    if (!group)
        return osc_layer_close(result, OSC_ERR_NO_CONTEXT);
    bool group_mode = value->group_flag;
    result->group = group;
    result->group_mode = group_mode;
    const osc_aead_alg *alg = group_mode ? group->group_enc : group->aead;
    if (!alg)
        return osc_layer_close(result, OSC_ERR_GROUP_UNSUPPORTED);

    /* Who sent it, and the request data the AAD binds. */
    size_t sender_index;
    if (is_request) {
        if (value->piv_len == 0)
            return osc_layer_close(result, OSC_ERR_MISSING_PIV);
        if (!value->has_kid)
            return osc_layer_close(result, OSC_ERR_MISSING_KID);
        if (!value->has_kid_context ||
            value->kid_context_len != group->gid_len ||
            memcmp(value->kid_context, group->gid, group->gid_len) != 0)
            return osc_layer_close(result, OSC_ERR_NO_CONTEXT);
        sender_index = osc_group_find_member(group, value->kid, value->kid_len);
        if (sender_index == OSC_GROUP_NO_MEMBER)
            return osc_layer_close(result, OSC_ERR_NO_CONTEXT);
        osc_result_set_request(result, value->kid, value->kid_len, value->piv,
                               value->piv_len);
    } else {
        if (value->has_kid)
            sender_index =
                osc_group_find_member(group, value->kid, value->kid_len);
        else if (!group_mode)
            sender_index = request->responder_member;
        else
            return osc_layer_close(result, OSC_ERR_MISSING_KID);
        if (sender_index >= group->member_count)
            return osc_layer_close(result, OSC_ERR_NO_CONTEXT);
        osc_result_set_request(result, request->kid, request->kid_len,
                               request->piv, request->piv_len);
    }
    const osc_group_member *sender = &group->members[sender_index];
    result->sender_member = sender_index;

    /* Nonce: own Partial IV with the sender's ID, or the request's. */
    result->nonce_len = alg->nonce_len;
    if (value->piv_len > 0) {
        status = osc_nonce(group->common_iv, alg->nonce_len, sender->id,
                           sender->id_len, value->piv, value->piv_len,
                           result->nonce);
        if (status != OSC_OK)
            return osc_layer_close(result, status);
    } else {
        if (request->nonce_len != alg->nonce_len)
            return osc_layer_close(result, OSC_ERR_NO_REQUEST_BINDING);
        memcpy(result->nonce, request->nonce, alg->nonce_len);
    }

    size_t ciphertext_len = result->ciphertext_len;
    if (group_mode) {
        if (ciphertext_len <= OSC_ED25519_SIGNATURE_LEN + alg->tag_len)
            return osc_layer_close(result, OSC_ERR_NO_PAYLOAD);
        ciphertext_len -= OSC_ED25519_SIGNATURE_LEN;
    }
    if (work_cap < osc_group_unprotect_work_size(msg))
        return osc_layer_close(result, OSC_ERR_BUFFER_TOO_SMALL);
    uint8_t *aad = work;
    uint8_t *scratch = aad + GROUP_AAD_MAX;
    size_t scratch_cap = GROUP_AAD_MAX + msg->payload_length + 64;
    uint8_t *signature = scratch + scratch_cap;
    uint8_t *plaintext = signature + OSC_ED25519_SIGNATURE_LEN;
    size_t plaintext_cap = work_cap - (size_t)(plaintext - work);

    size_t aad_len, external_aad_offset;
    status = osc_group_aad(group, result->request_kid, result->request_kid_len,
                           result->request_piv, result->request_piv_len,
                           oscore->value, oscore->length, sender->credential,
                           sender->credential_len, aad, GROUP_AAD_MAX, &aad_len,
                           &external_aad_offset);
    if (status != OSC_OK)
        return osc_layer_close(result, status);
    result->aad = aad;
    result->aad_len = aad_len;

    if (group_mode) {
        /* Verify the countersignature before decrypting (RFC 10021 7.2). */
        uint8_t mask[OSC_ED25519_SIGNATURE_LEN];
        status =
            value->piv_len > 0
                ? keystream(group, value->piv, value->piv_len, sender->id,
                            sender->id_len, is_request, mask, sizeof mask)
                : keystream(group, request->piv, request->piv_len, request->kid,
                            request->kid_len, false, mask, sizeof mask);
        if (status != OSC_OK)
            return osc_layer_close(result, status);
        const uint8_t *encrypted = result->ciphertext + ciphertext_len;
        for (size_t i = 0; i < OSC_ED25519_SIGNATURE_LEN; i++)
            signature[i] = encrypted[i] ^ mask[i];
        result->signature = signature;
        result->signature_len = OSC_ED25519_SIGNATURE_LEN;
        result->signature_status = verify_signature(
            sender, aad + external_aad_offset, aad_len - external_aad_offset,
            result->ciphertext, ciphertext_len, signature, scratch, scratch_cap,
            &result->signature_short_form);
        if (result->signature_status != OSC_OK)
            return osc_layer_close(result, result->signature_status);
        status = open_ciphertext(alg, sender->key, ciphertext_len, plaintext,
                                 plaintext_cap, result);
    } else if (is_request) {
        /* Pairwise request: the recipient is not named; try every member
         * whose pairwise key with the sender is known. */
        status = OSC_ERR_NO_PRIVATE_KEY;
        for (size_t j = 0; j < group->member_count; j++) {
            if (!group->has_pairwise_key[sender_index][j])
                continue;
            status = open_ciphertext(alg, group->pairwise_key[sender_index][j],
                                     ciphertext_len, plaintext, plaintext_cap,
                                     result);
            if (status == OSC_OK) {
                result->recipient_member = j;
                break;
            }
        }
    } else {
        size_t requester = request->requester_member;
        if (requester >= group->member_count ||
            !group->has_pairwise_key[sender_index][requester])
            return osc_layer_close(result, OSC_ERR_NO_PRIVATE_KEY);
        result->recipient_member = requester;
        status =
            open_ciphertext(alg, group->pairwise_key[sender_index][requester],
                            ciphertext_len, plaintext, plaintext_cap, result);
    }
    if (status != OSC_OK)
        return osc_layer_close(result, status);

    if (is_request) {
        osc_request_binding *binding = &result->binding;
        binding->group = group;
        binding->group_mode = group_mode;
        binding->requester_member = sender_index;
        binding->responder_member =
            group_mode ? OSC_GROUP_NO_MEMBER : result->recipient_member;
        osc_binding_set_request(binding, value->kid, value->kid_len, value->piv,
                                value->piv_len, result->nonce,
                                result->nonce_len);
    }
    status = osc_layer_finish(msg, oscore, result);
    return osc_layer_close(result, status);
}
