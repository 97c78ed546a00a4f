/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * UDP and TCP transport of the reference endpoints (see net.h).
 */
#define _POSIX_C_SOURCE 200809L
/* struct ip_mreq (IP_ADD_MEMBERSHIP) is a BSD extension of <netinet/in.h>. */
#define _DEFAULT_SOURCE
#include "net.h"
#include "scenario.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_CONNECTIONS 16
#define MAX_PENDING 32
#define MAX_RETRANSMIT 4
#define TCP_BUFFER 16384

typedef struct connection {
    bool used;
    int fd;
    struct sockaddr_in addr;
    uint8_t buffer[TCP_BUFFER];
    size_t buffered;
    bool csm_sent;
} connection;

typedef struct pending {
    bool used;
    ep_peer to;
    uint16_t mid;
    uint8_t bytes[EP_MAX_DATAGRAM];
    size_t len;
    uint64_t next_ms;
    unsigned timeout_ms;
    unsigned retransmissions;
} pending;

struct ep_net {
    sc_transport transport;
    const char *log_name;
    struct sockaddr_in local;
    int udp_fd;
    int multicast_fd; /* a joined CoAP group's address, receive only */
    int listen_fd;
    unsigned drop_remaining;
    connection connections[MAX_CONNECTIONS];
    pending pendings[MAX_PENDING];
};

uint64_t ep_now_ms(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (uint64_t)now.tv_sec * 1000u + (uint64_t)now.tv_nsec / 1000000u;
}

static bool make_address(const char *address, uint16_t port,
                         struct sockaddr_in *out)
{
    memset(out, 0, sizeof *out);
    out->sin_family = AF_INET;
    out->sin_port = htons(port);
    return inet_pton(AF_INET, address, &out->sin_addr) == 1;
}

static int bound_socket(int type, const struct sockaddr_in *addr)
{
    int fd = socket(AF_INET, type, 0);
    if (fd < 0)
        return -1;
    /* Re-recording over TCP right after a run must not wait for
     * TIME_WAIT. Never for UDP: there SO_REUSEADDR would let a second node
     * (or one left over from another run) bind the same address and take
     * datagrams meant for this one; the bind must fail instead. */
    if (type == SOCK_STREAM) {
        int one = 1;
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    }
    if (bind(fd, (const struct sockaddr *)addr, sizeof *addr) < 0) {
        close(fd);
        return -1;
    }
    return fd;
}

ep_net *ep_net_open(sc_transport transport, const char *address,
                    bool accept_connections, unsigned drop_first,
                    const char *log_name)
{
    ep_net *net = calloc(1, sizeof *net);
    if (!net)
        return NULL;
    net->transport = transport;
    net->log_name = log_name;
    net->udp_fd = -1;
    net->multicast_fd = -1;
    net->listen_fd = -1;
    net->drop_remaining = drop_first;
    if (!make_address(address, EP_COAP_PORT, &net->local)) {
        fprintf(stderr, "%s: bad address %s\n", log_name, address);
        free(net);
        return NULL;
    }
    if (transport == SC_TRANSPORT_UDP) {
        net->udp_fd = bound_socket(SOCK_DGRAM, &net->local);
        if (net->udp_fd < 0) {
            fprintf(stderr, "%s: cannot bind udp %s:%d: %s\n", log_name,
                    address, EP_COAP_PORT, strerror(errno));
            free(net);
            return NULL;
        }
        /* Multicast requests (RFC 7252 8.1) leave through loopback, where
         * every endpoint of a scenario lives and the capture is made. */
        struct in_addr loopback = {htonl(INADDR_LOOPBACK)};
        setsockopt(net->udp_fd, IPPROTO_IP, IP_MULTICAST_IF, &loopback,
                   sizeof loopback);
    } else if (accept_connections) {
        net->listen_fd = bound_socket(SOCK_STREAM, &net->local);
        if (net->listen_fd < 0 || listen(net->listen_fd, 8) < 0) {
            fprintf(stderr, "%s: cannot listen on tcp %s:%d: %s\n", log_name,
                    address, EP_COAP_PORT, strerror(errno));
            if (net->listen_fd >= 0)
                close(net->listen_fd);
            free(net);
            return NULL;
        }
    }
    return net;
}

