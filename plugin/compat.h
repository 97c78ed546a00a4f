/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Every Wireshark API whose spelling differs between the versions the
 * plugin is built for (4.0 now; 4.4 and 4.6 later) is reached through
 * this header only, so porting means editing one file.
 */
#ifndef OSCORE_LAYERS_COMPAT_H
#define OSCORE_LAYERS_COMPAT_H

#include <ws_version.h>

#include <epan/packet.h>
#include <epan/prefs.h>
#include <epan/strutil.h>
#include <epan/tvbuff.h>
#include <epan/uat.h>

#define OL_WS_AT_LEAST(maj, min)                                               \
    (WIRESHARK_VERSION_MAJOR > (maj) ||                                        \
     (WIRESHARK_VERSION_MAJOR == (maj) && WIRESHARK_VERSION_MINOR >= (min)))

/* Boolean type of preference variables and UAT callbacks: gboolean up to
 * 4.2, bool from 4.4 on. */
#if OL_WS_AT_LEAST(4, 4)
typedef bool ol_pref_bool;
typedef bool ol_uat_bool;
#else
typedef gboolean ol_pref_bool;
typedef gboolean ol_uat_bool;
#endif

/* tvb_get_guint8 was renamed tvb_get_uint8 in 4.4. */
#if OL_WS_AT_LEAST(4, 4)
#define ol_tvb_get_u8(tvb, off) tvb_get_uint8((tvb), (off))
#else
#define ol_tvb_get_u8(tvb, off) tvb_get_guint8((tvb), (off))
#endif

/* Hands a payload to a string-keyed dissector table (the media_type
 * table); returns the bytes consumed, 0 when no dissector took it. */
static inline int ol_try_string_table(dissector_table_t table, const char *key,
                                      tvbuff_t *tvb, packet_info *pinfo,
                                      proto_tree *tree)
{
#if OL_WS_AT_LEAST(4, 6)
    return dissector_try_string_with_data(table, key, tvb, pinfo, tree, true,
                                          NULL);
#else
    return dissector_try_string(table, key, tvb, pinfo, tree, NULL);
#endif
}

/* Text from a capture or a plaintext, with every non-printable byte (NUL
 * included: the length is explicit) written as a C-style escape, the way
 * Wireshark shows such text; the string argument is const guchar * in 4.0
 * and const char * from 4.2 on. */
#if OL_WS_AT_LEAST(4, 2)
#define ol_escaped_text(scope, bytes, len)                                     \
    format_text((scope), (const char *)(bytes), (len))
#else
#define ol_escaped_text(scope, bytes, len)                                     \
    format_text((scope), (const guchar *)(bytes), (len))
#endif

/* The plugin_describe symbol exists from 4.2 on; 4.0 does not know it. */
#if OL_WS_AT_LEAST(4, 2)
#define OL_HAVE_PLUGIN_DESCRIBE 1
#else
#define OL_HAVE_PLUGIN_DESCRIBE 0
#endif

/* Sequence analyses (the Flow Graph): libwireshark exports these from 4.0
 * to 4.6 with the same signatures, but no -dev package installs their
 * header (epan/sequence_analysis.h). Only the functions are declared
 * here, never its structures, whose layout the plugin must not assume:
 * the plugin's analysis hands each item to the built-in "any" analysis,
 * which fills it (flow.c). */
#include <epan/tap.h>
typedef struct register_analysis register_analysis_t;
void register_seq_analysis(const char *name, const char *ui_name,
                           const int proto_id, const char *tap_listener,
                           unsigned tap_flags, tap_packet_cb tap_func);
register_analysis_t *sequence_analysis_find_by_name(const char *name);
tap_packet_cb sequence_analysis_get_packet_func(register_analysis_t *analysis);

#endif
