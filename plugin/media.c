/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The innermost payload is handed to Wireshark's "media_type" dissector
 * table, keyed by the media type its Content-Format stands for (CoAP
 * Content-Formats registry), so CBOR, JSON, SenML, LwM2M and the other
 * payload dissectors Wireshark has take over from there.
 */
#include "oscore_layers.h"

static dissector_table_t media_table;

typedef struct content_format {
    uint32_t number;
    const char *media_type;
} content_format;

static const content_format formats[] = {
    {0, "text/plain"},
    {16, "application/cose; cose-type=\"cose-encrypt0\""},
    {17, "application/cose; cose-type=\"cose-mac0\""},
    {18, "application/cose; cose-type=\"cose-sign1\""},
    {40, "application/link-format"},
    {41, "application/xml"},
    {42, "application/octet-stream"},
    {47, "application/exi"},
    {50, "application/json"},
    {51, "application/json-patch+json"},
    {52, "application/merge-patch+json"},
    {60, "application/cbor"},
    {61, "application/cwt"},
    {62, "application/multipart-core"},
    {63, "application/cbor-seq"},
    {96, "application/cose; cose-type=\"cose-encrypt\""},
    {97, "application/cose; cose-type=\"cose-mac\""},
    {98, "application/cose; cose-type=\"cose-sign\""},
    {101, "application/cose-key"},
    {102, "application/cose-key-set"},
    {110, "application/senml+json"},
    {111, "application/sensml+json"},
    {112, "application/senml+cbor"},
    {113, "application/sensml+cbor"},
    {256, "application/coap-group+json"},
    {310, "application/senml+xml"},
    {311, "application/sensml+xml"},
    {320, "application/senml-exi"},
    {321, "application/sensml-exi"},
    {11542, "application/vnd.oma.lwm2m+tlv"},
    {11543, "application/vnd.oma.lwm2m+json"},
    {11544, "application/vnd.oma.lwm2m+cbor"},
};

void ol_media_init(void)
{
    media_table = find_dissector_table("media_type");
}

const char *ol_media_type(uint32_t content_format)
{
    for (size_t i = 0; i < G_N_ELEMENTS(formats); i++) {
        if (formats[i].number == content_format) {
            return formats[i].media_type;
        }
    }
    return NULL;
}

void ol_media_dissect(tvbuff_t *payload, packet_info *pinfo, proto_tree *tree,
                      uint32_t content_format)
{
    const char *type = ol_media_type(content_format);
    if (media_table == NULL || type == NULL) {
        return;
    }
    /* tshark without -V builds an invisible tree for every frame only
     * because this plugin asks for one (dissector.c, tree_keeper): a
     * payload dissector's items would all be thrown away unless a display
     * filter, a -e field or a tap names its protocol, and parsing JSON or
     * CBOR payloads for nothing cost about a tenth of a 3-layer pass. */
    dissector_handle_t handle = dissector_get_string_handle(media_table, type);
    int proto =
        handle != NULL ? dissector_handle_get_protocol_index(handle) : -1;
    if (proto == -1 || !proto_field_is_referenced(tree, proto)) {
        return;
    }
    /* Payload dissectors write their own protocol name; the Protocol
     * column must keep saying OSCORE, so it is set again afterwards by
     * the caller's order (columns are written before drawing). */
    ol_try_string_table(media_table, type, payload, pinfo, tree);
}
