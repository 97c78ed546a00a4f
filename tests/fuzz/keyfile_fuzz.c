/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Deterministic fuzz test of the keys file loader (reference-impl/keyfile/),
 * built with AddressSanitizer and UndefinedBehaviorSanitizer (ctest
 * keyfile.fuzz).
 *
 * Every keys file given (tests/keys, keys/, the generated ones) is
 * mutated `iterations` times by a seeded PRNG: lines deleted, duplicated,
 * swapped or cut, bytes flipped, tricky lines inserted (bad headers,
 * brackets and control characters in names, NUL bytes, a byte order mark,
 * CR line ends, huge values, group keys in plain contexts, members with
 * broken credentials), and loaded with oscore_keyfile_load_data. Checked
 * for each result, besides the sanitizers' own checks:
 *  - every error is "SOURCE:LINE: text" with a line inside the file, and
 *    its text is printable UTF-8 without control characters (messages go
 *    to terminals and dialogs) and of bounded length;
 *  - no error is GKeyFile's own (it refuses a whole file for one bad
 *    name, which would drop every good context with it);
 *  - every context that loaded has a name that is such text, and goes
 *    into a context set;
 *  - loading the same bytes twice gives the same result (no hidden
 *    state).
 * Then oscore_keyfile_read must refuse, with a message and without
 * blocking, a directory, /dev/zero, a FIFO and a missing file; loading an
 * empty directory (no aiocoap security context) or one whose
 * settings.json is a FIFO gives one message.
 *
 * Usage: keyfile_fuzz SEED ITERATIONS KEYS_FILE_OR_DIR...
 */
#define _POSIX_C_SOURCE 200809L /* scandir, mkdtemp, mkfifo */

#include <dirent.h>
#include <glib.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "oscore/context_set.h"
#include "oscore/engine.h"
#include "oscore_keyfile.h"

static unsigned failures;

#define FAIL(...)                                                              \
    do {                                                                       \
        fprintf(stderr, "keyfile_fuzz: " __VA_ARGS__);                         \
        fprintf(stderr, "\n");                                                 \
        failures++;                                                            \
    } while (0)

/* ---- PRNG ---- */

static uint64_t state;

