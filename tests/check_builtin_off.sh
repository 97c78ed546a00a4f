#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# With the plugin loaded and no preference set, Wireshark's built-in OSCORE
# dissector must be off (so the two never fight over a message), and the
# disable_builtin preference must bring it back.
# Usage: check_builtin_off.sh <build-dir> <pcap>
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
build=$1 pcap=$2
builtin="Object Security for Constrained RESTful Environments"
run() {
    "$here/../scripts/tshark-with-plugin.sh" "$build" -r "$pcap" -V "$@"
}
# Whole outputs first: grep -q stopping early would break tshark's pipe.
default_output=$(run)
builtin_output=$(run -o oscore_layers.disable_builtin:FALSE)
if grep -qF "$builtin" <<<"$default_output"; then
    echo "FAIL: the built-in OSCORE dissector ran although the plugin is loaded" >&2
    exit 1
fi
if ! grep -qF "$builtin" <<<"$builtin_output"; then
    echo "FAIL: disable_builtin:FALSE did not bring the built-in dissector back" >&2
    exit 1
fi
echo "built-in OSCORE dissector off by default, back on request"
