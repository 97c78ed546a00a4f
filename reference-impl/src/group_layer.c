/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * One Group OSCORE layer (RFC 10021): group mode (encrypt, then
 * countersign; the signature travels encrypted with a keystream) and
 * pairwise mode. Both signature algorithms (EdDSA/Ed25519 and ES256)
 * sign 64 bytes, OSC_MAX_SIGNATURE_LEN, which is also the keystream's
 * length L. The steps it shares with plain OSCORE are in
 * layer_mechanics.c.
 */
#include "oscore/group.h"

#include <string.h>

#include "layer_mechanics.h"
#include "oscore/cbor.h"
#include "oscore/nonce.h"
#include "oscore/options.h"

/* Room for the largest group AAD: fixed parts, a Gid, an OSCORE option
 * value and two credentials. */
#define GROUP_AAD_MAX                                                          \
    (64 + OSC_MAX_ID_CONTEXT_LEN + 270 + 2 * (OSC_MAX_CREDENTIAL_LEN + 3))

static const char counter_signature_context[] = "CounterSignature0";

static void put_optional_alg(osc_cbor_writer *w, int id)
{
    if (id == 0)
        osc_cbor_put_null(w);
    else
        osc_cbor_put_int(w, id);
}

static void put_group_aad_array(osc_cbor_writer *w,
                                const osc_group_context *group,
                                osc_bytes request_kid, osc_bytes request_piv,
                                osc_bytes oscore_option,
                                osc_bytes sender_credential)
{
    osc_cbor_put_array(w, 9);
    osc_cbor_put_uint(w, 1);
    osc_cbor_put_array(w, 4);
    put_optional_alg(w, group->aead ? group->aead->cose_id : 0);
    put_optional_alg(w, group->group_enc ? group->group_enc->cose_id : 0);
    put_optional_alg(w, group->signature_alg);
    put_optional_alg(w, group->pairwise_ka_alg);
    osc_cbor_put_bstr(w, request_kid.ptr, request_kid.len);
    osc_cbor_put_bstr(w, request_piv.ptr, request_piv.len);
    osc_cbor_put_bstr(w, NULL, 0); /* no Class I options */
    osc_cbor_put_bstr(w, group->gid, group->gid_len);
    osc_cbor_put_bstr(w, oscore_option.ptr, oscore_option.len);
    osc_cbor_put_bstr(w, sender_credential.ptr, sender_credential.len);
    osc_cbor_put_bstr(w, group->gm_credential, group->gm_credential_len);
}

