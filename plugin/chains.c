/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The chains table (tshark -q -z oscore_layers,chains; Statistics ›
 * OSCORE layer chains in the GUI): one row per end-to-end exchange
 * (the oscore_layers.exchange field), listing its request and response on
 * every leg in chain order with each leg's layer stack, the time each
 * intermediary took, the response code the client got and the first
 * place on the path where something went wrong; and a summary row.
 *
 * A Wireshark "simple statistics table" (epan/stat_tap_ui.h), which
 * tshark prints as text and the GUI shows as a sortable table, fed by the
 * oscore_layers tap (one cached ol_message per CoAP message, frame
 * order). The model below keeps per exchange what its row shows; a row's
 * strings are rebuilt when one of its messages arrives. An exchange lists
 * at most CHAIN_MAX_LEGS legs and counts the messages beyond them, so a
 * flood of copies of one request costs a bounded amount per message.
 */
#include "oscore_layers.h"

#include <epan/stat_tap_ui.h>

#define CHAIN_MAX_LEGS 16

/* Where something went wrong on the path, counted by the summary. */
typedef enum chain_verdict {
    VERDICT_COMPLETE = 0,
    VERDICT_UNANSWERED,     /* a leg's response is missing */
    VERDICT_COUNT_MISMATCH, /* response layers differ from the request's */
    VERDICT_WRONG_LAYER,    /* an option in the wrong layer */
    VERDICT_STATUS,         /* + ol_status of the failed layer */
    VERDICT_MAX = VERDICT_STATUS + OL_ST_COUNT
} chain_verdict;

/* One message of an exchange on one leg. */
typedef struct chain_msg {
    uint32_t frame; /* 0: none */
    nstime_t ts;
    char *stack;           /* "c-p > c-s" */
    char *failure;         /* "layer 1 (c-p) no-context", NULL: none */
    chain_verdict verdict; /* of failure */
} chain_msg;

typedef struct chain_leg {
    char *leg; /* "src > dst" of the request */
    chain_msg request;
    chain_msg repeat;   /* the first failed copy of the request (replay) */
    chain_msg response; /* the first one bound to the request */
    uint32_t responses; /* all of them (notifications, group members) */
    bool code_known;    /* the latest response's innermost code */
    uint8_t code;
} chain_leg;

typedef struct chain {
    uint32_t exchange;
    guint row;
    char *identity; /* "c-s kid 5f piv 14" */
    chain_leg *legs;
    unsigned leg_count;
    unsigned leg_cap;
    uint32_t dropped; /* messages on legs beyond CHAIN_MAX_LEGS */
    uint32_t repeats; /* requests again on a listed leg */
    chain_verdict verdict;
} chain;

/* The rows, as the table is (one model: Wireshark keeps one set of tables
 * per statistic, shared by every window showing it). */
static struct {
    GHashTable *by_exchange; /* exchange number -> chain */
    uint32_t verdicts[VERDICT_MAX];
    uint32_t total;
} model;

static stat_tap_table *chains_table;
static stat_tap_table *summary_table;

/* The long list of legs last, so that the columns a user reads first
 * (what broke, what the client got) stay in view. */
enum {
    COL_EXCHANGE,
    COL_IDENTITY,
    COL_FAILURE,
    COL_CODE,
    COL_TIMES,
    COL_LEGS,
    COL_COUNT
};

static stat_tap_table_item chain_columns[COL_COUNT] = {
    [COL_EXCHANGE] = {TABLE_ITEM_UINT, TAP_ALIGN_RIGHT, "Exchange", "%u"},
    [COL_IDENTITY] = {TABLE_ITEM_STRING, TAP_ALIGN_LEFT, "Innermost layer",
                      "%s"},
    [COL_FAILURE] = {TABLE_ITEM_STRING, TAP_ALIGN_LEFT, "First failure", "%s"},
    [COL_CODE] = {TABLE_ITEM_STRING, TAP_ALIGN_LEFT, "Response code", "%s"},
    [COL_TIMES] = {TABLE_ITEM_STRING, TAP_ALIGN_LEFT, "Intermediaries' time",
                   "%s"},
    [COL_LEGS] = {TABLE_ITEM_STRING, TAP_ALIGN_LEFT,
                  "Legs: request frame [layers] > response frame [layers]",
                  "%s"},
};

