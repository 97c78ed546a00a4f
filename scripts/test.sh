#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The test command: installs missing Debian packages (as root) or says which
# are missing, builds everything, runs every test with ctest and exits with
# ctest's status. Extra arguments go to ctest, e.g. `scripts/test.sh -R engine`.
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
# shellcheck source-path=SCRIPTDIR source=deps.sh
source "$OSCORE_REPO/scripts/deps.sh"

oscore_ensure_deps
oscore_configure_and_build

# --no-tests=error: a build that registered no tests must not count as a pass.
# Tests run in parallel, one per core (they use distinct 127.0.0.x
# addresses and temporary directories); CTEST_PARALLEL_LEVEL overrides.
status=0
ctest --test-dir "$OSCORE_BUILD" --output-on-failure --no-tests=error \
    --parallel "${CTEST_PARALLEL_LEVEL:-$(nproc)}" "$@" || status=$?
exit "$status"
