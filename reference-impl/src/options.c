/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * CoAP option registry with the OSCORE classes of RFC 8613 4.1 and the
 * nine-step escalation procedure of the OSCORE-capable-proxies draft.
 */
#include "oscore/options.h"

#include <string.h>

#define E OSC_CLASS_E
#define U OSC_CLASS_U
#define NONE OSC_PROXY_USE_NONE
#define TARGET OSC_PROXY_USE_TARGET
#define AUTH OSC_PROXY_USE_AUTHORITY
#define HOP OSC_PROXY_USE_EVERY_HOP

/* Sorted by number. The classes are those of RFC 8613 4.1 and of the
 * options' own specifications (Echo and Request-Tag: RFC 9175; Q-Block1/2:
 * RFC 9177; EDHOC: RFC 9668), except Hop-Limit, below. */
static const osc_option_info option_registry[] = {
    {OSC_OPT_IF_MATCH, "If-Match", OSC_FORMAT_OPAQUE, E, true, NONE},
    {OSC_OPT_URI_HOST, "Uri-Host", OSC_FORMAT_STRING, U, false, AUTH},
    {OSC_OPT_ETAG, "ETag", OSC_FORMAT_OPAQUE, E, true, NONE},
    {OSC_OPT_IF_NONE_MATCH, "If-None-Match", OSC_FORMAT_EMPTY, E, false, NONE},
    {OSC_OPT_OBSERVE, "Observe", OSC_FORMAT_UINT, E | U, false, NONE},
    {OSC_OPT_URI_PORT, "Uri-Port", OSC_FORMAT_UINT, U, false, AUTH},
    {OSC_OPT_LOCATION_PATH, "Location-Path", OSC_FORMAT_STRING, E, true, NONE},
    {OSC_OPT_OSCORE, "OSCORE", OSC_FORMAT_OSCORE, U, false, NONE},
    {OSC_OPT_URI_PATH, "Uri-Path", OSC_FORMAT_STRING, E, true, NONE},
    {OSC_OPT_CONTENT_FORMAT, "Content-Format", OSC_FORMAT_UINT, E, false, NONE},
    {OSC_OPT_MAX_AGE, "Max-Age", OSC_FORMAT_UINT, E | U, false, NONE},
    {OSC_OPT_URI_QUERY, "Uri-Query", OSC_FORMAT_STRING, E, true, NONE},
    /* draft-ietf-core-oscore-capable-proxies 3 makes Hop-Limit Class U
     * (updating RFC 8768) so the first proxy can read it outside the end-to-end
     * layer. */
    {OSC_OPT_HOP_LIMIT, "Hop-Limit", OSC_FORMAT_UINT, U, false, HOP},
    {OSC_OPT_ACCEPT, "Accept", OSC_FORMAT_UINT, E, false, NONE},
    {OSC_OPT_Q_BLOCK1, "Q-Block1", OSC_FORMAT_UINT, E | U, false, NONE},
    {OSC_OPT_LOCATION_QUERY, "Location-Query", OSC_FORMAT_STRING, E, true,
     NONE},
    {OSC_OPT_EDHOC, "EDHOC", OSC_FORMAT_EMPTY, U, false, NONE},
    {OSC_OPT_BLOCK2, "Block2", OSC_FORMAT_UINT, E | U, false, NONE},
    {OSC_OPT_BLOCK1, "Block1", OSC_FORMAT_UINT, E | U, false, NONE},
    {OSC_OPT_SIZE2, "Size2", OSC_FORMAT_UINT, E | U, false, NONE},
    {OSC_OPT_Q_BLOCK2, "Q-Block2", OSC_FORMAT_UINT, E | U, false, NONE},
    {OSC_OPT_PROXY_URI, "Proxy-Uri", OSC_FORMAT_STRING, U, false, TARGET},
    {OSC_OPT_PROXY_SCHEME, "Proxy-Scheme", OSC_FORMAT_STRING, U, false, TARGET},
    {OSC_OPT_SIZE1, "Size1", OSC_FORMAT_UINT, E | U, false, NONE},
    {OSC_OPT_ECHO, "Echo", OSC_FORMAT_OPAQUE, E | U, false, NONE},
    {OSC_OPT_NO_RESPONSE, "No-Response", OSC_FORMAT_UINT, E, false, NONE},
    {OSC_OPT_REQUEST_TAG, "Request-Tag", OSC_FORMAT_OPAQUE, E | U, true, NONE},
};

