# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=bash
#
# Sourced by the recorders of tests/captures (record-dtls.sh,
# record-tls.sh): a temporary directory $tmp and the background processes
# listed in the array pids, both removed on exit (only those processes, by
# their ids).

tmp=$(mktemp -d)
pids=()
# shellcheck disable=SC2317 # called through the EXIT trap
record_cleanup() {
    local pid
    for pid in "${pids[@]}"; do
        kill "$pid" 2>/dev/null || true
    done
    wait 2>/dev/null || true
    rm -rf "$tmp"
}
trap record_cleanup EXIT

# wait_for TEST FILE LOG: waits up to 10 s until [[ TEST FILE ]] holds
# (-s: not empty, -e: exists); otherwise prints LOG and fails.
wait_for() {
    local test=$1 file=$2 log=$3
    for _ in $(seq 200); do
        [[ $test == -s && -s "$file" ]] && return 0
        [[ $test == -e && -e "$file" ]] && return 0
        sleep 0.05
    done
    echo "timed out waiting for $file:" >&2
    cat "$log" >&2
    return 1
}
