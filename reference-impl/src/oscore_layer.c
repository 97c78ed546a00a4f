/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * One plain OSCORE layer: protecting a CoAP message with it and removing
 * it (RFC 8613 sections 5 and 8, applied once per layer). The steps it
 * shares with Group OSCORE are in layer_mechanics.c.
 */
#include "oscore/layer.h"

#include <string.h>

#include "layer_mechanics.h"
#include "oscore/aad.h"
#include "oscore/algorithms.h"
#include "oscore/nonce.h"
#include "oscore/options.h"

/* Room for any AAD of plain OSCORE with IDs of at most 7 bytes and no
 * Class I options (the aad_array is under 30 bytes). */
#define AAD_MAX 64

/* Work of a protection: option value | AAD | code, options, payload and
 * tag (encrypted in place). */
static osc_work_layout protect_layout(const osc_coap_message *in,
                                      const osc_context *ctx)
{
    size_t tag = ctx && ctx->aead ? ctx->aead->tag_len : OSC_MAX_TAG_LEN;
    osc_work_layout layout = {
        {OSC_OPTION_VALUE_MAX, AAD_MAX, 1 + osc_layer_body_bound(in) + tag}, 3};
    return layout;
}

size_t osc_layer_protect_work_size(const osc_coap_message *in,
                                   const osc_context *ctx)
{
    osc_work_layout layout = protect_layout(in, ctx);
    return osc_work_layout_total(&layout);
}

/* The context and producing party of the layer to apply: the params' for
 * a request; for a response always the context of the request layer it
 * answers, used by the requester's peer. */
static osc_status protect_context(bool is_request,
                                  const osc_protect_params *params,
                                  const osc_context **ctx, osc_party *producer)
{
    if (is_request) {
        *ctx = params->ctx;
        *producer = params->party;
    } else {
        if (!params->request || !params->request->ctx)
            return OSC_ERR_NO_REQUEST_BINDING;
        *ctx = params->request->ctx;
        *producer = osc_party_peer(params->request->requester);
    }
    if (!*ctx || !(*ctx)->aead)
        return OSC_ERR_INVALID_ARGUMENT;
    return OSC_OK;
}

/* A request's option value names its sender (kid, and kid context when
 * asked for); the AAD binds the request's kid and Partial IV, which for
 * a response are those of the request it answers. */
static void protect_identifiers(bool is_request,
                                const osc_protect_params *params,
                                const osc_context *ctx, osc_party producer,
                                osc_option_value *value, osc_bytes *request_kid,
                                osc_bytes *request_piv)
{
    if (!is_request) {
        *request_kid =
            OSC_BYTES(params->request->kid, params->request->kid_len);
        *request_piv =
            OSC_BYTES(params->request->piv, params->request->piv_len);
        return;
    }
    value->has_kid = true;
    value->kid = ctx->id[producer];
    value->kid_len = ctx->id_len[producer];
    if (params->include_kid_context && ctx->has_id_context) {
        value->has_kid_context = true;
        value->kid_context = ctx->id_context;
        value->kid_context_len = ctx->id_context_len;
    }
    *request_kid = OSC_BYTES(ctx->id[producer], ctx->id_len[producer]);
    *request_piv = OSC_BYTES(value->piv, value->piv_len);
}

/* What the responses to a layer bind to (or, for a response, the binding
 * it answered). */
static void protect_binding(bool is_request, const osc_protect_params *params,
                            const osc_context *ctx, osc_party producer,
                            const osc_option_value *value, const uint8_t *nonce,
                            osc_request_binding *binding)
{
    memset(binding, 0, sizeof *binding);
    if (!is_request) {
        *binding = *params->request;
        return;
    }
    binding->ctx = ctx;
    binding->requester = producer;
    osc_binding_set_request(binding, ctx->id[producer], ctx->id_len[producer],
                            value->piv, value->piv_len, nonce,
                            ctx->aead->nonce_len);
}

