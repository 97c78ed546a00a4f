/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Scenario descriptions of the reference endpoints (pcaps/README.md
 * documents the format): the nodes of one chain with their loopback
 * addresses and roles, the security contexts each pair of nodes shares,
 * and the requests the client sends. Every endpoint process reads the
 * same file and picks its own node by name, so a scenario is one file.
 */
#ifndef OSCORE_ENDPOINTS_SCENARIO_H
#define OSCORE_ENDPOINTS_SCENARIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SC_MAX_NODES 8
#define SC_MAX_CONTEXTS 16
#define SC_MAX_REQUESTS 24
#define SC_MAX_TOKENS 16
#define SC_MAX_NAME 32
#define SC_MAX_TEXT 256
#define SC_MAX_BYTES 2048
#define SC_MAX_LIST 8
#define SC_NO_INDEX (-1)

typedef enum sc_role {
    SC_ROLE_CLIENT,
    SC_ROLE_FORWARD_PROXY,
    SC_ROLE_REVERSE_PROXY,
    SC_ROLE_SERVER,
    /* A CoAP group (RFC 7252 8, RFC 10021): an IPv4 multicast address
     * its member servers listen on; no process of its own. */
    SC_ROLE_MULTICAST
} sc_role;

typedef enum sc_transport { SC_TRANSPORT_UDP, SC_TRANSPORT_TCP } sc_transport;

/* RFC 8974 tokens up to this many bytes (TKL 13 and 14) in scenarios and
 * in the endpoints' exchanges; a received message with a longer one is
 * dropped (net.c). */
#define SC_MAX_TOKEN 1024

typedef struct sc_token {
    uint8_t bytes[SC_MAX_TOKEN];
    size_t length;
} sc_token;

typedef struct sc_node {
    char name[SC_MAX_NAME];
    char address[16]; /* dotted quad, 127.0.0.x (multicast: 224.0.0.0/4) */
    sc_role role;
    /* Server: the multicast node whose address it listens on too (set by
     * that node's `members=`), or SC_NO_INDEX. */
    int multicast_group;
    /* Tokens for the requests this node originates, used in order; after
     * the list, the last one is incremented. */
    sc_token tokens[SC_MAX_TOKENS];
    size_t token_count;
    uint16_t first_mid;
    unsigned ack_timeout_ms;
    unsigned max_layers; /* layers it removes from one request */
    /* Reverse proxy: the Uri-Host or first Uri-Path segment it serves. */
    char route_host[SC_MAX_TEXT];
    char route_path[SC_MAX_TEXT];
    /* Forward proxy: hosts it accepts to forward to ("" = any). */
    char allow_hosts[SC_MAX_LIST][SC_MAX_TEXT];
    size_t allow_host_count;
    /* Contexts of the scenario this node pretends not to hold. */
    char forget[SC_MAX_LIST][SC_MAX_NAME];
    size_t forget_count;
    /* Server: notifications after the registration response. */
    unsigned notifications;
    unsigned notify_interval_ms;
    unsigned large_size; /* bytes of the Block2 resource */
    /* Outer Block-wise (RFC 8613 4.1.3.4.2): SZX of the blocks this node
     * cuts what it sends into, -1 = never. */
    int outer_block_szx;
    /* Group OSCORE server: answer with its own Partial IV even the first
     * response (RFC 10021 8.3), and wait this long before answering a
     * request (RFC 7252 8.2 "leisure", which also orders the answers of
     * several servers in a capture). */
    bool group_piv;
    unsigned leisure_ms;
    /* Failure injection. */
    unsigned drop_first;     /* ignore the first N datagrams received */
    bool unprotected_errors; /* OSCORE errors without any layer */
    bool forge_signature;    /* flip a byte of its group-mode signatures */
} sc_node;

/* A Sender ID (RFC 8613 3.1: at most 7 bytes here). */
typedef struct sc_sender_id {
    uint8_t data[8];
    size_t length;
} sc_sender_id;

