/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit test of the keys file loader (reference-impl/keyfile/): trailing
 * comments, defaults, case-insensitive hex, empty values, Group OSCORE
 * contexts, and errors that name the file and line while the other
 * contexts still load. Issue 12: a repeated group is reported and
 * dropped without touching a real group named " duplicate 1" (the name
 * duplicates used to be renamed to, merging the two); CR-only, CRLF and
 * LF line ends load alike, with the same line numbers.
 * Usage: test_keyfile KEYS_DIR (tests/keys)
 */
#include <glib.h>
#include <stdio.h>
#include <string.h>

#include "keyfile_checks.h"
#include "oscore/engine.h"
#include "oscore/group.h"
#include "oscore_keyfile.h"

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

/* Two [a], and a real group named " duplicate 1" between them. */
static void test_duplicate_dropped(void)
{
    const char *text = "[a]\n"                /* 1 */
                       "master_secret = 11\n" /* 2 */
                       "sender_id = 01\n"     /* 3 */
                       "recipient_id = 02\n"  /* 4 */
                       "[ duplicate 1]\n"     /* 5 */
                       "master_secret = 22\n" /* 6 */
                       "sender_id = 03\n"     /* 7 */
                       "recipient_id = 04\n"  /* 8 */
                       "[a]\n"                /* 9 */
                       "master_secret = 33\n" /* 10 */
                       "sender_id = 05\n"     /* 11 */
                       "recipient_id = 06\n"  /* 12 */
                       "aead = 24\n";         /* 13 */
    oscore_keyfile *kf = oscore_keyfile_load_data(text, strlen(text), "dup");
    for (size_t i = 0; i < kf->error_count; i++) {
        printf("reported: %s\n", kf->errors[i]);
    }
    CHECK(kf->error_count == 1);
    CHECK(has_error(kf, "dup:9: context [a] defined again (first on line 1)"));
    CHECK(kf->entry_count == 2);
    const oscore_keyfile_entry *a = find(kf, "a");
    const oscore_keyfile_entry *d = find(kf, " duplicate 1");
    CHECK(a != NULL && d != NULL);
    if (a != NULL && d != NULL) {
        /* Each keeps its own values: the dropped [a]'s reach neither. */
        CHECK(a->line == 1 && d->line == 5);
        CHECK(a->params.master_secret_len == 1 &&
              a->params.master_secret[0] == 0x11);
        CHECK(a->params.sender_id[0] == 0x01);
        CHECK(d->params.master_secret_len == 1 &&
              d->params.master_secret[0] == 0x22);
        CHECK(d->params.sender_id[0] == 0x03);
        CHECK(d->params.recipient_id[0] == 0x04);
        CHECK(d->params.aead_id == a->params.aead_id);
    }
    oscore_keyfile_free(kf);
}

/* The same file with LF, CRLF and CR-only line ends, and an error on its
 * line 6: same contexts, same line numbers. */
static void test_line_ends(void)
{
    static const char *const ends[] = {"\n", "\r\n", "\r"};
    for (size_t e = 0; e < G_N_ELEMENTS(ends); e++) {
        const char *lines[] = {"# keys",
                               "[c]",
                               "master_secret = 11",
                               "sender_id = 5f",
                               "recipient_id = 01",
                               "bogus line",
                               "[d]",
                               "master_secret = 12",
                               "sender_id = 60",
                               "recipient_id = 02"};
        GString *text = g_string_new(NULL);
        for (size_t i = 0; i < G_N_ELEMENTS(lines); i++) {
            g_string_append(text, lines[i]);
            g_string_append(text, ends[e]);
        }
        oscore_keyfile *kf =
            oscore_keyfile_load_data(text->str, text->len, "ends");
        for (size_t i = 0; i < kf->error_count; i++) {
            printf("reported (line end %zu): %s\n", e, kf->errors[i]);
        }
        CHECK(kf->error_count == 1);
        CHECK(has_error(kf, "ends:6: expected"));
        CHECK(kf->entry_count == 2);
        const oscore_keyfile_entry *c = find(kf, "c");
        const oscore_keyfile_entry *d = find(kf, "d");
        CHECK(c != NULL && c->line == 2 && c->params.sender_id[0] == 0x5f);
        CHECK(d != NULL && d->line == 7 && d->params.sender_id[0] == 0x60);
        oscore_keyfile_free(kf);
        g_string_free(text, TRUE);
    }
}

