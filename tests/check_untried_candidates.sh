#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# More contexts sharing a kid than the engine tries (OSC_MAX_CANDIDATES,
# 32): with the right context behind 40 others of that kid, the request is
# reported as "no context" with an expert info saying how many share the
# kid, never as an authentication failure; with 31 others before it, it
# is tried and the layer decrypted.
# Usage: check_untried_candidates.sh <build-dir> <capture> <keys> <kid-hex>
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
build=$1 capture=$2 keys=$3 kid=$4
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
chmod 0755 "$tmp"
decoys() { # count: contexts whose Sender ID is the kid, wrong secrets
    for ((i = 0; i < $1; i++)); do
        printf '[decoy%d]\nmaster_secret = %032x\nsender_id = %s\n' \
            "$i" "$((i + 1))" "$kid"
        printf 'recipient_id = %04x\n' "$((i + 0x7000))"
    done
}
run() {
    "$here/../scripts/tshark-with-plugin.sh" "$build" -r "$capture" \
        -o "oscore_layers.keys_file:$1" -T fields -E occurrence=f \
        -e oscore_layers.layer.status -e _ws.expert.message 2>/dev/null
}
status=0
{ decoys 40; cat "$keys"; } >"$tmp/forty.keys"
{ decoys 31; cat "$keys"; } >"$tmp/thirty-one.keys"
chmod 0644 "$tmp"/*.keys
out=$(run "$tmp/forty.keys")
if ! grep -q 'contexts share this kid (and kid context); the first 32 tried' \
    <<<"$out"; then
    echo "FAIL: 40 decoys: no expert info about untried contexts" >&2
    status=1
fi
if grep -q '^auth-failed' <<<"$out"; then
    echo "FAIL: 40 decoys: a layer reported as auth-failed" >&2
    status=1
fi
if ! run "$tmp/thirty-one.keys" | grep -q '^decrypted'; then
    echo "FAIL: 31 decoys: the right context (32nd) was not found" >&2
    status=1
fi
if ((status)); then
    echo "output with 40 decoys:" >&2
    echo "$out" >&2
fi
exit $status
