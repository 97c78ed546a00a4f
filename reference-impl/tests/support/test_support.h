/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Minimal test harness for the engine tests: assertion macros that report
 * file and line and count failures, hex helpers, and readers for the
 * vector files of tests/vectors.
 *
 * A test program calls tests_init(argc, argv) (argv[1] = vectors dir),
 * runs its checks and returns tests_finish(), which prints
 * "N passed, N failed" and exits non-zero on any failure.
 */
#ifndef OSCORE_TEST_SUPPORT_H
#define OSCORE_TEST_SUPPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

void tests_init(int argc, char **argv);
int tests_finish(void);
const char *tests_vectors_dir(void);

/* Records one check; prints a message when it fails. */
bool test_check(bool ok, const char *file, int line, const char *expr);
bool test_check_bytes(const uint8_t *got, size_t got_len, const uint8_t *want,
                      size_t want_len, const char *file, int line,
                      const char *what);
bool test_check_int(long long got, long long want, const char *file, int line,
                    const char *expr);

#define CHECK(expr) test_check((expr), __FILE__, __LINE__, #expr)
#define CHECK_EQ(got, want)                                                    \
    test_check_int((long long)(got), (long long)(want), __FILE__, __LINE__,    \
                   #got " == " #want)
#define CHECK_BYTES(got, got_len, want, want_len, what)                        \
    test_check_bytes((got), (got_len), (want), (want_len), __FILE__, __LINE__, \
                     (what))

/* Hex to bytes; aborts the test (with a message) on malformed hex or
 * overflow. Returns the byte count. */
size_t hex_to_bytes(const char *hex, uint8_t *out, size_t cap);

/* A loaded vector file: name -> hex string. */
typedef struct test_vectors test_vectors;

/* Loads a flat JSON object {"name": "hex", ...} (nested-example-5.9.json,
 * group-oscore.json) from the vectors dir. Aborts on error. */
test_vectors *vectors_load_object(const char *file_name);

/* Loads rfc8613-appendix-c.json ([section, name, hex, length] rows);
 * names become "SECTION/NAME", e.g. "C.1.1/Sender Key". Aborts on error
 * and when a row's hex disagrees with its length column. Rows whose
 * length is null hold decimal text ("Sender Sequence Number": "20",
 * "AEAD Algorithm": "10 (AES-CCM-16-64-128)"): read them with
 * vectors_decimal. */
test_vectors *vectors_load_appendix_c(const char *file_name);

/* The leading decimal number of a text vector (aborts when missing or not
 * a number). */
long long vectors_decimal(const test_vectors *v, const char *name);

/* The hex string of a name; aborts the test when missing. */
const char *vectors_hex(const test_vectors *v, const char *name);
/* True when the vector exists. */
bool vectors_has(const test_vectors *v, const char *name);
/* Decodes a vector into out; returns its length (aborts when missing). */
size_t vectors_bytes(const test_vectors *v, const char *name, uint8_t *out,
                     size_t cap);
/* Number of names, and name i (in file order). */
size_t vectors_count(const test_vectors *v);
const char *vectors_name(const test_vectors *v, size_t i);
void vectors_free(test_vectors *v);

/* The contexts of nested-example-5.9.json ("C-S", "C-P", "P-S"), from the
 * requester's view (sender = client for C-S and C-P, proxy for P-S).
 * Their inputs are listed in tests/vectors/README.md; the derived values
 * are in the file. Aborts on an unknown name. */
#include "oscore/context.h"
void test_nested_context(const char *name, osc_context *ctx);

/* The Group OSCORE context of group-oscore.json (the file supplies the
 * credentials; secret, salt, Gid, algorithms and the RFC 8032 TEST 1/2
 * seeds are listed in tests/vectors/README.md). Without private keys it
 * is an observer's view. Aborts when derivation fails. */
#include "oscore/group.h"
void test_group_context(const test_vectors *v, bool with_private_keys,
                        osc_group_context *group);

#endif
