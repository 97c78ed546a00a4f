#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The statistics tap: `tshark -q -z oscore_layers,tree` on a capture must
# print the reviewed expected tree. A difference is printed as a diff.
# Independently of the expected file, no percentage may exceed 100%:
# stats_tree divides a node's count by its parent's, so a larger one means
# a child counts something else than its parent (layers under a message).
# New expected files are blessed with scripts/bless-expected.sh.
# Usage: check_stats.sh [--output-dir DIR] <build-dir> <pcap> <keys-file> <expected-file>
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source-path=SCRIPTDIR source=expected.sh
source "$here/expected.sh"
expected_parse_args "$@"
shift "$expected_shift"
build=$1 pcap=$2 keys=$3 expected=$4

got=$(mktemp)
trap 'rm -f "$got"' EXIT
"$here/../scripts/tshark-with-plugin.sh" "$build" -r "$pcap" \
    -o "oscore_layers.keys_file:$keys" -q -z oscore_layers,tree >"$got"
# The Percent column is the only one whose values end in "%".
over=$(awk '{ for (i = 2; i <= NF; i++) if ($i ~ /^[0-9.]+%$/ && $i + 0 > 100) print }' "$got")
if [[ -n "$over" ]]; then
    printf '%s\n' "$over" >&2
    echo "FAIL: statistics tree: a percentage above 100% (a child counts something else than its parent)" >&2
    exit 1
fi
expected_check "$got" "$expected" "statistics tree"
