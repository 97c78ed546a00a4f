/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A read-only byte string: a pointer and a length, passed as one argument.
 */
#ifndef OSCORE_BYTES_H
#define OSCORE_BYTES_H

#include <stddef.h>
#include <stdint.h>

typedef struct osc_bytes {
    const uint8_t *ptr; /* may be NULL when len is 0 */
    size_t len;
} osc_bytes;

/* osc_bytes from a pointer and a length, e.g. OSC_BYTES(kid, kid_len). */
#define OSC_BYTES(ptr, len) ((osc_bytes){(ptr), (len)})

#endif
