/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The CBOR subset of include/oscore/cbor.h: a writer for the few item
 * types OSCORE's HKDF info and AAD structures use, and a reader for one
 * byte string.
 *
 * The writer is all-or-nothing per item: an item is either written
 * completely or not at all, so a buffer never ends in half an item. Once
 * an item has not fit, the status stays OSC_ERR_BUFFER_TOO_SMALL and
 * later items only add their size to `length`; a caller can thus encode
 * into a zero-capacity writer to learn the size it needs.
 */
#include "oscore/cbor.h"

#include <string.h>

/* CBOR major types (RFC 8949 section 3.1). */
enum {
    MAJOR_UINT = 0,
    MAJOR_NEGINT = 1,
    MAJOR_BSTR = 2,
    MAJOR_TSTR = 3,
    MAJOR_ARRAY = 4,
    MAJOR_SIMPLE = 7
};

/* Simple values of major type 7 (RFC 8949 section 3.3). */
enum { SIMPLE_FALSE = 20, SIMPLE_TRUE = 21, SIMPLE_NULL = 22 };

/* Additional-information values that announce a following argument. */
enum { AI_1BYTE = 24, AI_2BYTES = 25, AI_4BYTES = 26, AI_8BYTES = 27 };

#define HEAD_MAX 9 /* initial byte + 8-byte argument */

void osc_cbor_writer_init(osc_cbor_writer *w, uint8_t *buf, size_t capacity)
{
    if (w == NULL) {
        return;
    }
    w->buf = buf;
    /* A NULL buffer can only ever be a size-counting writer. */
    w->capacity = buf == NULL ? 0 : capacity;
    w->length = 0;
    w->status = OSC_OK;
}

/* Encodes the shortest head for (major, value) into out; returns its
 * length. Shortest form is what deterministic encoding (RFC 8949 4.2.1)
 * requires, and OSCORE's info/AAD bytes must match the peer's exactly. */
static size_t encode_head(uint8_t major, uint64_t value, uint8_t *out)
{
    uint8_t mt = (uint8_t)(major << 5);
    size_t n;
    if (value < AI_1BYTE) {
        out[0] = (uint8_t)(mt | value);
        return 1;
    }
    if (value <= UINT8_MAX) {
        out[0] = mt | AI_1BYTE;
        n = 1;
    } else if (value <= UINT16_MAX) {
        out[0] = mt | AI_2BYTES;
        n = 2;
    } else if (value <= UINT32_MAX) {
        out[0] = mt | AI_4BYTES;
        n = 4;
    } else {
        out[0] = mt | AI_8BYTES;
        n = 8;
    }
    /* Network byte order. */
    for (size_t i = 0; i < n; i++) {
        out[n - i] = (uint8_t)(value >> (8 * i));
    }
    return 1 + n;
}

/* Accounts for `need` more bytes and reports whether they may be written.
 * Saturates instead of wrapping so a huge item can never make `length`
 * look small again. */
static bool reserve(osc_cbor_writer *w, size_t need)
{
    bool fits = w->status == OSC_OK && w->capacity - w->length >= need;
    if (SIZE_MAX - w->length < need) {
        w->length = SIZE_MAX;
    } else {
        w->length += need;
    }
    if (!fits && w->status == OSC_OK) {
        w->status = OSC_ERR_BUFFER_TOO_SMALL;
    }
    return fits;
}

/* A NULL content pointer with a non-zero length is a caller bug; it is
 * recorded like an overflow (sticky, nothing written) but with its own
 * status unless an earlier error is already recorded. */
static void invalid_content(osc_cbor_writer *w, size_t len)
{
    osc_status before = w->status;
    (void)reserve(w, len);
    w->status = before == OSC_OK ? OSC_ERR_INVALID_ARGUMENT : before;
}

/* Writes a head followed by `len` content bytes as one item. */
static void put_item(osc_cbor_writer *w, uint8_t major, uint64_t value,
                     const uint8_t *content, size_t len)
{
    uint8_t head[HEAD_MAX];
    size_t head_len;
    if (w == NULL) {
        return;
    }
    head_len = encode_head(major, value, head);
    if (content == NULL && len > 0) {
        invalid_content(w,
                        SIZE_MAX - head_len < len ? SIZE_MAX : head_len + len);
        return;
    }
    if (SIZE_MAX - head_len < len) {
        (void)reserve(w, SIZE_MAX);
        return;
    }
    if (!reserve(w, head_len + len)) {
        return;
    }
    {
        uint8_t *dst = w->buf + (w->length - head_len - len);
        memcpy(dst, head, head_len);
        if (len > 0) {
            memcpy(dst + head_len, content, len);
        }
    }
}

void osc_cbor_put_uint(osc_cbor_writer *w, uint64_t value)
{
    put_item(w, MAJOR_UINT, value, NULL, 0);
}

void osc_cbor_put_int(osc_cbor_writer *w, int64_t value)
{
    if (value >= 0) {
        put_item(w, MAJOR_UINT, (uint64_t)value, NULL, 0);
    } else {
        /* Major type 1 carries -1 - n; computing it as ~n in unsigned
         * arithmetic avoids overflow for INT64_MIN. */
        put_item(w, MAJOR_NEGINT, ~(uint64_t)value, NULL, 0);
    }
}

