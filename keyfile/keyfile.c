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
           key[strlen(MEMBER_PREFIX)] != '\0';
}

static bool is_known_key(const char *key)
{
    return in_list(known_keys, G_N_ELEMENTS(known_keys), key) ||
           in_list(group_keys, G_N_ELEMENTS(group_keys), key) ||
           is_member_key(key);
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
    } else if (strcmp(field, "pairwise_ka") == 0) {
        if (g_ascii_strcasecmp(text, "ECDH-SS + HKDF-256") == 0 ||
            strcmp(text, "-27") == 0) {
            *out = OSC_PAIRWISE_ECDH_SS_HKDF_256;
            return true;
        }
    } else {
        const osc_aead_alg *alg = osc_aead_by_name(text);
        if (alg != NULL) {
            *out = alg->cose_id;
            return true;
        }
    }
    snprintf(err, err_cap, "%s: unknown or unsupported \"%s\"", field, text);
    return false;
}

/* Reads the members ("member.<id>" and "member.<id>.private_key"). */
static bool group_members(GKeyFile *kf, const group_info *g,
                          osc_group_params *p, char *err, size_t err_cap)
{
    gchar **keys = g_key_file_get_keys(kf, g->name, NULL, NULL);
    bool ok = true;
    for (gsize i = 0; ok && keys != NULL && keys[i] != NULL; i++) {
        const char *key = keys[i];
        if (!is_member_key(key) || g_str_has_suffix(key, PRIVATE_KEY_SUFFIX)) {
            continue;
        }
        if (p->member_count == OSC_GROUP_MAX_MEMBERS) {
            snprintf(err, err_cap, "%s: more than %d members", key,
                     OSC_GROUP_MAX_MEMBERS);
            ok = false;
            break;
        }
        osc_group_member_params *m = &p->members[p->member_count];
        char *value = g_key_file_get_value(kf, g->name, key, NULL);
        char *private_key_name = g_strconcat(key, PRIVATE_KEY_SUFFIX, NULL);
        char *private_key =
            g_key_file_get_value(kf, g->name, private_key_name, NULL);
        size_t seed_len = 0;
        if (!oscore_keyfile_parse_hex(key + strlen(MEMBER_PREFIX), m->id,
                                      sizeof m->id, &m->id_len)) {
            snprintf(err, err_cap,
                     "%s: the Sender ID after \"member.\" must be hex of at "
                     "most %d bytes",
                     key, OSC_MAX_ID_LEN);
            ok = false;
        } else if (!hex_field(key, value, m->credential, sizeof m->credential,
                              &m->credential_len, err, err_cap)) {
            ok = false;
        } else if (private_key != NULL &&
                   !hex_field(private_key_name, private_key, m->private_key,
                              sizeof m->private_key, &seed_len, err, err_cap)) {
            ok = false;
        } else if (private_key != NULL && seed_len != OSC_ED25519_KEY_LEN) {
            snprintf(err, err_cap, "%s: an Ed25519 private key has 32 bytes",
                     private_key_name);
            ok = false;
        } else if (osc_group_credential_public_key(
                       m->credential, m->credential_len,
                       (uint8_t[OSC_ED25519_KEY_LEN]){0}) != OSC_OK) {
            snprintf(err, err_cap,
                     "%s: not a CCS credential with an Ed25519 (OKP, crv 6) "
                     "key",
                     key);
            ok = false;
        } else {
            m->has_private_key = private_key != NULL;
            p->member_count++;
        }
        g_free(value);
        g_free(private_key);
        g_free(private_key_name);
    }
    /* A private key needs its member. */
    for (gsize i = 0; ok && keys != NULL && keys[i] != NULL; i++) {
        if (is_member_key(keys[i]) &&
            g_str_has_suffix(keys[i], PRIVATE_KEY_SUFFIX)) {
            char *member = g_strndup(keys[i], strlen(keys[i]) -
                                                  strlen(PRIVATE_KEY_SUFFIX));
            if (!g_key_file_has_key(kf, g->name, member, NULL)) {
                snprintf(err, err_cap, "%s: no \"%s\" credential given",
                         keys[i], member);
                ok = false;
            }
            g_free(member);
        }
    }
    g_strfreev(keys);
    return ok;
}

