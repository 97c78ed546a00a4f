/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * OSCORE Security Context derivation (RFC 8613 sections 3.1 and 3.2):
 * Sender Key, Recipient Key and Common IV from the Master Secret,
 * Master Salt, IDs and ID Context, each as
 *     HKDF(salt = Master Salt, IKM = Master Secret, info, L).
 */
#include "oscore/context.h"

#include <string.h>

#include "oscore/cbor.h"

/* Largest info: array head, bstr id (1 + 7), bstr id_context (3 + 255),
 * int alg (up to 9), tstr type ("Key"/"IV": up to 4), uint L (up to 9). */
#define INFO_MAX 320

static void wipe(void *p, size_t n)
{
    volatile uint8_t *v = p;
    while (n-- > 0) {
        *v++ = 0;
    }
}

void osc_context_params_init(osc_context_params *params)
{
    if (params == NULL) {
        return;
    }
    memset(params, 0, sizeof *params);
    /* RFC 8613 3.2: AES-CCM-16-64-128 and HKDF SHA-256 are the defaults. */
    params->aead_id = OSC_AEAD_AES_CCM_16_64_128;
    params->hkdf = OSC_HKDF_SHA256;
}

osc_status osc_context_info(const uint8_t *id, size_t id_len,
                            bool has_id_context, const uint8_t *id_context,
                            size_t id_context_len, int aead_id,
                            const char *type, size_t out_length, uint8_t *out,
                            size_t cap, size_t *written)
{
    osc_cbor_writer w;

    if ((id == NULL && id_len > 0) ||
        (has_id_context && id_context == NULL && id_context_len > 0) ||
        type == NULL || (out == NULL && cap > 0)) {
        return OSC_ERR_INVALID_ARGUMENT;
    }
    osc_cbor_writer_init(&w, out, cap);
    /* [ id, id_context / nil, alg_aead, type, L ] (RFC 8613 3.2.1). The
     * algorithm is always written as its integer COSE id: RFC 8613 allows
     * a tstr only for algorithms that have no integer value. */
    osc_cbor_put_array(&w, 5);
    osc_cbor_put_bstr(&w, id, id_len);
    if (has_id_context) {
        osc_cbor_put_bstr(&w, id_context, id_context_len);
    } else {
        osc_cbor_put_null(&w);
    }
    osc_cbor_put_int(&w, aead_id);
    osc_cbor_put_tstr(&w, type, strlen(type));
    osc_cbor_put_uint(&w, out_length);
    /* On BUFFER_TOO_SMALL this is the size the caller needs. */
    if (written != NULL) {
        *written = w.length;
    }
    return w.status;
}

/* One HKDF output of the derivation. */
static osc_status derive_one(const osc_context_params *p,
                             const osc_aead_alg *aead, const uint8_t *id,
                             size_t id_len, const char *type, size_t length,
                             uint8_t *out)
{
    uint8_t info[INFO_MAX];
    size_t info_len;
    osc_status status;

    status = osc_context_info(id, id_len, p->has_id_context, p->id_context,
                              p->id_context_len, aead->cose_id, type, length,
                              info, sizeof info, &info_len);
    if (status != OSC_OK) {
        return status;
    }
    return osc_hkdf(p->hkdf, p->master_salt, p->master_salt_len,
                    p->master_secret, p->master_secret_len, info, info_len, out,
                    length);
}

osc_status osc_context_derive(const osc_context_params *params,
                              osc_context *out)
{
    const osc_aead_alg *aead;
    osc_context ctx;
    osc_status status;

    if (params == NULL || out == NULL) {
        return OSC_ERR_INVALID_ARGUMENT;
    }
    aead = osc_aead_by_id(params->aead_id);
    if (aead == NULL) {
        return OSC_ERR_UNKNOWN_AEAD;
    }
    if (params->hkdf != OSC_HKDF_SHA256 && params->hkdf != OSC_HKDF_SHA512) {
        return OSC_ERR_UNKNOWN_HKDF;
    }
    if (params->master_secret_len > OSC_MAX_SECRET_LEN ||
        params->master_salt_len > OSC_MAX_SALT_LEN) {
        return OSC_ERR_SECRET_TOO_LONG;
    }
    if (params->has_id_context &&
        params->id_context_len > OSC_MAX_ID_CONTEXT_LEN) {
        return OSC_ERR_ID_CONTEXT_TOO_LONG;
    }
    /* RFC 8613 3.3: an ID must fit the nonce beside the 5-byte PIV and
     * the length byte. The algorithm's limit is never above the array
     * size (OSC_MAX_ID_LEN = 13 - 6), so this also bounds the copies. */
    if (params->sender_id_len > osc_aead_max_id_len(aead) ||
        params->recipient_id_len > osc_aead_max_id_len(aead)) {
        return OSC_ERR_ID_TOO_LONG;
    }

    memset(&ctx, 0, sizeof ctx);
    ctx.aead = aead;
    ctx.hkdf = params->hkdf;
    ctx.has_id_context = params->has_id_context;
    if (params->has_id_context) {
        memcpy(ctx.id_context, params->id_context, params->id_context_len);
        ctx.id_context_len = params->id_context_len;
    }
    memcpy(ctx.id[OSC_PARTY_SENDER], params->sender_id, params->sender_id_len);
    ctx.id_len[OSC_PARTY_SENDER] = params->sender_id_len;
    memcpy(ctx.id[OSC_PARTY_RECIPIENT], params->recipient_id,
           params->recipient_id_len);
    ctx.id_len[OSC_PARTY_RECIPIENT] = params->recipient_id_len;

    /* Each party's key is derived with that party's own ID; the Common
     * IV with the empty ID and the nonce length. */
    status = derive_one(params, aead, params->sender_id, params->sender_id_len,
                        "Key", aead->key_len, ctx.key[OSC_PARTY_SENDER]);
    if (status == OSC_OK) {
        status = derive_one(params, aead, params->recipient_id,
                            params->recipient_id_len, "Key", aead->key_len,
                            ctx.key[OSC_PARTY_RECIPIENT]);
    }
    if (status == OSC_OK) {
        status = derive_one(params, aead, NULL, 0, "IV", aead->nonce_len,
                            ctx.common_iv);
    }
    if (status == OSC_OK) {
        *out = ctx;
    }
    /* The local copy holds keys; it must not linger on the stack. */
    wipe(&ctx, sizeof ctx);
    return status;
}

void osc_context_swap(const osc_context *in, osc_context *out)
{
    osc_context tmp;

    if (in == NULL || out == NULL) {
        return;
    }
    /* Through a copy, so swapping a context in place (in == out) works. */
    tmp = *in;
    memcpy(tmp.id[OSC_PARTY_SENDER], in->id[OSC_PARTY_RECIPIENT],
           sizeof tmp.id[0]);
    memcpy(tmp.id[OSC_PARTY_RECIPIENT], in->id[OSC_PARTY_SENDER],
           sizeof tmp.id[0]);
    tmp.id_len[OSC_PARTY_SENDER] = in->id_len[OSC_PARTY_RECIPIENT];
    tmp.id_len[OSC_PARTY_RECIPIENT] = in->id_len[OSC_PARTY_SENDER];
    memcpy(tmp.key[OSC_PARTY_SENDER], in->key[OSC_PARTY_RECIPIENT],
           sizeof tmp.key[0]);
    memcpy(tmp.key[OSC_PARTY_RECIPIENT], in->key[OSC_PARTY_SENDER],
           sizeof tmp.key[0]);
    *out = tmp;
    wipe(&tmp, sizeof tmp);
}
