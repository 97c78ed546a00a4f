#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Usage: scripts/record/run-scenario.sh SCENARIO ENDPOINTS_DIR [LOG_DIR]
#
# Runs one scenario of the reference endpoints: starts every proxy and
# server of the scenario, waits until each has bound its socket (it then
# creates LOG_DIR/NODE.ready), then runs the client, then waits for the
# others to exit by themselves (they stop after a short silence; the
# scenario's timeout bounds everything). The client's result lines go to
# stdout; every endpoint's log goes to LOG_DIR/NODE.log (default: a
# temporary directory), printed on failure.
# Exit status: 0 when the client got every response the scenario expects
# and every proxy and server exited with status 0; 1 when a node did not
# become ready within OSCORE_READY_TIMEOUT seconds (default 10), or exited
# with another status, or the client failed; 2 for a usage error.
set -euo pipefail

if (($# < 2 || $# > 3)); then
    echo "usage: $0 SCENARIO ENDPOINTS_DIR [LOG_DIR]" >&2
    exit 2
fi
scenario=$1
bin=$2
logs=${3:-}
own_logs=0
if [[ -z "$logs" ]]; then
    logs=$(mktemp -d /tmp/oscore-scenario.XXXXXX)
    own_logs=1
fi
mkdir -p "$logs"

# "node NAME ADDRESS ROLE ...": the client and the others.
client=""
others=()
roles=()
while read -r directive name _address role _rest; do
    [[ "$directive" == node ]] || continue
    case "$role" in
    client) client=$name ;;
    forward-proxy | reverse-proxy)
        others+=("$name")
        roles+=(oscore-proxy)
        ;;
    server)
        others+=("$name")
        roles+=(oscore-server)
        ;;
    multicast) ;; # a CoAP group's address: its servers listen on it
    *)
        echo "$scenario: unknown role $role" >&2
        exit 2
        ;;
    esac
done < <(sed 's/#.*//' "$scenario")
if [[ -z "$client" ]]; then
    echo "$scenario: no client node" >&2
    exit 2
fi

pids=()
# shellcheck disable=SC2317 # called through the EXIT trap
cleanup() {
    # Only our own endpoints, by process id; they normally are gone already.
    for pid in "${pids[@]}"; do
        kill "$pid" 2>/dev/null || true
    done
    if ((own_logs)); then
        rm -rf "$logs"
    fi
}
trap cleanup EXIT

# Prints every endpoint's log, each line prefixed by its node.
print_logs() {
    echo "--- endpoint logs ($scenario) ---" >&2
    for log in "$logs"/*.log; do
        sed "s|^|$(basename "$log" .log): |" "$log" >&2
    done
}

for i in "${!others[@]}"; do
    rm -f "$logs/${others[$i]}.ready"
    "$bin/${roles[$i]}" "$scenario" "${others[$i]}" "$logs/${others[$i]}.ready" \
        >"$logs/${others[$i]}.log" 2>&1 &
    pids+=($!)
done
ready_timeout=${OSCORE_READY_TIMEOUT:-10}
deadline=$((SECONDS + ready_timeout))
for i in "${!others[@]}"; do
    until [[ -e "$logs/${others[$i]}.ready" ]]; do
        if ! kill -0 "${pids[$i]}" 2>/dev/null &&
            [[ ! -e "$logs/${others[$i]}.ready" ]]; then
            echo "FAIL: ${others[$i]} exited before it was ready" >&2
            print_logs
            exit 1
        fi
        if ((SECONDS >= deadline)); then
            echo "FAIL: ${others[$i]} did not become ready within" \
                "${ready_timeout} s" >&2
            print_logs
            exit 1
        fi
        sleep 0.02
    done
done

status=0
"$bin/oscore-client" "$scenario" "$client" 2>"$logs/$client.log" || status=$?
if ((status != 0)); then
    echo "FAIL: the client exited with status $status" >&2
fi
for i in "${!others[@]}"; do
    node_status=0
    wait "${pids[$i]}" || node_status=$?
    if ((node_status != 0)); then
        echo "FAIL: ${others[$i]} (${roles[$i]}) exited with status" \
            "$node_status" >&2
        status=1
    fi
done
pids=()
if ((status != 0)); then
    print_logs
    exit 1
fi
