#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Usage: scripts/check-vectors-match.sh COPIES_DIR ORIGINALS_DIR
#
# The test vectors in the repository (COPIES_DIR, tests/vectors) are copies
# of the specification's ground-truth vectors (ORIGINALS_DIR, by default
# ../shared/spec/vectors beside the checkout). Each *.json file must be
# byte for byte the same in both directories, and neither may have a
# vector file the other lacks; every difference is named.
#
# Exit status: 0 all equal, 1 a difference, 2 bad usage, 77 ORIGINALS_DIR
# does not exist (nothing to compare with; ctest reports the test as
# skipped through SKIP_RETURN_CODE). Run as the ctest vectors.match_shared.
set -euo pipefail

if (($# != 2)); then
    echo "usage: $0 COPIES_DIR ORIGINALS_DIR" >&2
    exit 2
fi
copies=$1 originals=$2

if [[ ! -d "$copies" ]]; then
    echo "check-vectors-match: copies directory '$copies' not found" >&2
    exit 2
fi
if [[ ! -d "$originals" ]]; then
    echo "check-vectors-match: SKIPPED: '$originals' does not exist, so the" \
        "repository's vectors in '$copies' were not compared with the originals"
    exit 77
fi

# Prints the names of the vector files of directory $1, one a line, sorted.
vector_files() {
    find "$1" -maxdepth 1 -type f -name '*.json' -printf '%f\n' | LC_ALL=C sort
}

failures=0 compared=0
while IFS= read -r name; do
    if [[ ! -f "$originals/$name" ]]; then
        echo "FAIL: $name is in '$copies' but not in '$originals'"
        failures=$((failures + 1))
    elif ! cmp -s "$copies/$name" "$originals/$name"; then
        echo "FAIL: $name differs from the original:" \
            "$(cmp "$copies/$name" "$originals/$name" 2>&1 || true)"
        failures=$((failures + 1))
    else
        compared=$((compared + 1))
    fi
done < <(vector_files "$copies")
while IFS= read -r name; do
    if [[ ! -f "$copies/$name" ]]; then
        echo "FAIL: $name is in '$originals' but has no copy in '$copies'"
        failures=$((failures + 1))
    fi
done < <(vector_files "$originals")

if ((compared == 0 && failures == 0)); then
    echo "FAIL: no vector files (*.json) in '$copies'"
    exit 1
fi
if ((failures > 0)); then
    echo "check-vectors-match: $failures difference(s) between '$copies' and '$originals'"
    exit 1
fi
echo "check-vectors-match: $compared vector files in '$copies' equal those in '$originals'"
