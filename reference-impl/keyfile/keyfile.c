/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Keys file loader. GKeyFile does the parsing, but two things of the
 * format are outside what GKeyFile offers, so every line is looked at
 * first:
 *  - a `# comment` may follow a value on the same line (GKeyFile would
 *    keep it as part of the value);
 *  - errors must name the line, and one bad line must not hide the other
 *    contexts (GKeyFile rejects the whole file on a syntax error and
 *    reports no line numbers).
 * The first pass therefore cleans each line (comments stripped, bad lines
 * blanked, a repeated group dropped with its keys) and
 * remembers the line of every group and key; GKeyFile then reads the
 * cleaned text, whose line numbers are unchanged.
 */
#include "oscore_keyfile.h"

#include "keyfile_internal.h"

#include <errno.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "oscore/algorithms.h"
#include "oscore/group.h"

/* Keys a context group may hold. */
static const char *const known_keys[] = {
    "master_secret", "master_salt", "id_context", "sender_id",
    "recipient_id",  "aead",        "hkdf",
};

/* Further keys of a Group OSCORE context ("group = true"); members are
 * "member.<Sender ID hex>" (credential) and
 * "member.<Sender ID hex>.private_key". */
static const char *const group_keys[] = {
    "group", "group_enc", "signature", "pairwise_ka", "gm_cred",
};
#define MEMBER_PREFIX "member."
#define PRIVATE_KEY_SUFFIX ".private_key"

typedef struct group_info {
    char *name;
    unsigned line;
    bool bad;     /* a problem was reported: skip the context */
    bool dropped; /* a repeated name: header and keys left out of the text */
    GHashTable *key_lines; /* key -> line (GUINT_TO_POINTER) */
} group_info;

typedef struct load_state {
    const char *source;
    GPtrArray *errors;   /* char * */
    GPtrArray *groups;   /* group_info *, in file order */
    GHashTable *by_name; /* name -> group_info * (first of that name) */
} load_state;

static void add_error(load_state *st, unsigned line, const char *fmt, ...)
    G_GNUC_PRINTF(3, 4);

/* Longest message kept, in bytes before escaping. */
#define MAX_MESSAGE 400

/*
 * Messages quote the file's text, which may be anything (a binary file
 * chosen by mistake, a terminal escape sequence): control characters,
 * and every byte >= 0x80 when the text is not UTF-8, are shown as \xNN,
 * so nothing reaches a terminal or dialog raw; and a message is cut at
 * MAX_MESSAGE bytes. (Found by tests/fuzz/bad_keys.sh.)
 */
char *kf_escape_text(const char *s)
{
    size_t n = strlen(s);
    bool cut = n > MAX_MESSAGE;
    if (cut) {
        n = MAX_MESSAGE;
    }
    bool utf8 = g_utf8_validate(s, (gssize)n, NULL);
    GString *out = g_string_sized_new(n + 8);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 || c == 0x7f || (c >= 0x80 && !utf8)) {
            g_string_append_printf(out, "\\x%02x", c);
        } else {
            g_string_append_c(out, (char)c);
        }
    }
    if (cut) {
        g_string_append(out, "...");
    }
    return g_string_free(out, FALSE);
}

void oscore_keyfile_escape(const char *text, char *out, size_t out_cap)
{
    char *shown = kf_escape_text(text);
    snprintf(out, out_cap, "%s", shown);
    g_free(shown);
}

static void add_error(load_state *st, unsigned line, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    char *shown = kf_escape_text(msg);
    g_ptr_array_add(st->errors,
                    g_strdup_printf("%s:%u: %s", st->source, line, shown));
    g_free(shown);
    g_free(msg);
}

/* At most CLIP_LEN bytes of a value quoted in a message, so that the
 * explanation after it survives (a 1 MB master_secret is not echoed). */
#define CLIP_LEN 40
typedef struct clip_buf {
    char text[CLIP_LEN + 4];
} clip_buf;

static const char *clip(const char *s, clip_buf *buf)
{
    if (s == NULL || strlen(s) <= CLIP_LEN) {
        return s;
    }
    memcpy(buf->text, s, CLIP_LEN);
    memcpy(buf->text + CLIP_LEN, "...", 4);
    return buf->text;
}

/* Text GKeyFile accepts in group and key names, and that can be shown:
 * UTF-8 without control characters and without brackets. A name it
 * rejects makes it refuse the WHOLE file, so such lines are reported and
 * blanked first. */
static bool is_name_text(const char *s)
{
    if (!g_utf8_validate(s, -1, NULL)) {
        return false;
    }
    for (const char *p = s; *p != '\0'; p++) {
        if ((unsigned char)*p < 0x20 || *p == 0x7f || *p == '[' || *p == ']') {
            return false;
        }
    }
    return true;
}

static void group_info_free(gpointer p)
{
    group_info *g = p;
    g_free(g->name);
    g_hash_table_destroy(g->key_lines);
    g_free(g);
}