bool ep_net_join_group(ep_net *net, const char *group_address)
{
    struct sockaddr_in group;
    if (net->transport != SC_TRANSPORT_UDP ||
        !make_address(group_address, EP_COAP_PORT, &group)) {
        fprintf(stderr, "%s: cannot join %s (UDP and IPv4 only)\n",
                net->log_name, group_address);
        return false;
    }
    int fd = socket(AF_INET, SOCK_DGRAM, 0);
    /* Every member binds the group's address and port: SO_REUSEADDR lets
     * them share it, and each gets its own copy of a request. */
    int one = 1;
    struct ip_mreq join = {group.sin_addr, {htonl(INADDR_LOOPBACK)}};
    if (fd < 0 ||
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) < 0 ||
        bind(fd, (const struct sockaddr *)&group, sizeof group) < 0 ||
        setsockopt(fd, IPPROTO_IP, IP_ADD_MEMBERSHIP, &join, sizeof join) < 0) {
        fprintf(stderr, "%s: cannot join %s:%d: %s\n", net->log_name,
                group_address, EP_COAP_PORT, strerror(errno));
        if (fd >= 0)
            close(fd);
        return false;
    }
    net->multicast_fd = fd;
    return true;
}

void ep_net_close(ep_net *net)
{
    if (!net)
        return;
    if (net->udp_fd >= 0)
        close(net->udp_fd);
    if (net->multicast_fd >= 0)
        close(net->multicast_fd);
    if (net->listen_fd >= 0)
        close(net->listen_fd);
    for (size_t i = 0; i < MAX_CONNECTIONS; i++)
        if (net->connections[i].used)
            close(net->connections[i].fd);
    free(net);
}

osc_coap_framing ep_net_framing(const ep_net *net)
{
    return net->transport == SC_TRANSPORT_TCP ? OSC_COAP_FRAMING_TCP
                                              : OSC_COAP_FRAMING_UDP;
}

static bool send_all(int fd, const uint8_t *bytes, size_t len)
{
    while (len > 0) {
        ssize_t sent = send(fd, bytes, len, MSG_NOSIGNAL);
        if (sent < 0) {
            if (errno == EINTR)
                continue;
            return false;
        }
        bytes += sent;
        len -= (size_t)sent;
    }
    return true;
}

/* RFC 8323 5.3: each side sends a CSM first. An empty one announces the
 * defaults (Max-Message-Size 1152, no block-wise transfer). */
static bool send_csm(int fd)
{
    osc_coap_message csm;
    memset(&csm, 0, sizeof csm);
    csm.framing = OSC_COAP_FRAMING_TCP;
    csm.code = OSC_COAP_CODE(7, 1);
    uint8_t bytes[8];
    size_t len;
    if (osc_coap_serialize(&csm, bytes, sizeof bytes, &len) != OSC_OK)
        return false;
    return send_all(fd, bytes, len);
}

/* The connecting side sends its CSM at once; the accepting side answers
 * with its own when the peer's arrives, so that every capture shows the
 * same order (RFC 8323 5.3 allows either side to go first). */
static int add_connection(ep_net *net, int fd, const struct sockaddr_in *addr,
                          bool send_csm_now)
{
    for (int i = 0; i < MAX_CONNECTIONS; i++) {
        connection *conn = &net->connections[i];
        if (!conn->used) {
            memset(conn, 0, sizeof *conn);
            conn->used = true;
            conn->fd = fd;
            conn->addr = *addr;
            int one = 1;
            /* One segment per message keeps captures readable. */
            setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
            if (send_csm_now) {
                if (!send_csm(fd)) {
                    close(fd);
                    conn->used = false;
                    return -1;
                }
                conn->csm_sent = true;
            }
            return i;
        }
    }
    close(fd);
    return -1;
}

static int take_tcp_message(ep_net *net, int slot, uint8_t *buf, size_t cap,
                            size_t *len);

/* Waits (at most a second) for the peer's CSM on a new outgoing
 * connection before any request goes out on it. */
