/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Parser of the scenario format (pcaps/README.md): one directive per line,
 * positional words first, then key=value words; `#` starts a comment
 * outside double quotes.
 */
#define _POSIX_C_SOURCE 200809L
#include "scenario.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "oscore/block.h"

#define MAX_WORDS 32

typedef struct parser {
    const char *path;
    unsigned line;
    bool ok;
} parser;

static void fail(parser *p, const char *format, ...)
{
    va_list args;
    va_start(args, format);
    fprintf(stderr, "%s:%u: ", p->path, p->line);
    vfprintf(stderr, format, args);
    fprintf(stderr, "\n");
    va_end(args);
    p->ok = false;
}

/* Splits a line into words in place; quoted words keep their quotes so
 * that value parsers can tell text from numbers. */
static size_t split_words(char *line, char **words)
{
    size_t count = 0;
    char *cursor = line;
    while (*cursor && count < MAX_WORDS) {
        while (isspace((unsigned char)*cursor))
            cursor++;
        if (*cursor == '\0' || *cursor == '#')
            break;
        words[count++] = cursor;
        bool quoted = false;
        while (*cursor && (quoted || !isspace((unsigned char)*cursor))) {
            if (*cursor == '"')
                quoted = !quoted;
            else if (*cursor == '#' && !quoted)
                break;
            cursor++;
        }
        if (*cursor == '#') {
            *cursor = '\0';
            break;
        }
        if (*cursor)
            *cursor++ = '\0';
    }
    return count;
}

static bool parse_uint(parser *p, const char *text, unsigned long long max,
                       unsigned long long *out)
{
    char *end;
    errno = 0;
    unsigned long long value = strtoull(text, &end, 0);
    if (errno || end == text || *end || value > max) {
        fail(p, "bad number \"%s\"", text);
        return false;
    }
    *out = value;
    return true;
}

static bool parse_int_field(parser *p, const char *text, unsigned long long max,
                            int *out)
{
    unsigned long long value;
    if (!parse_uint(p, text, max, &value))
        return false;
    *out = (int)value;
    return true;
}

static int hex_digit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c = (char)tolower((unsigned char)c);
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

static bool parse_hex(parser *p, const char *text, uint8_t *out, size_t cap,
                      size_t *length)
{
    size_t n = 0;
    for (const char *c = text; *c;) {
        if (*c == '_' || *c == ':') { /* readability separators */
            c++;
            continue;
        }
        int high = hex_digit(c[0]);
        int low = c[1] ? hex_digit(c[1]) : -1;
        if (high < 0 || low < 0 || n == cap) {
            fail(p, "bad hex \"%s\"", text);
            return false;
        }
        out[n++] = (uint8_t)(high << 4 | low);
        c += 2;
    }
    *length = n;
    return true;
}

/* "quoted text" or hex:0102... */
static bool parse_bytes(parser *p, const char *text, sc_bytes *out)
{
    size_t len = strlen(text);
    if (len >= 2 && text[0] == '"' && text[len - 1] == '"') {
        if (len - 2 > sizeof out->data) {
            fail(p, "text too long");
            return false;
        }
        memcpy(out->data, text + 1, len - 2);
        out->length = len - 2;
        out->present = true;
        return true;
    }
    if (strncmp(text, "hex:", 4) == 0) {
        out->present =
            parse_hex(p, text + 4, out->data, sizeof out->data, &out->length);
        return out->present;
    }
    fail(p, "bytes must be \"text\" or hex:..., not %s", text);
    return false;
}

static bool parse_bool(parser *p, const char *text)
{
    if (strcmp(text, "yes") == 0 || strcmp(text, "true") == 0)
        return true;
    if (strcmp(text, "no") != 0 && strcmp(text, "false") != 0)
        fail(p, "expected yes or no, not %s", text);
    return false;
}

static void copy_text(parser *p, char *dest, size_t cap, const char *text)
{
    size_t len = strlen(text);
    if (len >= 2 && text[0] == '"' && text[len - 1] == '"') {
        text++;
        len -= 2;
    }
    if (len >= cap) {
        fail(p, "value too long: %s", text);
        return;
    }
    memcpy(dest, text, len);
    dest[len] = '\0';
}

/* Comma-separated list into fixed-size strings. */
static size_t parse_list(parser *p, char *text, char (*out)[SC_MAX_TEXT],
                         size_t cap)
{
    size_t count = 0;
    for (char *item = strtok(text, ","); item; item = strtok(NULL, ",")) {
        if (count == cap) {
            fail(p, "too many list items");
            break;
        }
        copy_text(p, out[count++], SC_MAX_TEXT, item);
    }
    return count;
}

