/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The mechanics plain OSCORE and Group OSCORE layers share (see
 * layer_mechanics.h).
 */
#include "layer_mechanics.h"

#include <string.h>

#include "oscore/cbor.h"
#include "oscore/nonce.h"
#include "oscore/options.h"

size_t osc_work_layout_total(const osc_work_layout *layout)
{
    size_t total = 0;
    for (size_t i = 0; i < layout->count; i++)
        total += layout->size[i];
    return total;
}

osc_status osc_work_carve(const osc_work_layout *layout, uint8_t *work,
                          size_t work_cap, uint8_t **slices, size_t *last_cap)
{
    if (work_cap < osc_work_layout_total(layout))
        return OSC_ERR_BUFFER_TOO_SMALL;
    size_t used = 0;
    for (size_t i = 0; i < layout->count; i++) {
        slices[i] = work + used;
        used += layout->size[i];
    }
    *last_cap = work_cap - (used - layout->size[layout->count - 1]);
    return OSC_OK;
}

size_t osc_layer_body_bound(const osc_coap_message *msg)
{
    size_t size = 1 + msg->payload_length; /* marker */
    for (size_t i = 0; i < msg->option_count; i++)
        size += 5 + msg->options[i].length;
    return size;
}

static bool is_escalated(const uint16_t *escalated, size_t escalated_count,
                         uint16_t number)
{
    /* An inner layer's OSCORE option always goes inside the next layer:
     * leaving it outside would give the message two OSCORE options, and
     * the option protection steps of draft-ietf-core-oscore-capable-proxies 2.2
     * put it inside in every case: with the layers applied in the
     * draft's order, the next hop never consumes an inner layer's OSCORE
     * option, so step 4 always leads to step 8 (Class E). */
    if (number == OSC_OPT_OSCORE)
        return true;
    for (size_t i = 0; i < escalated_count; i++)
        if (escalated[i] == number)
            return true;
    return false;
}

/* An empty message with the header (framing, type, Message ID, token) of
 * `from`: what every layer keeps of the message it protects or opens. */
static void copy_header(osc_coap_message *out, const osc_coap_message *from)
{
    memset(out, 0, sizeof *out);
    out->framing = from->framing;
    out->type = from->type;
    out->message_id = from->message_id;
    out->token_length = from->token_length;
    memcpy(out->token, from->token, sizeof out->token);
    out->long_token = from->long_token;
}

/* Where an option of the unprotected message goes in this layer. */
typedef enum placement {
    PLACE_INNER,
    PLACE_OUTER,
    PLACE_BOTH /* Observe: inner copy protected, outer copy for proxies */
} placement;

static placement place_option(const uint16_t *escalated, size_t escalated_count,
                              uint16_t number)
{
    if (number == OSC_OPT_OBSERVE)
        return PLACE_BOTH;
    if (osc_option_is_outer_only(number))
        return is_escalated(escalated, escalated_count, number) ? PLACE_INNER
                                                                : PLACE_OUTER;
    /* Class E, and the options defined as both E and U: what the message
     * to protect carries is the application's (inner) value; outer
     * Block-wise or Echo for one hop are added after protection. */
    return PLACE_INNER;
}

void osc_binding_set_request(osc_request_binding *binding, const uint8_t *kid,
                             size_t kid_len, const uint8_t *piv, size_t piv_len,
                             const uint8_t *nonce, size_t nonce_len)
{
    memcpy(binding->kid, kid, kid_len);
    binding->kid_len = kid_len;
    memcpy(binding->piv, piv, piv_len);
    binding->piv_len = piv_len;
    memcpy(binding->nonce, nonce, nonce_len);
    binding->nonce_len = nonce_len;
}

void osc_result_set_request(osc_layer_result *result, const uint8_t *kid,
                            size_t kid_len, const uint8_t *piv, size_t piv_len)
{
    memcpy(result->request_kid, kid, kid_len);
    result->request_kid_len = kid_len;
    memcpy(result->request_piv, piv, piv_len);
    result->request_piv_len = piv_len;
}

bool osc_message_is_request(const osc_coap_message *msg)
{
    return osc_coap_code_is_request(msg->code) ||
           osc_coap_code_is_signaling(msg->code);
}

