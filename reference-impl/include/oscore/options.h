/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * CoAP option registry and OSCORE option classes (RFC 8613 section 4.1),
 * with the per-layer class escalation of draft-ietf-core-oscore-capable-
 * proxies (section 2.2).
 *
 * Every function here is a pure lookup: no state, no allocation.
 */
#ifndef OSCORE_OPTIONS_H
#define OSCORE_OPTIONS_H

#include <stdbool.h>
#include <stdint.h>

#include "oscore/status.h"

enum {
    OSC_OPT_IF_MATCH = 1,
    OSC_OPT_URI_HOST = 3,
    OSC_OPT_ETAG = 4,
    OSC_OPT_IF_NONE_MATCH = 5,
    OSC_OPT_OBSERVE = 6,
    OSC_OPT_URI_PORT = 7,
    OSC_OPT_LOCATION_PATH = 8,
    OSC_OPT_OSCORE = 9,
    OSC_OPT_URI_PATH = 11,
    OSC_OPT_CONTENT_FORMAT = 12,
    OSC_OPT_MAX_AGE = 14,
    OSC_OPT_URI_QUERY = 15,
    OSC_OPT_HOP_LIMIT = 16,
    OSC_OPT_ACCEPT = 17,
    OSC_OPT_Q_BLOCK1 = 19,
    OSC_OPT_LOCATION_QUERY = 20,
    OSC_OPT_EDHOC = 21,
    OSC_OPT_BLOCK2 = 23,
    OSC_OPT_BLOCK1 = 27,
    OSC_OPT_SIZE2 = 28,
    OSC_OPT_Q_BLOCK2 = 31,
    OSC_OPT_PROXY_URI = 35,
    OSC_OPT_PROXY_SCHEME = 39,
    OSC_OPT_SIZE1 = 60,
    OSC_OPT_ECHO = 252,
    OSC_OPT_NO_RESPONSE = 258,
    OSC_OPT_REQUEST_TAG = 292
};

/* How the value of an option is formatted (RFC 7252 section 3.2). */
typedef enum osc_option_format {
    OSC_FORMAT_OPAQUE = 0,
    OSC_FORMAT_EMPTY,
    OSC_FORMAT_UINT,
    OSC_FORMAT_STRING,
    OSC_FORMAT_OSCORE /* the OSCORE option's compressed COSE value */
} osc_option_format;

/* OSCORE protection classes. An option may be defined in several. */
typedef enum osc_option_class {
    OSC_CLASS_E = 1 << 0, /* encrypted and integrity protected (inner) */
    OSC_CLASS_I = 1 << 1, /* integrity protected only (in the AAD) */
    OSC_CLASS_U = 1 << 2  /* unprotected (outer) */
} osc_option_class;

/* What proxies do with an option: draft-ietf-core-oscore-capable-proxies
 * 2.4 (steps 1 to 4 of the incoming request processing) and RFC 8768. An
 * option with a use other than NONE is proxy-related: it belongs inside
 * the layer shared with the hop that processes it (the option protection
 * steps of the draft's 2.2), outside the end-to-end layer. */
typedef enum osc_proxy_use {
    OSC_PROXY_USE_NONE = 0,
    /* Names a forward proxy's target on its own, so a request carrying it
     * is in the forward-proxy form (2.4 step 2): Proxy-Uri, Proxy-Scheme. */
    OSC_PROXY_USE_TARGET,
    /* The target's authority: consumed by a forward proxy together with
     * Proxy-Scheme (2.2 steps 6-7), otherwise it addresses a reverse proxy
     * or the origin server and stays outer: Uri-Host, Uri-Port. */
    OSC_PROXY_USE_AUTHORITY,
    /* Processed by every proxy on the path (RFC 8768; Class U by the
     * draft's section 3): Hop-Limit. */
    OSC_PROXY_USE_EVERY_HOP
} osc_proxy_use;

typedef struct osc_option_info {
    uint16_t number;
    const char *name; /* "Uri-Host", registry spelling */
    osc_option_format format;
    unsigned classes; /* bit set of osc_option_class */
    bool repeatable;
    /* Uri-Path is not marked although a reverse proxy may route on its
     * first segment: it is Class E, so the option protection steps never
     * move it (a routing segment sits in the layer of the proxy it is for,
     * appendix B.8 of the draft). */
    osc_proxy_use proxy_use;
} osc_option_info;

/*
 * Registry entry for an option number. Unknown numbers get a synthetic
 * entry with name NULL, opaque format and class E (RFC 8613 4.1: unknown
 * options are Class E), repeatable.
 */
osc_option_info osc_option_lookup(uint16_t number);

/* Convenience: the registry name, or NULL when unknown. */
const char *osc_option_name(uint16_t number);

/* Critical / Unsafe / NoCacheKey bits of the number (RFC 7252 5.4.6). */
bool osc_option_is_critical(uint16_t number);
bool osc_option_is_unsafe(uint16_t number);

/* True if the option is defined only as outer (Class U and/or I, not E):
 * these are the options the escalation procedure applies to. */
bool osc_option_is_outer_only(uint16_t number);

/* True if the option is defined as both inner and outer (E and U):
 * Observe, Max-Age, Block1/2, Size1/2, Echo, Request-Tag. */
bool osc_option_is_inner_and_outer(uint16_t number);

/* True if the option is proxy-related (proxy_use other than NONE): the
 * outer-only options a proxy processes, which belong to the layer of the
 * hop that processes them (placement.h checks where they are). */
bool osc_option_is_proxy_related(uint16_t number);

/*
 * The facts the sender of layer i (shared with endpoint X) knows about
 * one outer-only option OPT, as the steps of
 * draft-ietf-core-oscore-capable-proxies 2.2 ask about them.
 */
typedef struct osc_escalation_facts {
    bool sender_added_option;                 /* step 1 */
    bool x_is_consumer;                       /* step 2 */
    bool x_is_immediate_next_consumer;        /* step 3 */
    bool x_is_next_hop;                       /* step 4, first half */
    bool next_hop_is_immediate_next_consumer; /* step 4, second half */
    bool x_needs_option_to_remove_layer;      /* step 5 */
    bool message_has_proxy_scheme; /* step 7 (Proxy-Scheme(-Number)) */
} osc_escalation_facts;

/*
 * Runs the nine steps of draft-ietf-core-oscore-capable-proxies 2.2
 * (appendix C of the draft draws them) for an outer-only option: returns
 * true when the option must be treated as Class E for this layer
 * (encrypted inside it), false when it keeps its outer class.
 * Options that are not outer-only are never escalated (returns false).
 */
bool osc_option_escalate(uint16_t number, const osc_escalation_facts *facts);

/*
 * Splits a Proxy-Uri value ("coap://host:port/p1/p2?q1&q2") into the
 * options RFC 7252 6.4 gives it, so OSCORE can protect path and query
 * end to end (RFC 8613 4.1.3.3): Proxy-Scheme, Uri-Host, Uri-Port (only
 * when a port is written), one Uri-Path per segment, one Uri-Query per
 * argument. Values point into `uri` except the port, written into
 * port_buf. Percent-encoded octets are left as they are. Writes at most
 * cap options into out (sorted by number) and sets *count.
 * Errors: OSC_ERR_INVALID_ARGUMENT (no "scheme://", bad port),
 * OSC_ERR_COAP_TOO_MANY_OPTIONS.
 */
#include "oscore/coap.h"
#include <stddef.h>
osc_status osc_proxy_uri_split(const uint8_t *uri, size_t len,
                               uint8_t port_buf[4], osc_coap_option *out,
                               size_t cap, size_t *count);

#endif