/* Splits "key=value" in place; false when there is no '='. */
static bool key_value(char *word, char **key, char **value)
{
    char *equals = strchr(word, '=');
    if (!equals)
        return false;
    *equals = '\0';
    *key = word;
    *value = equals + 1;
    return true;
}

static sc_role parse_role(parser *p, const char *word)
{
    if (strcmp(word, "client") == 0)
        return SC_ROLE_CLIENT;
    if (strcmp(word, "forward-proxy") == 0)
        return SC_ROLE_FORWARD_PROXY;
    if (strcmp(word, "reverse-proxy") == 0)
        return SC_ROLE_REVERSE_PROXY;
    if (strcmp(word, "server") == 0)
        return SC_ROLE_SERVER;
    if (strcmp(word, "multicast") == 0)
        return SC_ROLE_MULTICAST;
    fail(p, "unknown role %s", word);
    return SC_ROLE_CLIENT; /* unused: the scenario has failed */
}

/* tokens=HEX,HEX...: the tokens the node's requests use, in turn. */
static void parse_tokens(parser *p, sc_node *node, char *value)
{
    for (char *item = strtok(value, ","); item; item = strtok(NULL, ",")) {
        if (node->token_count == SC_MAX_TOKENS) {
            fail(p, "too many tokens");
            break;
        }
        sc_token *token = &node->tokens[node->token_count++];
        /* "a5x300": the bytes a5 300 times (long RFC 8974 tokens). */
        char *times = strchr(item, 'x');
        unsigned long long repeat = 1;
        if (times) {
            *times = '\0';
            if (!parse_uint(p, times + 1, SC_MAX_TOKEN, &repeat))
                break;
        }
        if (!parse_hex(p, item, token->bytes, sizeof token->bytes,
                       &token->length))
            break;
        size_t unit = token->length;
        if (unit == 0 || unit * repeat > sizeof token->bytes) {
            fail(p, "token longer than %d bytes", SC_MAX_TOKEN);
            break;
        }
        for (size_t i = 1; i < repeat; i++)
            memcpy(token->bytes + i * unit, token->bytes, unit);
        token->length = unit * (size_t)repeat;
    }
}

static int node_or_fail(parser *p, const scenario *sc, const char *name);

/* The Group OSCORE settings of a node line (pcaps/README.md); false for
 * any other key. */
static bool parse_group_node_setting(parser *p, scenario *sc, sc_node *node,
                                     const char *key, char *value)
{
    unsigned long long number;
    if (strcmp(key, "members") == 0 && node->role == SC_ROLE_MULTICAST) {
        int self = (int)(node - sc->nodes);
        for (char *item = strtok(value, ","); item; item = strtok(NULL, ",")) {
            int member = node_or_fail(p, sc, item);
            if (member < 0)
                continue;
            if (sc->nodes[member].role != SC_ROLE_SERVER) {
                fail(p, "members: %s is not a server", item);
                break;
            }
            sc->nodes[member].multicast_group = self;
        }
    } else if (strcmp(key, "group_piv") == 0) {
        node->group_piv = parse_bool(p, value);
    } else if (strcmp(key, "leisure") == 0) {
        if (parse_uint(p, value, 10000, &number))
            node->leisure_ms = (unsigned)number;
    } else if (strcmp(key, "forge_signature") == 0) {
        node->forge_signature = parse_bool(p, value);
    } else {
        return false;
    }
    return true;
}

