#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Usage: check_export.sh [--output-dir DIR] BUILD_DIR NAME
#
# The Export PDU tap "OSCORE decrypted CoAP" on pcaps/NAME.pcapng with
# keys/NAME.keys: tshark with the plugin writes the decrypted CoAP
# messages (-U), then plain tshark, without the plugin, reads them back as
# CoAP. Asserted:
#   - one record per message whose layers were all removed (the frames
#     the plugin reports with oscore_layers.removed == oscore_layers.count
#     and nothing left), in capture order, none for the others;
#   - each record carries its original frame's number, time stamp,
#     addresses and ports (exported_pdu.* against the capture);
#   - plain tshark decodes every record as CoAP without an error, and its
#     fields (code, token, Uri-Host, Uri-Path, Content-Format, payload
#     length) equal the reviewed
#     tests/corpus/expected/NAME.export.tsv.
# With --records-only (captures with RFC 8974 TKL 13/14 tokens, which
# Wireshark's own CoAP dissector misreads on 4.0, 4.4 and 4.6 alike: see
# README's limitations) only the first two points are checked.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source-path=SCRIPTDIR source=expected.sh
source "$here/expected.sh"
expected_parse_args "$@"
shift "$expected_shift"
repo=$(cd "$here/.." && pwd)
records_only=0
if [[ "${1:-}" == --records-only ]]; then
    records_only=1
    shift
fi
build=$1 name=$2
pcap="$repo/pcaps/$name.pcapng"
keys="$repo/keys/$name.keys"
with_plugin() {
    "$repo/scripts/tshark-with-plugin.sh" "$build" -r "$pcap" \
        -o "oscore_layers.keys_file:$keys" "$@"
}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
chmod 0777 "$work" # the wrapper runs tshark as an unprivileged user
# Plain tshark: no personal configuration, hence no personal plugins.
mkdir "$work/home"
plain() { HOME="$work/home" XDG_CONFIG_HOME="$work/home" tshark "$@" 2>/dev/null; }

with_plugin -q -U "OSCORE decrypted CoAP" -w "$work/out.pcapng"

# Frames whose every layer the plugin removed (a frame may carry several
# CoAP messages: each removed one is a record).
with_plugin -Y oscore_layers -T fields -E occurrence=a -E aggregator=' ' \
    -e frame.number -e frame.time_epoch -e ip.src -e ip.dst -e ipv6.src \
    -e ipv6.dst -e udp.srcport -e udp.dstport -e tcp.srcport -e tcp.dstport \
    -e oscore_layers.count -e oscore_layers.removed -e oscore_layers.info |
    awk -F'\t' '{ n = split($11, c, " "); split($12, r, " ");
                  for (i = 1; i <= n; i++)
                      if (c[i] == r[i] && c[i] > 0 && $13 !~ /\(layer [0-9]+ /)
                          printf "%s\t%s\t%s%s\t%s%s\t%s%s\t%s%s\n", $1, $2,
                              $3, $5, $4, $6, $7, $9, $8, $10 }' \
        >"$work/want.tsv"
plain -r "$work/out.pcapng" -T fields -e exported_pdu.orig_fno \
    -e frame.time_epoch -e exported_pdu.ipv4_src -e exported_pdu.ipv6_src \
    -e exported_pdu.ipv4_dst -e exported_pdu.ipv6_dst \
    -e exported_pdu.src_port -e exported_pdu.dst_port |
    awk -F'\t' '{ printf "%s\t%s\t%s%s\t%s%s\t%s\t%s\n", $1, $2, $3, $4,
                  $5, $6, $7, $8 }' >"$work/got.tsv"
if ! diff -u "$work/want.tsv" "$work/got.tsv"; then
    echo "FAIL: $name: the export's records are not the fully decrypted" \
        "messages with their frame numbers, times, addresses and ports" >&2
    exit 1
fi

if ((records_only)); then
    echo "ok: $name: records only (plain tshark cannot read these tokens)"
    exit 0
fi

# Errors only: a retransmission the capture holds is exported as such,
# and plain tshark notes it.
plain -r "$work/out.pcapng" -Y '_ws.malformed or _ws.expert.severity == "Error"' \
    >"$work/errors.txt"
if [[ -s "$work/errors.txt" ]]; then
    cat "$work/errors.txt" >&2
    echo "FAIL: $name: plain tshark reports errors in the exported CoAP" >&2
    exit 1
fi
plain -r "$work/out.pcapng" -T fields -e frame.number -e coap.code \
    -e coap.token -e coap.opt.uri_host -e coap.opt.uri_path -e coap.opt.ctype \
    -e coap.payload_length \
    >"$work/coap.tsv"
expected_check "$work/coap.tsv" "$repo/tests/corpus/expected/$name.export.tsv" \
    "$name: exported CoAP"
