/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * aiocoap's key sources (keys/README.md, "aiocoap"):
 *  - a security-context directory (aiocoap.oscore.FilesystemSecurityContext):
 *    settings.json and/or secret.json, each a JSON object whose members
 *    are "<setting>_hex" or "<setting>_ascii" for the byte strings
 *    sender-id, recipient-id, secret, salt, id-context, and "algorithm",
 *    "kdf-hashfun", "window"; a setting may be in one of the two files
 *    only. sequence.json (sequence numbers, replay window) and the lock
 *    file are an endpoint's state: never read.
 *  - a credentials map (aiocoap.credentials.CredentialsMap, loaded from
 *    JSON): an object from URI patterns or ":name" to an entry; an entry
 *    {"oscore": {"basedir": DIR}} (older: "contextfile") points to such a
 *    directory, relative to the credentials file; other credential types
 *    and references (strings) carry no OSCORE context and are skipped.
 * Messages name the file and the JSON path, e.g.
 * "c-s/settings.json: $.sender-id_hex: not hex".
 */
#include <glib.h>
#include <json-glib/json-glib.h>
#include <stdio.h>
#include <string.h>

#include "keyfile_internal.h"

/* A JSON path member: $.name when the name is plain, $["name"] when
 * not. */
static char *ai_path(const char *parent, const char *member)
{
    for (const char *p = member; *p != '\0'; p++) {
        if (!g_ascii_isalnum(*p) && *p != '_' && *p != '-') {
            return g_strdup_printf("%s[\"%s\"]", parent, member);
        }
    }
    return member[0] == '\0' ? g_strdup_printf("%s[\"\"]", parent)
                             : g_strdup_printf("%s.%s", parent, member);
}

/* Parses JSON text; NULL (with the message added, naming file and line)
 * when it is not JSON. The parser owns the returned root. */
static JsonNode *ai_parse(JsonParser *parser, const char *data, size_t len,
                          const char *file, kf_result *r)
{
    GError *gerr = NULL;
    if (memchr(data, '\0', len) != NULL) {
        kf_result_error(r, "%s:0: NUL byte in the file (not JSON text)", file);
        return NULL;
    }
    if (!json_parser_load_from_data(parser, data, (gssize)len, &gerr)) {
        /* json-glib writes "<data>:LINE:COLUMN: Parse error: ..." */
        const char *msg = gerr->message;
        if (g_str_has_prefix(msg, "<data>:")) {
            msg += strlen("<data>:");
        }
        kf_result_error(r, "%s:%s", file, msg);
        g_error_free(gerr);
        return NULL;
    }
    JsonNode *root = json_parser_get_root(parser);
    if (root == NULL || !JSON_NODE_HOLDS_OBJECT(root)) {
        kf_result_error(r, "%s: $: not a JSON object", file);
        return NULL;
    }
    return root;
}

/* ---- security-context directory ---- */

/* Settings of FilesystemSecurityContext; byte strings come as _hex or
 * _ascii. */
static const char *const ai_byte_settings[] = {
    "secret", "salt", "id-context", "sender-id", "recipient-id",
};
static const char *const ai_text_settings[] = {"algorithm", "kdf-hashfun"};

typedef struct ai_setting {
    char *value;  /* hex for byte strings, the text otherwise */
    char *file;   /* the JSON file it came from */
    char *member; /* its member name there */
} ai_setting;

typedef struct ai_ctx {
    kf_result *r;
    GHashTable *settings; /* setting name -> ai_setting * */
    bool bad;
    char *first_file; /* settings.json or else secret.json: for messages */
} ai_ctx;

static void ai_setting_free(gpointer p)
{
    ai_setting *s = p;
    if (s->value != NULL) {
        memset(s->value, 0, strlen(s->value)); /* may be the secret */
    }
    g_free(s->value);
    g_free(s->file);
    g_free(s->member);
    g_free(s);
}

static void ai_error(ai_ctx *c, const char *file, const char *member,
                     const char *fmt, ...) G_GNUC_PRINTF(4, 5);

static void ai_error(ai_ctx *c, const char *file, const char *member,
                     const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    char *path = member != NULL ? ai_path("$", member) : g_strdup("$");
    kf_result_error(c->r, "%s: %s: %s", file, path, msg);
    g_free(path);
    g_free(msg);
    c->bad = true;
}

static bool in_list(const char *const *list, size_t n, const char *s)
{
    for (size_t i = 0; i < n; i++) {
        if (strcmp(list[i], s) == 0) {
            return true;
        }
    }
    return false;
}

