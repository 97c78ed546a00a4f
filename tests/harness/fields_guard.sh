#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Usage: fields_guard.sh BUILD_DIR MODE
#
# tests/check_fields.sh must pass on README.md as it is, and fail on a
# copy that (MODE missing) lacks the row of oscore_layers.layer.nonce, or
# (MODE extra) lists a field the plugin does not register.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
build=$1 mode=$2
check="$repo/tests/check_fields.sh"
work=$(mktemp -d /tmp/oscore-fields.XXXXXX)
trap 'rm -rf "$work"' EXIT

bash "$check" "$build" "$repo/README.md" >/dev/null
# The backquotes in the patterns below are README's, not substitutions.
# shellcheck disable=SC2016
case "$mode" in
missing)
    grep -v '^| `oscore_layers\.layer\.nonce` |' "$repo/README.md" \
        >"$work/README.md"
    "$here/must-fail.sh" \
        'field oscore_layers.layer.nonce is registered, but .* does not list it' \
        -- bash "$check" "$build" "$work/README.md"
    ;;
extra)
    sed 's/^| `oscore_layers\.layer\.nonce` |.*/&\n| `oscore_layers.layer.tea` | bytes | Not a field |/' \
        "$repo/README.md" >"$work/README.md"
    "$here/must-fail.sh" \
        'lists oscore_layers.layer.tea, which the plugin does not register' \
        -- bash "$check" "$build" "$work/README.md"
    ;;
*)
    echo "$0: unknown mode $mode" >&2
    exit 2
    ;;
esac
