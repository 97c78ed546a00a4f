#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Usage: expected_guard.sh BUILD_DIR CAPTURES_DIR MODE
#
# Shows that the expected-file comparison cannot pass by accident. Each
# MODE first runs a test script against an intact copy of an expected file
# (it must pass, so the setup is sound), then against a broken one (it
# must fail, for that reason):
#   case     run_case.sh with a corrupted tests/expected/gen-echo.tsv
#   capture  corpus/run-capture.sh with a corrupted -V expected file
#   stats    check_stats.sh with a corrupted statistics tree
#   update   run_case.sh with OSCORE_UPDATE_EXPECTED=1 and a garbage
#            expected file: refused, and the file is left as it was
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
tests=$(cd "$here/.." && pwd)
build=$1 captures=$2 mode=$3
must_fail="$here/must-fail.sh"
work=$(mktemp -d /tmp/oscore-harness.XXXXXX)
trap 'rm -rf "$work"' EXIT

corrupt() {
    echo "a line the plugin never prints" >>"$1"
}

case "$mode" in
case)
    cp "$tests/expected/gen-echo.tsv" "$work/"
    run=(bash "$tests/run_case.sh" "$build" "$captures/gen-echo.pcap"
        "$tests/keys/generated.keys" "$work/gen-echo.tsv")
    "${run[@]}" >/dev/null
    corrupt "$work/gen-echo.tsv"
    "$must_fail" 'FAIL: single-pass output differs' -- "${run[@]}"
    ;;
capture)
    cp "$tests/corpus/expected/failure-replay."* "$work/"
    run=(bash "$tests/corpus/run-capture.sh" --expected-dir "$work" "$build"
        failure-replay 5 6)
    "${run[@]}" >/dev/null
    corrupt "$work/failure-replay.verbose.txt"
    "$must_fail" 'FAIL: failure-replay: -V of frames 5 6 differs' -- "${run[@]}"
    ;;
stats)
    expected="$work/stats.txt"
    cp "$tests/expected/stats-nested-5.9-ex3-generated.txt" "$expected"
    run=(bash "$tests/check_stats.sh" "$build" "$captures/nested-5.9-ex3.pcap"
        "$tests/keys/generated.keys" "$expected")
    "${run[@]}" >/dev/null
    corrupt "$expected"
    "$must_fail" 'FAIL: statistics tree differs' -- "${run[@]}"
    ;;
update)
    cp "$tests/expected/gen-echo.tsv" "$work/"
    run=(bash "$tests/run_case.sh" "$build" "$captures/gen-echo.pcap"
        "$tests/keys/generated.keys" "$work/gen-echo.tsv")
    "${run[@]}" >/dev/null
    echo garbage >"$work/gen-echo.tsv"
    OSCORE_UPDATE_EXPECTED=1 "$must_fail" 'OSCORE_UPDATE_EXPECTED is set' -- \
        "${run[@]}"
    if [[ "$(cat "$work/gen-echo.tsv")" != garbage ]]; then
        echo "FAIL: the expected file was rewritten" >&2
        exit 1
    fi
    ;;
*)
    echo "$0: unknown mode $mode" >&2
    exit 2
    ;;
esac
