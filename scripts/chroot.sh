#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Debian chroots for building and testing against other Wireshark series
# than the host's: Debian 13 "trixie" ships 4.4, sid 4.6, and a pristine
# Debian 12 "bookworm" is where the 4.0 package is test-installed.
#
# Usage (as root: debootstrap, mount and chroot need it):
#   scripts/chroot.sh base RELEASE      a minimal system (debootstrap
#                                       --variant=minbase); prints its path
#   scripts/chroot.sh dev RELEASE       the base plus every package of
#                                       scripts/deps.sh; prints its path
#   scripts/chroot.sh run RELEASE CMD…  runs CMD in the "dev" chroot, with
#                                       this repository at /src
#   scripts/chroot.sh copy-base RELEASE DIR
#                                       copies the pristine base to DIR (a
#                                       throw-away system for install tests)
#   scripts/chroot.sh in DIR CMD…       runs CMD in the chroot at DIR (e.g.
#                                       such a copy) with /proc and /dev
#
# Chroots are made once and reused: each is built in a temporary directory
# and renamed into place only when complete, so an interrupted run leaves
# nothing half-made behind. A "dev" chroot is remade when the package list
# in scripts/deps.sh changes.
#
# Environment:
#   OSCORE_CHROOT_ROOT    where chroots live (default /var/tmp/oscore-chroots)
#   OSCORE_DEBIAN_MIRROR  the Debian mirror (default: the host's, from
#                         /etc/apt/sources.list.d/debian.sources, else
#                         http://deb.debian.org/debian)
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=deps.sh
source "$(dirname "${BASH_SOURCE[0]}")/deps.sh"
OSCORE_REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CHROOT_ROOT=${OSCORE_CHROOT_ROOT:-/var/tmp/oscore-chroots}

die() {
    printf 'chroot.sh: %s\n' "$*" >&2
    exit 1
}

host_mirror() {
    local uri=""
    if [[ -r /etc/apt/sources.list.d/debian.sources ]]; then
        uri=$(awk '/^URIs:/ && $2 ~ /\/debian\/?$/ { print $2; exit }' \
            /etc/apt/sources.list.d/debian.sources)
    fi
    printf '%s\n' "${uri:-http://deb.debian.org/debian}"
}
MIRROR=${OSCORE_DEBIAN_MIRROR:-$(host_mirror)}

check_release() {
    case "$1" in
    bookworm | trixie | sid) ;;
    *) die "unknown release '$1' (bookworm, trixie or sid)" ;;
    esac
}

# Runs "$@" inside chroot $1 with /proc and /dev mounted, in a private mount
# namespace: the mounts disappear with the command, whatever way it ends.
in_chroot() {
    local dir="$1"
    shift
    unshare --mount --propagation private bash -c '
        dir=$1; shift
        mount -t proc proc "$dir/proc"
        mount --bind /dev "$dir/dev"
        if [[ -n "${OSCORE_CHROOT_SRC:-}" ]]; then
            mkdir -p "$dir/src"
            mount --bind "$OSCORE_CHROOT_SRC" "$dir/src"
        fi
        exec chroot "$dir" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
            HOME=/root LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive CI="${CI:-}" \
            "$@"' in_chroot "$dir" "$@"
}

# apt in sid: the Release file of the unstable suite is sometimes past its
# Valid-Until date on mirrors and snapshots; apt would refuse it.
apt_config() {
    local dir="$1" release="$2"
    if [[ "$release" == sid ]]; then
        printf 'Acquire::Check-Valid-Until "false";\n' \
            >"$dir/etc/apt/apt.conf.d/99oscore-valid-until"
    fi
    printf 'deb %s %s main\n' "$MIRROR" "$release" >"$dir/etc/apt/sources.list"
}

make_base() {
    local release="$1" final="$CHROOT_ROOT/$1-base"
    [[ -f "$final/.oscore-complete" ]] && return 0
    command -v debootstrap >/dev/null ||
        die "debootstrap is missing: apt-get install debootstrap"
    local tmp="$CHROOT_ROOT/.tmp-$release-base"
    rm -rf "$tmp" "$final"
    mkdir -p "$CHROOT_ROOT"
    echo "chroot.sh: debootstrap $release from $MIRROR (a few minutes)" >&2
    debootstrap --variant=minbase "$release" "$tmp" "$MIRROR" >&2 ||
        die "debootstrap $release failed (log: $tmp/debootstrap/debootstrap.log)"
    apt_config "$tmp" "$release"
    date -u +%FT%TZ >"$tmp/.oscore-complete"
    mv "$tmp" "$final"
}

package_stamp() {
    printf '%s\n' "${OSCORE_DEB_PACKAGES[@]}" | sha256sum | cut -d' ' -f1
}

make_dev() {
    local release="$1" final="$CHROOT_ROOT/$1" stamp
    stamp=$(package_stamp)
    if [[ "$(cat "$final/.oscore-complete" 2>/dev/null)" == "$stamp" ]]; then
        return 0
    fi
    make_base "$release"
    local tmp="$CHROOT_ROOT/.tmp-$release"
    rm -rf "$tmp" "$final"
    cp -a "$CHROOT_ROOT/$release-base" "$tmp"
    rm -f "$tmp/.oscore-complete"
    echo "chroot.sh: installing the build packages into $release" >&2
    in_chroot "$tmp" sh -c '
        echo "wireshark-common wireshark-common/install-setuid boolean false" |
            debconf-set-selections &&
        apt-get -q update &&
        apt-get -q install -y --no-install-recommends "$@"' sh \
        "${OSCORE_DEB_PACKAGES[@]}" >&2 ||
        die "installing packages into $release failed"
    printf '%s\n' "$stamp" >"$tmp/.oscore-complete"
    mv "$tmp" "$final"
}

[[ $# -ge 2 ]] || die "usage: chroot.sh base|dev|run|copy-base RELEASE [...], or in DIR CMD..."
[[ $(id -u) -eq 0 ]] || die "must run as root (debootstrap, mount, chroot)"
if [[ "$1" == in ]]; then
    [[ $# -ge 3 ]] || die "in: give the chroot directory and a command"
    [[ -x "$2/bin/sh" ]] || die "in: $2 is not a chroot (no bin/sh)"
    dir="$2"
    shift 2
    in_chroot "$dir" "$@"
    exit
fi
command="$1" release="$2"
shift 2
check_release "$release"

case "$command" in
base)
    make_base "$release"
    printf '%s\n' "$CHROOT_ROOT/$release-base"
    ;;
dev)
    make_dev "$release"
    printf '%s\n' "$CHROOT_ROOT/$release"
    ;;
run)
    [[ $# -ge 1 ]] || die "run: no command given"
    make_dev "$release"
    OSCORE_CHROOT_SRC="$OSCORE_REPO" in_chroot "$CHROOT_ROOT/$release" "$@"
    ;;
copy-base)
    [[ $# -eq 1 ]] || die "copy-base: give the target directory"
    make_base "$release"
    rm -rf "$1"
    cp -a "$CHROOT_ROOT/$release-base" "$1"
    rm -f "$1/.oscore-complete"
    ;;
*)
    die "unknown command '$command'"
    ;;
esac
