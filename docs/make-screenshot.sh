#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Usage: docs/make-screenshot.sh [OUTPUT.png]      (default: docs/gui.png)
#
# Retakes the README's screenshot: the Wireshark GUI (Qt) with the plugin
# built in $OSCORE_BUILD_DIR (default build) on the nested request of the
# draft's example (frame 1 of build/tests/captures/nested-5.9-ex3.pcap,
# keys keys/nested-example-5.9.keys), the "OSCORE layers" tree expanded and
# the Uri-Host option of layer 1 selected, so the byte pane shows the
# plaintext of "OSCORE layer 1".
#
# A developer action, not part of the tests. The GUI tools it needs are not
# project dependencies:
#   apt-get install wireshark xvfb xdotool imagemagick pngquant
# (preseed "wireshark-common wireshark-common/install-setuid boolean false"
# with debconf-set-selections first to skip the dumpcap question).
#
# How: Xvfb on a free display, no window manager; wireshark runs as
# uid/gid 65534 when we are root (Wireshark started by root ignores the
# personal plugin folder), with a private HOME holding the plugin; xdotool
# resizes the window, clicks into the packet details and presses End (the
# last top-level item, "OSCORE layers"), Shift+Right (expand subtrees) and
# Down 23 times (to "Uri-Host" of layer 1; change the count if the layer
# tree gains or loses items above it); ImageMagick's import grabs the
# screen and pngquant shrinks the PNG.
#
# Environment: OSCORE_BUILD_DIR, OSCORE_PLUGIN_SO (plugin file to load,
# default: the one in the build directory).
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=../scripts/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/common.sh"

output=$(oscore_abspath "${1:-docs/gui.png}")
width=1280
height=1060

missing=()
for tool in wireshark:wireshark Xvfb:xvfb xdotool:xdotool import:imagemagick \
    pngquant:pngquant setpriv:util-linux; do
    command -v "${tool%%:*}" >/dev/null 2>&1 || missing+=("${tool#*:}")
done
if ((${#missing[@]} > 0)); then
    echo "make-screenshot: missing: ${missing[*]}" >&2
    echo "apt-get install --no-install-recommends ${missing[*]}"
    exit 1
fi

plugin=${OSCORE_PLUGIN_SO:-$(oscore_find_plugin "$OSCORE_BUILD")}
if [[ -z "$plugin" || ! -f "$plugin" ]]; then
    echo "make-screenshot: no plugin built under $OSCORE_BUILD/plugin" >&2
    exit 1
fi
pcap="$OSCORE_BUILD/tests/captures/nested-5.9-ex3.pcap"
if [[ ! -f "$pcap" ]]; then
    ctest --test-dir "$OSCORE_BUILD" -R '^plugin\.captures$' >/dev/null
fi
keys="$OSCORE_REPO/keys/nested-example-5.9.keys"

version=$(wireshark --version 2>/dev/null |
    sed -n '1s/^Wireshark \([0-9]*\.[0-9]*\).*/\1/p')
if [[ -z "$version" ]]; then
    echo "make-screenshot: cannot read the version of wireshark" >&2
    exit 1
fi

umask 022
work=$(mktemp -d /tmp/oscore-screenshot.XXXXXX)
chmod 0755 "$work"
xvfb_pid=""
wireshark_pid=""
# shellcheck disable=SC2317 # called through the EXIT trap
cleanup() {
    if [[ -n "$wireshark_pid" ]]; then
        kill "$wireshark_pid" 2>/dev/null || true
        wait "$wireshark_pid" 2>/dev/null || true
    fi
    if [[ -n "$xvfb_pid" ]]; then
        kill "$xvfb_pid" 2>/dev/null || true
        wait "$xvfb_pid" 2>/dev/null || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT

home="$work/home"
mkdir -p "$home/.local/lib/wireshark/plugins/$version/epan" "$home/run"
cp "$plugin" "$home/.local/lib/wireshark/plugins/$version/epan/"
cp "$pcap" "$keys" "$work/"
chmod 0644 "$work/$(basename "$pcap")" "$work/$(basename "$keys")"
chmod 0700 "$home/run"
run_as=()
if [[ "$(id -u)" == 0 ]]; then
    chown -R 65534:65534 "$home"
    run_as=(setpriv --reuid=65534 --regid=65534 --clear-groups)
fi

# Xvfb picks a free display and writes its number to fd 3.
Xvfb -displayfd 3 -screen 0 "$((width + 40))x$((height + 40))x24" \
    -nolisten tcp 3>"$work/display" 2>"$work/xvfb.log" &
xvfb_pid=$!
for _ in $(seq 100); do
    [[ -s "$work/display" ]] && break
    sleep 0.1
done
DISPLAY=":$(head -n1 "$work/display")"
export DISPLAY

# Pane sizes and zoom are "recent" settings, which -o also accepts. Layout
# 2: packet list on top, details and bytes side by side below.
"${run_as[@]}" env -u WIRESHARK_PLUGIN_DIR -u WIRESHARK_CONFIG_DIR \
    -u XDG_CONFIG_HOME HOME="$home" XDG_RUNTIME_DIR="$home/run" \
    DISPLAY="$DISPLAY" LANG=C.UTF-8 \
    wireshark -r "$work/$(basename "$pcap")" \
    -o "oscore_layers.keys_file:$work/$(basename "$keys")" \
    -o gui.layout_type:2 \
    -o gui.geometry_main_upper_pane:60 \
    -o gui.geometry_main_lower_pane:400 \
    -o gui.zoom_level:-1 \
    -g 1 >"$work/wireshark.log" 2>&1 &
wireshark_pid=$!

window=""
for _ in $(seq 150); do
    window=$(xdotool search --onlyvisible --name "nested-5.9-ex3" 2>/dev/null |
        head -n1 || true)
    [[ -n "$window" ]] && break
    sleep 0.2
done
if [[ -z "$window" ]]; then
    echo "make-screenshot: the Wireshark window did not appear" >&2
    cat "$work/wireshark.log" >&2
    exit 1
fi
sleep 2
xdotool windowmove "$window" 0 0 windowsize "$window" "$width" "$height"
sleep 1.5
# An empty spot of the packet details pane (below its last row).
xdotool mousemove 300 "$((height - 80))" click 1
sleep 0.5
xdotool key End
sleep 0.3
xdotool key shift+Right
sleep 0.3
xdotool key --repeat 23 --delay 50 Down
sleep 1

import -window root -crop "${width}x${height}+0+0" "$work/raw.png"
pngquant --force --output "$output" 256 "$work/raw.png"
echo "make-screenshot: wrote $output ($(stat -c %s "$output") bytes)"
