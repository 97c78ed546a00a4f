/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libFuzzer harness of the CoAP codec (reference-impl/src/coap.c): the
 * input is parsed with each framing (UDP, RFC 7252; TCP and WebSocket,
 * RFC 8323). Whatever parses must serialise again to the very same bytes:
 * every length and delta has exactly one encoding (RFC 7252 3.1, RFC 8323
 * 3.2), so a difference means the parser accepted something the
 * serialiser cannot write, or lost part of the message.
 */
#include <stdint.h>
#include <string.h>

#include "fuzz_common.h"
#include "oscore/coap.h"

FUZZ_INITIALIZE_ENGINE_ONLY

static void round_trip(const uint8_t *data, size_t size,
                       osc_coap_framing framing)
{
    static osc_coap_message msg;
    if (osc_coap_parse(data, size, framing, &msg) != OSC_OK)
        return;
    static uint8_t out[1 << 17];
    size_t bound = osc_coap_serialized_size_bound(&msg);
    FUZZ_CHECK(bound >= size);
    size_t written = 0;
    FUZZ_CHECK(osc_coap_serialize(&msg, out, sizeof out, &written) == OSC_OK);
    FUZZ_CHECK(written <= bound);
    FUZZ_CHECK(written == size);
    FUZZ_CHECK(memcmp(out, data, size) == 0);
    if (framing == OSC_COAP_FRAMING_TCP) {
        size_t message_size = 0;
        FUZZ_CHECK(osc_coap_tcp_message_size(data, size, &message_size) ==
                   OSC_OK);
        FUZZ_CHECK(message_size == size);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > (1 << 16))
        return 0;
    round_trip(data, size, OSC_COAP_FRAMING_UDP);
    round_trip(data, size, OSC_COAP_FRAMING_TCP);
    round_trip(data, size, OSC_COAP_FRAMING_WEBSOCKET);
    return 0;
}