static void free_msg(chain_msg *m)
{
    g_free(m->stack);
    g_free(m->failure);
}

static void free_chain(gpointer p)
{
    chain *c = p;
    for (unsigned i = 0; i < c->leg_count; i++) {
        g_free(c->legs[i].leg);
        free_msg(&c->legs[i].request);
        free_msg(&c->legs[i].repeat);
        free_msg(&c->legs[i].response);
    }
    g_free(c->legs);
    g_free(c->identity);
    g_free(c);
}

static void model_clear(void)
{
    if (model.by_exchange == NULL) {
        model.by_exchange = g_hash_table_new_full(g_direct_hash, g_direct_equal,
                                                  NULL, free_chain);
    }
    g_hash_table_remove_all(model.by_exchange);
    memset(model.verdicts, 0, sizeof model.verdicts);
    model.total = 0;
}

static const char *verdict_name(chain_verdict v)
{
    switch (v) {
    case VERDICT_COMPLETE:
        return "complete";
    case VERDICT_UNANSWERED:
        return "unanswered";
    case VERDICT_COUNT_MISMATCH:
        return "layer count";
    case VERDICT_WRONG_LAYER:
        return "wrong layer";
    default:
        return ol_status_string((ol_status)(v - VERDICT_STATUS));
    }
}

/* What went wrong with one message, or NULL: the first layer not removed
 * cleanly, else a layer count or option placement the checks flagged. */
static char *message_failure(const ol_message *m, chain_verdict *verdict)
{
    unsigned index = 0;
    const ol_layer *failed = ol_first_failed_layer(m, &index);
    if (failed != NULL) {
        const char *name = ol_layer_context_name(ol_keys_current(), failed);
        *verdict = VERDICT_STATUS + failed->status;
        return g_strdup_printf("layer %u (%s) %s", index,
                               name != NULL ? name : "?",
                               ol_status_string(failed->status));
    }
    if (m->count_mismatch) {
        *verdict = VERDICT_COUNT_MISMATCH;
        return g_strdup_printf("%u layers, the request had %u", m->removed,
                               m->request_layers);
    }
    for (unsigned i = 0; i < m->count; i++) {
        const ol_layer *l = &m->layers[i];
        if (l->wrong_outside_count + l->wrong_inside_count > 0) {
            *verdict = VERDICT_WRONG_LAYER;
            return g_strdup_printf("layer %u: option in the wrong layer",
                                   i + 1);
        }
    }
    *verdict = VERDICT_COMPLETE;
    return NULL;
}

static void fill_msg(chain_msg *cm, const ol_message *m, packet_info *pinfo)
{
    cm->frame = pinfo->num;
    cm->ts = pinfo->abs_ts;
    GString *s = g_string_new(NULL);
    ol_append_layer_stack(s, ol_keys_current(), m);
    cm->stack = g_string_free(s, FALSE);
    cm->failure = message_failure(m, &cm->verdict);
}

static void append_hex(GString *s, const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        g_string_append_printf(s, "%02x", p[i]);
    }
    if (n == 0) {
        g_string_append(s, "(empty)");
    }
}

/* "c-s kid 5f piv 14": the innermost layer with a context, which the
 * exchange is known by on every leg. */
static char *identity_text(const ol_message *m)
{
    for (unsigned i = m->count; i-- > 0;) {
        const ol_layer *l = &m->layers[i];
        if (!l->has_request) {
            continue;
        }
        const char *name = ol_layer_context_name(ol_keys_current(), l);
        GString *s = g_string_new(name != NULL ? name : "?");
        g_string_append(s, " kid ");
        append_hex(s, l->request_kid, l->request_kid_len);
        g_string_append(s, " piv ");
        append_hex(s, l->request_piv, l->request_piv_len);
        return g_string_free(s, FALSE);
    }
    return g_strdup("(no layer identified)");
}

static chain *chain_of(const ol_message *m)
{
    gpointer key = GUINT_TO_POINTER(m->exchange);
    chain *c = g_hash_table_lookup(model.by_exchange, key);
    if (c == NULL) {
        c = g_new0(chain, 1);
        c->exchange = m->exchange;
        c->row = model.total++;
        c->identity = identity_text(m);
        c->verdict = VERDICT_COMPLETE;
        model.verdicts[VERDICT_COMPLETE]++;
        g_hash_table_insert(model.by_exchange, key, c);
    }
    return c;
}