static bool await_peer_csm(ep_net *net, int slot)
{
    connection *conn = &net->connections[slot];
    uint64_t deadline = ep_now_ms() + 1000;
    while (ep_now_ms() < deadline) {
        uint8_t message[64];
        size_t len;
        int got = take_tcp_message(net, slot, message, sizeof message, &len);
        if (got < 0)
            return false;
        if (got > 0) {
            osc_coap_message csm;
            if (osc_coap_parse(message, len, OSC_COAP_FRAMING_TCP, &csm) ==
                    OSC_OK &&
                csm.code == OSC_COAP_CODE(7, 1))
                return true;
            continue;
        }
        struct pollfd pfd = {conn->fd, POLLIN, 0};
        if (poll(&pfd, 1, (int)(deadline - ep_now_ms())) <= 0)
            continue;
        ssize_t n = recv(conn->fd, conn->buffer + conn->buffered,
                         TCP_BUFFER - conn->buffered, 0);
        if (n <= 0)
            return false;
        conn->buffered += (size_t)n;
    }
    fprintf(stderr, "%s: no CSM from the peer\n", net->log_name);
    return false;
}

bool ep_net_peer_for(ep_net *net, const char *address, ep_peer *out)
{
    memset(out, 0, sizeof *out);
    out->connection = -1;
    if (!make_address(address, EP_COAP_PORT, &out->addr))
        return false;
    if (net->transport == SC_TRANSPORT_UDP)
        return true;
    for (int i = 0; i < MAX_CONNECTIONS; i++) {
        connection *conn = &net->connections[i];
        if (conn->used &&
            conn->addr.sin_addr.s_addr == out->addr.sin_addr.s_addr &&
            conn->addr.sin_port == out->addr.sin_port) {
            out->connection = i;
            return true;
        }
    }
    /* Outgoing connections leave from this node's own address so that
     * every leg of a capture shows who is talking. */
    struct sockaddr_in local = net->local;
    local.sin_port = 0;
    int fd = bound_socket(SOCK_STREAM, &local);
    if (fd < 0)
        return false;
    if (connect(fd, (const struct sockaddr *)&out->addr, sizeof out->addr) <
        0) {
        fprintf(stderr, "%s: connect to %s: %s\n", net->log_name, address,
                strerror(errno));
        close(fd);
        return false;
    }
    out->connection = add_connection(net, fd, &out->addr, true);
    if (out->connection < 0)
        return false;
    return await_peer_csm(net, out->connection);
}

bool ep_net_same_peer(const ep_peer *a, const ep_peer *b)
{
    if (a->connection >= 0 || b->connection >= 0)
        return a->connection == b->connection;
    return a->addr.sin_addr.s_addr == b->addr.sin_addr.s_addr &&
           a->addr.sin_port == b->addr.sin_port;
}

bool ep_net_send(ep_net *net, const ep_peer *to, const uint8_t *bytes,
                 size_t len)
{
    if (net->transport == SC_TRANSPORT_TCP) {
        if (to->connection < 0 || to->connection >= MAX_CONNECTIONS ||
            !net->connections[to->connection].used)
            return false;
        return send_all(net->connections[to->connection].fd, bytes, len);
    }
    ssize_t sent = sendto(net->udp_fd, bytes, len, 0,
                          (const struct sockaddr *)&to->addr, sizeof to->addr);
    return sent == (ssize_t)len;
}

bool ep_net_send_confirmable(ep_net *net, const ep_peer *to,
                             const uint8_t *bytes, size_t len, uint16_t mid,
                             unsigned timeout_ms)
{
    if (net->transport == SC_TRANSPORT_TCP || len > EP_MAX_DATAGRAM)
        return ep_net_send(net, to, bytes, len);
    for (size_t i = 0; i < MAX_PENDING; i++) {
        pending *entry = &net->pendings[i];
        if (entry->used)
            continue;
        entry->used = true;
        entry->to = *to;
        entry->mid = mid;
        memcpy(entry->bytes, bytes, len);
        entry->len = len;
        entry->timeout_ms = timeout_ms;
        entry->retransmissions = 0;
        entry->next_ms = ep_now_ms() + timeout_ms;
        return ep_net_send(net, to, bytes, len);
    }
    return false;
}

