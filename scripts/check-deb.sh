#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Usage: scripts/check-deb.sh <build-dir>
#
# Builds the Debian package of <build-dir> (cpack -G DEB) and installs it,
# the way a user would (apt-get install ./FILE.deb, which fetches tshark and
# the libraries from the mirror), into a throw-away copy of the pristine
# base chroot of this Debian release (scripts/chroot.sh copy-base). Then,
# as uid 65534 (tshark run by root ignores plugins):
#   - `tshark -G plugins` lists the plugin from Wireshark's system folder;
#   - a corpus capture (pcaps/example-5.3-cs-cp-ps.pcapng with its keys
#     file) decrypts: some oscore_layers fields equal the reviewed corpus
#     output (tests/corpus/expected), and every layer is "decrypted".
# Also checks the package itself: its file name, payload, stripped plugin
# and Depends pin. The copy is removed at the end, whatever happens.
#
# Exits 77 (ctest: skipped) when it cannot run here: not root, debootstrap
# missing, or the mirror unreachable (e.g. in an `unshare -n` namespace).
#
# Environment:
#   OSCORE_DEB_TEST_RELEASE  the chroot release (default: this system's,
#                            from /etc/os-release)
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
capture=example-5.3-cs-cp-ps

skip() {
    echo "SKIP: $*"
    exit 77
}
fail() {
    echo "FAIL: $*" >&2
    exit 1
}

(($# == 1)) || {
    echo "usage: $0 <build-dir>" >&2
    exit 2
}
build=$(cd "$1" && pwd)
[[ -f "$build/CPackConfig.cmake" ]] ||
    fail "$build/CPackConfig.cmake missing (no Debian package configured)"
[[ $(id -u) -eq 0 ]] ||
    skip "needs root (debootstrap, chroot): the .deb is not test-installed"
command -v debootstrap >/dev/null ||
    skip "debootstrap is missing (apt-get install debootstrap)"

release=${OSCORE_DEB_TEST_RELEASE:-}
if [[ -z "$release" ]]; then
    # shellcheck source=/dev/null
    release=$(. /etc/os-release && printf '%s\n' "${VERSION_CODENAME:-}")
    grep -q sid /etc/debian_version 2>/dev/null && release=sid
fi
case "$release" in
bookworm | trixie | sid) ;;
*) skip "no base chroot for release '$release' (bookworm, trixie, sid)" ;;
esac

work=$(mktemp -d /var/tmp/oscore-check-deb.XXXXXX)
cleanup() { rm -rf "$work"; }
trap cleanup EXIT
start=$SECONDS