/* The value of a byte-string member as hex, or NULL with a message. */
static char *ai_bytes(ai_ctx *c, const char *file, const char *member,
                      const char *text, bool hex)
{
    size_t n = strlen(text);
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)text[i];
        if (hex ? !g_ascii_isxdigit(ch) : ch >= 0x80) {
            ai_error(c, file, member, "%s", hex ? "not hex" : "not ASCII");
            return NULL;
        }
    }
    if (hex && n % 2 != 0) {
        ai_error(c, file, member, "odd number of hex digits");
        return NULL;
    }
    return hex ? g_ascii_strdown(text, -1) : kf_hex((const guint8 *)text, n);
}

/* One member of settings.json or secret.json. */
static void ai_member(ai_ctx *c, const char *file, const char *member,
                      JsonNode *node)
{
    bool hex = g_str_has_suffix(member, "_hex");
    bool ascii = g_str_has_suffix(member, "_ascii");
    char *name = hex     ? g_strndup(member, strlen(member) - 4)
                 : ascii ? g_strndup(member, strlen(member) - 6)
                         : g_strdup(member);
    bool bytes =
        (hex || ascii) &&
        in_list(ai_byte_settings, G_N_ELEMENTS(ai_byte_settings), name);
    bool text = !hex && !ascii &&
                in_list(ai_text_settings, G_N_ELEMENTS(ai_text_settings), name);
    bool is_string = JSON_NODE_HOLDS_VALUE(node) &&
                     json_node_get_value_type(node) == G_TYPE_STRING;
    char *value = NULL;
    ai_setting *other = g_hash_table_lookup(c->settings, name);
    if (strcmp(member, "window") == 0) {
        /* The replay window size: an endpoint's matter. */
        if (!JSON_NODE_HOLDS_VALUE(node) ||
            json_node_get_value_type(node) != G_TYPE_INT64) {
            ai_error(c, file, member, "not an integer");
        }
    } else if (!bytes && !text) {
        ai_error(c, file, member,
                 "not a setting of an aiocoap security context");
    } else if (!is_string) {
        ai_error(c, file, member, "not a string");
    } else if (other != NULL) {
        char *where = ai_path("$", other->member);
        ai_error(c, file, member, "%s given again (also %s in %s)", name, where,
                 other->file);
        g_free(where);
    } else if (bytes) {
        value = ai_bytes(c, file, member, json_node_get_string(node), hex);
    } else {
        value = g_strdup(json_node_get_string(node));
    }
    if (value != NULL) {
        ai_setting *s = g_new0(ai_setting, 1);
        *s = (ai_setting){value, g_strdup(file), g_strdup(member)};
        g_hash_table_insert(c->settings, g_strdup(name), s);
    }
    g_free(name);
}

/* Reads dir/file_name if it exists; false when it does not. */
static bool ai_read_settings(ai_ctx *c, const char *dir, const char *file_name,
                             GChecksum *sum)
{
    char *file = g_build_filename(dir, file_name, NULL);
    if (!g_file_test(file, G_FILE_TEST_EXISTS)) {
        g_free(file);
        return false;
    }
    if (c->first_file == NULL) {
        c->first_file = g_strdup(file);
    }
    char *data = NULL;
    size_t len = 0;
    char err[256];
    if (!kf_read_source(file, sum, &data, &len, err, sizeof err)) {
        kf_result_error(c->r, "%s:0: cannot read: %s", file, err);
        c->bad = true;
    } else {
        JsonParser *parser = json_parser_new();
        JsonNode *root = ai_parse(parser, data, len, file, c->r);
        c->bad = c->bad || root == NULL;
        GList *members =
            root != NULL ? json_object_get_members(json_node_get_object(root))
                         : NULL;
        for (GList *m = members; m != NULL; m = m->next) {
            ai_member(
                c, file, m->data,
                json_object_get_member(json_node_get_object(root), m->data));
        }
        g_list_free(members);
        g_object_unref(parser);
        if (data != NULL) {
            memset(data, 0, len);
        }
    }
    g_free(data);
    g_free(file);
    return true;
}

static const char *ai_value(const ai_ctx *c, const char *name)
{
    const ai_setting *s = g_hash_table_lookup(c->settings, name);
    return s != NULL ? s->value : NULL;
}

/* aiocoap's hash function names for the HKDF (RFC 8613 3.2.1). */
static const char *ai_hkdf(ai_ctx *c)
{
    const ai_setting *s = g_hash_table_lookup(c->settings, "kdf-hashfun");
    if (s == NULL) {
        return NULL;
    }
    if (strcmp(s->value, "sha256") == 0) {
        return "HKDF-SHA-256";
    }
    if (strcmp(s->value, "sha512") == 0) {
        return "HKDF-SHA-512";
    }
    ai_error(c, s->file, s->member, "\"%s\" is not supported (sha256, sha512)",
             s->value);
    return NULL;
}

/* A message of oscore_keyfile_params_from_fields ("field: text") said of
 * the JSON member the field came from. */
