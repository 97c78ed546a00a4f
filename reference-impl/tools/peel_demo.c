/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * oscore-peel-demo: peels the OSCORE layers off the messages of the
 * draft's example "C-S + C-P + P-S" (draft-ietf-core-oscore-capable-proxies
 * appendix B.3, bytes from tests/vectors) with the engine and prints
 * every layer: context, kid, Partial IV, nonce, AAD and what it hid.
 *
 * Usage: oscore-peel-demo VECTORS_DIR KEYS_FILE
 * The messages are read from VECTORS_DIR/nested-example-5.9.json, the
 * contexts from KEYS_FILE (keys/nested-example-5.9.keys).
 */
#include <json-glib/json-glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "oscore/coap.h"
#include "oscore/context_set.h"
#include "oscore/engine.h"
#include "oscore/layer_stack.h"
#include "oscore/options.h"
#include "oscore/peel.h"
#include "oscore_keyfile.h"

#define MAX_LAYERS 16

static void print_hex(const char *label, const uint8_t *bytes, size_t len)
{
    printf("      %-10s ", label);
    if (len == 0)
        printf("(empty)");
    for (size_t i = 0; i < len; i++)
        printf("%02x", bytes[i]);
    printf("\n");
}

static void print_option(const osc_coap_option *opt)
{
    osc_option_info info = osc_option_lookup(opt->number);
    printf("        %-14s ", info.name ? info.name : "(unknown)");
    if (info.format == OSC_FORMAT_STRING) {
        printf("\"%.*s\"\n", (int)opt->length, (const char *)opt->value);
    } else if (info.format == OSC_FORMAT_UINT) {
        uint32_t value = 0;
        if (osc_coap_uint_value(opt, &value) == OSC_OK)
            printf("%u\n", value);
        else
            printf("(bad uint)\n");
    } else {
        for (uint32_t i = 0; i < opt->length; i++)
            printf("%02x", opt->value[i]);
        printf(opt->length ? "\n" : "(empty)\n");
    }
}

static void print_code(const char *label, uint8_t code)
{
    char text[8];
    osc_coap_code_format(code, text);
    const char *name = osc_coap_code_name(code);
    printf("      %-10s %s %s\n", label, text, name ? name : "");
}

/* One leg's request layer stack, keyed by the leg's name. */
typedef struct leg_stack {
    const char *leg;
    osc_request_binding layers[MAX_LAYERS];
    size_t count;
} leg_stack;

static int peel(const char *title, const char *leg, const uint8_t *wire,
                size_t wire_len, const osc_context_set *set, leg_stack *stacks,
                size_t stack_count)
{
    osc_coap_message msg;
    osc_status status =
        osc_coap_parse(wire, wire_len, OSC_COAP_FRAMING_UDP, &msg);
    if (status != OSC_OK) {
        printf("%s: not a CoAP message: %s\n", title,
               osc_status_message(status));
        return 1;
    }
    bool is_request = osc_message_is_request(&msg);
    leg_stack *stack = NULL;
    for (size_t i = 0; i < stack_count; i++)
        if (strcmp(stacks[i].leg, leg) == 0)
            stack = &stacks[i];

    printf("%s (%zu bytes, leg %s)\n", title, wire_len, leg);
    /* One entry more than the layer cap, for the attempt that hits it. */
    static uint8_t work[MAX_LAYERS + 1][2048];
    osc_layer_result layers[MAX_LAYERS + 1];
    osc_peel peel;
    osc_peel_init(&peel, &msg, set, stack ? stack->layers : NULL,
                  stack ? stack->count : 0, MAX_LAYERS);
    while (osc_peel_pending(&peel)) {
        size_t depth = peel.depth;
        osc_layer_result *layer = &layers[depth];
        status = osc_peel_next(&peel, work[depth], sizeof work[depth], layer);
        printf("  OSCORE layer %zu: %s\n", depth + 1,
               osc_status_message(status));
        if (status != OSC_OK && status != OSC_ERR_AUTH_FAILED)
            break;
        const char *context_name =
            layer->ctx ? osc_context_set_name(
                             set, osc_context_set_index_of(set, layer->ctx))
                       : NULL;
        printf("      %-10s %s\n", "context",
               context_name ? context_name : "(none)");
        if (layer->option.has_kid)
            print_hex("kid", layer->option.kid, layer->option.kid_len);
        if (layer->option.piv_len)
            print_hex("piv", layer->option.piv, layer->option.piv_len);
        else
            printf("      %-10s none (the request's nonce is reused)\n", "piv");
        print_hex("nonce", layer->nonce, layer->nonce_len);
        print_hex("aad", layer->aad, layer->aad_len);
        if (status != OSC_OK)
            break;
        print_hex("plaintext", layer->plaintext, layer->plaintext_len);
        print_code("code", layer->inner.code);
        printf("      hidden options:%s\n",
               layer->inner.option_count ? "" : " none");
        for (size_t i = 0; i < layer->inner.option_count; i++)
            print_option(&layer->inner.options[i]);
    }
    const osc_coap_message *current = peel.current;
    size_t depth = peel.depth;
    if (depth > 0 && status == OSC_OK) {
        printf("  innermost: ");
        char text[8];
        osc_coap_code_format(current->code, text);
        const char *name = osc_coap_code_name(current->code);
        printf("%s %s", text, name ? name : "");
        for (size_t i = 0; i < current->option_count; i++)
            if (current->options[i].number == OSC_OPT_URI_PATH)
                printf(" /%.*s", (int)current->options[i].length,
                       (const char *)current->options[i].value);
        if (current->payload_length)
            printf(" payload \"%.*s\"", (int)current->payload_length,
                   (const char *)current->payload);
        printf("\n");
    }
    if (is_request && stack) {
        stack->count = depth;
        for (size_t i = 0; i < depth; i++)
            stack->layers[i] = layers[i].binding;
    }
    printf("\n");
    return status == OSC_OK ? 0 : 1;
}

