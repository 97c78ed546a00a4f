/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Robustness of the decryptor's path on hostile input: every captured
 * message of the nested example and of the Group OSCORE vectors is
 * truncated at every length and has every byte replaced by several
 * values, then parsed (UDP, TCP and WebSocket framing) and peeled as deep
 * as it goes, requests and responses, with every context known. Under
 * ASan/UBSan any out-of-bounds access aborts the test; the checks assert
 * the contract of each result: a named status, no plaintext without
 * authentication, a removable result message that serializes. Each
 * unmodified message must lose every one of its layers.
 * Usage: test_peel_robustness VECTORS_DIR [--depth-cap N]
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "oscore/coap.h"
#include "oscore/context_set.h"
#include "oscore/group.h"
#include "oscore/layer_stack.h"
#include "oscore/peel.h"
#include "test_support.h"

#define MAX_DEPTH 4

static unsigned peeled_layers;
static unsigned contract_violations;
/* Layers peel_all removes at most. Lowered only by the harness test
 * (argument --depth-cap N), which asserts that a partial peel fails. */
static size_t depth_cap = MAX_DEPTH;

/* Peels msg until no OSCORE option is left or a layer fails; returns the
 * number of layers removed and sets *complete (if not NULL) when no OSCORE
 * option is left at the end. */
static unsigned peel_all(const osc_coap_message *msg,
                         const osc_context_set *set,
                         const osc_request_binding *stack, size_t stack_len,
                         bool *complete)
{
    static uint8_t work[MAX_DEPTH][4096];
    osc_layer_result result[MAX_DEPTH];
    osc_peel peel;
    osc_peel_init(&peel, msg, set, stack, stack_len, MAX_DEPTH);
    if (complete)
        *complete = false;
    while (peel.depth < depth_cap && osc_peel_pending(&peel)) {
        size_t depth = peel.depth;
        if (osc_peel_work_size(&peel) > sizeof work[depth])
            return (unsigned)peel.depth;
        osc_status status = osc_peel_next(&peel, work[depth],
                                          sizeof work[depth], &result[depth]);
        if (status >= OSC_STATUS_COUNT || status != result[depth].status)
            contract_violations++;
        if (status != OSC_OK && status != OSC_ERR_PLAINTEXT_MALFORMED &&
            (result[depth].plaintext || result[depth].plaintext_len))
            contract_violations++;
        if (status != OSC_OK)
            return (unsigned)peel.depth;
        peeled_layers++;
        uint8_t wire[4096];
        size_t wire_len;
        if (osc_coap_serialize(&result[depth].result, wire, sizeof wire,
                               &wire_len) != OSC_OK)
            contract_violations++;
    }
    /* Complete: at least one layer removed and no OSCORE option left. */
    if (complete)
        *complete = peel.depth > 0 && osc_peel_complete(&peel);
    return (unsigned)peel.depth;
}

static void exercise(const uint8_t *bytes, size_t len,
                     const osc_context_set *set,
                     const osc_request_binding *stack, size_t stack_len)
{
    /* An exact-size heap copy, so ASan sees any read past the end. */
    uint8_t *copy = malloc(len ? len : 1);
    memcpy(copy, bytes, len);
    static const osc_coap_framing framings[] = {
        OSC_COAP_FRAMING_UDP, OSC_COAP_FRAMING_TCP, OSC_COAP_FRAMING_WEBSOCKET};
    for (size_t f = 0; f < 3; f++) {
        osc_coap_message msg;
        if (osc_coap_parse(copy, len, framings[f], &msg) == OSC_OK)
            peel_all(&msg, set, stack, stack_len, NULL);
    }
    free(copy);
}

static void mutate_all(const uint8_t *bytes, size_t len,
                       const osc_context_set *set,
                       const osc_request_binding *stack, size_t stack_len)
{
    static const uint8_t values[] = {0x00, 0x01, 0x0d, 0x0e, 0x0f, 0x10,
                                     0x19, 0x20, 0x39, 0x7f, 0x80, 0xc0,
                                     0xd0, 0xe0, 0xf0, 0xff};
    uint8_t mutated[512];
    for (size_t cut = 0; cut <= len; cut++)
        exercise(bytes, cut, set, stack, stack_len);
    for (size_t i = 0; i < len; i++) {
        for (size_t v = 0; v < sizeof values; v++) {
            memcpy(mutated, bytes, len);
            mutated[i] = values[v];
            exercise(mutated, len, set, stack, stack_len);
        }
    }
}

