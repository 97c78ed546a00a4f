#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Usage: scripts/bless-expected.sh TEST... | --all
#
# Regenerates the expected files of the named ctest tests (for example
# corpus.capture.failure-replay, plugin.tshark.gen-echo, or only the part
# after the last dot when that is unique), prints the diff of every file it
# changes and writes the new version: the one way to accept new expected
# output. The tests themselves only compare (tests/expected.sh) and fail
# when OSCORE_UPDATE_EXPECTED is set. Read every diff; commit with git.
#
# Runs exactly the command line of each test (bless/NAME.args in the build
# tree, written by CMake), so build first (scripts/test.sh, or cmake).
# Environment: OSCORE_BUILD_DIR (default build).
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

manifests="$OSCORE_BUILD/bless"
if (($# == 0)); then
    echo "usage: $0 TEST... | --all" >&2
    exit 2
fi
if [[ ! -d "$manifests" ]]; then
    echo "bless-expected: no $manifests: configure and build first" \
        "(scripts/test.sh or cmake)" >&2
    exit 1
fi

# Prints the .args file of test $1: by full name, or by unique suffix.
find_manifest() {
    local name=$1 matches
    if [[ -f "$manifests/$name.args" ]]; then
        printf '%s\n' "$manifests/$name.args"
        return 0
    fi
    mapfile -t matches < <(find "$manifests" -name "*.$name.args" | sort)
    if ((${#matches[@]} == 1)); then
        printf '%s\n' "${matches[0]}"
        return 0
    fi
    if ((${#matches[@]} == 0)); then
        echo "bless-expected: no test $name compares expected files" >&2
    else
        echo "bless-expected: $name is ambiguous:" \
            "$(basename -a -s .args "${matches[@]}" | tr '\n' ' ')" >&2
    fi
    return 1
}

if [[ "$1" == --all ]]; then
    mapfile -t selected < <(find "$manifests" -name '*.args' | sort)
else
    selected=()
    for name in "$@"; do
        manifest=$(find_manifest "$name") || exit 1
        selected+=("$manifest")
    done
fi

# The plugin tests read captures generated into the build tree.
ctest --test-dir "$OSCORE_BUILD" -R '^plugin\.captures$' --output-on-failure \
    >/dev/null

work=$(mktemp -d /tmp/oscore-bless.XXXXXX)
trap 'rm -rf "$work"' EXIT
failed=0
changed=0
for manifest in "${selected[@]}"; do
    test_name=$(basename "$manifest" .args)
    mapfile -t command <"$manifest"
    out="$work/$test_name"
    mkdir -p "$out"
    if ! bash "${command[0]}" --output-dir "$out" "${command[@]:1}"; then
        echo "bless-expected: $test_name: its command failed, nothing" \
            "written" >&2
        failed=1
        continue
    fi
    while IFS=$'\t' read -r expected output; do
        if [[ -f "$expected" ]] && cmp -s "$expected" "$output"; then
            continue
        fi
        shown=${expected#"$OSCORE_REPO"/}
        echo "=== $test_name: accepting this change of $shown"
        old=$expected
        [[ -f "$old" ]] || old=/dev/null
        diff -u --label "$shown (old)" --label "$shown (new)" "$old" \
            "$output" || true
        cp "$output" "$expected"
        changed=$((changed + 1))
    done <"$out/manifest"
done
echo "bless-expected: ${#selected[@]} tests run, $changed expected files" \
    "rewritten (review: git diff)"
exit "$failed"
