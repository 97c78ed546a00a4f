/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit test of the key sources in other formats (issue 13;
 * reference-impl/keyfile/formats.c and aiocoap.c), built with ASan and
 * UBSan: detection by content; libcoap configurations
 * (coap-oscore-conf(5)) and aiocoap context directories and credentials
 * maps give the same derived contexts as our keys file, whichever
 * endpoint's view they hold; context names; errors naming file and line
 * or JSON path; the digest follows every file read; mutants of the
 * keys/formats/ files load without a crash, leak or unprintable message.
 * Usage: test_key_formats REPO_DIR
 */
#include <glib.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>

#include "keyfile_checks.h"
#include "oscore/engine.h"
#include "oscore_keyfile.h"

/* Whether a message contains needle; if not, says so and lists them. */
static bool expect_error(const oscore_keyfile *kf, const char *needle)
{
    if (has_error(kf, needle)) {
        return true;
    }
    fprintf(stderr, "no message contains \"%s\"; they are:\n", needle);
    for (size_t i = 0; i < kf->error_count; i++) {
        fprintf(stderr, "  %s\n", kf->errors[i]);
    }
    return false;
}

static void show_errors(const oscore_keyfile *kf)
{
    for (size_t i = 0; i < kf->error_count; i++) {
        fprintf(stderr, "unexpected: %s\n", kf->errors[i]);
    }
}

/* The same context, seen from either endpoint (RFC 8613 3.1): common
 * parts equal, and the (ID, key) pairs equal or swapped. */
static bool same_context(const osc_context *a, const osc_context *b)
{
    if (a->aead != b->aead || a->hkdf != b->hkdf ||
        a->has_id_context != b->has_id_context ||
        a->id_context_len != b->id_context_len ||
        memcmp(a->id_context, b->id_context, a->id_context_len) != 0 ||
        memcmp(a->common_iv, b->common_iv, sizeof a->common_iv) != 0) {
        return false;
    }
    for (int swap = 0; swap < 2; swap++) {
        bool all = true;
        for (int p = 0; p < 2; p++) {
            int q = swap ? 1 - p : p;
            all = all && a->id_len[p] == b->id_len[q] &&
                  memcmp(a->id[p], b->id[q], a->id_len[p]) == 0 &&
                  memcmp(a->key[p], b->key[q], sizeof a->key[p]) == 0;
        }
        if (all) {
            return true;
        }
    }
    return false;
}

static void test_detect(void)
{
    static const struct {
        const char *text;
        oscore_keyfile_format fmt;
    } cases[] = {
        {"[c-s]\nmaster_secret = 01\n", OSCORE_KEYFILE_FORMAT_KEYS},
        {"# x, y\n\nmaster_secret,hex,\"01\"\n", OSCORE_KEYFILE_FORMAT_LIBCOAP},
        {"\xef\xbb\xbfsender_id,ascii,\"c\"\n", OSCORE_KEYFILE_FORMAT_LIBCOAP},
        /* A comma after the '=' is in a keys file value or comment. */
        {"master_secret = 01 # a, b\n", OSCORE_KEYFILE_FORMAT_KEYS},
        {"", OSCORE_KEYFILE_FORMAT_KEYS},
        {" {\"secret_hex\": \"01\"}", OSCORE_KEYFILE_FORMAT_AIOCOAP_CONTEXT},
        {"{\"algorithm\": \"A128GCM\"}", OSCORE_KEYFILE_FORMAT_AIOCOAP_CONTEXT},
        {"{\":a\": {\"oscore\": {\"basedir\": \"a\"}}}",
         OSCORE_KEYFILE_FORMAT_AIOCOAP_CREDENTIALS},
        {"{ not json", OSCORE_KEYFILE_FORMAT_AIOCOAP_CREDENTIALS},
    };
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        oscore_keyfile_format got =
            oscore_keyfile_detect(cases[i].text, strlen(cases[i].text));
        if (got != cases[i].fmt) {
            fprintf(stderr, "detect case %zu: got %d, want %d\n", i, got,
                    cases[i].fmt);
        }
        CHECK(got == cases[i].fmt);
    }
}

