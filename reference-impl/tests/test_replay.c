/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * replay.h: the replay window of a Recipient Context (RFC 8613 7.4 with
 * the sliding window of RFC 6347 4.1.2.6) and the Notification Number of
 * an observation (RFC 8613 4.1.3.5.2 and 7.4.1).
 *
 * Covers: window sizes 1, 32, 64, 65, 1024 and the invalid 0 and 1025;
 * in-order and out-of-order numbers inside the window, duplicates,
 * numbers older than the window, big jumps (beyond the window, beyond 64,
 * across 64-bit word boundaries), sequence 0 and 2^40 - 1; that
 * osc_replay_check never modifies the window; a long pseudo-random run
 * per size compared step by step with a reference model written here
 * from the RFC text; and the Notification Number rules (fresh, stale,
 * any previously received Partial IV is a replay within the remembered
 * window, at most one notification without Partial IV, treated as the
 * oldest), also as a pseudo-random run against a model.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "oscore/replay.h"
#include "oscore/status.h"
#include "test_support.h"

#define MAX_SEQ ((uint64_t)0xffffffffff)

/* check, which must leave the window as it was. */
static osc_status check_const(const osc_replay_window *w, uint64_t seq)
{
    osc_replay_window before = *w;
    osc_status s = osc_replay_check(w, seq);
    CHECK(memcmp(&before, w, sizeof before) == 0);
    return s;
}

/* check then, when new, update (what a receiver does after a successful
 * decryption). Returns the check's verdict. */
static osc_status receive(osc_replay_window *w, uint64_t seq)
{
    osc_status s = check_const(w, seq);
    if (s == OSC_OK)
        osc_replay_update(w, seq);
    return s;
}

static void test_init(void)
{
    osc_replay_window w;
    static const size_t good[] = {1, 32, 64, 65, 1024};
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        memset(&w, 0xa5, sizeof w);
        CHECK_EQ(osc_replay_init(&w, good[i]), OSC_OK);
        CHECK_EQ(w.size, good[i]);
        CHECK(!w.initialized);
        /* A fresh window accepts anything, also 0 and 2^40 - 1. */
        CHECK_EQ(check_const(&w, 0), OSC_OK);
        CHECK_EQ(check_const(&w, MAX_SEQ), OSC_OK);
    }
    CHECK_EQ(osc_replay_init(&w, 0), OSC_ERR_INVALID_ARGUMENT);
    CHECK_EQ(osc_replay_init(&w, 1025), OSC_ERR_INVALID_ARGUMENT);
    CHECK_EQ(osc_replay_init(&w, OSC_REPLAY_MAX_WINDOW + 1),
             OSC_ERR_INVALID_ARGUMENT);
    CHECK_EQ(OSC_REPLAY_DEFAULT_WINDOW, 32); /* RFC 8613 3.2.2 */
}

