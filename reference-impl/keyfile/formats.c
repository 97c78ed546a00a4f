/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Key sources besides the keys file: which format a file is, the libcoap
 * OSCORE configuration (coap-oscore-conf(5)), and what every loader
 * shares (a result under construction, the digest of what was read).
 * The aiocoap formats are in aiocoap.c.
 *
 * A libcoap configuration is one endpoint's view of one context: its own
 * sender_id and one or more recipient_id (a server may list several).
 * Every recipient gives one context; the context set indexes both IDs,
 * so a client's file and a server's file decrypt the same traffic (RFC
 * 8613 3.1: Sender ID of one endpoint = Recipient ID of the other).
 */
#include <errno.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "keyfile_internal.h"

/* ---- shared by the loaders ---- */

char *kf_display_name(const char *file_name)
{
    char *name = g_filename_display_name(file_name);
    for (char *p = name; *p != '\0'; p++) {
        if ((unsigned char)*p < 0x20 || *p == 0x7f) {
            *p = '?';
        }
    }
    return name;
}

void kf_result_init(kf_result *r)
{
    r->entries = g_array_new(FALSE, TRUE, sizeof(oscore_keyfile_entry));
    r->errors = g_ptr_array_new();
}

void kf_result_error(kf_result *r, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    g_ptr_array_add(r->errors, kf_escape_text(msg));
    g_free(msg);
}

bool kf_result_add_fields(kf_result *r, const char *name, unsigned line,
                          const oscore_keyfile_fields *f, char *err,
                          size_t err_cap)
{
    oscore_keyfile_entry e = {0};
    bool ok = oscore_keyfile_params_from_fields(f, &e.params, err, err_cap);
    if (ok) {
        osc_status s = osc_context_derive(&e.params, &e.ctx);
        if (s != OSC_OK) {
            snprintf(err, err_cap, "cannot derive keys: %s",
                     osc_status_message(s));
            ok = false;
        }
    }
    if (ok) {
        e.name = g_strdup(name);
        e.line = line;
        g_array_append_val(r->entries, e);
    }
    memset(&e, 0, sizeof e);
    return ok;
}

oscore_keyfile *kf_result_finish(kf_result *r)
{
    oscore_keyfile *out = g_new0(oscore_keyfile, 1);
    out->entry_count = r->entries->len;
    out->entries = (oscore_keyfile_entry *)(void *)g_array_free(
        r->entries, r->entries->len == 0);
    out->error_count = r->errors->len;
    g_ptr_array_add(r->errors, NULL);
    out->errors = (char **)g_ptr_array_free(r->errors, FALSE);
    r->entries = NULL;
    r->errors = NULL;
    return out;
}

bool kf_read_source(const char *path, GChecksum *sum, char **data, size_t *len,
                    char *err, size_t err_cap)
{
    bool ok = oscore_keyfile_read(path, data, len, err, err_cap);
    if (sum != NULL) {
        g_checksum_update(sum, (const guchar *)path, (gssize)strlen(path) + 1);
        if (ok) {
            g_checksum_update(sum, (const guchar *)*data, (gssize)*len);
        } else {
            g_checksum_update(sum, (const guchar *)err, -1);
        }
        g_checksum_update(sum, (const guchar *)"\n", 1);
    }
    return ok;
}

char *kf_hex(const guint8 *bytes, size_t len)
{
    GString *s = g_string_sized_new(len * 2 + 1);
    for (size_t i = 0; i < len; i++) {
        g_string_append_printf(s, "%02x", bytes[i]);
    }
    return g_string_free(s, FALSE);
}

/* ---- detection ---- */

/* The first line that is neither blank nor a # comment, as a copy. */
static char *first_significant_line(const char *p, const char *end)
{
    while (p < end) {
        const char *eol = p;
        while (eol < end && *eol != '\n' && *eol != '\r') {
            eol++;
        }
        char *line = g_strstrip(g_strndup(p, (gsize)(eol - p)));
        if (line[0] != '\0' && line[0] != '#') {
            return line;
        }
        g_free(line);
        p = eol + 1;
    }
    return NULL;
}

