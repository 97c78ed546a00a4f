/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libFuzzer harness of Group OSCORE unprotection (RFC 10021 7 and 8;
 * reference-impl/src/group_layer.c) with the group of the vectors
 * (tests/vectors/group-oscore.json), loaded from the keys file that
 * gen_captures writes from them: environment variable
 * OSCORE_FUZZ_GROUP_KEYS, normally <build>/tests/captures/group-member.keys
 * (member 25 with its private key, member 52).
 *
 * The first input byte chooses what the rest is:
 *  - bit 0 clear: a CoAP message over UDP, protected by member 25 in
 *    group mode (bit 1 clear) or in pairwise mode for member 52 (bit 1
 *    set); requests only, without OSCORE or EDHOC option. Whatever
 *    osc_group_protect accepts must come off again through
 *    osc_peel_layer with the inner code and payload unchanged.
 *  - bit 0 set: a protected message as it came off the wire, peeled as a
 *    request (bit 1 clear) or as the response to a fixed group request
 *    (bit 1 set): any status, plaintext only with success, and a result
 *    that serialises.
 */
#include <stdint.h>
#include <string.h>

#include "fuzz_common.h"
#include "oscore/coap.h"
#include "oscore/context_set.h"
#include "oscore/group.h"
#include "oscore/layer.h"
#include "oscore/options.h"
#include "oscore/peel.h"
#include "oscore_keyfile.h"

#define MAX_INPUT 2048

static osc_context_set *set;
static const osc_group_context *group;
static size_t member_25, member_52;
static osc_request_binding request_binding;

static size_t member(const uint8_t id)
{
    size_t index = osc_group_find_member(group, &id, 1);
    FUZZ_CHECK(index != SIZE_MAX);
    return index;
}

/* A group-mode GET from member 25: the request the response inputs
 * answer. */
static void make_request_binding(void)
{
    osc_coap_message in;
    fuzz_fixed_get(&in);
    osc_group_protect_params params;
    memset(&params, 0, sizeof params);
    params.group = group;
    params.sender = member_25;
    params.sequence_number = 20;
    static uint8_t work[4096];
    osc_coap_message out;
    FUZZ_CHECK(osc_group_protect(&in, &params, work, sizeof work, &out,
                                 &request_binding) == OSC_OK);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fuzz_engine_init();
    const char *path = getenv("OSCORE_FUZZ_GROUP_KEYS");
    if (path == NULL) {
        fprintf(stderr, "group_fuzz: set OSCORE_FUZZ_GROUP_KEYS to the "
                        "group-member.keys of tests/captures in the build\n");
        abort();
    }
    oscore_keyfile *kf = oscore_keyfile_load(path);
    for (size_t i = 0; i < kf->error_count; i++)
        fprintf(stderr, "group_fuzz: %s\n", kf->errors[i]);
    FUZZ_CHECK(kf->error_count == 0 && kf->group_count > 0);
    set = osc_context_set_new();
    FUZZ_CHECK(set != NULL);
    FUZZ_CHECK(oscore_keyfile_add_to_set(kf, set) == OSC_OK);
    oscore_keyfile_free(kf); /* the set keeps its own copies */
    group = osc_context_set_get_group(set, 0);
    member_25 = member(0x25);
    member_52 = member(0x52);
    make_request_binding();
    return 0;
}

static osc_status peel_and_check(const osc_coap_message *msg, bool response,
                                 osc_layer_result *result)
{
    static uint8_t work[MAX_INPUT * 2 + 8192];
    if (osc_layer_unprotect_work_size(msg) > sizeof work)
        return OSC_ERR_BUFFER_TOO_SMALL;
    osc_status status =
        osc_peel_layer(msg, set, response ? &request_binding : NULL,
                       response ? 1 : 0, 0, 4, work, sizeof work, result);
    FUZZ_CHECK(status == result->status);
    if (status != OSC_OK && status != OSC_ERR_PLAINTEXT_MALFORMED)
        FUZZ_CHECK(result->plaintext == NULL && result->plaintext_len == 0);
    if (status == OSC_OK) {
        static uint8_t wire[MAX_INPUT * 2 + 8192];
        size_t wire_len;
        FUZZ_CHECK(osc_coap_serialize(&result->result, wire, sizeof wire,
                                      &wire_len) == OSC_OK);
    }
    return status;
}

/* Protects msg (group mode by member 25, or pairwise for member 52) and
 * checks that it peels back to the same code and payload. */
static void round_trip(const osc_coap_message *in, bool pairwise)
{
    osc_group_protect_params params;
    memset(&params, 0, sizeof params);
    params.group = group;
    params.sender = member_25;
    params.pairwise = pairwise;
    params.recipient = member_52;
    params.sequence_number = 7;
    static uint8_t work[MAX_INPUT * 2 + 8192];
    static osc_coap_message out;
    if (osc_group_protect_work_size(in) > sizeof work ||
        osc_group_protect(in, &params, work, sizeof work, &out, NULL) != OSC_OK)
        return;
    static osc_layer_result result;
    osc_status status = peel_and_check(&out, false, &result);
    if (status != OSC_OK)
        fprintf(stderr, "group_fuzz: protected, then %s\n",
                osc_status_name(status));
    FUZZ_CHECK(status == OSC_OK);
    FUZZ_CHECK(result.result.code == in->code);
    FUZZ_CHECK(result.result.payload_length == in->payload_length);
    FUZZ_CHECK(in->payload_length == 0 ||
               memcmp(result.result.payload, in->payload, in->payload_length) ==
                   0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || size > MAX_INPUT)
        return 0;
    bool raw = data[0] & 1;
    bool second = data[0] & 2;
    static osc_coap_message msg;
    if (osc_coap_parse(data + 1, size - 1, OSC_COAP_FRAMING_UDP, &msg) !=
        OSC_OK)
        return 0;
    if (raw) {
        static osc_layer_result result;
        peel_and_check(&msg, second, &result);
    } else if (osc_message_is_request(&msg) &&
               !osc_coap_find_option(&msg, OSC_OPT_OSCORE) &&
               !osc_coap_find_option(&msg, OSC_OPT_EDHOC)) {
        /* (With an EDHOC option the caller, not osc_group_protect, puts
         * EDHOC message_3 before the ciphertext, RFC 9668 3.2.1.) */
        round_trip(&msg, second);
    }
    return 0;
}
