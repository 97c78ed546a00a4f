#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Writes DIR/tshark, a launcher that puts the assignments of OL_FUZZ_ENV
# (space-separated VAR=value) into tshark's environment and runs it; the
# fuzz scripts hand it to scripts/tshark-with-plugin.sh as $TSHARK, so
# that the variables (LD_PRELOAD of the sanitizer runtimes...) reach
# tshark only, not the wrapper's shell, cp or setpriv.
#
# Usage: make_launcher.sh DIR [LEAK_DIR]
# DIR must be reachable by the unprivileged user tshark runs as (the
# callers use a directory under /tmp); preloaded files that are not under
# /usr or /lib are copied into it for the same reason.
# With LEAK_DIR, runs named by OL_FUZZ_RUN (except "tshark --version")
# get LeakSanitizer on, with reports in LEAK_DIR/$OL_FUZZ_RUN.<pid>,
# exact stacks through GLib (slow unwinder), and exit status 23 when
# there are only reports.
set -euo pipefail
dir=$1 leak_dir=${2:-}
real_tshark=$(command -v "${TSHARK:-tshark}")
{
    echo '#!/bin/sh'
    for assignment in ${OL_FUZZ_ENV:-}; do
        if [[ "$assignment" == LD_PRELOAD=* ]]; then
            libs=()
            IFS=: read -r -a preload <<<"${assignment#LD_PRELOAD=}"
            for lib in "${preload[@]}"; do
                case "$lib" in
                /usr/* | /lib/*) ;;
                *)
                    cp "$lib" "$dir/"
                    chmod 0644 "$dir/$(basename "$lib")"
                    lib="$dir/$(basename "$lib")"
                    ;;
                esac
                libs+=("$lib")
            done
            assignment="LD_PRELOAD=$(
                IFS=:
                echo "${libs[*]}"
            )"
        fi
        printf 'export %q\n' "$assignment"
    done
    if [[ -n "$leak_dir" ]]; then
        # shellcheck disable=SC2016 # expanded by the launcher, not here
        printf 'if [ -n "$OL_FUZZ_RUN" ] && [ "$1" != --version ]; then\n'
        # shellcheck disable=SC2016
        printf 'export ASAN_OPTIONS="$ASAN_OPTIONS:detect_leaks=1:'
        printf 'fast_unwind_on_malloc=0:exitcode=23:'
        # shellcheck disable=SC2016
        printf 'log_path=%s/$OL_FUZZ_RUN"\nfi\n' "$leak_dir"
    fi
    printf 'exec %q "$@"\n' "$real_tshark"
} >"$dir/tshark"
chmod 0755 "$dir/tshark"