/* A CCS credential {8: {1: {1: 1, 3: -8, -1: 6, -2: x}}} around the RFC 8032
 * TEST 1 public key. */
#define CCS                                                                    \
    "a108a101a4010103272006215820d75a980182b10ab7d54bfed3c964073a0ee172f3da"   \
    "a62325af021a68f707511a"

static void test_groups(void)
{
    const char *text =
        "[g]\n"
        "group = true\n"
        "master_secret = 0102030405060708090a0b0c0d0e0f10\n"
        "id_context = 44616c  # the Gid\n"
        "member.25 = " CCS "\n"
        "member.52 = " CCS "\n"
        "member.25.private_key = "
        "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60\n"
        "[plain]\nmaster_secret = 01\nsender_id = 01\nrecipient_id = 02\n";
    oscore_keyfile *kf = oscore_keyfile_load_data(text, strlen(text), "g");
    for (size_t i = 0; i < kf->error_count; i++) {
        fprintf(stderr, "unexpected: %s\n", kf->errors[i]);
    }
    CHECK(kf->error_count == 0);
    CHECK(kf->entry_count == 1 && kf->group_count == 1);
    if (kf->group_count == 1) {
        const osc_group_context *g = kf->groups[0].group;
        CHECK(strcmp(kf->groups[0].name, "g") == 0 && kf->groups[0].line == 1);
        CHECK(g->gid_len == 3 && g->member_count == 2);
        /* Defaults: AES-CCM-16-64-128 both ways, EdDSA, ECDH-SS. */
        CHECK(g->aead != NULL && g->aead->cose_id == 10);
        CHECK(g->group_enc != NULL && g->group_enc->cose_id == 10);
        CHECK(g->signature_alg == OSC_SIGNATURE_EDDSA);
        CHECK(g->members[0].has_private_key && !g->members[1].has_private_key);
        CHECK(g->has_pairwise_key[0][1] && g->has_pairwise_key[1][0]);
        osc_context_set *set = osc_context_set_new();
        CHECK(oscore_keyfile_add_to_set(kf, set) == OSC_OK);
        CHECK(osc_context_set_group_count(set) == 1 &&
              osc_context_set_count(set) == 1);
        osc_context_set_free(set);
    }
    oscore_keyfile_free(kf);

    const char *bad =
        "[g1]\ngroup = true\nmaster_secret = 01\nid_context = 01\n"
        "member.zz = " CCS "\n"
        "[g2]\ngroup = true\nmaster_secret = 01\nid_context = 02\n"
        "member.25 = " CCS "\nmember.25.private_key = 0102\n"
        "[g3]\ngroup = yes\nmaster_secret = 01\n"
        "[g4]\ngroup = true\nmaster_secret = 01\nid_context = 04\n"
        "sender_id = 01\n"
        "[p]\nmaster_secret = 01\nsender_id = 01\nrecipient_id = 02\n"
        "gm_cred = 00\n"
        "[g5]\ngroup = true\nmaster_secret = 01\nid_context = 05\n"
        "member.26 = a1\n"
        "[g6]\ngroup = true\nmaster_secret = 01\nid_context = 06\n"
        "signature = ES512\n";
    kf = oscore_keyfile_load_data(bad, strlen(bad), "bad");
    for (size_t i = 0; i < kf->error_count; i++) {
        printf("reported: %s\n", kf->errors[i]);
    }
    CHECK(has_error(kf, "bad:5: [g1] member.zz"));
    CHECK(has_error(kf, "bad:11: [g2] member.25.private_key"));
    CHECK(has_error(kf, "bad:12: [g3] id_context: missing"));
    CHECK(has_error(kf, "bad:19: [g4] sender_id"));
    CHECK(has_error(kf, "bad:24: [p] \"gm_cred\" belongs to a group"));
    CHECK(has_error(kf, "bad:29: [g5] member.26: not a CCS"));
    CHECK(has_error(kf, "bad:34: [g6] signature"));
    CHECK(kf->group_count == 0 && kf->entry_count == 0);
    oscore_keyfile_free(kf);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s KEYS_DIR\n", argv[0]);
        return 2;
    }
    osc_status engine = osc_engine_init();
    if (engine != OSC_OK) {
        fprintf(stderr, "%s: %s\n", argv[0], osc_status_message(engine));
        return 1;
    }
    test_format();
    test_errors(argv[1]);
    test_groups();
    test_duplicate_dropped();
    test_line_ends();
    printf("%s\n", failures ? "FAILED" : "ok");
    return failures ? 1 : 0;
}