/* One key=value word of a node line. */
static void parse_node_setting(parser *p, scenario *sc, sc_node *node,
                               const char *key, char *value)
{
    unsigned long long number;
    if (strcmp(key, "tokens") == 0) {
        parse_tokens(p, node, value);
    } else if (strcmp(key, "mid") == 0) {
        if (parse_uint(p, value, 0xffff, &number))
            node->first_mid = (uint16_t)number;
    } else if (strcmp(key, "ack_timeout") == 0) {
        if (parse_uint(p, value, 60000, &number))
            node->ack_timeout_ms = (unsigned)number;
    } else if (strcmp(key, "max_layers") == 0) {
        if (parse_uint(p, value, 64, &number))
            node->max_layers = (unsigned)number;
    } else if (strcmp(key, "route_host") == 0) {
        copy_text(p, node->route_host, sizeof node->route_host, value);
    } else if (strcmp(key, "route_path") == 0) {
        copy_text(p, node->route_path, sizeof node->route_path, value);
    } else if (strcmp(key, "allow") == 0) {
        node->allow_host_count =
            parse_list(p, value, node->allow_hosts, SC_MAX_LIST);
    } else if (strcmp(key, "forget") == 0) {
        char names[SC_MAX_LIST][SC_MAX_TEXT];
        node->forget_count = parse_list(p, value, names, SC_MAX_LIST);
        for (size_t j = 0; j < node->forget_count; j++)
            copy_text(p, node->forget[j], SC_MAX_NAME, names[j]);
    } else if (strcmp(key, "notifications") == 0) {
        if (parse_uint(p, value, 1000, &number))
            node->notifications = (unsigned)number;
    } else if (strcmp(key, "interval") == 0) {
        if (parse_uint(p, value, 10000, &number))
            node->notify_interval_ms = (unsigned)number;
    } else if (strcmp(key, "large_size") == 0) {
        if (parse_uint(p, value, SC_MAX_BYTES, &number))
            node->large_size = (unsigned)number;
    } else if (strcmp(key, "outer_block") == 0) {
        if (parse_uint(p, value, OSC_BLOCK_MAX_SZX, &number))
            node->outer_block_szx = (int)number;
    } else if (strcmp(key, "drop_first") == 0) {
        if (parse_uint(p, value, 100, &number))
            node->drop_first = (unsigned)number;
    } else if (strcmp(key, "unprotected_errors") == 0) {
        node->unprotected_errors = parse_bool(p, value);
    } else if (!parse_group_node_setting(p, sc, node, key, value)) {
        fail(p, "unknown node setting %s", key);
    }
}

static void parse_node(parser *p, scenario *sc, char **words, size_t count)
{
    if (count < 4) {
        fail(p, "usage: node NAME ADDRESS ROLE [key=value...]");
        return;
    }
    if (sc->node_count == SC_MAX_NODES) {
        fail(p, "too many nodes");
        return;
    }
    sc_node *node = &sc->nodes[sc->node_count++];
    memset(node, 0, sizeof *node);
    copy_text(p, node->name, sizeof node->name, words[1]);
    copy_text(p, node->address, sizeof node->address, words[2]);
    node->role = parse_role(p, words[3]);
    node->multicast_group = SC_NO_INDEX;
    if (node->role == SC_ROLE_MULTICAST) {
        /* RFC 5771: 224.0.0.0/4; loopback carries it (pcaps/README.md). */
        unsigned long first = strtoul(node->address, NULL, 10);
        if (first < 224 || first > 239)
            fail(p, "a multicast node needs an address in 224.0.0.0/4");
    } else if (strncmp(node->address, "127.0.0.", 8) != 0) {
        fail(p, "only loopback addresses 127.0.0.x are allowed");
    }
    node->first_mid = 0x1001;
    node->ack_timeout_ms = 2000;
    node->max_layers = 8;
    node->notifications = 3;
    node->notify_interval_ms = 100;
    node->large_size = 700;
    node->outer_block_szx = -1;

    for (size_t i = 4; i < count; i++) {
        char *key, *value;
        if (key_value(words[i], &key, &value))
            parse_node_setting(p, sc, node, key, value);
        else
            fail(p, "expected key=value, not %s", words[i]);
    }
}

static int node_or_fail(parser *p, const scenario *sc, const char *name)
{
    int index = scenario_node_index(sc, name);
    if (index < 0)
        fail(p, "unknown node %s", name);
    return index;
}

static int context_or_fail(parser *p, const scenario *sc, const char *name)
{
    int index = scenario_context_index(sc, name);
    if (index < 0)
        fail(p, "unknown context %s (declare it before use)", name);
    return index;
}

/* members=NODE:ID,...: a Group OSCORE context and each member node's
 * Sender ID (hex) in the keys file's group. */
static void parse_members(parser *p, const scenario *sc, sc_context *ctx,
                          char *value)
{
    ctx->is_group = true;
    for (char *item = strtok(value, ","); item; item = strtok(NULL, ",")) {
        char *colon = strchr(item, ':');
        if (!colon || ctx->member_count == SC_MAX_LIST) {
            fail(p, "members: NODE:HEXID, at most %d", SC_MAX_LIST);
            return;
        }
        *colon = '\0';
        size_t i = ctx->member_count;
        ctx->member_node[i] = node_or_fail(p, sc, item);
        if (ctx->member_node[i] < 0 ||
            !parse_hex(p, colon + 1, ctx->member_id[i].data, 7,
                       &ctx->member_id[i].length))
            return;
        ctx->member_count++;
    }
}

