#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The benchmark's captures are only worth timing if every layer of every
# message opens: a capture the plugin cannot decrypt would measure the
# cheap failure path. For 1, 2 and 3 layers, writes a small capture with
# oscore-bench-capture and checks with the plugin and the keys file the
# generator wrote that
#  - there are exactly 2 x EXCHANGES frames, each with LAYERS layers found
#    and LAYERS removed, and no expert info at all;
#  - every response (inner code class 2) found its request;
# and, for the single-layer capture, that Wireshark's built-in OSCORE
# dissector decrypts every message with the UAT row the generator wrote.
# Usage: check_bench_capture.sh <build-dir> <oscore-bench-capture> [EXCHANGES]
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
build=$1 generator=$2 exchanges=${3:-60}
tshark_plugin="$here/../scripts/tshark-with-plugin.sh"

work=$(mktemp -d /tmp/oscore-bench-check.XXXXXX)
trap 'rm -rf "$work"' EXIT
chmod 0755 "$work"

status=0
fail() {
    echo "FAIL: $*" >&2
    status=1
}

# Checks the plugin's view of the capture with $1 layers.
check_layers() {
    local layers=$1 pcap="$work/l$1.pcap" keys="$work/l$1.keys" out
    out=$("$tshark_plugin" "$build" -r "$pcap" \
        -o "oscore_layers.keys_file:$keys" -T fields -e frame.number \
        -e oscore_layers.count -e oscore_layers.removed \
        -e oscore_layers.inner.code -e oscore_layers.request_frame \
        -e _ws.expert.message)
    local summary
    summary=$(awk -F'\t' -v want="$layers" '
        { frames++ }
        $2 != want || $3 != want { bad++ }
        $6 != "" { expert++ }
        # Inner codes 0x40-0x5f are class 2 (success responses).
        $4 ~ /^0x[45]/ { responses++; if ($5 == "") unmatched++ }
        END { printf "%d %d %d %d %d\n", frames, bad, expert, responses,
                     unmatched }' <<<"$out")
    local frames bad expert responses unmatched
    read -r frames bad expert responses unmatched <<<"$summary"
    echo "$layers layers: $frames frames, $bad not fully removed," \
        "$expert with expert infos, $responses responses ($unmatched unmatched)"
    ((frames == 2 * exchanges)) ||
        fail "$layers layers: $frames frames, expected $((2 * exchanges))"
    ((bad == 0)) || fail "$layers layers: $bad frames not fully decrypted"
    ((expert == 0)) || fail "$layers layers: $expert frames with expert infos"
    ((responses == exchanges)) ||
        fail "$layers layers: $responses responses, expected $exchanges"
    ((unmatched == 0)) || fail "$layers layers: $unmatched responses unmatched"
}

for layers in 1 2 3; do
    uat=()
    if ((layers == 1)); then
        uat=("$work/l1.uat")
    fi
    "$generator" -s 7 "$layers" "$exchanges" "$work/l$layers.pcap" \
        "$work/l$layers.keys" "${uat[@]}"
    chmod 0644 "$work"/l"$layers".*
    check_layers "$layers"
done

# The built-in dissector, switched back on, with only its own table row.
decrypted=$("$tshark_plugin" "$build" -r "$work/l1.pcap" \
    -o oscore_layers.disable_builtin:FALSE -o "$(cat "$work/l1.uat")" \
    -T fields -e oscore.code | grep -c . || true)
echo "built-in OSCORE dissector: $decrypted of $((2 * exchanges)) decrypted"
((decrypted == 2 * exchanges)) ||
    fail "the built-in dissector decrypted $decrypted of $((2 * exchanges))"
exit $status
