#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Usage: run-capture.sh BUILD_DIR NAME [FRAME...]
#
# Regression test of one recorded capture: tshark with the built plugin
# (as an unprivileged user, through scripts/tshark-with-plugin.sh) reads
# pcaps/NAME.pcapng with keys/NAME.keys and prints
#   - the oscore_layers fields of every CoAP frame (-T fields), compared
#     with tests/corpus/expected/NAME.fields.tsv, once in a single pass and
#     once with -2 (the GUI's two passes) - both must be equal;
#   - the oscore_layers tree (-V -O oscore_layers) of the given frames,
#     compared with tests/corpus/expected/NAME.verbose.txt.
# A difference prints the diff. OSCORE_UPDATE_EXPECTED=1 rewrites the
# expected files instead: review them (git diff) before committing.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
wrapper="$repo/scripts/tshark-with-plugin.sh"
build=$1 name=$2
shift 2
pcap="$repo/pcaps/$name.pcapng"
keys="$repo/keys/$name.keys"
expected_fields="$here/expected/$name.fields.tsv"
expected_verbose="$here/expected/$name.verbose.txt"

fields=(frame.number ip.src ip.dst oscore_layers.count oscore_layers.removed
    oscore_layers.request_frame oscore_layers.retransmission_of
    oscore_layers.layer.context oscore_layers.layer.kid
    oscore_layers.layer.kid_context oscore_layers.layer.piv
    oscore_layers.layer.request_kid oscore_layers.layer.request_piv
    oscore_layers.layer.alg oscore_layers.layer.status
    oscore_layers.layer.code oscore_layers.layer.plaintext
    oscore_layers.inner.code oscore_layers.inner.payload
    oscore_layers.layer.seen_in oscore_layers.layer.replay_of
    _ws.col.Info _ws.expert.message)
field_args=()
for f in "${fields[@]}"; do
    field_args+=(-e "$f")
done

tshark_plugin() {
    "$wrapper" "$build" -r "$pcap" -o "oscore_layers.keys_file:$keys" "$@"
}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
tshark_plugin -Y coap -T fields -E header=y -E occurrence=a -E aggregator=, \
    "${field_args[@]}" >"$tmp/fields.tsv"
tshark_plugin -2 -Y coap -T fields -E header=y -E occurrence=a \
    -E aggregator=, "${field_args[@]}" >"$tmp/fields-2.tsv"
: >"$tmp/verbose.txt"
if (($# > 0)); then
    filter="frame.number == $1"
    for frame in "${@:2}"; do
        filter+=" || frame.number == $frame"
    done
    tshark_plugin -2 -Y "$filter" -V -O oscore_layers >"$tmp/verbose.txt"
fi

if [[ "${OSCORE_UPDATE_EXPECTED:-0}" == 1 ]]; then
    mkdir -p "$here/expected"
    cp "$tmp/fields.tsv" "$expected_fields"
    cp "$tmp/verbose.txt" "$expected_verbose"
fi
status=0
if ! diff -u "$expected_fields" "$tmp/fields.tsv"; then
    echo "FAIL: $name: -T fields differs from $expected_fields" >&2
    status=1
fi
if ! diff -u "$tmp/fields.tsv" "$tmp/fields-2.tsv"; then
    echo "FAIL: $name: two-pass (-2) fields differ from the single pass" >&2
    status=1
fi
if ! diff -u "$expected_verbose" "$tmp/verbose.txt"; then
    echo "FAIL: $name: -V of frames $* differs from $expected_verbose" >&2
    status=1
fi
exit $status