/* Hand-written scenarios with their expected verdicts. */
static void test_scenarios(void)
{
    osc_replay_window w;

    /* Default size 32: in order, duplicates, out of order, too old. */
    CHECK_EQ(osc_replay_init(&w, 32), OSC_OK);
    CHECK_EQ(receive(&w, 0), OSC_OK);
    CHECK_EQ(receive(&w, 0), OSC_ERR_REPLAY);
    CHECK_EQ(receive(&w, 1), OSC_OK);
    CHECK_EQ(receive(&w, 2), OSC_OK);
    CHECK_EQ(receive(&w, 1), OSC_ERR_REPLAY);
    CHECK_EQ(receive(&w, 10), OSC_OK);
    CHECK_EQ(receive(&w, 5), OSC_OK); /* out of order, inside */
    CHECK_EQ(receive(&w, 5), OSC_ERR_REPLAY);
    CHECK_EQ(receive(&w, 3), OSC_OK);
    CHECK_EQ(receive(&w, 40), OSC_OK); /* 40 - 31 = 9 is the oldest */
    CHECK_EQ(check_const(&w, 8), OSC_ERR_REPLAY);  /* never seen, too old */
    CHECK_EQ(check_const(&w, 9), OSC_OK);          /* never seen, inside */
    CHECK_EQ(check_const(&w, 10), OSC_ERR_REPLAY); /* seen, still inside */
    CHECK_EQ(check_const(&w, 5), OSC_ERR_REPLAY);
    CHECK_EQ(check_const(&w, 39), OSC_OK);
    CHECK_EQ(check_const(&w, 40), OSC_ERR_REPLAY);
    CHECK_EQ(check_const(&w, 41), OSC_OK);
    CHECK_EQ(w.largest, 40);

    /* Size 1: only numbers above the largest are new. */
    CHECK_EQ(osc_replay_init(&w, 1), OSC_OK);
    CHECK_EQ(receive(&w, 7), OSC_OK);
    CHECK_EQ(receive(&w, 7), OSC_ERR_REPLAY);
    CHECK_EQ(receive(&w, 6), OSC_ERR_REPLAY);
    CHECK_EQ(receive(&w, 9), OSC_OK);
    CHECK_EQ(receive(&w, 8), OSC_ERR_REPLAY);

    /* Sequence 0 after a jump to 2^40 - 1: far too old. */
    CHECK_EQ(osc_replay_init(&w, 1024), OSC_OK);
    CHECK_EQ(receive(&w, 0), OSC_OK);
    CHECK_EQ(receive(&w, MAX_SEQ), OSC_OK);
    CHECK_EQ(receive(&w, MAX_SEQ), OSC_ERR_REPLAY);
    CHECK_EQ(check_const(&w, 0), OSC_ERR_REPLAY);
    CHECK_EQ(check_const(&w, MAX_SEQ - 1023), OSC_OK);
    CHECK_EQ(check_const(&w, MAX_SEQ - 1024), OSC_ERR_REPLAY);
    CHECK_EQ(receive(&w, MAX_SEQ - 1023), OSC_OK);
    CHECK_EQ(receive(&w, MAX_SEQ - 1023), OSC_ERR_REPLAY);

    /* Size 64: bits that cross into the next word when the window
     * slides by 1, 63, 64 and 65. Even numbers 100..162 are seen. */
    CHECK_EQ(osc_replay_init(&w, 64), OSC_OK);
    for (uint64_t s = 100; s < 164; s += 2)
        CHECK_EQ(receive(&w, s), OSC_OK);
    CHECK_EQ(check_const(&w, 99), OSC_OK);          /* offset 63, unseen */
    CHECK_EQ(check_const(&w, 98), OSC_ERR_REPLAY);  /* offset 64 */
    CHECK_EQ(receive(&w, 163), OSC_OK);             /* slide by 1 */
    CHECK_EQ(check_const(&w, 100), OSC_ERR_REPLAY); /* offset 63, seen */
    CHECK_EQ(check_const(&w, 101), OSC_OK);         /* offset 62, unseen */
    CHECK_EQ(check_const(&w, 99), OSC_ERR_REPLAY);  /* offset 64 */
    CHECK_EQ(receive(&w, 226), OSC_OK);             /* slide by 63 */
    CHECK_EQ(check_const(&w, 163), OSC_ERR_REPLAY); /* offset 63, seen */
    CHECK_EQ(check_const(&w, 162), OSC_ERR_REPLAY); /* offset 64 */
    CHECK_EQ(check_const(&w, 164), OSC_OK);         /* offset 62, unseen */
    CHECK_EQ(receive(&w, 290), OSC_OK);             /* slide by 64 */
    CHECK_EQ(check_const(&w, 226), OSC_ERR_REPLAY); /* offset 64 */
    CHECK_EQ(check_const(&w, 227), OSC_OK);
    CHECK_EQ(receive(&w, 355), OSC_OK); /* slide by 65 */
    CHECK_EQ(check_const(&w, 290), OSC_ERR_REPLAY);
    CHECK_EQ(check_const(&w, 292), OSC_OK);
    CHECK_EQ(check_const(&w, 355), OSC_ERR_REPLAY);

    /* Sizes 65 and 1024: a seen number keeps its bit across several word
     * boundaries until it leaves the window. */
    static const size_t sizes[] = {65, 1024};
    for (size_t i = 0; i < 2; i++) {
        size_t size = sizes[i];
        CHECK_EQ(osc_replay_init(&w, size), OSC_OK);
        CHECK_EQ(receive(&w, 1000), OSC_OK);
        uint64_t largest = 1000;
        static const uint64_t steps[] = {1, 30, 33, 63, 64, 65, 127, 129, 255};
        for (size_t k = 0; k < sizeof steps / sizeof steps[0]; k++) {
            if (largest + steps[k] - 1000 >= size - 1)
                break;
            largest += steps[k];
            CHECK_EQ(receive(&w, largest), OSC_OK);
            CHECK_EQ(check_const(&w, 1000), OSC_ERR_REPLAY);
            CHECK_EQ(check_const(&w, 1002), OSC_OK);
        }
        /* At the far edge: offset size - 1 is still inside. */
        CHECK_EQ(receive(&w, 1000 + size - 1), OSC_OK);
        CHECK_EQ(check_const(&w, 1000), OSC_ERR_REPLAY); /* seen */
        CHECK_EQ(check_const(&w, 1002), OSC_OK);
        CHECK_EQ(receive(&w, 1000 + size), OSC_OK);
        CHECK_EQ(check_const(&w, 1000), OSC_ERR_REPLAY); /* too old now */
        CHECK_EQ(check_const(&w, 1001), OSC_ERR_REPLAY); /* seen, edge */
        CHECK_EQ(check_const(&w, 1002), OSC_OK);
        /* A jump beyond the window forgets everything inside it. */
        CHECK_EQ(receive(&w, 1000 + 3 * size), OSC_OK);
        CHECK_EQ(check_const(&w, 1000 + 3 * size - 1), OSC_OK);
        CHECK_EQ(check_const(&w, 1000 + 2 * size), OSC_ERR_REPLAY);
        CHECK_EQ(check_const(&w, 1000 + 2 * size + 1), OSC_OK);
    }
}

