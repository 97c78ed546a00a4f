/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Loader of the OSCORE keys file format (keys/README.md): one GKeyFile
 * group per security context, hex byte strings, `#` comments, also after
 * a value. Shared by the Wireshark plugin and the reference endpoints, so
 * it depends on GLib and the engine only, never on Wireshark.
 *
 * The public interface uses plain C types so that users need not include
 * GLib themselves.
 *
 * Error policy: a bad line or a bad context never stops the others from
 * loading. Every problem becomes one message "FILE:LINE: text" in
 * errors[], and the context it belongs to (if any) is left out.
 */
#ifndef OSCORE_KEYFILE_H
#define OSCORE_KEYFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "oscore/context.h"
#include "oscore/context_set.h"
#include "oscore/group.h"

/* One context that loaded and derived without error. */
typedef struct oscore_keyfile_entry {
    char *name;    /* the group name, shown as the context name */
    unsigned line; /* 1-based line of the [group] header */
    osc_context_params params;
    osc_context ctx; /* derived once, at load time */
} oscore_keyfile_entry;

/* One Group OSCORE context ("group = true") that loaded and derived. */
typedef struct oscore_keyfile_group {
    char *name;
    unsigned line;
    struct osc_group_context *group; /* derived once, at load time */
} oscore_keyfile_group;

typedef struct oscore_keyfile {
    oscore_keyfile_entry *entries;
    size_t entry_count;
    oscore_keyfile_group *groups;
    size_t group_count;
    char **errors; /* each "FILE:LINE: message" */
    size_t error_count;
} oscore_keyfile;

/*
 * Reads and parses the key source at path, whichever format it has
 * (oscore_keyfile_detect; keys/README.md): a keys file, a libcoap OSCORE
 * configuration, an aiocoap security-context directory (or its
 * settings.json / secret.json), or an aiocoap credentials file. An
 * unreadable source gives a keyfile with no entries and one error. Never
 * returns NULL.
 */
oscore_keyfile *oscore_keyfile_load(const char *path);

/* The formats a key source may have. */
typedef enum oscore_keyfile_format {
    OSCORE_KEYFILE_FORMAT_KEYS,    /* our keys file (keys/README.md) */
    OSCORE_KEYFILE_FORMAT_LIBCOAP, /* coap-oscore-conf(5) */
    /* settings.json or secret.json of an aiocoap security-context
     * directory (aiocoap.oscore.FilesystemSecurityContext) */
    OSCORE_KEYFILE_FORMAT_AIOCOAP_CONTEXT,
    /* an aiocoap credentials map (aiocoap.credentials), JSON */
    OSCORE_KEYFILE_FORMAT_AIOCOAP_CREDENTIALS,
} oscore_keyfile_format;

/* Which format the bytes of a file are, by content: JSON (a '{' first)
 * with a setting of a security context is AIOCOAP_CONTEXT, other JSON
 * AIOCOAP_CREDENTIALS; a first line "word,encoding,value" LIBCOAP;
 * anything else KEYS (whose loader then says what is wrong). */
oscore_keyfile_format oscore_keyfile_detect(const char *data, size_t len);

/* Parses a libcoap OSCORE configuration; `source` names it in messages
 * and its base name (without extension) names the contexts. */
oscore_keyfile *oscore_keyfile_load_libcoap_data(const char *data, size_t len,
                                                 const char *source);

/* A SHA-256 (hex, NUL-terminated) of everything oscore_keyfile_load(path)
 * reads: the path, and the bytes of every file (for an aiocoap source
 * also those of each context directory) or why it could not be read.
 * Equal digests mean the same contexts. */
void oscore_keyfile_digest(const char *path, char out[65]);

/* Largest keys file read, in bytes. 10000 contexts take about 1 MiB; a
 * bigger file is some other file chosen by mistake. */
#define OSCORE_KEYFILE_MAX_SIZE (16u * 1024u * 1024u)

/* Reads the bytes of a keys file: only a regular file of at most
 * OSCORE_KEYFILE_MAX_SIZE bytes (a FIFO would block, a device might never
 * end). On success *data (NUL-terminated, free it with g_free) holds
 * *len bytes; on failure returns false with the reason in err. */
bool oscore_keyfile_read(const char *path, char **data, size_t *len, char *err,
                         size_t err_cap);

