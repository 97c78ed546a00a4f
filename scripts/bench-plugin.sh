#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Usage: scripts/bench-plugin.sh [EXCHANGES [PAIRS]]
#
# The field-size benchmark of issue 11: what the plugin costs on top of
# plain tshark, in wall time and peak memory, on captures of EXCHANGES
# exchanges (default 100000; two CoAP messages each) of a client behind
# forward proxies, with 1, 2 and 3 OSCORE layers per message, and the
# same traffic without OSCORE (reference-impl/bench/capture.c describes
# it).
#
# Every run is timed with /usr/bin/time (wall seconds, CPU seconds: user
# plus system, peak RSS); CPU time is what a shared machine's load
# disturbs least. The
# variants of one comparison run back to back, PAIRS times (default 5),
# in alternating order, so that a shared machine's load hits them alike;
# the table shows medians and ratios to plain tshark. Variants:
#   plain     tshark without the plugin, built-in OSCORE on, no keys
#             (what every tshark user runs today)
#   plugin    the plugin with the generator's keys file (it switches the
#             built-in dissector off)
#   no keys   the plugin loaded, no keys at all
#   built-in  tshark without the plugin, the built-in OSCORE dissector
#             with its UAT row (single-layer capture only)
# Outputs: summary lines (tshark's default output), -T fields with one
# field per variant (plain: coap.mid, plugin: oscore_layers.removed,
# built-in: oscore.code), and -V on a 3-layer capture of
# BENCH_VERBOSE_EXCHANGES exchanges (default EXCHANGES/10; 0 = skip).
# All output goes to /dev/null except the first round's -T fields, which
# is checked: the plugin must remove every layer of every message and the
# built-in dissector decrypt every single-layer message, or the numbers
# would time a failure path.
#
# tshark runs as in scripts/tshark-with-plugin.sh: unprivileged (uid
# 65534) when we are root, since root ignores personal plugins, with a
# private HOME holding the plugin or nothing.
#
# Environment:
#   OSCORE_BUILD_DIR          build directory (default build; built here
#                             if missing)
#   BENCH_DIR                 where captures and results go (default: a
#                             new /tmp/oscore-bench.XXXXXX, kept)
#   BENCH_VERBOSE_EXCHANGES   size of the -V capture
#   TSHARK                    tshark binary (default tshark)
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

exchanges=${1:-100000}
pairs=${2:-5}
verbose_exchanges=${BENCH_VERBOSE_EXCHANGES:-$((exchanges / 10))}
tshark=${TSHARK:-tshark}
if ! [[ "$exchanges" =~ ^[1-9][0-9]*$ && "$pairs" =~ ^[1-9][0-9]*$ ]]; then
    echo "usage: $0 [EXCHANGES [PAIRS]]" >&2
    exit 2
fi
if [[ ! -x /usr/bin/time ]]; then
    echo "bench-plugin: /usr/bin/time is missing (Debian package time)" >&2
    exit 1
fi

# ---- build and working directory ----

if [[ -f "$OSCORE_BUILD/CMakeCache.txt" ]]; then
    cmake --build "$OSCORE_BUILD" -j"$(nproc)" \
        --target oscore-bench-capture oscore_layers >/dev/null
else
    oscore_configure_and_build >/dev/null
fi
generator="$OSCORE_BUILD/reference-impl/bench/oscore-bench-capture"
plugin=$(oscore_find_plugin "$OSCORE_BUILD")

umask 022
work=${BENCH_DIR:-$(mktemp -d /tmp/oscore-bench.XXXXXX)}
mkdir -p "$work"
work=$(cd "$work" && pwd)
chmod 0755 "$work"

version=$("$tshark" --version 2>/dev/null |
    sed -n '1s/^TShark (Wireshark) \([0-9]*\.[0-9]*\).*/\1/p')
mkdir -p "$work/home-plain" "$work/home-plugin/.local/lib/wireshark/plugins/$version/epan"
cp "$plugin" "$work/home-plugin/.local/lib/wireshark/plugins/$version/epan/"

run_as=()
if [[ "$(id -u)" == 0 ]]; then
    run_as=(setpriv --reuid=65534 --regid=65534 --clear-groups)
fi

# ---- captures ----