bool oscore_keyfile_parse_hex(const char *text, uint8_t *out, size_t cap,
                              size_t *len)
{
    if (text == NULL) {
        *len = 0;
        return true;
    }
    while (g_ascii_isspace(*text)) {
        text++;
    }
    size_t n = strlen(text);
    while (n > 0 && g_ascii_isspace(text[n - 1])) {
        n--;
    }
    if (n % 2 != 0 || n / 2 > cap) {
        return false;
    }
    for (size_t i = 0; i < n; i += 2) {
        int hi = g_ascii_xdigit_value(text[i]);
        int lo = g_ascii_xdigit_value(text[i + 1]);
        if (hi < 0 || lo < 0) {
            return false;
        }
        out[i / 2] = (uint8_t)(hi << 4 | lo);
    }
    *len = n / 2;
    return true;
}

static bool hex_field(const char *field, const char *text, uint8_t *out,
                      size_t cap, size_t *len, char *err, size_t err_cap)
{
    if (oscore_keyfile_parse_hex(text, out, cap, len)) {
        return true;
    }
    clip_buf b;
    snprintf(err, err_cap,
             "%s: \"%s\" is not a hex byte string of at most %zu bytes", field,
             clip(text, &b), cap);
    return false;
}

bool oscore_keyfile_params_from_fields(const oscore_keyfile_fields *f,
                                       osc_context_params *p, char *err,
                                       size_t err_cap)
{
    osc_context_params_init(p);
    if (f->master_secret == NULL || f->master_secret[0] == '\0') {
        snprintf(err, err_cap, "master_secret: missing");
        return false;
    }
    if (f->sender_id == NULL) {
        snprintf(err, err_cap, "sender_id: missing");
        return false;
    }
    if (f->recipient_id == NULL) {
        snprintf(err, err_cap, "recipient_id: missing");
        return false;
    }
    if (!hex_field("master_secret", f->master_secret, p->master_secret,
                   sizeof p->master_secret, &p->master_secret_len, err,
                   err_cap) ||
        !hex_field("master_salt", f->master_salt, p->master_salt,
                   sizeof p->master_salt, &p->master_salt_len, err, err_cap) ||
        !hex_field("sender_id", f->sender_id, p->sender_id, sizeof p->sender_id,
                   &p->sender_id_len, err, err_cap) ||
        !hex_field("recipient_id", f->recipient_id, p->recipient_id,
                   sizeof p->recipient_id, &p->recipient_id_len, err,
                   err_cap)) {
        return false;
    }
    if (f->id_context != NULL) {
        p->has_id_context = true;
        if (!hex_field("id_context", f->id_context, p->id_context,
                       sizeof p->id_context, &p->id_context_len, err,
                       err_cap)) {
            return false;
        }
    }
    if (f->aead != NULL && f->aead[0] != '\0') {
        const osc_aead_alg *alg = osc_aead_by_name(f->aead);
        if (alg == NULL) {
            clip_buf b;
            snprintf(err, err_cap, "aead: unknown or unsupported \"%s\"",
                     clip(f->aead, &b));
            return false;
        }
        p->aead_id = alg->cose_id;
    }
    if (f->hkdf != NULL && f->hkdf[0] != '\0' &&
        osc_hkdf_by_name(f->hkdf, &p->hkdf) != OSC_OK) {
        clip_buf b;
        snprintf(err, err_cap, "hkdf: unknown \"%s\"", clip(f->hkdf, &b));
        return false;
    }
    /* The ID limit depends on the algorithm's nonce; say which ID. */
    const osc_aead_alg *alg = osc_aead_by_id(p->aead_id);
    if (alg != NULL) {
        size_t max = osc_aead_max_id_len(alg);
        if (p->sender_id_len > max || p->recipient_id_len > max) {
            snprintf(err, err_cap, "%s: longer than the %zu bytes %s allows",
                     p->sender_id_len > max ? "sender_id" : "recipient_id", max,
                     alg->name);
            return false;
        }
    }
    return true;
}

/* Strips a trailing comment: a '#' at the start of the value or after a
 * blank. Hex values and algorithm names never contain '#'. */
static void strip_comment(char *value)
{
    for (char *p = value; *p != '\0'; p++) {
        if (*p == '#' && (p == value || p[-1] == ' ' || p[-1] == '\t')) {
            *p = '\0';
            break;
        }
    }
    g_strstrip(value);
}

static bool in_list(const char *const *list, size_t count, const char *key)
{
    for (size_t i = 0; i < count; i++) {
        if (strcmp(list[i], key) == 0) {
            return true;
        }
    }
    return false;
}

/* "member.<hex>" or "member.<hex>.private_key": the hex part is checked
 * when the group is loaded, so that its error names the line. */
static bool is_member_key(const char *key)
{
    return g_str_has_prefix(key, MEMBER_PREFIX) &&
           key[strlen(MEMBER_PREFIX)] != '\0' && is_name_text(key);
}