oscore_keyfile_format oscore_keyfile_detect(const char *data, size_t len)
{
    const char *p = data, *end = data + len;
    if (len >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0) {
        p += 3;
    }
    while (p < end && g_ascii_isspace(*p)) {
        p++;
    }
    if (p < end && *p == '{') {
        return kf_aiocoap_detect(p, (size_t)(end - p));
    }
    /* coap-oscore-conf(5): "keyword,encoding,value" lines; a keys file
     * has "[name]" and "key = value" lines, where a comma can only come
     * after the '=' (in a trailing comment). */
    char *line = first_significant_line(p, end);
    oscore_keyfile_format fmt = OSCORE_KEYFILE_FORMAT_KEYS;
    if (line != NULL && line[0] != '[') {
        const char *comma = strchr(line, ',');
        const char *eq = strchr(line, '=');
        if (comma != NULL && (eq == NULL || comma < eq)) {
            fmt = OSCORE_KEYFILE_FORMAT_LIBCOAP;
        }
    }
    g_free(line);
    return fmt;
}

/* ---- libcoap: coap-oscore-conf(5) ---- */

/* Encodings of the man page ("keyword,encoding,value"). */
enum {
    ENC_ASCII = 1 << 0,
    ENC_HEX = 1 << 1,
    ENC_INTEGER = 1 << 2,
    ENC_TEXT = 1 << 3,
    ENC_BOOL = 1 << 4,
    ENC_UNSIGNED64 = 1 << 5,
    ENC_CONFIG = 1 << 6,
};
#define ENC_BYTES (ENC_ASCII | ENC_HEX)

/* Where a keyword may stand: the file itself, or inside a
 * complex_sender / complex_recipient block. */
enum { AT_TOP = 1, AT_SENDER = 2, AT_RECIPIENT = 4 };

typedef enum lc_slot {
    SLOT_SECRET,
    SLOT_SALT,
    SLOT_ID_CONTEXT,
    SLOT_SENDER,
    SLOT_AEAD,
    SLOT_HKDF,
    SLOT_COUNT,          /* the single-valued slots end here */
    SLOT_RECIPIENT,      /* repeatable: one context each */
    SLOT_IGNORED,        /* checked, but nothing for decryption */
    SLOT_BLOCK_SENDER,   /* complex_sender,config,' */
    SLOT_BLOCK_RECIPIENT /* complex_recipient,config,' */
} lc_slot;

typedef struct lc_keyword {
    const char *name;
    unsigned encodings;
    unsigned where;
    lc_slot slot;
} lc_keyword;

/* coap-oscore-conf(5), sections OSCORE, OSCORE COMPLEX (SENDER,
 * RECIPIENT), GENERAL and DIAGNOSTIC TESTING. Replay, sequence number
 * storage and key breaking settings are what an endpoint does, not what
 * decrypting a capture needs: they are checked and ignored. */
static const lc_keyword lc_keywords[] = {
    {"master_secret", ENC_BYTES, AT_TOP, SLOT_SECRET},
    {"master_salt", ENC_BYTES, AT_TOP, SLOT_SALT},
    {"id_context", ENC_BYTES, AT_TOP, SLOT_ID_CONTEXT},
    {"sender_id", ENC_BYTES, AT_TOP | AT_SENDER, SLOT_SENDER},
    {"recipient_id", ENC_BYTES, AT_TOP | AT_RECIPIENT, SLOT_RECIPIENT},
    {"aead_alg", ENC_INTEGER | ENC_TEXT, AT_TOP, SLOT_AEAD},
    {"hkdf_alg", ENC_INTEGER | ENC_TEXT, AT_TOP, SLOT_HKDF},
    {"replay_window", ENC_INTEGER, AT_TOP, SLOT_IGNORED},
    {"ssn_freq", ENC_INTEGER, AT_TOP, SLOT_IGNORED},
    {"rfc8613_b_1_2", ENC_BOOL, AT_TOP, SLOT_IGNORED},
    {"rfc8613_b_2", ENC_BOOL, AT_TOP, SLOT_IGNORED},
    {"break_sender_key", ENC_BOOL, AT_TOP, SLOT_IGNORED},
    {"break_recipient_key", ENC_BOOL, AT_TOP, SLOT_IGNORED},
    {"silent_server", ENC_BOOL, AT_RECIPIENT, SLOT_IGNORED},
    {"last_seq", ENC_UNSIGNED64, AT_RECIPIENT, SLOT_IGNORED},
    {"sliding_window", ENC_UNSIGNED64, AT_RECIPIENT, SLOT_IGNORED},
    {"complex_sender", ENC_CONFIG, AT_TOP, SLOT_BLOCK_SENDER},
    {"complex_recipient", ENC_CONFIG, AT_TOP, SLOT_BLOCK_RECIPIENT},
};