echo "bench-plugin: writing captures of $exchanges exchanges into $work" >&2
for layers in 0 1 2 3; do
    extra=()
    if ((layers == 1)); then
        extra=("$work/l1.uat")
    fi
    "$generator" "$layers" "$exchanges" "$work/l$layers.pcap" \
        "$work/l$layers.keys" "${extra[@]}"
done
if ((verbose_exchanges > 0)); then
    "$generator" -s 2 3 "$verbose_exchanges" "$work/l3v.pcap" "$work/l3v.keys"
fi
chmod 0644 "$work"/l*.*
uat=$(cat "$work/l1.uat")

# ---- one timed run ----

# run LABEL HOME OUTPUT tshark-args...: appends "LABEL|wall s|KiB|CPU s"
# to results.txt. OUTPUT is a file for tshark's standard output.
run() {
    local label=$1 home=$2 output=$3
    shift 3
    local timing="$work/time.txt"
    if ! /usr/bin/time -f '%e|%M|%U|%S' -o "$timing" "${run_as[@]}" \
        env -u WIRESHARK_PLUGIN_DIR -u WIRESHARK_CONFIG_DIR -u XDG_CONFIG_HOME \
        HOME="$work/home-$home" "$tshark" "$@" >"$output" 2>"$work/stderr.txt"; then
        echo "bench-plugin: tshark failed ($label):" >&2
        cat "$work/stderr.txt" >&2
        exit 1
    fi
    if [[ -s "$work/stderr.txt" ]]; then
        echo "bench-plugin: tshark wrote to stderr ($label):" >&2
        cat "$work/stderr.txt" >&2
        exit 1
    fi
    echo "$label|$(tail -n 1 "$timing" |
        awk -F'|' '{printf "%s|%s|%.2f", $1, $2, $3 + $4}')" >>"$work/results.txt"
}

# The comparisons: "group|label|home|fields-or-mode|capture|extra args".
# Within a group, the first variant is the baseline of the ratios.
comparisons() {
    local k
    # The same traffic without OSCORE: what the loaded plugin costs a CoAP
    # user who has no OSCORE at all.
    echo "l0-summary|plain|plain|summary|$work/l0.pcap|"
    echo "l0-summary|plugin|plugin|summary|$work/l0.pcap|"
    for k in 1 2 3; do
        local f="$work/l$k.pcap" keys="oscore_layers.keys_file:$work/l$k.keys"
        echo "l$k-summary|plain|plain|summary|$f|"
        echo "l$k-summary|plugin|plugin|summary|$f|$keys"
        echo "l$k-summary|no keys|plugin|summary|$f|"
        if ((k == 1)); then
            echo "l$k-summary|built-in|plain|summary|$f|$uat"
        fi
        echo "l$k-fields|plain|plain|coap.mid|$f|"
        echo "l$k-fields|plugin|plugin|oscore_layers.removed|$f|$keys"
        if ((k == 1)); then
            echo "l$k-fields|built-in|plain|oscore.code|$f|$uat"
        fi
    done
    if ((verbose_exchanges > 0)); then
        local f="$work/l3v.pcap" keys="oscore_layers.keys_file:$work/l3v.keys"
        echo "l3-verbose|plain|plain|-V|$f|"
        echo "l3-verbose|plugin|plugin|-V|$f|$keys"
    fi
}

run_variant() {
    local round=$1 line=$2 group label home mode capture extra
    IFS='|' read -r group label home mode capture extra <<<"$line"
    local args=(-r "$capture") output=/dev/null
    [[ -n "$extra" ]] && args+=(-o "$extra")
    case "$mode" in
    summary) ;;
    -V) args+=(-V) ;;
    *)
        args+=(-T fields -e "$mode")
        if ((round == 1)); then
            output="$work/fields-$group-${label// /_}.tsv"
        fi
        ;;
    esac
    run "$group|$label" "$home" "$output" "${args[@]}"
}

# ---- the check ----

