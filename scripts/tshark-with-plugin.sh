#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Usage: scripts/tshark-with-plugin.sh <build-dir> [tshark args...]
#
# Runs tshark with the plugin built in <build-dir> loaded, and nothing from
# the caller's own Wireshark configuration. Used by scripts/demo.sh and by the
# regression tests.
#
# Why it is not just "tshark": tshark started by root treats itself as
# privileged and ignores both the personal plugin folder and
# WIRESHARK_PLUGIN_DIR, and the system plugin folder is not ours to write to.
# So the plugin goes into the personal plugin folder of a private HOME, and
# when we are root tshark runs as uid/gid 65534 (nobody/nogroup). That user
# must be able to read the plugin and every file named on the command line;
# when it cannot (e.g. the repository lives under /root), the files are
# copied to a world-readable temporary directory and the arguments rewritten.
#
# Environment:
#   OSCORE_PLUGIN_SO   plugin file to load (default: found in <build-dir>)
#   TSHARK             tshark binary (default: tshark)
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

if (($# < 1)); then
    echo "usage: $0 <build-dir> [tshark args...]" >&2
    exit 2
fi
build=$(cd "$1" && pwd)
shift
tshark=${TSHARK:-tshark}

plugin=${OSCORE_PLUGIN_SO:-$(oscore_find_plugin "$build")}
if [[ -z "$plugin" || ! -f "$plugin" ]]; then
    echo "tshark-with-plugin: no plugin built under $build/plugin" >&2
    exit 1
fi

# The personal plugin folder is versioned by major.minor of the running
# Wireshark, e.g. "4.0"; take it from the binary we are about to run.
version=$("$tshark" --version 2>/dev/null |
    sed -n '1s/^TShark (Wireshark) \([0-9]*\.[0-9]*\).*/\1/p')
if [[ -z "$version" ]]; then
    echo "tshark-with-plugin: cannot read the version of $tshark" >&2
    exit 1
fi

# Directories we create must be traversable by the unprivileged user.
umask 022

unprivileged=(setpriv --reuid=65534 --regid=65534 --clear-groups)
if [[ "$(id -u)" == 0 ]]; then
    as_root=1
else
    as_root=0
fi

# True if the user tshark will run as can read file $1.
tshark_user_can_read() {
    if ((as_root)); then
        "${unprivileged[@]}" test -r "$1"
    else
        test -r "$1"
    fi
}

# Copies $1 into directory $2 under a name that cannot clash with other
# copies, and prints the new path.
stage_file() {
    local dest
    dest=$(mktemp "$2/XXXXXX-$(basename "$1")")
    cp "$1" "$dest"
    chmod 0644 "$dest"
    printf '%s\n' "$dest"
}

# Installs the plugin into home directory $1. Several tests may run at the
# same time with the same home: copy under a temporary name and rename, so a
# tshark that is starting never sees a half-written .so.
install_plugin() {
    local dir="$1/.local/lib/wireshark/plugins/$version/epan"
    local dest
    dest="$dir/$(basename "$plugin")"
    mkdir -p "$dir"
    if [[ -f "$dest" ]] && cmp -s "$plugin" "$dest"; then
        return 0
    fi
    local tmp
    tmp=$(mktemp "$dir/.install-XXXXXX")
    cp "$plugin" "$tmp"
    chmod 0644 "$tmp"
    mv -f "$tmp" "$dest"
}

staging=""
# shellcheck disable=SC2317 # called through the EXIT trap
cleanup() {
    if [[ -n "$staging" ]]; then
        rm -rf "$staging"
    fi
}
trap cleanup EXIT
make_staging() {
    if [[ -z "$staging" ]]; then
        staging=$(mktemp -d /tmp/oscore-tshark.XXXXXX)
        chmod 0755 "$staging"
    fi
}

home="$build/tshark-home"
install_plugin "$home"
if ! tshark_user_can_read "$home/.local/lib/wireshark/plugins/$version/epan/$(basename "$plugin")"; then
    # The build directory is not reachable by the unprivileged user.
    make_staging
    home="$staging/home"
    install_plugin "$home"
fi

# Make every file argument readable by the unprivileged user: plain paths
# (-r FILE) and "name:path" values (-o pref:FILE, -X lua_script:FILE).
args=()
for arg in "$@"; do
    if ((as_root)); then
        if [[ -f "$arg" ]] && ! tshark_user_can_read "$arg"; then
            make_staging
            arg=$(stage_file "$arg" "$staging")
        elif [[ "$arg" == *:* && -f "${arg#*:}" ]] &&
            ! tshark_user_can_read "${arg#*:}"; then
            make_staging
            arg="${arg%%:*}:$(stage_file "${arg#*:}" "$staging")"
        fi
    fi
    args+=("$arg")
done

# Some dissectors open files relative to the working directory (GIOP looks
# for IOR.txt) and complain when it cannot be entered. If the unprivileged
# user cannot enter it, run from the private home: file arguments it could
# not read have been staged with absolute paths above.
if ((as_root)) && ! "${unprivileged[@]}" test -x "$PWD"; then
    cd "$home"
fi

# A clean environment for Wireshark: only the private HOME, no personal
# configuration, no plugin or config directory overrides from the caller.
env_cmd=(env -u WIRESHARK_PLUGIN_DIR -u WIRESHARK_CONFIG_DIR
    -u XDG_CONFIG_HOME HOME="$home")
status=0
if ((as_root)); then
    "${unprivileged[@]}" "${env_cmd[@]}" "$tshark" "${args[@]}" || status=$?
else
    "${env_cmd[@]}" "$tshark" "${args[@]}" || status=$?
fi
exit "$status"