#undef E
#undef U
#undef NONE
#undef TARGET
#undef AUTH
#undef HOP

osc_option_info osc_option_lookup(uint16_t number)
{
    size_t low = 0;
    size_t high = sizeof option_registry / sizeof option_registry[0];
    while (low < high) {
        size_t mid = low + (high - low) / 2;
        if (option_registry[mid].number == number)
            return option_registry[mid];
        if (option_registry[mid].number < number)
            low = mid + 1;
        else
            high = mid;
    }
    /* RFC 8613 4.1: options without a defined class are Class E. */
    osc_option_info unknown = {number,      NULL, OSC_FORMAT_OPAQUE,
                               OSC_CLASS_E, true, OSC_PROXY_USE_NONE};
    return unknown;
}

const char *osc_option_name(uint16_t number)
{
    return osc_option_lookup(number).name;
}

bool osc_option_is_critical(uint16_t number)
{
    return (number & 1) != 0;
}

bool osc_option_is_unsafe(uint16_t number)
{
    return (number & 2) != 0;
}

bool osc_option_is_outer_only(uint16_t number)
{
    unsigned classes = osc_option_lookup(number).classes;
    return (classes & OSC_CLASS_E) == 0;
}

bool osc_option_is_inner_and_outer(uint16_t number)
{
    unsigned classes = osc_option_lookup(number).classes;
    return (classes & OSC_CLASS_E) && (classes & OSC_CLASS_U);
}

bool osc_option_is_proxy_related(uint16_t number)
{
    return osc_option_lookup(number).proxy_use != OSC_PROXY_USE_NONE;
}

bool osc_option_escalate(uint16_t number, const osc_escalation_facts *facts)
{
    if (!osc_option_is_outer_only(number))
        return false;

    /* The steps are numbered as in the draft so a reader can follow the
     * figure; each branch ends in step 8 (Class E) or step 9 (keep). */
    bool go_to_step_6;
    if (facts->sender_added_option && facts->x_is_consumer) {
        if (!facts->x_is_immediate_next_consumer)
            return false; /* step 3 -> 9 */
        /* Step 5: X needs OPT before (or to) remove this layer. */
        go_to_step_6 = !facts->x_needs_option_to_remove_layer;
    } else {
        /* Step 4. */
        go_to_step_6 =
            facts->x_is_next_hop || !facts->next_hop_is_immediate_next_consumer;
    }
    if (!go_to_step_6)
        return false; /* step 9 */

    /* Steps 6-7: Uri-Host/Uri-Port go inside only for a forward proxy,
     * recognizable by Proxy-Scheme in the message. */
    if (number == OSC_OPT_URI_HOST || number == OSC_OPT_URI_PORT)
        return facts->message_has_proxy_scheme;
    return true; /* step 8 */
}

static bool is_digit(uint8_t c)
{
    return c >= '0' && c <= '9';
}

static osc_status push_option(osc_coap_option *out, size_t cap, size_t *count,
                              uint16_t number, const uint8_t *value,
                              size_t length)
{
    if (*count >= cap)
        return OSC_ERR_COAP_TOO_MANY_OPTIONS;
    out[*count].number = number;
    out[*count].value = value;
    out[*count].length = (uint32_t)length;
    (*count)++;
    return OSC_OK;
}

/* Splits the authority uri[start, end) into the host uri[*host_start,
 * *host_end) and the port from *port_start (end when no port is
 * written). An IPv6 literal loses its brackets: Uri-Host carries it
 * without them. */
static osc_status split_authority(const uint8_t *uri, size_t start, size_t end,
                                  size_t *host_start, size_t *host_end,
                                  size_t *port_start)
{
    *host_start = start;
    *host_end = end;
    *port_start = end;
    if (start < end && uri[start] == '[') {
        size_t close = start;
        while (close < end && uri[close] != ']')
            close++;
        if (close == end)
            return OSC_ERR_INVALID_ARGUMENT;
        *host_start = start + 1;
        *host_end = close;
        if (close + 1 < end) {
            if (uri[close + 1] != ':')
                return OSC_ERR_INVALID_ARGUMENT;
            *port_start = close + 2;
        }
        return OSC_OK;
    }
    for (size_t i = start; i < end; i++) {
        if (uri[i] == ':') {
            *host_end = i;
            *port_start = i + 1;
            break;
        }
    }
    return OSC_OK;
}