/* ---- Model-based run --------------------------------------------------- */

/* The reference: every accepted number is remembered; a number is new if
 * nothing was accepted yet, if it is above the largest, or if it is
 * within `size` of the largest and was never accepted. */
typedef struct model {
    size_t size;
    bool any;
    uint64_t largest;
    uint64_t *accepted;
    size_t count;
} model;

static bool model_is_new(const model *m, uint64_t seq)
{
    if (!m->any || seq > m->largest)
        return true;
    if (m->largest - seq >= m->size)
        return false;
    for (size_t i = 0; i < m->count; i++)
        if (m->accepted[i] == seq)
            return false;
    return true;
}

static void model_accept(model *m, uint64_t seq)
{
    m->accepted[m->count++] = seq;
    if (!m->any || seq > m->largest)
        m->largest = seq;
    m->any = true;
}

static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;

static uint64_t rng(void)
{
    /* xorshift64* */
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 0x2545f4914f6cdd1dULL;
}

static void test_model(size_t size, size_t steps)
{
    osc_replay_window w;
    CHECK_EQ(osc_replay_init(&w, size), OSC_OK);
    model m = {size, false, 0, calloc(steps, sizeof(uint64_t)), 0};
    static const uint64_t jumps[] = {1,    2,    31,   32,      33,  63,
                                     64,   65,   127,  128,     129, 1023,
                                     1024, 1025, 5000, 1u << 20};
    uint64_t current = rng() % 100;
    size_t mismatches = 0, modified = 0, replays = 0, accepted = 0;
    for (size_t i = 0; i < steps; i++) {
        uint64_t seq;
        uint64_t r = rng() % 10;
        if (r < 3) {
            /* forward jump */
            uint64_t jump = jumps[rng() % (sizeof jumps / sizeof jumps[0])];
            if (rng() % 4 == 0)
                jump = size + (rng() % 3) - 1; /* around the window size */
            seq = current + jump;
        } else if (r < 7) {
            /* somewhere behind the largest, inside or just outside */
            uint64_t back = rng() % (size + size / 4 + 3);
            seq = back > current ? 0 : current - back;
        } else if (r < 9 && m.count > 0) {
            /* an exact duplicate of something accepted */
            seq = m.accepted[rng() % m.count];
        } else {
            seq = current + 1;
        }
        if (seq > MAX_SEQ)
            seq = MAX_SEQ;
        osc_replay_window before = w;
        osc_status s = osc_replay_check(&w, seq);
        if (memcmp(&before, &w, sizeof w) != 0)
            modified++;
        bool want_new = model_is_new(&m, seq);
        if ((s == OSC_OK) != want_new || (s != OSC_OK && s != OSC_ERR_REPLAY)) {
            if (mismatches < 5)
                fprintf(stderr,
                        "  window %zu step %zu: seq %llu largest %llu: got "
                        "%s, model %s\n",
                        size, i, (unsigned long long)seq,
                        (unsigned long long)m.largest, osc_status_name(s),
                        want_new ? "new" : "replay");
            mismatches++;
        }
        if (want_new) {
            osc_replay_update(&w, seq);
            model_accept(&m, seq);
            accepted++;
            if (seq > current)
                current = seq;
        } else {
            replays++;
        }
    }
    CHECK_EQ(mismatches, 0);
    CHECK_EQ(modified, 0);
    /* The run exercised both outcomes a fair number of times. */
    CHECK(accepted > steps / 10);
    CHECK(replays > steps / 10);
    free(m.accepted);
}

