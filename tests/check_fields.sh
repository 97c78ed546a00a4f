#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The field names are a contract (users' filters and these tests rely on
# them), and README.md documents it: every field the tables of its
# sections "Fields" and "Expert infos" list (a table cell holding only
# `oscore_layers...`) must be registered by the built plugin, as
# `tshark -G fields` lists them, and every registered oscore_layers field
# must be listed there. So the documentation and the fields cannot drift.
# Usage: check_fields.sh <build-dir> [README]   (default: the repository's)
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
build=$1
readme=${2:-$here/../README.md}

# The first column of each table row in the two sections.
documented=$(awk '
    /^## / { in_fields = ($0 == "## Fields" || $0 == "## Expert infos") }
    in_fields && /^\|/ {
        count = split($0, cells, "|")
        for (i = 2; i < count; i++) {
            cell = cells[i]
            gsub(/^[[:space:]]+|[[:space:]]+$/, "", cell)
            if (cell ~ /^`oscore_layers[a-z0-9_.]*`$/)
                print substr(cell, 2, length(cell) - 2)
        }
    }
' "$readme" | sort -u)
registered=$("$here/../scripts/tshark-with-plugin.sh" "$build" -G fields |
    awk -F'\t' '($1 == "P" || $1 == "F") && $3 ~ /^oscore_layers(\.|$)/ {
        print $3 }' | sort -u)

if [[ -z "$documented" ]]; then
    echo "FAIL: no oscore_layers field found in the tables of $readme" >&2
    exit 1
fi
if [[ -z "$registered" ]]; then
    echo "FAIL: tshark lists no oscore_layers field (plugin not loaded?)" >&2
    exit 1
fi
status=0
while IFS= read -r field; do
    echo "FAIL: $readme lists $field, which the plugin does not register" >&2
    status=1
done < <(comm -23 <(echo "$documented") <(echo "$registered"))
while IFS= read -r field; do
    echo "FAIL: field $field is registered, but $readme does not list it" >&2
    status=1
done < <(comm -13 <(echo "$documented") <(echo "$registered"))
echo "$(wc -l <<<"$registered") oscore_layers fields registered," \
    "$(wc -l <<<"$documented") listed in $readme"
exit $status