osc_status osc_layer_build_plaintext(const osc_coap_message *in,
                                     bool is_request, const uint16_t *escalated,
                                     size_t escalated_count,
                                     osc_coap_message *out, uint8_t *plaintext,
                                     size_t plaintext_cap,
                                     size_t *plaintext_len, bool *has_observe)
{
    static const uint8_t empty_value[1] = {0};
    osc_coap_option inner[OSC_COAP_MAX_OPTIONS];
    size_t inner_count = 0;
    *has_observe = false;
    copy_header(out, in);
    for (size_t i = 0; i < in->option_count; i++) {
        const osc_coap_option *opt = &in->options[i];
        placement where = place_option(escalated, escalated_count, opt->number);
        if (where != PLACE_OUTER) {
            inner[inner_count] = *opt;
            /* RFC 8613 4.1.3.5.2: the Inner Observe of a notification is
             * empty; its order is protected by the Partial IV. */
            if (opt->number == OSC_OPT_OBSERVE && !is_request) {
                inner[inner_count].value = empty_value;
                inner[inner_count].length = 0;
            }
            inner_count++;
        }
        if (where != PLACE_INNER)
            out->options[out->option_count++] = *opt;
        if (opt->number == OSC_OPT_OBSERVE)
            *has_observe = true;
    }

    /* Plaintext: code, inner options, payload. */
    if (plaintext_cap < 1)
        return OSC_ERR_BUFFER_TOO_SMALL;
    size_t body_len;
    plaintext[0] = in->code;
    osc_status status = osc_coap_encode_options(
        inner, inner_count, in->payload, in->payload_length, plaintext + 1,
        plaintext_cap - 1, &body_len);
    if (status != OSC_OK)
        return status;
    *plaintext_len = 1 + body_len;
    return OSC_OK;
}

void osc_layer_set_outer_code(osc_coap_message *out, bool is_request,
                              bool has_observe)
{
    if (is_request)
        out->code = has_observe ? OSC_COAP_CODE_FETCH : OSC_COAP_CODE_POST;
    else
        out->code = has_observe ? OSC_COAP_CODE_CONTENT : OSC_COAP_CODE_CHANGED;
}

/*
 * Builds result->result: the outer header, the outer options a receiver
 * keeps, and the inner options and payload.
 */
static osc_status merge_after_removal(const osc_coap_message *msg,
                                      const osc_coap_option *this_oscore,
                                      osc_layer_result *result)
{
    const osc_coap_message *inner = &result->inner;
    osc_coap_message *merged = &result->result;
    copy_header(merged, msg);
    merged->code = inner->code;
    merged->payload = inner->payload;
    merged->payload_length = inner->payload_length;

    /* A notification's Inner Observe is empty (RFC 8613 4.1.3.5.2) and the
     * client ignores the outer value; but while another layer follows,
     * the message is still on its way through an intermediary, which
     * forwards the Outer Observe: keep that one then. */
    const osc_coap_option *inner_observe =
        osc_coap_find_option(inner, OSC_OPT_OBSERVE);
    bool forward_outer_observe = !result->is_request && inner_observe &&
                                 inner_observe->length == 0 &&
                                 osc_coap_find_option(inner, OSC_OPT_OSCORE) &&
                                 osc_coap_find_option(msg, OSC_OPT_OBSERVE);

    /* Inner options come first in the merged list's order by number; the
     * outer ones are inserted sorted. */
    for (size_t i = 0; i < inner->option_count; i++)
        if (!(forward_outer_observe &&
              inner->options[i].number == OSC_OPT_OBSERVE))
            merged->options[merged->option_count++] = inner->options[i];

    for (size_t i = 0; i < msg->option_count; i++) {
        const osc_coap_option *opt = &msg->options[i];
        if (opt == this_oscore)
            continue;
        bool forwarded_observe =
            forward_outer_observe && opt->number == OSC_OPT_OBSERVE;
        if (!forwarded_observe && !osc_option_is_outer_only(opt->number)) {
            if (osc_option_is_inner_and_outer(opt->number)) {
                /* Inner and outer values are independent (Observe,
                 * Block, Echo, ...): the inner value is the one of the
                 * message inside; an outer one without inner twin (e.g.
                 * hop-by-hop Block2) still describes this message. */
                if (osc_coap_find_option(inner, opt->number))
                    continue;
            } else {
                /* RFC 8613 8.2/8.4 step 2: outer Class E options are
                 * discarded by the receiver. */
                if (result->ignored_outer_count < OSC_COAP_MAX_OPTIONS)
                    result->ignored_outer[result->ignored_outer_count++] =
                        opt->number;
                continue;
            }
        }
        osc_status status =
            osc_coap_add_option(merged, opt->number, opt->value, opt->length);
        if (status != OSC_OK)
            return status;
    }
    return OSC_OK;
}

/* Parses decrypted bytes as code || options || payload. */
static osc_status parse_plaintext(const osc_coap_message *msg,
                                  osc_layer_result *result)
{
    osc_coap_message *inner = &result->inner;
    memset(inner, 0, sizeof *inner);
    if (result->plaintext_len < 1)
        return OSC_ERR_PLAINTEXT_MALFORMED;
    inner->framing = msg->framing;
    inner->type = msg->type;
    inner->message_id = msg->message_id;
    inner->token_length = msg->token_length;
    memcpy(inner->token, msg->token, sizeof inner->token);
    inner->long_token = msg->long_token;
    inner->code = result->plaintext[0];
    /* An Empty message (0.00) has no token, options or payload (RFC 7252
     * 4.1) and is not a request or response, the only messages OSCORE
     * protects (RFC 8613 5.3: the plaintext's Code is the original
     * message's). The inner message would keep the outer token and
     * could carry options or payload: a message no CoAP endpoint may
     * send, so the layer is malformed however it authenticated. */
    if (inner->code == OSC_COAP_CODE_EMPTY)
        return OSC_ERR_PLAINTEXT_MALFORMED;
    if (osc_coap_parse_options(result->plaintext + 1, result->plaintext_len - 1,
                               inner) != OSC_OK)
        return OSC_ERR_PLAINTEXT_MALFORMED;
    return OSC_OK;
}

