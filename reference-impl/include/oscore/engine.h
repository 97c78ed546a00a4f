/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Engine start-up. Every program that uses the engine (the plugin at
 * registration, the endpoints, the tools, the tests, the benchmark, the
 * fuzzers) calls osc_engine_init once, before any other engine call and
 * before starting threads. No engine function initialises anything behind
 * the caller's back: libgcrypt must be initialised by the first call a
 * process makes into it, which only the program knows.
 */
#ifndef OSCORE_ENGINE_H
#define OSCORE_ENGINE_H

#include "oscore/status.h"

/* The oldest libgcrypt the engine works with: gcry_ecc_mul_point (X25519
 * of Group OSCORE's pairwise mode) appeared in 1.9.0. */
#define OSC_ENGINE_MIN_GCRYPT_VERSION "1.9.0"

/*
 * Checks the libgcrypt version and finishes its initialisation, unless
 * the application (e.g. Wireshark) has already initialised it, in which
 * case only the version is checked. Calling it again is harmless.
 * Errors: OSC_ERR_CRYPTO_BACKEND (libgcrypt older than
 * OSC_ENGINE_MIN_GCRYPT_VERSION).
 */
osc_status osc_engine_init(void);

#endif
