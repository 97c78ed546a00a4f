/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Replay protection state owned by the caller: the sliding replay window
 * of a Recipient Context (RFC 8613 7.4, the anti-replay window of RFC
 * 6347 4.1.2.6) and the Notification Number of an observation (RFC 8613
 * 4.1.3.5.2 and 7.4.1).
 */
#ifndef OSCORE_REPLAY_H
#define OSCORE_REPLAY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "oscore/status.h"

#define OSC_REPLAY_DEFAULT_WINDOW 32
#define OSC_REPLAY_MAX_WINDOW 1024

typedef struct osc_replay_window {
    size_t size;      /* window size in sequence numbers */
    bool initialized; /* false until the first accepted number */
    uint64_t largest; /* highest sequence number accepted */
    /* bit i of the bitmap: largest - i was accepted */
    uint64_t bitmap[OSC_REPLAY_MAX_WINDOW / 64];
} osc_replay_window;

/* size 1..OSC_REPLAY_MAX_WINDOW, else OSC_ERR_INVALID_ARGUMENT. */
osc_status osc_replay_init(osc_replay_window *window, size_t size);

/* OSC_OK if sequence is new and inside the window; OSC_ERR_REPLAY if it
 * was accepted before or is older than the window allows. Does not change
 * the window (check before decrypting, update after verification). */
osc_status osc_replay_check(const osc_replay_window *window, uint64_t sequence);

/* Marks sequence as accepted (call only after a successful check and a
 * successful decryption). */
void osc_replay_update(osc_replay_window *window, uint64_t sequence);

/* Notification Number state of one observation at the client. */
typedef struct osc_notification_state {
    bool has_number;
    uint64_t number;           /* largest Partial IV accepted */
    bool accepted_without_piv; /* the one allowed notification w/o PIV */
    /* Partial IVs received (RFC 8613 7.4.1: one received before must
     * not be processed again), as far back as the window reaches. */
    osc_replay_window seen;
} osc_notification_state;

typedef enum osc_notification_verdict {
    OSC_NOTIFICATION_FRESH, /* newer than every earlier notification */
    OSC_NOTIFICATION_STALE, /* authentic but older: must not update state */
    OSC_NOTIFICATION_REPLAY /* same Partial IV again, or a second one
                               without Partial IV */
} osc_notification_verdict;

void osc_notification_init(osc_notification_state *state);

/* Classifies a verified notification and updates the state. */
osc_notification_verdict osc_notification_accept(osc_notification_state *state,
                                                 bool has_piv, uint64_t piv);

#endif
