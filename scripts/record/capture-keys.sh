#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Usage: scripts/record/capture-keys.sh SCENARIO
#
# Prints the keys file that belongs next to the scenario's capture
# (keys/NAME.keys): the keys file the scenario's endpoints use (its "keys"
# line, relative to the scenario), without the contexts its
# "omit_from_capture_keys" line names (a capture analysed with a context
# missing). An entry GROUP:member.ID leaves out one member of a Group
# OSCORE context instead: its credential and private key lines. Used by scripts/record-corpus.sh to write keys/NAME.keys and
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
# to the next group) and the member lines named GROUP:member.ID.
awk -v omit="$omit" '
    BEGIN {
        count = split(omit, names, /[[:space:]]+/)
        for (i = 1; i <= count; i++) {
            if (names[i] == "")
                continue
            colon = index(names[i], ":")
            if (colon)
                members[substr(names[i], 1, colon - 1), substr(names[i], colon + 1)] = 1
            else
                omitted[names[i]] = 1
        }
    }
    /^[[:space:]]*\[/ {
        name = $0
        sub(/^[[:space:]]*\[/, "", name)
        sub(/\].*/, "", name)
        skip = name in omitted
    }
    {
        key = $0
        sub(/[[:space:]]*=.*/, "", key)
        sub(/^[[:space:]]*/, "", key)
        member = key
        sub(/\.private_key$/, "", member)
        if ((name, member) in members)
            next
    }
    !skip { print }
' "$keys"
