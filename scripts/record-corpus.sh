#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Usage: scripts/record-corpus.sh [NAME...]
#
# Re-records the reference pcap corpus from real traffic of the reference
# endpoints (a developer action; the tests only read what is committed).
# For each scenario pcaps/NAME.scenario (all when no NAME is given), the
# one copy of it:
#   1. scripts/record/record-scenario.sh captures the loopback traffic
#      (dumpcap, root is needed) while scripts/record/run-scenario.sh
#      starts the proxies and servers, then the client, and waits until
#      all of them have exited by themselves;
#   2. pcaps/NAME.pcapng and keys/NAME.keys (scripts/record/capture-keys.sh:
#      the scenario's keys file, minus the contexts named by
#      "omit_from_capture_keys") are written.
# Tokens, Message IDs and sequence numbers come from the scenario, so a
# re-recording gives the same CoAP bytes (only timestamps and, over TCP,
# ports and TCP sequence numbers differ); the ctest corpus.recording.NAME
# checks that the committed capture still matches its scenario.
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

pcaps="$OSCORE_REPO/pcaps"
if (($# == 0)); then
    set --
    for file in "$pcaps"/*.scenario; do
        set -- "$@" "$(basename "$file" .scenario)"
    done
fi

work=$(mktemp -d /tmp/oscore-record.XXXXXX)
trap 'rm -rf "$work"' EXIT

failed=0
for name in "$@"; do
    scenario="$pcaps/$name.scenario"
    if [[ ! -f "$scenario" ]]; then
        echo "record-corpus: no scenario $scenario" >&2
        failed=1
        continue
    fi
    echo "== $name"
    capture="$work/$name.pcapng"
    if ! bash "$OSCORE_REPO/scripts/record/record-scenario.sh" "$scenario" \
        "$bin" "$capture"; then
        echo "record-corpus: $name: the scenario failed (see above)" >&2
        failed=1
        continue
    fi
    # Written to a temporary file first: the scenario may use
    # keys/NAME.keys itself.
    bash "$OSCORE_REPO/scripts/record/capture-keys.sh" "$scenario" \
        >"$work/$name.keys"
    mkdir -p "$OSCORE_REPO/keys"
    cp "$work/$name.keys" "$OSCORE_REPO/keys/$name.keys"
    cp "$capture" "$pcaps/$name.pcapng"
    chmod 0644 "$pcaps/$name.pcapng" "$OSCORE_REPO/keys/$name.keys"
    frames=$(tshark -r "$pcaps/$name.pcapng" 2>/dev/null | wc -l)
    echo "   pcaps/$name.pcapng: $frames frames"
done
exit "$failed"
