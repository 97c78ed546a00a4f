#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Long runs of the libFuzzer harnesses (tests/fuzz/libfuzzer), for a
# campaign rather than the short bounded runs of ctest fuzz.libfuzzer.*.
#
# Usage: scripts/fuzz-long.sh [SECONDS [HARNESS...]]
#   SECONDS  time per harness (default 600)
#   HARNESS  coap option peel group keyfile (default: all five, one after
#            the other: one core each, the machine stays usable)
#
# Builds the project first (scripts/test.sh's configuration), writes the
# seeds (ctest fuzz.libfuzzer.seeds), then for each harness keeps its
# corpus in <build>/fuzz-long/NAME/corpus (a later run goes on from it)
# and any crash input in <build>/fuzz-long/NAME/artifacts. At the end it
# prints per harness the executions, the corpus size, the crashes, and
# per source file the edges covered (libFuzzer -print_coverage on the
# final corpus). A crash input goes to tests/fuzz/regressions/libfuzzer/
# NAME/ once fixed, so that ctest replays it on every run.
# Exit status: 1 when any harness found a crash.
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
# shellcheck source-path=SCRIPTDIR source=deps.sh
source "$OSCORE_REPO/scripts/deps.sh"

seconds=${1:-600}
shift || true
names=("$@")
((${#names[@]})) || names=(coap option peel group keyfile)

oscore_ensure_deps
OSCORE_LIBFUZZER=ON oscore_configure_and_build
ctest --test-dir "$OSCORE_BUILD" -R 'fuzz.libfuzzer.seeds|plugin.captures' \
    --output-on-failure >/dev/null

bin="$OSCORE_BUILD/tests/fuzz/libfuzzer"
seeds="$OSCORE_BUILD/tests/fuzz/libfuzzer-seeds"
export OSCORE_FUZZ_GROUP_KEYS="$OSCORE_BUILD/tests/captures/group-member.keys"
declare -A harness=([coap]=coap_fuzz [option]=option_fuzz [peel]=peel_fuzz
    [group]=group_fuzz [keyfile]=keyfile_libfuzzer)

crashed=0
summary=()
for name in "${names[@]}"; do
    exe="$bin/${harness[$name]:?unknown harness $name}"
    dir="$OSCORE_BUILD/fuzz-long/$name"
    mkdir -p "$dir/corpus" "$dir/artifacts"
    echo "fuzz-long: $name for $seconds s" >&2
    status=0
    "$exe" -max_total_time="$seconds" -max_len=2048 -timeout=20 \
        -rss_limit_mb=2048 -print_final_stats=1 \
        -artifact_prefix="$dir/artifacts/" "$dir/corpus" "$seeds/$name" \
        >"$dir/run.log" 2>&1 || status=$?
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$dir/run.log")
    crashes=$(find "$dir/artifacts" -type f | wc -l)
    ((status == 0 && crashes == 0)) || crashed=1
    # Coverage of the final corpus, edges per source file of the engine
    # and keys file loader.
    "$exe" -runs=0 -print_coverage=1 "$dir/corpus" >"$dir/coverage.log" 2>&1 ||
        true
    summary+=("$name: ${runs:-?} executions, $(find "$dir/corpus" -type f |
        wc -l) corpus inputs, $crashes crash inputs, exit $status")
    awk '$1 == "COVERED_FUNC:" || $1 == "UNCOVERED_FUNC:" {
            file = $NF; sub(/:[0-9]+$/, "", file); sub(/.*\//, "", file)
            split($5, e, "/"); cov[file] += e[1]; all[file] += e[2]
            funcs[file]++; if ($1 == "COVERED_FUNC:") reached[file]++
        }
        END { for (f in all) printf "    %-22s %5d of %5d edges, %3d of %3d functions\n", f, cov[f], all[f], reached[f], funcs[f] }' \
        "$dir/coverage.log" | sort >"$dir/coverage.txt"
done

echo "fuzz-long: ${seconds} s per harness"
for i in "${!names[@]}"; do
    echo "${summary[$i]}"
    cat "$OSCORE_BUILD/fuzz-long/${names[$i]}/coverage.txt"
done
exit "$crashed"
