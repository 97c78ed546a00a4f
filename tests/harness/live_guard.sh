#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Usage: live_guard.sh ENDPOINTS_DIR MODE
#
# Shows that a live chain test (scripts/record/run-scenario.sh) cannot
# pass by accident. Every MODE first runs live-chain.scenario as it is (it
# must pass), then breaks one thing, after which it must fail:
#   not_ready       the server never becomes ready (the old script started
#                   the client anyway after 2 s)
#   server_status   the server serves, then exits with status 3 (the old
#                   script ignored the status)
#   address_in_use  the server's address is the proxy's, so one of them
#                   cannot bind
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
bin=$1 mode=$2
run_scenario="$repo/scripts/record/run-scenario.sh"
must_fail="$here/must-fail.sh"
work=$(mktemp -d /tmp/oscore-live-harness.XXXXXX)
trap 'rm -rf "$work"' EXIT

# The scenario with an absolute keys path, so that copies work anywhere.
keys="$repo/keys/nested-example-5.9.keys"
sed "s|^keys .*|keys $keys|" "$here/live-chain.scenario" >"$work/chain.scenario"
bash "$run_scenario" "$work/chain.scenario" "$bin" >/dev/null

# Endpoints directory whose oscore-server is the script on stdin.
fake_server() {
    mkdir -p "$work/bin"
    ln -sf "$bin/oscore-client" "$bin/oscore-proxy" "$work/bin/"
    cat >"$work/bin/oscore-server"
    chmod +x "$work/bin/oscore-server"
}

case "$mode" in
not_ready)
    fake_server <<'SCRIPT'
#!/usr/bin/env bash
# Never creates the ready file.
exec sleep 30
SCRIPT
    OSCORE_READY_TIMEOUT=1 "$must_fail" 'server did not become ready' -- \
        bash "$run_scenario" "$work/chain.scenario" "$work/bin"
    ;;
server_status)
    fake_server <<SCRIPT
#!/usr/bin/env bash
"$bin/oscore-server" "\$@"
exit 3
SCRIPT
    "$must_fail" 'server \(oscore-server\) exited with status 3' -- \
        bash "$run_scenario" "$work/chain.scenario" "$work/bin"
    ;;
address_in_use)
    sed -i 's/^node server 127\.0\.0\.103/node server 127.0.0.102/' \
        "$work/chain.scenario"
    "$must_fail" 'exited before it was ready' -- \
        bash "$run_scenario" "$work/chain.scenario" "$bin"
    ;;
*)
    echo "$0: unknown mode $mode" >&2
    exit 2
    ;;
esac