static bool is_known_key(const char *key)
{
    return in_list(known_keys, G_N_ELEMENTS(known_keys), key) ||
           in_list(group_keys, G_N_ELEMENTS(group_keys), key) ||
           is_member_key(key);
}

/* Splits data (len bytes, which may hold NUL bytes) into lines ending in
 * LF, CRLF or a lone CR (an old Mac editor's line end: split on LF only,
 * such a file was one comment line and loaded "no security contexts"
 * without a hint why); a UTF-8 byte order mark at the start (Windows
 * editors write one) is skipped. A line holding a NUL byte is a NULL
 * entry: GLib strings end at the first NUL, so splitting a copy of the
 * text as one string silently dropped everything after the first NUL of
 * a file (found by tests/fuzz/bad_keys.sh). */
static GPtrArray *split_lines(const char *data, size_t len)
{
    GPtrArray *lines = g_ptr_array_new_with_free_func(g_free);
    const char *p = data, *end = data + len;
    if (len >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0) {
        p += 3;
    }
    for (;;) {
        const char *eol = p;
        while (eol < end && *eol != '\n' && *eol != '\r') {
            eol++;
        }
        size_t n = (size_t)(eol - p);
        g_ptr_array_add(lines,
                        memchr(p, '\0', n) != NULL ? NULL : g_strndup(p, n));
        if (eol == end) {
            break;
        }
        p = eol + (*eol == '\r' && eol + 1 < end && eol[1] == '\n' ? 2 : 1);
    }
    return lines;
}

/* Whether a "[..." line is a group header GKeyFile accepts: a non-empty
 * name of text, then nothing but a comment. Returns its ']', or NULL. */
static char *group_header_close(char *line)
{
    char *close = strchr(line, ']');
    if (close == NULL) {
        return NULL;
    }
    strip_comment(close + 1);
    *close = '\0'; /* the name is checked as GKeyFile would */
    bool ok_name =
        close != line + 1 && close[1] == '\0' && is_name_text(line + 1);
    *close = ']';
    return ok_name ? close : NULL;
}

/* A "[name]" line: starts a group and writes its header; returns the
 * group its keys go to, or NULL (nothing written) when the header is
 * bad, so that its keys are reported as orphans. A name already used
 * gives a dropped group: nothing written for it or its keys. */
static group_info *clean_group_header(load_state *st, char *line,
                                      unsigned line_no, GString *out)
{
    char *close = group_header_close(line);
    if (close == NULL) {
        clip_buf b;
        add_error(st, line_no,
                  "bad group header \"%s\" (a [name] of text without "
                  "brackets or control characters)",
                  clip(line, &b));
        return NULL;
    }
    *close = '\0';
    group_info *g = g_new0(group_info, 1);
    g->name = g_strdup(line + 1);
    g->line = line_no;
    g->key_lines = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    g_ptr_array_add(st->groups, g);
    if (g_hash_table_contains(st->by_name, g->name)) {
        group_info *first = g_hash_table_lookup(st->by_name, g->name);
        add_error(st, line_no,
                  "context [%s] defined again (first on line %u); "
                  "this one is ignored",
                  g->name, first->line);
        /* Left out of the text GKeyFile reads, keys included, so that it
         * cannot merge them into the first group. (Renaming it "[
         * duplicate N]" merged it into a real group of that name, whose
         * values the duplicate's then overwrote.) */
        g->bad = true;
        g->dropped = true;
        return g;
    }
    g_hash_table_insert(st->by_name, g->name, g);
    g_string_append_printf(out, "[%s]\n", g->name);
    return g;
}

/* A "key = value" line of group current (NULL: outside any group):
 * writes a known key given once and returns true; reports any other
 * line (marking its group bad) and returns false, writing nothing. */
static bool clean_key_line(load_state *st, group_info *current, char *line,
                           unsigned line_no, GString *out)
{
    char *eq = strchr(line, '=');
    if (eq == NULL) {
        clip_buf b;
        add_error(st, line_no,
                  "expected \"[name]\" or \"key = value\", got \"%s\"",
                  clip(line, &b));
        return false;
    }
    *eq = '\0';
    char *key = g_strstrip(line);
    char *value = eq + 1;
    strip_comment(value);
    clip_buf kb, gb;
    if (current != NULL && current->dropped) {
        return false; /* the header's message covers its keys */
    }
    if (current == NULL) {
        add_error(st, line_no, "\"%s\" outside any [context] group",
                  clip(key, &kb));
        return false;
    }
    if (!is_known_key(key)) {
        add_error(st, line_no, "unknown key \"%s\" in [%s]", clip(key, &kb),
                  clip(current->name, &gb));
        current->bad = true;
        return false;
    }
    if (g_hash_table_contains(current->key_lines, key)) {
        add_error(st, line_no, "\"%s\" given twice in [%s]", clip(key, &kb),
                  clip(current->name, &gb));
        current->bad = true;
        return false;
    }
    g_hash_table_insert(current->key_lines, g_strdup(key),
                        GUINT_TO_POINTER(line_no));
    g_string_append_printf(out, "%s=%s\n", key, value);
    return true;
}

