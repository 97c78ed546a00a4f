/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Replay window (RFC 8613 7.4 with the sliding window of RFC 6347
 * 4.1.2.6) and Notification Number (RFC 8613 7.4.1).
 */
#include "oscore/replay.h"

#include <string.h>

osc_status osc_replay_init(osc_replay_window *window, size_t size)
{
    if (size == 0 || size > OSC_REPLAY_MAX_WINDOW)
        return OSC_ERR_INVALID_ARGUMENT;
    memset(window, 0, sizeof *window);
    window->size = size;
    return OSC_OK;
}

static bool bit_is_set(const osc_replay_window *window, uint64_t offset)
{
    return (window->bitmap[offset / 64] >> (offset % 64)) & 1u;
}

osc_status osc_replay_check(const osc_replay_window *window, uint64_t sequence)
{
    if (!window->initialized || sequence > window->largest)
        return OSC_OK;
    uint64_t offset = window->largest - sequence;
    if (offset >= window->size)
        return OSC_ERR_REPLAY; /* older than the window can vouch for */
    return bit_is_set(window, offset) ? OSC_ERR_REPLAY : OSC_OK;
}

/* Shifts the bitmap towards older offsets by `shift` positions. */
static void shift_bitmap(osc_replay_window *window, uint64_t shift)
{
    const size_t words = OSC_REPLAY_MAX_WINDOW / 64;
    if (shift >= window->size) {
        memset(window->bitmap, 0, sizeof window->bitmap);
        return;
    }
    size_t word_shift = (size_t)(shift / 64);
    unsigned bit_shift = (unsigned)(shift % 64);
    for (size_t i = words; i-- > 0;) {
        uint64_t value = 0;
        if (i >= word_shift) {
            value = window->bitmap[i - word_shift] << bit_shift;
            if (bit_shift && i > word_shift)
                value |= window->bitmap[i - word_shift - 1] >> (64 - bit_shift);
        }
        window->bitmap[i] = value;
    }
}

void osc_replay_update(osc_replay_window *window, uint64_t sequence)
{
    if (!window->initialized) {
        window->initialized = true;
        window->largest = sequence;
        memset(window->bitmap, 0, sizeof window->bitmap);
        window->bitmap[0] = 1;
        return;
    }
    if (sequence > window->largest) {
        shift_bitmap(window, sequence - window->largest);
        window->largest = sequence;
        window->bitmap[0] |= 1;
        return;
    }
    uint64_t offset = window->largest - sequence;
    if (offset < window->size)
        window->bitmap[offset / 64] |= (uint64_t)1 << (offset % 64);
}

void osc_notification_init(osc_notification_state *state)
{
    memset(state, 0, sizeof *state);
    osc_replay_init(&state->seen, OSC_REPLAY_MAX_WINDOW);
}

osc_notification_verdict osc_notification_accept(osc_notification_state *state,
                                                 bool has_piv, uint64_t piv)
{
    if (!has_piv) {
        /* At most one notification without Partial IV, and it counts as
         * the oldest (RFC 8613 4.1.3.5.2;
         * draft-ietf-core-oscore-capable-proxies 2.6.1 makes the same rule for
         * every request that can have several responses). */
        if (state->accepted_without_piv)
            return OSC_NOTIFICATION_REPLAY;
        state->accepted_without_piv = true;
        return state->has_number ? OSC_NOTIFICATION_STALE
                                 : OSC_NOTIFICATION_FRESH;
    }
    /* A Partial IV older than the window can no longer be told apart from
     * a new old one: it is reported stale, which is all a client may do
     * with it anyway. */
    bool beyond_window = state->seen.initialized && piv < state->seen.largest &&
                         state->seen.largest - piv >= state->seen.size;
    if (!beyond_window && osc_replay_check(&state->seen, piv) != OSC_OK)
        return OSC_NOTIFICATION_REPLAY;
    osc_replay_update(&state->seen, piv);
    if (!state->has_number || piv > state->number) {
        state->has_number = true;
        state->number = piv;
        return OSC_NOTIFICATION_FRESH;
    }
    return OSC_NOTIFICATION_STALE;
}