/* The request layer stack of a message, by peeling it unmodified. */
static size_t stack_of(const uint8_t *bytes, size_t len,
                       const osc_context_set *set, osc_request_binding *stack)
{
    static uint8_t work[MAX_DEPTH][4096];
    osc_coap_message msg;
    if (!CHECK_EQ(osc_coap_parse(bytes, len, OSC_COAP_FRAMING_UDP, &msg),
                  OSC_OK))
        return 0;
    static osc_layer_result results[MAX_DEPTH];
    osc_peel peel;
    osc_peel_init(&peel, &msg, set, NULL, 0, MAX_DEPTH);
    while (peel.depth < MAX_DEPTH && osc_peel_pending(&peel)) {
        size_t depth = peel.depth;
        if (osc_peel_next(&peel, work[depth], sizeof work[depth],
                          &results[depth]) == OSC_OK)
            stack[depth] = results[depth].binding;
    }
    return peel.depth;
}

int main(int argc, char **argv)
{
    tests_init(argc, argv);
    if (argc == 4 && strcmp(argv[2], "--depth-cap") == 0)
        depth_cap = (size_t)strtoul(argv[3], NULL, 10);
    if (depth_cap == 0 || depth_cap > MAX_DEPTH) {
        fprintf(stderr, "--depth-cap: 1 to %d\n", MAX_DEPTH);
        return 2;
    }
    test_vectors *nested = vectors_load_object("nested-example-5.9.json");
    test_vectors *group_vectors = vectors_load_object("group-oscore.json");

    osc_context_set *set = osc_context_set_new();
    static const char *const names[] = {"C-S", "C-P", "P-S"};
    for (int i = 0; i < 3; i++) {
        osc_context ctx;
        test_nested_context(names[i], &ctx);
        CHECK_EQ(osc_context_set_add(set, names[i], &ctx, NULL), OSC_OK);
    }
    /* With the members' private keys, so pairwise messages open too. */
    static osc_group_context group;
    test_group_context(group_vectors, true, &group);
    CHECK_EQ(osc_context_set_add_group(set, "group", &group, NULL), OSC_OK);

    /* Requests, then the responses with their requests' stacks. */
    const struct {
        test_vectors **file;
        const char *message;
        const char *request; /* NULL for requests */
        unsigned layers;     /* OSCORE layers the message carries */
    } cases[] = {
        {&nested, "MSG1_C_to_P_request", NULL, 2},
        {&nested, "MSG2B_P_to_S_request", NULL, 2},
        {&nested, "MSG2A_P_to_S_request", NULL, 1},
        {&nested, "MSG3B_S_to_P_response", "MSG2B_P_to_S_request", 2},
        {&nested, "MSG4_P_to_C_response", "MSG1_C_to_P_request", 2},
        {&group_vectors, "req_protected_coap", NULL, 1},
        {&group_vectors, "resp1_protected_coap", "req_protected_coap", 1},
        {&group_vectors, "resp2_protected_coap", "req_protected_coap", 1},
        {&group_vectors, "pw_req_protected_coap", NULL, 1},
        {&group_vectors, "pw_resp_protected_coap", "pw_req_protected_coap", 1},
    };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        uint8_t bytes[512];
        size_t len = vectors_bytes(*cases[c].file, cases[c].message, bytes,
                                   sizeof bytes);
        osc_request_binding stack[MAX_DEPTH];
        size_t stack_len = 0;
        if (cases[c].request) {
            uint8_t request[512];
            size_t request_len = vectors_bytes(*cases[c].file, cases[c].request,
                                               request, sizeof request);
            stack_len = stack_of(request, request_len, set, stack);
            CHECK(stack_len > 0);
        }
        /* The unmodified message peels completely: every layer removed,
         * no OSCORE option left. */
        osc_coap_message msg;
        bool complete = false;
        if (CHECK_EQ(osc_coap_parse(bytes, len, OSC_COAP_FRAMING_UDP, &msg),
                     OSC_OK)) {
            unsigned removed = peel_all(&msg, set, stack, stack_len, &complete);
            if (!CHECK_EQ(removed, cases[c].layers) || !CHECK(complete))
                fprintf(stderr, "%s: %u of %u layers removed%s\n",
                        cases[c].message, removed, cases[c].layers,
                        complete ? "" : ", an OSCORE option is left");
        }
        exercise(bytes, len, set, stack, stack_len);
        mutate_all(bytes, len, set, stack, stack_len);
    }
    printf("layers peeled across all inputs: %u\n", peeled_layers);
    CHECK_EQ(contract_violations, 0);

    osc_context_set_free(set);
    vectors_free(nested);
    vectors_free(group_vectors);
    return tests_finish();
}