osc_status osc_layer_open(const osc_coap_message *msg, osc_layer_result *result,
                          const osc_coap_option **oscore_out)
{
    memset(result, 0, sizeof *result);
    result->is_request = osc_message_is_request(msg);
    result->sender_member = OSC_GROUP_NO_MEMBER_INTERNAL;
    result->recipient_member = OSC_GROUP_NO_MEMBER_INTERNAL;

    const osc_coap_option *oscore = osc_coap_find_option(msg, OSC_OPT_OSCORE);
    *oscore_out = oscore;
    if (!oscore)
        return OSC_ERR_NO_OSCORE_OPTION;
    osc_status status =
        osc_option_value_decode(oscore->value, oscore->length, &result->option);
    if (status != OSC_OK)
        return status;

    result->ciphertext = msg->payload;
    result->ciphertext_len = msg->payload_length;
    if (result->is_request && osc_coap_find_option(msg, OSC_OPT_EDHOC)) {
        /* RFC 9668: payload = bstr(EDHOC message_3) || OSCORE ciphertext */
        size_t item_len;
        if (osc_cbor_read_bstr(
                msg->payload, msg->payload_length, &result->edhoc_message_3,
                &result->edhoc_message_3_len, &item_len) != OSC_OK)
            return OSC_ERR_EDHOC_PREFIX;
        result->ciphertext = msg->payload + item_len;
        result->ciphertext_len = msg->payload_length - item_len;
    }
    if (result->ciphertext_len == 0)
        return OSC_ERR_NO_PAYLOAD;
    return OSC_OK;
}

osc_status osc_layer_finish(const osc_coap_message *msg,
                            const osc_coap_option *oscore,
                            osc_layer_result *result)
{
    osc_status status = parse_plaintext(msg, result);
    if (status != OSC_OK)
        return status;
    status = merge_after_removal(msg, oscore, result);
    /* The EDHOC option announced the prefix this layer consumed. */
    if (status == OSC_OK && result->edhoc_message_3)
        osc_coap_remove_option(&result->result, OSC_OPT_EDHOC);
    return status;
}

osc_status osc_layer_close(osc_layer_result *result, osc_status status)
{
    if (status != OSC_OK && status != OSC_ERR_PLAINTEXT_MALFORMED) {
        /* Never hand out bytes that did not authenticate. */
        result->plaintext = NULL;
        result->plaintext_len = 0;
    }
    result->status = status;
    return status;
}

osc_status osc_layer_protect_nonce(bool own_piv, uint64_t sequence_number,
                                   const uint8_t *common_iv, size_t nonce_len,
                                   osc_bytes producer_id,
                                   const osc_request_binding *request,
                                   uint8_t piv[OSC_MAX_PIV_LEN],
                                   osc_option_value *value, uint8_t *nonce)
{
    if (!own_piv) {
        /* First response without Partial IV: the request's nonce. */
        if (request->nonce_len != nonce_len)
            return OSC_ERR_NO_REQUEST_BINDING;
        memcpy(nonce, request->nonce, nonce_len);
        return OSC_OK;
    }
    size_t piv_len = osc_piv_from_sequence(sequence_number, piv);
    if (piv_len == 0)
        return OSC_ERR_PIV_EXHAUSTED;
    value->piv = piv;
    value->piv_len = piv_len;
    return osc_nonce(common_iv, nonce_len, producer_id.ptr, producer_id.len,
                     piv, piv_len, nonce);
}

osc_status osc_layer_unprotect_nonce(const uint8_t *common_iv, size_t nonce_len,
                                     osc_bytes sender_id,
                                     const osc_request_binding *request,
                                     osc_layer_result *result)
{
    const osc_option_value *value = &result->option;
    if (value->piv_len > 0) {
        /* The message's own Partial IV with its sender's ID. */
        osc_status status =
            osc_nonce(common_iv, nonce_len, sender_id.ptr, sender_id.len,
                      value->piv, value->piv_len, result->nonce);
        if (status != OSC_OK)
            return status;
    } else {
        if (request->nonce_len != nonce_len)
            return OSC_ERR_NO_REQUEST_BINDING;
        memcpy(result->nonce, request->nonce, nonce_len);
    }
    result->nonce_len = nonce_len;
    return OSC_OK;
}