/* First pass (see the top of this file): returns the cleaned text with
 * the same number of lines; a blank, comment or bad line becomes an
 * empty one. */
static GString *clean_lines(load_state *st, const char *data, size_t len)
{
    GString *out = g_string_sized_new(len + 1);
    GPtrArray *lines = split_lines(data, len);
    group_info *current = NULL;

    for (unsigned i = 0; i < lines->len; i++) {
        unsigned line_no = i + 1;
        if (g_ptr_array_index(lines, i) == NULL) {
            add_error(st, line_no,
                      "NUL byte in the line (not a text file?); line ignored");
            g_string_append_c(out, '\n');
            continue;
        }
        char *line = g_strstrip((char *)g_ptr_array_index(lines, i));
        if (line[0] == '\0' || line[0] == '#') {
            g_string_append_c(out, '\n');
        } else if (line[0] == '[') {
            current = clean_group_header(st, line, line_no, out);
            if (current == NULL || current->dropped) {
                g_string_append_c(out, '\n');
            }
        } else if (!clean_key_line(st, current, line, line_no, out)) {
            g_string_append_c(out, '\n');
        }
    }
    g_ptr_array_free(lines, TRUE);
    return out;
}

/* Finds the line of the key a field error message starts with
 * ("key: text"), or the group's header line. */
static unsigned error_line(const group_info *g, const char *err)
{
    const char *colon = strchr(err, ':');
    if (colon != NULL) {
        char *key = g_strndup(err, (gsize)(colon - err));
        gpointer line = g_hash_table_lookup(g->key_lines, key);
        g_free(key);
        if (line != NULL) {
            return GPOINTER_TO_UINT(line);
        }
    }
    return g->line;
}

static char *get_value(GKeyFile *kf, const group_info *g, const char *key)
{
    if (!g_hash_table_contains(g->key_lines, key)) {
        return NULL;
    }
    return g_key_file_get_value(kf, g->name, key, NULL);
}

/* Group OSCORE algorithm fields: a COSE number or a name; "none" (or an
 * empty value) leaves the algorithm unset. */
static bool group_algorithm(const char *field, const char *text, int default_id,
                            int *out, char *err, size_t err_cap)
{
    if (text == NULL) {
        *out = default_id;
        return true;
    }
    if (text[0] == '\0' || g_ascii_strcasecmp(text, "none") == 0) {
        *out = 0;
        return true;
    }
    if (strcmp(field, "signature") == 0) {
        if (g_ascii_strcasecmp(text, "EdDSA") == 0 ||
            g_ascii_strcasecmp(text, "Ed25519") == 0 ||
            strcmp(text, "-8") == 0) {
            *out = OSC_SIGNATURE_EDDSA;
            return true;
        }
        if (g_ascii_strcasecmp(text, "ES256") == 0 || strcmp(text, "-7") == 0) {
            *out = OSC_SIGNATURE_ES256;
            return true;
        }
    } else if (strcmp(field, "pairwise_ka") == 0) {
        if (g_ascii_strcasecmp(text, "ECDH-SS + HKDF-256") == 0 ||
            strcmp(text, "-27") == 0) {
            *out = OSC_PAIRWISE_ECDH_SS_HKDF_256;
            return true;
        }
    } else {
        /* The AEAD Algorithm (pairwise mode) must be an AEAD; the Group
         * Encryption Algorithm may also be A128CTR ... (RFC 10021 2.1). */
        const osc_aead_alg *alg = strcmp(field, "group_enc") == 0
                                      ? osc_group_cipher_by_name(text)
                                      : osc_aead_by_name(text);
        if (alg != NULL) {
            *out = alg->cose_id;
            return true;
        }
    }
    clip_buf b;
    snprintf(err, err_cap, "%s: unknown or unsupported \"%s\"", field,
             clip(text, &b));
    return false;
}

/* A member's credential is a CCS with an Ed25519 or P-256 key, of the
 * Signature Algorithm's curve (checked here, not only when deriving, so
 * that the message names the member), and a P-256 private key is the
 * one of that credential. */
