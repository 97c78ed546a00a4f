#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Text the plugin takes from a capture or a decrypted plaintext reaches
# the terminal escaped: runs tshark with the plugin in summary, -T fields
# (every oscore_layers field) and -V form and fails if any output holds a
# control byte other than tab and newline (a terminal escape sequence, a
# forged line), or if the escaped form of the capture's hostile text is
# missing (a NUL byte must not cut it short).
# Usage: check_escaped.sh <build-dir> <expected-text> -- [tshark args...]
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
build=$1 want=$2
shift 2
[[ "$1" == -- ]] && shift
run() {
    "$here/../scripts/tshark-with-plugin.sh" "$build" "$@"
}
fields=()
while read -r f; do
    fields+=(-e "$f")
done < <(run -G fields | awk -F'\t' '$1 == "F" && $3 ~ /^oscore_layers\./ {print $3}')
status=0
for mode in summary fields verbose; do
    case $mode in
    summary) out=$(run "$@") ;;
    fields)
        out=$(run "$@" -T fields -E occurrence=a "${fields[@]}" |
            "$here/normalize-output.sh" fields)
        ;;
    verbose) out=$(run "$@" -V) ;;
    esac
    if LC_ALL=C grep -q $'[\x01-\x08\x0b-\x1f\x7f]' <<<"$out"; then
        echo "FAIL: $mode output holds control bytes:" >&2
        LC_ALL=C grep -n $'[\x01-\x08\x0b-\x1f\x7f]' <<<"$out" | cat -v >&2
        status=1
    fi
    if ! grep -qF -- "$want" <<<"$out"; then
        echo "FAIL: $mode output lacks the escaped text $want" >&2
        status=1
    fi
done
exit $status
