#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Runs tshark with the plugin and checks that its standard error has a
# line matching each pattern (grep -E), e.g. keys file errors naming the
# file and line.
# Usage: check_stderr.sh <build-dir> <pattern>... -- [tshark args...]
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
build=$1
shift
patterns=()
while (($# > 0)) && [[ "$1" != -- ]]; do
    patterns+=("$1")
    shift
done
shift # the --
err=$("$here/../scripts/tshark-with-plugin.sh" "$build" "$@" 2>&1 >/dev/null || true)
status=0
for p in "${patterns[@]}"; do
    if ! grep -Eq -- "$p" <<<"$err"; then
        echo "FAIL: no line of stderr matches /$p/" >&2
        status=1
    fi
done
if ((status)); then
    echo "stderr was:" >&2
    echo "$err" >&2
fi
exit $status
