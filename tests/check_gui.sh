#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The real Wireshark GUI (Qt, under Xvfb) with the plugin installed in a
# fresh profile, the way a user installs it: the plugin in the personal
# plugin folder, the keys file set in the profile's preferences file.
# Opens a capture of three nested OSCORE layers (written by
# oscore-bench-capture) on frame 1, expands the "OSCORE layers" tree and
# checks, from a Lua postdissector running inside the GUI
# (tests/gui_probe.lua), that the GUI's dissection holds the plugin's
# fields: 3 layers found, 3 removed, each with its context and status.
# The screenshot of the expanded tree is kept as the test's artifact, with
# more for a reader to look at: the statistics tree (Statistics ›
# OSCORE layers), the context table dialog (packet details context
# menu › Protocol Preferences › Security contexts), the chains table
# (Statistics › OSCORE layer chains) and the Flow Graph; the test checks
# that these windows open.
#
# Usage: check_gui.sh <build-dir> <oscore-bench-capture>
# Exit 77 (ctest: skipped) when the GUI tools are not installed; they are
# in scripts/deps.sh's list, so scripts/test.sh installs them as root.
# Environment: OSCORE_GUI_KEEP=1 keeps the work dir (logs, profile).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source-path=SCRIPTDIR source=../scripts/common.sh
source "$here/../scripts/common.sh"
# shellcheck source-path=SCRIPTDIR source=../scripts/gui-session.sh
source "$here/../scripts/gui-session.sh"
build=$(cd "$1" && pwd) generator=$2
width=1280 height=1060

# shellcheck disable=SC2119 # no extra tools beyond the session's
missing=$(oscore_gui_missing)
if [[ -n "$missing" ]]; then
    echo "SKIP: the GUI test needs the Debian packages: $missing" \
        "(scripts/deps.sh installs them when run as root)"
    exit 77
fi
plugin=$(oscore_find_plugin "$build")
if [[ -z "$plugin" || ! -f "$plugin" ]]; then
    echo "FAIL: no plugin built under $build/plugin" >&2
    exit 1
fi

trap oscore_gui_stop EXIT
oscore_gui_prepare oscore-gui-test "$plugin"
work=$OSCORE_GUI_WORK
# One exchange of three layers: frame 1 is the request, frame 2 the
# response; contexts c-p1, c-p2 (client-proxy hops) and c-s (end to end).
"$generator" -s 7 3 1 "$work/gui-3-layers.pcap" "$work/gui-3-layers.keys" \
    >/dev/null
cp "$here/gui_probe.lua" "$work/"
chmod 0644 "$work"/gui-3-layers.* "$work/gui_probe.lua"
oscore_gui_preference oscore_layers.keys_file "$work/gui-3-layers.keys"
probe_out="$OSCORE_GUI_HOME/probe.txt"
: >"$probe_out"

oscore_gui_start_xvfb "$((width + 40))" "$((height + 40))"
# Layout 2 (packet list on top, details and bytes side by side below) and
# the pane sizes are "recent" settings, which -o also accepts.
oscore_gui_start_wireshark OSCORE_GUI_PROBE_OUT="$probe_out" -- \
    -r "$work/gui-3-layers.pcap" -g 1 -X "lua_script:$work/gui_probe.lua" \
    -o gui.layout_type:2 -o gui.geometry_main_upper_pane:60 \
    -o gui.geometry_main_lower_pane:400
oscore_gui_wait_window gui-3-layers 60
sleep 2
oscore_gui_show_layers "$width" "$height" 4

artifacts="$build/tests/gui"
mkdir -p "$artifacts"
screenshot="$artifacts/layers-visible.png"
oscore_gui_screenshot "$width" "$height" "$screenshot"
echo "screenshot: $screenshot"

# The GUI's first pass dissects every frame; a loaded machine may still
# be at it, so give the probe up to 20 s.
for _ in $(seq 100); do
    grep -q '^frame=1 ' "$probe_out" && break
    sleep 0.2
