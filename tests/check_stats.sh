#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The statistics tap: `tshark -q -z oscore_layers,tree` on a capture must
# print the reviewed expected tree. A difference is printed as a diff.
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
expected_check "$got" "$expected" "statistics tree"
