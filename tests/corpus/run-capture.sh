#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Usage: run-capture.sh [--output-dir DIR] [--expected-dir DIR] BUILD_DIR NAME
#                       [FRAME...]
#
# Regression test of one recorded capture: tshark with the built plugin
# (as an unprivileged user, through scripts/tshark-with-plugin.sh) reads
# pcaps/NAME.pcapng with keys/NAME.keys and prints
#   - the oscore_layers fields of every CoAP frame (-T fields), compared
#     with tests/corpus/expected/NAME.fields.tsv, once in a single pass and
#     once with -2 (the GUI's two passes) - both must be equal;
#   - the oscore_layers tree (-V -O oscore_layers) of the given frames,
#     compared with tests/corpus/expected/NAME.verbose.txt.
# A difference prints the diff. New expected files are blessed with
# scripts/bless-expected.sh (see tests/expected.sh).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source-path=SCRIPTDIR source=../expected.sh
source "$here/../expected.sh"
expected_parse_args "$@"
shift "$expected_shift"
# --expected-dir DIR: compare with DIR/NAME.* (the harness tests use a
# corrupted copy) instead of tests/corpus/expected.
expected_dir="$here/expected"
if [[ "${1:-}" == --expected-dir ]]; then
    expected_dir=$2
    shift 2
fi
repo=$(cd "$here/../.." && pwd)
wrapper="$repo/scripts/tshark-with-plugin.sh"
normalize="$repo/tests/normalize-output.sh"
build=$1 name=$2
shift 2
pcap="$repo/pcaps/$name.pcapng"
keys="$repo/keys/$name.keys"
expected_fields="$expected_dir/$name.fields.tsv"
expected_verbose="$expected_dir/$name.verbose.txt"

fields=(frame.number ip.src ip.dst oscore_layers.count oscore_layers.removed
    oscore_layers.request_frame oscore_layers.retransmission_of
    oscore_layers.layer.context oscore_layers.layer.kid
    oscore_layers.layer.kid_context oscore_layers.layer.piv
    oscore_layers.layer.request_kid oscore_layers.layer.request_piv
    oscore_layers.layer.alg oscore_layers.layer.status
    oscore_layers.layer.code oscore_layers.layer.plaintext
    oscore_layers.inner.code oscore_layers.inner.payload
    oscore_layers.layer.seen_in oscore_layers.layer.replay_of
    oscore_layers.info _ws.expert.message)
field_args=()
for f in "${fields[@]}"; do
    field_args+=(-e "$f")
done

# Output through tests/normalize-output.sh: Wireshark's own rendering made
# the same on every version ($1: fields or verbose).
tshark_plugin() {
    local mode=$1
    shift
    "$wrapper" "$build" -r "$pcap" -o "oscore_layers.keys_file:$keys" "$@" |
        "$normalize" "$mode"
}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
tshark_plugin fields -Y coap -T fields -E header=y -E occurrence=a -E aggregator=, \
    "${field_args[@]}" >"$tmp/fields.tsv"
tshark_plugin fields -2 -Y coap -T fields -E header=y -E occurrence=a \
    -E aggregator=, "${field_args[@]}" >"$tmp/fields-2.tsv"
: >"$tmp/verbose.txt"
if (($# > 0)); then
    filter="frame.number == $1"
    for frame in "${@:2}"; do
        filter+=" || frame.number == $frame"
    done
    tshark_plugin verbose -2 -Y "$filter" -V -O oscore_layers >"$tmp/verbose.txt"
fi

status=0
expected_check "$tmp/fields.tsv" "$expected_fields" "$name: -T fields" ||
    status=1
if ! diff -u "$tmp/fields.tsv" "$tmp/fields-2.tsv"; then
    echo "FAIL: $name: two-pass (-2) fields differ from the single pass" >&2
    status=1
fi
expected_check "$tmp/verbose.txt" "$expected_verbose" \
    "$name: -V of frames $*" || status=1
exit $status
