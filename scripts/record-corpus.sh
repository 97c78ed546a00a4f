#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Usage: scripts/record-corpus.sh [NAME...]
#
# Re-records the reference pcap corpus from real traffic of the reference
# endpoints (a developer action; the tests only read what is committed).
# For each scenario scripts/record/scenarios/NAME.scenario (all when no
# NAME is given):
#   1. dumpcap starts on the loopback interface with the filter
#      "port 5683" (root is needed for capturing);
#   2. scripts/record/run-scenario.sh starts the proxies and servers, then
#      the client, and waits until all of them have exited by themselves;
#   3. dumpcap is stopped with SIGINT;
#   4. pcaps/NAME.pcapng, keys/NAME.keys (the scenario's keys file, minus
#      the contexts named by "omit_from_capture_keys") and
#      pcaps/NAME.scenario (with its keys path made relative to pcaps/)
#      are written.
# Tokens, Message IDs and sequence numbers come from the scenario, so a
# re-recording gives the same CoAP bytes (only timestamps and, over TCP,
# ports and TCP sequence numbers differ).
#
# Environment: OSCORE_BUILD_DIR (default build) must hold the built
# endpoints (cmake --build build --target oscore-client oscore-proxy
# oscore-server).
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

bin="$OSCORE_BUILD/reference-impl/endpoints"
for program in oscore-client oscore-proxy oscore-server; do
    if [[ ! -x "$bin/$program" ]]; then
        echo "record-corpus: $bin/$program not built" >&2
        exit 1
    fi
done
if ! command -v dumpcap >/dev/null; then
    echo "record-corpus: dumpcap is missing (apt-get install wireshark-common)" >&2
    exit 1
fi

sources="$OSCORE_REPO/scripts/record/scenarios"
if (($# == 0)); then
    set --
    for file in "$sources"/*.scenario; do
        set -- "$@" "$(basename "$file" .scenario)"
    done
fi

work=$(mktemp -d /tmp/oscore-record.XXXXXX)
dumpcap_pid=""
# shellcheck disable=SC2317 # called through the EXIT trap
cleanup() {
    if [[ -n "$dumpcap_pid" ]]; then
        kill -INT "$dumpcap_pid" 2>/dev/null || true
        wait "$dumpcap_pid" 2>/dev/null || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT

# Copies keys file $1 to $2 without the groups named in the rest.
filter_keys() {
    local from=$1 to=$2
    shift 2
    awk -v omit=" $* " '
        /^[[:space:]]*\[/ {
            name = $0
            sub(/^[[:space:]]*\[/, "", name)
            sub(/\].*/, "", name)
            skip = index(omit, " " name " ") > 0
        }
        !skip { print }
    ' "$from" >"$to"
}

failed=0
for name in "$@"; do
    scenario="$sources/$name.scenario"
    if [[ ! -f "$scenario" ]]; then
        echo "record-corpus: no scenario $scenario" >&2
        failed=1
        continue
    fi
    echo "== $name"
    keys_line=$(sed -n 's/^keys[[:space:]]\{1,\}\([^#[:space:]]*\).*/\1/p' "$scenario")
    keys_source=$(cd "$(dirname "$scenario")" && realpath "$keys_line")
    omit=$(sed -n 's/^omit_from_capture_keys[[:space:]]\{1,\}\([^#]*\).*/\1/p' "$scenario")

    capture="$work/$name.pcapng"
    rm -f "$capture"
    dumpcap -q -i lo -f "port 5683" -w "$capture" 2>"$work/dumpcap.log" &
    dumpcap_pid=$!
    # dumpcap writes the file header once the capture runs.
    for _ in $(seq 100); do
        [[ -s "$capture" ]] && break
        sleep 0.05
    done
    sleep 0.2
    status=0
    bash "$OSCORE_REPO/scripts/record/run-scenario.sh" "$scenario" "$bin" \
        "$work/logs-$name" || status=$?
    sleep 0.3
    kill -INT "$dumpcap_pid"
    wait "$dumpcap_pid" || true
    dumpcap_pid=""
    if ((status != 0)); then
        echo "record-corpus: $name: the scenario failed (see above)" >&2
        failed=1
        continue
    fi

    mkdir -p "$OSCORE_REPO/pcaps" "$OSCORE_REPO/keys"
    cp "$capture" "$OSCORE_REPO/pcaps/$name.pcapng"
    chmod 0644 "$OSCORE_REPO/pcaps/$name.pcapng"
    # shellcheck disable=SC2086 # omit is a list of context names
    filter_keys "$keys_source" "$OSCORE_REPO/keys/$name.keys" $omit
    relative=$(realpath --relative-to="$OSCORE_REPO/pcaps" "$keys_source")
    sed "s|^keys[[:space:]].*|keys $relative|" "$scenario" \
        >"$OSCORE_REPO/pcaps/$name.scenario"
    frames=$(tshark -r "$OSCORE_REPO/pcaps/$name.pcapng" 2>/dev/null | wc -l)
    echo "   pcaps/$name.pcapng: $frames frames"
done
exit "$failed"