static bool member_credential_ok(const char *key,
                                 const osc_group_member_params *m,
                                 int signature_alg, char *err, size_t err_cap)
{
    uint8_t public_key[OSC_MAX_PUBLIC_KEY_LEN], derived[OSC_MAX_PUBLIC_KEY_LEN];
    osc_key_curve curve;
    osc_status status = osc_group_credential_public_key(
        m->credential, m->credential_len, &curve, public_key);
    if (status == OSC_ERR_CREDENTIAL_UNSUPPORTED) {
        snprintf(err, err_cap,
                 "%s: unsupported credential format (X.509, C509 or CWT); "
                 "give the CCS (a CBOR map)",
                 key);
        return false;
    }
    if (status != OSC_OK) {
        snprintf(err, err_cap,
                 "%s: not a CCS credential with an Ed25519 (OKP, crv 6) or "
                 "P-256 (EC2, crv 1) key",
                 key);
        return false;
    }
    osc_key_curve wanted = osc_group_signature_curve(signature_alg);
    if (wanted != OSC_CURVE_NONE && curve != wanted) {
        snprintf(err, err_cap,
                 "%s: credential key of the wrong curve (%s, the Signature "
                 "Algorithm needs %s)",
                 key, curve == OSC_CURVE_P256 ? "P-256" : "Ed25519",
                 wanted == OSC_CURVE_P256 ? "P-256" : "Ed25519");
        return false;
    }
    if (m->has_private_key && curve == OSC_CURVE_P256 &&
        (osc_p256_public_from_private(m->private_key, derived) != OSC_OK ||
         memcmp(derived, public_key, sizeof derived) != 0)) {
        snprintf(err, err_cap,
                 "%s.private_key: not the private key of the credential's "
                 "P-256 key",
                 key);
        return false;
    }
    return true;
}

bool oscore_keyfile_member_from_fields(const oscore_keyfile_member_fields *f,
                                       int signature_alg,
                                       osc_group_member_params *m, char *err,
                                       size_t err_cap)
{
    memset(m, 0, sizeof *m);
    const char *id = f->sender_id != NULL ? f->sender_id : "";
    /* Messages name the member as its keys file key does, so that the
     * keys file loader finds the line and the tables the row. */
    char *key = g_strconcat(MEMBER_PREFIX, id, NULL);
    char *private_key_name = g_strconcat(key, PRIVATE_KEY_SUFFIX, NULL);
    size_t seed_len = 0;
    bool ok = false;
    if (!oscore_keyfile_parse_hex(id, m->id, sizeof m->id, &m->id_len)) {
        snprintf(err, err_cap,
                 "%s: the Sender ID after \"member.\" must be hex of at most "
                 "%d bytes",
                 key, OSC_MAX_ID_LEN);
    } else if (f->credential == NULL || f->credential[0] == '\0') {
        snprintf(err, err_cap, "%s: the credential is missing", key);
    } else if (!hex_field(key, f->credential, m->credential,
                          sizeof m->credential, &m->credential_len, err,
                          err_cap)) {
    } else if (f->private_key != NULL &&
               !hex_field(private_key_name, f->private_key, m->private_key,
                          sizeof m->private_key, &seed_len, err, err_cap)) {
    } else if (f->private_key != NULL && seed_len != OSC_MAX_PRIVATE_KEY_LEN) {
        snprintf(err, err_cap,
                 "%s: a private key (Ed25519 seed or P-256 scalar) has 32 "
                 "bytes",
                 private_key_name);
    } else {
        m->has_private_key = f->private_key != NULL;
        ok = member_credential_ok(key, m, signature_alg, err, err_cap);
    }
    g_free(key);
    g_free(private_key_name);
    if (!ok) {
        memset(m, 0, sizeof *m);
    }
    return ok;
}

/* The members of a group into p: each checked, no Sender ID twice (the
 * keys "member.ab" and "member.AB" are different, their IDs are not). */
static bool group_members_from_fields(const oscore_keyfile_group_fields *f,
                                      osc_group_params *p, size_t *bad_member,
                                      char *err, size_t err_cap)
{
    for (size_t i = 0; i < f->member_count; i++) {
        const oscore_keyfile_member_fields *mf = &f->members[i];
        *bad_member = i;
        if (p->member_count == OSC_GROUP_MAX_MEMBERS) {
            snprintf(err, err_cap, "member.%s: more than %d members",
                     mf->sender_id, OSC_GROUP_MAX_MEMBERS);
            return false;
        }
        osc_group_member_params *m = &p->members[p->member_count];
        if (!oscore_keyfile_member_from_fields(mf, p->signature_alg, m, err,
                                               err_cap)) {
            return false;
        }
        for (size_t j = 0; j < p->member_count; j++) {
            if (p->members[j].id_len == m->id_len &&
                memcmp(p->members[j].id, m->id, m->id_len) == 0) {
                snprintf(err, err_cap,
                         "member.%s: Sender ID given twice (also member.%s)",
                         mf->sender_id, f->members[j].sender_id);
                return false;
            }
        }
        p->member_count++;
    }
    *bad_member = SIZE_MAX;
    return true;
}

