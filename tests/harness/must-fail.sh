#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Usage: must-fail.sh PATTERN -- COMMAND [ARG...]
#
# A harness test: COMMAND (a test script given a broken input) must exit
# non-zero AND print a line matching PATTERN (grep -E) on stdout or
# stderr, so that it fails for the reason the harness test is about, not
# for any other. Prints COMMAND's output when either is not the case.
set -uo pipefail

if (($# < 3)) || [[ "$2" != -- ]]; then
    echo "usage: $0 PATTERN -- COMMAND [ARG...]" >&2
    exit 2
fi
pattern=$1
shift 2

output=$("$@" 2>&1)
status=$?
if ((status == 0)); then
    echo "FAIL: the command passed, it must fail: $*" >&2
    echo "$output" >&2
    exit 1
fi
if ! grep -Eq -- "$pattern" <<<"$output"; then
    echo "FAIL: the command failed (status $status) but printed no line" \
        "matching /$pattern/: $*" >&2
    echo "$output" >&2
    exit 1
fi
echo "fails as it must (status $status, /$pattern/ found)"
