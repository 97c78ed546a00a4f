/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Shared by the libFuzzer harnesses of this directory: the engine's one
 * initialisation, and the check that stops a run. A failed check aborts,
 * which libFuzzer reports as a crash and saves the input as an artifact.
 */
#ifndef OSCORE_FUZZ_COMMON_H
#define OSCORE_FUZZ_COMMON_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "oscore/coap.h"
#include "oscore/engine.h"
#include "oscore/status.h"

#define FUZZ_CHECK(cond)                                                       \
    do {                                                                       \
        if (!(cond)) {                                                         \
            fprintf(stderr, "%s:%d: fuzz check failed: %s\n", __FILE__,        \
                    __LINE__, #cond);                                          \
            abort();                                                           \
        }                                                                      \
    } while (0)

/* Every harness calls this first in LLVMFuzzerInitialize. */
static inline void fuzz_engine_init(void)
{
    osc_status status = osc_engine_init();
    if (status != OSC_OK) {
        fprintf(stderr, "engine: %s\n", osc_status_message(status));
        abort();
    }
}

/* The request the response inputs of a harness answer: a GET, token
 * 4a, no options. */
static inline void fuzz_fixed_get(osc_coap_message *in)
{
    memset(in, 0, sizeof *in);
    in->code = OSC_COAP_CODE_GET;
    in->token_length = 1;
    in->token[0] = 0x4a;
}

/* libFuzzer's entry points (declared here: the harnesses define them). */
int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The LLVMFuzzerInitialize of a harness that needs the engine only. */
#define FUZZ_INITIALIZE_ENGINE_ONLY                                            \
    int LLVMFuzzerInitialize(int *argc, char ***argv)                          \
    {                                                                          \
        (void)argc;                                                            \
        (void)argv;                                                            \
        fuzz_engine_init();                                                    \
        return 0;                                                              \
    }

#endif
