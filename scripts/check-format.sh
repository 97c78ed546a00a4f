#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Usage: scripts/check-format.sh [dir-or-file...]
#
# Fails if any .c or .h file differs from what clang-format makes of it
# with the repository's .clang-format. Without arguments: every C file of
# the project (git ls-files in a git checkout; otherwise every .c/.h file
# outside build directories). Relative arguments are taken from the
# repository root. Run as the ctest format.clang_format.
# To fix: clang-format -i <file>.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"

# The style is what clang-format 14 (Debian 12) makes of .clang-format;
# later versions format some constructs differently with the same file, so
# their verdict would be about the tool, not the code. Exit status 77 makes
# ctest report the test as skipped.
supported_major=14
major=$(clang-format --version 2>/dev/null |
    sed -n 's/.*clang-format version \([0-9]*\)\..*/\1/p')
if [[ "$major" != "$supported_major" ]]; then
    echo "check-format: skipped: the style is checked with clang-format" \
        "$supported_major, this is ${major:-not installed}" >&2
    exit 77
fi

files=()
if (($# > 0)); then
    for path in "$@"; do
        if [[ ! -e "$path" ]]; then
            echo "check-format: $path does not exist" >&2
            exit 1
        fi
        while IFS= read -r -d '' file; do
            files+=("$file")
        done < <(find "$path" -type f \( -name '*.c' -o -name '*.h' \) \
            -print0 | sort -z)
    done
elif git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    mapfile -d '' files < <(git ls-files -z -- '*.c' '*.h')
else
    # A directory holding CMakeCache.txt is a build tree, not source.
    prune=(-name .git)
    while IFS= read -r build; do
        prune+=(-o -path "$build")
    done < <(find . -name CMakeCache.txt -printf '%h\n')
    while IFS= read -r -d '' file; do
        files+=("$file")
    done < <(find . \( "${prune[@]}" \) -prune -o -type f \
        \( -name '*.c' -o -name '*.h' \) -print0 | sort -z)
fi

if ((${#files[@]} == 0)); then
    echo "check-format: no C files in ${*:-the repository}" >&2
    exit 1
fi
# The repository's style file by path, also for files outside the
# repository (the harness test checks a temporary file); never a default.
clang-format --style="file:$repo/.clang-format" --dry-run --Werror \
    "${files[@]}"
echo "check-format: ${#files[@]} files formatted as .clang-format says"