void ep_net_acknowledged(ep_net *net, const ep_peer *from, uint16_t mid)
{
    for (size_t i = 0; i < MAX_PENDING; i++) {
        pending *entry = &net->pendings[i];
        if (entry->used && entry->mid == mid &&
            ep_net_same_peer(&entry->to, from))
            entry->used = false;
    }
}

bool ep_net_has_pending(const ep_net *net)
{
    for (size_t i = 0; i < MAX_PENDING; i++)
        if (net->pendings[i].used)
            return true;
    return false;
}

/* Retransmits what is due; returns ms until the next retransmission (or
 * limit when none is due sooner). */
static int run_retransmissions(ep_net *net, int limit)
{
    uint64_t now = ep_now_ms();
    int wait = limit;
    for (size_t i = 0; i < MAX_PENDING; i++) {
        pending *entry = &net->pendings[i];
        if (!entry->used)
            continue;
        if (entry->next_ms <= now) {
            if (entry->retransmissions == MAX_RETRANSMIT) {
                fprintf(stderr, "%s: MID 0x%04x not acknowledged, giving up\n",
                        net->log_name, entry->mid);
                entry->used = false;
                continue;
            }
            entry->retransmissions++;
            entry->timeout_ms *= 2;
            entry->next_ms = now + entry->timeout_ms;
            fprintf(stderr, "%s: retransmitting MID 0x%04x (%u)\n",
                    net->log_name, entry->mid, entry->retransmissions);
            ep_net_send(net, &entry->to, entry->bytes, entry->len);
        }
        int due = (int)(entry->next_ms - now);
        if (wait < 0 || due < wait)
            wait = due;
    }
    return wait;
}

/* Takes one complete message out of a connection's buffer. Returns 1 for
 * a message, 0 when more bytes are needed, -1 for garbage (the
 * connection is then closed: RFC 8323 has no way to resynchronize). */
static int take_tcp_message(ep_net *net, int slot, uint8_t *buf, size_t cap,
                            size_t *len)
{
    connection *conn = &net->connections[slot];
    size_t size;
    osc_status status =
        osc_coap_tcp_message_size(conn->buffer, conn->buffered, &size);
    if (status == OSC_ERR_COAP_TRUNCATED ||
        (status == OSC_OK && size > conn->buffered))
        return 0;
    if (status != OSC_OK || size > cap || size > TCP_BUFFER)
        return -1;
    memcpy(buf, conn->buffer, size);
    memmove(conn->buffer, conn->buffer + size, conn->buffered - size);
    conn->buffered -= size;
    *len = size;
    return 1;
}

static void drop_connection(ep_net *net, int slot)
{
    close(net->connections[slot].fd);
    net->connections[slot].used = false;
}

/* Handles RFC 8323 connection signaling: true when msg was one. */
static bool absorb_signaling(ep_net *net, int slot, const uint8_t *buf,
                             size_t len)
{
    osc_coap_message msg;
    if (osc_coap_parse(buf, len, OSC_COAP_FRAMING_TCP, &msg) != OSC_OK)
        return false;
    if (msg.code == OSC_COAP_CODE(7, 1)) { /* CSM */
        connection *conn = &net->connections[slot];
        if (!conn->csm_sent && send_csm(conn->fd))
            conn->csm_sent = true;
        return true;
    }
    if (msg.code == OSC_COAP_CODE(7, 2)) { /* Ping -> Pong */
        msg.code = OSC_COAP_CODE(7, 3);
        msg.option_count = 0;
        msg.payload_length = 0;
        uint8_t pong[32];
        size_t pong_len;
        if (osc_coap_serialize(&msg, pong, sizeof pong, &pong_len) == OSC_OK)
            send_all(net->connections[slot].fd, pong, pong_len);
        return true;
    }
    return msg.code == OSC_COAP_CODE(7, 3);
}

static bool should_drop(ep_net *net)
{
    if (net->drop_remaining == 0)
        return false;
    net->drop_remaining--;
    fprintf(stderr, "%s: dropping a received message on purpose\n",
            net->log_name);
    return true;
}

/* The endpoints keep tokens of up to SC_MAX_TOKEN bytes (scenario.h): a
 * message with a longer RFC 8974 token is dropped here, with a message,
 * before it reaches them. */
