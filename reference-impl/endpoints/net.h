/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Sockets of the reference endpoints: CoAP over UDP (RFC 7252, with the
 * retransmission of Confirmable messages) and CoAP over TCP (RFC 8323,
 * with the Capabilities and Settings Message every connection starts
 * with). Always loopback, always port 5683, so captures decode as CoAP
 * without "Decode As".
 */
#ifndef OSCORE_ENDPOINTS_NET_H
#define OSCORE_ENDPOINTS_NET_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "oscore/coap.h"
#include "scenario.h"

#define EP_COAP_PORT 5683
#define EP_MAX_DATAGRAM 4096

/* Who a message came from or goes to. Over TCP the connection is the
 * identity (a reply goes back on the connection the request came on). */
typedef struct ep_peer {
    struct sockaddr_in addr;
    int connection; /* TCP connection slot, -1 for UDP */
} ep_peer;

typedef struct ep_net ep_net;

/* Binds address:5683 (UDP socket, or TCP listener when listen is true).
 * drop_first: that many received messages are ignored (to provoke a
 * retransmission). NULL on failure (the reason is printed). */
ep_net *ep_net_open(sc_transport transport, const char *address, bool listen,
                    unsigned drop_first, const char *log_name);
void ep_net_close(ep_net *net);

/* UDP: also receives what is sent to group_address:5683, an IPv4
 * multicast address joined on loopback (a CoAP group, RFC 7252 8);
 * everything is still sent from the node's own address. */
bool ep_net_join_group(ep_net *net, const char *group_address);

osc_coap_framing ep_net_framing(const ep_net *net);

/* The peer at address:5683; over TCP this connects (once) and sends the
 * CSM. */
bool ep_net_peer_for(ep_net *net, const char *address, ep_peer *out);

bool ep_net_same_peer(const ep_peer *a, const ep_peer *b);

/* Sends bytes once. */
bool ep_net_send(ep_net *net, const ep_peer *to, const uint8_t *bytes,
                 size_t len);

/* Sends a Confirmable UDP message and retransmits it with exponential
 * back-off (RFC 7252 4.2, first timeout timeout_ms, 4 retransmissions)
 * until ep_net_acknowledged is called for its Message ID. */
bool ep_net_send_confirmable(ep_net *net, const ep_peer *to,
                             const uint8_t *bytes, size_t len, uint16_t mid,
                             unsigned timeout_ms);
void ep_net_acknowledged(ep_net *net, const ep_peer *from, uint16_t mid);
/* True while a Confirmable message is still being retransmitted. */
bool ep_net_has_pending(const ep_net *net);

/*
 * Waits up to timeout_ms for one CoAP message (retransmitting meanwhile).
 * Returns 1 with the message in buf, 0 on timeout, -1 on a socket error.
 * RFC 8323 signaling for the connection itself (CSM, Ping) is answered
 * or absorbed here and never returned.
 */
int ep_net_receive(ep_net *net, int timeout_ms, ep_peer *from, uint8_t *buf,
                   size_t cap, size_t *len);

/* Milliseconds of a monotonic clock. */
uint64_t ep_now_ms(void);

#endif