static const struct {
    const char *name;
    unsigned bit;
} lc_encodings[] = {
    {"ascii", ENC_ASCII},   {"hex", ENC_HEX},   {"integer", ENC_INTEGER},
    {"text", ENC_TEXT},     {"bool", ENC_BOOL}, {"unsigned64", ENC_UNSIGNED64},
    {"config", ENC_CONFIG},
};

/* One value taken from the file: hex for byte strings, the number or
 * name for algorithms. */
typedef struct lc_value {
    char *text;
    unsigned line;
} lc_value;

typedef struct lc_state {
    const char *source;
    kf_result *result;
    lc_value slots[SLOT_COUNT];
    GArray *recipients;  /* lc_value */
    bool bad;            /* a problem outside a recipient: no context */
    unsigned block;      /* AT_TOP, or the block being read */
    unsigned block_line; /* its complex_...,config,' line */
} lc_state;

static void lc_error(lc_state *st, unsigned line, const char *fmt, ...)
    G_GNUC_PRINTF(3, 4);

static void lc_error(lc_state *st, unsigned line, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    kf_result_error(st->result, "%s:%u: %s", st->source, line, msg);
    g_free(msg);
}

static const lc_keyword *lc_find_keyword(const char *name)
{
    for (size_t i = 0; i < G_N_ELEMENTS(lc_keywords); i++) {
        if (strcmp(lc_keywords[i].name, name) == 0) {
            return &lc_keywords[i];
        }
    }
    return NULL;
}

static unsigned lc_find_encoding(const char *name)
{
    for (size_t i = 0; i < G_N_ELEMENTS(lc_encodings); i++) {
        if (strcmp(lc_encodings[i].name, name) == 0) {
            return lc_encodings[i].bit;
        }
    }
    return 0;
}

/* The man page: ascii, hex and text values "can optionally be enclosed
 * in \"". Returns a copy without the quotes, or NULL for an unbalanced
 * quote. */
static char *lc_unquote(const char *value)
{
    size_t n = strlen(value);
    bool open = n > 0 && value[0] == '"';
    bool close = n > 1 && value[n - 1] == '"';
    if (open != close) {
        return NULL;
    }
    return open ? g_strndup(value + 1, n - 2) : g_strdup(value);
}

/* Decodes value by its encoding into the text kept (hex for byte
 * strings); NULL with the reason in err otherwise. */
static char *lc_decode(unsigned enc, const char *value, char *err,
                       size_t err_cap)
{
    if (enc & (ENC_ASCII | ENC_HEX | ENC_TEXT)) {
        char *s = lc_unquote(value);
        if (s == NULL) {
            snprintf(err, err_cap, "unbalanced \" around the value");
            return NULL;
        }
        if (enc == ENC_ASCII) {
            char *hex = kf_hex((const guint8 *)s, strlen(s));
            g_free(s);
            return hex;
        }
        if (enc == ENC_HEX &&
            !oscore_keyfile_parse_hex(s, (uint8_t[OSC_MAX_ID_CONTEXT_LEN]){0},
                                      OSC_MAX_ID_CONTEXT_LEN, &(size_t){0})) {
            snprintf(err, err_cap, "not a hex byte string");
            g_free(s);
            return NULL;
        }
        return s;
    }
    gint64 i;
    guint64 u;
    if ((enc == ENC_INTEGER &&
         g_ascii_string_to_signed(value, 10, G_MININT32, G_MAXINT32, &i,
                                  NULL)) ||
        (enc == ENC_UNSIGNED64 &&
         g_ascii_string_to_unsigned(value, 10, 0, G_MAXUINT64, &u, NULL)) ||
        (enc == ENC_BOOL &&
         (strcmp(value, "true") == 0 || strcmp(value, "false") == 0))) {
        return g_strdup(value);
    }
    snprintf(err, err_cap, "not %s",
             enc == ENC_BOOL      ? "true or false"
             : enc == ENC_INTEGER ? "an integer"
                                  : "an unsigned 64-bit integer");
    return NULL;
}

