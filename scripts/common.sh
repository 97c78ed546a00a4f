# shellcheck shell=bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Shared by scripts/test.sh, scripts/demo.sh and scripts/tshark-with-plugin.sh.
# Sourced, never run. Sets:
#   OSCORE_REPO         absolute path of the repository
#   OSCORE_BUILD        build directory (env OSCORE_BUILD_DIR, default build)
#   OSCORE_VECTORS      the test vectors, <repo>/tests/vectors
#   OSCORE_SHARED       the shared directory whose spec/vectors hold the
#                       originals of those vectors (env OSCORE_SHARED_DIR,
#                       default <repo>/../shared); only the ctest
#                       vectors.match_shared reads it

OSCORE_REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

# Absolute paths, so that nothing depends on the directory the user ran the
# command from, and the CMake cache never holds a relative path.
oscore_abspath() {
    case "$1" in
    /*) printf '%s\n' "$1" ;;
    *) printf '%s\n' "$OSCORE_REPO/$1" ;;
    esac
}

OSCORE_BUILD=$(oscore_abspath "${OSCORE_BUILD_DIR:-build}")
OSCORE_VECTORS="$OSCORE_REPO/tests/vectors"
OSCORE_SHARED=$(oscore_abspath "${OSCORE_SHARED_DIR:-../shared}")

# Configures and builds everything (engine, plugin, tests, tools) in
# $OSCORE_BUILD. The originals' directory is passed every time so that a
# change of OSCORE_SHARED_DIR reaches an existing build directory's cache.
oscore_configure_and_build() {
    # OSCORE_SANITIZE_PLUGIN: also build the plugin with ASan/UBSan and run
    # the fuzz tests through it (tests/fuzz). OSCORE_LIBFUZZER (env, default
    # AUTO): the libFuzzer harnesses, built when clang can link them.
    cmake -S "$OSCORE_REPO" -B "$OSCORE_BUILD" \
        -DCMAKE_BUILD_TYPE=RelWithDebInfo \
        -DOSCORE_SANITIZE_PLUGIN=ON \
        -DOSCORE_LIBFUZZER="${OSCORE_LIBFUZZER:-AUTO}" \
        -DOSCORE_SHARED_VECTORS_DIR="$OSCORE_SHARED/spec/vectors" || return 1
    cmake --build "$OSCORE_BUILD" -j"$(nproc)" || return 1
}

# Prints the path of the built Wireshark plugin under build dir $1, or
# nothing if the plugin has not been built (yet). The plugin target is a
# MODULE library without the "lib" prefix, so its file is <name>.so.
oscore_find_plugin() {
    local dir="$1/plugin"
    [[ -d "$dir" ]] || return 0
    if [[ -f "$dir/oscore_layers.so" ]]; then
        printf '%s\n' "$dir/oscore_layers.so"
        return 0
    fi
    find "$dir" -maxdepth 2 -type f -name '*.so' -print -quit
}
