#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# One tshark regression test of the plugin.
# Usage: run_case.sh [--output-dir DIR] <build-dir> <pcap> <keys-file|none>
#        <expected-file> [tshark args...]
#
# Runs tshark with the built plugin (as an unprivileged user, through
# scripts/tshark-with-plugin.sh) and prints the oscore_layers fields of
# every frame with an OSCORE option, once in a single pass and once with
# -2 (two passes, as the GUI does): both must equal the expected file.
# On a difference the diff is printed. New expected files are blessed with
# scripts/bless-expected.sh (see tests/expected.sh).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source-path=SCRIPTDIR source=expected.sh
source "$here/expected.sh"
expected_parse_args "$@"
shift "$expected_shift"
wrapper="$here/../scripts/tshark-with-plugin.sh"
build=$1 pcap=$2 keys=$3 expected=$4
shift 4

fields=(frame.number oscore_layers.count oscore_layers.removed
    oscore_layers.request_frame oscore_layers.retransmission_of
    oscore_layers.layer.context oscore_layers.layer.kid
    oscore_layers.layer.kid_context oscore_layers.layer.piv
    oscore_layers.layer.request_kid oscore_layers.layer.request_piv
    oscore_layers.layer.status oscore_layers.layer.code
    oscore_layers.layer.plaintext oscore_layers.inner.code
    oscore_layers.inner.payload oscore_layers.layer.seen_in
    oscore_layers.layer.replay_of oscore_layers.info
    _ws.expert.message)
field_args=()
for f in "${fields[@]}"; do
    field_args+=(-e "$f")
done

keys_args=()
if [[ "$keys" != none ]]; then
    keys_args=(-o "oscore_layers.keys_file:$keys")
fi
# Through tests/normalize-output.sh: Wireshark's own experts made the same
# on every version.
run() {
    "$wrapper" "$build" -r "$pcap" "${keys_args[@]}" "$@" \
        -Y oscore_layers -T fields -E header=y -E occurrence=a \
        -E aggregator=, "${field_args[@]}" | "$here/normalize-output.sh" fields
}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
run "$@" >"$tmp/one-pass.tsv"
run -2 "$@" >"$tmp/two-pass.tsv"

status=0
expected_check "$tmp/one-pass.tsv" "$expected" "single-pass output" ||
    status=1
if ! diff -u "$tmp/one-pass.tsv" "$tmp/two-pass.tsv"; then
    echo "FAIL: two-pass (-2) output differs from the single pass" >&2
    status=1
fi
exit $status
