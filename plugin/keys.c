/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Where security contexts come from, and the one context set built from
 * them: the key source named by the oscore_layers.keys_file preference,
 * the plugin's table of further key sources ("Key sources", UAT: files
 * and directories, in any format oscore_keyfile_load reads: keys file,
 * libcoap or aiocoap), the plugin's own table of contexts (UAT), its
 * tables of Group OSCORE contexts and their members (group_keys.c), and the
 * rows of Wireshark's built-in OSCORE table "Security Contexts" (so
 * existing users need no new configuration).
 *
 * Key derivation happens once per context when the set is built. The set
 * is rebuilt only when a fingerprint of all inputs changes, and only from
 * the init routine at the start of a dissection pass: cached per-frame
 * results and request bindings hold pointers into the set, and Wireshark
 * drops them (file scope) exactly at that point.
 */
#include "oscore_layers.h"

#include <epan/uat-int.h>
#include <string.h>
#include <wsutil/report_message.h>

#include "oscore_keyfile.h"

typedef struct ol_uat_row {
    char *name;
    char *master_secret;
    char *master_salt;
    char *id_context;
    char *sender_id;
    char *recipient_id;
    char *aead;
    char *hkdf;
} ol_uat_row;

static ol_uat_row *uat_rows;
static guint uat_row_count;
static uat_t *contexts_uat;

/* A row of the "Key sources" table: a file or directory. */
typedef struct ol_source_row {
    char *path;
} ol_source_row;

static ol_source_row *source_rows;
static guint source_row_count;

/* Keys file problems reported per load; the rest are counted. */
#define MAX_REPORTED_ERRORS 20

static osc_context_set *current_set;
static char *current_fingerprint;

UAT_CSTRING_CB_DEF(ol_uat, name, ol_uat_row)
UAT_CSTRING_CB_DEF(ol_uat, master_secret, ol_uat_row)
UAT_CSTRING_CB_DEF(ol_uat, master_salt, ol_uat_row)
UAT_CSTRING_CB_DEF(ol_uat, id_context, ol_uat_row)
UAT_CSTRING_CB_DEF(ol_uat, sender_id, ol_uat_row)
UAT_CSTRING_CB_DEF(ol_uat, recipient_id, ol_uat_row)
UAT_CSTRING_CB_DEF(ol_uat, aead, ol_uat_row)
UAT_CSTRING_CB_DEF(ol_uat, hkdf, ol_uat_row)
UAT_FILENAME_CB_DEF(ol_source, path, ol_source_row)

static void *uat_row_copy(void *dest, const void *source, size_t len _U_)
{
    ol_uat_row *d = dest;
    const ol_uat_row *s = source;
    d->name = g_strdup(s->name);
    d->master_secret = g_strdup(s->master_secret);
    d->master_salt = g_strdup(s->master_salt);
    d->id_context = g_strdup(s->id_context);
    d->sender_id = g_strdup(s->sender_id);
    d->recipient_id = g_strdup(s->recipient_id);
    d->aead = g_strdup(s->aead);
    d->hkdf = g_strdup(s->hkdf);
    return d;
}

static void uat_row_free(void *record)
{
    ol_uat_row *r = record;
    g_free(r->name);
    g_free(r->master_secret);
    g_free(r->master_salt);
    g_free(r->id_context);
    g_free(r->sender_id);
    g_free(r->recipient_id);
    g_free(r->aead);
    g_free(r->hkdf);
}

/* An empty cell means "absent" for the ID Context: a table cell cannot
 * tell an empty byte string from no value. */
static oscore_keyfile_fields row_fields(const ol_uat_row *r)
{
    oscore_keyfile_fields f = {
        .master_secret = r->master_secret,
        .master_salt = r->master_salt,
        .id_context =
            (r->id_context && r->id_context[0] != '\0') ? r->id_context : NULL,
        .sender_id = r->sender_id ? r->sender_id : "",
        .recipient_id = r->recipient_id ? r->recipient_id : "",
        .aead = r->aead,
        .hkdf = r->hkdf,
    };
    return f;
}

