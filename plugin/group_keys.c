/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Group OSCORE contexts (RFC 10021 2) entered in the GUI: the table
 * "OSCORE layers groups" (one row per group: the Common Context) and
 * "OSCORE layers group members" (one row per member: its Sender ID,
 * authentication credential and, optionally, private key), joined by the
 * group name. A group's members are a variable list, which one row of
 * fixed columns cannot hold, hence two tables.
 *
 * Both are checked by the keys file loader's own code
 * (oscore_keyfile_group_from_fields, oscore_keyfile_member_from_fields),
 * so a table accepts exactly what a keys file accepts; its messages start
 * with the keys file key at fault, which names the column (a member's
 * "member.<id>" its row). What one row can tell alone is checked when it
 * is edited; what needs the whole group (a credential of the Signature
 * Algorithm's curve, a Sender ID given twice) when the context set is
 * built, reported once per change with the table and row.
 */
#include "oscore_layers.h"

#include <epan/uat-int.h>
#include <string.h>
#include <wsutil/report_message.h>

#include "oscore_keyfile.h"

/* Only strings: copied, freed and fingerprinted as an array of them. */
typedef struct ol_group_row {
    char *name;
    char *master_secret;
    char *master_salt;
    char *gid;
    char *aead;
    char *group_enc;
    char *signature;
    char *pairwise_ka;
    char *hkdf;
    char *gm_cred;
} ol_group_row;

typedef struct ol_member_row {
    char *group;
    char *sender_id;
    char *credential;
    char *private_key;
} ol_member_row;

#define ROW_STRINGS(type) (sizeof(type) / sizeof(char *))

static ol_group_row *group_rows;
static guint group_row_count;
static uat_t *groups_uat;
static ol_member_row *member_rows;
static guint member_row_count;
static uat_t *members_uat;

#define GROUPS_TABLE "OSCORE layers groups"
#define MEMBERS_TABLE "OSCORE layers group members"

UAT_CSTRING_CB_DEF(ol_group, name, ol_group_row)
UAT_CSTRING_CB_DEF(ol_group, master_secret, ol_group_row)
UAT_CSTRING_CB_DEF(ol_group, master_salt, ol_group_row)
UAT_CSTRING_CB_DEF(ol_group, gid, ol_group_row)
UAT_CSTRING_CB_DEF(ol_group, aead, ol_group_row)
UAT_CSTRING_CB_DEF(ol_group, group_enc, ol_group_row)
UAT_CSTRING_CB_DEF(ol_group, signature, ol_group_row)
UAT_CSTRING_CB_DEF(ol_group, pairwise_ka, ol_group_row)
UAT_CSTRING_CB_DEF(ol_group, hkdf, ol_group_row)
UAT_CSTRING_CB_DEF(ol_group, gm_cred, ol_group_row)
UAT_CSTRING_CB_DEF(ol_member, group, ol_member_row)
UAT_CSTRING_CB_DEF(ol_member, sender_id, ol_member_row)
UAT_CSTRING_CB_DEF(ol_member, credential, ol_member_row)
UAT_CSTRING_CB_DEF(ol_member, private_key, ol_member_row)

/* len is the record size (uat_new passes it), so one copy serves both
 * row types. */
static void *row_copy(void *dest, const void *source, size_t len)
{
    char **d = dest;
    char *const *s = source;
    for (size_t i = 0; i < len / sizeof(char *); i++) {
        d[i] = g_strdup(s[i]);
    }
    return dest;
}

static void strings_free(void *record, size_t count)
{
    char **s = record;
    for (size_t i = 0; i < count; i++) {
        if (s[i] != NULL) {
            memset(s[i], 0, strlen(s[i])); /* secrets and private keys */
        }
        g_free(s[i]);
        s[i] = NULL;
    }
}

static void group_row_free(void *record)
{
    strings_free(record, ROW_STRINGS(ol_group_row));
}

static void member_row_free(void *record)
{
    strings_free(record, ROW_STRINGS(ol_member_row));
}

/* An empty cell is "not given", as a key left out of a keys file: the
 * default algorithm, no salt, no GM credential; a missing Gid. */
static const char *cell(const char *s)
{
    return (s != NULL && s[0] != '\0') ? s : NULL;
}

static oscore_keyfile_group_fields group_fields(const ol_group_row *r)
{
    oscore_keyfile_group_fields f = {
        .master_secret = cell(r->master_secret),
        .master_salt = cell(r->master_salt),
        .id_context = cell(r->gid),
        .aead = cell(r->aead),
        .group_enc = cell(r->group_enc),
        .signature = cell(r->signature),
        .pairwise_ka = cell(r->pairwise_ka),
        .hkdf = cell(r->hkdf),
        .gm_cred = cell(r->gm_cred),
    };
    return f;
}

static oscore_keyfile_member_fields member_fields(const ol_member_row *r)
{
    oscore_keyfile_member_fields f = {
        .sender_id = r->sender_id != NULL ? r->sender_id : "",
        .credential = cell(r->credential),
        .private_key = cell(r->private_key),
    };
    return f;
}

/* A message for the user, which may quote a cell: a cell can hold any
 * bytes ("\x1b" on the command line), shown as \xNN. */
static char *escaped(const char *message)
{
    char shown[512];
    oscore_keyfile_escape(message, shown, sizeof shown);
    return g_strdup(shown);
}

/* At edit time: the group's own fields, derived without members (which
 * are in the other table). */
static ol_uat_bool group_row_update(void *record, char **error)
{
    const ol_group_row *r = record;
    if (!ol_uat_name_ok("name", r->name, error)) {
        return FALSE;
    }
    oscore_keyfile_group_fields f = group_fields(r);
    char err[256];
    osc_group_context *group =
        oscore_keyfile_group_from_fields(&f, NULL, err, sizeof err);
    if (group == NULL) {
        *error = escaped(err);
        return FALSE;
    }
    oscore_keyfile_group_context_free(group);
    return TRUE;
}

/* At edit time: the member alone (its group's Signature Algorithm, thus
 * the curve, is checked when the set is built). */
static ol_uat_bool member_row_update(void *record, char **error)
{
    const ol_member_row *r = record;
    if (!ol_uat_name_ok("group", r->group, error)) {
        return FALSE;
    }
    oscore_keyfile_member_fields f = member_fields(r);
    osc_group_member_params m;
    char err[256];
    bool ok = oscore_keyfile_member_from_fields(&f, 0, &m, err, sizeof err);
    memset(&m, 0, sizeof m);
    if (!ok) {
        *error = escaped(err);
        return FALSE;
    }
    return TRUE;
}

static void tables_changed(void)
{
    /* Nothing to do now: the fingerprint differs, so the next pass
     * rebuilds the set (keys.c). */
}

static void register_groups(module_t *module)
{
    static uat_field_t fields[] = {
        UAT_FLD_CSTRING(ol_group, name, "Name",
                        "Group name shown in the tree and Info column; "
                        "members name it"),
        UAT_FLD_CSTRING(ol_group, master_secret, "Secret",
                        "Master Secret, hex"),
        UAT_FLD_CSTRING(ol_group, master_salt, "Salt",
                        "Master Salt, hex, may be empty"),
        UAT_FLD_CSTRING(ol_group, gid, "Gid",
                        "Group Identifier (the ID Context), hex; required"),
        UAT_FLD_CSTRING(ol_group, aead, "AEAD",
                        "AEAD Algorithm (pairwise mode): COSE id or name; "
                        "empty = 10 (AES-CCM-16-64-128); none"),
        UAT_FLD_CSTRING(ol_group, group_enc, "Group Enc",
                        "Group Encryption Algorithm (group mode): an AEAD "
                        "or A128CTR, A192CTR, A256CTR; empty = 10; none"),
        UAT_FLD_CSTRING(ol_group, signature, "Signature",
                        "Signature Algorithm: EdDSA (-8, empty) or ES256 "
                        "(-7); none"),
        UAT_FLD_CSTRING(ol_group, pairwise_ka, "Pairwise KA",
                        "Pairwise Key Agreement Algorithm: -27 (ECDH-SS + "
                        "HKDF-256, empty); none"),
        UAT_FLD_CSTRING(ol_group, hkdf, "HKDF",
                        "HKDF Algorithm: HKDF-SHA-256 (empty) or "
                        "HKDF-SHA-512"),
        UAT_FLD_CSTRING(ol_group, gm_cred, "GM Credential",
                        "The Group Manager's authentication credential, "
                        "hex; may be empty"),
        UAT_END_FIELDS};
    /* Help page and sizes as the contexts table (keys.c). */
    groups_uat =
        uat_new(GROUPS_TABLE, sizeof(ol_group_row), "oscore_layers_groups",
                TRUE, &group_rows, &group_row_count, UAT_AFFECTS_DISSECTION,
                "ChUserTable", row_copy, group_row_update, group_row_free,
                tables_changed, NULL, fields);
    prefs_register_uat_preference(
        module, "groups", "Group OSCORE contexts",
        "Group OSCORE contexts (RFC 10021); their members are in the "
        "group members table",
        groups_uat);
}

static void register_members(module_t *module)
{
    static uat_field_t fields[] = {
        UAT_FLD_CSTRING(ol_member, group, "Group",
                        "Name of the group (groups table)"),
        UAT_FLD_CSTRING(ol_member, sender_id, "Sender ID",
                        "The member's Sender ID, hex"),
        UAT_FLD_CSTRING(ol_member, credential, "Credential",
                        "Authentication credential: a CCS with an Ed25519 "
                        "or P-256 key, hex"),
        UAT_FLD_CSTRING(ol_member, private_key, "Private Key",
                        "Optional, hex: 32-byte Ed25519 seed or P-256 "
                        "private key (opens pairwise mode)"),
        UAT_END_FIELDS};
    members_uat = uat_new(MEMBERS_TABLE, sizeof(ol_member_row),
                          "oscore_layers_group_members", TRUE, &member_rows,
                          &member_row_count, UAT_AFFECTS_DISSECTION,
                          "ChUserTable", row_copy, member_row_update,
                          member_row_free, tables_changed, NULL, fields);
    prefs_register_uat_preference(
        module, "group_members", "Group OSCORE members",
        "Members of the Group OSCORE contexts: Sender ID, credential, "
        "optional private key",
        members_uat);
}

void ol_group_keys_register(module_t *module)
{
    register_groups(module);
    register_members(module);
}

/* ---- the context set ---- */

void ol_group_keys_fingerprint(GChecksum *sum)
{
    for (guint i = 0; i < group_row_count; i++) {
        ol_fingerprint_strings(sum, (const char *const *)(void *)&group_rows[i],
                               ROW_STRINGS(ol_group_row));
    }
    g_checksum_update(sum, (const guchar *)"--members--\n", -1);
    for (guint i = 0; i < member_row_count; i++) {
        ol_fingerprint_strings(sum,
                               (const char *const *)(void *)&member_rows[i],
                               ROW_STRINGS(ol_member_row));
    }
}

/* One warning "TABLE row N: [group] message", escaped: the message may
 * quote cells, which can hold any bytes. */
static void row_warning(const char *table, const uat_t *uat, guint index,
                        const char *group, const char *message)
{
    char *text = g_strdup_printf("[%s] %s", group, message);
    char *shown = escaped(text);
    report_warning("%s row %u: %s", table, ol_uat_shown_row(uat, index), shown);
    g_free(shown);
    g_free(text);
}

/* The first group row before index with the name of row index, or
 * G_MAXUINT. */
static guint earlier_group(guint index)
{
    for (guint i = 0; i < index; i++) {
        if (g_strcmp0(group_rows[i].name, group_rows[index].name) == 0) {
            return i;
        }
    }
    return G_MAXUINT;
}

/* Derives the group of row index with its member rows and adds it. */
static void add_group_row(guint index, osc_context_set *set)
{
    const ol_group_row *r = &group_rows[index];
    GArray *members =
        g_array_new(FALSE, TRUE, sizeof(oscore_keyfile_member_fields));
    GArray *member_index = g_array_new(FALSE, FALSE, sizeof(guint));
    for (guint i = 0; i < member_row_count; i++) {
        if (g_strcmp0(member_rows[i].group, r->name) == 0) {
            oscore_keyfile_member_fields m = member_fields(&member_rows[i]);
            g_array_append_val(members, m);
            g_array_append_val(member_index, i);
        }
    }
    oscore_keyfile_group_fields f = group_fields(r);
    f.members = (const oscore_keyfile_member_fields *)(void *)members->data;
    f.member_count = members->len;
    size_t bad = SIZE_MAX;
    char err[256];
    osc_group_context *group =
        oscore_keyfile_group_from_fields(&f, &bad, err, sizeof err);
    if (group == NULL && bad != SIZE_MAX) {
        row_warning(MEMBERS_TABLE, members_uat,
                    g_array_index(member_index, guint, bad), r->name, err);
    } else if (group == NULL) {
        row_warning(GROUPS_TABLE, groups_uat, index, r->name, err);
    } else if (osc_context_set_add_group(set, r->name, group, NULL) != OSC_OK) {
        row_warning(GROUPS_TABLE, groups_uat, index, r->name, "out of memory");
    }
    oscore_keyfile_group_context_free(group);
    g_array_free(members, TRUE);
    g_array_free(member_index, TRUE);
}

/* A member row whose group is in no group row would be silently unused:
 * a typo in the group name. */
static void check_member_groups(void)
{
    for (guint m = 0; m < member_row_count; m++) {
        if (!ol_uat_row_name_usable(members_uat, m, "group",
                                    member_rows[m].group)) {
            continue;
        }
        bool found = false;
        for (guint g = 0; g < group_row_count && !found; g++) {
            found = g_strcmp0(member_rows[m].group, group_rows[g].name) == 0;
        }
        if (!found) {
            row_warning(MEMBERS_TABLE, members_uat, m, member_rows[m].group,
                        "no group of this name in the table " GROUPS_TABLE);
        }
    }
}

void ol_group_keys_add(osc_context_set *set)
{
    for (guint i = 0; i < group_row_count; i++) {
        if (!ol_uat_row_name_usable(groups_uat, i, "name",
                                    group_rows[i].name)) {
            continue;
        }
        guint first = earlier_group(i);
        if (first != G_MAXUINT) {
            char *msg = g_strdup_printf(
                "defined again (first on row %u); this one is ignored",
                ol_uat_shown_row(groups_uat, first));
            row_warning(GROUPS_TABLE, groups_uat, i, group_rows[i].name, msg);
            g_free(msg);
            continue;
        }
        add_group_row(i, set);
    }
    check_member_groups();
}
