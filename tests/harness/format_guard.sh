#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Usage: format_guard.sh
#
# scripts/check-format.sh must pass on a C file formatted as .clang-format
# says and fail on the same code formatted otherwise.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
check="$here/../../scripts/check-format.sh"
work=$(mktemp -d /tmp/oscore-format.XXXXXX)
trap 'rm -rf "$work"' EXIT

mkdir "$work/good" "$work/bad"
printf 'int answer(void)\n{\n    return 42;\n}\n' >"$work/good/answer.c"
printf 'int  answer( void ) { return 42; }\n' >"$work/bad/answer.c"
bash "$check" "$work/good"
"$here/must-fail.sh" 'code should be clang-formatted' -- \
    bash "$check" "$work/bad"