bool ol_uat_name_ok(const char *column, const char *name, char **error)
{
    if (name == NULL || name[0] == '\0') {
        *error = g_strdup_printf("%s: missing", column);
        return false;
    }
    /* The name goes into the tree, the Info column and JSON output: a
     * UAT cell can hold any bytes ("\x01\xff" on the command line), so
     * require text, as keys files do (found by tests/fuzz/bad_keys.sh). */
    if (!g_utf8_validate(name, -1, NULL)) {
        *error = g_strdup_printf("%s: not UTF-8 text", column);
        return false;
    }
    for (const char *c = name; *c != '\0'; c++) {
        if ((unsigned char)*c < 0x20 || *c == 0x7f) {
            *error = g_strdup_printf("%s: control characters are not allowed",
                                     column);
            return false;
        }
    }
    return true;
}

static ol_uat_bool uat_row_update(void *record, char **error)
{
    ol_uat_row *r = record;
    oscore_keyfile_fields f = row_fields(r);
    osc_context_params p;
    char err[256];
    if (!ol_uat_name_ok("name", r->name, error)) {
        return FALSE;
    }
    if (!oscore_keyfile_params_from_fields(&f, &p, err, sizeof err)) {
        *error = g_strdup(err);
        memset(&p, 0, sizeof p);
        return FALSE;
    }
    memset(&p, 0, sizeof p);
    return TRUE;
}

/* The row number the table dialog shows for the index-th row the
 * dissector sees: rows that failed their edit-time check in the dialog
 * are shown but not given to the dissector (uat_add_record), so the two
 * may differ. */
guint ol_uat_shown_row(const uat_t *uat, guint index)
{
    if (uat == NULL || uat->valid_data == NULL) {
        return index + 1;
    }
    /* bool in newer Wireshark versions, gboolean in 4.0 */
    guint size = g_array_get_element_size(uat->valid_data);
    guint seen = 0;
    for (guint i = 0; i < uat->valid_data->len; i++) {
        const char *v = uat->valid_data->data + (gsize)i * size;
        bool valid = size == sizeof(gboolean)
                         ? *(const gboolean *)(const void *)v
                         : *(const bool *)(const void *)v;
        if (valid && seen++ == index) {
            return i + 1;
        }
    }
    return index + 1;
}

static void *source_row_copy(void *dest, const void *source, size_t len _U_)
{
    ((ol_source_row *)dest)->path =
        g_strdup(((const ol_source_row *)source)->path);
    return dest;
}

static void source_row_free(void *record)
{
    g_free(((ol_source_row *)record)->path);
}

static ol_uat_bool source_row_update(void *record, char **error)
{
    const ol_source_row *r = record;
    if (r->path == NULL || r->path[0] == '\0') {
        *error = g_strdup("path: missing");
        return FALSE;
    }
    /* A missing or bad source is reported when it is loaded, with the
     * file and line: it may appear later, and the table must load. */
    return TRUE;
}

static void uat_changed(void)
{
    /* Nothing to do now: the fingerprint differs, so the next pass
     * rebuilds the set. */
}

/* The "Key sources" table: like the keys file preference, but any
 * number of files and directories, all loaded together with it. */
static void ol_sources_register(module_t *module)
{
    static uat_field_t fields[] = {
        UAT_FLD_FILENAME_OTHER(
            ol_source, path, "Path", uat_fld_chk_str,
            "A keys file, a libcoap OSCORE configuration "
            "(coap-oscore-conf(5)), "
            "an aiocoap security-context directory (settings.json) or "
            "an aiocoap credentials file (keys/README.md)"),
        UAT_END_FIELDS};
    uat_t *uat = uat_new("OSCORE layers key sources", sizeof(ol_source_row),
                         "oscore_layers_key_sources", TRUE, &source_rows,
                         &source_row_count, UAT_AFFECTS_DISSECTION,
                         "ChUserTable", source_row_copy, source_row_update,
                         source_row_free, uat_changed, NULL, fields);
    prefs_register_uat_preference(
        module, "key_sources", "Key sources",
        "Files and directories with security contexts, in any format the "
        "keys file preference accepts; all are loaded",
        uat);
}