osc_status osc_layer_protect(const osc_coap_message *in,
                             const osc_protect_params *params, uint8_t *work,
                             size_t work_cap, osc_coap_message *out,
                             osc_request_binding *binding)
{
    bool is_request = osc_message_is_request(in);
    const osc_context *ctx;
    osc_party producer;
    osc_status status = protect_context(is_request, params, &ctx, &producer);
    if (status != OSC_OK)
        return status;
    osc_work_layout layout = protect_layout(in, ctx);
    uint8_t *slice[3];
    size_t plaintext_cap;
    status = osc_work_carve(&layout, work, work_cap, slice, &plaintext_cap);
    if (status != OSC_OK)
        return status;
    uint8_t *option_value = slice[0], *aad = slice[1], *plaintext = slice[2];

    size_t plaintext_len;
    bool has_observe;
    status = osc_layer_build_plaintext(
        in, is_request, params->escalated, params->escalated_count, out,
        plaintext, plaintext_cap, &plaintext_len, &has_observe);
    if (status != OSC_OK)
        return status;

    uint8_t piv[OSC_MAX_PIV_LEN];
    uint8_t nonce[OSC_MAX_NONCE_LEN];
    osc_option_value value;
    memset(&value, 0, sizeof value);
    status = osc_layer_protect_nonce(
        is_request || params->response_with_piv, params->sequence_number,
        ctx->common_iv, ctx->aead->nonce_len,
        OSC_BYTES(ctx->id[producer], ctx->id_len[producer]), params->request,
        piv, &value, nonce);
    if (status != OSC_OK)
        return status;
    osc_bytes request_kid, request_piv;
    protect_identifiers(is_request, params, ctx, producer, &value, &request_kid,
                        &request_piv);

    size_t option_value_len, aad_len;
    status = osc_option_value_encode(&value, option_value, OSC_OPTION_VALUE_MAX,
                                     &option_value_len);
    if (status != OSC_OK)
        return status;
    status = osc_aad(ctx->aead->cose_id, request_kid, request_piv,
                     OSC_BYTES(NULL, 0), aad, AAD_MAX, &aad_len);
    if (status != OSC_OK)
        return status;
    /* Encrypt in place: the ciphertext (with tag) replaces the plaintext. */
    status =
        osc_aead_encrypt(ctx->aead, ctx->key[producer], nonce, aad, aad_len,
                         plaintext, plaintext_len, plaintext, plaintext_cap);
    if (status != OSC_OK)
        return status;

    osc_layer_set_outer_code(out, is_request, has_observe);
    status = osc_coap_add_option(out, OSC_OPT_OSCORE, option_value,
                                 (uint32_t)option_value_len);
    if (status != OSC_OK)
        return status;
    out->payload = plaintext;
    out->payload_length = plaintext_len + ctx->aead->tag_len;
    if (binding)
        protect_binding(is_request, params, ctx, producer, &value, nonce,
                        binding);
    return OSC_OK;
}

size_t osc_layer_plain_unprotect_work_size(const osc_coap_message *msg)
{
    /* AAD | plaintext */
    return AAD_MAX + msg->payload_length;
}

static osc_status try_decrypt(const osc_context *ctx, osc_party producer,
                              const uint8_t *nonce, uint8_t *work,
                              size_t work_cap, osc_layer_result *result)
{
    uint8_t *aad = work;
    uint8_t *plaintext = work + AAD_MAX;
    size_t aad_len;
    osc_status status =
        osc_aad(ctx->aead->cose_id,
                OSC_BYTES(result->request_kid, result->request_kid_len),
                OSC_BYTES(result->request_piv, result->request_piv_len),
                OSC_BYTES(NULL, 0), aad, AAD_MAX, &aad_len);
    if (status != OSC_OK)
        return status;
    result->aad = aad;
    result->aad_len = aad_len;
    status = osc_aead_decrypt(
        ctx->aead, ctx->key[producer], nonce, aad, aad_len, result->ciphertext,
        result->ciphertext_len, plaintext, work_cap - AAD_MAX);
    if (status != OSC_OK)
        return status;
    result->plaintext = plaintext;
    result->plaintext_len = result->ciphertext_len - ctx->aead->tag_len;
    return OSC_OK;
}

