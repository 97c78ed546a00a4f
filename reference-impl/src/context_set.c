/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Named contexts looked up by kid through a chained hash table.
 *
 * Contexts live in fixed-size chunks that are never moved, so the
 * pointers handed out (and kept in request bindings by callers) stay
 * valid while the set grows.
 */
#include "oscore/context_set.h"

#include "oscore/group.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define CHUNK_SIZE 64

typedef struct context_entry {
    osc_context ctx;
    char *name;
} context_entry;

typedef struct context_chunk {
    context_entry entries[CHUNK_SIZE];
} context_chunk;

/* One (context, party) under the ID of that party. */
typedef struct index_node {
    size_t context_index;
    osc_party party;
    struct index_node *next;
} index_node;

/* A group, allocated on its own so its address never changes. */
typedef struct group_entry {
    osc_group_context *group;
    char *name;
    struct group_entry *next_in_bucket;
} group_entry;

#define GROUP_BUCKETS 32

struct osc_context_set {
    group_entry **groups; /* by index */
    size_t group_count;
    group_entry *group_buckets[GROUP_BUCKETS]; /* by Gid hash */
    context_chunk **chunks;
    size_t chunk_count;
    size_t count;
    /* Chains in insertion order; tails[b] is the last node of chain b,
     * so that appending is O(1) however many contexts share an ID (a
     * walk to the end made 100,000 contexts sharing one kid take minutes
     * to load). */
    index_node **buckets;
    index_node **tails;
    size_t bucket_count; /* power of two */
    size_t node_count;
};

/* FNV-1a: IDs are at most 7 bytes; any spread-out hash works. */
static size_t hash_id(const uint8_t *id, size_t len)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < len; i++) {
        h ^= id[i];
        h *= 16777619u;
    }
    h ^= (uint32_t)len;
    return h;
}

osc_context_set *osc_context_set_new(void)
{
    osc_context_set *set = calloc(1, sizeof *set);
    if (!set)
        return NULL;
    set->bucket_count = 64;
    set->buckets = calloc(set->bucket_count, sizeof *set->buckets);
    set->tails = calloc(set->bucket_count, sizeof *set->tails);
    if (!set->buckets || !set->tails) {
        free(set->buckets);
        free(set->tails);
        free(set);
        return NULL;
    }
    return set;
}

void osc_context_set_free(osc_context_set *set)
{
    if (!set)
        return;
    for (size_t b = 0; b < set->bucket_count; b++) {
        index_node *node = set->buckets[b];
        while (node) {
            index_node *next = node->next;
            free(node);
            node = next;
        }
    }
    free(set->buckets);
    free(set->tails);
    for (size_t i = 0; i < set->group_count; i++) {
        free(set->groups[i]->group);
        free(set->groups[i]->name);
        free(set->groups[i]);
    }
    free(set->groups);
    for (size_t i = 0; i < set->count; i++)
        free(set->chunks[i / CHUNK_SIZE]->entries[i % CHUNK_SIZE].name);
    for (size_t c = 0; c < set->chunk_count; c++)
        free(set->chunks[c]);
    free(set->chunks);
    free(set);
}

static char *copy_name(const char *name);

static context_entry *entry_at(const osc_context_set *set, size_t index)
{
    return &set->chunks[index / CHUNK_SIZE]->entries[index % CHUNK_SIZE];
}

/* Appends node to chain slot of (buckets, tails). */
static void append_node(index_node **buckets, index_node **tails, size_t slot,
                        index_node *node)
{
    node->next = NULL;
    if (tails[slot])
        tails[slot]->next = node;
    else
        buckets[slot] = node;
    tails[slot] = node;
}

/* Doubles the table. Each old chain is walked from its head and its nodes
 * appended to their new chains, so nodes of one ID stay in the order they
 * were added (prepending reversed them, and lookups then returned the
 * newest contexts first: with more than OSC_MAX_CANDIDATES sharing a kid,
 * the right, first-added one was never tried). */
