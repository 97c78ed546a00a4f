#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Usage: scripts/check-install.sh <build-dir>
#
# `cmake --install <build-dir>` of a build with the default install scope
# (personal) puts the plugin where Wireshark looks for personal plugins:
# the "Personal Plugins" folder of `tshark -G folders`, epan/ below it,
# for the HOME of whoever installs (a temporary one here), and nowhere
# else.
# Then tshark with that HOME lists the plugin from there. The system scope
# and the package are checked by scripts/check-deb.sh.
set -euo pipefail

fail() {
    echo "FAIL: $*" >&2
    exit 1
}
(($# == 1)) || {
    echo "usage: $0 <build-dir>" >&2
    exit 2
}
build=$(cd "$1" && pwd)
scope=$(sed -n 's/^OSCORE_INSTALL_SCOPE:STRING=//p' "$build/CMakeCache.txt")
if [[ "$scope" != personal ]]; then
    echo "SKIP: $build is configured with OSCORE_INSTALL_SCOPE=$scope"
    exit 77
fi

umask 022
home=$(mktemp -d /tmp/oscore-install.XXXXXX)
trap 'rm -rf "$home"' EXIT
chmod 0755 "$home"

env -i PATH="$PATH" HOME="$home" cmake --install "$build" >"$home.log" 2>&1 || {
    cat "$home.log" >&2
    rm -f "$home.log"
    fail "cmake --install failed"
}
cat "$home.log"
rm -f "$home.log"
# Nothing outside HOME, so no root needed (whoever runs this test).
if grep -v "^$home/" "$build/install_manifest.txt"; then
    fail "cmake --install wrote outside HOME (above)"
fi

# tshark run by root ignores personal plugins: ask as uid 65534.
as_user=()
if [[ $(id -u) -eq 0 ]]; then
    as_user=(setpriv --reuid=65534 --regid=65534 --clear-groups)
fi
folders=$(env -i PATH="$PATH" HOME="$home" "${as_user[@]}" tshark -G folders)
personal=$(printf '%s\n' "$folders" |
    sed -n 's/^Personal Plugins:[[:space:]]*//p')
[[ -n "$personal" ]] || fail "tshark -G folders shows no Personal Plugins"
installed="$personal/epan/oscore_layers.so"
[[ -f "$installed" ]] || fail "nothing installed at $installed"
cmp "$build/plugin/oscore_layers.so" "$installed" ||
    fail "$installed differs from the built plugin"
[[ $(find "$home" -type f | wc -l) -eq 1 ]] ||
    fail "more than the plugin installed: $(find "$home" -type f)"

env -i PATH="$PATH" HOME="$home" "${as_user[@]}" tshark -G plugins |
    grep -F "$installed" ||
    fail "tshark -G plugins does not list $installed"
