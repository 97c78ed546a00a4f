#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Usage: normalize-output.sh fields|verbose <in >out
#
# The one place where tshark output is made independent of the Wireshark
# version (4.0, 4.4, 4.6) before the regression tests compare it with the
# expected files. Only Wireshark's own rendering is rewritten, never a value
# the plugin computes:
#
#   verbose (-V)
#     - 4.4+ prints long byte fields in full, 4.0 cuts them after 36 bytes
#       with "…": every version is cut the 4.0 way.
#     - 4.6 writes "Frame N: Packet, 106 bytes on wire ..."; 4.0 and 4.4
#       "Frame N: 106 bytes on wire ...": the "Packet, " goes.
#     - 4.6 writes relative times in the largest fitting unit ("2.028070
#       milliseconds", "155.695 microseconds"); 4.0 and 4.4 in seconds
#       ("0.002028070 seconds"): every version gets seconds.
#   fields (-T fields)
#     - CoAP's experts "Invalid Option Number 21" and "... 292": 4.0 does
#       not know the EDHOC option (RFC 9668) nor Request-Tag (RFC 9175),
#       4.4+ do. The plugin's own experts about them have other texts and
#       stay.
#     - 4.2+ writes a backslash inside a string value as "\\" (the
#       plugin's escaped text "\033" comes out as "\\033"); 4.0 writes it
#       as it is: every version gets one backslash.
set -euo pipefail

mode=${1:-}
case "$mode" in
fields | verbose) ;;
*)
    echo "usage: $0 fields|verbose <in >out" >&2
    exit 2
    ;;
esac

LC_ALL=C awk -v mode="$mode" '
# "Label: <more than 72 hex digits>" at the end of a line -> 72 and "…".
function cut_bytes(line,    start, hex, tail, cut) {
    # Wireshark 4.4 and later mark a label cut at its maximum length with
    # " [\342\200\246]" after the field name and show more of a long byte
    # field than 4.0: compare the first 72 hex digits only, also inside
    # the brackets of a generated field.
    sub(/ \[\342\200\246\]: /, ": ", line)
    tail = ""
    if (line ~ /\]$/) {
        tail = "]"
        line = substr(line, 1, length(line) - 1)
    }
    cut = sub(/\342\200\246$/, "", line)
    if (match(line, /: [0-9a-f]+$/) && (RLENGTH - 2 > 72 || cut)) {
        start = RSTART + 2
        hex = substr(line, start)
        return substr(line, 1, start - 1) substr(hex, 1, 72) "\342\200\246" tail
    }
    return line (cut ? "\342\200\246" : "") tail
}
# "N.F milliseconds|microseconds|nanoseconds" -> "S.FFFFFFFFF seconds".
function in_seconds(line,    m, num, unit, digits, ip, fp, ns) {
    if (!match(line, /[0-9]+(\.[0-9]+)? (milli|micro|nano)seconds/)) {
        return line
    }
    m = substr(line, RSTART, RLENGTH)
    split(m, part, " ")
    num = part[1]; unit = part[2]
    digits = unit == "milliseconds" ? 6 : unit == "microseconds" ? 3 : 0
    ip = num; fp = ""
    if (index(num, ".") > 0) {
        ip = substr(num, 1, index(num, ".") - 1)
        fp = substr(num, index(num, ".") + 1)
    }
    fp = substr(fp "000000000", 1, digits)
    ns = ip * 10 ^ digits + (digits > 0 ? fp + 0 : 0)
    return substr(line, 1, RSTART - 1) \
        sprintf("%d.%09d seconds", int(ns / 1e9), ns % 1e9) \
        substr(line, RSTART + RLENGTH)
}
# Removes the entries equal to `text` from every comma-separated list
# (column) of a -T fields line; other entries are kept byte for byte,
# commas inside them included.
function drop_expert(line, text,    ncol, col, i, n, piece, j, kept, out) {
    ncol = split(line, col, "\t")
    out = ""
    for (i = 1; i <= ncol; i++) {
        n = split(col[i], piece, ",")
        kept = ""
        for (j = 1; j <= n; j++) {
            if (piece[j] != text) {
                kept = kept "," piece[j]
            }
        }
        out = out (i > 1 ? "\t" : "") substr(kept, 2)
    }
    return out
}
{
    line = $0
    if (mode == "verbose") {
        if (match(line, /^Frame [0-9]+: Packet, /)) {
            line = substr(line, 1, RLENGTH - 8) substr(line, RLENGTH + 1)
        }
        line = in_seconds(cut_bytes(line))
    } else {
        line = drop_expert(line, "Invalid Option Number 21")
        line = drop_expert(line, "Invalid Option Number 292")
        gsub(/\\\\/, "\\", line)
    }
    print line
}'
