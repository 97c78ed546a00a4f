#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Re-records tests/captures/tcp-two-layers-tls.pcapng (key log embedded),
# tests/captures/tcp-two-layers-tls-nokeys.pcapng (the same capture without
# it) and tests/captures/tcp-two-layers-tls.keylog: the reference endpoints
# running pcaps/tcp-two-layers.scenario (client -> forward proxy -> server,
# two OSCORE layers on the first leg), with the client -> proxy leg carried
# over TLS 1.3 as CoAP over TLS (RFC 8323 section 3, "coaps+tcp", port
# 5684, ALPN "coap" of RFC 8323 section 4.1 is not offered: socat cannot
# select it, see below) and the proxy -> server leg over plain TCP.
#
# The endpoints speak plain TCP; TLS is added and removed around them by
# Debian's tools, so they need no TLS library:
#
#   client 127.0.0.1 --tcp--> 127.0.0.12:5683 socat, runs
#       openssl s_client -bind 127.0.0.1 -keylogfile  (writes the key log)
#     --TLS 1.3--> 127.0.0.2:5684 socat OPENSSL-LISTEN (self-signed cert)
#     --tcp from 127.0.0.22--> proxy 127.0.0.2:5683 --tcp--> server 127.0.0.3
#
# The client reads a copy of the scenario in which the proxy is at
# 127.0.0.12 (the wrapper); everything else is the scenario as committed.
# dumpcap keeps only the TLS leg (port 5684) and the proxy -> server leg,
# so the capture shows each message once, between the scenario's
# addresses. editcap --inject-secrets then embeds the key log in the
# pcapng (a Decryption Secrets Block), so that Wireshark decrypts it with
# no preference.
#
# A developer action, not a test: the captures are committed, since real
# TLS traffic (random values, keys) cannot be regenerated identically.
# Needs root (or capture rights on lo), the built endpoints and these
# Debian packages: openssl, socat, wireshark-common (dumpcap, editcap).
#
# Usage: tests/captures/record-tls.sh [build-dir] [output-dir]
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
build=${1:-$repo/build}
outdir=${2:-$here}
bin=$build/reference-impl/endpoints
scenario=$repo/pcaps/tcp-two-layers.scenario
name=tcp-two-layers-tls

client_addr=127.0.0.1 proxy_addr=127.0.0.2 server_addr=127.0.0.3
wrapper_addr=127.0.0.12 bridge_addr=127.0.0.22
tls_port=5684
ciphersuite=TLS_AES_128_GCM_SHA256

for tool in openssl socat dumpcap editcap; do
    command -v "$tool" >/dev/null || { echo "missing: $tool" >&2; exit 1; }
done
for program in oscore-client oscore-proxy oscore-server; do
    [[ -x "$bin/$program" ]] || { echo "not built: $bin/$program" >&2; exit 1; }
done
for port in 5683 "$tls_port"; do
    if ss -Htlnp "sport = :$port" 2>/dev/null | grep -q .; then
        echo "TCP port $port is in use" >&2
        exit 1
    fi
done

# shellcheck source-path=SCRIPTDIR source=record-common.sh
source "$here/record-common.sh"

# The proxy's certificate: a throw-away self-signed P-256 key.
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
    -days 1 -subj /CN=proxy.oscore-layers.test -keyout "$tmp/proxy.key" \
    -out "$tmp/proxy.crt" 2>"$tmp/req.log"

# The client's copy of the scenario: the proxy at the wrapper's address,
# the keys file by absolute path.
sed -e "s|^node proxy $proxy_addr |node proxy $wrapper_addr |" \
    -e "s|^keys \.\./|keys $repo/|" "$scenario" >"$tmp/client.scenario"
grep -q "^node proxy $wrapper_addr " "$tmp/client.scenario" || {
    echo "$scenario: no 'node proxy $proxy_addr' line" >&2
    exit 1
}

dumpcap -q -i lo -w "$tmp/capture.pcapng" -f "tcp port $tls_port or \
(tcp port 5683 and host $proxy_addr and host $server_addr)" \
    2>"$tmp/dumpcap.log" &
pids+=($!)
wait_for -s "$tmp/capture.pcapng" "$tmp/dumpcap.log"
sleep 0.5

# The server and the proxy, with the committed scenario.
for node in server proxy; do
    "$bin/oscore-$node" "$scenario" "$node" "$tmp/$node.ready" \
        >"$tmp/$node.log" 2>&1 &
    pids+=($!)
    wait_for -e "$tmp/$node.ready" "$tmp/$node.log"
done

# TLS terminator in front of the proxy: one connection, then it exits.
socat -d "OPENSSL-LISTEN:$tls_port,bind=$proxy_addr,reuseaddr,\
cert=$tmp/proxy.crt,key=$tmp/proxy.key,verify=0,openssl-min-proto-version=TLS1.3" \
    "TCP:$proxy_addr:5683,bind=$bridge_addr" 2>"$tmp/terminator.log" &
pids+=($!)
# TLS wrapper in front of the client. s_client: -quiet prints nothing but
# the data, -no_ign_eof ends the session (close_notify) when the client
# closes, -nocommands keeps a message starting with 'Q', 'R' or 'K' (a
# CoAP over TCP Len/TKL byte) from being taken as a command. In a script
# of its own: socat would split an EXEC command line at its colons.
cat >"$tmp/s_client.sh" <<END
#!/bin/sh
exec openssl s_client -quiet -no_ign_eof -nocommands -tls1_3 \\
    -ciphersuites $ciphersuite -connect $proxy_addr:$tls_port \\
    -bind $client_addr:0 -servername proxy.oscore-layers.test \\
    -CAfile $tmp/proxy.crt -verify_return_error -keylogfile $tmp/keylog
END
chmod +x "$tmp/s_client.sh"
socat -d "TCP-LISTEN:5683,bind=$wrapper_addr,reuseaddr" \
    "EXEC:$tmp/s_client.sh" 2>"$tmp/wrapper.log" &
pids+=($!)
sleep 0.5

status=0
"$bin/oscore-client" "$tmp/client.scenario" client 2>"$tmp/client.log" ||
    status=$?
for i in 1 2; do # the server and the proxy exit after a short silence
    wait "${pids[$i]}" || status=$?
done
if ((status != 0)); then
    echo "the scenario failed (status $status):" >&2
    for log in "$tmp"/*.log; do
        sed "s|^|$(basename "$log" .log): |" "$log" >&2
    done
    exit 1
fi
sleep 0.5
kill -INT "${pids[0]}"
wait "${pids[0]}" || true

grep -q CLIENT_TRAFFIC_SECRET_0 "$tmp/keylog" || {
    echo "s_client wrote no TLS 1.3 traffic secret" >&2
    exit 1
}
editcap --inject-secrets "tls,$tmp/keylog" "$tmp/capture.pcapng" \
    "$tmp/with-keys.pcapng"
install -m 644 "$tmp/with-keys.pcapng" "$outdir/$name.pcapng"
install -m 644 "$tmp/capture.pcapng" "$outdir/$name-nokeys.pcapng"
install -m 644 "$tmp/keylog" "$outdir/$name.keylog"
echo "wrote $outdir/$name.pcapng, $name-nokeys.pcapng and $name.keylog"