static size_t member_bytes(JsonObject *obj, const char *name, uint8_t *out,
                           size_t cap)
{
    const char *hex = json_object_get_string_member(obj, name);
    size_t len = 0;
    if (!hex || !oscore_keyfile_parse_hex(hex, out, cap, &len)) {
        fprintf(stderr, "vector %s missing or not hex\n", name);
        exit(2);
    }
    return len;
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: %s VECTORS_DIR KEYS_FILE\n", argv[0]);
        return 2;
    }
    osc_status engine = osc_engine_init();
    if (engine != OSC_OK) {
        fprintf(stderr, "%s: %s\n", argv[0], osc_status_message(engine));
        return 1;
    }
    oscore_keyfile *keys = oscore_keyfile_load(argv[2]);
    for (size_t i = 0; i < keys->error_count; i++)
        fprintf(stderr, "%s\n", keys->errors[i]);
    osc_context_set *set = osc_context_set_new();
    if (!set || oscore_keyfile_add_to_set(keys, set) != OSC_OK) {
        fprintf(stderr, "out of memory\n");
        return 2;
    }

    char *path = g_build_filename(argv[1], "nested-example-5.9.json", NULL);
    JsonParser *parser = json_parser_new();
    GError *error = NULL;
    if (!json_parser_load_from_file(parser, path, &error)) {
        fprintf(stderr, "%s: %s\n", path, error->message);
        return 2;
    }
    JsonObject *vectors = json_node_get_object(json_parser_get_root(parser));

    /* Appendix B.3 in the order the messages cross the wire. */
    static const struct {
        const char *name;
        const char *title;
        const char *leg;
    } messages[] = {
        {"MSG1_C_to_P_request", "Client -> Proxy: request", "C-P"},
        {"MSG2B_P_to_S_request", "Proxy -> Server: request", "P-S"},
        {"MSG3B_S_to_P_response", "Server -> Proxy: response", "P-S"},
        {"MSG4_P_to_C_response", "Proxy -> Client: response", "C-P"},
    };
    leg_stack stacks[2] = {{.leg = "C-P"}, {.leg = "P-S"}};
    int failures = 0;
    printf("Draft example \"C-S + C-P + P-S\" "
           "(draft-ietf-core-oscore-capable-proxies "
           "appendix B.3), keys from %s\n\n",
           argv[2]);
    for (size_t i = 0; i < sizeof messages / sizeof messages[0]; i++) {
        uint8_t wire[512];
        size_t len = member_bytes(vectors, messages[i].name, wire, sizeof wire);
        failures +=
            peel(messages[i].title, messages[i].leg, wire, len, set, stacks, 2);
    }

    g_object_unref(parser);
    g_free(path);
    osc_context_set_free(set);
    oscore_keyfile_free(keys);
    return failures ? 1 : 0;
}