/* Loads a "group = true" context into a derived group context. */
static osc_group_context *load_group(GKeyFile *kf, const group_info *g,
                                     char *err, size_t err_cap)
{
    osc_group_params *p = g_new0(osc_group_params, 1);
    osc_group_params_init(p);
    char *secret = get_value(kf, g, "master_secret");
    char *salt = get_value(kf, g, "master_salt");
    char *gid = get_value(kf, g, "id_context");
    char *aead = get_value(kf, g, "aead");
    char *group_enc = get_value(kf, g, "group_enc");
    char *signature = get_value(kf, g, "signature");
    char *pairwise = get_value(kf, g, "pairwise_ka");
    char *hkdf = get_value(kf, g, "hkdf");
    char *gm_cred = get_value(kf, g, "gm_cred");
    osc_group_context *group = NULL;
    bool ok = true;

    if (secret == NULL || secret[0] == '\0') {
        snprintf(err, err_cap, "master_secret: missing");
        ok = false;
    } else if (gid == NULL) {
        snprintf(err, err_cap, "id_context: missing (the Gid of the group)");
        ok = false;
    } else if (g_key_file_has_key(kf, g->name, "sender_id", NULL) ||
               g_key_file_has_key(kf, g->name, "recipient_id", NULL)) {
        snprintf(err, err_cap,
                 "%s: a group names its members with member.<id> instead",
                 g_key_file_has_key(kf, g->name, "sender_id", NULL)
                     ? "sender_id"
                     : "recipient_id");
        ok = false;
    }
    ok =
        ok &&
        hex_field("master_secret", secret, p->master_secret,
                  sizeof p->master_secret, &p->master_secret_len, err,
                  err_cap) &&
        hex_field("master_salt", salt, p->master_salt, sizeof p->master_salt,
                  &p->master_salt_len, err, err_cap) &&
        hex_field("id_context", gid, p->gid, sizeof p->gid, &p->gid_len, err,
                  err_cap) &&
        hex_field("gm_cred", gm_cred, p->gm_credential, sizeof p->gm_credential,
                  &p->gm_credential_len, err, err_cap) &&
        group_algorithm("aead", aead, OSC_AEAD_AES_CCM_16_64_128, &p->aead_id,
                        err, err_cap) &&
        group_algorithm("group_enc", group_enc, OSC_AEAD_AES_CCM_16_64_128,
                        &p->group_enc_id, err, err_cap) &&
        group_algorithm("signature", signature, OSC_SIGNATURE_EDDSA,
                        &p->signature_alg, err, err_cap) &&
        group_algorithm("pairwise_ka", pairwise, OSC_PAIRWISE_ECDH_SS_HKDF_256,
                        &p->pairwise_ka_alg, err, err_cap);
    if (ok && hkdf != NULL && hkdf[0] != '\0' &&
        osc_hkdf_by_name(hkdf, &p->hkdf) != OSC_OK) {
        snprintf(err, err_cap, "hkdf: unknown \"%s\"", hkdf);
        ok = false;
    }
    ok = ok && group_members(kf, g, p, err, err_cap);
    if (ok) {
        group = g_new0(osc_group_context, 1);
        osc_status status = osc_group_context_derive(p, group);
        if (status != OSC_OK) {
            snprintf(err, err_cap, "cannot derive the group's keys: %s",
                     osc_status_message(status));
            g_free(group);
            group = NULL;
        }
    }
    g_free(secret);
    g_free(salt);
    g_free(gid);
    g_free(aead);
    g_free(group_enc);
    g_free(signature);
    g_free(pairwise);
    g_free(hkdf);
    g_free(gm_cred);
    /* The params hold private keys: wipe before freeing. */
    memset(p, 0, sizeof *p);
    g_free(p);
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
            char *group_value = get_value(kf, g, "group");
            bool is_group = parse_bool(group_value);
            g_free(group_value);
            if (is_group) {
                char err[256];
                osc_group_context *group = load_group(kf, g, err, sizeof err);
                if (group == NULL) {
                    add_error(&st, error_line(g, err), "[%s] %s", g->name, err);
                } else {
                    oscore_keyfile_group e = {g_strdup(g->name), g->line,
                                              group};
                    g_array_append_val(groups, e);
                }
                continue;
            }
            const char *stray = stray_group_key(g);
            if (stray != NULL) {
                add_error(
                    &st,
                    GPOINTER_TO_UINT(g_hash_table_lookup(g->key_lines, stray)),
                    "[%s] \"%s\" belongs to a group context; add "
                    "\"group = true\"",
                    g->name, stray);
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
    out->group_count = groups->len;
    out->groups =
        (oscore_keyfile_group *)(void *)g_array_free(groups, groups->len == 0);
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
    for (size_t i = 0; i < kf->group_count; i++) {
        g_free(kf->groups[i].name);
        memset(kf->groups[i].group, 0, sizeof *kf->groups[i].group);
        g_free(kf->groups[i].group);
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