static void parse_context(parser *p, scenario *sc, char **words, size_t count)
{
    if (count < 4) {
        fail(p, "usage: context NAME REQUESTER RESPONDER [key=value...]");
        return;
    }
    if (sc->context_count == SC_MAX_CONTEXTS) {
        fail(p, "too many contexts");
        return;
    }
    sc_context *ctx = &sc->contexts[sc->context_count++];
    memset(ctx, 0, sizeof *ctx);
    copy_text(p, ctx->name, sizeof ctx->name, words[1]);
    ctx->requester = node_or_fail(p, sc, words[2]);
    ctx->responder = node_or_fail(p, sc, words[3]);
    for (size_t i = 4; i < count; i++) {
        char *key, *value;
        unsigned long long number;
        if (!key_value(words[i], &key, &value)) {
            fail(p, "expected key=value, not %s", words[i]);
            continue;
        }
        if (strcmp(key, "seq") == 0) {
            if (parse_uint(p, value, 0xffffffffffULL, &number))
                ctx->requester_seq = number;
        } else if (strcmp(key, "responder_seq") == 0) {
            if (parse_uint(p, value, 0xffffffffffULL, &number))
                ctx->responder_seq = number;
        } else if (strcmp(key, "kid_context") == 0) {
            ctx->kid_context = parse_bool(p, value);
        } else if (strcmp(key, "members") == 0) {
            parse_members(p, sc, ctx, value);
        } else if (strcmp(key, "pairwise") == 0) {
            ctx->pairwise = parse_bool(p, value);
        } else {
            fail(p, "unknown context setting %s", key);
        }
    }
}

static int parse_code(parser *p, const char *text)
{
    unsigned cls, detail;
    if (sscanf(text, "%1u.%2u", &cls, &detail) != 2 || cls > 7 || detail > 31) {
        fail(p, "bad response code %s (write c.dd)", text);
        return -1;
    }
    return (int)(cls << 5 | detail);
}

static void parse_layers(parser *p, const scenario *sc, char *value,
                         sc_request *req)
{
    req->layers_given = true;
    req->layer_count = 0;
    if (strcmp(value, "none") == 0)
        return;
    for (char *item = strtok(value, ","); item; item = strtok(NULL, ",")) {
        if (req->layer_count == SC_MAX_LIST) {
            fail(p, "too many layers");
            return;
        }
        req->layers[req->layer_count++] = context_or_fail(p, sc, item);
    }
}

/* Splits "TEXT@CONTEXT" in place and returns the context name, or fails
 * with the usage and returns NULL when there is no '@'. */
static char *split_at_context(parser *p, char *value, const char *usage)
{
    char *at = strchr(value, '@');
    if (!at) {
        fail(p, "%s", usage);
        return NULL;
    }
    *at = '\0';
    return at + 1;
}

/* The settings that shape the request's OSCORE layers or damage them on
 * purpose; false when key is none of them. */
static bool parse_request_layer_setting(parser *p, const scenario *sc,
                                        sc_request *req, const char *key,
                                        char *value)
{
    unsigned long long number;
    char *context;
    if (strcmp(key, "layers") == 0) {
        parse_layers(p, sc, value, req);
    } else if (strcmp(key, "proxy_path") == 0) {
        context = split_at_context(p, value, "proxy_path=SEGMENT@CONTEXT");
        if (context) {
            copy_text(p, req->proxy_path, sizeof req->proxy_path, value);
            req->proxy_path_layer = context_or_fail(p, sc, context);
        }
    } else if (strcmp(key, "edhoc_layer") == 0) {
        req->edhoc_layer = context_or_fail(p, sc, value);
    } else if (strcmp(key, "edhoc_message_3") == 0) {
        parse_bytes(p, value, &req->edhoc_message_3);
    } else if (strcmp(key, "corrupt") == 0) {
        req->corrupt_layer = context_or_fail(p, sc, value);
    } else if (strcmp(key, "malformed_oscore") == 0) {
        req->malformed_oscore = parse_bool(p, value);
    } else if (strcmp(key, "truncate") == 0) {
        if (parse_uint(p, value, SC_MAX_BYTES, &number))
            req->truncate = (size_t)number;
    } else if (strcmp(key, "unknown_option") == 0) {
        context = split_at_context(p, value, "unknown_option=NUMBER@CONTEXT");
        if (context) {
            if (parse_uint(p, value, 65535, &number))
                req->unknown_option = (uint16_t)number;
            req->unknown_option_layer = context_or_fail(p, sc, context);
        }
    } else {
        return false;
    }
    return true;
}

