#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Usage: check-chains.sh [--output-dir DIR] BUILD_DIR NAME
#
# The chains table of one recorded capture: `tshark -q -z
# oscore_layers,chains` on pcaps/NAME.pcapng with keys/NAME.keys, compared
# with the reviewed tests/corpus/expected/NAME.chains.txt (every end-to-end
# exchange, its legs in chain order, its first failure, the summary).
# The table is built by a tap, which sees each frame once more on the
# second pass of -2 (as in the GUI, where opening the table re-reads the
# capture): both runs must print the same table.
# New expected files are blessed with scripts/bless-expected.sh.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source-path=SCRIPTDIR source=../expected.sh
source "$here/../expected.sh"
expected_parse_args "$@"
shift "$expected_shift"
repo=$(cd "$here/../.." && pwd)
build=$1 name=$2

chains() {
    "$repo/scripts/tshark-with-plugin.sh" "$build" -r "$repo/pcaps/$name.pcapng" \
        -o "oscore_layers.keys_file:$repo/keys/$name.keys" -q \
        -z oscore_layers,chains "$@"
}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
chains >"$work/one-pass.txt"
chains -2 >"$work/two-pass.txt"
if ! diff -u "$work/one-pass.txt" "$work/two-pass.txt"; then
    echo "FAIL: $name: the chains table differs between one pass and -2" >&2
    exit 1
fi
if ! grep -q '^Summary$' "$work/one-pass.txt"; then
    echo "FAIL: $name: no chains table printed" >&2
    exit 1
fi
expected_check "$work/one-pass.txt" "$here/expected/$name.chains.txt" \
    "$name: chains table"
