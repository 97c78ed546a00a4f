#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Usage: scripts/record/record-scenario.sh SCENARIO ENDPOINTS_DIR OUT.pcapng
#
# Records one scenario: dumpcap captures the loopback traffic on port
# 5683 between the scenario's addresses (so that other tests running at
# the same time on other 127.0.0.x addresses stay out of it) while
# run-scenario.sh runs the endpoints. Used by scripts/record-corpus.sh and
# by the ctest corpus.recording.* (tests/corpus/check-recording.sh).
# Capturing needs root (or dumpcap's capabilities).
# Exit status: run-scenario.sh's; 3 when dumpcap could not capture.
set -euo pipefail

if (($# != 3)); then
    echo "usage: $0 SCENARIO ENDPOINTS_DIR OUT.pcapng" >&2
    exit 2
fi
scenario=$1 bin=$2 capture=$3
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

if ! command -v dumpcap >/dev/null; then
    echo "record-scenario: dumpcap is missing (apt-get install wireshark-common)" >&2
    exit 3
fi
hosts=$(sed 's/#.*//' "$scenario" | awk '$1 == "node" { print "host " $3 }' |
    paste -sd '|' | sed 's/|/ or /g')
if [[ -z "$hosts" ]]; then
    echo "record-scenario: $scenario has no node" >&2
    exit 2
fi

log=$(mktemp /tmp/oscore-dumpcap.XXXXXX)
rm -f "$capture"
dumpcap -q -i lo -f "port 5683 and ($hosts)" -w "$capture" 2>"$log" &
dumpcap_pid=$!
# shellcheck disable=SC2317 # called through the EXIT trap
cleanup() {
    if [[ -n "$dumpcap_pid" ]]; then
        kill -INT "$dumpcap_pid" 2>/dev/null || true
        wait "$dumpcap_pid" 2>/dev/null || true
    fi
    rm -f "$log"
}
trap cleanup EXIT

# dumpcap writes the file header once the capture runs.
for _ in $(seq 100); do
    [[ -s "$capture" ]] && break
    if ! kill -0 "$dumpcap_pid" 2>/dev/null; then
        break
    fi
    sleep 0.05
done
if [[ ! -s "$capture" ]]; then
    echo "record-scenario: dumpcap could not capture on lo:" >&2
    cat "$log" >&2
    exit 3
fi
sleep 0.2
status=0
bash "$here/run-scenario.sh" "$scenario" "$bin" || status=$?
sleep 0.3
kill -INT "$dumpcap_pid"
wait "$dumpcap_pid" || true
dumpcap_pid=""
exit "$status"