static uint64_t next(void)
{
    uint64_t z = (state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static size_t below(size_t n)
{
    return n ? (size_t)(next() % n) : 0;
}

/* ---- growable byte buffer ---- */

typedef struct buf {
    char *p;
    size_t n, cap;
} buf;

static void put(buf *b, const void *src, size_t n)
{
    if (b->n + n + 1 > b->cap) {
        b->cap = (b->n + n + 1) * 2;
        b->p = realloc(b->p, b->cap);
        if (b->p == NULL) {
            abort();
        }
    }
    memcpy(b->p + b->n, src, n);
    b->n += n;
    b->p[b->n] = '\0';
}

static void puts_(buf *b, const char *s)
{
    put(b, s, strlen(s));
}

/* ---- seed files ---- */

typedef struct seed_file {
    char *data;
    size_t len;
} seed_file;

static seed_file *seeds;
static size_t seed_count;

static void add_seed(const char *path)
{
    char *data;
    size_t len;
    char err[256];
    if (!oscore_keyfile_read(path, &data, &len, err, sizeof err)) {
        FAIL("cannot read seed %s: %s", path, err);
        return;
    }
    seeds = realloc(seeds, (seed_count + 1) * sizeof *seeds);
    seeds[seed_count].data = data;
    seeds[seed_count].len = len;
    seed_count++;
}

static void add_seeds(const char *path)
{
    struct stat sb;
    if (stat(path, &sb) != 0) {
        return; /* optional inputs (keys/) may be absent */
    }
    if (!S_ISDIR(sb.st_mode)) {
        add_seed(path);
        return;
    }
    struct dirent **names;
    int n = scandir(path, &names, NULL, alphasort);
    for (int i = 0; i < n; i++) {
        size_t l = strlen(names[i]->d_name);
        if (l > 5 && strcmp(names[i]->d_name + l - 5, ".keys") == 0) {
            char full[4096];
            snprintf(full, sizeof full, "%s/%s", path, names[i]->d_name);
            add_seed(full);
        }
        free(names[i]);
    }
    free(names);
}

/* ---- mutation ---- */

/* Lines that have broken the loader or GKeyFile, or might. */
static const char *const tricky[] = {
    "[",
    "]",
    "[]",
    "[a]b",
    "[a][b]",
    "[a]  # comment",
    "[ duplicate 1]",
    "[\x01]",
    "[caf\xc3\xa9]",
    "[bad\xff]",
    "[\x1b[31mred]",
    "=",
    "= 00",
    "master_secret",
    "master_secret =",
    "master_secret = #",
    "master_secret = 0",
    "master_secret = zz",
    "master_secret = 0102030405060708090a0b0c0d0e0f10",
    "sender_id = 0102030405060708",
    "sender_id =",
    "recipient_id = 01",
    "id_context =",
    "aead = 99",
    "aead = A128GCM",
    "aead = 13",
    "hkdf = nope",
    "hkdf = HKDF-SHA-512",
    "group = true",
    "group = yes",
    "group = 1",
    "signature = ES256",
    "pairwise_ka = none",
    "group_enc = none",
    "gm_cred = zz",
    "member.25 = a1",
    "member.25 = a108a101a4010102",
    "member.25.private_key = 00",
    "member.zz = 00",
    "member.x]y = 00",
    "member.x[de] = 00",
    "member.[ = 00",
    "member. = 00",
    "member.\x01 = 00",
    "member.2525252525252525 = 00",
    "key[de] = 00",
    "unknown = 1",
    "\xef\xbb\xbf[bom]",
    "\r",
    "a\rb = c",
    "\t[tab]\t",
    "#",
    "master_salt = 00 # x # y",
};

static void random_line(buf *b)
{
    switch (below(6)) {
    case 0: { /* a long hex value */
        puts_(b, below(2) ? "master_secret = " : "id_context = ");
        for (size_t k = below(3000); k > 0; k--) {
            put(b, &"0123456789abcdef"[below(16)], 1);
        }
        break;
    }
    case 1: /* random bytes, NUL included */
        for (size_t k = 1 + below(40); k > 0; k--) {
            char c = (char)next();
            put(b, &c, 1);
        }
        break;
    case 2: { /* a long name */
        puts_(b, "[");
        for (size_t k = below(500); k > 0; k--) {
            put(b, "n", 1);
        }
        puts_(b, "]");
        break;
    }
    default:
        puts_(b, tricky[below(sizeof tricky / sizeof tricky[0])]);
        break;
    }
}

/* Splits text into lines (pointers into it, without the '\n'). */
typedef struct line {
    const char *p;
    size_t n;
} line;

static size_t split(const char *text, size_t len, line *out, size_t cap)
{
    size_t count = 0;
    const char *p = text, *end = text + len;
    while (count < cap) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        out[count].p = p;
        out[count].n = (size_t)((nl ? nl : end) - p);
        count++;
        if (nl == NULL) {
            break;
        }
        p = nl + 1;
    }
    return count;
}

#define MAX_LINES 4096

static void mutate(const seed_file *s, buf *out)
{
    static line lines[MAX_LINES];
    size_t n = split(s->data, s->len, lines, MAX_LINES);
    size_t ops = 1 + below(6);
    /* Line-level edits as a list of actions per line. */
    unsigned char *action = calloc(n + 1, 1);
    for (size_t k = 0; k < ops; k++) {
        action[below(n)] = (unsigned char)(1 + below(6));
    }
    for (size_t i = 0; i < n; i++) {
        const line *l = &lines[i];
        switch (action[i]) {
        case 1: /* deleted */
            continue;
        case 2: /* duplicated */
            put(out, l->p, l->n);
            puts_(out, "\n");
            break;
        case 3: /* a tricky line before it */
            random_line(out);
            puts_(out, "\n");
            break;
        case 4: /* cut */
            put(out, l->p, below(l->n + 1));
            puts_(out, below(4) ? "\n" : "\r\n");
            continue;
        case 5: /* swapped with the next one */
            if (i + 1 < n) {
                put(out, lines[i + 1].p, lines[i + 1].n);
                puts_(out, "\n");
                put(out, l->p, l->n);
                puts_(out, "\n");
                i++;
                continue;
            }
            break;
        case 6: /* the value replaced by a tricky line's */
            random_line(out);
            puts_(out, "\n");
            continue;
        default:
            break;
        }
        put(out, l->p, l->n);
        if (i + 1 < n) {
            puts_(out, "\n");
        }
    }
    free(action);
    /* Byte flips, and sometimes a cut in the middle of a line. */
    for (size_t k = below(3); k > 0 && out->n > 0; k--) {
        out->p[below(out->n)] ^= (char)(1u << below(8));
    }
    if (below(10) == 0 && out->n > 0) {
        out->n = below(out->n);
        out->p[out->n] = '\0';
    }
}

/* ---- checks ---- */

static bool printable_text(const char *s)
{
    /* UTF-8 (checked loosely: lead and continuation bytes in order) and
     * no control characters. */
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        if (*p < 0x20 || *p == 0x7f) {
            return false;
        }
        size_t extra = *p < 0x80             ? 0
                       : (*p & 0xe0) == 0xc0 ? 1
                       : (*p & 0xf0) == 0xe0 ? 2
                       : (*p & 0xf8) == 0xf0 ? 3
                                             : 99;
        if (extra == 99) {
            return false;
        }
        p++;
        for (size_t i = 0; i < extra; i++, p++) {
            if ((*p & 0xc0) != 0x80) {
                return false;
            }
        }
    }
    return true;
}