/* Every context of keys_file has an equal one named alike in other
 * (which is freed). */
static void check_same_contexts(const char *keys_file, oscore_keyfile *other)
{
    oscore_keyfile *ref = oscore_keyfile_load(keys_file);
    show_errors(ref);
    show_errors(other);
    CHECK(ref->error_count == 0 && other->error_count == 0);
    CHECK(ref->entry_count > 0 && other->entry_count == ref->entry_count);
    for (size_t i = 0; i < ref->entry_count; i++) {
        const oscore_keyfile_entry *o = find(other, ref->entries[i].name);
        if (o == NULL) {
            fprintf(stderr, "%s: no context %s in the other source\n",
                    keys_file, ref->entries[i].name);
        }
        CHECK(o != NULL && same_context(&o->ctx, &ref->entries[i].ctx));
    }
    oscore_keyfile_free(ref);
    oscore_keyfile_free(other);
}

/* Loads the named sources of one directory into one result, as the
 * plugin does with several sources. */
static oscore_keyfile *load_all(const char *dir, const char *const *names,
                                size_t n)
{
    oscore_keyfile *all = g_new0(oscore_keyfile, 1);
    GArray *entries = g_array_new(FALSE, TRUE, sizeof(oscore_keyfile_entry));
    GPtrArray *errors = g_ptr_array_new();
    for (size_t i = 0; i < n; i++) {
        char *path = g_build_filename(dir, names[i], NULL);
        oscore_keyfile *kf = oscore_keyfile_load(path);
        for (size_t e = 0; e < kf->entry_count; e++) {
            oscore_keyfile_entry copy = kf->entries[e];
            copy.name = g_strdup(copy.name);
            g_array_append_val(entries, copy);
        }
        for (size_t e = 0; e < kf->error_count; e++) {
            g_ptr_array_add(errors, g_strdup(kf->errors[e]));
        }
        oscore_keyfile_free(kf);
        g_free(path);
    }
    all->entry_count = entries->len;
    all->entries = (oscore_keyfile_entry *)(void *)g_array_free(entries, FALSE);
    all->error_count = errors->len;
    g_ptr_array_add(errors, NULL);
    all->errors = (char **)g_ptr_array_free(errors, FALSE);
    return all;
}

/* keys/formats/ against the corpus keys files they translate. */
static void test_corpus_translations(const char *repo)
{
    static const char *const conf[] = {"c-s.conf", "c-p.conf", "p-s.conf"};
    static const char *const dirs[] = {"c-s", "c-p/", "p-s/settings.json"};
    static const char *const captures[] = {"example-5.3-cs-cp-ps",
                                           "mixed-algorithms"};
    static const char *const sub[] = {"example-5.3", "mixed-algorithms"};
    for (size_t c = 0; c < G_N_ELEMENTS(captures); c++) {
        char *keys = g_strdup_printf("%s/keys/%s.keys", repo, captures[c]);
        char *lc = g_strdup_printf("%s/keys/formats/libcoap/%s", repo, sub[c]);
        char *ai = g_strdup_printf("%s/keys/formats/aiocoap/%s", repo, sub[c]);
        check_same_contexts(keys, load_all(lc, conf, 3));
        check_same_contexts(keys, load_all(ai, dirs, 3));
        g_free(keys);
        g_free(lc);
        g_free(ai);
    }
    char *keys = g_strdup_printf("%s/keys/example-5.3-cs-cp-ps.keys", repo);
    char *cred = g_strdup_printf(
        "%s/keys/formats/aiocoap/example-5.3/credentials.json", repo);
    check_same_contexts(keys, oscore_keyfile_load(cred));
    g_free(keys);
    g_free(cred);
}