done
# shot_dialog NAME TITLE-PART SIZE KEYS...: presses KEYS (xdotool key
# names, one group per argument) in the main window, waits for the
# window, moves it to 0,0, sizes it to SIZE (WxH; "as-opened" keeps the
# size it opens with, which is what a user sees first), saves its
# screenshot as NAME.png and closes it with Escape.
shot_dialog() {
    local name=$1 title=$2 size=$3 group dialog WIDTH HEIGHT
    shift 3
    # Without a window manager nothing gives the focus back to the main
    # window when a dialog closes; Qt keeps its focused widget inside.
    xdotool windowfocus --sync "$OSCORE_GUI_WINDOW"
    sleep 0.3
    for group in "$@"; do
        # shellcheck disable=SC2086 # a group is several key names
        xdotool key --delay 150 $group
        sleep 0.6
    done
    if ! dialog=$(oscore_gui_wait_dialog "$title" 20); then
        echo "FAIL: the window '$title' did not open" >&2
        return 1
    fi
    xdotool windowmove "$dialog" 0 0
    if [[ "$size" != as-opened ]]; then
        xdotool windowsize "$dialog" "${size%x*}" "${size#*x}"
    fi
    sleep 1.5
    eval "$(xdotool getwindowgeometry --shell "$dialog")"
    oscore_gui_screenshot "$WIDTH" "$HEIGHT" "$artifacts/$name.png"
    echo "screenshot: $artifacts/$name.png"
    xdotool windowfocus --sync "$dialog" key Escape
    sleep 1
}

status=0
# First the context menu of the selected tree item ("OSCORE layers",
# still focused): Protocol Preferences is the third entry from the
# bottom (the last two are disabled and skipped); Security contexts is
# the sixth entry of the plugin's preferences (the order of the
# prefs_register_* calls in plugin.c and keys.c).
shot_dialog contexts-table "OSCORE layers contexts" as-opened "Menu" \
    "Up Up Right" "Down Down Down Down Down Return" || status=1
# The statistics tree is the Statistics menu's last entry (plugins' trees
# come after the built-in ones).
shot_dialog stats-tree "Wireshark · OSCORE layers" 1000x500 "alt+s" \
    "Up Return" || status=1
# The chains table is the 12th entry of the Statistics menu (after the
# 4.0 menu's fixed entries and the protocols' tables, in that order), the
# Flow Graph the 18th; the menu opens on its first entry.
down() { printf 'Down %.0s' $(seq "$1"); }
shot_dialog chains-table "OSCORE layer chains" 1200x400 "alt+s" \
    "$(down 11)Return" || status=1
shot_dialog flow-graph "Flow" 1200x500 "alt+s" "$(down 17)Return" ||
    status=1
want="frame=1 count=3 removed=3 contexts=c-p1,c-p2,c-s"
want+=" statuses=decrypted,decrypted,decrypted"
echo "probe output of the GUI:"
sed 's/^/  /' "$probe_out"
if ! grep -qxF "$want" "$probe_out"; then
    echo "FAIL: the GUI's dissection of frame 1 lacks: $want" >&2
    status=1
fi
if grep -q '^frame=1 ' "$probe_out" &&
    grep '^frame=1 ' "$probe_out" | grep -vqxF "$want"; then
    echo "FAIL: a pass over frame 1 saw other values (see above)" >&2
    status=1
fi
if grep -qi 'lua.*error\|error.*lua' "$OSCORE_GUI_WORK/wireshark.log"; then
    echo "FAIL: Lua reported an error:" >&2
    cat "$OSCORE_GUI_WORK/wireshark.log" >&2
    status=1
fi
# Not quitting is not what this test is about: say so, the EXIT trap
# kills it.
if ! oscore_gui_quit; then
    echo "warning: the GUI did not quit within 10 s of Ctrl+Q; killed" >&2
fi
if ((status != 0)); then
    echo "wireshark's output:" >&2
    sed 's/^/  /' "$OSCORE_GUI_WORK/wireshark.log" >&2
fi
exit $status