/* Lines as the loader counts them: LF, CR LF and a lone CR each end one
 * (the loader accepts files written with any of them). */
static unsigned count_lines(const char *data, size_t len)
{
    unsigned n = 1;
    for (size_t i = 0; i < len; i++) {
        if (data[i] == '\n' ||
            (data[i] == '\r' && (i + 1 == len || data[i + 1] != '\n'))) {
            n++;
        }
    }
    return n;
}

static unsigned with_contexts, with_errors;

static void check(const char *data, size_t len, unsigned iteration)
{
    oscore_keyfile *kf = oscore_keyfile_load_data(data, len, "fuzz");
    unsigned lines = count_lines(data, len);
    for (size_t i = 0; i < kf->error_count; i++) {
        const char *e = kf->errors[i];
        unsigned line;
        int used = 0;
        if (e == NULL || sscanf(e, "fuzz:%u: %n", &line, &used) != 1 ||
            used == 0) {
            FAIL("iteration %u: error without \"fuzz:LINE: \": %s", iteration,
                 e ? e : "(null)");
            continue;
        }
        if (line < 1 || line > lines) {
            FAIL("iteration %u: error names line %u of %u: %s", iteration, line,
                 lines, e);
        }
        /* GKeyFile's own messages mean it refused the whole file: the
         * loader must blank whatever GKeyFile rejects first. */
        if (strstr(e, "Invalid group name") || strstr(e, "Invalid key name") ||
            strstr(e, "Key file ")) {
            FAIL("iteration %u: GKeyFile refused the file: %s", iteration, e);
        }
        if (!printable_text(e) || strlen(e) > 600) {
            FAIL("iteration %u: error text not printable or too long (%zu)",
                 iteration, strlen(e));
        }
    }
    if (kf->errors == NULL || kf->errors[kf->error_count] != NULL) {
        FAIL("iteration %u: errors not NULL-terminated", iteration);
    }
    for (size_t i = 0; i < kf->entry_count; i++) {
        if (kf->entries[i].name == NULL ||
            !printable_text(kf->entries[i].name)) {
            FAIL("iteration %u: context %zu has no printable name", iteration,
                 i);
        }
    }
    for (size_t i = 0; i < kf->group_count; i++) {
        if (kf->groups[i].name == NULL || !printable_text(kf->groups[i].name)) {
            FAIL("iteration %u: group %zu has no printable name", iteration, i);
        }
    }
    with_contexts += kf->entry_count + kf->group_count > 0;
    with_errors += kf->error_count > 0;
    osc_context_set *set = osc_context_set_new();
    if (oscore_keyfile_add_to_set(kf, set) != OSC_OK) {
        FAIL("iteration %u: contexts do not go into a set", iteration);
    }
    osc_context_set_free(set);

    /* Same bytes, same result. */
    oscore_keyfile *again = oscore_keyfile_load_data(data, len, "fuzz");
    if (again->entry_count != kf->entry_count ||
        again->group_count != kf->group_count ||
        again->error_count != kf->error_count) {
        FAIL("iteration %u: a second load differs", iteration);
    }
    oscore_keyfile_free(again);
    oscore_keyfile_free(kf);
}

