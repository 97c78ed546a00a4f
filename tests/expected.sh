# shellcheck shell=bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Comparison with reviewed expected files, shared by run_case.sh,
# corpus/run-capture.sh and check_stats.sh. Sourced, never run.
#
# A test compares; it never writes an expected file. Blessing new expected
# files is scripts/bless-expected.sh, which runs a test script with
# "--output-dir DIR" as its first argument: then expected_check copies each
# output into DIR and lists it in DIR/manifest instead of comparing, and
# the bless script shows the diff it accepts. ctest never passes that
# argument, so no test can pass by overwriting its own expected file.

if [[ -n "${OSCORE_UPDATE_EXPECTED:-}" ]]; then
    echo "FAIL: OSCORE_UPDATE_EXPECTED is set, but tests never rewrite" \
        "expected files; bless new ones with scripts/bless-expected.sh" \
        "NAME (it prints the diff it accepts)" >&2
    exit 1
fi

# Set by expected_parse_args: the directory outputs are collected in (bless
# mode), or empty (compare mode); and how many arguments it consumed.
expected_output_dir=""
# shellcheck disable=SC2034 # used by the scripts that source this file
expected_shift=0

# Call as: expected_parse_args "$@"; shift "$expected_shift"
# shellcheck disable=SC2034 # expected_shift is for the caller
expected_parse_args() {
    if [[ "${1:-}" == --output-dir ]]; then
        expected_output_dir=$2
        expected_shift=2
        : >>"$expected_output_dir/manifest"
    fi
}

# expected_check OUTPUT EXPECTED LABEL: in compare mode, 0 if OUTPUT equals
# EXPECTED, else prints the diff and a FAIL line naming LABEL and returns 1.
# In bless mode, collects OUTPUT for EXPECTED and returns 0.
expected_check() {
    local output=$1 expected=$2 label=$3
    if [[ -n "$expected_output_dir" ]]; then
        local count
        count=$(wc -l <"$expected_output_dir/manifest")
        cp "$output" "$expected_output_dir/output-$count"
        printf '%s\t%s\n' "$expected" "$expected_output_dir/output-$count" \
            >>"$expected_output_dir/manifest"
        return 0
    fi
    if [[ ! -f "$expected" ]]; then
        echo "FAIL: $label: expected file $expected is missing" >&2
        return 1
    fi
    if ! diff -u "$expected" "$output"; then
        echo "FAIL: $label differs from $expected" >&2
        return 1
    fi
}
