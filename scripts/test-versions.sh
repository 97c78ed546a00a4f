#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Usage (as root): scripts/test-versions.sh [RELEASE...]
#
# Builds the project and runs its tests against the Wireshark of other
# Debian releases, each in a chroot made by scripts/chroot.sh (created when
# missing, reused when present): by default trixie (Wireshark 4.4) and sid
# (4.6). The host's own run (scripts/test.sh) covers Debian 12 (4.0).
#
# In the chroots every test runs except those whose ctest names match
# OSCORE_VERSIONS_EXCLUDE (default "asan|fuzz|gui|package.deb"): the
# sanitizer and fuzz tests check the code, not its fit with a Wireshark
# version, and the host run has them; the GUI test and the Debian 12
# package test belong to the host (a chroot has no debootstrap to make
# another chroot from). The libFuzzer harnesses are not even built there
# (OSCORE_LIBFUZZER=OFF): their tests are excluded anyway, and another
# release's clang would only add build time. The build tree of each release stays inside its
# chroot (/var/tmp/oscore-build), so the checkout is only read.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
exclude=${OSCORE_VERSIONS_EXCLUDE:-asan|fuzz|gui|package.deb}
releases=("$@")
((${#releases[@]} > 0)) || releases=(trixie sid)

if [[ $(id -u) -ne 0 ]]; then
    echo "test-versions: needs root (debootstrap, mount, chroot)" >&2
    exit 1
fi
if ! command -v debootstrap >/dev/null; then
    echo "test-versions: installing debootstrap" >&2
    DEBIAN_FRONTEND=noninteractive apt-get -q install -y debootstrap >&2 ||
        { apt-get -q update >&2 &&
            DEBIAN_FRONTEND=noninteractive apt-get -q install -y debootstrap >&2; }
fi

failed=()
for release in "${releases[@]}"; do
    start=$SECONDS
    echo "test-versions: $release: chroot, build and tests" >&2
    if bash "$here/chroot.sh" run "$release" bash -c '
        cd /src &&
        OSCORE_BUILD_DIR=/var/tmp/oscore-build OSCORE_LIBFUZZER=OFF \
            bash scripts/test.sh -E "$1"' \
        test-versions "$exclude"; then
        echo "test-versions: $release passed in $((SECONDS - start)) s" >&2
    else
        echo "test-versions: $release FAILED after $((SECONDS - start)) s" >&2
        failed+=("$release")
    fi
done
if ((${#failed[@]} > 0)); then
    echo "test-versions: failed on: ${failed[*]}" >&2
    exit 1
fi