void osc_cbor_put_bstr(osc_cbor_writer *w, const uint8_t *data, size_t len)
{
    put_item(w, MAJOR_BSTR, len, data, len);
}

void osc_cbor_put_bstr_head(osc_cbor_writer *w, size_t len)
{
    put_item(w, MAJOR_BSTR, len, NULL, 0);
}

void osc_cbor_put_tstr(osc_cbor_writer *w, const char *text, size_t len)
{
    put_item(w, MAJOR_TSTR, len, (const uint8_t *)text, len);
}

void osc_cbor_put_array(osc_cbor_writer *w, size_t count)
{
    put_item(w, MAJOR_ARRAY, count, NULL, 0);
}

void osc_cbor_put_null(osc_cbor_writer *w)
{
    put_item(w, MAJOR_SIMPLE, SIMPLE_NULL, NULL, 0);
}

void osc_cbor_put_bool(osc_cbor_writer *w, bool value)
{
    put_item(w, MAJOR_SIMPLE, value ? SIMPLE_TRUE : SIMPLE_FALSE, NULL, 0);
}

void osc_cbor_put_raw(osc_cbor_writer *w, const uint8_t *data, size_t len)
{
    if (w == NULL) {
        return;
    }
    if (data == NULL && len > 0) {
        invalid_content(w, len);
        return;
    }
    if (len > 0 && reserve(w, len)) {
        memcpy(w->buf + (w->length - len), data, len);
    }
}

osc_status osc_cbor_read_head(const uint8_t *buf, size_t len, uint8_t *major,
                              uint64_t *argument, size_t *head_len)
{
    if (buf == NULL || len == 0)
        return OSC_ERR_CBOR_TRUNCATED;
    uint8_t ai = buf[0] & 0x1f;
    size_t arg_len;
    uint64_t value = 0;
    if (ai < AI_1BYTE) {
        arg_len = 0;
        value = ai;
    } else if (ai <= AI_8BYTES) {
        arg_len = (size_t)1 << (ai - AI_1BYTE);
    } else {
        /* 28..30 are reserved (malformed) and 31 is an indefinite length,
         * which no OSCORE structure uses; both are outside the subset. */
        return OSC_ERR_CBOR_UNSUPPORTED;
    }
    if (len - 1 < arg_len)
        return OSC_ERR_CBOR_TRUNCATED;
    for (size_t i = 0; i < arg_len; i++)
        value = value << 8 | buf[1 + i];
    *major = buf[0] >> 5;
    *argument = value;
    *head_len = 1 + arg_len;
    return OSC_OK;
}

/* Nesting limit of osc_cbor_item_size: credentials nest three levels. */
#define MAX_NESTING 16

static osc_status item_size(const uint8_t *buf, size_t len, unsigned depth,
                            size_t *item_len)
{
    if (depth > MAX_NESTING)
        return OSC_ERR_CBOR_UNSUPPORTED;
    uint8_t major;
    uint64_t argument;
    size_t head_len;
    osc_status status =
        osc_cbor_read_head(buf, len, &major, &argument, &head_len);
    if (status != OSC_OK)
        return status;
    size_t pos = head_len;
    switch (major) {
    case MAJOR_BSTR:
    case MAJOR_TSTR:
        /* Compared in uint64_t so a length above SIZE_MAX cannot wrap. */
        if (argument > (uint64_t)(len - pos))
            return OSC_ERR_CBOR_TRUNCATED;
        pos += (size_t)argument;
        break;
    case MAJOR_ARRAY:
    case 5: /* map: two items per entry */
    case 6: /* tag: one item */ {
        uint64_t items = major == MAJOR_ARRAY ? argument
                         : major == 5         ? 2 * argument
                                              : 1;
        if (major == 5 && argument > UINT64_MAX / 2)
            return OSC_ERR_CBOR_TRUNCATED;
        for (uint64_t i = 0; i < items; i++) {
            size_t child_len;
            status = item_size(buf + pos, len - pos, depth + 1, &child_len);
            if (status != OSC_OK)
                return status;
            pos += child_len;
        }
        break;
    }
    default: /* integers and simple values: the head is the item */
        break;
    }
    *item_len = pos;
    return OSC_OK;
}

osc_status osc_cbor_item_size(const uint8_t *buf, size_t len, size_t *item_len)
{
    return item_size(buf, len, 0, item_len);
}

osc_status osc_cbor_read_bstr(const uint8_t *buf, size_t len,
                              const uint8_t **content, size_t *content_len,
                              size_t *item_len)
{
    if ((buf == NULL && len > 0) || content == NULL || content_len == NULL ||
        item_len == NULL)
        return OSC_ERR_INVALID_ARGUMENT;
    uint8_t major;
    uint64_t value;
    size_t head_len;
    osc_status status = osc_cbor_read_head(buf, len, &major, &value, &head_len);
    if (status != OSC_OK)
        return status;
    if (major != MAJOR_BSTR)
        return OSC_ERR_CBOR_UNSUPPORTED;
    /* Compared in uint64_t so a length above SIZE_MAX cannot wrap. */
    if (value > (uint64_t)(len - head_len))
        return OSC_ERR_CBOR_TRUNCATED;
    *content = buf + head_len;
    *content_len = (size_t)value;
    *item_len = head_len + (size_t)value;
    return OSC_OK;
}
