#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Usage: scripts/check-format.sh [dir...]   (default: reference-impl plugin)
#
# Fails if any .c or .h file under the given directories (relative to the
# repository root) differs from what clang-format makes of it with the
# repository's .clang-format. Run as the ctest format.clang_format.
# To fix: clang-format -i <file>.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"
if (($# == 0)); then
    set -- reference-impl plugin
fi

files=()
for dir in "$@"; do
    [[ -d "$dir" ]] || continue
    while IFS= read -r -d '' file; do
        files+=("$file")
    done < <(find "$dir" -type f \( -name '*.c' -o -name '*.h' \) -print0 |
        sort -z)
done

if ((${#files[@]} == 0)); then
    echo "check-format: no C files under $*"
    exit 0
fi
# --style=file: use .clang-format from the repository, never a default.
clang-format --style=file --dry-run --Werror "${files[@]}"
echo "check-format: ${#files[@]} files formatted as .clang-format says"
