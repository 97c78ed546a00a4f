/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Shared by the libFuzzer harnesses of this directory: the engine's one
 * initialisation, and the check that stops a run. A failed check aborts,
 * which libFuzzer reports as a crash and saves the input as an artifact.
 */
#ifndef OSCORE_FUZZ_COMMON_H
#define OSCORE_FUZZ_COMMON_H

#include <stdio.h>
#include <stdlib.h>

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

#endif
