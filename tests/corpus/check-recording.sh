#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Usage: check-recording.sh ENDPOINTS_DIR NAME [CORPUS_DIR]
#
# The committed recording pcaps/NAME.pcapng and keys/NAME.keys still match
# their scenario pcaps/NAME.scenario, so that a scenario edited without
# re-recording (scripts/record-corpus.sh) fails:
#   - keys/NAME.keys equals what scripts/record/capture-keys.sh derives
#     from the scenario;
#   - the scenario recorded again into a temporary file carries the same
#     CoAP bytes: per UDP datagram or TCP segment with data, the same
#     addresses, UDP ports and payload, in the same order (timestamps and
#     TCP ports and sequence numbers differ between recordings).
# Recording needs capture rights (root, as in CI); without them the second
# part is skipped (exit status 77) with a message saying so.
# CORPUS_DIR (default: the repository) holds pcaps/ and keys/; the harness
# tests pass an edited copy.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
bin=$1 name=$2 corpus=${3:-$repo}
scenario="$corpus/pcaps/$name.scenario"
capture="$corpus/pcaps/$name.pcapng"
keys="$corpus/keys/$name.keys"
work=$(mktemp -d /tmp/oscore-recording.XXXXXX)
trap 'rm -rf "$work"' EXIT

for file in "$scenario" "$capture" "$keys"; do
    if [[ ! -f "$file" ]]; then
        echo "FAIL: $file is missing" >&2
        exit 1
    fi
done

bash "$repo/scripts/record/capture-keys.sh" "$scenario" >"$work/keys"
if ! diff -u "$keys" "$work/keys"; then
    echo "FAIL: keys/$name.keys is not what pcaps/$name.scenario gives" \
        "(re-record: scripts/record-corpus.sh $name)" >&2
    exit 1
fi

coap_bytes() {
    tshark -r "$1" -Y 'udp || tcp.len > 0' -T fields -E header=y \
        -e ip.src -e ip.dst -e udp.srcport -e udp.dstport \
        -e udp.payload -e tcp.payload
}

status=0
bash "$repo/scripts/record/record-scenario.sh" "$scenario" "$bin" \
    "$work/again.pcapng" >"$work/run.log" 2>&1 || status=$?
if ((status == 3)) && [[ "$(id -u)" != 0 ]]; then
    cat "$work/run.log"
    echo "SKIP: cannot capture as $(id -un) (root is needed):" \
        "keys checked, pcaps/$name.pcapng not re-recorded"
    exit 77
fi
if ((status != 0)); then
    cat "$work/run.log" >&2
    echo "FAIL: recording pcaps/$name.scenario again failed" >&2
    exit 1
fi
coap_bytes "$capture" >"$work/committed.tsv"
coap_bytes "$work/again.pcapng" >"$work/again.tsv"
if ! diff -u "$work/committed.tsv" "$work/again.tsv"; then
    echo "FAIL: pcaps/$name.pcapng no longer matches pcaps/$name.scenario" \
        "(re-record: scripts/record-corpus.sh $name; then" \
        "scripts/bless-expected.sh corpus.capture.$name)" >&2
    exit 1
fi
echo "pcaps/$name.pcapng and keys/$name.keys match pcaps/$name.scenario" \
    "($(($(wc -l <"$work/committed.tsv") - 1)) CoAP datagrams/segments)"
