# shellcheck shell=bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The Wireshark GUI (Qt) under Xvfb with the plugin in a fresh profile:
# shared by docs/make-screenshot.sh and tests/check_gui.sh. Sourced, never
# run; source scripts/common.sh first.
#
# Why each step:
# - Xvfb on a display it picks itself (-displayfd), so parallel runs and
#   a developer's own X server never collide; no window manager, so
#   xdotool moves and sizes the window directly.
# - Wireshark started by root ignores the personal plugin folder (and Lua
#   scripts), so as root it runs as uid/gid 65534, with a private HOME
#   holding the plugin and a preferences file; everything it reads must be
#   readable by that user (umask 022, files copied into the work dir).
# - Every process started here is killed by oscore_gui_stop, which the
#   caller puts in its EXIT trap, so a failure leaves nothing running.
#
# State (set by the functions): OSCORE_GUI_WORK, OSCORE_GUI_HOME,
# OSCORE_GUI_VERSION, OSCORE_GUI_XVFB_PID, OSCORE_GUI_WIRESHARK_PID,
# OSCORE_GUI_WINDOW, DISPLAY.

OSCORE_GUI_WORK=""
OSCORE_GUI_HOME=""
OSCORE_GUI_VERSION=""
OSCORE_GUI_XVFB_PID=""
OSCORE_GUI_WIRESHARK_PID=""
OSCORE_GUI_WINDOW=""

# Prints the Debian packages of the GUI tools that are missing, one line:
# the tools "$@" as command:package pairs plus the ones every session
# needs. Empty output: everything is there.
oscore_gui_missing() {
    local tool absent=()
    for tool in wireshark:wireshark Xvfb:xvfb xdotool:xdotool \
        import:imagemagick setpriv:util-linux "$@"; do
        command -v "${tool%%:*}" >/dev/null 2>&1 || absent+=("${tool#*:}")
    done
    printf '%s\n' "${absent[*]}"
}

# oscore_gui_prepare PREFIX PLUGIN: makes the work dir (/tmp/PREFIX.XXXXXX)
# and a fresh HOME in it with PLUGIN in the personal plugin folder of the
# installed Wireshark's version and an empty profile (.config/wireshark).
oscore_gui_prepare() {
    local prefix=$1 plugin=$2
    OSCORE_GUI_VERSION=$(wireshark --version 2>/dev/null |
        sed -n '1s/^Wireshark \([0-9]*\.[0-9]*\).*/\1/p')
    if [[ -z "$OSCORE_GUI_VERSION" ]]; then
        echo "gui: cannot read the version of wireshark" >&2
        return 1
    fi
    umask 022
    OSCORE_GUI_WORK=$(mktemp -d "/tmp/$prefix.XXXXXX")
    chmod 0755 "$OSCORE_GUI_WORK"
    OSCORE_GUI_HOME="$OSCORE_GUI_WORK/home"
    local plugins="$OSCORE_GUI_HOME/.local/lib/wireshark/plugins"
    mkdir -p "$plugins/$OSCORE_GUI_VERSION/epan" "$OSCORE_GUI_HOME/run" \
        "$OSCORE_GUI_HOME/.config/wireshark"
    cp "$plugin" "$plugins/$OSCORE_GUI_VERSION/epan/"
    chmod 0700 "$OSCORE_GUI_HOME/run"
}

# oscore_gui_preference NAME VALUE: appends "NAME: VALUE" to the fresh
# profile's preferences file (the file the GUI's Preferences dialog
# writes), so the setting is read the way a user's would be.
oscore_gui_preference() {
    printf '%s: %s\n' "$1" "$2" \
        >>"$OSCORE_GUI_HOME/.config/wireshark/preferences"
}

# The command prefix that runs a program as the unprivileged user (empty
# when not root). Call after the HOME is complete: it hands it over.
oscore_gui_run_as() {
    OSCORE_GUI_RUN_AS=()
    if [[ "$(id -u)" == 0 ]]; then
        chown -R 65534:65534 "$OSCORE_GUI_HOME"
        OSCORE_GUI_RUN_AS=(setpriv --reuid=65534 --regid=65534 --clear-groups)
    fi
}

# oscore_gui_start_xvfb WIDTH HEIGHT: starts Xvfb with a screen of that
# size and exports DISPLAY; fails after 10 s without a display number.
oscore_gui_start_xvfb() {
    local width=$1 height=$2
    Xvfb -displayfd 3 -screen 0 "${width}x${height}x24" -nolisten tcp \
        3>"$OSCORE_GUI_WORK/display" 2>"$OSCORE_GUI_WORK/xvfb.log" &
    OSCORE_GUI_XVFB_PID=$!
    for _ in $(seq 100); do
        [[ -s "$OSCORE_GUI_WORK/display" ]] && break
        sleep 0.1
    done
    if [[ ! -s "$OSCORE_GUI_WORK/display" ]]; then
        echo "gui: Xvfb did not start:" >&2
        cat "$OSCORE_GUI_WORK/xvfb.log" >&2
        return 1
    fi
    DISPLAY=":$(head -n1 "$OSCORE_GUI_WORK/display")"
    export DISPLAY
}

