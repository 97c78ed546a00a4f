#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Usage: configure_in_temp.sh SOURCE_DIR [CMAKE_ARG...]
#
# Configures the project in a fresh temporary build directory (removed
# afterwards) and exits with cmake's status: the harness tests check that
# some configurations are refused.
set -euo pipefail
source=$1
shift
work=$(mktemp -d /tmp/oscore-configure.XXXXXX)
trap 'rm -rf "$work"' EXIT
cmake -S "$source" -B "$work" "$@"
