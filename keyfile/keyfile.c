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
 * blanked, duplicate groups renamed so GKeyFile does not merge them) and
 * remembers the line of every group and key; GKeyFile then reads the
 * cleaned text, whose line numbers are unchanged.
 */
#include "oscore_keyfile.h"

#include <glib.h>
#include <stdio.h>
#include <string.h>

#include "oscore/algorithms.h"

/* Keys a context group may hold. */
static const char *const known_keys[] = {
    "master_secret", "master_salt", "id_context", "sender_id",
    "recipient_id",  "aead",        "hkdf",
};

typedef struct group_info {
    char *name;
    unsigned line;
    bool bad;              /* a problem was reported: skip the context */
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

static void add_error(load_state *st, unsigned line, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    g_ptr_array_add(st->errors,
                    g_strdup_printf("%s:%u: %s", st->source, line, msg));
    g_free(msg);
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
    snprintf(err, err_cap,
             "%s: \"%s\" is not a hex byte string of at most %zu bytes", field,
             text, cap);
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
            snprintf(err, err_cap, "aead: unknown or unsupported \"%s\"",
                     f->aead);
            return false;
        }
        p->aead_id = alg->cose_id;
    }
    if (f->hkdf != NULL && f->hkdf[0] != '\0' &&
        osc_hkdf_by_name(f->hkdf, &p->hkdf) != OSC_OK) {
        snprintf(err, err_cap, "hkdf: unknown \"%s\"", f->hkdf);
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

static bool is_known_key(const char *key)
{
    for (size_t i = 0; i < G_N_ELEMENTS(known_keys); i++) {
        if (strcmp(known_keys[i], key) == 0) {
            return true;
        }
    }
    return false;
}

/* First pass: returns the cleaned text with the same number of lines. */
static GString *clean_lines(load_state *st, const char *data, size_t len)
{
    GString *out = g_string_sized_new(len + 1);
    char *copy = g_strndup(data, len);
    char **lines = g_strsplit(copy, "\n", -1);
    g_free(copy);
    group_info *current = NULL;
    unsigned renamed = 0;

    for (unsigned i = 0; lines[i] != NULL; i++) {
        unsigned line_no = i + 1;
        char *line = g_strstrip(lines[i]); /* also drops a '\r' */
        if (line[0] == '\0' || line[0] == '#') {
            g_string_append_c(out, '\n');
            continue;
        }
        if (line[0] == '[') {
            char *close = strchr(line, ']');
            char *rest = close ? close + 1 : NULL;
            if (rest != NULL) {
                strip_comment(rest);
            }
            if (close == NULL || close == line + 1 || *rest != '\0' ||
                strchr(line + 1, '[') != NULL) {
                add_error(st, line_no, "bad group header \"%s\"", line);
                current = NULL; /* its keys are reported as orphans */
                g_string_append_c(out, '\n');
                continue;
            }
            *close = '\0';
            group_info *g = g_new0(group_info, 1);
            g->name = g_strdup(line + 1);
            g->line = line_no;
            g->key_lines =
                g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
            g_ptr_array_add(st->groups, g);
            current = g;
            if (g_hash_table_contains(st->by_name, g->name)) {
                group_info *first = g_hash_table_lookup(st->by_name, g->name);
                add_error(st, line_no,
                          "context [%s] defined again (first on line %u); "
                          "this one is ignored",
                          g->name, first->line);
                g->bad = true;
                /* A private name keeps GKeyFile from merging the two. */
                g_string_append_printf(out, "[ duplicate %u]\n", ++renamed);
                g_free(g->name);
                g->name = g_strdup_printf(" duplicate %u", renamed);
                continue;
            }
            g_hash_table_insert(st->by_name, g->name, g);
            g_string_append_printf(out, "[%s]\n", g->name);
            continue;
        }
        char *eq = strchr(line, '=');
        if (eq == NULL) {
            add_error(st, line_no,
                      "expected \"[name]\" or \"key = value\", got \"%s\"",
                      line);
            g_string_append_c(out, '\n');
            continue;
        }
        *eq = '\0';
        char *key = g_strstrip(line);
        char *value = eq + 1;
        strip_comment(value);
        if (current == NULL) {
            add_error(st, line_no, "\"%s\" outside any [context] group", key);
            g_string_append_c(out, '\n');
            continue;
        }
        if (!is_known_key(key)) {
            add_error(st, line_no, "unknown key \"%s\" in [%s]", key,
                      current->name);
            current->bad = true;
            g_string_append_c(out, '\n');
            continue;
        }
        if (g_hash_table_contains(current->key_lines, key)) {
            add_error(st, line_no, "\"%s\" given twice in [%s]", key,
                      current->name);
            current->bad = true;
            g_string_append_c(out, '\n');
            continue;
        }
        g_hash_table_insert(current->key_lines, g_strdup(key),
                            GUINT_TO_POINTER(line_no));
        g_string_append_printf(out, "%s=%s\n", key, value);
    }
    g_strfreev(lines);
    return out;
}

/* Finds the line of the key a field error message starts with. */
static unsigned error_line(const group_info *g, const char *err)
{
    for (size_t i = 0; i < G_N_ELEMENTS(known_keys); i++) {
        size_t n = strlen(known_keys[i]);
        if (strncmp(err, known_keys[i], n) == 0 && err[n] == ':') {
            gpointer line = g_hash_table_lookup(g->key_lines, known_keys[i]);
            if (line != NULL) {
                return GPOINTER_TO_UINT(line);
            }
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
    GString *clean = clean_lines(&st, data, len);
    GKeyFile *kf = g_key_file_new();
    GError *gerr = NULL;

    if (!g_key_file_load_from_data(kf, clean->str, clean->len, G_KEY_FILE_NONE,
                                   &gerr)) {
        /* Should not happen after cleaning; report rather than crash. */
        add_error(&st, 1, "%s", gerr->message);
        g_clear_error(&gerr);
    } else {
        for (guint i = 0; i < st.groups->len; i++) {
            group_info *g = g_ptr_array_index(st.groups, i);
            if (g->bad) {
                continue;
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
            bool ok = oscore_keyfile_params_from_fields(&f, &e.params, err,
                                                        sizeof err);
            if (!ok) {
                add_error(&st, error_line(g, err), "[%s] %s", g->name, err);
            } else {
                osc_status s = osc_context_derive(&e.params, &e.ctx);
                if (s != OSC_OK) {
                    add_error(&st, g->line, "[%s] cannot derive keys: %s",
                              g->name, osc_status_message(s));
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
    }
    g_key_file_free(kf);
    g_string_free(clean, TRUE);
    g_hash_table_destroy(st.by_name);
    g_ptr_array_free(st.groups, TRUE);

    oscore_keyfile *out = g_new0(oscore_keyfile, 1);
    out->entry_count = entries->len;
    out->entries = (oscore_keyfile_entry *)(void *)g_array_free(
        entries, entries->len == 0);
    out->error_count = st.errors->len;
    g_ptr_array_add(st.errors, NULL);
    out->errors = (char **)g_ptr_array_free(st.errors, FALSE);
    return out;
}

oscore_keyfile *oscore_keyfile_load(const char *path)
{
    char *data = NULL;
    gsize len = 0;
    GError *gerr = NULL;
    if (!g_file_get_contents(path, &data, &len, &gerr)) {
        oscore_keyfile *out = g_new0(oscore_keyfile, 1);
        out->errors = g_new0(char *, 2);
        out->errors[0] =
            g_strdup_printf("%s:0: cannot read: %s", path, gerr->message);
        out->error_count = 1;
        g_error_free(gerr);
        return out;
    }
    oscore_keyfile *out = oscore_keyfile_load_data(data, len, path);
    g_free(data);
    return out;
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
    return OSC_OK;
}
