#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Usage: scripts/test-check-vectors-match.sh COPIES_DIR
#
# Shows that check-vectors-match.sh cannot pass by accident: against
# originals made from COPIES_DIR it passes, and it fails, naming the file,
# when one original has a changed byte, lacks a file or has an extra one;
# a missing originals directory gives the skip status 77. Run as the ctest
# vectors.match_shared_detects_differences.
set -euo pipefail

if (($# != 1)); then
    echo "usage: $0 COPIES_DIR" >&2
    exit 2
fi
copies=$1
check="$(dirname "${BASH_SOURCE[0]}")/check-vectors-match.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0

# expect STATUS PATTERN DESCRIPTION: runs the check on $tmp/originals and
# requires exit status STATUS and an output matching PATTERN.
expect() {
    local want_status=$1 pattern=$2 what=$3 status=0 output
    output=$(bash "$check" "$copies" "$tmp/originals" 2>&1) || status=$?
    if ((status != want_status)) || ! grep -Eq -- "$pattern" <<<"$output"; then
        echo "FAIL ($what): exit $status (wanted $want_status), output:"
        printf '%s\n' "$output"
        failures=$((failures + 1))
    else
        echo "ok ($what): $(head -n 1 <<<"$output")"
    fi
}

# fresh_originals: $tmp/originals becomes an exact copy of COPIES_DIR, and
# $victim names its first vector file.
fresh_originals() {
    rm -rf "$tmp/originals"
    cp -R "$copies" "$tmp/originals"
    victim=$(find "$tmp/originals" -maxdepth 1 -name '*.json' -printf '%f\n' |
        LC_ALL=C sort | head -n 1)
}

fresh_originals
expect 0 "equal" "identical copies"

# One byte changed in the middle of a file: same size, different content.
size=$(stat -c %s "$tmp/originals/$victim")
byte=$(dd if="$tmp/originals/$victim" bs=1 skip=$((size / 2)) count=1 2>/dev/null)
replacement=0
[[ "$byte" == 0 ]] && replacement=1
printf '%s' "$replacement" |
    dd of="$tmp/originals/$victim" bs=1 seek=$((size / 2)) conv=notrunc 2>/dev/null
expect 1 "FAIL: $victim differs" "one byte changed in $victim"

fresh_originals
rm "$tmp/originals/$victim"
expect 1 "FAIL: $victim is in" "$victim missing from the originals"

fresh_originals
echo '{}' >"$tmp/originals/extra-vectors.json"
expect 1 "FAIL: extra-vectors.json is in" "a vector file without a copy"

rm -rf "$tmp/originals"
expect 77 "SKIPPED: .* does not exist" "no originals directory"

if ((failures > 0)); then
    echo "test-check-vectors-match: $failures case(s) failed"
    exit 1
fi
echo "test-check-vectors-match: every case behaved as expected"