/* Stores a decoded value (taken over) in its slot. */
static void lc_store(lc_state *st, const lc_keyword *kw, char *text,
                     unsigned line)
{
    if (kw->slot == SLOT_RECIPIENT) {
        for (guint i = 0; i < st->recipients->len; i++) {
            lc_value *r = &g_array_index(st->recipients, lc_value, i);
            if (g_ascii_strcasecmp(r->text, text) == 0) {
                lc_error(st, line,
                         "recipient_id: %s given again (first on line %u)",
                         text, r->line);
                g_free(text);
                return;
            }
        }
        lc_value v = {text, line};
        g_array_append_val(st->recipients, v);
    } else if (kw->slot < SLOT_COUNT && st->slots[kw->slot].text != NULL) {
        lc_error(st, line, "%s: given again (first on line %u)", kw->name,
                 st->slots[kw->slot].line);
        st->bad = true;
        g_free(text);
    } else if (kw->slot < SLOT_COUNT) {
        st->slots[kw->slot] = (lc_value){text, line};
    } else {
        g_free(text);
    }
}

/* Splits "keyword,encoding,value" (in place); false when the line has
 * fewer than two commas. */
static bool lc_split(char *line, char **kw, char **enc, char **value)
{
    char *c1 = strchr(line, ',');
    char *c2 = c1 != NULL ? strchr(c1 + 1, ',') : NULL;
    if (c2 == NULL) {
        return false;
    }
    *c1 = '\0';
    *c2 = '\0';
    *kw = g_strstrip(line);
    *enc = g_strstrip(c1 + 1);
    *value = g_strstrip(c2 + 1);
    return true;
}

static void lc_line(lc_state *st, char *line, unsigned line_no);

/* "complex_...,config,'": what follows the quote on the same line is
 * already part of the block. */
static void lc_open_block(lc_state *st, const lc_keyword *kw, char *value,
                          unsigned line_no)
{
    if (value[0] != '\'') {
        lc_error(st, line_no, "%s: a config value starts with '", kw->name);
        st->bad = true;
        return;
    }
    st->block = kw->slot == SLOT_BLOCK_SENDER ? AT_SENDER : AT_RECIPIENT;
    st->block_line = line_no;
    char *rest = g_strstrip(value + 1);
    if (rest[0] != '\0') {
        lc_line(st, rest, line_no);
    }
}

/* One line of the file or of a block (comments and blanks removed). A
 * line ending in ' closes the open block after its content. */
static void lc_line(lc_state *st, char *line, unsigned line_no)
{
    size_t n = strlen(line);
    bool closes = st->block != AT_TOP && n > 0 && line[n - 1] == '\'';
    if (closes) {
        line[n - 1] = '\0';
        g_strstrip(line);
    }
    char *name, *enc_name, *value;
    if (line[0] == '\0') {
        /* only the closing quote */
    } else if (!lc_split(line, &name, &enc_name, &value)) {
        lc_error(st, line_no, "expected \"keyword,encoding,value\", got \"%s\"",
                 line);
        st->bad = true;
    } else {
        const lc_keyword *kw = lc_find_keyword(name);
        unsigned enc = lc_find_encoding(enc_name);
        char err[128];
        char *text = NULL;
        if (kw == NULL || !(kw->where & st->block)) {
            lc_error(st, line_no, "unknown keyword \"%s\"%s", name,
                     kw == NULL ? "" : " here");
            st->bad = true;
        } else if (!(kw->encodings & enc)) {
            lc_error(st, line_no, "%s: encoding \"%s\" is not allowed here",
                     name, enc_name);
            st->bad = st->bad || kw->slot != SLOT_RECIPIENT;
        } else if (enc == ENC_CONFIG) {
            lc_open_block(st, kw, value, line_no);
        } else if ((text = lc_decode(enc, value, err, sizeof err)) == NULL) {
            lc_error(st, line_no, "%s: %s", name, err);
            st->bad = st->bad || kw->slot != SLOT_RECIPIENT;
        } else {
            lc_store(st, kw, text, line_no);
        }
    }
    if (closes) {
        st->block = AT_TOP;
    }
}

