/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Statistics tap "oscore_layers" and its stats tree (tshark -z
 * oscore_layers,tree; Statistics menu in the GUI): per leg, messages,
 * layers per message, layers removed, and failures by status.
 */
#include "oscore_layers.h"

#include <epan/stats_tree.h>
#include <stdio.h>

int ol_tap = -1;

static int st_node_legs = -1;
static int st_node_status = -1;

static void ol_stats_init(stats_tree *st)
{
    st_node_legs = stats_tree_create_node(st, "Legs", 0, STAT_DT_INT, TRUE);
    st_node_status =
        stats_tree_create_node(st, "Layers by status", 0, STAT_DT_INT, TRUE);
}

static tap_packet_status ol_stats_packet(stats_tree *st, packet_info *pinfo _U_,
                                         epan_dissect_t *edt _U_,
                                         const void *data,
                                         tap_flags_t flags _U_)
{
    const ol_message *m = data;
    tick_stat_node(st, "Legs", 0, FALSE);
    int leg = tick_stat_node(st, m->leg, st_node_legs, TRUE);
    tick_stat_node(st, m->is_request ? "Requests" : "Responses", leg, FALSE);
    char buf[32];
    snprintf(buf, sizeof buf, "%u layer%s found", m->count,
             m->count == 1 ? "" : "s");
    int per = tick_stat_node(st, "Layers per message", leg, TRUE);
    tick_stat_node(st, buf, per, FALSE);
    increase_stat_node(st, "Layers removed", leg, FALSE, (gint)m->removed);
    for (unsigned i = 0; i < m->count; i++) {
        ol_status s = m->layers[i].status;
        tick_stat_node(st, "Layers by status", 0, FALSE);
        tick_stat_node(st, ol_status_string(s), st_node_status, FALSE);
        if (s != OL_ST_DECRYPTED) {
            int fail = tick_stat_node(st, "Failures", leg, TRUE);
            tick_stat_node(st, ol_status_string(s), fail, FALSE);
        }
    }
    return TAP_PACKET_REDRAW;
}

void ol_stats_register(void)
{
    ol_tap = register_tap(OL_PROTO_FILTER);
    stats_tree_register_plugin(OL_PROTO_FILTER, OL_PROTO_FILTER,
                               "OSCORE layers", 0, ol_stats_packet,
                               ol_stats_init, NULL);
}
