/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libFuzzer harness of the keys file parser (reference-impl/keyfile/,
 * format in keys/README.md). tests/fuzz/keyfile_fuzz.c is a seeded
 * mutation run with its own mutator; this is the coverage-guided entry
 * for the same loader. Checked for every input: each error is
 * "fuzz:LINE: text" with LINE within the file (lines end at LF, CRLF or
 * CR), no control characters in errors or names, and whatever loaded
 * goes into a context set.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"
#include "oscore/context_set.h"
#include "oscore_keyfile.h"

FUZZ_INITIALIZE_ENGINE_ONLY

static unsigned count_lines(const uint8_t *data, size_t size)
{
    unsigned lines = 1;
    for (size_t i = 0; i < size; i++)
        if (data[i] == '\n' ||
            (data[i] == '\r' && !(i + 1 < size && data[i + 1] == '\n')))
            lines++;
    return lines;
}

static bool has_control(const char *text)
{
    for (const unsigned char *p = (const unsigned char *)text; *p; p++)
        if (*p < 0x20 || *p == 0x7f)
            return true;
    return false;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 64 * 1024)
        return 0;
    oscore_keyfile *kf =
        oscore_keyfile_load_data((const char *)data, size, "fuzz");
    FUZZ_CHECK(kf != NULL);
    unsigned lines = count_lines(data, size);
    for (size_t i = 0; i < kf->error_count; i++) {
        const char *e = kf->errors[i];
        FUZZ_CHECK(!has_control(e));
        if (strncmp(e, "fuzz: ", 6) == 0)
            continue; /* about the whole file ("N more problems") */
        FUZZ_CHECK(strncmp(e, "fuzz:", 5) == 0);
        char *end;
        unsigned long line = strtoul(e + 5, &end, 10);
        FUZZ_CHECK(end != e + 5 && *end == ':');
        FUZZ_CHECK(line >= 1 && line <= lines);
    }
    for (size_t i = 0; i < kf->entry_count; i++) {
        FUZZ_CHECK(!has_control(kf->entries[i].name));
        FUZZ_CHECK(kf->entries[i].line >= 1 && kf->entries[i].line <= lines);
    }
    osc_context_set *set = osc_context_set_new();
    FUZZ_CHECK(set != NULL);
    FUZZ_CHECK(oscore_keyfile_add_to_set(kf, set) == OSC_OK);
    FUZZ_CHECK(osc_context_set_count(set) == kf->entry_count);
    osc_context_set_free(set);
    oscore_keyfile_free(kf);
    return 0;
}
