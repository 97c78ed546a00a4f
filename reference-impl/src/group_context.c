/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The Group OSCORE context (RFC 10021 2): derivation of the group's keys
 * and IV, the members' credentials and the pairwise keys.
 */
#include "oscore/group.h"

#include <string.h>

#include "oscore/cbor.h"

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

/* Reads an integer member of a COSE_Key. */
static bool key_int(const uint8_t *cose_key, size_t cose_key_len, int64_t label,
                    int64_t *value)
{
    const uint8_t *item;
    size_t item_len, head_len;
    return map_lookup(cose_key, cose_key_len, label, &item, &item_len) &&
           read_int(item, item_len, value, &head_len);
}

/* Copies a byte-string member of a COSE_Key that must have len bytes. */
static bool key_bstr(const uint8_t *cose_key, size_t cose_key_len,
                     int64_t label, uint8_t *out, size_t len)
{
    const uint8_t *item, *bytes;
    size_t item_len, bytes_len, bstr_len;
    if (!map_lookup(cose_key, cose_key_len, label, &item, &item_len) ||
        osc_cbor_read_bstr(item, item_len, &bytes, &bytes_len, &bstr_len) !=
            OSC_OK ||
        bytes_len != len)
        return false;
    memcpy(out, bytes, len);
    return true;
}

osc_status osc_group_credential_public_key(const uint8_t *credential,
                                           size_t credential_len,
                                           osc_key_curve *curve,
                                           uint8_t key[OSC_MAX_PUBLIC_KEY_LEN])
{
    /* A CCS is a CBOR map; an X.509 certificate (DER, a SEQUENCE), a C509
     * certificate or a CWT (CBOR arrays, maybe tagged) are other formats
     * (RFC 10021 2.4). */
    if (credential_len > 0 && (credential[0] >> 5) != 5)
        return OSC_ERR_CREDENTIAL_UNSUPPORTED;
    /* CCS: {8 (cnf): {1 (COSE_Key): {1 (kty): 1 (OKP), -1 (crv): 6
     * (Ed25519), -2 (x): bstr}}}, or kty 2 (EC2), crv 1 (P-256), x and y
     * (RFC 9053 7.1). */
    const uint8_t *cnf, *cose_key;
    size_t cnf_len, cose_key_len;
    int64_t kty, crv;
    if (!map_lookup(credential, credential_len, 8, &cnf, &cnf_len) ||
        !map_lookup(cnf, cnf_len, 1, &cose_key, &cose_key_len) ||
        !key_int(cose_key, cose_key_len, 1, &kty) ||
        !key_int(cose_key, cose_key_len, -1, &crv))
        return OSC_ERR_CREDENTIAL_MALFORMED;
    if (kty == 1 && crv == 6 &&
        key_bstr(cose_key, cose_key_len, -2, key, OSC_ED25519_KEY_LEN)) {
        *curve = OSC_CURVE_ED25519;
        return OSC_OK;
    }
    if (kty == 2 && crv == 1 && key_bstr(cose_key, cose_key_len, -2, key, 32) &&
        key_bstr(cose_key, cose_key_len, -3, key + 32, 32)) {
        *curve = OSC_CURVE_P256;
        return OSC_OK;
    }
    return OSC_ERR_CREDENTIAL_MALFORMED;
}

osc_key_curve osc_group_signature_curve(int signature_alg)
{
    switch (signature_alg) {
    case OSC_SIGNATURE_EDDSA:
        return OSC_CURVE_ED25519;
    case OSC_SIGNATURE_ES256:
        return OSC_CURVE_P256;
    default:
        return OSC_CURVE_NONE;
    }
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
            uint8_t shared[OSC_MAX_SHARED_SECRET_LEN];
            const osc_group_member *own = from->has_private_key ? from : to;
            const osc_group_member *peer = own == from ? to : from;
            if (own->curve != peer->curve)
                return OSC_ERR_CREDENTIAL_WRONG_CURVE;
            osc_status status = osc_curve_shared_secret(
                own->curve, own->private_key, peer->public_key, shared);
            if (status != OSC_OK)
                return status;

            /* IKM = sender credential || recipient credential || secret,
             * salt = the sender's key, info names the sender (RFC 10021 2.5.1).
             */
            uint8_t ikm[2 * OSC_MAX_CREDENTIAL_LEN + OSC_MAX_SHARED_SECRET_LEN];
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

/* One member's ID, credential and keys; its credential's curve must be the
 * one of the Signature Algorithm when one is set. */
static osc_status import_member(const osc_group_member_params *in,
                                size_t max_id, osc_key_curve signing_curve,
                                osc_group_member *member)
{
    if (in->id_len > max_id)
        return OSC_ERR_ID_TOO_LONG;
    if (in->credential_len > OSC_MAX_CREDENTIAL_LEN)
        return OSC_ERR_INVALID_ARGUMENT;
    memcpy(member->id, in->id, in->id_len);
    member->id_len = in->id_len;
    memcpy(member->credential, in->credential, in->credential_len);
    member->credential_len = in->credential_len;
    member->has_private_key = in->has_private_key;
    memcpy(member->private_key, in->private_key, OSC_MAX_PRIVATE_KEY_LEN);
    osc_status status = osc_group_credential_public_key(
        in->credential, in->credential_len, &member->curve, member->public_key);
    if (status != OSC_OK)
        return status;
    if (signing_curve != OSC_CURVE_NONE && member->curve != signing_curve)
        return OSC_ERR_CREDENTIAL_WRONG_CURVE;
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
        osc_group_signature_curve(params->signature_alg) == OSC_CURVE_NONE)
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
        !(group->group_enc = osc_group_cipher_by_id(params->group_enc_id)))
        return OSC_ERR_GROUP_UNSUPPORTED;
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
        status = import_member(&params->members[i], max_id,
                               osc_group_signature_curve(params->signature_alg),
                               &group->members[i]);
        if (status == OSC_OK)
            status = derive(params, params->members[i].id,
                            params->members[i].id_len, alg->cose_id, "Key",
                            alg->key_len, group->members[i].key);
        group->member_count = i + 1;
    }
    if (status == OSC_OK && group->aead && group->pairwise_ka_alg != 0)
        status = derive_pairwise_keys(group);
    return status;
}
