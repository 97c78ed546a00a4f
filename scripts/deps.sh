#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Makes sure the Debian 12 packages this project needs are installed.
#
# Source it and call oscore_ensure_deps, or run it directly.
# - Everything installed: does nothing.
# - Something missing, running as root: installs it with apt-get.
# - Something missing, not root: prints the apt-get line and fails, because
#   installing behind the user's back through sudo would be a surprise.
#
# Environment:
#   OSCORE_DEPS_EXTRA  more package names to require (used to test this
#                      script with a package that is not installed)
#   OSCORE_SKIP_DEPS=1 skip the check (for machines that are not Debian and
#                      have the tools installed another way)

# Keep this list the single place that names packages: the README refers here.
#   build-essential, cmake, pkg-config  compiler and build system
#   libgcrypt20-dev                     the engine's only dependency
#   libglib2.0-dev, libjson-glib-dev    the tests read the JSON vectors; the
#                                       keys loader reads aiocoap JSON files
#   tshark, wireshark-common            the plugin's host; text2pcap, dumpcap
#   wireshark-dev, libwireshark-dev,
#   libwiretap-dev, libwsutil-dev       headers and CMake files for the plugin
#   clang-format                        the format check (ctest format.*)
#   clang, libclang-rt-dev              the libFuzzer harnesses (ctest
#                                       fuzz.libfuzzer.*, scripts/fuzz-long.sh):
#                                       libFuzzer needs clang, and its
#                                       runtime is in libclang-rt-dev, only
#                                       recommended by clang
#   util-linux                          setpriv, to run tshark unprivileged
#   time                                /usr/bin/time: wall time and peak
#                                       memory in scripts/bench-plugin.sh
#   wireshark, xvfb, xdotool,           the GUI test (ctest gui.*) and
#   imagemagick                         docs/make-screenshot.sh: the Qt GUI,
#                                       a virtual X server, window control,
#                                       screenshots (import)
#   file                                called by dpkg-shlibdeps when
#                                       `cpack -G DEB` computes the Debian
#                                       package's dependencies
OSCORE_DEB_PACKAGES=(
    build-essential cmake pkg-config
    libgcrypt20-dev
    libglib2.0-dev libjson-glib-dev
    tshark wireshark-common
    wireshark-dev libwireshark-dev libwiretap-dev libwsutil-dev
    clang-format
    clang libclang-rt-dev
    util-linux
    time
    wireshark xvfb xdotool imagemagick
    file
)

# Prints, one per line, the packages of "$@" that dpkg does not report as
# fully installed. A package dpkg has never heard of counts as missing.
oscore_missing_packages() {
    local pkg status
    for pkg in "$@"; do
        status=$(dpkg-query -W -f='${db:Status-Abbrev}' "$pkg" 2>/dev/null ||
            true)
        # "ii " = desired install, currently installed, no error flag.
        if [[ "$status" != "ii "* ]]; then
            printf '%s\n' "$pkg"
        fi
    done
}

oscore_ensure_deps() {
    if [[ "${OSCORE_SKIP_DEPS:-0}" == 1 ]]; then
        return 0
    fi
    if ! command -v dpkg-query >/dev/null 2>&1; then
        echo "deps: dpkg-query not found; this script knows Debian 12 only." >&2
        echo "deps: install the equivalents of: ${OSCORE_DEB_PACKAGES[*]}" >&2
        echo "deps: then rerun with OSCORE_SKIP_DEPS=1" >&2
        return 1
    fi

    local wanted=("${OSCORE_DEB_PACKAGES[@]}")
    if [[ -n "${OSCORE_DEPS_EXTRA:-}" ]]; then
        local extra
        read -r -a extra <<<"$OSCORE_DEPS_EXTRA"
        wanted+=("${extra[@]}")
    fi

    local missing
    mapfile -t missing < <(oscore_missing_packages "${wanted[@]}")
    if ((${#missing[@]} == 0)); then
        return 0
    fi

    if [[ "$(id -u)" != 0 ]]; then
        echo "deps: missing Debian packages: ${missing[*]}" >&2
        echo "deps: install them with:" >&2
        echo "sudo apt-get install --no-install-recommends ${missing[*]}"
        echo "deps: or run this command as root, which installs them." >&2
        return 1
    fi

    echo "deps: installing ${missing[*]}" >&2
    # wireshark-common asks whether dumpcap should be setuid; answer "no"
    # beforehand so the install never stops at a dialog (CI has no terminal).
    echo "wireshark-common wireshark-common/install-setuid boolean false" |
        debconf-set-selections || return 1
    export DEBIAN_FRONTEND=noninteractive
    apt-get update || return 1
    apt-get install -y --no-install-recommends "${missing[@]}" || return 1

    # apt-get can succeed without installing what was asked (e.g. a package
    # that only exists in another release); say so here rather than letting
    # the build fail later with a less obvious message.
    mapfile -t missing < <(oscore_missing_packages "${wanted[@]}")
    if ((${#missing[@]} != 0)); then
        echo "deps: still missing after apt-get: ${missing[*]}" >&2
        return 1
    fi
}

# Run directly (not sourced): do the check and report through the exit code.
if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
    set -euo pipefail
    oscore_ensure_deps
fi
