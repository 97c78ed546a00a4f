#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The reference endpoints keep RFC 8974 tokens of up to 1024 bytes
# (SC_MAX_TOKEN); a message with a longer one (TKL 14, here 2000 bytes)
# must be dropped with a log line that says so, over UDP and over TCP, and
# the server must go on and exit normally after its idle time.
# Usage: check-long-token-drop.sh ENDPOINTS_DIR KEYS_FILE
set -euo pipefail
bin=$1 keys=$2
address=127.0.0.98
tmp=$(mktemp -d)
server_pid=""
# shellcheck disable=SC2317 # called through the EXIT trap
cleanup() {
    if [[ -n "$server_pid" ]]; then
        kill "$server_pid" 2>/dev/null || true
    fi
    rm -rf "$tmp"
}
trap cleanup EXIT

# A GET with a 2000-byte token: TKL 14, extended length 2000 - 269 = 0x06c3
# (RFC 8974 2.1), as printf escapes; $1 is the header before it.
message() {
    local s=$1
    for _ in $(seq 2000); do
        s+='\xab'
    done
    printf '%s' "$s"
}

status=0
for transport in udp tcp; do
    scenario=$tmp/$transport.scenario
    cat >"$scenario" <<END
title "long token dropped ($transport)"
keys $keys
transport $transport
idle 800
node client 127.0.0.97 client
node server $address server
chain client server
context c-s client server seq=1
END
    log=$tmp/$transport.log
    "$bin/oscore-server" "$scenario" server "$tmp/$transport.ready" \
        >"$log" 2>&1 &
    server_pid=$!
    for _ in $(seq 200); do
        [[ -e "$tmp/$transport.ready" ]] && break
        sleep 0.05
    done
    if [[ ! -e "$tmp/$transport.ready" ]]; then
        echo "FAIL ($transport): the server did not become ready" >&2
        cat "$log" >&2
        exit 1
    fi
    if [[ $transport == udp ]]; then
        # Ver 1, NON, TKL 14; GET; Message ID 0x1234. One printf, one
        # datagram.
        # shellcheck disable=SC2059 # the format is the message
        printf "$(message '\x5e\x01\x12\x34\x06\xc3')" \
            >"/dev/udp/$address/5683"
    else
        # A CSM (RFC 8323 5.3), then Len 0, TKL 14; GET.
        exec 3<>"/dev/tcp/$address/5683"
        printf '\x00\xe1' >&3
        # shellcheck disable=SC2059 # the format is the message
        printf "$(message '\x0e\x01\x06\xc3')" >&3
        sleep 0.3
        exec 3>&-
    fi
    server_status=0
    wait "$server_pid" || server_status=$?
    server_pid=""
    if ((server_status != 0)); then
        echo "FAIL ($transport): the server exited with status $server_status" >&2
        status=1
    fi
    if ! grep -q "dropping a message with a 2000-byte token" "$log"; then
        echo "FAIL ($transport): no log line about the 2000-byte token" >&2
        status=1
    fi
    if ((status != 0)); then
        cat "$log" >&2
    fi
done
if ((status == 0)); then
    echo "ok: a 2000-byte token is dropped with a message over UDP and TCP"
fi
exit $status