osc_status osc_group_aad(const osc_group_context *group, osc_bytes request_kid,
                         osc_bytes request_piv, osc_bytes oscore_option,
                         osc_bytes sender_credential, uint8_t *out, size_t cap,
                         size_t *written, size_t *external_aad_offset)
{
    osc_cbor_writer sizer;
    osc_cbor_writer_init(&sizer, NULL, 0);
    put_group_aad_array(&sizer, group, request_kid, request_piv, oscore_option,
                        sender_credential);
    size_t array_len = sizer.length;

    osc_cbor_writer w;
    osc_cbor_writer_init(&w, out, cap);
    osc_cbor_put_array(&w, 3);
    osc_cbor_put_tstr(&w, "Encrypt0", 8);
    osc_cbor_put_bstr(&w, NULL, 0);
    *external_aad_offset = w.length;
    osc_cbor_put_bstr_head(&w, array_len);
    put_group_aad_array(&w, group, request_kid, request_piv, oscore_option,
                        sender_credential);
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

/* The keystream that encrypts a countersignature (RFC 10021 4.2), salted
 * with the Partial IV the nonce was built from and the ID of whoever
 * generated it: the message's own Partial IV with its sender's ID, or
 * without one the request's with the request's kid. */
static osc_status signature_mask(const osc_group_context *group, osc_bytes piv,
                                 osc_bytes sender_id, bool is_request,
                                 const osc_request_binding *request,
                                 uint8_t mask[OSC_MAX_SIGNATURE_LEN])
{
    if (piv.len > 0)
        return keystream(group, piv.ptr, piv.len, sender_id.ptr, sender_id.len,
                         is_request, mask, OSC_MAX_SIGNATURE_LEN);
    return keystream(group, request->piv, request->piv_len, request->kid,
                     request->kid_len, false, mask, OSC_MAX_SIGNATURE_LEN);
}

/* Work of a protection: option value | AAD | ciphertext, tag and
 * signature (encrypted in place) | ToBeSigned. */
static osc_work_layout protect_layout(const osc_coap_message *in)
{
    size_t body = 1 + osc_layer_body_bound(in); /* code, options, payload */
    osc_work_layout layout = {{OSC_OPTION_VALUE_MAX, GROUP_AAD_MAX,
                               body + OSC_MAX_TAG_LEN + OSC_MAX_SIGNATURE_LEN,
                               GROUP_AAD_MAX + body + OSC_MAX_TAG_LEN + 32},
                              4};
    return layout;
}

size_t osc_group_protect_work_size(const osc_coap_message *in)
{
    osc_work_layout layout = protect_layout(in);
    return osc_work_layout_total(&layout);
}

/* AEAD algorithm and key of a protection: group mode encrypts with the
 * sender's key and the Group Encryption Algorithm, pairwise mode with the
 * pairwise key towards the recipient (for a response: the requester). */
static osc_status protect_key(const osc_group_protect_params *params,
                              bool is_request, const osc_aead_alg **alg,
                              const uint8_t **key, size_t *recipient)
{
    const osc_group_context *group = params->group;
    const osc_group_member *sender = &group->members[params->sender];
    *recipient = params->recipient;
    if (!is_request && params->pairwise)
        *recipient = params->request->requester_member;
    *alg = params->pairwise ? group->aead : group->group_enc;
    if (!*alg)
        return OSC_ERR_GROUP_UNSUPPORTED;
    if (!params->pairwise) {
        if (!sender->has_private_key)
            return OSC_ERR_NO_PRIVATE_KEY;
        *key = sender->key;
        return OSC_OK;
    }
    if (*recipient >= group->member_count ||
        !group->has_pairwise_key[params->sender][*recipient])
        return OSC_ERR_NO_PRIVATE_KEY;
    *key = group->pairwise_key[params->sender][*recipient];
    return OSC_OK;
}

/* Requests carry kid and Gid; group-mode responses carry the kid of the
 * responder (RFC 10021 4.2). The AAD binds the request's kid and Partial
 * IV. */
static void protect_identifiers(bool is_request,
                                const osc_group_protect_params *params,
                                osc_option_value *value, osc_bytes *request_kid,
                                osc_bytes *request_piv)
{
    const osc_group_context *group = params->group;
    const osc_group_member *sender = &group->members[params->sender];
    if (is_request || !params->pairwise) {
        value->has_kid = true;
        value->kid = sender->id;
        value->kid_len = sender->id_len;
    }
    if (is_request) {
        value->has_kid_context = true;
        value->kid_context = group->gid;
        value->kid_context_len = group->gid_len;
        *request_kid = OSC_BYTES(sender->id, sender->id_len);
        *request_piv = OSC_BYTES(value->piv, value->piv_len);
    } else {
        *request_kid =
            OSC_BYTES(params->request->kid, params->request->kid_len);
        *request_piv =
            OSC_BYTES(params->request->piv, params->request->piv_len);
    }
}

/* Group mode: signs the ciphertext (ToBeSigned over the external_aad) and
 * appends the signature encrypted with the keystream. */
static osc_status append_signature(const osc_group_protect_params *params,
                                   bool is_request,
                                   const osc_option_value *value,
                                   osc_bytes external_aad, uint8_t *ciphertext,
                                   size_t *payload_len, size_t ciphertext_cap,
                                   uint8_t *signed_bytes, size_t signed_cap)
{
    const osc_group_context *group = params->group;
    const osc_group_member *sender = &group->members[params->sender];
    size_t ciphertext_len = *payload_len, signed_len;
    uint8_t signature[OSC_MAX_SIGNATURE_LEN];
    uint8_t mask[OSC_MAX_SIGNATURE_LEN];
    osc_status status = to_be_signed(external_aad.ptr, external_aad.len,
                                     ciphertext, ciphertext_len, false,
                                     signed_bytes, signed_cap, &signed_len);
    if (status != OSC_OK)
        return status;
    status = osc_curve_sign(sender->curve, sender->private_key, signed_bytes,
                            signed_len, signature);
    if (status != OSC_OK)
        return status;
    status = signature_mask(group, OSC_BYTES(value->piv, value->piv_len),
                            OSC_BYTES(sender->id, sender->id_len), is_request,
                            params->request, mask);
    if (status != OSC_OK)
        return status;
    if (ciphertext_cap < ciphertext_len + sizeof signature)
        return OSC_ERR_BUFFER_TOO_SMALL;
    for (size_t i = 0; i < sizeof signature; i++)
        ciphertext[ciphertext_len + i] = signature[i] ^ mask[i];
    *payload_len += sizeof signature;
    return OSC_OK;
}

/* What the responses to a request layer bind to (or, for a response, the
 * binding it answered). */
static void protect_binding(bool is_request,
                            const osc_group_protect_params *params,
                            size_t recipient, const osc_option_value *value,
                            const uint8_t *nonce, size_t nonce_len,
                            osc_request_binding *binding)
{
    if (!is_request) {
        *binding = *params->request;
        return;
    }
    const osc_group_member *sender = &params->group->members[params->sender];
    memset(binding, 0, sizeof *binding);
    binding->group = params->group;
    binding->group_mode = !params->pairwise;
    binding->requester_member = params->sender;
    binding->responder_member =
        params->pairwise ? recipient : OSC_GROUP_NO_MEMBER;
    osc_binding_set_request(binding, sender->id, sender->id_len, value->piv,
                            value->piv_len, nonce, nonce_len);
}

/* Option value, nonce, AAD, encryption and (group mode) signature of a
 * protection whose plaintext is in slice[2]. */
static osc_status seal(const osc_group_protect_params *params, bool is_request,
                       const osc_aead_alg *alg, const uint8_t *key,
                       uint8_t *const *slice, size_t signed_cap,
                       size_t *plaintext_len, size_t *option_value_len,
                       osc_option_value *value, uint8_t *piv, uint8_t *nonce)
{
    const osc_group_context *group = params->group;
    const osc_group_member *sender = &group->members[params->sender];
    uint8_t *option_value = slice[0], *aad = slice[1], *plaintext = slice[2];
    size_t plaintext_cap = slice[3] - slice[2];
    value->group_flag = !params->pairwise;
    osc_status status = osc_layer_protect_nonce(
        is_request || params->response_with_piv, params->sequence_number,
        group->common_iv, alg->nonce_len, OSC_BYTES(sender->id, sender->id_len),
        params->request, piv, value, nonce);
    if (status != OSC_OK)
        return status;
    osc_bytes request_kid, request_piv;
    protect_identifiers(is_request, params, value, &request_kid, &request_piv);
    status = osc_option_value_encode(value, option_value, OSC_OPTION_VALUE_MAX,
                                     option_value_len);
    if (status != OSC_OK)
        return status;
    size_t aad_len, external_aad_offset;
    status =
        osc_group_aad(group, request_kid, request_piv,
                      OSC_BYTES(option_value, *option_value_len),
                      OSC_BYTES(sender->credential, sender->credential_len),
                      aad, GROUP_AAD_MAX, &aad_len, &external_aad_offset);
    if (status != OSC_OK)
        return status;
    status = osc_aead_encrypt(alg, key, nonce, aad, aad_len, plaintext,
                              *plaintext_len, plaintext, plaintext_cap);
    if (status != OSC_OK)
        return status;
    *plaintext_len += alg->tag_len; /* now the ciphertext */
    if (params->pairwise)
        return OSC_OK;
    return append_signature(
        params, is_request, value,
        OSC_BYTES(aad + external_aad_offset, aad_len - external_aad_offset),
        plaintext, plaintext_len, plaintext_cap, slice[3], signed_cap);
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
    osc_work_layout layout = protect_layout(in);
    uint8_t *slice[4];
    size_t signed_cap;
    osc_status status =
        osc_work_carve(&layout, work, work_cap, slice, &signed_cap);
    if (status != OSC_OK)
        return status;
    const osc_aead_alg *alg;
    const uint8_t *key;
    size_t recipient;
    status = protect_key(params, is_request, &alg, &key, &recipient);
    if (status != OSC_OK)
        return status;

    size_t payload_len, option_value_len;
    bool has_observe;
    status = osc_layer_build_plaintext(
        in, is_request, params->escalated, params->escalated_count, out,
        slice[2], layout.size[2], &payload_len, &has_observe);
    if (status != OSC_OK)
        return status;
    osc_option_value value;
    memset(&value, 0, sizeof value);
    uint8_t piv[OSC_MAX_PIV_LEN];
    uint8_t nonce[OSC_MAX_NONCE_LEN];
    status = seal(params, is_request, alg, key, slice, signed_cap, &payload_len,
                  &option_value_len, &value, piv, nonce);
    if (status != OSC_OK)
        return status;

    osc_layer_set_outer_code(out, is_request, has_observe);
    status = osc_coap_add_option(out, OSC_OPT_OSCORE, slice[0],
                                 (uint32_t)option_value_len);
    if (status != OSC_OK)
        return status;
    out->payload = slice[2];
    out->payload_length = payload_len;
    if (binding)
        protect_binding(is_request, params, recipient, &value, nonce,
                        alg->nonce_len, binding);
    return OSC_OK;
}

/* Work of a removal: AAD | ToBeSigned (AAD + ciphertext) | signature |
 * plaintext. */
static osc_work_layout unprotect_layout(const osc_coap_message *msg)
{
    osc_work_layout layout = {{GROUP_AAD_MAX,
                               GROUP_AAD_MAX + msg->payload_length + 64,
                               OSC_MAX_SIGNATURE_LEN, msg->payload_length},
                              4};
    return layout;
}

size_t osc_group_unprotect_work_size(const osc_coap_message *msg)
{
    osc_work_layout layout = unprotect_layout(msg);
    return osc_work_layout_total(&layout);
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
        if (osc_curve_verify(sender->curve, sender->public_key, scratch,
                             signed_len, signature) == OSC_OK) {
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

/* The sender of a request (by kid, in the group its kid context names)
 * or of a response (by kid, or in pairwise mode the member the request was
 * for), and the request kid and Partial IV the AAD binds. */
static osc_status unprotect_sender(const osc_group_context *group,
                                   const osc_request_binding *request,
                                   osc_layer_result *result, size_t *sender)
{
    const osc_option_value *value = &result->option;
    if (!result->is_request) {
        if (value->has_kid)
            *sender = osc_group_find_member(group, value->kid, value->kid_len);
        else if (!result->group_mode)
            *sender = request->responder_member;
        else
            return OSC_ERR_MISSING_KID;
        /* RFC 10021 8.4: a kid without a known credential cannot be
         * verified (the Group Manager's list lacks it, or the keys do). */
        if (*sender >= group->member_count)
            return OSC_ERR_UNKNOWN_MEMBER;
        osc_result_set_request(result, request->kid, request->kid_len,
                               request->piv, request->piv_len);
        return OSC_OK;
    }
    if (value->piv_len == 0)
        return OSC_ERR_MISSING_PIV;
    if (!value->has_kid)
        return OSC_ERR_MISSING_KID;
    if (!value->has_kid_context || value->kid_context_len != group->gid_len ||
        memcmp(value->kid_context, group->gid, group->gid_len) != 0)
        return OSC_ERR_NO_CONTEXT;
    *sender = osc_group_find_member(group, value->kid, value->kid_len);
    if (*sender == OSC_GROUP_NO_MEMBER)
        return OSC_ERR_UNKNOWN_MEMBER;
    osc_result_set_request(result, value->kid, value->kid_len, value->piv,
                           value->piv_len);
    return OSC_OK;
}

/* Group mode: decrypts the countersignature and verifies it before the
 * ciphertext is decrypted (RFC 10021 7.2). */
static osc_status check_countersignature(const osc_group_member *sender,
                                         const osc_request_binding *request,
                                         size_t ciphertext_len,
                                         osc_bytes external_aad,
                                         uint8_t *const *slice,
                                         osc_layer_result *result)
{
    const osc_option_value *value = &result->option;
    uint8_t *scratch = slice[1], *signature = slice[2];
    uint8_t mask[OSC_MAX_SIGNATURE_LEN];
    osc_status status =
        signature_mask(result->group, OSC_BYTES(value->piv, value->piv_len),
                       OSC_BYTES(sender->id, sender->id_len),
                       result->is_request, request, mask);
    if (status != OSC_OK)
        return status;
    const uint8_t *encrypted = result->ciphertext + ciphertext_len;
    for (size_t i = 0; i < OSC_MAX_SIGNATURE_LEN; i++)
        signature[i] = encrypted[i] ^ mask[i];
    result->signature = signature;
    result->signature_len = OSC_MAX_SIGNATURE_LEN;
    result->signature_status = verify_signature(
        sender, external_aad.ptr, external_aad.len, result->ciphertext,
        ciphertext_len, signature, scratch, (size_t)(slice[2] - slice[1]),
        &result->signature_short_form);
    return result->signature_status;
}

/* Pairwise mode: a request does not name its recipient, so every member
 * whose pairwise key with the sender is known is tried; a response is for
 * the requester. */
static osc_status open_pairwise(const osc_group_context *group, size_t sender,
                                const osc_request_binding *request,
                                size_t ciphertext_len, uint8_t *plaintext,
                                size_t plaintext_cap, osc_layer_result *result)
{
    const osc_aead_alg *alg = group->aead;
    if (!result->is_request) {
        size_t requester = request->requester_member;
        if (requester >= group->member_count ||
            !group->has_pairwise_key[sender][requester])
            return OSC_ERR_NO_PRIVATE_KEY;
        result->recipient_member = requester;
        return open_ciphertext(alg, group->pairwise_key[sender][requester],
                               ciphertext_len, plaintext, plaintext_cap,
                               result);
    }
    osc_status status = OSC_ERR_NO_PRIVATE_KEY;
    for (size_t j = 0; j < group->member_count; j++) {
        if (!group->has_pairwise_key[sender][j])
            continue;
        status =
            open_ciphertext(alg, group->pairwise_key[sender][j], ciphertext_len,
                            plaintext, plaintext_cap, result);
        if (status == OSC_OK) {
            result->recipient_member = j;
            break;
        }
    }
    return status;
}

/* What the responses to a removed request layer bind to. */
static void record_binding(size_t sender, osc_layer_result *result)
{
    const osc_option_value *value = &result->option;
    osc_request_binding *binding = &result->binding;
    binding->group = result->group;
    binding->group_mode = result->group_mode;
    binding->requester_member = sender;
    binding->responder_member =
        result->group_mode ? OSC_GROUP_NO_MEMBER : result->recipient_member;
    osc_binding_set_request(binding, value->kid, value->kid_len, value->piv,
                            value->piv_len, result->nonce, result->nonce_len);
}

/* Everything after the option was decoded and the group found: sender,
 * nonce, AAD, signature check and decryption. */
static osc_status unprotect_with_group(const osc_coap_message *msg,
                                       const osc_coap_option *oscore,
                                       const osc_request_binding *request,
                                       uint8_t *work, size_t work_cap,
                                       osc_layer_result *result)
{
    const osc_group_context *group = result->group;
    const osc_aead_alg *alg =
        result->group_mode ? group->group_enc : group->aead;
    if (!alg)
        return OSC_ERR_GROUP_UNSUPPORTED;
    size_t sender_index;
    osc_status status = unprotect_sender(group, request, result, &sender_index);
    if (status != OSC_OK)
        return status;
    const osc_group_member *sender = &group->members[sender_index];
    result->sender_member = sender_index;
    result->nonce_len = alg->nonce_len;
    status = osc_layer_unprotect_nonce(group->common_iv, alg->nonce_len,
                                       OSC_BYTES(sender->id, sender->id_len),
                                       request, result);
    if (status != OSC_OK)
        return status;

    size_t ciphertext_len = result->ciphertext_len;
    if (result->group_mode) {
        if (ciphertext_len <= OSC_MAX_SIGNATURE_LEN + alg->tag_len)
            return OSC_ERR_NO_PAYLOAD;
        ciphertext_len -= OSC_MAX_SIGNATURE_LEN;
    }
    osc_work_layout layout = unprotect_layout(msg);
    uint8_t *slice[4];
    size_t plaintext_cap;
    status = osc_work_carve(&layout, work, work_cap, slice, &plaintext_cap);
    if (status != OSC_OK)
        return status;
    size_t aad_len, external_aad_offset;
    status = osc_group_aad(
        group, OSC_BYTES(result->request_kid, result->request_kid_len),
        OSC_BYTES(result->request_piv, result->request_piv_len),
        OSC_BYTES(oscore->value, oscore->length),
        OSC_BYTES(sender->credential, sender->credential_len), slice[0],
        GROUP_AAD_MAX, &aad_len, &external_aad_offset);
    if (status != OSC_OK)
        return status;
    result->aad = slice[0];
    result->aad_len = aad_len;

    if (!result->group_mode)
        status = open_pairwise(group, sender_index, request, ciphertext_len,
                               slice[3], plaintext_cap, result);
    else if ((status = check_countersignature(
                  sender, request, ciphertext_len,
                  OSC_BYTES(slice[0] + external_aad_offset,
                            aad_len - external_aad_offset),
                  slice, result)) == OSC_OK)
        status = open_ciphertext(alg, sender->key, ciphertext_len, slice[3],
                                 plaintext_cap, result);
    if (status != OSC_OK)
        return status;
    if (result->is_request)
        record_binding(sender_index, result);
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
    if (!result->is_request) {
        if (!request || !request->group)
            return osc_layer_close(result, OSC_ERR_NO_REQUEST_BINDING);
        group = request->group;
    }
    if (!group)
        return osc_layer_close(result, OSC_ERR_NO_CONTEXT);
    result->group = group;
    result->group_mode = result->option.group_flag;
    status = unprotect_with_group(msg, oscore, request, work, work_cap, result);
    if (status == OSC_OK)
        status = osc_layer_finish(msg, oscore, result);
    return osc_layer_close(result, status);
}