/* Parses keys file text; `source` names it in error messages. */
oscore_keyfile *oscore_keyfile_load_data(const char *data, size_t len,
                                         const char *source);

void oscore_keyfile_free(oscore_keyfile *kf);

/* Adds every entry and group to set under its name. Returns OSC_OK or the
 * first error of osc_context_set_add(_group). */
osc_status oscore_keyfile_add_to_set(const oscore_keyfile *kf,
                                     osc_context_set *set);

/*
 * The textual fields of one context, as in the keys file (and in the
 * plugin's table of contexts). NULL or "" for aead/hkdf means the
 * default; id_context NULL means absent, "" means present and empty.
 */
typedef struct oscore_keyfile_fields {
    const char *master_secret;
    const char *master_salt;
    const char *id_context;
    const char *sender_id;
    const char *recipient_id;
    const char *aead;
    const char *hkdf;
} oscore_keyfile_fields;

/*
 * Turns text fields into derivation parameters and checks them (hex,
 * lengths, algorithm names, ID length for the algorithm). On failure
 * returns false and writes a message naming the field into err.
 */
bool oscore_keyfile_params_from_fields(const oscore_keyfile_fields *fields,
                                       osc_context_params *out, char *err,
                                       size_t err_cap);

/*
 * The textual fields of one member of a Group OSCORE context, as in the
 * keys file ("member.<sender_id> = <credential>" and
 * "member.<sender_id>.private_key = <private_key>") and in the plugin's
 * table of group members: hex; private_key NULL when not known.
 */
typedef struct oscore_keyfile_member_fields {
    const char *sender_id;
    const char *credential;
    const char *private_key;
} oscore_keyfile_member_fields;

/*
 * Checks one member (hex, lengths, a CCS credential with an Ed25519 or
 * P-256 key, the private key of that key) into out. signature_alg is the
 * group's Signature Algorithm (COSE id), whose curve the credential must
 * have; 0 when not known, then the curve is not checked. On failure
 * returns false and writes a message starting with the member's keys
 * file key ("member.<sender_id>: ..." or "...private_key: ...") to err.
 */
bool oscore_keyfile_member_from_fields(const oscore_keyfile_member_fields *f,
                                       int signature_alg,
                                       osc_group_member_params *out, char *err,
                                       size_t err_cap);

/*
 * The textual fields of a Group OSCORE context (RFC 10021 2), as the keys
 * of a "group = true" context (keys/README.md) and the columns of the
 * plugin's table of groups. NULL means not given: the default for the
 * algorithms (an empty text or "none" leaves one unset), an error for
 * master_secret and id_context (the Gid).
 */
typedef struct oscore_keyfile_group_fields {
    const char *master_secret;
    const char *master_salt;
    const char *id_context;
    const char *aead;
    const char *group_enc;
    const char *signature;
    const char *pairwise_ka;
    const char *hkdf;
    const char *gm_cred;
    const oscore_keyfile_member_fields *members;
    size_t member_count;
} oscore_keyfile_group_fields;

/*
 * Checks the fields and derives the group context (the one code behind
 * keys files and the plugin's tables). Returns it (free with
 * oscore_keyfile_group_context_free), or NULL with a message starting
 * with the keys file key at fault in err; *bad_member (may be NULL) is
 * then the index of the member at fault, or SIZE_MAX when none is.
 */
struct osc_group_context *
oscore_keyfile_group_from_fields(const oscore_keyfile_group_fields *f,
                                 size_t *bad_member, char *err, size_t err_cap);

/* Wipes (keys) and frees a group context of the function above. */
void oscore_keyfile_group_context_free(struct osc_group_context *group);

/* A message made safe to print as the loader's own are (control
 * characters as \xNN, cut at a few hundred bytes), for callers that
 * quote text of their own sources, e.g. the plugin's table cells; the
 * result, cut to out_cap bytes, goes to out. */
void oscore_keyfile_escape(const char *text, char *out, size_t out_cap);

/* Decodes a hex string (case-insensitive, surrounding blanks ignored; ""
 * is the empty byte string). False on a non-hex character, an odd
 * number of digits, or more than cap bytes. */
bool oscore_keyfile_parse_hex(const char *text, uint8_t *out, size_t cap,
                              size_t *len);

#endif
