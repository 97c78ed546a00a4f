/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libFuzzer harness of the OSCORE option value parser (RFC 8613 6.1,
 * with the Group Flag of RFC 10021 4.1; reference-impl/src/option_value.c).
 * A value that decodes must point only into the input, and encode again
 * to the same bytes: the flags byte says exactly which fields follow, so
 * each value has one encoding.
 */
#include <stdint.h>
#include <string.h>

#include "fuzz_common.h"
#include "oscore/option_value.h"

FUZZ_INITIALIZE_ENGINE_ONLY

/* p[0..len) lies within data[0..size). */
static int inside(const uint8_t *p, size_t len, const uint8_t *data,
                  size_t size)
{
    return len == 0 ||
           (p >= data && len <= size && p - data <= (long)(size - len));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    osc_option_value value;
    if (osc_option_value_decode(data, size, &value) != OSC_OK)
        return 0;
    FUZZ_CHECK(value.piv_len <= OSC_MAX_PIV_LEN);
    FUZZ_CHECK(inside(value.piv, value.piv_len, data, size));
    FUZZ_CHECK(inside(value.kid_context, value.kid_context_len, data, size));
    FUZZ_CHECK(inside(value.kid, value.kid_len, data, size));
    /* Room for a kid of up to OSC_MAX_KID_LEN, which the decoder accepts. */
    uint8_t out[1 + OSC_MAX_PIV_LEN + 1 + 255 + OSC_MAX_KID_LEN];
    size_t written = 0;
    FUZZ_CHECK(osc_option_value_encode(&value, out, sizeof out, &written) ==
               OSC_OK);
    FUZZ_CHECK(written == size);
    FUZZ_CHECK(size == 0 || memcmp(out, data, size) == 0);
    return 0;
}