/* The group-wide fields into p (everything but the members). */
static bool group_params_from_fields(const oscore_keyfile_group_fields *f,
                                     osc_group_params *p, char *err,
                                     size_t err_cap)
{
    if (f->master_secret == NULL || f->master_secret[0] == '\0') {
        snprintf(err, err_cap, "master_secret: missing");
        return false;
    }
    if (f->id_context == NULL) {
        snprintf(err, err_cap, "id_context: missing (the Gid of the group)");
        return false;
    }
    if (!hex_field("master_secret", f->master_secret, p->master_secret,
                   sizeof p->master_secret, &p->master_secret_len, err,
                   err_cap) ||
        !hex_field("master_salt", f->master_salt, p->master_salt,
                   sizeof p->master_salt, &p->master_salt_len, err, err_cap) ||
        !hex_field("id_context", f->id_context, p->gid, sizeof p->gid,
                   &p->gid_len, err, err_cap) ||
        !hex_field("gm_cred", f->gm_cred, p->gm_credential,
                   sizeof p->gm_credential, &p->gm_credential_len, err,
                   err_cap) ||
        !group_algorithm("aead", f->aead, OSC_AEAD_AES_CCM_16_64_128,
                         &p->aead_id, err, err_cap) ||
        !group_algorithm("group_enc", f->group_enc, OSC_AEAD_AES_CCM_16_64_128,
                         &p->group_enc_id, err, err_cap) ||
        !group_algorithm("signature", f->signature, OSC_SIGNATURE_EDDSA,
                         &p->signature_alg, err, err_cap) ||
        !group_algorithm("pairwise_ka", f->pairwise_ka,
                         OSC_PAIRWISE_ECDH_SS_HKDF_256, &p->pairwise_ka_alg,
                         err, err_cap)) {
        return false;
    }
    if (f->hkdf != NULL && f->hkdf[0] != '\0' &&
        osc_hkdf_by_name(f->hkdf, &p->hkdf) != OSC_OK) {
        clip_buf b;
        snprintf(err, err_cap, "hkdf: unknown \"%s\"", clip(f->hkdf, &b));
        return false;
    }
    return true;
}

osc_group_context *
oscore_keyfile_group_from_fields(const oscore_keyfile_group_fields *f,
                                 size_t *bad_member, char *err, size_t err_cap)
{
    size_t bad = SIZE_MAX;
    osc_group_params *p = g_new0(osc_group_params, 1);
    osc_group_params_init(p);
    osc_group_context *group = NULL;
    if (group_params_from_fields(f, p, err, err_cap) &&
        group_members_from_fields(f, p, &bad, err, err_cap)) {
        group = g_new0(osc_group_context, 1);
        osc_status status = osc_group_context_derive(p, group);
        if (status != OSC_OK) {
            snprintf(err, err_cap, "cannot derive the group's keys: %s",
                     osc_status_message(status));
            oscore_keyfile_group_context_free(group);
            group = NULL;
        }
    }
    /* The params hold private keys: wipe before freeing. */
    memset(p, 0, sizeof *p);
    g_free(p);
    if (bad_member != NULL) {
        *bad_member = bad;
    }
    return group;
}

void oscore_keyfile_group_context_free(osc_group_context *group)
{
    if (group != NULL) {
        memset(group, 0, sizeof *group); /* private and derived keys */
        g_free(group);
    }
}

/* The members of a keys file group: "member.<id>" keys with their
 * "member.<id>.private_key", in file order (the strings are the key
 * file's: free with members_free). A private key needs its member. */
static GArray *group_member_fields(GKeyFile *kf, const group_info *g, char *err,
                                   size_t err_cap, bool *ok)
{
    GArray *members =
        g_array_new(FALSE, TRUE, sizeof(oscore_keyfile_member_fields));
    gchar **keys = g_key_file_get_keys(kf, g->name, NULL, NULL);
    *ok = true;
    for (gsize i = 0; keys != NULL && keys[i] != NULL; i++) {
        const char *key = keys[i];
        if (!is_member_key(key)) {
            continue;
        }
        if (!g_str_has_suffix(key, PRIVATE_KEY_SUFFIX)) {
            char *pk_name = g_strconcat(key, PRIVATE_KEY_SUFFIX, NULL);
            oscore_keyfile_member_fields m = {
                .sender_id = g_strdup(key + strlen(MEMBER_PREFIX)),
                .credential = g_key_file_get_value(kf, g->name, key, NULL),
                .private_key = g_key_file_get_value(kf, g->name, pk_name, NULL),
            };
            g_array_append_val(members, m);
            g_free(pk_name);
            continue;
        }
        char *member = g_strndup(key, strlen(key) - strlen(PRIVATE_KEY_SUFFIX));
        if (*ok && !g_key_file_has_key(kf, g->name, member, NULL)) {
            snprintf(err, err_cap, "%s: no \"%s\" credential given", key,
                     member);
            *ok = false;
        }
        g_free(member);
    }
    g_strfreev(keys);
    return members;
}

static void members_free(GArray *members)
{
    for (guint i = 0; i < members->len; i++) {
        oscore_keyfile_member_fields *m =
            &g_array_index(members, oscore_keyfile_member_fields, i);
        g_free((char *)m->sender_id);
        g_free((char *)m->credential);
        if (m->private_key != NULL) {
            /* a private key: wiped before freeing */
            memset((char *)m->private_key, 0, strlen(m->private_key));
        }
        g_free((char *)m->private_key);
    }
    g_array_free(members, TRUE);
}

