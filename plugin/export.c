/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The Export PDU tap "OSCORE decrypted CoAP" (File › Export PDUs to
 * File… in the GUI, tshark -U "OSCORE decrypted CoAP" -w out.pcapng):
 * each message whose layers were all removed is written as the CoAP
 * message it carries, with the frame's addresses, ports and time, so that
 * any CoAP tool, Wireshark's own CoAP dissector included, reads the
 * conversation in clear.
 *
 * The message is the one RFC 8613 8.2 / 8.4 restores after each layer
 * (osc_layer_result.result): the outer header and token, the innermost
 * code, the outer Class U options without the OSCORE option together
 * with every decrypted option, the innermost payload. It is written in
 * RFC 7252 framing (in_udp_framing says why also for TCP).
 * Messages not fully peeled are left out, and counted in the statistics
 * tree (stats.c).
 */
#include "oscore_layers.h"

#include <epan/exported_pdu.h>
#include <epan/tap.h>

#define OL_EXPORT_TAP_NAME "OSCORE decrypted CoAP"

static int export_tap = -1;

void ol_export_register(void)
{
    export_tap = register_export_pdu_tap(OL_EXPORT_TAP_NAME);
}

bool ol_export_wanted(void)
{
    return export_tap >= 0 && have_tap_listener(export_tap);
}

/* The message in RFC 7252 framing. Wireshark's CoAP-over-TCP dissector
 * needs the TCP stream of its conversation, which an exported file does
 * not have (4.0 to 4.6 stop with a failed assertion), so a message
 * captured over TCP, TLS or WebSockets is written as a non-confirmable
 * UDP message whose Message ID is the frame number's low 16 bits. */
static osc_coap_message in_udp_framing(const osc_coap_message *msg,
                                       const packet_info *pinfo)
{
    osc_coap_message out = *msg;
    if (out.framing != OSC_COAP_FRAMING_UDP) {
        out.framing = OSC_COAP_FRAMING_UDP;
        out.type = OSC_COAP_TYPE_NON;
        out.message_id = (uint16_t)pinfo->num;
    }
    return out;
}

void ol_export_message(packet_info *pinfo, tvbuff_t *parent,
                       const osc_coap_message *msg)
{
    if (msg == NULL) {
        return;
    }
    osc_coap_message out = in_udp_framing(msg, pinfo);
    size_t cap = osc_coap_serialized_size_bound(&out);
    uint8_t *bytes = wmem_alloc(pinfo->pool, cap);
    size_t len = 0;
    if (osc_coap_serialize(&out, bytes, cap, &len) != OSC_OK ||
        len > G_MAXINT) {
        return; /* the decrypted options do not fit a CoAP message */
    }
    tvbuff_t *tvb =
        tvb_new_child_real_data(parent, bytes, (guint)len, (gint)len);
    /* The ports are announced as UDP ports, as the framing is; the tags
     * are made from pinfo, whose port type is restored at once. */
    port_type captured = pinfo->ptype;
    pinfo->ptype = PT_UDP;
    exp_pdu_data_t *pdu = export_pdu_create_common_tags(
        pinfo, "coap", EXP_PDU_TAG_DISSECTOR_NAME);
    pinfo->ptype = captured;
    pdu->tvb_captured_length = (guint)len;
    pdu->tvb_reported_length = (guint)len;
    pdu->pdu_tvb = tvb;
    tap_queue_packet(export_tap, pinfo, pdu);
}
