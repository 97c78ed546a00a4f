/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * oscore-bench: throughput of the engine, for docs/PERFORMANCE.md.
 *
 * Measures, for a GET request carrying a 64-byte payload:
 *  - protect + unprotect (peel) of 1, 2 and 4 layers, per second;
 *  - security context derivations per second;
 *  - raw libgcrypt AES-CCM-16-64-128 encrypt + decrypt of the same
 *    plaintext sizes, for comparison (what the AEAD alone costs).
 * Each figure is the best of several timed rounds, so a busy machine
 * lowers it less. This is a benchmark, not a test: it asserts only that
 * the round trips succeed.
 */
/* clock_gettime is POSIX, outside strict C11. */
#define _POSIX_C_SOURCE 200809L

#include <gcrypt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "oscore/coap.h"
#include "oscore/context_set.h"
#include "oscore/engine.h"
#include "oscore/layer_stack.h"
#include "oscore/options.h"
#include "oscore/peel.h"

#define MAX_LAYERS 4
#define ROUNDS 5

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void fail(const char *what, osc_status status)
{
    fprintf(stderr, "%s: %s\n", what, osc_status_message(status));
    exit(1);
}

static void make_context(uint8_t id_byte, osc_context *ctx)
{
    osc_context_params params;
    osc_context_params_init(&params);
    params.master_secret_len = 16;
    for (size_t i = 0; i < 16; i++)
        params.master_secret[i] = (uint8_t)(id_byte + i);
    params.sender_id[0] = id_byte;
    params.sender_id_len = 1;
    params.recipient_id[0] = (uint8_t)(id_byte + 1);
    params.recipient_id_len = 1;
    osc_status status = osc_context_derive(&params, ctx);
    if (status != OSC_OK)
        fail("derive", status);
}

/* One protect of `layers` layers and one full peel of the result. */
static void round_trip(const osc_coap_message *request,
                       const osc_request_layer_spec *specs, size_t layers,
                       const osc_context_set *set, uint64_t sequence)
{
    static uint8_t work[16384];
    static uint8_t peel_work[MAX_LAYERS][2048];
    osc_request_layer_spec numbered[MAX_LAYERS];
    for (size_t i = 0; i < layers; i++) {
        numbered[i] = specs[i];
        numbered[i].sequence_number = sequence;
    }
    osc_coap_message protected_msg;
    osc_status status = osc_protect_request_layers(
        request, numbered, layers, work, sizeof work, &protected_msg, NULL);
    if (status != OSC_OK)
        fail("protect", status);
    const osc_coap_message *current = &protected_msg;
    osc_layer_result results[MAX_LAYERS];
    for (size_t depth = 0; depth < layers; depth++) {
        status = osc_peel_layer(current, set, NULL, 0, depth, MAX_LAYERS,
                                peel_work[depth], sizeof peel_work[depth],
                                &results[depth]);
        if (status != OSC_OK)
            fail("peel", status);
        current = &results[depth].result;
    }
}

static double measure(double (*body)(void *), void *arg)
{
    double best = 0;
    for (int round = 0; round < ROUNDS; round++) {
        double rate = body(arg);
        if (rate > best)
            best = rate;
    }
    return best;
}

typedef struct layer_bench {
    const osc_coap_message *request;
    const osc_request_layer_spec *specs;
    size_t layers;
    const osc_context_set *set;
} layer_bench;

static double run_layers(void *arg)
{
    const layer_bench *b = arg;
    const unsigned iterations = 20000;
    double start = now_seconds();
    for (unsigned i = 0; i < iterations; i++)
        round_trip(b->request, b->specs, b->layers, b->set, i);
    return iterations / (now_seconds() - start);
}

static double run_derivation(void *arg)
{
    (void)arg;
    const unsigned iterations = 20000;
    osc_context ctx;
    double start = now_seconds();
    for (unsigned i = 0; i < iterations; i++)
        make_context((uint8_t)i, &ctx);
    return iterations / (now_seconds() - start);
}

typedef struct ccm_bench {
    size_t plaintext_len;
} ccm_bench;