/* ---- Notification Number ---------------------------------------------- */

static void test_notifications(void)
{
    osc_notification_state st;

    /* Increasing Partial IVs are fresh; the Notification Number follows
     * the largest (RFC 8613 7.4.1). */
    osc_notification_init(&st);
    CHECK(!st.has_number);
    CHECK(!st.accepted_without_piv);
    CHECK_EQ(osc_notification_accept(&st, true, 3), OSC_NOTIFICATION_FRESH);
    CHECK(st.has_number);
    CHECK_EQ(st.number, 3);
    CHECK_EQ(osc_notification_accept(&st, true, 5), OSC_NOTIFICATION_FRESH);
    CHECK_EQ(st.number, 5);
    /* Older but not seen before: stale, the number does not move. */
    CHECK_EQ(osc_notification_accept(&st, true, 4), OSC_NOTIFICATION_STALE);
    CHECK_EQ(st.number, 5);
    /* The same Partial IV again: replay. */
    CHECK_EQ(osc_notification_accept(&st, true, 5), OSC_NOTIFICATION_REPLAY);
    CHECK_EQ(st.number, 5);
    /* RFC 8613 7.4.1: "The client MUST stop processing notifications
     * with a Partial IV that has been previously received" - also when
     * that Partial IV is not the largest one (the header: REPLAY = "same
     * Partial IV again"). */
    CHECK_EQ(osc_notification_accept(&st, true, 3), OSC_NOTIFICATION_REPLAY);
    CHECK_EQ(osc_notification_accept(&st, true, 4), OSC_NOTIFICATION_REPLAY);
    CHECK_EQ(st.number, 5);
    CHECK_EQ(osc_notification_accept(&st, true, MAX_SEQ),
             OSC_NOTIFICATION_FRESH);
    CHECK_EQ(st.number, MAX_SEQ);
    CHECK_EQ(osc_notification_accept(&st, true, MAX_SEQ),
             OSC_NOTIFICATION_REPLAY);

    /* Partial IV 0 is a real number: 0 then 0 is a replay. */
    osc_notification_init(&st);
    CHECK_EQ(osc_notification_accept(&st, true, 0), OSC_NOTIFICATION_FRESH);
    CHECK(st.has_number);
    CHECK_EQ(st.number, 0);
    CHECK_EQ(osc_notification_accept(&st, true, 0), OSC_NOTIFICATION_REPLAY);

    /* First notification without Partial IV (RFC 8613 4.1.3.5.2): fresh,
     * and the Notification Number is initialized by the first one with a
     * Partial IV, whatever its value. */
    osc_notification_init(&st);
    CHECK_EQ(osc_notification_accept(&st, false, 0), OSC_NOTIFICATION_FRESH);
    CHECK(st.accepted_without_piv);
    CHECK(!st.has_number);
    /* A second one without Partial IV: at most one is accepted. */
    CHECK_EQ(osc_notification_accept(&st, false, 0), OSC_NOTIFICATION_REPLAY);
    CHECK_EQ(osc_notification_accept(&st, true, 0), OSC_NOTIFICATION_FRESH);
    CHECK_EQ(st.number, 0);
    CHECK_EQ(osc_notification_accept(&st, false, 0), OSC_NOTIFICATION_REPLAY);

    /* A notification without Partial IV after ones with Partial IV: it is
     * the oldest, so stale; a second one is a replay. */
    osc_notification_init(&st);
    CHECK_EQ(osc_notification_accept(&st, true, 9), OSC_NOTIFICATION_FRESH);
    CHECK_EQ(osc_notification_accept(&st, false, 0), OSC_NOTIFICATION_STALE);
    CHECK_EQ(st.number, 9);
    CHECK(st.accepted_without_piv);
    CHECK_EQ(osc_notification_accept(&st, false, 0), OSC_NOTIFICATION_REPLAY);
    CHECK_EQ(osc_notification_accept(&st, true, 10), OSC_NOTIFICATION_FRESH);
    CHECK_EQ(st.number, 10);

    /* Received Partial IVs are remembered as far back as a replay window
     * of OSC_REPLAY_MAX_WINDOW reaches (replay.h); older ones can only be
     * reported stale. */
    osc_notification_init(&st);
    CHECK_EQ(osc_notification_accept(&st, true, 0), OSC_NOTIFICATION_FRESH);
    CHECK_EQ(osc_notification_accept(&st, true, 2000), OSC_NOTIFICATION_FRESH);
    CHECK_EQ(osc_notification_accept(&st, true, 1500), OSC_NOTIFICATION_STALE);
    CHECK_EQ(osc_notification_accept(&st, true, 1500), OSC_NOTIFICATION_REPLAY);
    CHECK_EQ(osc_notification_accept(&st, true, 2000 - OSC_REPLAY_MAX_WINDOW),
             OSC_NOTIFICATION_STALE);
    CHECK_EQ(osc_notification_accept(&st, true, 0), OSC_NOTIFICATION_STALE);
    CHECK_EQ(st.number, 2000);

    /* has_piv false ignores the piv argument. */
    osc_notification_init(&st);
    CHECK_EQ(osc_notification_accept(&st, false, 1234), OSC_NOTIFICATION_FRESH);
    CHECK(!st.has_number);
}

