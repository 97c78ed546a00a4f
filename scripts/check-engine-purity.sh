#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Usage: scripts/check-engine-purity.sh [dir...]   (default: reference-impl/src
#        and reference-impl/include)
#
# The engine must build with libgcrypt alone, so no file under the given
# directories (relative to the repository root) may include a Wireshark
# (epan, wsutil, wiretap) or GLib header. Run as the ctest
# engine.no_wireshark_or_glib_includes.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"
if (($# == 0)); then
    set -- reference-impl/src reference-impl/include
fi

# Quoted includes too: "#include "epan/..."" would defeat the purpose just
# as well as the angle-bracket form.
pattern='^[[:space:]]*#[[:space:]]*include[[:space:]]*[<"](epan|glib|wsutil|wiretap)'
if grep -rnE "$pattern" "$@"; then
    echo "check-engine-purity: the lines above include Wireshark or GLib headers" >&2
    exit 1
fi
echo "check-engine-purity: no Wireshark or GLib include under $*"
