/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What Wireshark's plugin loader looks for: the version symbols and
 * plugin_register, which hands our register/handoff pair to epan. The
 * module is built with hidden visibility, so these are its only exports.
 */
#include "oscore_layers.h"

#include "oscore/engine.h"

#define OL_EXPORT __attribute__((visibility("default")))

OL_EXPORT const char plugin_version[] = OSCORE_LAYERS_VERSION;
OL_EXPORT const int plugin_want_major = WIRESHARK_VERSION_MAJOR;
OL_EXPORT const int plugin_want_minor = WIRESHARK_VERSION_MINOR;

OL_EXPORT void plugin_register(void);
#if OL_HAVE_PLUGIN_DESCRIBE
#include <wsutil/plugins.h>
OL_EXPORT uint32_t plugin_describe(void);
uint32_t plugin_describe(void)
{
    return WS_PLUGIN_DESC_DISSECTOR;
}
#endif

static void register_protoinfo(void)
{
    /* libgcrypt is shared with Wireshark, which initialises it first;
     * the engine then only checks its version. */
    if (osc_engine_init() != OSC_OK) {
        g_warning("OSCORE layers: needs libgcrypt %s or newer",
                  OSC_ENGINE_MIN_GCRYPT_VERSION);
    }
    ol_register_fields();
    ol_dissector_register();
    ol_stats_register();
    ol_chains_register();
    ol_outer_block_register();
    ol_export_register();
    ol_flow_register();
}

static void register_handoff(void)
{
    ol_dissector_handoff();
    ol_flow_handoff();
}

void plugin_register(void)
{
    static proto_plugin plug;
    plug.register_protoinfo = register_protoinfo;
    plug.register_handoff = register_handoff;
    proto_register_plugin(&plug);
}