static void test_libcoap_recipients(void)
{
    const char *text = "# a server with two clients\n"
                       "master_secret,ascii,\"secret\"\n"
                       "sender_id , ascii , \"server\"\n"
                       "recipient_id,hex,\"01\"\n"
                       "complex_recipient,config,'\n"
                       "recipient_id,HEX_IS_NOT,\"02\"\n"
                       "recipient_id,hex,\"02\"\n"
                       "silent_server,bool,true\n"
                       "'\n"
                       "recipient_id,hex,\"01\"\n"
                       "aead_alg,text,\"AES-CCM-16-64-256\"\n";
    oscore_keyfile *kf =
        oscore_keyfile_load_libcoap_data(text, strlen(text), "dir/srv.conf");
    CHECK(kf->entry_count == 2);
    CHECK(kf->error_count == 2);
    CHECK(expect_error(kf, "dir/srv.conf:6: recipient_id: encoding "
                           "\"HEX_IS_NOT\" is not allowed"));
    CHECK(expect_error(kf, "dir/srv.conf:10: recipient_id: 01 given again "
                           "(first on line 4)"));
    const oscore_keyfile_entry *a = find(kf, "srv/01");
    const oscore_keyfile_entry *b = find(kf, "srv/02");
    CHECK(a != NULL && b != NULL);
    if (a != NULL && b != NULL) {
        CHECK(a->line == 4 && b->line == 7);
        CHECK(a->params.sender_id_len == 6 &&
              memcmp(a->params.sender_id, "server", 6) == 0);
        CHECK(a->params.master_secret_len == 6);
        CHECK(b->params.recipient_id_len == 1 &&
              b->params.recipient_id[0] == 0x02);
        CHECK(a->params.aead_id == 11 && !a->params.has_id_context);
    }
    oscore_keyfile_free(kf);
}

static void test_libcoap_errors(void)
{
    const char *text = "master_secret,hex,\"0102\"\n"
                       "master_secret,hex,\"0304\"\n"
                       "sender_id,hex,\"01\"\n"
                       "recipient_id,hex,\"02\"\n"
                       "aead_alg,integer,99\n";
    oscore_keyfile *kf =
        oscore_keyfile_load_libcoap_data(text, strlen(text), "x.conf");
    CHECK(kf->entry_count == 0);
    CHECK(expect_error(kf, "x.conf:2: master_secret: given again (first on "
                           "line 1)"));
    oscore_keyfile_free(kf);

    text = "master_secret,hex,\"0102\"\nsender_id,hex,\"01\"\n"
           "recipient_id,hex,\"02\"\naead_alg,integer,99\n";
    kf = oscore_keyfile_load_libcoap_data(text, strlen(text), "x.conf");
    CHECK(kf->entry_count == 0 && kf->error_count == 1);
    CHECK(
        expect_error(kf, "x.conf:4: aead_alg: unknown or unsupported \"99\""));
    oscore_keyfile_free(kf);

    text = "sender_id,hex,\"01\"\nrecipient_id,hex,\"02\"\n";
    kf = oscore_keyfile_load_libcoap_data(text, strlen(text), "x.conf");
    CHECK(kf->entry_count == 0);
    CHECK(expect_error(kf, "x.conf:0: master_secret: missing"));
    oscore_keyfile_free(kf);

    /* A NUL byte: reported, never read past silently. */
    const char nul[] = "master_secret,hex,\"01\"\nsender\0_id,hex,\"01\"\n";
    kf = oscore_keyfile_load_libcoap_data(nul, sizeof nul - 1, "x.conf");
    CHECK(kf->entry_count == 0);
    CHECK(expect_error(kf, "x.conf:0: NUL byte"));
    oscore_keyfile_free(kf);
}

static void write_file(const char *dir, const char *name, const char *text)
{
    char *path = g_build_filename(dir, name, NULL);
    CHECK(g_file_set_contents(path, text, -1, NULL));
    g_free(path);
}