/* One key=value word of a request line. */
static void parse_request_setting(parser *p, const scenario *sc,
                                  sc_request *req, const char *key, char *value)
{
    unsigned long long number;
    if (parse_request_layer_setting(p, sc, req, key, value))
        return;
    if (strcmp(key, "type") == 0) {
        req->confirmable = strcmp(value, "non") != 0;
    } else if (strcmp(key, "payload") == 0) {
        parse_bytes(p, value, &req->payload);
    } else if (strcmp(key, "payload_size") == 0) {
        if (parse_uint(p, value, SC_MAX_BYTES, &number)) {
            scenario_pattern(req->payload.data, (size_t)number);
            req->payload.length = (size_t)number;
            req->payload.present = true;
        }
    } else if (strcmp(key, "content_format") == 0) {
        parse_int_field(p, value, 65535, &req->content_format);
    } else if (strcmp(key, "observe") == 0) {
        if (parse_uint(p, value, 100, &number))
            req->observe = (unsigned)number;
    } else if (strcmp(key, "block2") == 0) {
        parse_int_field(p, value, 6, &req->block2_szx);
    } else if (strcmp(key, "block1") == 0) {
        parse_int_field(p, value, 6, &req->block1_szx);
    } else if (strcmp(key, "hop_limit") == 0) {
        parse_int_field(p, value, 255, &req->hop_limit);
    } else if (strcmp(key, "proxy_scheme") == 0) {
        req->keep_proxy_scheme = parse_bool(p, value);
    } else if (strcmp(key, "expect") == 0) {
        req->expect_code = parse_code(p, value);
    } else if (strcmp(key, "expect_payload") == 0) {
        parse_bytes(p, value, &req->expect_payload);
    } else if (strcmp(key, "expect_size") == 0) {
        if (parse_uint(p, value, SC_MAX_BYTES, &number))
            req->expect_pattern = (size_t)number;
    } else if (strcmp(key, "responses") == 0) {
        if (parse_uint(p, value, SC_MAX_LIST, &number))
            req->responses = (unsigned)number;
    } else if (strcmp(key, "expect_rejected") == 0) {
        if (parse_uint(p, value, SC_MAX_LIST, &number))
            req->expect_rejected = (unsigned)number;
    } else {
        fail(p, "unknown request setting %s", key);
    }
}

static void parse_request(parser *p, scenario *sc, char **words, size_t count)
{
    if (count < 2) {
        fail(p, "usage: request METHOD [URI] [key=value...]");
        return;
    }
    if (sc->request_count == SC_MAX_REQUESTS) {
        fail(p, "too many requests");
        return;
    }
    sc_request *req = &sc->requests[sc->request_count++];
    memset(req, 0, sizeof *req);
    req->line = p->line;
    req->confirmable = true;
    req->content_format = -1;
    req->block1_szx = -1;
    req->block2_szx = -1;
    req->hop_limit = -1;
    req->expect_code = -1;
    req->proxy_path_layer = SC_NO_INDEX;
    req->edhoc_layer = SC_NO_INDEX;
    req->corrupt_layer = SC_NO_INDEX;
    req->unknown_option_layer = SC_NO_INDEX;
    copy_text(p, req->method, sizeof req->method, words[1]);
    size_t first_setting = 2;
    if (count > 2 && !strchr(words[2], '=')) {
        copy_text(p, req->uri, sizeof req->uri, words[2]);
        first_setting = 3;
    }
    for (size_t i = first_setting; i < count; i++) {
        char *key, *value;
        if (key_value(words[i], &key, &value))
            parse_request_setting(p, sc, req, key, value);
        else
            fail(p, "expected key=value, not %s", words[i]);
    }
}