void ol_keys_register(module_t *module)
{
    /* Titles are short because the table dialog opens at a fixed width
     * and sizes each empty column to its title: with "Master Secret" and
     * "Master Salt" the last column was cut ("AEA"). The description (the
     * header's tooltip) gives the RFC 8613 3.2 name and the format. */
    static uat_field_t fields[] = {
        UAT_FLD_CSTRING(ol_uat, name, "Name",
                        "Context name shown in the tree and Info column"),
        UAT_FLD_CSTRING(ol_uat, master_secret, "Secret", "Master Secret, hex"),
        UAT_FLD_CSTRING(ol_uat, master_salt, "Salt",
                        "Master Salt, hex, may be empty"),
        UAT_FLD_CSTRING(ol_uat, id_context, "ID Context",
                        "ID Context, hex; empty = no ID Context"),
        UAT_FLD_CSTRING(ol_uat, sender_id, "Sender ID",
                        "Hex: the requester's ID (kid of its requests)"),
        UAT_FLD_CSTRING(ol_uat, recipient_id, "Recipient ID",
                        "Hex: the responder's ID"),
        UAT_FLD_CSTRING(ol_uat, aead, "AEAD",
                        "AEAD Algorithm: COSE id or name; empty = 10 "
                        "(AES-CCM-16-64-128)"),
        UAT_FLD_CSTRING(
            ol_uat, hkdf, "HKDF",
            "HKDF Algorithm: HKDF-SHA-256 (default) or HKDF-SHA-512"),
        UAT_END_FIELDS};

    /* The help argument is a page of the Wireshark User's Guide: the
     * dialog's Help button opens user_guide_url(help + ".html") (4.0's
     * ui/qt/uat_dialog.cpp), never another address, and stays greyed out
     * without one. ChUserTable explains how such a table is edited and
     * stored; the columns are explained by their tooltips. */
    uat_t *uat = contexts_uat = uat_new(
        "OSCORE layers contexts", sizeof(ol_uat_row), "oscore_layers_contexts",
        TRUE, &uat_rows, &uat_row_count, UAT_AFFECTS_DISSECTION, "ChUserTable",
        uat_row_copy, uat_row_update, uat_row_free, uat_changed, NULL, fields);
    prefs_register_uat_preference(
        module, "contexts", "Security contexts",
        "OSCORE security contexts, one per layer a capture may carry", uat);
    ol_group_keys_register(module);
    prefs_register_filename_preference(
        module, "keys_file", "Keys file",
        "A key source (keys/README.md): a keys file with one [name] group "
        "per context, a libcoap OSCORE configuration (coap-oscore-conf(5)), "
        "an aiocoap security-context directory or credentials file",
        &ol_pref.keys_file, FALSE);
    ol_sources_register(module);
}

/* ---- the built-in OSCORE table ---- */

/* The built-in table is read through the generic UAT interface (field
 * names and printed values), not through its record layout, which
 * belongs to another dissector and may change between versions. */
static char *builtin_field(uat_t *uat, void *rec, const char *name_part)
{
    for (guint c = 0; c < uat->ncols; c++) {
        if (strstr(uat->fields[c].name, name_part) != NULL) {
            return uat_fld_tostr(rec, &uat->fields[c]);
        }
    }
    return NULL;
}

typedef void (*row_visitor)(const char *name, const oscore_keyfile_fields *f,
                            void *user);

