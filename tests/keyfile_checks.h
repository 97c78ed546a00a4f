/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What the keys loader's unit tests (test_keyfile.c, test_key_formats.c)
 * share: a CHECK that counts failures and goes on, and lookups in a
 * loaded oscore_keyfile. Included once per test program.
 */
#ifndef OSCORE_TESTS_KEYFILE_CHECKS_H
#define OSCORE_TESTS_KEYFILE_CHECKS_H

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "oscore_keyfile.h"

static int failures;

#define CHECK(cond)                                                            \
    do {                                                                       \
        if (!(cond)) {                                                         \
            fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__,   \
                    #cond);                                                    \
            failures++;                                                        \
        }                                                                      \
    } while (0)

static inline const oscore_keyfile_entry *find(const oscore_keyfile *kf,
                                               const char *name)
{
    for (size_t i = 0; i < kf->entry_count; i++) {
        if (strcmp(kf->entries[i].name, name) == 0) {
            return &kf->entries[i];
        }
    }
    return NULL;
}

/* Whether a message contains needle. */
static inline bool has_error(const oscore_keyfile *kf, const char *needle)
{
    for (size_t i = 0; i < kf->error_count; i++) {
        if (strstr(kf->errors[i], needle) != NULL) {
            return true;
        }
    }
    return false;
}

#endif