/* Loads a "group = true" context into a derived group context. */
static osc_group_context *load_group(GKeyFile *kf, const group_info *g,
                                     char *err, size_t err_cap)
{
    static const char *const names[] = {
        "master_secret", "master_salt", "id_context", "aead",    "group_enc",
        "signature",     "pairwise_ka", "hkdf",       "gm_cred",
    };
    char *v[G_N_ELEMENTS(names)];
    for (size_t i = 0; i < G_N_ELEMENTS(names); i++) {
        v[i] = get_value(kf, g, names[i]);
    }
    bool ok = true;
    GArray *members = group_member_fields(kf, g, err, err_cap, &ok);
    osc_group_context *group = NULL;
    if (!ok) {
        /* the orphan private key's message is in err */
    } else if (g_key_file_has_key(kf, g->name, "sender_id", NULL) ||
               g_key_file_has_key(kf, g->name, "recipient_id", NULL)) {
        snprintf(err, err_cap,
                 "%s: a group names its members with member.<id> instead",
                 g_key_file_has_key(kf, g->name, "sender_id", NULL)
                     ? "sender_id"
                     : "recipient_id");
    } else {
        oscore_keyfile_group_fields f = {
            .master_secret = v[0],
            .master_salt = v[1],
            .id_context = v[2],
            .aead = v[3],
            .group_enc = v[4],
            .signature = v[5],
            .pairwise_ka = v[6],
            .hkdf = v[7],
            .gm_cred = v[8],
            .members =
                (const oscore_keyfile_member_fields *)(void *)members->data,
            .member_count = members->len,
        };
        group = oscore_keyfile_group_from_fields(&f, NULL, err, err_cap);
    }
    members_free(members);
    for (size_t i = 0; i < G_N_ELEMENTS(names); i++) {
        g_free(v[i]);
    }
    return group;
}

static bool parse_bool(const char *text)
{
    return text != NULL &&
           (g_ascii_strcasecmp(text, "true") == 0 ||
            g_ascii_strcasecmp(text, "yes") == 0 || strcmp(text, "1") == 0);
}

/* True when a plain context uses keys only a group may have. */
static const char *stray_group_key(const group_info *g)
{
    for (size_t i = 1; i < G_N_ELEMENTS(group_keys); i++) {
        if (g_hash_table_contains(g->key_lines, group_keys[i])) {
            return group_keys[i];
        }
    }
    GHashTableIter it;
    gpointer key;
    g_hash_table_iter_init(&it, g->key_lines);
    while (g_hash_table_iter_next(&it, &key, NULL)) {
        if (is_member_key(key)) {
            return key;
        }
    }
    return NULL;
}

/* A "group = true" context: loads it into groups, or reports why not. */
static void add_group_context(load_state *st, GKeyFile *kf, const group_info *g,
                              GArray *groups)
{
    char err[256];
    osc_group_context *group = load_group(kf, g, err, sizeof err);
    if (group == NULL) {
        add_error(st, error_line(g, err), "[%s] %s", g->name, err);
        return;
    }
    oscore_keyfile_group e = {g_strdup(g->name), g->line, group};
    g_array_append_val(groups, e);
}

/* A plain (RFC 8613) context: derives it into entries, or reports why
 * not. */
static void add_plain_context(load_state *st, GKeyFile *kf, const group_info *g,
                              GArray *entries)
{
    const char *stray = stray_group_key(g);
    if (stray != NULL) {
        add_error(st,
                  GPOINTER_TO_UINT(g_hash_table_lookup(g->key_lines, stray)),
                  "[%s] \"%s\" belongs to a group context; add "
                  "\"group = true\"",
                  g->name, stray);
        return;
    }
    oscore_keyfile_fields f;
    char *vals[G_N_ELEMENTS(known_keys)];
    for (size_t k = 0; k < G_N_ELEMENTS(known_keys); k++) {
        vals[k] = get_value(kf, g, known_keys[k]);
    }
    f.master_secret = vals[0];
    f.master_salt = vals[1];
    f.id_context = vals[2];
    f.sender_id = vals[3];
    f.recipient_id = vals[4];
    f.aead = vals[5];
    f.hkdf = vals[6];
    oscore_keyfile_entry e = {0};
    char err[256];
    bool ok = oscore_keyfile_params_from_fields(&f, &e.params, err, sizeof err);
    if (!ok) {
        add_error(st, error_line(g, err), "[%s] %s", g->name, err);
    } else {
        osc_status s = osc_context_derive(&e.params, &e.ctx);
        if (s != OSC_OK) {
            add_error(st, g->line, "[%s] cannot derive keys: %s", g->name,
                      osc_status_message(s));
            ok = false;
        }
    }
    for (size_t k = 0; k < G_N_ELEMENTS(known_keys); k++) {
        g_free(vals[k]);
    }
    if (ok) {
        e.name = g_strdup(g->name);
        e.line = g->line;
        g_array_append_val(entries, e);
    }
}

/* Second pass: GKeyFile reads the cleaned text and every group not
 * already found bad becomes a context or a group context. */
