#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Fails when a C function body is longer than the limit (README,
# "Contributing"): usage `check-function-length.sh LIMIT DIR...`.
# Counts the lines between a function's opening brace and its closing
# brace, both alone in column 0 as clang-format (.clang-format) writes
# them; the function is named after the last line before the brace that
# starts in column 0.
set -euo pipefail

if [ "$#" -lt 2 ]; then
    echo "usage: $0 LIMIT DIR..." >&2
    exit 2
fi
limit=$1
shift

mapfile -t files < <(find "$@" -name '*.c' -not -path '*/build/*' | sort)
if [ "${#files[@]}" -eq 0 ]; then
    echo "$0: no C files under $*" >&2
    exit 2
fi

awk -v limit="$limit" '
    FNR == 1 { head = ""; start = 0 }
    /^[A-Za-z_]/ && start == 0 { head = $0; head_line = FNR }
    /^\{$/ && start == 0 { start = FNR; next }
    /^\}/ && start > 0 {
        body = FNR - start - 1
        if (body > limit) {
            name = head
            sub(/\(.*/, "", name)
            n = split(name, words, /[ *]+/)
            printf "%s:%d: %s: %d lines (limit %d)\n", FILENAME, head_line,
                   words[n], body, limit
            bad++
        }
        start = 0
    }
    END {
        if (bad) {
            printf "%d function(s) longer than %d lines\n", bad, limit
            exit 1
        }
    }
' "${files[@]}"
echo "every function body is at most $limit lines (${#files[@]} files)"
