#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# A complexity check on a hostile capture (a flood): the plugin must stay
# within a small multiple of plain tshark on the same file, which a
# quadratic data structure does not (a replay flood of 60,000 copies took
# 95 s against 3 s when every sighting was compared with every earlier
# one). CPU time (user + system) of each run is measured with
# /usr/bin/time, so a loaded machine slows both alike; the bound is
# generous (RATIO times plain tshark, plus a second for start-up) because
# this is a benchmark-style guard, not a timing assertion. The plugin's
# result is checked too, so the time is not that of a failure path:
# STATUS must be the layer status of at least COUNT frames.
# Usage: check_complexity.sh <build-dir> RATIO STATUS COUNT -- tshark args...
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
build=$1 ratio=$2 status_name=$3 want_count=$4
shift 4
[[ "$1" == -- ]] && shift
if [[ ! -x /usr/bin/time ]]; then
    echo "FAIL: /usr/bin/time is missing (Debian package time)" >&2
    exit 1
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
chmod 0755 "$tmp"
capture=
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
    [[ "${args[i]}" == -r ]] && capture=${args[i + 1]}
done

# seconds of CPU: /usr/bin/time's user and system times, added.
cpu_of() {
    awk -F'|' '{printf "%.2f\n", $1 + $2}' "$1"
}
# Plain tshark: no plugin (an empty personal folder), no keys.
mkdir -p "$tmp/plain-home"
/usr/bin/time -f '%U|%S' -o "$tmp/plain.time" \
    env HOME="$tmp/plain-home" tshark -r "$capture" \
    -T fields -e frame.number >/dev/null
/usr/bin/time -f '%U|%S' -o "$tmp/plugin.time" \
    "$here/../scripts/tshark-with-plugin.sh" "$build" "${args[@]}" \
    -T fields -e oscore_layers.layer.status >"$tmp/status.txt"
plain=$(cpu_of "$tmp/plain.time")
plugin=$(cpu_of "$tmp/plugin.time")
got_count=$(grep -cx -- "$status_name" "$tmp/status.txt" || true)
echo "plain tshark ${plain} s CPU, with the plugin ${plugin} s;" \
    "$got_count frames $status_name"
status=0
if ((got_count < want_count)); then
    echo "FAIL: $got_count frames have status $status_name, expected" \
        "at least $want_count" >&2
    status=1
fi
if ! awk -v a="$plugin" -v b="$plain" -v r="$ratio" \
    'BEGIN { exit !(a <= r * b + 1) }'; then
    echo "FAIL: the plugin took ${plugin} s of CPU, more than $ratio x" \
        "plain tshark (${plain} s) + 1 s" >&2
    status=1
fi
exit $status