# The first round's -T fields outputs: the plugin removed every layer of
# every message, the built-in dissector decrypted every message.
check_fields() {
    local k file want bad
    for k in 1 2 3; do
        file="$work/fields-l$k-fields-plugin.tsv"
        bad=$(awk -v k="$k" '$0 != k' "$file" | wc -l)
        want=$((2 * exchanges))
        if [[ "$(wc -l <"$file")" != "$want" || "$bad" != 0 ]]; then
            echo "bench-plugin: $k layers: $bad of $(wc -l <"$file")" \
                "messages not fully decrypted (see $file)" >&2
            exit 1
        fi
    done
    file="$work/fields-l1-fields-built-in.tsv"
    if [[ "$(grep -c . "$file")" != "$((2 * exchanges))" ]]; then
        echo "bench-plugin: the built-in dissector decrypted" \
            "$(grep -c . "$file") of $((2 * exchanges)) messages" >&2
        exit 1
    fi
    echo "bench-plugin: every layer of every message decrypted" >&2
}

# ---- the rounds ----

rm -f "$work/results.txt"
mapfile -t lines < <(comparisons)
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
started=$(date -u '+%Y-%m-%d %H:%M UTC')
for ((round = 1; round <= pairs; round++)); do
    echo "bench-plugin: round $round of $pairs" >&2
    # Odd rounds run each group's variants in order, even rounds reversed.
    order=("${lines[@]}")
    if ((round % 2 == 0)); then
        order=()
        for ((i = ${#lines[@]} - 1; i >= 0; i--)); do
            order+=("${lines[i]}")
        done
    fi
    for line in "${order[@]}"; do
        run_variant "$round" "$line"
    done
    if ((round == 1)); then
        check_fields
    fi
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

# ---- the table ----

bench_table() {
    local tshark_version
    tshark_version=$("$tshark" --version 2>/dev/null | head -n 1)
    echo "Measured $started with ${tshark_version%.}, $(nproc) cores," \
        "commit $(git -C "$OSCORE_REPO" describe --always --dirty):" \
        "$exchanges exchanges ($((2 * exchanges)) messages), -V on" \
        "$verbose_exchanges exchanges; medians of $pairs alternating rounds;" \
        "load average $load_before before, $load_after after."
    echo
    echo "| capture, output | tshark | wall s | vs plain | CPU s | vs plain | peak MiB | vs plain |"
    echo "|---|---|---|---|---|---|---|---|"
    awk -F'|' -v messages=$((2 * exchanges)) '
        function median(list,   a, n, i, j, t) {
            n = split(list, a, " ")
            for (i = 2; i <= n; i++)
                for (j = i; j > 1 && a[j - 1] + 0 > a[j] + 0; j--) {
                    t = a[j]; a[j] = a[j - 1]; a[j - 1] = t
                }
            return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
        }
        {
            key = $1 "|" $2
            if (!(key in secs)) order[++count] = key
            secs[key] = secs[key] " " $3; kib[key] = kib[key] " " $4
            cpu[key] = cpu[key] " " $5
        }
        END {
            for (i = 1; i <= count; i++) {
                split(order[i], p, "|"); g = p[1]; v = p[2]
                s = median(secs[order[i]]); k = median(kib[order[i]])
                c = median(cpu[order[i]])
                if (v == "plain") { base_s[g] = s; base_k[g] = k; base_c[g] = c }
                if (v == "plugin") { plug_s[g] = s; plug_k[g] = k; plug_c[g] = c }
                printf "| %s | %s | %.2f | %.2fx | %.2f | %.2fx | %.0f | %.2fx |\n",
                    g, v, s, s / base_s[g], c, c / base_c[g], k / 1024,
                    k / base_k[g]
                if (v == "built-in")
                    notes[++n] = sprintf("%s: plugin vs built-in dissector " \
                        "%.2fx wall time, %.2fx CPU time, %.2fx peak memory",
                        g, plug_s[g] / s, plug_c[g] / c, plug_k[g] / k)
                if (v == "plugin" && g ~ /summary/)
                    notes[++n] = sprintf("%s: plugin peak memory above " \
                        "plain %.2f KiB per message, %.2f KiB per exchange",
                        g, (k - base_k[g]) / messages,
                        2 * (k - base_k[g]) / messages)
            }
            print ""
            for (i = 1; i <= n; i++)
                print "- " notes[i]
        }' "$work/results.txt"
}
bench_table | tee "$work/table.md"
echo >&2
echo "bench-plugin: raw timings in $work/results.txt, table in $work/table.md" >&2
