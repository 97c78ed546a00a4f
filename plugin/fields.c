/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The plugin's vocabulary towards Wireshark: protocol, header fields,
 * subtrees, expert infos and preferences. Field names are a contract
 * (README.md lists them): users' filters and the regression tests rely on
 * them.
 */
#include "oscore_layers.h"

#include <epan/prefs.h>

#include "oscore/options.h"

int proto_oscore_layers = -1;

int hf_ol_info = -1, hf_ol_count = -1, hf_ol_removed = -1, hf_ol_leg = -1,
    hf_ol_exchange = -1, hf_ol_request_frame = -1, hf_ol_retransmission_of = -1,
    hf_ol_layer = -1, hf_ol_layer_index = -1, hf_ol_layer_context = -1,
    hf_ol_layer_kid = -1, hf_ol_layer_kid_context = -1, hf_ol_layer_piv = -1,
    hf_ol_layer_flags = -1, hf_ol_layer_option = -1,
    hf_ol_layer_request_kid = -1, hf_ol_layer_request_piv = -1,
    hf_ol_layer_alg = -1, hf_ol_layer_alg_name = -1, hf_ol_layer_status = -1,
    hf_ol_layer_code = -1, hf_ol_layer_plaintext = -1, hf_ol_layer_nonce = -1,
    hf_ol_layer_aad = -1, hf_ol_layer_ciphertext = -1,
    hf_ol_layer_producer_id = -1, hf_ol_layer_candidates = -1,
    hf_ol_layer_uri = -1, hf_ol_layer_seen_frame = -1,
    hf_ol_layer_seen_leg = -1, hf_ol_layer_proxy_time = -1,
    hf_ol_layer_replay_of = -1, hf_ol_layer_sender_key = -1,
    hf_ol_layer_recipient_key = -1, hf_ol_layer_common_iv = -1,
    hf_ol_inner_code = -1, hf_ol_inner_payload = -1, hf_ol_inner_uri = -1,
    hf_ol_opt_other = -1, hf_ol_opt_other_number = -1, hf_ol_layer_mode = -1,
    hf_ol_layer_signature = -1, hf_ol_layer_signature_status = -1;

int ett_ol = -1, ett_ol_layer = -1, ett_ol_options = -1;

expert_field ei_ol_candidates_untried = EI_INIT, ei_ol_truncated = EI_INIT;
expert_field ei_ol_no_context = EI_INIT, ei_ol_auth_failed = EI_INIT,
             ei_ol_no_request = EI_INIT, ei_ol_replay = EI_INIT,
             ei_ol_retransmission = EI_INIT, ei_ol_count_mismatch = EI_INIT,
             ei_ol_wrong_layer = EI_INIT, ei_ol_ignored_outer = EI_INIT,
             ei_ol_depth_limit = EI_INIT, ei_ol_malformed = EI_INIT,
             ei_ol_stale_notification = EI_INIT,
             ei_ol_group_unsupported = EI_INIT, ei_ol_correlated = EI_INIT,
             ei_ol_readable_e2e = EI_INIT, ei_ol_signature_invalid = EI_INIT,
             ei_ol_no_private_key = EI_INIT, ei_ol_internal_error = EI_INIT,
             ei_ol_unknown_member = EI_INIT;

ol_prefs ol_pref = {
    .disable_builtin = TRUE,
    .show_derived_keys = FALSE,
    .max_layers = 16,
    .replay_window = 32,
    .keys_file = "",
};

static const char *const status_strings[OL_ST_COUNT] = {
    [OL_ST_DECRYPTED] = "decrypted",
    [OL_ST_NO_CONTEXT] = "no-context",
    [OL_ST_NO_REQUEST] = "no-request",
    [OL_ST_AUTH_FAILED] = "auth-failed",
    [OL_ST_MALFORMED] = "malformed",
    [OL_ST_REPLAY] = "replay",
    [OL_ST_DEPTH_LIMIT] = "depth-limit",
    [OL_ST_INTERNAL_ERROR] = "internal-error",
    [OL_ST_TRUNCATED] = "truncated",
    [OL_ST_FRAGMENT] = "fragment",
    [OL_ST_BLOCK_REQUEST] = "block-request",
};

const char *ol_status_string(ol_status status)
{
    return status < OL_ST_COUNT ? status_strings[status] : "unknown";
}

/* One header field per CoAP option the engine's registry names, so that
 * `oscore_layers.opt.uri_path == "x"` works in any layer. Options of
 * other numbers use the generic oscore_layers.opt.other. */