static void ai_field_error(ai_ctx *c, const char *dir, const char *err)
{
    static const char *const map[][2] = {
        {"master_secret", "secret"},      {"master_salt", "salt"},
        {"id_context", "id-context"},     {"sender_id", "sender-id"},
        {"recipient_id", "recipient-id"}, {"aead", "algorithm"},
        {"hkdf", "kdf-hashfun"},
    };
    for (size_t i = 0; i < G_N_ELEMENTS(map); i++) {
        size_t n = strlen(map[i][0]);
        const ai_setting *s = g_hash_table_lookup(c->settings, map[i][1]);
        if (strncmp(err, map[i][0], n) == 0 && err[n] == ':' && s != NULL) {
            ai_error(c, s->file, s->member, "%s",
                     g_strchug((char *)err + n + 1));
            return;
        }
    }
    kf_result_error(c->r, "%s: %s", dir, err);
}

/* Turns the settings read into one context named name. */
static void ai_context(ai_ctx *c, const char *dir, const char *name)
{
    static const char *const required[] = {"secret", "sender-id",
                                           "recipient-id"};
    for (size_t i = 0; i < G_N_ELEMENTS(required); i++) {
        if (ai_value(c, required[i]) == NULL) {
            kf_result_error(c->r, "%s: $: %s_hex or %s_ascii missing",
                            c->first_file, required[i], required[i]);
            return;
        }
    }
    const char *hkdf = ai_hkdf(c);
    if (c->bad) {
        return;
    }
    oscore_keyfile_fields f = {
        .master_secret = ai_value(c, "secret"),
        .master_salt = ai_value(c, "salt"),
        .id_context = ai_value(c, "id-context"),
        .sender_id = ai_value(c, "sender-id"),
        .recipient_id = ai_value(c, "recipient-id"),
        .aead = ai_value(c, "algorithm"),
        .hkdf = hkdf,
    };
    char err[256];
    if (!kf_result_add_fields(c->r, name, 0, &f, err, sizeof err)) {
        ai_field_error(c, dir, err);
    }
}

/* Loads the context of directory dir into r under name. */
static void ai_load_dir_into(kf_result *r, const char *dir, const char *name,
                             GChecksum *sum)
{
    ai_ctx c = {
        .r = r,
        .settings = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
                                          ai_setting_free),
    };
    /* settings.json first, so that it is the file messages name. */
    bool found = ai_read_settings(&c, dir, "settings.json", sum);
    found = ai_read_settings(&c, dir, "secret.json", sum) || found;
    if (!g_file_test(dir, G_FILE_TEST_IS_DIR)) {
        kf_result_error(r,
                        "%s:0: not a directory (an aiocoap security "
                        "context is a directory)",
                        dir);
    } else if (!found) {
        kf_result_error(r,
                        "%s:0: neither settings.json nor secret.json in it "
                        "(not an aiocoap security context)",
                        dir);
    } else if (!c.bad) {
        ai_context(&c, dir, name);
    }
    g_hash_table_destroy(c.settings);
    g_free(c.first_file);
}

/* A directory's context name: its base name ("keys/c-s/" -> "c-s"). */
static char *ai_dir_name(const char *dir)
{
    char *copy = g_strdup(dir);
    size_t n = strlen(copy);
    while (n > 1 && copy[n - 1] == G_DIR_SEPARATOR) {
        copy[--n] = '\0';
    }
    char *base = g_path_get_basename(copy);
    char *name = kf_display_name(base);
    g_free(base);
    g_free(copy);
    return name;
}

oscore_keyfile *kf_load_aiocoap_dir(const char *dir, GChecksum *sum)
{
    kf_result r;
    kf_result_init(&r);
    char *name = ai_dir_name(dir);
    ai_load_dir_into(&r, dir, name, sum);
    g_free(name);
    return kf_result_finish(&r);
}

/* ---- detection ---- */

oscore_keyfile_format kf_aiocoap_detect(const char *json, size_t len)
{
    oscore_keyfile_format fmt = OSCORE_KEYFILE_FORMAT_AIOCOAP_CREDENTIALS;
    JsonParser *parser = json_parser_new();
    if (memchr(json, '\0', len) == NULL &&
        json_parser_load_from_data(parser, json, (gssize)len, NULL) &&
        json_parser_get_root(parser) != NULL &&
        JSON_NODE_HOLDS_OBJECT(json_parser_get_root(parser))) {
        JsonObject *o = json_node_get_object(json_parser_get_root(parser));
        GList *members = json_object_get_members(o);
        for (GList *m = members; m != NULL; m = m->next) {
            const char *name = m->data;
            if (g_str_has_suffix(name, "_hex") ||
                g_str_has_suffix(name, "_ascii") ||
                in_list(ai_text_settings, G_N_ELEMENTS(ai_text_settings),
                        name)) {
                fmt = OSCORE_KEYFILE_FORMAT_AIOCOAP_CONTEXT;
            }
        }
        g_list_free(members);
    }
    g_object_unref(parser);
    return fmt;
}

