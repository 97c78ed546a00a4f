/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A set of named, derived security contexts, looked up by the
 * (kid context, kid) of a request through a hash table on the kid.
 *
 * Each context is indexed under both of its IDs: a request whose kid is
 * the context's sender ID was sent by OSC_PARTY_SENDER, one whose kid is
 * the recipient ID by OSC_PARTY_RECIPIENT (the roles of client and server
 * may swap within one context, RFC 8613 3.1).
 *
 * The set owns copies of the contexts and names; pointers returned stay
 * valid until the set is freed (contexts are stored in stable chunks, not
 * a reallocated array).
 */
#ifndef OSCORE_CONTEXT_SET_H
#define OSCORE_CONTEXT_SET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "oscore/context.h"
#include "oscore/layer.h"
#include "oscore/status.h"

typedef struct osc_context_set osc_context_set;

/* NULL when out of memory. */
osc_context_set *osc_context_set_new(void);
void osc_context_set_free(osc_context_set *set);

/*
 * Adds a copy of ctx under a name (copied; may be NULL). *index (may be
 * NULL) receives its position. Errors: OSC_ERR_OUT_OF_MEMORY.
 */
osc_status osc_context_set_add(osc_context_set *set, const char *name,
                               const osc_context *ctx, size_t *index);

size_t osc_context_set_count(const osc_context_set *set);
const osc_context *osc_context_set_get(const osc_context_set *set,
                                       size_t index);
const char *osc_context_set_name(const osc_context_set *set, size_t index);

/* Index of the context with this pointer (one returned by _get), or
 * SIZE_MAX. */
size_t osc_context_set_index_of(const osc_context_set *set,
                                const osc_context *ctx);

/*
 * Candidates for a request with this kid and optional kid context:
 * every (context, party) whose ID equals kid and, when the message
 * carries a kid context, whose ID Context equals it. A message without
 * kid context matches contexts with or without an ID Context (the ID
 * Context may be known out of band, RFC 8613 5.1). Contexts whose ID
 * Context equals the message's come first. Writes at most cap
 * candidates and returns how many matched in total.
 */
size_t osc_context_set_lookup(const osc_context_set *set, const uint8_t *kid,
                              size_t kid_len, bool has_kid_context,
                              const uint8_t *kid_context,
                              size_t kid_context_len, osc_candidate *out,
                              size_t cap);

/*
 * Group OSCORE contexts (group.h) live in the same set, looked up by Gid
 * (the kid context of a group request) through a hash. The set keeps its
 * own copy; pointers stay valid until the set is freed. Group indices
 * are separate from the indices of plain contexts.
 */
struct osc_group_context;
osc_status osc_context_set_add_group(osc_context_set *set, const char *name,
                                     const struct osc_group_context *group,
                                     size_t *index);
size_t osc_context_set_group_count(const osc_context_set *set);
const struct osc_group_context *
osc_context_set_get_group(const osc_context_set *set, size_t index);
const char *osc_context_set_group_name(const osc_context_set *set,
                                       size_t index);
/* Index of this group pointer (one returned by the set), or SIZE_MAX. */
size_t osc_context_set_group_index_of(const osc_context_set *set,
                                      const struct osc_group_context *group);
/* The group whose Gid equals gid, or NULL. */
const struct osc_group_context *
osc_context_set_lookup_group(const osc_context_set *set, const uint8_t *gid,
                             size_t gid_len);

#endif