typedef struct option_field {
    uint16_t number;
    int hf;
} option_field;

static option_field option_fields[] = {
    {OSC_OPT_IF_MATCH, -1},      {OSC_OPT_URI_HOST, -1},
    {OSC_OPT_ETAG, -1},          {OSC_OPT_IF_NONE_MATCH, -1},
    {OSC_OPT_OBSERVE, -1},       {OSC_OPT_URI_PORT, -1},
    {OSC_OPT_LOCATION_PATH, -1}, {OSC_OPT_OSCORE, -1},
    {OSC_OPT_URI_PATH, -1},      {OSC_OPT_CONTENT_FORMAT, -1},
    {OSC_OPT_MAX_AGE, -1},       {OSC_OPT_URI_QUERY, -1},
    {OSC_OPT_HOP_LIMIT, -1},     {OSC_OPT_ACCEPT, -1},
    {OSC_OPT_Q_BLOCK1, -1},      {OSC_OPT_LOCATION_QUERY, -1},
    {OSC_OPT_EDHOC, -1},         {OSC_OPT_BLOCK2, -1},
    {OSC_OPT_BLOCK1, -1},        {OSC_OPT_SIZE2, -1},
    {OSC_OPT_Q_BLOCK2, -1},      {OSC_OPT_PROXY_URI, -1},
    {OSC_OPT_PROXY_SCHEME, -1},  {OSC_OPT_SIZE1, -1},
    {OSC_OPT_ECHO, -1},          {OSC_OPT_NO_RESPONSE, -1},
    {OSC_OPT_REQUEST_TAG, -1},
};

/* Filter-name suffixes, in the order of option_fields. */
static const char *const option_abbrevs[] = {
    "if_match",  "uri_host",       "etag",          "if_none_match",
    "observe",   "uri_port",       "location_path", "oscore",
    "uri_path",  "content_format", "max_age",       "uri_query",
    "hop_limit", "accept",         "q_block1",      "location_query",
    "edhoc",     "block2",         "block1",        "size2",
    "q_block2",  "proxy_uri",      "proxy_scheme",  "size1",
    "echo",      "no_response",    "request_tag",
};

int ol_option_hf(uint16_t number)
{
    for (size_t i = 0; i < G_N_ELEMENTS(option_fields); i++) {
        if (option_fields[i].number == number) {
            return option_fields[i].hf;
        }
    }
    return -1;
}

/* Field type from the engine registry's value format. */
static void option_field_type(uint16_t number, enum ftenum *type, int *display)
{
    osc_option_info info = osc_option_lookup(number);
    switch (info.format) {
    case OSC_FORMAT_UINT:
        *type = FT_UINT32;
        *display = BASE_DEC;
        break;
    case OSC_FORMAT_STRING:
        *type = FT_STRING;
        *display = BASE_NONE;
        break;
    case OSC_FORMAT_EMPTY:
        *type = FT_NONE;
        *display = BASE_NONE;
        break;
    default:
        *type = FT_BYTES;
        /* Empty opaque values (an empty inner OSCORE option, an empty
         * Echo) are legal: show "<none>", not "<MISSING>". */
        *display = BASE_NONE | BASE_ALLOW_ZERO;
        break;
    }
}

/* Wireshark keeps pointers into this array for the process lifetime;
 * kept here too, so that LeakSanitizer (tests/fuzz, plugin.asan.*) sees
 * it as reachable rather than leaked once Wireshark drops its field
 * table at exit. */
static hf_register_info
    *volatile option_hf; /* volatile: kept although never read */

static void register_option_fields(void)
{
    G_STATIC_ASSERT(G_N_ELEMENTS(option_fields) ==
                    G_N_ELEMENTS(option_abbrevs));
    size_t n = G_N_ELEMENTS(option_fields);
    hf_register_info *hf = g_new0(hf_register_info, n);
    option_hf = hf;
    for (size_t i = 0; i < n; i++) {
        uint16_t number = option_fields[i].number;
        const char *name = osc_option_name(number);
        enum ftenum type;
        int display;
        option_field_type(number, &type, &display);
        hf[i].p_id = &option_fields[i].hf;
        hf[i].hfinfo.name = g_strdup(name ? name : "Option");
        hf[i].hfinfo.abbrev =
            g_strdup_printf(OL_PROTO_FILTER ".opt.%s", option_abbrevs[i]);
        hf[i].hfinfo.type = type;
        hf[i].hfinfo.display = display;
        hf[i].hfinfo.blurb = g_strdup_printf(
            "CoAP option %u as found in an OSCORE layer", number);
        HFILL_INIT(hf[i]);
    }
    proto_register_field_array(proto_oscore_layers, hf, (int)n);
}