/* A new leg at the end of the chain, or NULL beyond CHAIN_MAX_LEGS. */
static chain_leg *add_leg(chain *c, const char *leg)
{
    if (c->leg_count == CHAIN_MAX_LEGS) {
        c->dropped++;
        return NULL;
    }
    if (c->leg_count == c->leg_cap) {
        c->leg_cap = c->leg_cap ? c->leg_cap * 2 : 2;
        c->legs = g_renew(chain_leg, c->legs, c->leg_cap);
    }
    chain_leg *l = &c->legs[c->leg_count++];
    memset(l, 0, sizeof *l);
    l->leg = g_strdup(leg);
    return l;
}

static void add_request(chain *c, const ol_message *m, packet_info *pinfo)
{
    for (unsigned i = 0; i < c->leg_count; i++) {
        chain_leg *l = &c->legs[i];
        if (strcmp(l->leg, m->leg) == 0) {
            c->repeats++; /* a replay, or a copy sent again */
            if (l->repeat.frame == 0) {
                fill_msg(&l->repeat, m, pinfo);
            }
            return;
        }
    }
    chain_leg *l = add_leg(c, m->leg);
    if (l != NULL) {
        fill_msg(&l->request, m, pinfo);
    }
}

static chain_leg *leg_of_request(chain *c, uint32_t frame)
{
    for (unsigned i = 0; i < c->leg_count; i++) {
        if (c->legs[i].request.frame == frame) {
            return &c->legs[i];
        }
    }
    return NULL;
}

static void add_response(chain *c, const ol_message *m, packet_info *pinfo)
{
    chain_leg *l =
        m->request_frame != 0 ? leg_of_request(c, m->request_frame) : NULL;
    if (l == NULL) {
        /* No request listed: a leg of its own, named as the request's
         * would be (the reverse of the response's). */
        const char *reverse = ol_leg_string(pinfo, true, false);
        l = add_leg(c, reverse != NULL ? reverse : m->leg);
        if (l == NULL) {
            return;
        }
    }
    if (l->responses++ == 0) {
        fill_msg(&l->response, m, pinfo);
    }
    l->code_known = m->fully_peeled;
    l->code = m->inner_code;
}

/* The first failure on the path: requests from the client's leg on,
 * then responses back from the last leg. */
static const chain_msg *first_failure(const chain *c, unsigned *leg,
                                      bool *response)
{
    for (unsigned i = 0; i < c->leg_count; i++) {
        const chain_msg *tried[] = {&c->legs[i].request, &c->legs[i].repeat};
        for (size_t k = 0; k < G_N_ELEMENTS(tried); k++) {
            if (tried[k]->frame != 0 && tried[k]->failure != NULL) {
                *leg = i, *response = false;
                return tried[k];
            }
        }
    }
    for (unsigned i = c->leg_count; i-- > 0;) {
        const chain_msg *r = &c->legs[i].response;
        if (r->frame == 0 || r->failure != NULL) {
            *leg = i, *response = true;
            return r;
        }
    }
    return NULL;
}

static char *failure_text(const chain *c, chain_verdict *verdict)
{
    unsigned leg = 0;
    bool response = false;
    const chain_msg *f = first_failure(c, &leg, &response);
    if (f == NULL) {
        *verdict = VERDICT_COMPLETE;
        return g_strdup("none");
    }
    if (f->frame == 0) {
        *verdict = VERDICT_UNANSWERED;
        return g_strdup_printf("leg %u: no protected response (missing, or "
                               "sent without OSCORE)",
                               leg + 1);
    }
    *verdict = f->verdict;
    return g_strdup_printf("leg %u %s (frame %u): %s", leg + 1,
                           response ? "response" : "request", f->frame,
                           f->failure);
}

static void append_msg(GString *s, const chain_msg *m)
{
    g_string_append_printf(s, "#%u [%s]", m->frame, m->stack);
}