/* The line of the value a field message (from
 * oscore_keyfile_params_from_fields) is about, and that message with the
 * field named by its libcoap keyword. */
static unsigned lc_error_line(const lc_state *st, const lc_value *recipient,
                              char *err, size_t err_cap)
{
    static const struct {
        const char *field, *keyword;
        int slot;
    } map[] = {
        {"master_secret", "master_secret", SLOT_SECRET},
        {"master_salt", "master_salt", SLOT_SALT},
        {"id_context", "id_context", SLOT_ID_CONTEXT},
        {"sender_id", "sender_id", SLOT_SENDER},
        {"recipient_id", "recipient_id", -1},
        {"aead", "aead_alg", SLOT_AEAD},
        {"hkdf", "hkdf_alg", SLOT_HKDF},
    };
    for (size_t i = 0; i < G_N_ELEMENTS(map); i++) {
        size_t n = strlen(map[i].field);
        if (strncmp(err, map[i].field, n) == 0 && err[n] == ':') {
            char *rest = g_strdup(err + n);
            snprintf(err, err_cap, "%s%s", map[i].keyword, rest);
            g_free(rest);
            return map[i].slot < 0 ? recipient->line
                                   : st->slots[map[i].slot].line;
        }
    }
    return recipient->line;
}

/* One context per recipient_id, named after the file. */
static void lc_contexts(lc_state *st, const char *base)
{
    const char *missing = st->slots[SLOT_SECRET].text == NULL ? "master_secret"
                          : st->slots[SLOT_SENDER].text == NULL ? "sender_id"
                          : st->recipients->len == 0            ? "recipient_id"
                                                                : NULL;
    if (missing != NULL) {
        lc_error(st, 0, "%s: missing (coap-oscore-conf(5) requires it)",
                 missing);
        return;
    }
    for (guint i = 0; i < st->recipients->len; i++) {
        lc_value *r = &g_array_index(st->recipients, lc_value, i);
        oscore_keyfile_fields f = {
            .master_secret = st->slots[SLOT_SECRET].text,
            .master_salt = st->slots[SLOT_SALT].text,
            .id_context = st->slots[SLOT_ID_CONTEXT].text,
            .sender_id = st->slots[SLOT_SENDER].text,
            .recipient_id = r->text,
            .aead = st->slots[SLOT_AEAD].text,
            .hkdf = st->slots[SLOT_HKDF].text,
        };
        char *name = st->recipients->len == 1
                         ? g_strdup(base)
                         : g_strdup_printf("%s/%s", base, r->text);
        char err[256];
        if (!kf_result_add_fields(st->result, name, r->line, &f, err,
                                  sizeof err)) {
            unsigned line = lc_error_line(st, r, err, sizeof err);
            lc_error(st, line, "%s", err);
        }
        g_free(name);
    }
}

/* The context name of a libcoap file: its base name without the last
 * extension ("keys/c-s.conf" -> "c-s"). */
static char *lc_base_name(const char *source)
{
    char *file = g_path_get_basename(source);
    char *dot = strrchr(file, '.');
    if (dot != NULL && dot != file) {
        *dot = '\0';
    }
    char *name = kf_display_name(file);
    g_free(file);
    return name;
}

static void lc_read_lines(lc_state *st, const char *data, size_t len)
{
    gchar *text = g_strndup(data, len); /* a NUL ends the text */
    if (strlen(text) != len) {
        lc_error(st, 0, "NUL byte in the file (not a text file?)");
        st->bad = true;
    }
    /* Lines end in LF, CRLF or CR; the text need not be UTF-8. */
    unsigned line_no = 1;
    for (char *p = text; p != NULL; line_no++) {
        char *eol = p + strcspn(p, "\r\n");
        char *next = NULL;
        if (*eol != '\0') {
            next = eol + (eol[0] == '\r' && eol[1] == '\n' ? 2 : 1);
        }
        *eol = '\0';
        char *line = g_strstrip(p);
        /* The man page: a line starting with # is a comment. */
        if (line[0] != '\0' && line[0] != '#') {
            lc_line(st, line, line_no);
        }
        p = next;
    }
    g_free(text);
}

