#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Usage: scripts/record/capture-keys.sh SCENARIO
#
# Prints the keys file that belongs next to the scenario's capture
# (keys/NAME.keys): the keys file the scenario's endpoints use (its "keys"
# line, relative to the scenario), without the contexts its
# "omit_from_capture_keys" line names (a capture analysed with a context
# missing). Used by scripts/record-corpus.sh to write keys/NAME.keys and
# by tests/corpus/check-recording.sh to check it.
set -euo pipefail

if (($# != 1)); then
    echo "usage: $0 SCENARIO" >&2
    exit 2
fi
scenario=$1
keys_line=$(sed -n 's/^keys[[:space:]]\{1,\}\([^#[:space:]]*\).*/\1/p' "$scenario")
if [[ -z "$keys_line" ]]; then
    echo "capture-keys: $scenario has no keys line" >&2
    exit 1
fi
keys=$(cd "$(dirname "$scenario")" && realpath -e "$keys_line")
omit=$(sed -n 's/^omit_from_capture_keys[[:space:]]\{1,\}\([^#]*\).*/\1/p' \
    "$scenario")

# Every line, except the groups named in $omit (from their "[name]" line
# to the next group).
awk -v omit="$omit" '
    BEGIN {
        count = split(omit, names, /[[:space:]]+/)
        for (i = 1; i <= count; i++)
            if (names[i] != "")
                omitted[names[i]] = 1
    }
    /^[[:space:]]*\[/ {
        name = $0
        sub(/^[[:space:]]*\[/, "", name)
        sub(/\].*/, "", name)
        skip = name in omitted
    }
    !skip { print }
' "$keys"
