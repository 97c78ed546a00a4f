/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "test_support.h"

#include <json-glib/json-glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "oscore/engine.h"

static unsigned passed_count;
static unsigned failed_count;
static const char *vectors_dir = ".";

void tests_init(int argc, char **argv)
{
    osc_status status = osc_engine_init();
    if (status != OSC_OK) {
        fprintf(stderr, "%s: %s\n", argv[0], osc_status_message(status));
        exit(1);
    }
    if (argc > 1)
        vectors_dir = argv[1];
}

const char *tests_vectors_dir(void)
{
    return vectors_dir;
}

int tests_finish(void)
{
    printf("%u passed, %u failed\n", passed_count, failed_count);
    return failed_count == 0 ? 0 : 1;
}

bool test_check(bool ok, const char *file, int line, const char *expr)
{
    if (ok) {
        passed_count++;
    } else {
        failed_count++;
        fprintf(stderr, "%s:%d: check failed: %s\n", file, line, expr);
    }
    return ok;
}

static void print_hex(FILE *f, const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        fprintf(f, "%02x", p[i]);
}

bool test_check_bytes(const uint8_t *got, size_t got_len, const uint8_t *want,
                      size_t want_len, const char *file, int line,
                      const char *what)
{
    bool ok = got_len == want_len &&
              (want_len == 0 || memcmp(got, want, want_len) == 0);
    if (!test_check(ok, file, line, what)) {
        fprintf(stderr, "  got  (%zu): ", got_len);
        print_hex(stderr, got, got_len);
        fprintf(stderr, "\n  want (%zu): ", want_len);
        print_hex(stderr, want, want_len);
        fprintf(stderr, "\n");
    }
    return ok;
}

bool test_check_int(long long got, long long want, const char *file, int line,
                    const char *expr)
{
    bool ok = got == want;
    if (!test_check(ok, file, line, expr))
        fprintf(stderr, "  got %lld, want %lld\n", got, want);
    return ok;
}

size_t hex_to_bytes(const char *hex, uint8_t *out, size_t cap)
{
    size_t n = strlen(hex);
    if (n % 2 != 0 || n / 2 > cap) {
        fprintf(stderr, "bad hex (length %zu, capacity %zu): %s\n", n, cap,
                hex);
        abort();
    }
    for (size_t i = 0; i < n / 2; i++) {
        int hi = g_ascii_xdigit_value(hex[2 * i]);
        int lo = g_ascii_xdigit_value(hex[2 * i + 1]);
        if (hi < 0 || lo < 0) {
            fprintf(stderr, "bad hex digit in %s\n", hex);
            abort();
        }
        out[i] = (uint8_t)(hi << 4 | lo);
    }
    return n / 2;
}

struct test_vectors {
    GPtrArray *names;   /* char * */
    GHashTable *values; /* name -> hex */
};

static test_vectors *vectors_new(void)
{
    test_vectors *v = g_new0(test_vectors, 1);
    v->names = g_ptr_array_new_with_free_func(g_free);
    v->values = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, g_free);
    return v;
}

static void vectors_put(test_vectors *v, const char *name, const char *hex)
{
    char *key = g_strdup(name);
    g_ptr_array_add(v->names, key);
    g_hash_table_replace(v->values, key, g_strdup(hex));
}

static JsonNode *load_json(const char *file_name)
{
    char *path = g_build_filename(vectors_dir, file_name, NULL);
    JsonParser *parser = json_parser_new();
    GError *error = NULL;
    if (!json_parser_load_from_file(parser, path, &error)) {
        fprintf(stderr, "cannot load %s: %s\n", path, error->message);
        abort();
    }
    JsonNode *root = json_node_copy(json_parser_get_root(parser));
    g_object_unref(parser);
    g_free(path);
    return root;
}

test_vectors *vectors_load_object(const char *file_name)
{
    JsonNode *root = load_json(file_name);
    if (!JSON_NODE_HOLDS_OBJECT(root)) {
        fprintf(stderr, "%s: not a JSON object\n", file_name);
        abort();
    }
    test_vectors *v = vectors_new();
    JsonObject *obj = json_node_get_object(root);
    GList *members = json_object_get_members(obj);
    for (GList *m = members; m; m = m->next) {
        const char *name = m->data;
        JsonNode *node = json_object_get_member(obj, name);
        if (JSON_NODE_HOLDS_VALUE(node) &&
            json_node_get_value_type(node) == G_TYPE_STRING)
            vectors_put(v, name, json_node_get_string(node));
    }
    g_list_free(members);
    json_node_unref(root);
    return v;
}

test_vectors *vectors_load_appendix_c(const char *file_name)
{
    JsonNode *root = load_json(file_name);
    if (!JSON_NODE_HOLDS_ARRAY(root)) {
        fprintf(stderr, "%s: not a JSON array\n", file_name);
        abort();
    }
    test_vectors *v = vectors_new();
    JsonArray *rows = json_node_get_array(root);
    for (guint i = 0; i < json_array_get_length(rows); i++) {
        JsonArray *row = json_array_get_array_element(rows, i);
        if (!row || json_array_get_length(row) != 4) {
            fprintf(stderr, "%s: row %u is not [section, name, hex, len]\n",
                    file_name, i);
            abort();
        }
        const char *section = json_array_get_string_element(row, 0);
        const char *name = json_array_get_string_element(row, 1);
        const char *hex = json_array_get_string_element(row, 2);
        /* Rows with a null length hold decimal or descriptive values
         * ("Sender Sequence Number": "20"); the others are hex whose
         * digit count the length column confirms. */
        bool is_hex = !json_array_get_null_element(row, 3);
        gint64 length = is_hex ? json_array_get_int_element(row, 3) : 0;
        if (is_hex && (gint64)strlen(hex) != 2 * length) {
            fprintf(stderr, "%s: %s/%s: hex has %zu digits, length %lld\n",
                    file_name, section, name, strlen(hex), (long long)length);
            abort();
        }
        char *key = g_strdup_printf("%s/%s", section, name);
        vectors_put(v, key, hex);
        g_free(key);
    }
    json_node_unref(root);
    return v;
}