static osc_status grow_buckets(osc_context_set *set)
{
    size_t new_count = set->bucket_count * 2;
    index_node **buckets = calloc(new_count, sizeof *buckets);
    index_node **tails = calloc(new_count, sizeof *tails);
    if (!buckets || !tails) {
        free(buckets);
        free(tails);
        return OSC_ERR_OUT_OF_MEMORY;
    }
    for (size_t b = 0; b < set->bucket_count; b++) {
        index_node *node = set->buckets[b];
        while (node) {
            index_node *next = node->next;
            const osc_context *ctx = &entry_at(set, node->context_index)->ctx;
            size_t slot =
                hash_id(ctx->id[node->party], ctx->id_len[node->party]) &
                (new_count - 1);
            append_node(buckets, tails, slot, node);
            node = next;
        }
    }
    free(set->buckets);
    free(set->tails);
    set->buckets = buckets;
    set->tails = tails;
    set->bucket_count = new_count;
    return OSC_OK;
}

static osc_status index_party(osc_context_set *set, size_t index,
                              osc_party party)
{
    if (set->node_count + 1 > set->bucket_count && grow_buckets(set) != OSC_OK)
        return OSC_ERR_OUT_OF_MEMORY;
    index_node *node = malloc(sizeof *node);
    if (!node)
        return OSC_ERR_OUT_OF_MEMORY;
    const osc_context *ctx = &entry_at(set, index)->ctx;
    size_t slot =
        hash_id(ctx->id[party], ctx->id_len[party]) & (set->bucket_count - 1);
    node->context_index = index;
    node->party = party;
    /* Append so lookups return contexts in the order they were added. */
    append_node(set->buckets, set->tails, slot, node);
    set->node_count++;
    return OSC_OK;
}

osc_status osc_context_set_add(osc_context_set *set, const char *name,
                               const osc_context *ctx, size_t *index)
{
    if (set->count == set->chunk_count * CHUNK_SIZE) {
        context_chunk **chunks =
            realloc(set->chunks, (set->chunk_count + 1) * sizeof *chunks);
        if (!chunks)
            return OSC_ERR_OUT_OF_MEMORY;
        set->chunks = chunks;
        set->chunks[set->chunk_count] = calloc(1, sizeof(context_chunk));
        if (!set->chunks[set->chunk_count])
            return OSC_ERR_OUT_OF_MEMORY;
        set->chunk_count++;
    }
    char *name_copy = copy_name(name);
    if (name && !name_copy)
        return OSC_ERR_OUT_OF_MEMORY;
    size_t new_index = set->count;
    context_entry *entry = entry_at(set, new_index);
    entry->ctx = *ctx;
    entry->name = name_copy;
    set->count++;

    osc_status status = index_party(set, new_index, OSC_PARTY_SENDER);
    /* With equal IDs (a demo-style context) one entry serves both. */
    bool same_ids = ctx->id_len[0] == ctx->id_len[1] &&
                    memcmp(ctx->id[0], ctx->id[1], ctx->id_len[0]) == 0;
    if (status == OSC_OK && !same_ids)
        status = index_party(set, new_index, OSC_PARTY_RECIPIENT);
    if (status != OSC_OK)
        return status;
    if (index)
        *index = new_index;
    return OSC_OK;
}

size_t osc_context_set_count(const osc_context_set *set)
{
    return set->count;
}

const osc_context *osc_context_set_get(const osc_context_set *set, size_t index)
{
    return index < set->count ? &entry_at(set, index)->ctx : NULL;
}

const char *osc_context_set_name(const osc_context_set *set, size_t index)
{
    return index < set->count ? entry_at(set, index)->name : NULL;
}

size_t osc_context_set_index_of(const osc_context_set *set,
                                const osc_context *ctx)
{
    for (size_t c = 0; c < set->chunk_count; c++) {
        const context_entry *first = &set->chunks[c]->entries[0];
        const context_entry *found = (const context_entry *)(const void *)ctx;
        /* Pointer comparison within one chunk only. */
        if ((uintptr_t)found >= (uintptr_t)first &&
            (uintptr_t)found < (uintptr_t)(first + CHUNK_SIZE)) {
            size_t index = c * CHUNK_SIZE + (size_t)(found - first);
            return index < set->count ? index : SIZE_MAX;
        }
    }
    return SIZE_MAX;
}