/* AES-CCM-16-64-128 straight through libgcrypt: encrypt then decrypt. */
static double run_raw_ccm(void *arg)
{
    const ccm_bench *b = arg;
    const unsigned iterations = 20000;
    uint8_t key[16] = {1}, nonce[13] = {2}, aad[21] = {3};
    uint8_t plaintext[2048] = {4}, ciphertext[2048], tag[8];
    double start = now_seconds();
    for (unsigned i = 0; i < iterations; i++) {
        gcry_cipher_hd_t hd;
        uint64_t lengths[3] = {b->plaintext_len, sizeof aad, sizeof tag};
        gcry_cipher_open(&hd, GCRY_CIPHER_AES128, GCRY_CIPHER_MODE_CCM, 0);
        gcry_cipher_setkey(hd, key, sizeof key);
        gcry_cipher_setiv(hd, nonce, sizeof nonce);
        gcry_cipher_ctl(hd, GCRYCTL_SET_CCM_LENGTHS, lengths, sizeof lengths);
        gcry_cipher_authenticate(hd, aad, sizeof aad);
        gcry_cipher_encrypt(hd, ciphertext, b->plaintext_len, plaintext,
                            b->plaintext_len);
        gcry_cipher_gettag(hd, tag, sizeof tag);
        gcry_cipher_close(hd);

        gcry_cipher_open(&hd, GCRY_CIPHER_AES128, GCRY_CIPHER_MODE_CCM, 0);
        gcry_cipher_setkey(hd, key, sizeof key);
        gcry_cipher_setiv(hd, nonce, sizeof nonce);
        gcry_cipher_ctl(hd, GCRYCTL_SET_CCM_LENGTHS, lengths, sizeof lengths);
        gcry_cipher_authenticate(hd, aad, sizeof aad);
        gcry_cipher_decrypt(hd, plaintext, b->plaintext_len, ciphertext,
                            b->plaintext_len);
        if (gcry_cipher_checktag(hd, tag, sizeof tag) != 0) {
            fprintf(stderr, "raw CCM tag mismatch\n");
            exit(1);
        }
        gcry_cipher_close(hd);
    }
    return iterations / (now_seconds() - start);
}

int main(void)
{
    osc_status engine = osc_engine_init();
    if (engine != OSC_OK) {
        fprintf(stderr, "%s: %s\n", "oscore-bench", osc_status_message(engine));
        return 1;
    }
    static const uint8_t path[] = "alarm_status";
    static uint8_t payload[64];
    memset(payload, 'x', sizeof payload);
    osc_coap_message request;
    memset(&request, 0, sizeof request);
    request.code = OSC_COAP_CODE_POST;
    request.token_length = 1;
    request.token[0] = 0x8c;
    osc_coap_add_option(&request, OSC_OPT_URI_PATH, path, sizeof path - 1);
    request.payload = payload;
    request.payload_length = sizeof payload;

    osc_context contexts[MAX_LAYERS];
    osc_context_set *set = osc_context_set_new();
    osc_request_layer_spec specs[MAX_LAYERS];
    memset(specs, 0, sizeof specs);
    for (size_t i = 0; i < MAX_LAYERS; i++) {
        make_context((uint8_t)(0x10 * (i + 1)), &contexts[i]);
        osc_context_set_add(set, NULL, &contexts[i], NULL);
        specs[i].ctx = &contexts[i];
        specs[i].peer.peer_is_next_hop = i + 1 == MAX_LAYERS;
    }

    printf("oscore-bench: GET with a %zu-byte payload, AES-CCM-16-64-128, "
           "best of %d rounds\n\n",
           sizeof payload, ROUNDS);
    printf("%-44s %12s\n", "operation", "per second");
    const size_t layer_counts[] = {1, 2, 4};
    for (size_t i = 0; i < 3; i++) {
        /* The innermost layers come first in specs; use the last n so the
         * outermost is always the next hop's. */
        layer_bench b = {&request, specs + MAX_LAYERS - layer_counts[i],
                         layer_counts[i], set};
        char label[64];
        snprintf(label, sizeof label, "protect + peel, %zu layer%s",
                 layer_counts[i], layer_counts[i] > 1 ? "s" : "");
        printf("%-44s %12.0f\n", label, measure(run_layers, &b));
    }
    printf("%-44s %12.0f\n", "context derivation (2 keys + Common IV)",
           measure(run_derivation, NULL));
    /* The plaintext of the innermost layer: code, Uri-Path, marker,
     * payload; each outer layer adds its OSCORE option and a tag. */
    const size_t plaintext_sizes[] = {1 + 13 + 1 + 64, 1 + 4 + 1 + 88};
    for (size_t i = 0; i < 2; i++) {
        ccm_bench b = {plaintext_sizes[i]};
        char label[64];
        snprintf(label, sizeof label, "raw libgcrypt AES-CCM enc+dec, %zu B",
                 plaintext_sizes[i]);
        printf("%-44s %12.0f\n", label, measure(run_raw_ccm, &b));
    }
    osc_context_set_free(set);
    return 0;
}
