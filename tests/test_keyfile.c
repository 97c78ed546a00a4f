/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit test of the keys file loader (keyfile/): trailing
 * comments, defaults, case-insensitive hex, empty values, and errors that
 * name the file and line while the other contexts still load.
 * Usage: test_keyfile KEYS_DIR (tests/keys)
 */
#include <glib.h>
#include <stdio.h>
#include <string.h>

#include "oscore_keyfile.h"

static int failures;

#define CHECK(cond)                                                            \
    do {                                                                       \
        if (!(cond)) {                                                         \
            fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__,   \
                    #cond);                                                    \
            failures++;                                                        \
        }                                                                      \
    } while (0)

static const oscore_keyfile_entry *find(const oscore_keyfile *kf,
                                        const char *name)
{
    for (size_t i = 0; i < kf->entry_count; i++) {
        if (strcmp(kf->entries[i].name, name) == 0) {
            return &kf->entries[i];
        }
    }
    return NULL;
}

static bool has_error(const oscore_keyfile *kf, const char *needle)
{
    for (size_t i = 0; i < kf->error_count; i++) {
        if (strstr(kf->errors[i], needle) != NULL) {
            return true;
        }
    }
    return false;
}

static void test_format(void)
{
    const char *text = "# comment\n"
                       "[a]\n"
                       "master_secret = 0102030405060708090A0B0C0D0E0F10 # x\n"
                       "master_salt =   # empty: no salt\n"
                       "id_context =\n"
                       "sender_id = \n"
                       "recipient_id = 01\n"
                       "aead = 24\n"
                       "hkdf = HKDF-SHA-512\n"
                       "\n"
                       "[b]\r\n"
                       "master_secret=11\r\n"
                       "sender_id=5f\r\n"
                       "recipient_id=01\r\n";
    oscore_keyfile *kf = oscore_keyfile_load_data(text, strlen(text), "t");
    for (size_t i = 0; i < kf->error_count; i++) {
        fprintf(stderr, "unexpected: %s\n", kf->errors[i]);
    }
    CHECK(kf->error_count == 0);
    CHECK(kf->entry_count == 2);
    const oscore_keyfile_entry *a = find(kf, "a");
    CHECK(a != NULL);
    if (a != NULL) {
        CHECK(a->line == 2);
        CHECK(a->params.master_secret_len == 16);
        CHECK(a->params.master_secret[9] == 0x0a);
        CHECK(a->params.master_salt_len == 0);
        CHECK(a->params.has_id_context && a->params.id_context_len == 0);
        CHECK(a->params.sender_id_len == 0);
        CHECK(a->params.recipient_id_len == 1);
        CHECK(a->params.aead_id == 24);
        CHECK(a->params.hkdf == OSC_HKDF_SHA512);
    }
    const oscore_keyfile_entry *b = find(kf, "b");
    CHECK(b != NULL);
    if (b != NULL) {
        CHECK(!b->params.has_id_context);
        CHECK(b->params.aead_id == 10);
        CHECK(b->params.hkdf == OSC_HKDF_SHA256);
    }
    oscore_keyfile_free(kf);
}

static void test_errors(const char *dir)
{
    char *path = g_build_filename(dir, "bad-line.keys", NULL);
    oscore_keyfile *kf = oscore_keyfile_load(path);
    char *line6 = g_strdup_printf("%s:6:", path);
    char *line11 = g_strdup_printf("%s:11:", path);
    for (size_t i = 0; i < kf->error_count; i++) {
        printf("reported: %s\n", kf->errors[i]);
    }
    CHECK(kf->error_count == 2);
    CHECK(has_error(kf, line6));
    CHECK(has_error(kf, line11) && has_error(kf, "master_secret"));
    CHECK(find(kf, "broken") == NULL);
    CHECK(find(kf, "c-p") != NULL);
    CHECK(find(kf, "c-s") != NULL);
    CHECK(find(kf, "p-s") != NULL);
    oscore_keyfile_free(kf);
    g_free(line6);
    g_free(line11);
    g_free(path);

    const char *text = "[x]\nmaster_secret = 01\nsender_id = 01\n"
                       "recipient_id = 02\nmaster_sallt = 00\n"
                       "[x]\nmaster_secret = 01\n"
                       "[y]\nmaster_secret = 01\nsender_id = 0102030405060708\n"
                       "recipient_id = 02\n"
                       "[z]\nmaster_secret = 01\nsender_id = 01\n"
                       "recipient_id = 02\naead = 99\n"
                       "orphan\n";
    kf = oscore_keyfile_load_data(text, strlen(text), "mem");
    for (size_t i = 0; i < kf->error_count; i++) {
        printf("reported: %s\n", kf->errors[i]);
    }
    CHECK(has_error(kf, "mem:5: unknown key"));
    CHECK(has_error(kf, "mem:6: context [x] defined again"));
    CHECK(has_error(kf, "mem:10: [y] sender_id"));
    CHECK(has_error(kf, "mem:16: [z] aead"));
    CHECK(has_error(kf, "mem:17: expected"));
    CHECK(kf->entry_count == 0);
    oscore_keyfile_free(kf);

    kf = oscore_keyfile_load("/nonexistent/keys");
    CHECK(kf->error_count == 1 && kf->entry_count == 0);
    CHECK(has_error(kf, "/nonexistent/keys:"));
    oscore_keyfile_free(kf);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s KEYS_DIR\n", argv[0]);
        return 2;
    }
    osc_crypto_init();
    test_format();
    test_errors(argv[1]);
    printf("%s\n", failures ? "FAILED" : "ok");
    return failures ? 1 : 0;
}
