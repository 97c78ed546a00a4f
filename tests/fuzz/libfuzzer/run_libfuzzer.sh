#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# A short, bounded libFuzzer run for ctest (fuzz.libfuzzer.*): first every
# stored regression input once (each is a crash this harness once found),
# then RUNS executions from the seeds with a fixed seed. New inputs go to
# a fresh WORK directory; a crash leaves its input there (the command
# to reproduce it is printed). Exit status: the harness's.
#
# Usage: run_libfuzzer.sh HARNESS WORK RUNS REGRESSIONS_DIR SEED_DIR...
set -euo pipefail

harness=$1 work=$2 runs=$3 regressions=$4
shift 4
rm -rf "$work"
mkdir -p "$work/corpus" "$work/artifacts"

common=(-seed=1 -max_len=2048 -timeout=20 -rss_limit_mb=2048
    -artifact_prefix="$work/artifacts/" -print_final_stats=1)

if [[ -d "$regressions" ]]; then
    mapfile -t inputs < <(find "$regressions" -type f | sort)
    if ((${#inputs[@]})); then
        echo "== ${#inputs[@]} regression inputs of $regressions"
        "$harness" "${common[@]}" "${inputs[@]}"
    fi
fi

echo "== $runs runs from ${*}"
status=0
"$harness" "${common[@]}" -runs="$runs" "$work/corpus" "$@" || status=$?
if ((status != 0)); then
    echo "run_libfuzzer: $harness failed ($status); inputs in $work/artifacts:"
    ls -l "$work/artifacts" || true
    echo "reproduce: $harness $work/artifacts/<file>"
fi
exit "$status"
