/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Shared between the loaders of the keys file (keyfile.c) and of the
 * other formats (formats.c, aiocoap.c): a result under construction, and
 * the escaping of quoted text. Not installed, not part of the interface.
 */
#ifndef OSCORE_KEYFILE_INTERNAL_H
#define OSCORE_KEYFILE_INTERNAL_H

#include <glib.h>

#include "oscore_keyfile.h"

/* Quoted file text made safe to print: control characters (and bytes
 * >= 0x80 when the text is not UTF-8) as \xNN, cut at a few hundred
 * bytes. Free with g_free. */
char *kf_escape_text(const char *s);

/* A context name made of a file or directory name: the name shown in
 * the tree must be UTF-8 text without control characters. */
char *kf_display_name(const char *file_name);

/* A result being built: contexts and messages in load order. */
typedef struct kf_result {
    GArray *entries;   /* oscore_keyfile_entry */
    GPtrArray *errors; /* char *, each "SOURCE:WHERE: message" */
} kf_result;

void kf_result_init(kf_result *r);
/* Adds a message, escaped as kf_escape_text does. */
void kf_result_error(kf_result *r, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
/* Checks and derives the context of text fields; on success adds it
 * under name and returns true, otherwise writes the problem (a message
 * starting with the field name, as oscore_keyfile_params_from_fields
 * does) to err and returns false. */
bool kf_result_add_fields(kf_result *r, const char *name, unsigned line,
                          const oscore_keyfile_fields *f, char *err,
                          size_t err_cap);
/* Moves everything into an oscore_keyfile (r is left empty). */
oscore_keyfile *kf_result_finish(kf_result *r);

/* Reads a file for a loader (oscore_keyfile_read's limits); when sum is
 * not NULL, its path and bytes (or the failure) go into it. */
bool kf_read_source(const char *path, GChecksum *sum, char **data, size_t *len,
                    char *err, size_t err_cap);

/* The lower-case hex of bytes, for oscore_keyfile_fields. */
char *kf_hex(const guint8 *bytes, size_t len);

/* formats.c */
oscore_keyfile *kf_load_libcoap(const char *data, size_t len,
                                const char *source);
/* aiocoap.c: sum (may be NULL) receives every file read. */
oscore_keyfile_format kf_aiocoap_detect(const char *json, size_t len);
oscore_keyfile *kf_load_aiocoap_dir(const char *dir, GChecksum *sum);
oscore_keyfile *kf_load_aiocoap_credentials(const char *data, size_t len,
                                            const char *source, GChecksum *sum);

#endif
