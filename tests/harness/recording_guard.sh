#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Usage: recording_guard.sh ENDPOINTS_DIR MODE
#
# Shows that tests/corpus/check-recording.sh fails when a scenario was
# edited without re-recording. It runs on a copy of the recording of the
# draft's example "C-S + C-P" (pcaps/example-5.1-cs-cp.*), first unedited
# (must pass, or skip without capture rights in mode traffic), then:
#   keys     the scenario now omits c-p from the capture's keys file
#   traffic  the client's c-s sequence number changed (42 -> 43), so the
#            CoAP bytes differ (needs capture rights, else skipped: 77)
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
bin=$1 mode=$2
check="$repo/tests/corpus/check-recording.sh"
name=example-5.1-cs-cp
work=$(mktemp -d /tmp/oscore-recording-harness.XXXXXX)
trap 'rm -rf "$work"' EXIT

mkdir "$work/pcaps" "$work/keys"
cp "$repo/pcaps/$name.scenario" "$repo/pcaps/$name.pcapng" "$work/pcaps/"
cp "$repo/keys/$name.keys" "$repo/keys/nested-example-5.9.keys" "$work/keys/"
scenario="$work/pcaps/$name.scenario"

case "$mode" in
keys)
    # Unedited, the keys part passes; the recording part may skip (77).
    bash "$check" "$bin" "$name" "$work" >/dev/null || (($? == 77))
    sed -i 's/^transport udp/omit_from_capture_keys c-p\n&/' "$scenario"
    "$here/must-fail.sh" "keys/$name.keys is not what" -- \
        bash "$check" "$bin" "$name" "$work"
    ;;
traffic)
    bash "$check" "$bin" "$name" "$work" >/dev/null
    sed -i 's/^context c-s client server seq=42$/context c-s client server seq=43/' \
        "$scenario"
    grep -q 'seq=43' "$scenario"
    "$here/must-fail.sh" "pcaps/$name.pcapng no longer matches" -- \
        bash "$check" "$bin" "$name" "$work"
    ;;
*)
    echo "$0: unknown mode $mode" >&2
    exit 2
    ;;
esac
