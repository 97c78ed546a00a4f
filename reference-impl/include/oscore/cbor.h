/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The CBOR subset (RFC 8949) OSCORE needs: writing the HKDF info array,
 * the AAD (Enc_structure and external_aad) and the Group OSCORE
 * structures; reading the bstr that prefixes an EDHOC + OSCORE combined
 * request payload and walking the CBOR map of a Group OSCORE credential.
 *
 * Writer contract: an osc_cbor_writer appends into a caller buffer. When
 * an item does not fit, the writer records OSC_ERR_BUFFER_TOO_SMALL in
 * its status, keeps counting the bytes the item needs in `length`, and
 * writes nothing more; callers check the status once at the end. This
 * also gives the encoded size of a structure by writing into a zero-
 * capacity buffer.
 */
#ifndef OSCORE_CBOR_H
#define OSCORE_CBOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "oscore/status.h"

typedef struct osc_cbor_writer {
    uint8_t *buf; /* may be NULL when capacity is 0 */
    size_t capacity;
    size_t length; /* bytes written, or needed once status != OSC_OK */
    osc_status status;
} osc_cbor_writer;

void osc_cbor_writer_init(osc_cbor_writer *w, uint8_t *buf, size_t capacity);

void osc_cbor_put_uint(osc_cbor_writer *w, uint64_t value);
/* Any int64: negative values use major type 1. */
void osc_cbor_put_int(osc_cbor_writer *w, int64_t value);
void osc_cbor_put_bstr(osc_cbor_writer *w, const uint8_t *data, size_t len);
/* Writes only the bstr head (major type 2, length len); the caller then
 * writes exactly len bytes of content (used for "bstr .cbor"). */
void osc_cbor_put_bstr_head(osc_cbor_writer *w, size_t len);
void osc_cbor_put_tstr(osc_cbor_writer *w, const char *text, size_t len);
void osc_cbor_put_array(osc_cbor_writer *w, size_t count);
void osc_cbor_put_null(osc_cbor_writer *w);
void osc_cbor_put_bool(osc_cbor_writer *w, bool value);
/* Copies already-encoded CBOR bytes. */
void osc_cbor_put_raw(osc_cbor_writer *w, const uint8_t *data, size_t len);

/*
 * Reads one definite-length byte string at the start of buf. On success
 * *content points at its content inside buf, *content_len is its length
 * and *item_len the bytes the whole item occupies.
 * Errors: OSC_ERR_CBOR_TRUNCATED, OSC_ERR_CBOR_UNSUPPORTED (not a bstr,
 * or indefinite length).
 */
osc_status osc_cbor_read_bstr(const uint8_t *buf, size_t len,
                              const uint8_t **content, size_t *content_len,
                              size_t *item_len);

/*
 * Reads the head of the item at buf: major type (0-7), argument (the
 * value, or the length/count of a string/array/map) and head length.
 * Errors: OSC_ERR_CBOR_TRUNCATED, OSC_ERR_CBOR_UNSUPPORTED (indefinite
 * length, reserved additional information).
 */
osc_status osc_cbor_read_head(const uint8_t *buf, size_t len, uint8_t *major,
                              uint64_t *argument, size_t *head_len);

/* Bytes the whole item at buf occupies, nested items included (at most 16
 * levels deep). Same errors. */
osc_status osc_cbor_item_size(const uint8_t *buf, size_t len, size_t *item_len);

#endif
