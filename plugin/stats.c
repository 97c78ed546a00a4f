/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Statistics tap "oscore_layers" and its stats tree (tshark -z
 * oscore_layers,tree; Statistics menu in the GUI).
 *
 * stats_tree prints every node's count as a percentage of its parent's
 * count, so each child below counts the same thing as its parent and is
 * a part of it: messages under "Messages", layers under "Layers". (Layer
 * counts under a message node gave percentages such as 200%.)
 *
 *   Messages             every message with an OSCORE option
 *    <leg>               share of the messages
 *     Requests|Responses share of the leg's messages
 *     N layer(s) found   share of the leg's messages
 *   Layers               every layer found (removed or attempted)
 *    <leg>               share of the layers
 *     removed            plaintext obtained (decrypted, replay)
 *      <status>
 *     not removed        the layer where peeling stopped
 *      <status>
 *   Layers by status     every layer found, by status
 *   Messages by outcome  every message with an OSCORE option
 *    all layers removed  what the "OSCORE decrypted CoAP" export writes
 *    not all removed     what it leaves out
 */
#include "oscore_layers.h"

#include <epan/stats_tree.h>
#include <stdio.h>

int ol_tap = -1;

static const char st_messages[] = "Messages";
static const char st_layers[] = "Layers";
static const char st_by_status[] = "Layers by status";
static const char st_outcome[] = "Messages by outcome";

static int st_node_messages = -1;
static int st_node_layers = -1;
static int st_node_status = -1;
static int st_node_outcome = -1;

static void ol_stats_init(stats_tree *st)
{
    st_node_messages =
        stats_tree_create_node(st, st_messages, 0, STAT_DT_INT, TRUE);
    st_node_layers =
        stats_tree_create_node(st, st_layers, 0, STAT_DT_INT, TRUE);
    st_node_status =
        stats_tree_create_node(st, st_by_status, 0, STAT_DT_INT, TRUE);
    st_node_outcome =
        stats_tree_create_node(st, st_outcome, 0, STAT_DT_INT, TRUE);
}

static void count_message(stats_tree *st, const ol_message *m)
{
    tick_stat_node(st, st_messages, 0, FALSE);
    int leg = tick_stat_node(st, m->leg, st_node_messages, TRUE);
    tick_stat_node(st, m->is_request ? "Requests" : "Responses", leg, FALSE);
    char buf[32];
    snprintf(buf, sizeof buf, "%u layer%s found", m->count,
             m->count == 1 ? "" : "s");
    tick_stat_node(st, buf, leg, FALSE);
    tick_stat_node(st, st_outcome, 0, FALSE);
    bool all = m->fully_peeled && m->removed > 0;
    tick_stat_node(st, all ? "all layers removed" : "not all removed",
                   st_node_outcome, FALSE);
}

/* Layers 0 .. removed-1 were removed (a replayed layer is decrypted, then
 * flagged); the one after them, if any, is where peeling stopped. */
static void count_layers(stats_tree *st, const ol_message *m)
{
    if (m->count == 0) {
        return;
    }
    increase_stat_node(st, st_layers, 0, FALSE, (gint)m->count);
    int leg =
        increase_stat_node(st, m->leg, st_node_layers, TRUE, (gint)m->count);
    for (unsigned i = 0; i < m->count; i++) {
        const char *s = ol_status_string(m->layers[i].status);
        int part = tick_stat_node(
            st, i < m->removed ? "removed" : "not removed", leg, TRUE);
        tick_stat_node(st, s, part, FALSE);
        tick_stat_node(st, st_by_status, 0, FALSE);
        tick_stat_node(st, s, st_node_status, FALSE);
    }
}

static tap_packet_status ol_stats_packet(stats_tree *st, packet_info *pinfo _U_,
                                         epan_dissect_t *edt _U_,
                                         const void *data,
                                         tap_flags_t flags _U_)
{
    const ol_message *m = data;
    count_message(st, m);
    count_layers(st, m);
    return TAP_PACKET_REDRAW;
}

void ol_stats_register(void)
{
    ol_tap = register_tap(OL_PROTO_FILTER);
    stats_tree_register_plugin(OL_PROTO_FILTER, OL_PROTO_FILTER,
                               "OSCORE layers", 0, ol_stats_packet,
                               ol_stats_init, NULL);
}