static void visit_builtin_rows(row_visitor visit, void *user)
{
    uat_t *uat = uat_get_table_by_name("Security Contexts");
    if (uat == NULL || uat->user_data == NULL) {
        return;
    }
    for (guint i = 0; i < uat->user_data->len; i++) {
        void *rec = UAT_USER_INDEX_PTR(uat, i);
        char *secret = builtin_field(uat, rec, "master_secret");
        char *salt = builtin_field(uat, rec, "master_salt");
        char *idctx = builtin_field(uat, rec, "id_context");
        char *sid = builtin_field(uat, rec, "sender_id");
        char *rid = builtin_field(uat, rec, "recipient_id");
        char *alg = builtin_field(uat, rec, "algorithm");
        /* The algorithm prints as a name with a comment in brackets, e.g.
         * "AES-CCM-16-64-128 (CCM*)": keep the first word. */
        if (alg != NULL) {
            char *space = strchr(alg, ' ');
            if (space != NULL) {
                *space = '\0';
            }
        }
        oscore_keyfile_fields f = {
            .master_secret = secret,
            .master_salt = salt,
            .id_context = (idctx && idctx[0] != '\0') ? idctx : NULL,
            .sender_id = sid ? sid : "",
            .recipient_id = rid ? rid : "",
            .aead = (alg && osc_aead_by_name(alg) != NULL) ? alg : NULL,
            .hkdf = NULL,
        };
        char *name = g_strdup_printf("oscore_contexts#%u", i + 1);
        visit(name, &f, user);
        g_free(name);
        g_free(secret);
        g_free(salt);
        g_free(idctx);
        g_free(sid);
        g_free(rid);
        g_free(alg);
    }
}

static void visit_uat_rows(row_visitor visit, void *user)
{
    for (guint i = 0; i < uat_row_count; i++) {
        oscore_keyfile_fields f = row_fields(&uat_rows[i]);
        visit(uat_rows[i].name, &f, user);
    }
}

void ol_fingerprint_strings(GChecksum *sum, const char *const *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        /* Distinguish NULL from "" and keep fields apart. */
        g_checksum_update(sum, (const guchar *)(s[i] ? "+" : "-"), 1);
        if (s[i] != NULL) {
            g_checksum_update(sum, (const guchar *)s[i], -1);
        }
        g_checksum_update(sum, (const guchar *)"\n", 1);
    }
}

static void fingerprint_row(const char *name, const oscore_keyfile_fields *f,
                            void *user)
{
    GChecksum *sum = user;
    const char *parts[] = {name,          f->master_secret, f->master_salt,
                           f->id_context, f->sender_id,     f->recipient_id,
                           f->aead,       f->hkdf};
    ol_fingerprint_strings(sum, parts, G_N_ELEMENTS(parts));
}

static void add_row(const char *name, const oscore_keyfile_fields *f,
                    void *user)
{
    osc_context_set *set = user;
    osc_context_params p;
    osc_context ctx;
    char err[256];
    if (!oscore_keyfile_params_from_fields(f, &p, err, sizeof err)) {
        report_warning("OSCORE layers: context \"%s\": %s", name, err);
    } else if (osc_context_derive(&p, &ctx) != OSC_OK) {
        report_warning("OSCORE layers: context \"%s\": cannot derive keys",
                       name);
    } else {
        osc_context_set_add(set, name, &ctx, NULL);
    }
    memset(&p, 0, sizeof p);
    memset(&ctx, 0, sizeof ctx);
}

bool ol_uat_row_name_usable(const uat_t *uat, guint index, const char *column,
                            const char *name)
{
    char *error = NULL;
    if (ol_uat_name_ok(column, name, &error)) {
        return true;
    }
    report_warning("%s row %u: %s", uat->name, ol_uat_shown_row(uat, index),
                   error);
    g_free(error);
    return false;
}

/* The rows of the contexts table to add. Names are checked again: a row
 * whose edit-time check failed can still reach the dissector (Wireshark
 * 4.0 keeps such rows of a table file), and a name reaches the tree. */
static void add_uat_rows(osc_context_set *set)
{
    for (guint i = 0; i < uat_row_count; i++) {
        if (!ol_uat_row_name_usable(contexts_uat, i, "name",
                                    uat_rows[i].name)) {
            continue;
        }
        oscore_keyfile_fields f = row_fields(&uat_rows[i]);
        add_row(uat_rows[i].name, &f, set);
    }
}

/* The key sources in load order: the keys file preference, then the
 * rows of the "Key sources" table (the paths are not copied). */