typedef struct sc_context {
    char name[SC_MAX_NAME]; /* group name in the keys file */
    int requester;          /* node index: the keys file's sender */
    int responder;
    uint64_t requester_seq; /* first Sender Sequence Number of each side */
    uint64_t responder_seq;
    bool kid_context; /* send the ID Context in requests */
    /* Group OSCORE (the keys file group has `group = true`): which node
     * is which member, by Sender ID; the responder may be a multicast
     * node. Pairwise mode: requests to the responder alone. */
    bool is_group;
    bool pairwise;
    int member_node[SC_MAX_LIST];
    sc_sender_id member_id[SC_MAX_LIST];
    size_t member_count;
} sc_context;

typedef struct sc_bytes {
    uint8_t data[SC_MAX_BYTES];
    size_t length;
    bool present;
} sc_bytes;

typedef struct sc_request {
    unsigned line;
    char method[16];         /* GET, POST, ... or REPLAY */
    char uri[SC_MAX_TEXT];   /* coap://host/path or /path (next hop) */
    bool confirmable;        /* default true */
    sc_bytes payload;        /* payload=, or payload_size= (pattern) */
    int content_format;      /* -1 = none */
    unsigned observe;        /* notifications to wait for, 0 = none */
    int block2_szx;          /* -1 = none */
    int block1_szx;          /* -1 = none */
    int hop_limit;           /* -1 = none */
    bool keep_proxy_scheme;  /* also towards a non-proxy (5.05 test) */
    int layers[SC_MAX_LIST]; /* contexts to apply, or all when unset */
    size_t layer_count;
    bool layers_given;
    char proxy_path[SC_MAX_TEXT]; /* reverse-proxy Uri-Path segment */
    int proxy_path_layer;         /* context whose layer carries it */
    /* EDHOC + OSCORE combined request: message_3 prefixed after the
     * layer of this context, with an EDHOC option. */
    int edhoc_layer;
    sc_bytes edhoc_message_3;
    /* Failure injection. */
    int corrupt_layer; /* flip a ciphertext byte of this context's layer */
    bool malformed_oscore;
    size_t truncate;         /* send only this many bytes (0 = all) */
    uint16_t unknown_option; /* added before unknown_option_layer */
    int unknown_option_layer;
    /* What the client must get. */
    int expect_code; /* -1 = do not check */
    sc_bytes expect_payload;
    size_t expect_pattern; /* payload must be the pattern of this size */
    /* Group requests: responses to wait for (one per server), and how
     * many of them must fail to verify (a forged signature). */
    unsigned responses;
    unsigned expect_rejected;
} sc_request;

typedef struct scenario {
    char path[SC_MAX_TEXT];
    char keys_path[SC_MAX_TEXT * 2]; /* resolved against the file */
    sc_transport transport;
    sc_node nodes[SC_MAX_NODES];
    size_t node_count;
    int chain[SC_MAX_NODES];
    size_t chain_length;
    sc_context contexts[SC_MAX_CONTEXTS];
    size_t context_count;
    sc_request requests[SC_MAX_REQUESTS];
    size_t request_count;
    unsigned timeout_ms; /* hard limit for every process */
    unsigned idle_ms;    /* proxies/servers exit after this much silence */
} scenario;

/* Loads a scenario; on error prints "FILE:LINE: message" to stderr and
 * returns false. */
bool scenario_load(const char *path, scenario *out);

int scenario_node_index(const scenario *sc, const char *name);
int scenario_context_index(const scenario *sc, const char *name);
/* Position of a node in the chain, or -1; a server listening on a
 * multicast node has that node's position. */
int scenario_chain_position(const scenario *sc, int node);

/* The Sender ID of node in a group context; false when it is no member. */
bool scenario_member_id(const sc_context *ctx, int node, const uint8_t **id,
                        size_t *len);

/* The deterministic payload of a given size (Block-wise resources). */
void scenario_pattern(uint8_t *out, size_t length);

bool scenario_is_proxy(sc_role role);

#endif
