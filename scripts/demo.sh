#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The main command: installs missing Debian packages (as root) or says which
# are missing, builds everything, then shows nested OSCORE layers being
# removed one at a time.
#
# - When the Wireshark plugin is built and a capture with its keys file is in
#   pcaps/ and keys/: tshark with the plugin dissects that capture and prints
#   every layer (run_tshark_demo).
# - Before that: the engine alone peels the nested messages of the draft's
#   example (the vectors of nested-example-5.9.json) and prints each layer
#   (run_engine_demo).
#
# Environment:
#   OSCORE_DEMO_CAPTURE  name of the capture to show (pcaps/NAME.pcapng with
#                        keys/NAME.keys); default: the first of a preferred
#                        list that exists, else the first pair found
#   OSCORE_DEMO_ENGINE=1 run the engine demonstration even if the plugin is
#                        available
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
# shellcheck source-path=SCRIPTDIR source=deps.sh
source "$OSCORE_REPO/scripts/deps.sh"

# Captures best suited to show nesting, most instructive first: the
# draft's example with client-server, client-proxy and proxy-server layers,
# then the five-layer chain. Any capture with a keys file will do.
PREFERRED_CAPTURES=(
    example-5.3-cs-cp-ps
    chain-four-proxies
)

# Prints the name NAME of the capture to show (pcaps/NAME.pcapng and
# keys/NAME.keys both exist), or nothing if there is none.
select_capture() {
    local name file
    if [[ -n "${OSCORE_DEMO_CAPTURE:-}" ]]; then
        printf '%s\n' "$OSCORE_DEMO_CAPTURE"
        return 0
    fi
    for name in "${PREFERRED_CAPTURES[@]}"; do
        if [[ -f "$OSCORE_REPO/pcaps/$name.pcapng" &&
            -f "$OSCORE_REPO/keys/$name.keys" ]]; then
            printf '%s\n' "$name"
            return 0
        fi
    done
    for file in "$OSCORE_REPO"/pcaps/*.pcapng; do
        [[ -f "$file" ]] || continue
        name=$(basename "$file" .pcapng)
        if [[ -f "$OSCORE_REPO/keys/$name.keys" ]]; then
            printf '%s\n' "$name"
            return 0
        fi
    done
}

# tshark with the plugin on capture $1: every packet in full, with the
# plugin's tree expanded (-O) so each "OSCORE layer i of N" is visible.
run_tshark_demo() {
    local name="$1"
    local pcap="pcaps/$name.pcapng" keys="keys/$name.keys"
    if [[ ! -f "$OSCORE_REPO/$pcap" || ! -f "$OSCORE_REPO/$keys" ]]; then
        echo "demo: $pcap or $keys does not exist" >&2
        return 1
    fi
    echo "demo: tshark with the oscore_layers plugin on $pcap ($keys)" >&2
    # Relative paths from the repository root keep the output free of
    # machine-specific directories.
    (cd "$OSCORE_REPO" &&
        "$OSCORE_REPO/scripts/tshark-with-plugin.sh" "$OSCORE_BUILD" \
            -o "oscore_layers.keys_file:$keys" \
            -r "$pcap" -O oscore_layers -V)
}

# The engine alone on the nested example's vectors.
run_engine_demo() {
    local demo="$OSCORE_BUILD/reference-impl/tools/oscore-peel-demo"
    if [[ ! -x "$demo" ]]; then
        echo "demo: $demo was not built" >&2
        return 1
    fi
    echo "demo: peeling the nested messages of $OSCORE_VECTORS/nested-example-5.9.json" >&2
    "$demo" "$OSCORE_VECTORS" "$OSCORE_REPO/keys/nested-example-5.9.keys"
}

main() {
    oscore_ensure_deps
    oscore_configure_and_build

    local capture=""
    if [[ "${OSCORE_DEMO_ENGINE:-0}" != 1 &&
        -n "$(oscore_find_plugin "$OSCORE_BUILD")" ]]; then
        capture=$(select_capture)
    fi
    if [[ -n "$capture" ]]; then
        run_tshark_demo "$capture"
    else
        run_engine_demo
    fi
}

main "$@"
