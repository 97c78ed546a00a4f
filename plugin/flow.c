/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The sequence analysis "oscore_layers" (Statistics › Flow Graph, flow
 * type "OSCORE layers"; tshark -q -z flow,oscore_layers,standard): every
 * CoAP message with an OSCORE option is an arrow between its endpoints,
 * labelled with its innermost code and its layer stack,
 * "GET /alarm_status [c-p > c-s]", "2.05 Content [p-s > c-s]", and a
 * failed layer is marked: "FAILED layer 1 no-context [?]", "FAILED layer 1
 * replay: GET /alarm_status [c-p > c-s]".
 *
 * The items of a flow graph are structures whose header Wireshark does
 * not install (compat.h), so the plugin does not build them: for each
 * message it writes the label into the Info column, lets the built-in
 * "any" analysis (the one that draws every frame by its Info column) add
 * the item, and puts the Info column back.
 */
#include "oscore_layers.h"

#include <string.h>

#include <epan/column-utils.h>

static tap_packet_cb any_flow;

static char *flow_label(const ol_message *m, wmem_allocator_t *scope)
{
    if (m->block_role == OL_BLOCK_FRAGMENT ||
        m->block_role == OL_BLOCK_FOLLOW_UP) {
        /* No layer to name: "outer Block1 #0, more (fragment)". */
        const char *text = m->info;
        return wmem_strdup(scope, g_str_has_prefix(text, "OSCORE ")
                                      ? text + strlen("OSCORE ")
                                      : text);
    }
    GString *s = g_string_new(NULL);
    unsigned index = 0;
    const ol_layer *failed = ol_first_failed_layer(m, &index);
    if (failed != NULL) {
        g_string_append_printf(s, "FAILED layer %u %s", index,
                               ol_status_string(failed->status));
    }
    if (m->fully_peeled && m->removed > 0) {
        g_string_append(s, failed != NULL ? ": " : "");
        ol_append_innermost(s, m);
    }
    g_string_append(s, " [");
    ol_append_layer_stack(s, ol_keys_current(), m);
    g_string_append(s, "]");
    char *out = wmem_strdup(scope, s->str);
    g_string_free(s, TRUE);
    return out;
}

static tap_packet_status flow_packet(void *sainfo, packet_info *pinfo,
                                     epan_dissect_t *edt, const void *data,
                                     tap_flags_t flags)
{
    const ol_message *m = data;
    if (any_flow == NULL || pinfo->cinfo == NULL || m->count == 0) {
        return TAP_PACKET_DONT_REDRAW;
    }
    const char *info = col_get_text(pinfo->cinfo, COL_INFO);
    char *saved = wmem_strdup(pinfo->pool, info != NULL ? info : "");
    col_set_writable(pinfo->cinfo, COL_INFO, TRUE);
    col_add_str(pinfo->cinfo, COL_INFO, flow_label(m, pinfo->pool));
    tap_packet_status st = any_flow(sainfo, pinfo, edt, NULL, flags);
    col_add_str(pinfo->cinfo, COL_INFO, saved);
    return st;
}

void ol_flow_register(void)
{
    register_seq_analysis(OL_PROTO_FILTER, "OSCORE layers", proto_oscore_layers,
                          OL_PROTO_FILTER, TL_REQUIRES_COLUMNS, flow_packet);
}

void ol_flow_handoff(void)
{
    /* Registered by the frame dissector, which may come after us. */
    register_analysis_t *any = sequence_analysis_find_by_name("any");
    any_flow = any != NULL ? sequence_analysis_get_packet_func(any) : NULL;
}