static void load_contexts(load_state *st, const GString *clean, GArray *entries,
                          GArray *groups)
{
    GKeyFile *kf = g_key_file_new();
    GError *gerr = NULL;
    if (!g_key_file_load_from_data(kf, clean->str, clean->len, G_KEY_FILE_NONE,
                                   &gerr)) {
        /* Should not happen after cleaning; report rather than crash. */
        add_error(st, 1, "%s", gerr->message);
        g_clear_error(&gerr);
        g_key_file_free(kf);
        return;
    }
    for (guint i = 0; i < st->groups->len; i++) {
        group_info *g = g_ptr_array_index(st->groups, i);
        if (g->bad) {
            continue;
        }
        char *group_value = get_value(kf, g, "group");
        bool is_group = parse_bool(group_value);
        g_free(group_value);
        if (is_group) {
            add_group_context(st, kf, g, groups);
        } else {
            add_plain_context(st, kf, g, entries);
        }
    }
    g_key_file_free(kf);
}

oscore_keyfile *oscore_keyfile_load_data(const char *data, size_t len,
                                         const char *source)
{
    load_state st = {
        .source = source ? source : "(keys)",
        .errors = g_ptr_array_new(),
        .groups = g_ptr_array_new_with_free_func(group_info_free),
        .by_name = g_hash_table_new(g_str_hash, g_str_equal),
    };
    GArray *entries = g_array_new(FALSE, TRUE, sizeof(oscore_keyfile_entry));
    GArray *groups = g_array_new(FALSE, TRUE, sizeof(oscore_keyfile_group));
    GString *clean = clean_lines(&st, data, len);
    load_contexts(&st, clean, entries, groups);
    g_string_free(clean, TRUE);
    g_hash_table_destroy(st.by_name);
    g_ptr_array_free(st.groups, TRUE);

    oscore_keyfile *out = g_new0(oscore_keyfile, 1);
    out->entry_count = entries->len;
    out->entries = (oscore_keyfile_entry *)(void *)g_array_free(
        entries, entries->len == 0);
    out->group_count = groups->len;
    out->groups =
        (oscore_keyfile_group *)(void *)g_array_free(groups, groups->len == 0);
    out->error_count = st.errors->len;
    g_ptr_array_add(st.errors, NULL);
    out->errors = (char **)g_ptr_array_free(st.errors, FALSE);
    return out;
}

bool oscore_keyfile_read(const char *path, char **data, size_t *len, char *err,
                         size_t err_cap)
{
    *data = NULL;
    *len = 0;
    /* Checked before opening: opening a FIFO blocks until a writer comes,
     * and reading /dev/zero never ends; both hung tshark when named as
     * the keys file (found by tests/fuzz/bad_keys.sh). */
    GStatBuf sb;
    if (g_stat(path, &sb) != 0) {
        snprintf(err, err_cap, "%s", g_strerror(errno));
        return false;
    }
    if (!S_ISREG(sb.st_mode)) {
        snprintf(err, err_cap, "%s",
                 S_ISDIR(sb.st_mode) ? "is a directory" : "not a regular file");
        return false;
    }
    if ((guint64)sb.st_size > OSCORE_KEYFILE_MAX_SIZE) {
        snprintf(err, err_cap,
                 "%" G_GUINT64_FORMAT
                 " bytes, more than a keys file can have (%u)",
                 (guint64)sb.st_size, OSCORE_KEYFILE_MAX_SIZE);
        return false;
    }
    GError *gerr = NULL;
    gsize n = 0;
    if (!g_file_get_contents(path, data, &n, &gerr)) {
        snprintf(err, err_cap, "%s", gerr->message);
        g_error_free(gerr);
        return false;
    }
    *len = n;
    return true;
}

void oscore_keyfile_free(oscore_keyfile *kf)
{
    if (kf == NULL) {
        return;
    }
    for (size_t i = 0; i < kf->entry_count; i++) {
        g_free(kf->entries[i].name);
    }
    /* Keys do not linger in freed memory. */
    if (kf->entries != NULL) {
        memset(kf->entries, 0, kf->entry_count * sizeof kf->entries[0]);
    }
    g_free(kf->entries);
    for (size_t i = 0; i < kf->group_count; i++) {
        g_free(kf->groups[i].name);
        oscore_keyfile_group_context_free(kf->groups[i].group);
    }
    g_free(kf->groups);
    g_strfreev(kf->errors);
    g_free(kf);
}

osc_status oscore_keyfile_add_to_set(const oscore_keyfile *kf,
                                     osc_context_set *set)
{
    for (size_t i = 0; i < kf->entry_count; i++) {
        osc_status s = osc_context_set_add(set, kf->entries[i].name,
                                           &kf->entries[i].ctx, NULL);
        if (s != OSC_OK) {
            return s;
        }
    }
    for (size_t i = 0; i < kf->group_count; i++) {
        osc_status s = osc_context_set_add_group(set, kf->groups[i].name,
                                                 kf->groups[i].group, NULL);
        if (s != OSC_OK) {
            return s;
        }
    }
    return OSC_OK;
}
