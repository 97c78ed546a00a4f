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
# A developer action, not a test (the test of the same mechanics is ctest
# gui.layers_visible, tests/check_gui.sh). The GUI session (Xvfb, fresh
# profile, unprivileged Wireshark, cleanup) is scripts/gui-session.sh;
# its packages are in scripts/deps.sh. This script also needs pngquant to
# shrink the PNG.
#
# Down 25 times after expanding goes to "Uri-Host" of layer 1; change the
# count if the layer tree gains or loses items above it.
#
# Environment: OSCORE_BUILD_DIR, OSCORE_PLUGIN_SO (plugin file to load,
# default: the one in the build directory); OSCORE_SHOT_PCAP,
# OSCORE_SHOT_KEYS, OSCORE_SHOT_FRAME and OSCORE_SHOT_DOWN take another
# capture, keys file, frame and item instead (docs/group.png:
# pcaps/group-ed25519-proxy.pcapng, its keys, frame 6, down 40: the
# countersignature check of the relayed answer's group layer).
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=../scripts/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/common.sh"
# shellcheck source-path=SCRIPTDIR source=../scripts/gui-session.sh
source "$OSCORE_REPO/scripts/gui-session.sh"

output=$(oscore_abspath "${1:-docs/gui.png}")
width=1280
height=1060

missing=$(oscore_gui_missing pngquant:pngquant)
if [[ -n "$missing" ]]; then
    echo "make-screenshot: missing: $missing" >&2
    echo "apt-get install --no-install-recommends $missing"
    exit 1
fi

plugin=${OSCORE_PLUGIN_SO:-$(oscore_find_plugin "$OSCORE_BUILD")}
if [[ -z "$plugin" || ! -f "$plugin" ]]; then
    echo "make-screenshot: no plugin built under $OSCORE_BUILD/plugin" >&2
    exit 1
fi
pcap=$(oscore_abspath \
    "${OSCORE_SHOT_PCAP:-$OSCORE_BUILD/tests/captures/nested-5.9-ex3.pcap}")
if [[ ! -f "$pcap" ]]; then
    ctest --test-dir "$OSCORE_BUILD" -R '^plugin\.captures$' >/dev/null
fi
keys=$(oscore_abspath "${OSCORE_SHOT_KEYS:-$OSCORE_REPO/keys/nested-example-5.9.keys}")
frame=${OSCORE_SHOT_FRAME:-1}
down=${OSCORE_SHOT_DOWN:-25}

trap oscore_gui_stop EXIT
oscore_gui_prepare oscore-screenshot "$plugin"
work=$OSCORE_GUI_WORK
cp "$pcap" "$keys" "$work/"
chmod 0644 "$work/$(basename "$pcap")" "$work/$(basename "$keys")"

oscore_gui_start_xvfb "$((width + 40))" "$((height + 40))"
# Pane sizes and zoom are "recent" settings, which -o also accepts. Layout
# 2: packet list on top, details and bytes side by side below.
oscore_gui_start_wireshark -- -r "$work/$(basename "$pcap")" \
    -o "oscore_layers.keys_file:$work/$(basename "$keys")" \
    -o gui.layout_type:2 \
    -o gui.geometry_main_upper_pane:60 \
    -o gui.geometry_main_lower_pane:400 \
    -o gui.zoom_level:-1 \
    -g "$frame"
oscore_gui_wait_window "$(basename "$pcap" | sed 's/\.[^.]*$//')" 30
sleep 2
oscore_gui_show_layers "$width" "$height" "$down"

oscore_gui_screenshot "$width" "$height" "$work/raw.png"
pngquant --force --output "$output" 256 "$work/raw.png"
echo "make-screenshot: wrote $output ($(stat -c %s "$output") bytes)"