/* ---- credentials map ---- */

/* The directory of an {"oscore": {...}} entry at path, or NULL with a
 * message. */
static const char *ai_oscore_dir(kf_result *r, const char *file,
                                 const char *path, JsonNode *node)
{
    char *oscore_path = ai_path(path, "oscore");
    const char *dir = NULL;
    bool bad = !JSON_NODE_HOLDS_OBJECT(node);
    if (bad) {
        kf_result_error(r, "%s: %s: not an object", file, oscore_path);
    }
    JsonObject *o = bad ? NULL : json_node_get_object(node);
    GList *members = bad ? NULL : json_object_get_members(o);
    for (GList *m = members; m != NULL; m = m->next) {
        JsonNode *v = json_object_get_member(o, m->data);
        char *full = ai_path(oscore_path, m->data);
        if (strcmp(m->data, "basedir") != 0 &&
            strcmp(m->data, "contextfile") != 0) {
            kf_result_error(r, "%s: %s: unknown (basedir names the directory)",
                            file, full);
            bad = true;
        } else if (!JSON_NODE_HOLDS_VALUE(v) ||
                   json_node_get_value_type(v) != G_TYPE_STRING) {
            kf_result_error(r, "%s: %s: not a string", file, full);
            bad = true;
        } else if (dir != NULL) {
            kf_result_error(r, "%s: %s: basedir and contextfile both given",
                            file, full);
            bad = true;
        } else {
            dir = json_node_get_string(v);
        }
        g_free(full);
    }
    g_list_free(members);
    if (!bad && dir == NULL) {
        kf_result_error(r, "%s: %s: basedir missing", file, oscore_path);
    }
    g_free(oscore_path);
    return bad ? NULL : dir;
}

/* One member of the credentials map. */
static void ai_credential(kf_result *r, const char *file, const char *key,
                          JsonNode *node, GHashTable *seen, GChecksum *sum)
{
    char *path = ai_path("$", key);
    if (JSON_NODE_HOLDS_NULL(node) ||
        (JSON_NODE_HOLDS_VALUE(node) &&
         json_node_get_value_type(node) == G_TYPE_STRING)) {
        /* null removes an entry, a string refers to another one. */
    } else if (!JSON_NODE_HOLDS_OBJECT(node)) {
        kf_result_error(r, "%s: %s: not an object, a reference or null", file,
                        path);
    } else if (json_object_get_size(json_node_get_object(node)) != 1) {
        kf_result_error(r,
                        "%s: %s: an entry has exactly one member (its "
                        "credential type), this one %u",
                        file, path,
                        json_object_get_size(json_node_get_object(node)));
    } else if (json_object_has_member(json_node_get_object(node), "oscore")) {
        const char *dir = ai_oscore_dir(
            r, file, path,
            json_object_get_member(json_node_get_object(node), "oscore"));
        if (dir != NULL) {
            /* Relative to the credentials file's directory, itself made
             * absolute first (g_canonicalize_filename needs that). */
            char *parent = g_path_get_dirname(file);
            char *base = g_canonicalize_filename(parent, NULL);
            char *full = g_canonicalize_filename(dir, base);
            g_free(parent);
            /* Several URIs may share one context: load it once, under the
             * first entry's name. */
            if (!g_hash_table_contains(seen, full)) {
                /* The key names the context; an empty one (":" or "")
                 * would show as nothing: the directory's name then. */
                const char *shown = key[0] == ':' ? key + 1 : key;
                char *name = shown[0] != '\0' ? kf_display_name(shown)
                                              : ai_dir_name(full);
                ai_load_dir_into(r, full, name, sum);
                g_free(name);
                g_hash_table_add(seen, full);
                full = NULL;
            }
            g_free(full);
            g_free(base);
        }
    }
    /* Other credential types (dtls, tlscert, any-of, ...) hold no OSCORE
     * context. */
    g_free(path);
}

oscore_keyfile *kf_load_aiocoap_credentials(const char *data, size_t len,
                                            const char *source, GChecksum *sum)
{
    kf_result r;
    kf_result_init(&r);
    JsonParser *parser = json_parser_new();
    JsonNode *root = ai_parse(parser, data, len, source, &r);
    if (root != NULL) {
        JsonObject *o = json_node_get_object(root);
        GHashTable *seen =
            g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
        GList *members = json_object_get_members(o);
        for (GList *m = members; m != NULL; m = m->next) {
            ai_credential(&r, source, m->data,
                          json_object_get_member(o, m->data), seen, sum);
        }
        g_list_free(members);
        g_hash_table_destroy(seen);
    }
    g_object_unref(parser);
    return kf_result_finish(&r);
}