/* The decimal port uri[start, end): digits only, at most 65535. */
static osc_status parse_port(const uint8_t *uri, size_t start, size_t end,
                             uint32_t *port)
{
    *port = 0;
    for (size_t i = start; i < end; i++) {
        if (!is_digit(uri[i]))
            return OSC_ERR_INVALID_ARGUMENT;
        *port = *port * 10 + (uint32_t)(uri[i] - '0');
        if (*port > 65535)
            return OSC_ERR_INVALID_ARGUMENT;
    }
    return OSC_OK;
}

/* One Uri-Path per segment of the path after the '/' at uri[*pos], up to
 * '?' or the end, where *pos is left. A lone "/" is the root: no
 * Uri-Path. */
static osc_status push_path(const uint8_t *uri, size_t len, size_t *pos,
                            osc_coap_option *out, size_t cap, size_t *count)
{
    size_t path_start = ++*pos;
    size_t segment_start = path_start;
    for (;; ++*pos) {
        size_t p = *pos;
        if (p != len && uri[p] != '/' && uri[p] != '?')
            continue;
        bool at_end = p == len || uri[p] == '?';
        bool root_only =
            segment_start == path_start && p == segment_start && at_end;
        if (!root_only) {
            osc_status status =
                push_option(out, cap, count, OSC_OPT_URI_PATH,
                            uri + segment_start, p - segment_start);
            if (status != OSC_OK)
                return status;
        }
        if (at_end)
            return OSC_OK;
        segment_start = p + 1;
    }
}

/* One Uri-Query per '&'-separated argument after the '?' at uri[pos]. */
static osc_status push_query(const uint8_t *uri, size_t len, size_t pos,
                             osc_coap_option *out, size_t cap, size_t *count)
{
    size_t argument_start = ++pos;
    for (;; pos++) {
        if (pos != len && uri[pos] != '&')
            continue;
        osc_status status =
            push_option(out, cap, count, OSC_OPT_URI_QUERY,
                        uri + argument_start, pos - argument_start);
        if (status != OSC_OK || pos == len)
            return status;
        argument_start = pos + 1;
    }
}

osc_status osc_proxy_uri_split(const uint8_t *uri, size_t len,
                               uint8_t port_buf[4], osc_coap_option *out,
                               size_t cap, size_t *count)
{
    *count = 0;
    /* scheme "://" */
    size_t scheme_end = 0;
    while (scheme_end < len && uri[scheme_end] != ':')
        scheme_end++;
    if (scheme_end == 0 || scheme_end + 3 > len ||
        memcmp(uri + scheme_end, "://", 3) != 0)
        return OSC_ERR_INVALID_ARGUMENT;

    size_t authority_start = scheme_end + 3;
    size_t authority_end = authority_start;
    while (authority_end < len && uri[authority_end] != '/' &&
           uri[authority_end] != '?')
        authority_end++;

    /* Host, possibly an IPv6 literal in brackets, then an optional port. */
    size_t host_start, host_end, port_start;
    osc_status status = split_authority(uri, authority_start, authority_end,
                                        &host_start, &host_end, &port_start);
    if (status != OSC_OK)
        return status;
    bool has_port = port_start < authority_end;
    uint32_t port = 0;
    if (has_port) {
        status = parse_port(uri, port_start, authority_end, &port);
        if (status != OSC_OK)
            return status;
    }

    if (host_end > host_start) {
        status = push_option(out, cap, count, OSC_OPT_URI_HOST,
                             uri + host_start, host_end - host_start);
        if (status != OSC_OK)
            return status;
    }
    if (has_port) {
        uint32_t port_len = osc_coap_encode_uint(port, port_buf);
        status =
            push_option(out, cap, count, OSC_OPT_URI_PORT, port_buf, port_len);
        if (status != OSC_OK)
            return status;
    }

    /* Path segments up to '?', then query arguments separated by '&'. */
    size_t pos = authority_end;
    if (pos < len && uri[pos] == '/') {
        status = push_path(uri, len, &pos, out, cap, count);
        if (status != OSC_OK)
            return status;
    }
    if (pos < len && uri[pos] == '?') {
        status = push_query(uri, len, pos, out, cap, count);
        if (status != OSC_OK)
            return status;
    }

    /* Proxy-Scheme (39) sorts last among these numbers. */
    return push_option(out, cap, count, OSC_OPT_PROXY_SCHEME, uri, scheme_end);
}