static char *legs_text(const chain *c)
{
    GString *s = g_string_new(NULL);
    for (unsigned i = 0; i < c->leg_count; i++) {
        const chain_leg *l = &c->legs[i];
        g_string_append_printf(s, "%s%u. %s: ", i ? "; " : "", i + 1, l->leg);
        if (l->request.frame != 0) {
            append_msg(s, &l->request);
        } else {
            g_string_append(s, "no request");
        }
        g_string_append(s, " > ");
        if (l->response.frame != 0) {
            append_msg(s, &l->response);
        } else {
            g_string_append(s, "no response");
        }
        if (l->responses > 1) {
            g_string_append_printf(s, " +%u more", l->responses - 1);
        }
    }
    if (c->repeats > 0) {
        g_string_append_printf(s, "; %u repeated request(s)", c->repeats);
    }
    if (c->dropped > 0) {
        g_string_append_printf(s, "; %u message(s) on further legs",
                               c->dropped);
    }
    return g_string_free(s, FALSE);
}

static double ms_between(const nstime_t *from, const nstime_t *to)
{
    nstime_t d;
    nstime_delta(&d, to, from);
    return nstime_to_sec(&d) * 1000.0;
}

/* Per intermediary (between leg i and i+1): the time it held the request
 * plus the time it held the response. */
static char *times_text(const chain *c)
{
    GString *s = g_string_new(NULL);
    for (unsigned i = 0; i + 1 < c->leg_count; i++) {
        const chain_leg *a = &c->legs[i];
        const chain_leg *b = &c->legs[i + 1];
        g_string_append(s, i ? ", " : "");
        if (a->request.frame && b->request.frame && a->response.frame &&
            b->response.frame) {
            double ms = ms_between(&a->request.ts, &b->request.ts) +
                        ms_between(&b->response.ts, &a->response.ts);
            g_string_append_printf(s, "%.3f ms", ms);
        } else {
            g_string_append(s, "?");
        }
    }
    return g_string_free(s, FALSE);
}

static char *code_text(const chain *c)
{
    const chain_leg *first = c->leg_count > 0 ? &c->legs[0] : NULL;
    if (first == NULL || first->responses == 0) {
        return g_strdup("");
    }
    if (!first->code_known) {
        return g_strdup("?");
    }
    GString *s = g_string_new(NULL);
    ol_append_response_code(s, first->code);
    return g_string_free(s, FALSE);
}

/* Frees a string item of the table (Wireshark calls it for each item
 * when it frees the tables). */
static void chains_free_item(stat_tap_table *table _U_, guint row _U_,
                             guint column _U_, stat_tap_table_item_type *f)
{
    if (f->type == TABLE_ITEM_STRING) {
        g_free((char *)f->value.string_value);
        f->value.string_value = NULL;
    }
}

/* Frees the strings of a table row before it is rewritten or dropped. */
static void free_row_strings(stat_tap_table *table, guint row)
{
    for (guint col = 0; col < table->num_fields; col++) {
        chains_free_item(table, row, col,
                         stat_tap_get_field_data(table, row, col));
    }
}

static void write_row(stat_tap_table *table, guint row, bool exists,
                      stat_tap_table_item_type *items)
{
    if (exists) {
        free_row_strings(table, row);
    }
    stat_tap_init_table_row(table, row, COL_COUNT, items);
}

static stat_tap_table_item_type string_item(char *s)
{
    return (stat_tap_table_item_type){.type = TABLE_ITEM_STRING,
                                      .value.string_value = s};
}

/* Rewrites the chain's row and moves it to its new verdict's count. */
static void draw_chain(chain *c, bool exists)
{
    chain_verdict verdict;
    stat_tap_table_item_type items[COL_COUNT] = {
        [COL_EXCHANGE] = {.type = TABLE_ITEM_UINT,
                          .value.uint_value = c->exchange},
        [COL_IDENTITY] = string_item(g_strdup(c->identity)),
        [COL_LEGS] = string_item(legs_text(c)),
        [COL_TIMES] = string_item(times_text(c)),
        [COL_CODE] = string_item(code_text(c)),
        [COL_FAILURE] = string_item(failure_text(c, &verdict)),
    };
    write_row(chains_table, c->row, exists, items);
    model.verdicts[c->verdict]--;
    model.verdicts[verdict]++;
    c->verdict = verdict;
}

