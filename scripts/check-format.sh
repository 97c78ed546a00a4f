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