# oscore_gui_start_wireshark ENV=VALUE... -- WIRESHARK-ARGS...: starts
# the GUI in the background with the fresh HOME, the C locale (stable
# texts) and no inherited Wireshark settings; output to wireshark.log.
oscore_gui_start_wireshark() {
    local extra_env=()
    while (($# > 0)) && [[ "$1" != -- ]]; do
        extra_env+=("$1")
        shift
    done
    shift
    oscore_gui_run_as
    "${OSCORE_GUI_RUN_AS[@]}" env -u WIRESHARK_PLUGIN_DIR \
        -u WIRESHARK_CONFIG_DIR -u XDG_CONFIG_HOME \
        HOME="$OSCORE_GUI_HOME" XDG_RUNTIME_DIR="$OSCORE_GUI_HOME/run" \
        DISPLAY="$DISPLAY" LANG=C.UTF-8 "${extra_env[@]}" \
        wireshark "$@" >"$OSCORE_GUI_WORK/wireshark.log" 2>&1 &
    OSCORE_GUI_WIRESHARK_PID=$!
}

# oscore_gui_wait_window TITLE-PART SECONDS: waits for the visible main
# window whose title contains TITLE-PART (the capture file's name) and
# sets OSCORE_GUI_WINDOW; fails, with Wireshark's output, when Wireshark
# exits or the time is up.
oscore_gui_wait_window() {
    local title=$1 seconds=$2
    local deadline=$((SECONDS + seconds))
    OSCORE_GUI_WINDOW=""
    while ((SECONDS < deadline)); do
        OSCORE_GUI_WINDOW=$(xdotool search --onlyvisible --name "$title" \
            2>/dev/null | head -n1 || true)
        [[ -n "$OSCORE_GUI_WINDOW" ]] && return 0
        if ! kill -0 "$OSCORE_GUI_WIRESHARK_PID" 2>/dev/null; then
            echo "gui: wireshark exited before its window appeared:" >&2
            cat "$OSCORE_GUI_WORK/wireshark.log" >&2
            return 1
        fi
        sleep 0.2
    done
    echo "gui: no window named '$title' after $seconds s:" >&2
    cat "$OSCORE_GUI_WORK/wireshark.log" >&2
    return 1
}

# oscore_gui_show_layers WIDTH HEIGHT DOWN: places the main window at 0,0
# in that size, clicks an empty spot of the packet details pane (below
# its last row; layout 2 puts it bottom left), presses End (the last
# top-level item, "OSCORE layers"), Shift+Right (expand it and all its
# subtrees) and Down DOWN times (0: stay on "OSCORE layers").
oscore_gui_show_layers() {
    local width=$1 height=$2 down=$3
    xdotool windowmove "$OSCORE_GUI_WINDOW" 0 0 \
        windowsize "$OSCORE_GUI_WINDOW" "$width" "$height"
    sleep 1.5
    xdotool mousemove 300 "$((height - 80))" click 1
    sleep 0.5
    xdotool key End
    sleep 0.3
    xdotool key shift+Right
    sleep 0.3
    if ((down > 0)); then
        xdotool key --repeat "$down" --delay 50 Down
    fi
    sleep 1
}

# oscore_gui_wait_dialog TITLE-PART SECONDS: prints the id of the visible
# window, other than the main one, whose title contains TITLE-PART; fails
# when none appears in time.
oscore_gui_wait_dialog() {
    local title=$1 seconds=$2 w
    local deadline=$((SECONDS + seconds))
    while ((SECONDS < deadline)); do
        for w in $(xdotool search --onlyvisible --name "$title" 2>/dev/null); do
            if [[ "$w" != "$OSCORE_GUI_WINDOW" ]]; then
                printf '%s\n' "$w"
                return 0
            fi
        done
        sleep 0.2
    done
    echo "gui: no window named '$title' after $seconds s" >&2
    return 1
}

# oscore_gui_screenshot WIDTH HEIGHT FILE: the top-left WIDTHxHEIGHT of
# the screen as a PNG.
oscore_gui_screenshot() {
    import -window root -crop "${1}x${2}+0+0" "$3"
}

# Quits the GUI the way a user does (Ctrl+Q), so that it exits through
# its own shutdown; waits up to 10 s. Returns 1 if it had to be killed.
oscore_gui_quit() {
    [[ -n "$OSCORE_GUI_WIRESHARK_PID" ]] || return 0
    # Real key events (XTEST) to the focused main window: with --window
    # xdotool sends synthetic events, which applications may ignore.
    if [[ -n "$OSCORE_GUI_WINDOW" ]]; then
        xdotool windowfocus --sync "$OSCORE_GUI_WINDOW" key ctrl+q \
            2>/dev/null || true
    fi
    for _ in $(seq 50); do
        if ! kill -0 "$OSCORE_GUI_WIRESHARK_PID" 2>/dev/null; then
            wait "$OSCORE_GUI_WIRESHARK_PID" 2>/dev/null || true
            OSCORE_GUI_WIRESHARK_PID=""
            return 0
        fi
        sleep 0.2
    done
    return 1
}

# For the EXIT trap: stops whatever is still running (the GUI by SIGTERM,
# then SIGKILL after 5 s; Xvfb) and removes the work dir unless
# OSCORE_GUI_KEEP=1.
oscore_gui_stop() {
    local pid
    for pid in "$OSCORE_GUI_WIRESHARK_PID" "$OSCORE_GUI_XVFB_PID"; do
        [[ -n "$pid" ]] || continue
        kill "$pid" 2>/dev/null || true
        for _ in $(seq 25); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.2
        done
        kill -9 "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    OSCORE_GUI_WIRESHARK_PID="" OSCORE_GUI_XVFB_PID=""
    if [[ -n "$OSCORE_GUI_WORK" && "${OSCORE_GUI_KEEP:-0}" != 1 ]]; then
        rm -rf "$OSCORE_GUI_WORK"
    fi
}
