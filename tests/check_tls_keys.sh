#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# CoAP over TLS (RFC 8323 section 3) without and with the TLS key log.
# Usage: check_tls_keys.sh <build-dir> <pcap> <keys-file> <tls-keylog>
#
# <pcap> must hold no TLS secrets of its own. Without the key log, the TLS
# records stay opaque: no frame on TLS shows CoAP or an OSCORE layer, the
# plain CoAP legs of the capture are still opened, and nothing fails
# (exit status 0, empty stderr, no malformed packet, no expert info of
# warning or error severity). With -o tls.keylog_file:<tls-keylog>, the
# TLS frames show their OSCORE layers, every one removed, and the plain
# legs are unchanged.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
build=$1 pcap=$2 keys=$3 keylog=$4
wrapper="$here/../scripts/tshark-with-plugin.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
status=0

fail() {
    echo "FAIL: $*" >&2
    status=1
}

# count LABEL FILTER [tshark args...]: prints the number of frames that
# match FILTER; fails on a non-zero exit status or any stderr output.
count() {
    local label=$1 filter=$2 rc=0
    shift 2
    "$wrapper" "$build" -r "$pcap" -o "oscore_layers.keys_file:$keys" \
        "$@" -Y "$filter" -T fields -e frame.number >"$tmp/out" \
        2>"$tmp/err" || rc=$?
    if ((rc != 0)); then
        fail "$label: tshark exited with status $rc"
    fi
    if [[ -s "$tmp/err" ]]; then
        fail "$label: tshark wrote to stderr:"
        cat "$tmp/err" >&2
    fi
    grep -c . "$tmp/out" || true
}

with_log=(-o "tls.keylog_file:$keylog")
bad='_ws.malformed || _ws.expert.severity >= warning'

n=$(count "no key log" "$bad")
((n == 0)) || fail "without the key log, $n frames are malformed or warn"
n=$(count "no key log" "tls.app_data")
((n > 0)) || fail "without the key log, no TLS application data"
n=$(count "no key log" "tls && coap")
((n == 0)) || fail "without the key log, $n TLS frames show CoAP"
n=$(count "no key log" "tls && oscore_layers")
((n == 0)) || fail "without the key log, $n TLS frames show OSCORE layers"
plain=$(count "no key log" "!tls && oscore_layers")
((plain > 0)) || fail "without the key log, the plain legs show no layer"

n=$(count "key log" "$bad" "${with_log[@]}")
((n == 0)) || fail "with the key log, $n frames are malformed or warn"
opened=$(count "key log" "tls && oscore_layers" "${with_log[@]}")
((opened > 0)) || fail "with the key log, no TLS frame shows OSCORE layers"
n=$(count "key log" \
    "tls && oscore_layers && oscore_layers.removed == oscore_layers.count" \
    "${with_log[@]}")
((n == opened)) ||
    fail "with the key log, $((opened - n)) of $opened TLS frames keep a layer"
n=$(count "key log" "!tls && oscore_layers" "${with_log[@]}")
((n == plain)) ||
    fail "the plain legs show layers in $n frames with the key log, $plain without"

if ((status == 0)); then
    echo "ok: without the key log TLS stays closed and $plain plain frames" \
        "open; with it $opened TLS frames lose every layer"
fi
exit $status