/* "12 exchanges: 10 complete, 1 unanswered, 1 broken (no-context 1)". */
static char *summary_text(void)
{
    GString *s = g_string_new(NULL);
    uint32_t broken = model.total - model.verdicts[VERDICT_COMPLETE] -
                      model.verdicts[VERDICT_UNANSWERED];
    g_string_append_printf(s,
                           "%u exchange%s: %u complete, %u unanswered, %u "
                           "broken",
                           model.total, model.total == 1 ? "" : "s",
                           model.verdicts[VERDICT_COMPLETE],
                           model.verdicts[VERDICT_UNANSWERED], broken);
    const char *sep = " (";
    for (int v = VERDICT_COUNT_MISMATCH; v < VERDICT_MAX; v++) {
        if (model.verdicts[v] > 0) {
            g_string_append_printf(s, "%s%s %u", sep, verdict_name(v),
                                   model.verdicts[v]);
            sep = ", ";
        }
    }
    g_string_append(s, broken > 0 ? ")" : "");
    return g_string_free(s, FALSE);
}

static void draw_summary(void)
{
    stat_tap_table_item_type items[COL_COUNT] = {
        [COL_EXCHANGE] = {.type = TABLE_ITEM_UINT,
                          .value.uint_value = model.total},
        [COL_IDENTITY] = string_item(summary_text()),
        [COL_LEGS] = string_item(g_strdup("")),
        [COL_TIMES] = string_item(g_strdup("")),
        [COL_CODE] = string_item(g_strdup("")),
        [COL_FAILURE] = string_item(g_strdup("")),
    };
    write_row(summary_table, 0, summary_table->num_elements > 0, items);
}

static tap_packet_status chains_packet(void *tapdata _U_, packet_info *pinfo,
                                       epan_dissect_t *edt _U_,
                                       const void *data, tap_flags_t flags _U_)
{
    const ol_message *m = data;
    if (m->retransmission_of != 0 || chains_table == NULL) {
        return TAP_PACKET_DONT_REDRAW; /* the same message again */
    }
    if (m->block_role == OL_BLOCK_FRAGMENT ||
        m->block_role == OL_BLOCK_FOLLOW_UP) {
        /* Part of an outer Block-wise transfer: the leg shows the whole
         * message, in the frame that completed it. */
        return TAP_PACKET_DONT_REDRAW;
    }
    guint rows = model.total;
    chain *c = chain_of(m);
    bool exists = c->row < rows;
    if (m->is_request) {
        add_request(c, m, pinfo);
    } else {
        add_response(c, m, pinfo);
    }
    draw_chain(c, exists);
    draw_summary();
    return TAP_PACKET_REDRAW;
}

static stat_tap_table *table_named(stat_tap_table_ui *ui, const char *name)
{
    stat_tap_table *t = stat_tap_find_table(ui, name);
    if (t == NULL) {
        t = stat_tap_init_table(name, COL_COUNT, 0, NULL);
        stat_tap_add_table(ui, t);
    }
    return t;
}

static void chains_init(stat_tap_table_ui *ui)
{
    chains_table = table_named(ui, "Exchanges");
    summary_table = table_named(ui, "Summary");
    model_clear();
}

/* Empties a table: the model goes with the exchanges' table. */
static void chains_reset(stat_tap_table *table)
{
    for (guint row = 0; row < table->num_elements; row++) {
        free_row_strings(table, row);
        g_free(table->elements[row]);
    }
    g_free(table->elements);
    table->elements = NULL;
    table->num_elements = 0;
    if (table == chains_table) {
        model_clear();
    }
}

void ol_chains_register(void)
{
    static stat_tap_table_ui ui = {
        /* The group whose tables the 4.0 GUI lists (in the Statistics
         * menu's upper part; a "/" in the title makes no submenu there). */
        .group = REGISTER_PACKET_STAT_GROUP_UNSORTED,
        .title = "OSCORE layer chains",
        .tap_name = OL_PROTO_FILTER,
        .cli_string = OL_PROTO_FILTER ",chains",
        .stat_tap_init_cb = chains_init,
        .packet_func = chains_packet,
        .stat_tap_reset_table_cb = chains_reset,
        .stat_tap_free_table_item_cb = chains_free_item,
        .nfields = COL_COUNT,
        .fields = chain_columns,
    };
    register_stat_tap_table_ui(&ui);
}
