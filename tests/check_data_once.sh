#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Usage: check_data_once.sh BUILD_DIR PCAP KEYS
#
# With the built-in OSCORE dissector off (the plugin's default), the CoAP
# dissector of Wireshark 4.0 to 4.6 gives the ciphertext to the "data"
# dissector twice; the plugin hides the second copy. In the -V output of
# every frame with an OSCORE layer, "Data (N bytes)" must appear as a
# top-level item at most once per CoAP message (never twice in a row over
# the same length) and at least once (the payload is still shown).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
build=$1 pcap=$2 keys=$3
out=$(mktemp)
trap 'rm -f "$out"' EXIT
check_once() {
    awk '
        /^Frame [0-9]+:/ { frame = $2; sub(":", "", frame) }
        /^[^ ]/ {
            if ($0 ~ /^Data \(/ && $0 == previous) {
                printf "frame %s: %s twice\n", frame, $0
                bad = 1
            }
            if ($0 ~ /^Data \(/) data++
            if ($0 ~ /^OSCORE layers/) layers++
            previous = $0
        }
        END {
            if (layers == 0) { print "no OSCORE layers tree at all"; bad = 1 }
            if (data == 0) { print "no Data item left"; bad = 1 }
            exit bad
        }' "$out" >&2 || {
        echo "FAIL: $1: the ciphertext is not shown exactly once per message" >&2
        exit 1
    }
}

for passes in one two; do
    extra=()
    [[ "$passes" == two ]] && extra=(-2) # the GUI's later passes
    "$here/../scripts/tshark-with-plugin.sh" "$build" -r "$pcap" \
        -o "oscore_layers.keys_file:$keys" "${extra[@]}" -V -O oscore_layers \
        >"$out"
    check_once "$passes pass(es)"
done
echo "every OSCORE message shows its ciphertext as Data once"