static void parse_line(parser *p, scenario *sc, char *line)
{
    char *words[MAX_WORDS];
    size_t count = split_words(line, words);
    if (count == 0)
        return;
    unsigned long long number;
    if (strcmp(words[0], "keys") == 0 && count == 2) {
        /* Relative to the scenario file's directory. */
        char dir[SC_MAX_TEXT];
        copy_text(p, dir, sizeof dir, sc->path);
        char *slash = strrchr(dir, '/');
        if (words[1][0] == '/' || !slash)
            snprintf(sc->keys_path, sizeof sc->keys_path, "%s", words[1]);
        else {
            *slash = '\0';
            snprintf(sc->keys_path, sizeof sc->keys_path, "%s/%s", dir,
                     words[1]);
        }
    } else if (strcmp(words[0], "transport") == 0 && count == 2) {
        if (strcmp(words[1], "udp") == 0)
            sc->transport = SC_TRANSPORT_UDP;
        else if (strcmp(words[1], "tcp") == 0)
            sc->transport = SC_TRANSPORT_TCP;
        else
            fail(p, "transport is udp or tcp");
    } else if (strcmp(words[0], "timeout") == 0 && count == 2) {
        if (parse_uint(p, words[1], 600000, &number))
            sc->timeout_ms = (unsigned)number;
    } else if (strcmp(words[0], "idle") == 0 && count == 2) {
        if (parse_uint(p, words[1], 600000, &number))
            sc->idle_ms = (unsigned)number;
    } else if (strcmp(words[0], "node") == 0) {
        parse_node(p, sc, words, count);
    } else if (strcmp(words[0], "chain") == 0) {
        sc->chain_length = 0;
        for (size_t i = 1; i < count && i <= SC_MAX_NODES; i++)
            sc->chain[sc->chain_length++] = node_or_fail(p, sc, words[i]);
    } else if (strcmp(words[0], "context") == 0) {
        parse_context(p, sc, words, count);
    } else if (strcmp(words[0], "request") == 0) {
        parse_request(p, sc, words, count);
    } else if (strcmp(words[0], "title") == 0 ||
               strcmp(words[0], "omit_from_capture_keys") == 0) {
        /* For the recorder and the reader, not for the endpoints. */
    } else {
        fail(p, "unknown directive %s", words[0]);
    }
}

bool scenario_load(const char *path, scenario *out)
{
    memset(out, 0, sizeof *out);
    snprintf(out->path, sizeof out->path, "%s", path);
    out->timeout_ms = 20000;
    out->idle_ms = 800;
    parser p = {path, 0, true};
    FILE *file = fopen(path, "r");
    if (!file) {
        fprintf(stderr, "%s: %s\n", path, strerror(errno));
        return false;
    }
    char *line = NULL;
    size_t cap = 0;
    while (getline(&line, &cap, file) >= 0) {
        p.line++;
        parse_line(&p, out, line);
    }
    free(line);
    fclose(file);
    p.line = 0;
    if (out->chain_length < 2)
        fail(&p, "a chain of at least two nodes is required");
    if (!out->keys_path[0])
        fail(&p, "no keys file given");
    return p.ok;
}

int scenario_node_index(const scenario *sc, const char *name)
{
    for (size_t i = 0; i < sc->node_count; i++)
        if (strcmp(sc->nodes[i].name, name) == 0)
            return (int)i;
    return -1;
}

int scenario_context_index(const scenario *sc, const char *name)
{
    for (size_t i = 0; i < sc->context_count; i++)
        if (strcmp(sc->contexts[i].name, name) == 0)
            return (int)i;
    return -1;
}

int scenario_chain_position(const scenario *sc, int node)
{
    if (node >= 0 && sc->nodes[node].multicast_group != SC_NO_INDEX)
        node = sc->nodes[node].multicast_group;
    for (size_t i = 0; i < sc->chain_length; i++)
        if (sc->chain[i] == node)
            return (int)i;
    return -1;
}

bool scenario_member_id(const sc_context *ctx, int node, const uint8_t **id,
                        size_t *len)
{
    for (size_t i = 0; i < ctx->member_count; i++) {
        if (ctx->member_node[i] == node) {
            *id = ctx->member_id[i].data;
            *len = ctx->member_id[i].length;
            return true;
        }
    }
    return false;
}

void scenario_pattern(uint8_t *out, size_t length)
{
    /* Readable in Wireshark and position-revealing: a block in the wrong
     * place shows at a glance. */
    static const char digits[] = "0123456789abcdefghijklmnopqrstuvwxyz";
    for (size_t i = 0; i < length; i++)
        out[i] = (uint8_t)((i % 64 == 63) ? '\n' : digits[(i / 64) % 36]);
}

bool scenario_is_proxy(sc_role role)
{
    return role == SC_ROLE_FORWARD_PROXY || role == SC_ROLE_REVERSE_PROXY;
}
