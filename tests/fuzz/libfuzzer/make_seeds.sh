#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Writes the seed corpora of the libFuzzer harnesses (this directory's
# *_fuzz.c) from the repository's vectors, captures and keys files:
#
#   OUT/coap     every CoAP message of the captures (UDP and TCP payloads,
#                read with tshark) and every hex string of the vectors
#   OUT/option   every hex string of the vectors (their OSCORE option
#                values among them) and a few hand-written option values
#   OUT/peel     each of those messages and strings behind the four mode
#                bytes of peel_fuzz.c (00/02: a plaintext to encrypt as
#                request/response; 01/03: a raw request/response)
#   OUT/group    the same for group_fuzz.c
#   OUT/keyfile  every keys file given
#
# Usage: make_seeds.sh HEX_SEEDS OUT VECTORS_DIR --pcaps FILE... --keys FILE...
# (HEX_SEEDS: the hex_seeds program of this directory, built by the main
# build.) Deterministic: the same inputs give the same files (named by
# hash).
set -euo pipefail

seeder=$1 out=$2 vectors=$3
shift 3
pcaps=() keys=()
mode=
for arg in "$@"; do
    case "$arg" in
    --pcaps) mode=pcaps ;;
    --keys) mode=keys ;;
    *) if [[ "$mode" == pcaps ]]; then pcaps+=("$arg"); else keys+=("$arg"); fi ;;
    esac
done

rm -rf "$out"
mkdir -p "$out"/{coap,option,peel,group,keyfile}
hexes="$out/hexes.txt"

# Hex strings of the vectors (values of at least one byte), one a line.
grep -ohE '"([0-9a-f]{2})+"' "$vectors"/*.json | tr -d '"' >"$hexes"
# Application payloads of the captures, merged into one file first: one
# tshark start instead of one a capture (each takes about a second).
if ((${#pcaps[@]})); then
    mergecap -F pcapng -w "$out/all.pcapng" "${pcaps[@]}"
    tshark -n -r "$out/all.pcapng" -T fields -e udp.payload -e tcp.payload \
        2>/dev/null | tr '\t' '\n' | grep -E '^([0-9a-f]{2})+$' >>"$hexes" ||
        true
    rm -f "$out/all.pcapng"
fi
sort -u -o "$hexes" "$hexes"

"$seeder" "$out/coap" - <"$hexes"
awk 'length($0) <= 600' "$hexes" | "$seeder" "$out/option" -
# Option values: empty, flags only, Partial IV, kid context, Group Flag.
printf '%s\n' 09 0900 0914 190114ff 1901140200aa 29ab25 39ab0344616c25 \
    01 02 03 04 05 06 07 | "$seeder" "$out/option" -
: >"$out/option/empty"
"$seeder" "$out/peel" 00 01 02 03 <"$hexes"
"$seeder" "$out/group" 00 01 02 03 <"$hexes"
rm -f "$hexes"

for k in "${keys[@]}"; do
    cp "$k" "$out/keyfile/$(basename "$k")"
done
for d in coap option peel group keyfile; do
    echo "make_seeds: $d: $(find "$out/$d" -type f | wc -l) seeds"
done