static bool token_too_long(const ep_net *net, const uint8_t *buf, size_t len)
{
    osc_coap_message msg;
    if (osc_coap_parse(buf, len, ep_net_framing(net), &msg) != OSC_OK ||
        msg.token_length <= SC_MAX_TOKEN)
        return false;
    fprintf(stderr,
            "%s: dropping a message with a %zu-byte token (these endpoints "
            "keep at most %d bytes)\n",
            net->log_name, msg.token_length, SC_MAX_TOKEN);
    return true;
}

/* A complete message already buffered on some connection. */
static int buffered_message(ep_net *net, ep_peer *from, uint8_t *buf,
                            size_t cap, size_t *len)
{
    for (int i = 0; i < MAX_CONNECTIONS; i++) {
        if (!net->connections[i].used)
            continue;
        for (;;) {
            int got = take_tcp_message(net, i, buf, cap, len);
            if (got < 0) {
                drop_connection(net, i);
                break;
            }
            if (got == 0)
                break;
            if (absorb_signaling(net, i, buf, *len) || should_drop(net) ||
                token_too_long(net, buf, *len))
                continue;
            from->addr = net->connections[i].addr;
            from->connection = i;
            return 1;
        }
    }
    return 0;
}

int ep_net_receive(ep_net *net, int timeout_ms, ep_peer *from, uint8_t *buf,
                   size_t cap, size_t *len)
{
    uint64_t deadline =
        ep_now_ms() + (uint64_t)(timeout_ms < 0 ? 0 : timeout_ms);
    for (;;) {
        if (net->transport == SC_TRANSPORT_TCP &&
            buffered_message(net, from, buf, cap, len))
            return 1;
        uint64_t now = ep_now_ms();
        if (now >= deadline)
            return 0;
        int wait = run_retransmissions(net, (int)(deadline - now));

        struct pollfd fds[MAX_CONNECTIONS + 3];
        int slots[MAX_CONNECTIONS + 3];
        nfds_t count = 0;
        if (net->udp_fd >= 0) {
            fds[count].fd = net->udp_fd;
            slots[count] = -1;
            fds[count++].events = POLLIN;
        }
        if (net->multicast_fd >= 0) {
            fds[count].fd = net->multicast_fd;
            slots[count] = -3;
            fds[count++].events = POLLIN;
        }
        if (net->listen_fd >= 0) {
            fds[count].fd = net->listen_fd;
            slots[count] = -2;
            fds[count++].events = POLLIN;
        }
        for (int i = 0; i < MAX_CONNECTIONS; i++) {
            if (net->connections[i].used) {
                fds[count].fd = net->connections[i].fd;
                slots[count] = i;
                fds[count++].events = POLLIN;
            }
        }
        int ready = poll(fds, count, wait);
        if (ready < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        for (nfds_t i = 0; i < count; i++) {
            if (!(fds[i].revents & (POLLIN | POLLHUP | POLLERR)))
                continue;
            if (slots[i] == -1 || slots[i] == -3) {
                /* Answers to a group request go out on the unicast
                 * socket, from this node's own address (RFC 7252 8.1). */
                int fd = slots[i] == -1 ? net->udp_fd : net->multicast_fd;
                socklen_t addr_len = sizeof from->addr;
                ssize_t got = recvfrom(
                    fd, buf, cap, 0, (struct sockaddr *)&from->addr, &addr_len);
                if (got < 0)
                    continue; /* e.g. ICMP port unreachable: ignore */
                from->connection = -1;
                if (should_drop(net) || token_too_long(net, buf, (size_t)got))
                    continue;
                *len = (size_t)got;
                return 1;
            }
            if (slots[i] == -2) {
                struct sockaddr_in addr;
                socklen_t addr_len = sizeof addr;
                int fd =
                    accept(net->listen_fd, (struct sockaddr *)&addr, &addr_len);
                if (fd >= 0)
                    add_connection(net, fd, &addr, false);
                continue;
            }
            connection *conn = &net->connections[slots[i]];
            ssize_t got = recv(conn->fd, conn->buffer + conn->buffered,
                               TCP_BUFFER - conn->buffered, 0);
            if (got <= 0)
                drop_connection(net, slots[i]);
            else
                conn->buffered += (size_t)got;
        }
    }
}