oscore_keyfile *kf_load_libcoap(const char *data, size_t len,
                                const char *source)
{
    kf_result result;
    kf_result_init(&result);
    lc_state st = {
        .source = source,
        .result = &result,
        .recipients = g_array_new(FALSE, TRUE, sizeof(lc_value)),
        .block = AT_TOP,
    };
    lc_read_lines(&st, data, len);
    if (st.block != AT_TOP) {
        lc_error(&st, st.block_line,
                 "the config value opened here is not "
                 "closed by a '");
        st.bad = true;
    }
    if (!st.bad) {
        char *base = lc_base_name(source);
        lc_contexts(&st, base);
        g_free(base);
    }
    for (int i = 0; i < SLOT_COUNT; i++) {
        g_free(st.slots[i].text);
    }
    for (guint i = 0; i < st.recipients->len; i++) {
        g_free(g_array_index(st.recipients, lc_value, i).text);
    }
    g_array_free(st.recipients, TRUE);
    return kf_result_finish(&result);
}

oscore_keyfile *oscore_keyfile_load_libcoap_data(const char *data, size_t len,
                                                 const char *source)
{
    return kf_load_libcoap(data, len, source ? source : "(libcoap)");
}

/* ---- any source ---- */

/* A file that cannot be read: no contexts, one message. */
static oscore_keyfile *unreadable(const char *path, const char *err)
{
    kf_result r;
    kf_result_init(&r);
    kf_result_error(&r, "%s:0: cannot read: %s", path, err);
    return kf_result_finish(&r);
}

/* Loads path (a file or an aiocoap security-context directory); sum,
 * when not NULL, receives every file read. */
static oscore_keyfile *load_any(const char *path, GChecksum *sum)
{
    if (g_file_test(path, G_FILE_TEST_IS_DIR)) {
        return kf_load_aiocoap_dir(path, sum);
    }
    char *data = NULL;
    size_t len = 0;
    char err[256];
    if (!kf_read_source(path, sum, &data, &len, err, sizeof err)) {
        return unreadable(path, err);
    }
    oscore_keyfile *out = NULL;
    switch (oscore_keyfile_detect(data, len)) {
    case OSCORE_KEYFILE_FORMAT_LIBCOAP:
        out = kf_load_libcoap(data, len, path);
        break;
    case OSCORE_KEYFILE_FORMAT_AIOCOAP_CONTEXT: {
        /* A settings.json or secret.json: the context is its directory,
         * which may hold the other file too. */
        char *dir = g_path_get_dirname(path);
        out = kf_load_aiocoap_dir(dir, sum);
        g_free(dir);
        break;
    }
    case OSCORE_KEYFILE_FORMAT_AIOCOAP_CREDENTIALS:
        out = kf_load_aiocoap_credentials(data, len, path, sum);
        break;
    case OSCORE_KEYFILE_FORMAT_KEYS:
    default:
        out = oscore_keyfile_load_data(data, len, path);
        break;
    }
    g_free(data);
    return out;
}

oscore_keyfile *oscore_keyfile_load(const char *path)
{
    return load_any(path, NULL);
}

void oscore_keyfile_digest(const char *path, char out[65])
{
    GChecksum *sum = g_checksum_new(G_CHECKSUM_SHA256);
    g_checksum_update(sum, (const guchar *)path, (gssize)strlen(path) + 1);
    char *data = NULL;
    size_t len = 0;
    char err[256];
    bool is_dir = g_file_test(path, G_FILE_TEST_IS_DIR);
    if (!is_dir && oscore_keyfile_read(path, &data, &len, err, sizeof err) &&
        oscore_keyfile_detect(data, len) == OSCORE_KEYFILE_FORMAT_KEYS) {
        /* The common case, and the one with many contexts: the bytes
         * say everything, no need to derive keys. */
        g_checksum_update(sum, (const guchar *)data, (gssize)len);
    } else {
        /* Other formats read further files: load to find them all. */
        oscore_keyfile_free(load_any(path, sum));
    }
    g_free(data);
    g_strlcpy(out, g_checksum_get_string(sum), 65);
    g_checksum_free(sum);
}