bool vectors_has(const test_vectors *v, const char *name)
{
    return g_hash_table_contains(v->values, name);
}

const char *vectors_hex(const test_vectors *v, const char *name)
{
    const char *hex = g_hash_table_lookup(v->values, name);
    if (!hex) {
        fprintf(stderr, "vector %s missing\n", name);
        abort();
    }
    return hex;
}

size_t vectors_bytes(const test_vectors *v, const char *name, uint8_t *out,
                     size_t cap)
{
    return hex_to_bytes(vectors_hex(v, name), out, cap);
}

long long vectors_decimal(const test_vectors *v, const char *name)
{
    const char *text = vectors_hex(v, name);
    char *end = NULL;
    long long value = g_ascii_strtoll(text, &end, 10);
    if (end == text) {
        fprintf(stderr, "vector %s is not a number: %s\n", name, text);
        abort();
    }
    return value;
}

size_t vectors_count(const test_vectors *v)
{
    return v->names->len;
}

const char *vectors_name(const test_vectors *v, size_t i)
{
    return g_ptr_array_index(v->names, i);
}

void vectors_free(test_vectors *v)
{
    g_hash_table_destroy(v->values);
    g_ptr_array_free(v->names, TRUE);
    g_free(v);
}

void test_nested_context(const char *name, osc_context *ctx)
{
    /* The inputs of nested-example-5.9.json (tests/vectors/README.md):
     * AES-CCM-16-64-128, HKDF-SHA-256, no ID Context. */
    static const struct {
        const char *name;
        const char *master_secret;
        const char *master_salt;
        const char *sender_id;
        const char *recipient_id;
    } inputs[] = {
        {"C-S", "0102030405060708090a0b0c0d0e0f10", "9e7ca92223786340", "5f",
         "01"},
        {"C-P", "1112131415161718191a1b1c1d1e1f20", "", "20", "50"},
        {"P-S", "2122232425262728292a2b2c2d2e2f30", "", "d4", "02"},
    };
    for (size_t i = 0; i < sizeof inputs / sizeof inputs[0]; i++) {
        if (strcmp(inputs[i].name, name) != 0)
            continue;
        osc_context_params params;
        osc_context_params_init(&params);
        params.master_secret_len =
            hex_to_bytes(inputs[i].master_secret, params.master_secret,
                         sizeof params.master_secret);
        params.master_salt_len =
            hex_to_bytes(inputs[i].master_salt, params.master_salt,
                         sizeof params.master_salt);
        params.sender_id_len = hex_to_bytes(
            inputs[i].sender_id, params.sender_id, sizeof params.sender_id);
        params.recipient_id_len =
            hex_to_bytes(inputs[i].recipient_id, params.recipient_id,
                         sizeof params.recipient_id);
        if (osc_context_derive(&params, ctx) != OSC_OK) {
            fprintf(stderr, "cannot derive %s\n", name);
            abort();
        }
        return;
    }
    fprintf(stderr, "unknown nested context %s\n", name);
    abort();
}

void test_group_context(const test_vectors *v, bool with_private_keys,
                        osc_group_context *group)
{
    static osc_group_params params;
    osc_group_params_init(&params);
    params.master_secret_len =
        hex_to_bytes("0102030405060708090a0b0c0d0e0f10", params.master_secret,
                     sizeof params.master_secret);
    params.master_salt_len = hex_to_bytes(
        "9e7ca92223786340", params.master_salt, sizeof params.master_salt);
    params.gid_len = hex_to_bytes("44616c", params.gid, sizeof params.gid);
    params.aead_id = 10;
    params.group_enc_id = 10;
    params.signature_alg = OSC_SIGNATURE_EDDSA;
    params.pairwise_ka_alg = OSC_PAIRWISE_ECDH_SS_HKDF_256;
    params.gm_credential_len = vectors_bytes(v, "cred_gm", params.gm_credential,
                                             sizeof params.gm_credential);
    static const char *const ids[2] = {"25", "52"};
    static const char *const credentials[2] = {"cred_client", "cred_server"};
    static const char *const seeds[2] = {
        "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
        "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb"};
    params.member_count = 2;
    for (int i = 0; i < 2; i++) {
        osc_group_member_params *m = &params.members[i];
        m->id_len = hex_to_bytes(ids[i], m->id, sizeof m->id);
        m->credential_len = vectors_bytes(v, credentials[i], m->credential,
                                          sizeof m->credential);
        m->has_private_key = with_private_keys;
        if (with_private_keys)
            hex_to_bytes(seeds[i], m->private_key, sizeof m->private_key);
    }
    if (osc_group_context_derive(&params, group) != OSC_OK) {
        fprintf(stderr, "cannot derive the group of group-oscore.json\n");
        abort();
    }
}
