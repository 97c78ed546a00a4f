/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Writes seed files for the libFuzzer harnesses (make_seeds.sh): reads
 * hex strings, one a line, from standard input and writes each as a
 * binary file into DIR, once behind every PREFIX given (hex, may be "-"
 * for none). Files are named by a hash of their bytes, so the same input
 * gives the same files and duplicates collapse. A shell loop with one
 * xxd per file took minutes for the few thousand seeds.
 *
 * Usage: hex_seeds DIR PREFIX... < hexes.txt
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define MAX_BYTES 65536

static int nibble(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Appends the bytes of hex text to out (at *len); 0 on a bad string. */
static int append_hex(const char *text, uint8_t *out, size_t *len)
{
    size_t n = strlen(text);
    if (n % 2 || *len + n / 2 > MAX_BYTES)
        return 0;
    for (size_t i = 0; i < n; i += 2) {
        int hi = nibble(text[i]), lo = nibble(text[i + 1]);
        if (hi < 0 || lo < 0)
            return 0;
        out[(*len)++] = (uint8_t)(hi << 4 | lo);
    }
    return 1;
}

static int write_seed(const char *dir, const uint8_t *bytes, size_t len)
{
    uint64_t h = 14695981039346656037ull; /* FNV-1a, 64 bits */
    for (size_t i = 0; i < len; i++)
        h = (h ^ bytes[i]) * 1099511628211ull;
    char path[4096];
    snprintf(path, sizeof path, "%s/%016llx", dir, (unsigned long long)h);
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(bytes, 1, len, f) != len || fclose(f) != 0) {
        perror(path);
        return 0;
    }
    return 1;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: %s DIR PREFIX... < hexes\n", argv[0]);
        return 2;
    }
    static char line[2 * MAX_BYTES + 2];
    static uint8_t bytes[MAX_BYTES];
    while (fgets(line, sizeof line, stdin)) {
        line[strcspn(line, "\r\n")] = '\0';
        for (int p = 2; p < argc; p++) {
            size_t len = 0;
            const char *prefix = strcmp(argv[p], "-") == 0 ? "" : argv[p];
            if (!append_hex(prefix, bytes, &len) ||
                !append_hex(line, bytes, &len))
                continue;
            if (!write_seed(argv[1], bytes, len))
                return 1;
        }
    }
    return 0;
}
