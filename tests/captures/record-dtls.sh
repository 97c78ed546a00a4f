#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Re-records tests/captures/nested-5.9-dtls.pcapng: the C->P request and
# the P->C response of the nested example (MSG1_C_to_P_request and
# MSG4_P_to_C_response of tests/vectors/nested-example-5.9.json) sent over a real DTLS 1.2 session
# (PSK, TLS_PSK_WITH_AES_128_CCM_8, the CoAP mandatory suite of RFC 7252
# 9.1.3.1) between openssl s_client and s_server on 127.0.0.1:5684.
#
# A developer action, not a test: the capture is committed, since real
# DTLS traffic (random values, keys) cannot be regenerated identically.
# Needs root (or capture rights on lo) and these Debian packages:
# openssl, jq, xxd, wireshark-common (dumpcap).
#
# Usage: tests/captures/record-dtls.sh [vectors-json] [output]
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
vectors=${1:-$here/../vectors/nested-example-5.9.json}
out=${2:-$here/nested-5.9-dtls.pcapng}

# Must match the dtls.psk preference of the test (tests/CMakeLists.txt).
psk=0102030405060708090a0b0c0d0e0f10
identity=oscore-layers
cipher=PSK-AES128-CCM8
port=5684

for tool in openssl jq xxd dumpcap; do
    command -v "$tool" >/dev/null || { echo "missing: $tool" >&2; exit 1; }
done
if ss -Hulnp "sport = :$port" 2>/dev/null | grep -q .; then
    echo "UDP port $port is in use" >&2
    exit 1
fi

# shellcheck source-path=SCRIPTDIR source=record-common.sh
source "$here/record-common.sh"

# The two CoAP messages, as binary files.
jq -er .MSG1_C_to_P_request "$vectors" | xxd -r -p >"$tmp/request.bin"
jq -er .MSG4_P_to_C_response "$vectors" | xxd -r -p >"$tmp/response.bin"

# stdin of both peers: FIFOs kept open here, so that each message is
# written in one write() -- s_client/s_server read stdin with one read()
# and send what it returned as one DTLS record, so one record holds
# exactly one CoAP message (no line handling with -quiet and no -crlf).
mkfifo "$tmp/client.in" "$tmp/server.in"

dumpcap -q -i lo -f "udp port $port" -w "$tmp/capture.pcapng" \
    2>"$tmp/dumpcap.log" &
pids+=($!)
for _ in $(seq 50); do
    grep -q "^File:" "$tmp/dumpcap.log" 2>/dev/null && break
    [[ -s "$tmp/capture.pcapng" ]] && break
    sleep 0.1
done
sleep 1

openssl s_server -quiet -dtls1_2 -accept "127.0.0.1:$port" -nocert \
    -psk "$psk" -psk_identity "$identity" -cipher "$cipher" \
    <"$tmp/server.in" >"$tmp/server.out" 2>"$tmp/server.log" &
pids+=($!)
exec 4>"$tmp/server.in"
sleep 1

openssl s_client -quiet -dtls1_2 -connect "127.0.0.1:$port" \
    -psk "$psk" -psk_identity "$identity" -cipher "$cipher" \
    <"$tmp/client.in" >"$tmp/client.out" 2>"$tmp/client.log" &
pids+=($!)
exec 3>"$tmp/client.in"
sleep 2

# Request from the client, then the response from the server.
cat "$tmp/request.bin" >&3
sleep 1
cat "$tmp/response.bin" >&4
sleep 1

# Each side must have received the other's message, byte for byte.
cmp "$tmp/request.bin" "$tmp/server.out" || {
    echo "server did not receive the request:" >&2
    cat "$tmp/server.log" >&2
    exit 1
}
cmp "$tmp/response.bin" "$tmp/client.out" || {
    echo "client did not receive the response:" >&2
    cat "$tmp/client.log" >&2
    exit 1
}

exec 3>&- 4>&-
kill "${pids[2]}" "${pids[1]}" 2>/dev/null || true
sleep 1
kill -INT "${pids[0]}"
wait "${pids[0]}" || true
install -m 644 "$tmp/capture.pcapng" "$out"
echo "wrote $out ($(stat -c %s "$out") bytes)"
