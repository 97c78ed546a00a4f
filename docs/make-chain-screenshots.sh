#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Usage: docs/make-chain-screenshots.sh [OUTPUT-DIR]   (default: docs)
#
# Retakes the README's pictures of the "Debugging a proxy chain"
# walkthrough from the Wireshark GUI (Qt) with the plugin built in
# $OSCORE_BUILD_DIR (default build), on the corpus capture
# pcaps/failure-corrupted-inner.pcapng with its keys:
#   chains.png  Statistics › OSCORE layer chains (opened with -z
#               oscore_layers,chains);
#   flow.png    Statistics › Flow Graph with the flow type "OSCORE layers"
#               (the dialog opens on "All Flows"; the script opens its
#               Flow type list with a click where a dialog of this size
#               has it and types the entry's first letters).
# A developer action, not a test, like docs/make-screenshot.sh, whose GUI
# session (scripts/gui-session.sh) and packages it shares.
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=../scripts/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/common.sh"
# shellcheck source-path=SCRIPTDIR source=../scripts/gui-session.sh
source "$OSCORE_REPO/scripts/gui-session.sh"

out=$(oscore_abspath "${1:-docs}")
name=failure-corrupted-inner
width=1280
height=860

missing=$(oscore_gui_missing pngquant:pngquant)
if [[ -n "$missing" ]]; then
    echo "make-chain-screenshots: missing: $missing" >&2
    echo "apt-get install --no-install-recommends $missing"
    exit 1
fi
plugin=${OSCORE_PLUGIN_SO:-$(oscore_find_plugin "$OSCORE_BUILD")}
if [[ -z "$plugin" || ! -f "$plugin" ]]; then
    echo "make-chain-screenshots: no plugin built under $OSCORE_BUILD/plugin" >&2
    exit 1
fi

trap oscore_gui_stop EXIT
oscore_gui_prepare oscore-chain-screenshots "$plugin"
work=$OSCORE_GUI_WORK
cp "$OSCORE_REPO/pcaps/$name.pcapng" "$OSCORE_REPO/keys/$name.keys" "$work/"
chmod 0644 "$work/$name.pcapng" "$work/$name.keys"
oscore_gui_start_xvfb "$((width + 40))" "$((height + 40))"

# shot FILE [HEIGHT]: the screen's top-left WIDTHxHEIGHT, shrunk.
shot() {
    oscore_gui_screenshot "$width" "${2:-$height}" "$work/raw.png"
    pngquant --force --output "$1" 256 "$work/raw.png"
    echo "make-chain-screenshots: wrote $1 ($(stat -c %s "$1") bytes)"
}

oscore_gui_start_wireshark -- -r "$work/$name.pcapng" \
    -o "oscore_layers.keys_file:$work/$name.keys" -o gui.zoom_level:-1 \
    -z oscore_layers,chains
oscore_gui_wait_window "$name" 30
xdotool windowmove "$OSCORE_GUI_WINDOW" 0 0 \
    windowsize "$OSCORE_GUI_WINDOW" "$width" "$height"
dialog=$(oscore_gui_wait_dialog "OSCORE layer chains" 30)
sleep 1
xdotool windowmove "$dialog" 0 300 windowsize "$dialog" "$width" 360
sleep 2
shot "$out/chains.png" 665
xdotool windowclose "$dialog" 2>/dev/null || xdotool windowkill "$dialog"
sleep 1

# Statistics › Flow Graph: the menu opens on its first item, Flow Graph
# is the 18th (after the 4.0 menu's fixed entries and the tables).
xdotool windowfocus --sync "$OSCORE_GUI_WINDOW" key alt+s
sleep 1
xdotool key --repeat 17 --delay 80 Down
xdotool key Return
dialog=$(oscore_gui_wait_dialog "Flow" 30)
sleep 2
flow_height=360
xdotool windowmove "$dialog" 0 0 windowsize "$dialog" "$width" "$flow_height"
sleep 1
# The Flow type list (its place in a dialog of this size: 55 pixels above
# the bottom, the middle of the width), then the entry by its first
# letters.
xdotool mousemove 676 "$((flow_height - 55))" click 1
sleep 1
xdotool type --delay 80 "OSCORE"
xdotool key Return
sleep 2
shot "$out/flow.png" "$flow_height"