size_t osc_context_set_lookup(const osc_context_set *set, const uint8_t *kid,
                              size_t kid_len, bool has_kid_context,
                              const uint8_t *kid_context,
                              size_t kid_context_len, osc_candidate *out,
                              size_t cap)
{
    size_t slot = hash_id(kid, kid_len) & (set->bucket_count - 1);
    size_t total = 0;
    /* Two passes: exact ID Context matches first, then contexts the
     * message does not name (no kid context in the message). */
    for (int pass = 0; pass < 2; pass++) {
        for (const index_node *node = set->buckets[slot]; node;
             node = node->next) {
            const osc_context *ctx = &entry_at(set, node->context_index)->ctx;
            if (ctx->id_len[node->party] != kid_len ||
                memcmp(ctx->id[node->party], kid, kid_len) != 0)
                continue;
            bool exact =
                has_kid_context && ctx->has_id_context &&
                ctx->id_context_len == kid_context_len &&
                memcmp(ctx->id_context, kid_context, kid_context_len) == 0;
            bool matches = pass == 0 ? exact : !has_kid_context;
            if (!matches)
                continue;
            if (total < cap) {
                out[total].ctx = ctx;
                out[total].party = node->party;
                out[total].index = node->context_index;
            }
            total++;
        }
    }
    return total;
}

static char *copy_name(const char *name)
{
    if (!name)
        return NULL;
    size_t len = strlen(name);
    char *copy = malloc(len + 1);
    if (copy)
        memcpy(copy, name, len + 1);
    return copy;
}

osc_status osc_context_set_add_group(osc_context_set *set, const char *name,
                                     const osc_group_context *group,
                                     size_t *index)
{
    group_entry **groups =
        realloc(set->groups, (set->group_count + 1) * sizeof *groups);
    if (!groups)
        return OSC_ERR_OUT_OF_MEMORY;
    set->groups = groups;
    group_entry *entry = calloc(1, sizeof *entry);
    osc_group_context *copy = malloc(sizeof *copy);
    char *name_copy = copy_name(name);
    if (!entry || !copy || (name && !name_copy)) {
        free(entry);
        free(copy);
        free(name_copy);
        return OSC_ERR_OUT_OF_MEMORY;
    }
    *copy = *group;
    entry->group = copy;
    entry->name = name_copy;
    size_t slot = hash_id(group->gid, group->gid_len) % GROUP_BUCKETS;
    /* Append: the first group added for a Gid wins lookups. */
    group_entry **tail = &set->group_buckets[slot];
    while (*tail)
        tail = &(*tail)->next_in_bucket;
    *tail = entry;
    if (index)
        *index = set->group_count;
    set->groups[set->group_count++] = entry;
    return OSC_OK;
}

size_t osc_context_set_group_count(const osc_context_set *set)
{
    return set->group_count;
}

const osc_group_context *osc_context_set_get_group(const osc_context_set *set,
                                                   size_t index)
{
    return index < set->group_count ? set->groups[index]->group : NULL;
}

const char *osc_context_set_group_name(const osc_context_set *set, size_t index)
{
    return index < set->group_count ? set->groups[index]->name : NULL;
}

size_t osc_context_set_group_index_of(const osc_context_set *set,
                                      const osc_group_context *group)
{
    for (size_t i = 0; i < set->group_count; i++)
        if (set->groups[i]->group == group)
            return i;
    return SIZE_MAX;
}

const osc_group_context *
osc_context_set_lookup_group(const osc_context_set *set, const uint8_t *gid,
                             size_t gid_len)
{
    size_t slot = hash_id(gid, gid_len) % GROUP_BUCKETS;
    for (const group_entry *entry = set->group_buckets[slot]; entry;
         entry = entry->next_in_bucket) {
        const osc_group_context *group = entry->group;
        if (group->gid_len == gid_len &&
            (gid_len == 0 || memcmp(group->gid, gid, gid_len) == 0))
            return group;
    }
    return NULL;
}