static hf_register_info hf[] = {
    {&hf_ol_info,
     {"Summary", OL_PROTO_FILTER ".info", FT_STRING, BASE_NONE, NULL, 0x0,
      "What the plugin writes in the Info column for this message; unlike "
      "_ws.col.info it can be filtered on every Wireshark version",
      HFILL}},
    {&hf_ol_count,
     {"Layers found", OL_PROTO_FILTER ".count", FT_UINT32, BASE_DEC, NULL, 0x0,
      "OSCORE layers found on this message (removed or attempted)", HFILL}},
    {&hf_ol_removed,
     {"Layers removed", OL_PROTO_FILTER ".removed", FT_UINT32, BASE_DEC, NULL,
      0x0, "OSCORE layers decrypted and removed", HFILL}},
    {&hf_ol_leg,
     {"Leg", OL_PROTO_FILTER ".leg", FT_STRING, BASE_NONE, NULL, 0x0,
      "Address pair the message travels on", HFILL}},
    {&hf_ol_exchange,
     {"Exchange", OL_PROTO_FILTER ".exchange", FT_UINT32, BASE_DEC, NULL, 0x0,
      "End-to-end exchange: the same number on every leg of a proxy chain "
      "for a request and its responses (by the innermost layer's context, "
      "kid and Partial IV); the rows of the chains statistics",
      HFILL}},
    {&hf_ol_request_frame,
     {"Request in frame", OL_PROTO_FILTER ".request_frame", FT_FRAMENUM,
      BASE_NONE, FRAMENUM_TYPE(FT_FRAMENUM_REQUEST), 0x0,
      "The request on this leg (same token) whose layers this response "
      "answers",
      HFILL}},
    {&hf_ol_retransmission_of,
     {"Retransmission of frame", OL_PROTO_FILTER ".retransmission_of",
      FT_FRAMENUM, BASE_NONE, FRAMENUM_TYPE(FT_FRAMENUM_RETRANS_PREV), 0x0,
      "CoAP retransmission: same MID, same bytes (not a replay)", HFILL}},
    {&hf_ol_layer,
     {"OSCORE layer", OL_PROTO_FILTER ".layer", FT_NONE, BASE_NONE, NULL, 0x0,
      "One OSCORE layer, outermost first", HFILL}},
    {&hf_ol_layer_index,
     {"Index", OL_PROTO_FILTER ".layer.index", FT_UINT32, BASE_DEC, NULL, 0x0,
      "1 = outermost", HFILL}},
    {&hf_ol_layer_context,
     {"Context", OL_PROTO_FILTER ".layer.context", FT_STRING, BASE_NONE, NULL,
      0x0, "Name of the security context that removed this layer", HFILL}},
    {&hf_ol_layer_kid,
     {"kid", OL_PROTO_FILTER ".layer.kid", FT_BYTES,
      BASE_NONE | BASE_ALLOW_ZERO, NULL, 0x0,
      "Key ID of this layer's OSCORE option", HFILL}},
    {&hf_ol_layer_kid_context,
     {"kid context", OL_PROTO_FILTER ".layer.kid_context", FT_BYTES,
      BASE_NONE | BASE_ALLOW_ZERO, NULL, 0x0, NULL, HFILL}},
    {&hf_ol_layer_piv,
     {"Partial IV", OL_PROTO_FILTER ".layer.piv", FT_BYTES, BASE_NONE, NULL,
      0x0, NULL, HFILL}},
    {&hf_ol_layer_flags,
     {"Flags", OL_PROTO_FILTER ".layer.flags", FT_UINT8, BASE_HEX, NULL, 0x0,
      "First byte of the OSCORE option value", HFILL}},
    {&hf_ol_layer_option,
     {"OSCORE option", OL_PROTO_FILTER ".layer.option", FT_BYTES,
      BASE_NONE | BASE_ALLOW_ZERO, NULL, 0x0,
      "This layer's OSCORE option value (compressed COSE)", HFILL}},
    {&hf_ol_layer_request_kid,
     {"Request kid", OL_PROTO_FILTER ".layer.request_kid", FT_BYTES,
      BASE_NONE | BASE_ALLOW_ZERO, NULL, 0x0,
      "request_kid in the AAD of this layer", HFILL}},
    {&hf_ol_layer_request_piv,
     {"Request Partial IV", OL_PROTO_FILTER ".layer.request_piv", FT_BYTES,
      BASE_NONE, NULL, 0x0, "request_piv in the AAD of this layer", HFILL}},
    {&hf_ol_layer_alg,
     {"AEAD algorithm", OL_PROTO_FILTER ".layer.alg", FT_INT32, BASE_DEC, NULL,
      0x0, "COSE identifier", HFILL}},
    {&hf_ol_layer_alg_name,
     {"AEAD algorithm name", OL_PROTO_FILTER ".layer.alg_name", FT_STRING,
      BASE_NONE, NULL, 0x0, NULL, HFILL}},
    {&hf_ol_layer_status,
     {"Status", OL_PROTO_FILTER ".layer.status", FT_STRING, BASE_NONE, NULL,
      0x0,
      "decrypted, no-context, no-request, auth-failed, malformed, replay, "
      "depth-limit or internal-error",
      HFILL}},
    {&hf_ol_layer_code,
     {"Decrypted code", OL_PROTO_FILTER ".layer.code", FT_UINT8, BASE_HEX, NULL,
      0x0, "CoAP code inside this layer", HFILL}},
    {&hf_ol_layer_plaintext,
     {"Plaintext", OL_PROTO_FILTER ".layer.plaintext", FT_BYTES, BASE_NONE,
      NULL, 0x0, "Code, options and payload exactly as decrypted", HFILL}},
    {&hf_ol_layer_nonce,
     {"Nonce", OL_PROTO_FILTER ".layer.nonce", FT_BYTES, BASE_NONE, NULL, 0x0,
      "AEAD nonce used", HFILL}},
    {&hf_ol_layer_aad,
     {"AAD", OL_PROTO_FILTER ".layer.aad", FT_BYTES, BASE_NONE, NULL, 0x0,
      "Enc_structure used as AEAD additional data", HFILL}},
    {&hf_ol_layer_ciphertext,
     {"Ciphertext", OL_PROTO_FILTER ".layer.ciphertext", FT_BYTES, BASE_NONE,
      NULL, 0x0, "Ciphertext and tag of this layer", HFILL}},
    {&hf_ol_layer_producer_id,
     {"Producer ID", OL_PROTO_FILTER ".layer.producer_id", FT_BYTES,
      BASE_NONE | BASE_ALLOW_ZERO, NULL, 0x0,
      "Sender ID of the endpoint that protected this layer", HFILL}},
    {&hf_ol_layer_mode,
     {"Mode", OL_PROTO_FILTER ".layer.mode", FT_STRING, BASE_NONE, NULL, 0x0,
      "oscore (RFC 8613), or group / pairwise (Group OSCORE, RFC 10021)",
      HFILL}},
    {&hf_ol_layer_signature,
     {"Countersignature", OL_PROTO_FILTER ".layer.signature", FT_BYTES,
      BASE_NONE, NULL, 0x0,
      "Group mode: the sender's signature, decrypted with its keystream",
      HFILL}},
    {&hf_ol_layer_signature_status,
     {"Countersignature check", OL_PROTO_FILTER ".layer.signature_status",
      FT_STRING, BASE_NONE, NULL, 0x0,
      "valid, valid (4-element ToBeSigned) or invalid", HFILL}},
    {&hf_ol_layer_candidates,
     {"Contexts tried", OL_PROTO_FILTER ".layer.candidates", FT_UINT32,
      BASE_DEC, NULL, 0x0, NULL, HFILL}},
    {&hf_ol_layer_uri,
     {"Request path", OL_PROTO_FILTER ".layer.uri", FT_STRING, BASE_NONE, NULL,
      0x0, "Uri-Path and Uri-Query options inside this layer", HFILL}},
    {&hf_ol_layer_seen_frame,
     {"Also seen in frame", OL_PROTO_FILTER ".layer.seen_in", FT_FRAMENUM,
      BASE_NONE, NULL, 0x0,
      "Earlier frame carrying the same layer (context, kid, Partial IV) on "
      "another leg",
      HFILL}},
    {&hf_ol_layer_seen_leg,
     {"Also seen on leg", OL_PROTO_FILTER ".layer.seen_leg", FT_STRING,
      BASE_NONE, NULL, 0x0, NULL, HFILL}},
    {&hf_ol_layer_proxy_time,
     {"Time since that leg", OL_PROTO_FILTER ".layer.proxy_time",
      FT_RELATIVE_TIME, BASE_NONE, NULL, 0x0,
      "Time the intermediary took between the two legs", HFILL}},
    {&hf_ol_layer_replay_of,
     {"Replay of frame", OL_PROTO_FILTER ".layer.replay_of", FT_FRAMENUM,
      BASE_NONE, NULL, 0x0,
      "Earlier frame with the same Partial IV in this context, direction "
      "and leg",
      HFILL}},
    {&hf_ol_layer_sender_key,
     {"Sender Key", OL_PROTO_FILTER ".layer.sender_key", FT_BYTES, BASE_NONE,
      NULL, 0x0, "Derived key (shown only when the preference asks)", HFILL}},
    {&hf_ol_layer_recipient_key,
     {"Recipient Key", OL_PROTO_FILTER ".layer.recipient_key", FT_BYTES,
      BASE_NONE, NULL, 0x0, "Derived key (shown only when the preference asks)",
      HFILL}},
    {&hf_ol_layer_common_iv,
     {"Common IV", OL_PROTO_FILTER ".layer.common_iv", FT_BYTES, BASE_NONE,
      NULL, 0x0, NULL, HFILL}},
    {&hf_ol_inner_code,
     {"Innermost code", OL_PROTO_FILTER ".inner.code", FT_UINT8, BASE_HEX, NULL,
      0x0, "Code of the message after all layers were removed", HFILL}},
    {&hf_ol_inner_payload,
     {"Innermost payload", OL_PROTO_FILTER ".inner.payload", FT_BYTES,
      BASE_NONE, NULL, 0x0, NULL, HFILL}},
    {&hf_ol_inner_uri,
     {"Innermost request path", OL_PROTO_FILTER ".inner.uri", FT_STRING,
      BASE_NONE, NULL, 0x0, NULL, HFILL}},
    {&hf_ol_opt_other,
     {"Option", OL_PROTO_FILTER ".opt.other", FT_BYTES,
      BASE_NONE | BASE_ALLOW_ZERO, NULL, 0x0,
      "Option without a field of its own", HFILL}},
    {&hf_ol_opt_other_number,
     {"Option number", OL_PROTO_FILTER ".opt.other_number", FT_UINT16, BASE_DEC,
      NULL, 0x0, NULL, HFILL}},
};