# ---- the package ----
series=$(sed -n 's/^OSCORE_WIRESHARK_SERIES:INTERNAL=//p' "$build/CMakeCache.txt")
[[ -n "$series" ]] || fail "no OSCORE_WIRESHARK_SERIES in $build/CMakeCache.txt"
cpack_bin="$(dirname "$(command -v cmake)")/cpack"
(cd "$build" && "$cpack_bin" -G DEB -B "$work/pkg") >"$work/cpack.log" 2>&1 || {
    cat "$work/cpack.log" >&2
    fail "cpack -G DEB failed"
}
debs=("$work"/pkg/*.deb)
if ((${#debs[@]} != 1)) || [[ ! -f "${debs[0]}" ]]; then
    fail "cpack made no single .deb"
fi
deb=${debs[0]}
name=$(basename "$deb")
[[ "$name" == oscore-layers_*_wireshark"$series"_*.deb ]] ||
    fail "file name $name does not name Wireshark $series"
echo "package: $name"

dpkg-deb -f "$deb" Depends | tee "$work/depends"
libws=$(sed -n 's/^OSCORE_DEB_WIRESHARK_PACKAGE:STRING=//p' "$build/CMakeCache.txt")
next="${series%%.*}.$((${series#*.} + 1))~"
grep -qF "$libws (>= $series.0), $libws (<< $next)" "$work/depends" ||
    fail "Depends does not pin $libws to the $series series"
# The pin must be the only bound on libwireshark: no looser range beside it.
[[ $(grep -o "$libws ([^)]*)" "$work/depends" | wc -l) -eq 2 ]] ||
    fail "Depends names $libws more than twice"

dpkg-deb -c "$deb" | awk '$1 !~ /^d/ { print $6 }' | sort >"$work/payload"
multiarch=$(dpkg-architecture -qDEB_HOST_MULTIARCH)
plugin_path="./usr/lib/$multiarch/wireshark/plugins/$series/epan/oscore_layers.so"
printf '%s\n' "$plugin_path" ./usr/share/doc/oscore-layers/README.md \
    ./usr/share/doc/oscore-layers/copyright | sort >"$work/payload.expected"
diff -u "$work/payload.expected" "$work/payload" || fail "unexpected payload"
dpkg-deb -x "$deb" "$work/x"
file "$work/x/$plugin_path" | grep -q ', stripped' || fail "plugin not stripped"

# ---- install into a copy of the base system ----
root="$work/root"
bash "$repo/scripts/chroot.sh" copy-base "$release" "$root"
# apt fetches from the mirror in sources.list: without a route to it
# (no network namespace of its own) the test cannot run.
url=$(awk '$1 == "deb" { print $2; exit }' "$root/etc/apt/sources.list")
hostport=${url#*://}
hostport=${hostport%%/*}
port=80
[[ "$url" == https:* ]] && port=443
[[ "$hostport" == *:* ]] && port=${hostport##*:}
timeout 20 bash -c "exec 3<>/dev/tcp/${hostport%%:*}/$port" 2>/dev/null ||
    skip "mirror $url unreachable (no network here?)"

cp "$deb" "$root/tmp/$name"
mkdir -p "$root/tmp/check/home"
cp "$repo/pcaps/$capture.pcapng" "$repo/keys/$capture.keys" "$root/tmp/check/"
chmod -R a+rX "$root/tmp/check"
chown 65534:65534 "$root/tmp/check/home"
in_root() { bash "$repo/scripts/chroot.sh" in "$root" "$@"; }
# shellcheck disable=SC2016 # $1 is expanded by the chroot's sh
in_root sh -c '
    echo "wireshark-common wireshark-common/install-setuid boolean false" |
        debconf-set-selections &&
    apt-get -q update &&
    apt-get -q install -y "/tmp/$1"' sh "$name" >"$work/apt.log" 2>&1 || {
    tail -n 40 "$work/apt.log" >&2
    fail "apt-get install ./$name failed"
}
# shellcheck disable=SC2016 # dpkg-query's own ${Field} syntax
echo "installed: $(in_root dpkg-query -W -f='${Package} ${Version}, tshark ' \
    oscore-layers)$(in_root dpkg-query -W -f='${Version}' tshark)"

as_nobody() {
    in_root setpriv --reuid=65534 --regid=65534 --clear-groups \
        env HOME=/tmp/check/home "$@"
}
as_nobody tshark -G plugins >"$work/plugins"
grep -F "oscore_layers.so" "$work/plugins" || {
    cat "$work/plugins" >&2
    fail "tshark -G plugins does not list oscore_layers.so"
}
grep -qF "${plugin_path#.}" "$work/plugins" ||
    fail "the plugin is not loaded from ${plugin_path#.}"

# ---- decrypt a corpus capture ----
fields=(frame.number oscore_layers.count oscore_layers.layer.context
    oscore_layers.layer.status oscore_layers.inner.code
    oscore_layers.inner.payload)
field_args=()
for f in "${fields[@]}"; do
    field_args+=(-e "$f")
done
as_nobody tshark -r "/tmp/check/$capture.pcapng" \
    -o "oscore_layers.keys_file:/tmp/check/$capture.keys" -Y coap \
    -T fields -E header=y -E occurrence=a -E aggregator=, "${field_args[@]}" \
    >"$work/fields.tsv"
# The same columns of the reviewed corpus output, picked by header name.
awk -F'\t' -v want="${fields[*]}" '
    NR == 1 { n = split(want, w, " ")
              for (i = 1; i <= NF; i++) col[$i] = i
              for (j = 1; j <= n; j++) if (!(w[j] in col)) exit 1 }
    { line = ""
      for (j = 1; j <= n; j++) line = line (j > 1 ? "\t" : "") $col[w[j]]
      print line }' "$repo/tests/corpus/expected/$capture.fields.tsv" \
    >"$work/expected.tsv"
diff -u "$work/expected.tsv" "$work/fields.tsv" ||
    fail "decrypted fields differ from tests/corpus/expected/$capture.fields.tsv"
awk -F'\t' 'NR > 1 && $4 !~ /^decrypted(,decrypted)*$/ { bad = 1 }
    END { exit bad || NR < 2 }' "$work/fields.tsv" ||
    fail "not every layer is decrypted"
echo "ok: $(($(wc -l <"$work/fields.tsv") - 1)) frames decrypted by the" \
    "installed package ($((SECONDS - start)) s)"
