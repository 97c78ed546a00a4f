#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Usage: check-vectors.sh PCAP VECTORS_JSON NAME...
#
# The recorded captures of the draft's examples in appendix B.1 and B.3
# (example-5.1-cs-cp, example-5.3-cs-cp-ps) must carry, frame by frame,
# exactly the messages of tests/vectors/nested-example-5.9.json: real
# endpoint traffic reproducing the byte-level reference. Prints a diff on mismatch.
set -euo pipefail
pcap=$1 vectors=$2
shift 2

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for name in "$@"; do
    value=$(sed -n "s/^ *\"$name\": *\"\\([0-9a-f]*\\)\".*/\\1/p" "$vectors")
    if [[ -z "$value" ]]; then
        echo "check-vectors: $name not in $vectors" >&2
        exit 1
    fi
    printf '%s\n' "$value" >>"$tmp/expected"
done
tshark -r "$pcap" -T fields -e udp.payload 2>/dev/null >"$tmp/captured"
if ! diff -u "$tmp/expected" "$tmp/captured"; then
    echo "FAIL: $pcap does not carry $* byte for byte" >&2
    exit 1
fi
echo "$pcap: $# messages equal to those of $(basename "$vectors")"