static void remove_tree(const char *path)
{
    GDir *d = g_dir_open(path, 0, NULL);
    if (d != NULL) {
        const char *name;
        while ((name = g_dir_read_name(d)) != NULL) {
            char *child = g_build_filename(path, name, NULL);
            remove_tree(child);
            g_free(child);
        }
        g_dir_close(d);
    }
    g_remove(path);
}

/* A context directory as aiocoap writes it: settings split over two
 * files, sequence.json and lock (never read, even when garbage). */
static void test_aiocoap_dir(const char *tmp)
{
    char *dir = g_build_filename(tmp, "client1", NULL);
    g_mkdir(dir, 0700);
    write_file(dir, "settings.json",
               "{\"sender-id_hex\": \"01\", \"recipient-id_ascii\": \"s\","
               " \"algorithm\": \"A128GCM\", \"kdf-hashfun\": \"sha512\","
               " \"window\": 32, \"id-context_hex\": \"\"}");
    write_file(dir, "secret.json", "{\"secret_ascii\": \"hello\"}");
    write_file(dir, "sequence.json", "\x01 garbage");
    write_file(dir, "lock", "");
    char *slash = g_strconcat(dir, "/", NULL);
    oscore_keyfile *kf = oscore_keyfile_load(slash);
    show_errors(kf);
    CHECK(kf->error_count == 0 && kf->entry_count == 1);
    const oscore_keyfile_entry *e = find(kf, "client1");
    CHECK(e != NULL);
    if (e != NULL) {
        CHECK(e->params.master_secret_len == 5);
        CHECK(e->params.recipient_id_len == 1 &&
              e->params.recipient_id[0] == 's');
        CHECK(e->params.aead_id == 1 && e->params.hkdf == OSC_HKDF_SHA512);
        CHECK(e->params.has_id_context && e->params.id_context_len == 0);
    }
    oscore_keyfile_free(kf);

    /* The same setting in both files; a member aiocoap does not know. */
    write_file(dir, "secret.json",
               "{\"secret_ascii\": \"hello\", \"sender-id_hex\": \"02\","
               " \"salt\": \"00\"}");
    kf = oscore_keyfile_load(slash);
    CHECK(kf->entry_count == 0);
    CHECK(expect_error(kf, "client1/secret.json: $.sender-id_hex: sender-id "
                           "given again (also $.sender-id_hex in "));
    CHECK(expect_error(kf, "client1/secret.json: $.salt: not a setting"));
    oscore_keyfile_free(kf);

    write_file(dir, "secret.json", "{\"secret_hex\": \"abc\"}");
    kf = oscore_keyfile_load(slash);
    CHECK(expect_error(kf, "client1/secret.json: $.secret_hex: odd number"));
    oscore_keyfile_free(kf);

    write_file(dir, "secret.json", "[1]");
    kf = oscore_keyfile_load(slash);
    CHECK(expect_error(kf, "client1/secret.json: $: not a JSON object"));
    oscore_keyfile_free(kf);
    g_free(slash);
    g_free(dir);
}

/* A credentials map: relative directories, two URIs sharing a context,
 * references and other credential types skipped; the digest follows the
 * files of the directories it names. */