static ei_register_info ei[] = {
    {&ei_ol_no_context,
     {OL_PROTO_FILTER ".no_context", PI_DECRYPTION, PI_NOTE,
      "No security context for this kid", EXPFILL}},
    {&ei_ol_candidates_untried,
     {OL_PROTO_FILTER ".candidates_untried", PI_DECRYPTION, PI_WARN,
      "More contexts share this kid than are tried", EXPFILL}},
    {&ei_ol_auth_failed,
     {OL_PROTO_FILTER ".auth_failed", PI_DECRYPTION, PI_ERROR,
      "Authentication failed", EXPFILL}},
    {&ei_ol_no_request,
     {OL_PROTO_FILTER ".no_request", PI_SEQUENCE, PI_WARN,
      "Response without a matching request on this leg", EXPFILL}},
    {&ei_ol_replay,
     {OL_PROTO_FILTER ".replay", PI_SECURITY, PI_WARN, "Replayed Partial IV",
      EXPFILL}},
    {&ei_ol_retransmission,
     {OL_PROTO_FILTER ".retransmission", PI_SEQUENCE, PI_NOTE,
      "CoAP retransmission (same MID, same bytes): not a replay", EXPFILL}},
    {&ei_ol_count_mismatch,
     {OL_PROTO_FILTER ".layer_count_mismatch", PI_PROTOCOL, PI_WARN,
      "Response layer count differs from its request's", EXPFILL}},
    {&ei_ol_wrong_layer,
     {OL_PROTO_FILTER ".wrong_layer", PI_PROTOCOL, PI_WARN,
      "Option in the wrong layer", EXPFILL}},
    {&ei_ol_ignored_outer,
     {OL_PROTO_FILTER ".ignored_outer", PI_PROTOCOL, PI_WARN,
      "Class E option outside the layer: readable on the wire, ignored by "
      "the receiver",
      EXPFILL}},
    {&ei_ol_truncated,
     {OL_PROTO_FILTER ".truncated", PI_MALFORMED, PI_WARN,
      "Message captured without its end (snap length): layer not checked",
      EXPFILL}},
    {&ei_ol_depth_limit,
     {OL_PROTO_FILTER ".depth_limit", PI_PROTOCOL, PI_WARN, "Layer cap reached",
      EXPFILL}},
    {&ei_ol_malformed,
     {OL_PROTO_FILTER ".malformed", PI_MALFORMED, PI_ERROR,
      "Malformed OSCORE layer", EXPFILL}},
    {&ei_ol_internal_error,
     {OL_PROTO_FILTER ".internal_error", PI_UNDECODED, PI_WARN,
      "Layer not processed: internal error of the decryptor, not a fault of "
      "the message",
      EXPFILL}},
    {&ei_ol_stale_notification,
     {OL_PROTO_FILTER ".stale_notification", PI_SEQUENCE, PI_NOTE,
      "Notification older than one already seen", EXPFILL}},
    {&ei_ol_group_unsupported,
     {OL_PROTO_FILTER ".group_unsupported", PI_UNDECODED, PI_NOTE,
      "Group OSCORE algorithm not supported (supported: EdDSA/Ed25519 or "
      "ES256 signatures, AEAD or AES-CTR group encryption)",
      EXPFILL}},
    {&ei_ol_signature_invalid,
     {OL_PROTO_FILTER ".signature_invalid", PI_SECURITY, PI_ERROR,
      "Group mode countersignature does not verify with the sender's "
      "credential",
      EXPFILL}},
    {&ei_ol_no_private_key,
     {OL_PROTO_FILTER ".no_private_key", PI_UNDECODED, PI_NOTE,
      "Pairwise mode: no private key of either member, so no pairwise key",
      EXPFILL}},
    {&ei_ol_unknown_member,
     {OL_PROTO_FILTER ".unknown_member", PI_UNDECODED, PI_WARN,
      "Group OSCORE: the kid is no member whose credential the keys give",
      EXPFILL}},
    {&ei_ol_correlated,
     {OL_PROTO_FILTER ".correlated", PI_SEQUENCE, PI_CHAT,
      "Same layer seen on another leg", EXPFILL}},
    {&ei_ol_readable_e2e,
     {OL_PROTO_FILTER ".readable_e2e", PI_SECURITY, PI_NOTE,
      "End-to-end option readable by an intermediary", EXPFILL}},
};