static osc_status unprotect_request(const osc_candidate *candidates,
                                    size_t candidate_count, uint8_t *work,
                                    size_t work_cap, osc_layer_result *result)
{
    const osc_option_value *value = &result->option;
    if (value->piv_len == 0)
        return OSC_ERR_MISSING_PIV;
    if (!value->has_kid)
        return OSC_ERR_MISSING_KID;
    if (candidate_count == 0 || value->kid_len > OSC_MAX_ID_LEN)
        return OSC_ERR_NO_CONTEXT;

    /* In a request, the AAD binds the request's own kid and PIV. */
    osc_result_set_request(result, value->kid, value->kid_len, value->piv,
                           value->piv_len);

    osc_status status = OSC_ERR_NO_CONTEXT;
    for (size_t i = 0; i < candidate_count; i++) {
        const osc_context *ctx = candidates[i].ctx;
        osc_party producer = candidates[i].party;
        uint8_t nonce[OSC_MAX_NONCE_LEN];
        if (osc_nonce(ctx->common_iv, ctx->aead->nonce_len, value->kid,
                      value->kid_len, value->piv, value->piv_len,
                      nonce) != OSC_OK)
            continue; /* kid too long for this algorithm's nonce */
        result->ctx = ctx;
        result->producer = producer;
        result->candidate_index = candidates[i].index;
        result->candidates_tried++;
        memcpy(result->nonce, nonce, ctx->aead->nonce_len);
        result->nonce_len = ctx->aead->nonce_len;
        status = try_decrypt(ctx, producer, nonce, work, work_cap, result);
        if (status == OSC_OK)
            break;
    }
    if (status != OSC_OK)
        return status;

    osc_request_binding *binding = &result->binding;
    binding->ctx = result->ctx;
    binding->requester = result->producer;
    osc_binding_set_request(binding, value->kid, value->kid_len, value->piv,
                            value->piv_len, result->nonce, result->nonce_len);
    return OSC_OK;
}

static osc_status unprotect_response(const osc_request_binding *request,
                                     uint8_t *work, size_t work_cap,
                                     osc_layer_result *result)
{
    if (!request || !request->ctx)
        return OSC_ERR_NO_REQUEST_BINDING;
    const osc_context *ctx = request->ctx;
    osc_party producer = osc_party_peer(request->requester);
    result->ctx = ctx;
    result->producer = producer;
    result->candidates_tried = 1;

    osc_result_set_request(result, request->kid, request->kid_len, request->piv,
                           request->piv_len);

    osc_status status = osc_layer_unprotect_nonce(
        ctx->common_iv, ctx->aead->nonce_len,
        OSC_BYTES(ctx->id[producer], ctx->id_len[producer]), request, result);
    if (status != OSC_OK)
        return status;
    return try_decrypt(ctx, producer, result->nonce, work, work_cap, result);
}

osc_status osc_layer_unprotect(const osc_coap_message *msg,
                               const osc_candidate *candidates,
                               size_t candidate_count,
                               const osc_request_binding *request,
                               uint8_t *work, size_t work_cap,
                               osc_layer_result *result)
{
    const osc_coap_option *oscore;
    osc_status status = osc_layer_open(msg, result, &oscore);
    if (status != OSC_OK)
        return osc_layer_close(result, status);
    /* Group layers are osc_group_unprotect's (osc_peel_layer routes
     * them); a plain context cannot remove one. */
    if (result->option.group_flag || (request && request->group))
        return osc_layer_close(result, OSC_ERR_GROUP_UNSUPPORTED);
    if (work_cap < AAD_MAX + result->ciphertext_len)
        return osc_layer_close(result, OSC_ERR_BUFFER_TOO_SMALL);

    status = result->is_request
                 ? unprotect_request(candidates, candidate_count, work,
                                     work_cap, result)
                 : unprotect_response(request, work, work_cap, result);
    if (status == OSC_OK)
        status = osc_layer_finish(msg, oscore, result);
    return osc_layer_close(result, status);
}