static void test_aiocoap_credentials(const char *tmp)
{
    char *dir = g_build_filename(tmp, "ctx", NULL);
    char *dir2 = g_build_filename(tmp, "ctx2", NULL);
    g_mkdir(dir, 0700);
    g_mkdir(dir2, 0700);
    write_file(dir, "settings.json",
               "{\"sender-id_hex\": \"01\", \"recipient-id_hex\": \"02\","
               " \"secret_hex\": \"00112233\"}");
    write_file(dir2, "settings.json",
               "{\"sender-id_hex\": \"03\", \"recipient-id_hex\": \"04\","
               " \"secret_hex\": \"00112233\"}");
    write_file(tmp, "credentials.json",
               "{\"coap://a/*\": {\"oscore\": {\"basedir\": \"ctx/\"}},"
               " \"coap://b/*\": {\"oscore\": {\"basedir\": \"./ctx\"}},"
               " \"coap://c/*\": \":named\", \"gone\": null,"
               " \":\": {\"oscore\": {\"basedir\": \"ctx2\"}},"
               " \"coaps://d/*\": {\"tlscert\": {\"certfile\": \"x\"}}}");
    char *cred = g_build_filename(tmp, "credentials.json", NULL);
    oscore_keyfile *kf = oscore_keyfile_load(cred);
    show_errors(kf);
    CHECK(kf->error_count == 0 && kf->entry_count == 2);
    CHECK(find(kf, "coap://a/*") != NULL);
    /* An entry named ":" is shown under its directory's name. */
    CHECK(find(kf, "ctx2") != NULL);
    oscore_keyfile_free(kf);

    char before[65], same[65], after[65];
    oscore_keyfile_digest(cred, before);
    oscore_keyfile_digest(cred, same);
    write_file(dir, "settings.json",
               "{\"sender-id_hex\": \"01\", \"recipient-id_hex\": \"03\","
               " \"secret_hex\": \"00112233\"}");
    oscore_keyfile_digest(cred, after);
    CHECK(strcmp(before, same) == 0);
    CHECK(strcmp(before, after) != 0);

    write_file(tmp, "credentials.json",
               "{\":x\": {\"oscore\": {\"basedir\": 5}},\n"
               " \":y\": {\"oscore\": {}},\n"
               " \":z\": {\"oscore\": {\"basedir\": \"ctx\", \"contextfile\": "
               "\"ctx\"}}}");
    kf = oscore_keyfile_load(cred);
    CHECK(kf->entry_count == 0);
    CHECK(expect_error(kf, "credentials.json: $[\":x\"].oscore.basedir: not a "
                           "string"));
    CHECK(expect_error(kf, "credentials.json: $[\":y\"].oscore: basedir "
                           "missing"));
    CHECK(expect_error(kf, "both given"));
    oscore_keyfile_free(kf);

    write_file(tmp, "credentials.json", "{\n\"a\": [}\n");
    kf = oscore_keyfile_load(cred);
    CHECK(kf->entry_count == 0 && kf->error_count == 1);
    CHECK(expect_error(kf, "credentials.json:2:"));
    oscore_keyfile_free(kf);
    g_free(cred);
    g_free(dir);
    g_free(dir2);
}

/* Messages and names a mutant gives: text without control characters,
 * every message naming the source it is about. */
static void check_printable(const oscore_keyfile *kf, const char *source,
                            unsigned iteration)
{
    for (size_t i = 0; i < kf->error_count; i++) {
        const char *m = kf->errors[i];
        bool ok = g_utf8_validate(m, -1, NULL) && strstr(m, source) != NULL;
        for (const char *p = m; ok && *p != '\0'; p++) {
            ok = (unsigned char)*p >= 0x20 && *p != 0x7f;
        }
        if (!ok) {
            fprintf(stderr, "mutant %u: bad message: %s\n", iteration, m);
            failures++;
        }
    }
    for (size_t i = 0; i < kf->entry_count; i++) {
        CHECK(g_utf8_validate(kf->entries[i].name, -1, NULL));
    }
}

/* A mutant of seed: bytes flipped, cut, doubled, or structural
 * characters of both formats inserted. */