/* path is refused by the reader; oscore_keyfile_load gives no context
 * and one message containing expect (and naming the path). */
static void check_refused_as(const char *path, const char *what,
                             const char *expect)
{
    char *data = NULL;
    size_t len = 0;
    char err[256] = "";
    if (oscore_keyfile_read(path, &data, &len, err, sizeof err)) {
        FAIL("%s (%s) was read", path, what);
        g_free(data);
        return;
    }
    oscore_keyfile *kf = oscore_keyfile_load(path);
    if (kf->error_count != 1 || kf->entry_count != 0 ||
        strstr(kf->errors[0], expect) == NULL ||
        strstr(kf->errors[0], path) == NULL) {
        FAIL("%s (%s): expected one \"%s\" error", path, what, expect);
    } else {
        printf("%s: %s\n", what, kf->errors[0]);
    }
    oscore_keyfile_free(kf);
}

static void check_refused(const char *path, const char *what)
{
    check_refused_as(path, what, "cannot read");
}

int main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: keyfile_fuzz SEED ITERATIONS KEYS...\n");
        return 2;
    }
    osc_status engine = osc_engine_init();
    if (engine != OSC_OK) {
        fprintf(stderr, "%s: %s\n", argv[0], osc_status_message(engine));
        return 1;
    }
    state = strtoull(argv[1], NULL, 0);
    unsigned iterations = (unsigned)strtoul(argv[2], NULL, 0);
    for (int i = 3; i < argc; i++) {
        add_seeds(argv[i]);
    }
    if (seed_count == 0) {
        fprintf(stderr, "keyfile_fuzz: no keys files\n");
        return 2;
    }
    /* The seeds themselves, then mutants. */
    for (size_t i = 0; i < seed_count; i++) {
        check(seeds[i].data, seeds[i].len, 0);
    }
    for (unsigned it = 1; it <= iterations; it++) {
        buf b = {0};
        mutate(&seeds[below(seed_count)], &b);
        check(b.p ? b.p : "", b.n, it);
        free(b.p);
    }

    /* Paths that are not keys files. */
    char dir[] = "/tmp/keyfile_fuzz.XXXXXX";
    if (mkdtemp(dir) == NULL) {
        FAIL("mkdtemp");
    } else {
        char fifo[sizeof dir + 16];
        snprintf(fifo, sizeof fifo, "%s/fifo", dir);
        /* A directory is read as an aiocoap security context (issue 13):
         * an empty one is not one. */
        check_refused_as(dir, "a directory",
                         "neither settings.json nor secret.json");
        if (mkfifo(fifo, 0600) == 0) {
            check_refused(fifo, "a FIFO");
            unlink(fifo);
        }
        /* ... and its settings.json is read with the same care: a FIFO
         * there must not block. */
        char settings[sizeof dir + 16];
        snprintf(settings, sizeof settings, "%s/settings.json", dir);
        if (mkfifo(settings, 0600) == 0) {
            check_refused_as(dir, "a FIFO as settings.json", "cannot read");
            unlink(settings);
        }
        rmdir(dir);
    }
    check_refused("/dev/zero", "a device");
    check_refused("/nonexistent/dir/x.keys", "a missing file");

    printf("keyfile_fuzz: %zu seed files, %u mutants (%u with contexts, %u "
           "with errors), %u failures\n",
           seed_count, iterations, with_contexts, with_errors, failures);
    for (size_t i = 0; i < seed_count; i++) {
        g_free(seeds[i].data);
    }
    free(seeds);
    return failures ? 1 : 0;
}
