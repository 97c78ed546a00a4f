#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Runs tshark with the plugin and checks that it exits with the given
# status and that its standard error has a line matching each pattern
# (grep -E), e.g. keys file errors naming the file and line (tshark exits
# 0 there: a bad keys file is reported, the capture is still dissected).
# Usage: check_stderr.sh <build-dir> <exit-status> <pattern>... -- [tshark args...]
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
build=$1 want_status=$2
shift 2
patterns=()
while (($# > 0)) && [[ "$1" != -- ]]; do
    patterns+=("$1")
    shift
done
shift # the --
got_status=0
err=$("$here/../scripts/tshark-with-plugin.sh" "$build" "$@" 2>&1 >/dev/null) ||
    got_status=$?
status=0
if ((got_status != want_status)); then
    echo "FAIL: tshark exited with status $got_status, expected $want_status" >&2
    status=1
fi
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