static GString *mutant(GRand *rand, const GString *seed)
{
    static const char tricky[] = ",\"'{}[]:\n\r\\#\0\x80\xff";
    GString *m = g_string_new_len(seed->str, (gssize)seed->len);
    for (int k = g_rand_int_range(rand, 1, 5); k > 0; k--) {
        gsize at =
            m->len ? (gsize)g_rand_int_range(rand, 0, (gint32)m->len) : 0;
        switch (g_rand_int_range(rand, 0, 4)) {
        case 0:
            if (m->len > 0) {
                m->str[at] = (char)g_rand_int_range(rand, 0, 256);
            }
            break;
        case 1: {
            /* MIN evaluates its arguments twice: draw first. */
            gssize cut = g_rand_int_range(rand, 1, 40);
            g_string_erase(m, (gssize)at, MIN((gssize)(m->len - at), cut));
            break;
        }
        case 2:
            g_string_insert_len(m, (gssize)at, m->str,
                                (gssize)MIN(m->len - at, 60));
            break;
        default:
            g_string_insert_c(
                m, (gssize)at,
                tricky[g_rand_int_range(rand, 0, sizeof tricky - 1)]);
            break;
        }
    }
    return m;
}

/* Mutants of the keys/formats/ files under the sanitizers: libcoap text
 * through oscore_keyfile_load_libcoap_data, JSON as settings.json of a
 * context directory and as a credentials file. */
static void test_mutants(const char *repo, const char *tmp)
{
    static const char *const seeds[] = {
        "keys/formats/libcoap/example-5.3/p-s.conf",
        "keys/formats/libcoap/mixed-algorithms/c-s.conf",
        "keys/formats/aiocoap/example-5.3/c-s/settings.json",
        "keys/formats/aiocoap/example-5.3/credentials.json",
    };
    GRand *rand = g_rand_new_with_seed(13);
    char *dir = g_build_filename(tmp, "mutant", NULL);
    char *cred = g_build_filename(tmp, "mutant.json", NULL);
    g_mkdir(dir, 0700);
    unsigned with_contexts = 0, iterations = 0;
    for (size_t s = 0; s < G_N_ELEMENTS(seeds); s++) {
        char *path = g_build_filename(repo, seeds[s], NULL);
        char *text = NULL;
        gsize len = 0;
        CHECK(g_file_get_contents(path, &text, &len, NULL));
        GString *seed = g_string_new_len(text, (gssize)len);
        for (unsigned i = 0; i < 500; i++, iterations++) {
            GString *m = mutant(rand, seed);
            oscore_keyfile *kf = NULL;
            const char *source = "m.conf";
            if (s < 2) {
                kf = oscore_keyfile_load_libcoap_data(m->str, m->len, source);
            } else {
                char *file = s == 2
                                 ? g_build_filename(dir, "settings.json", NULL)
                                 : g_strdup(cred);
                CHECK(g_file_set_contents(file, m->str, (gssize)m->len, NULL));
                kf = oscore_keyfile_load(s == 2 ? dir : cred);
                source = tmp;
                g_free(file);
            }
            check_printable(kf, source, iterations);
            with_contexts += kf->entry_count > 0;
            oscore_keyfile_free(kf);
            g_string_free(m, TRUE);
        }
        g_string_free(seed, TRUE);
        g_free(text);
        g_free(path);
    }
    printf("test_key_formats: %u mutants, %u with contexts\n", iterations,
           with_contexts);
    CHECK(with_contexts > 0);
    g_rand_free(rand);
    g_free(dir);
    g_free(cred);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: test_key_formats REPO_DIR\n");
        return 2;
    }
    if (osc_engine_init() != OSC_OK) {
        fprintf(stderr, "engine init failed\n");
        return 1;
    }
    test_detect();
    test_corpus_translations(argv[1]);
    test_libcoap_recipients();
    test_libcoap_errors();
    char *tmp = g_dir_make_tmp("test_key_formats.XXXXXX", NULL);
    CHECK(tmp != NULL);
    if (tmp != NULL) {
        test_aiocoap_dir(tmp);
        test_aiocoap_credentials(tmp);
        test_mutants(argv[1], tmp);
        remove_tree(tmp);
        g_free(tmp);
    }
    if (failures != 0) {
        fprintf(stderr, "test_key_formats: %d failures\n", failures);
        return 1;
    }
    printf("test_key_formats: all checks passed\n");
    return 0;
}