void ol_apply_builtin_switch(void)
{
    /* The two dissectors must never both decrypt: switch the built-in
     * one off while ours is asked to take over. */
    int builtin = proto_get_id_by_filter_name("oscore");
    if (builtin != -1) {
        proto_set_decoding(builtin, !ol_pref.disable_builtin);
    }
}

static void prefs_changed(void)
{
    ol_apply_builtin_switch();
    /* The per-message arrays hold 64 layers; the cap stays below. */
    if (ol_pref.max_layers == 0) {
        ol_pref.max_layers = 1;
    } else if (ol_pref.max_layers > 63) {
        ol_pref.max_layers = 63;
    }
    if (ol_pref.replay_window == 0 ||
        ol_pref.replay_window > OSC_REPLAY_MAX_WINDOW) {
        ol_pref.replay_window = OSC_REPLAY_DEFAULT_WINDOW;
    }
}

void ol_register_fields(void)
{
    static int *ett[] = {&ett_ol, &ett_ol_layer, &ett_ol_options};

    proto_oscore_layers =
        proto_register_protocol(OL_PROTO_NAME, OL_PROTO_SHORT, OL_PROTO_FILTER);
    proto_register_field_array(proto_oscore_layers, hf, array_length(hf));
    register_option_fields();
    proto_register_subtree_array(ett, array_length(ett));
    expert_module_t *expert = expert_register_protocol(proto_oscore_layers);
    expert_register_field_array(expert, ei, array_length(ei));

    module_t *module =
        prefs_register_protocol(proto_oscore_layers, prefs_changed);
    prefs_register_bool_preference(
        module, "disable_builtin", "Switch off the built-in OSCORE dissector",
        "While this plugin decrypts OSCORE, the built-in single-layer "
        "dissector is switched off so the two never fight over a message",
        &ol_pref.disable_builtin);
    prefs_register_uint_preference(
        module, "max_layers", "Layer cap",
        "Stop after this many layers of one message (depth-limit)", 10,
        &ol_pref.max_layers);
    prefs_register_uint_preference(
        module, "replay_window", "Replay window size",
        "Sequence numbers per replay window (RFC 8613 7.4)", 10,
        &ol_pref.replay_window);
    prefs_register_bool_preference(
        module, "show_derived_keys", "Show derived keys",
        "Show the Sender Key, Recipient Key and Common IV of each layer's "
        "context in the tree (keys are hidden otherwise)",
        &ol_pref.show_derived_keys);
    ol_keys_register(module);
}
