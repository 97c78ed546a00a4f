#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Usage: check-flow.sh [--output-dir DIR] BUILD_DIR NAME
#
# The sequence analysis "oscore_layers" of one recorded capture: `tshark
# -q -z flow,oscore_layers,standard` on pcaps/NAME.pcapng with
# keys/NAME.keys, compared with the reviewed
# tests/corpus/expected/NAME.flow.txt (an arrow per OSCORE message,
# labelled with its innermost code and layer stack, failures marked).
# The analysis borrows the Info column for its label: the packet list
# printed alongside must keep the plugin's own Info column.
# New expected files are blessed with scripts/bless-expected.sh.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source-path=SCRIPTDIR source=../expected.sh
source "$here/../expected.sh"
expected_parse_args "$@"
shift "$expected_shift"
repo=$(cd "$here/../.." && pwd)
build=$1 name=$2
run() {
    "$repo/scripts/tshark-with-plugin.sh" "$build" -r "$repo/pcaps/$name.pcapng" \
        -o "oscore_layers.keys_file:$repo/keys/$name.keys" "$@"
}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
run -q -z flow,oscore_layers,standard >"$work/flow.txt"
if ! grep -q -- '-->\|<--' "$work/flow.txt"; then
    echo "FAIL: $name: the flow graph has no arrow" >&2
    exit 1
fi
# The Info column printed with the flow equals the one printed without.
run -T fields -e frame.number -e _ws.col.Info >"$work/info.tsv"
run -T fields -e frame.number -e _ws.col.Info -z flow,oscore_layers,standard |
    grep -P '^\d+\t' >"$work/info-with-flow.tsv"
if ! diff -u "$work/info.tsv" "$work/info-with-flow.tsv"; then
    echo "FAIL: $name: the flow graph changed the Info column" >&2
    exit 1
fi
expected_check "$work/flow.txt" "$here/expected/$name.flow.txt" \
    "$name: flow graph"