static GPtrArray *key_sources(void)
{
    GPtrArray *paths = g_ptr_array_new();
    if (ol_pref.keys_file != NULL && ol_pref.keys_file[0] != '\0') {
        g_ptr_array_add(paths, (gpointer)ol_pref.keys_file);
    }
    for (guint i = 0; i < source_row_count; i++) {
        if (source_rows[i].path != NULL && source_rows[i].path[0] != '\0') {
            g_ptr_array_add(paths, source_rows[i].path);
        }
    }
    return paths;
}

/* Loads one key source into set, reporting its problems. */
static void load_source(const char *path, osc_context_set *set)
{
    oscore_keyfile *kf = oscore_keyfile_load(path);
    /* A file that is not a keys file gives an error per line: show the
     * first ones only (every one is a warning for the user). */
    for (size_t i = 0; i < kf->error_count && i < MAX_REPORTED_ERRORS; i++) {
        report_warning("OSCORE layers keys file: %s", kf->errors[i]);
    }
    if (kf->error_count > MAX_REPORTED_ERRORS) {
        report_warning("OSCORE layers keys file: %s: %zu more problems "
                       "not shown",
                       path, kf->error_count - MAX_REPORTED_ERRORS);
    }
    if (kf->error_count == 0 && kf->entry_count == 0 && kf->group_count == 0) {
        /* An empty file (or only comments) is no error, but decrypting
         * nothing without a word would leave the user guessing. */
        report_warning("OSCORE layers keys file: %s: no security "
                       "contexts in it",
                       path);
    }
    oscore_keyfile_add_to_set(kf, set);
    oscore_keyfile_free(kf);
}

static char *inputs_fingerprint(void)
{
    GChecksum *sum = g_checksum_new(G_CHECKSUM_SHA256);
    GPtrArray *paths = key_sources();
    for (guint i = 0; i < paths->len; i++) {
        /* The digest covers every file a source reads (an aiocoap
         * credentials file names directories), not only its path. */
        char digest[65];
        oscore_keyfile_digest(g_ptr_array_index(paths, i), digest);
        g_checksum_update(sum, (const guchar *)digest, -1);
    }
    g_ptr_array_free(paths, TRUE);
    g_checksum_update(sum, (const guchar *)"\n--uat--\n", -1);
    visit_uat_rows(fingerprint_row, sum);
    g_checksum_update(sum, (const guchar *)"\n--groups--\n", -1);
    ol_group_keys_fingerprint(sum);
    g_checksum_update(sum, (const guchar *)"\n--builtin--\n", -1);
    visit_builtin_rows(fingerprint_row, sum);
    char *fingerprint = g_strdup(g_checksum_get_string(sum));
    g_checksum_free(sum);
    return fingerprint;
}

const osc_context_set *ol_keys_refresh(void)
{
    char *fingerprint = inputs_fingerprint();
    if (current_set != NULL && current_fingerprint != NULL &&
        strcmp(fingerprint, current_fingerprint) == 0) {
        g_free(fingerprint);
        return current_set;
    }

    osc_context_set *set = osc_context_set_new();
    if (set == NULL) {
        g_free(fingerprint);
        return current_set;
    }
    /* Order matters only for display: the key sources first. */
    GPtrArray *paths = key_sources();
    for (guint i = 0; i < paths->len; i++) {
        load_source(g_ptr_array_index(paths, i), set);
    }
    g_ptr_array_free(paths, TRUE);
    add_uat_rows(set);
    ol_group_keys_add(set);
    visit_builtin_rows(add_row, set);

    osc_context_set_free(current_set);
    current_set = set;
    g_free(current_fingerprint);
    current_fingerprint = fingerprint;
    return current_set;
}

const osc_context_set *ol_keys_current(void)
{
    return current_set != NULL ? current_set : ol_keys_refresh();
}

void ol_keys_cleanup(void)
{
    /* The set survives between files (it does not depend on them); it is
     * only replaced by ol_keys_refresh. */
}