/* A pseudo-random run against a model of RFC 8613 7.4.1: a Partial IV
 * received before (and still within OSC_REPLAY_MAX_WINDOW of the
 * largest) is a replay, a larger one is fresh, any other one stale. */
static void test_notification_model(void)
{
    osc_notification_state st;
    osc_notification_init(&st);
    static uint64_t received[4000];
    size_t count = 0, mismatches = 0, kinds[3] = {0, 0, 0};
    uint64_t number = 0;
    bool has_number = false;
    for (size_t i = 0; i < 4000; i++) {
        uint64_t piv;
        uint64_t r = rng() % 10;
        if (r < 4)
            piv = number + 1 + rng() % 40;
        else if (r < 7 && count)
            piv = received[rng() % count];
        else
            piv = rng() % (number + 2);
        if (piv > MAX_SEQ)
            piv = MAX_SEQ;
        bool seen = false;
        for (size_t k = 0; k < count; k++)
            seen |= received[k] == piv;
        osc_notification_verdict want;
        if (seen && (!has_number || number - piv < OSC_REPLAY_MAX_WINDOW))
            want = OSC_NOTIFICATION_REPLAY;
        else if (!has_number || piv > number)
            want = OSC_NOTIFICATION_FRESH;
        else
            want = OSC_NOTIFICATION_STALE;
        osc_notification_verdict got = osc_notification_accept(&st, true, piv);
        if (got != want) {
            if (mismatches < 5)
                fprintf(stderr,
                        "  notification %zu: PIV %llu, number %llu: got %d, "
                        "want %d\n",
                        i, (unsigned long long)piv, (unsigned long long)number,
                        got, want);
            mismatches++;
        }
        kinds[want]++;
        if (want != OSC_NOTIFICATION_REPLAY && !seen)
            received[count++] = piv;
        if (want == OSC_NOTIFICATION_FRESH) {
            number = piv;
            has_number = true;
        }
    }
    CHECK_EQ(mismatches, 0);
    CHECK(kinds[0] > 100 && kinds[1] > 100 && kinds[2] > 100);
}

int main(int argc, char **argv)
{
    tests_init(argc, argv);
    test_init();
    test_scenarios();
    static const size_t sizes[] = {1, 32, 64, 65, 1024};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++)
        test_model(sizes[i], 6000);
    test_notifications();
    test_notification_model();
    return tests_finish();
}
