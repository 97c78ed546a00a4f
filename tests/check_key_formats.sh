#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Key sources in other formats (keys/README.md; issue 13), through tshark
# with the plugin.
#
# Usage:
#   check_key_formats.sh BUILD same PCAP KEYS SOURCE [SOURCE...]
#       tshark on PCAP with our keys file KEYS, then with SOURCE as
#       oscore_layers.keys_file and every further SOURCE as a row of the
#       "Key sources" table (oscore_layers_key_sources): the -T fields
#       output must be the same (context names included), with layers
#       decrypted, and the second run must print no warning.
#   check_key_formats.sh BUILD errors PCAP SOURCE PATTERN... [-- CONTEXT...]
#       tshark on PCAP with SOURCE as the keys file: standard error must
#       have a line matching each PATTERN (grep -E) and tshark exit 0; each
#       CONTEXT (a context that still loads) must decrypt a layer.
# Every path is relative to the repository root. The key sources are
# copied, with the repository's layout, into a world-readable temporary
# directory and tshark runs there: tshark runs as an unprivileged user
# (scripts/tshark-with-plugin.sh), and a directory or an aiocoap
# credentials file with relative paths cannot be staged file by file.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/.." && pwd)
build=$(cd "$1" && pwd)
mode=$2 pcap=$3
shift 3
wrapper="$repo/scripts/tshark-with-plugin.sh"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
chmod 0755 "$tmp"
for tree in keys tests/data/key-formats pcaps; do
    mkdir -p "$tmp/$(dirname "$tree")"
    cp -r "$repo/$tree" "$tmp/$tree"
done
chmod -R a+rX "$tmp"
cd "$tmp"

fields=(frame.number oscore_layers.count oscore_layers.removed
    oscore_layers.request_frame oscore_layers.layer.context
    oscore_layers.layer.kid oscore_layers.layer.kid_context
    oscore_layers.layer.piv oscore_layers.layer.alg
    oscore_layers.layer.status oscore_layers.layer.plaintext
    oscore_layers.inner.code oscore_layers.inner.payload oscore_layers.info)
field_args=()
for f in "${fields[@]}"; do
    field_args+=(-e "$f")
done

# run OUT ERR tshark-args...: the fields of every CoAP frame.
run() {
    local out=$1 err=$2
    shift 2
    "$wrapper" "$build" -r "$pcap" -Y coap -T fields -E header=y \
        -E occurrence=a -E aggregator=, "${field_args[@]}" "$@" \
        >"$out" 2>"$err"
}

# The -o arguments for SOURCE [SOURCE...].
source_args() {
    local args=(-o "oscore_layers.keys_file:$1")
    shift
    for s in "$@"; do
        args+=(-o "uat:oscore_layers_key_sources:\"$s\"")
    done
    printf '%s\n' "${args[@]}"
}

status=0
case $mode in
same)
    keys=$1
    shift
    run ref.tsv ref.err -o "oscore_layers.keys_file:$keys"
    mapfile -t args < <(source_args "$@")
    run alt.tsv alt.err "${args[@]}"
    decrypted=$(grep -o decrypted ref.tsv | wc -l)
    if ((decrypted == 0)); then
        echo "FAIL: $keys decrypts no layer of $pcap" >&2
        status=1
    fi
    if ! diff -u ref.tsv alt.tsv; then
        echo "FAIL: $* do not decrypt $pcap as $keys does" >&2
        status=1
    fi
    if [[ -s alt.err ]]; then
        echo "FAIL: warnings with $*:" >&2
        cat alt.err >&2
        status=1
    fi
    echo "$pcap: $decrypted layers decrypted with $keys and with $*"
    ;;
errors)
    src=$1
    shift
    patterns=()
    while (($# > 0)) && [[ "$1" != -- ]]; do
        patterns+=("$1")
        shift
    done
    (($# > 0)) && shift
    got=0
    run out.tsv err.txt -o "oscore_layers.keys_file:$src" || got=$?
    if ((got != 0)); then
        echo "FAIL: tshark exited with status $got" >&2
        status=1
    fi
    for p in "${patterns[@]}"; do
        if ! grep -Eq -- "$p" err.txt; then
            echo "FAIL: no line of stderr matches /$p/" >&2
            status=1
        fi
    done
    for ctx in "$@"; do
        # A layer whose context is ctx and whose status is decrypted (the
        # two columns list the layers in the same order).
        if ! awk -F'\t' -v ctx="$ctx" '
            NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
            {
                n = split($col["oscore_layers.layer.context"], c, ",")
                split($col["oscore_layers.layer.status"], s, ",")
                for (i = 1; i <= n; i++)
                    if (c[i] == ctx && s[i] == "decrypted") found = 1
            }
            END { exit !found }' out.tsv; then
            echo "FAIL: context $ctx decrypts nothing" >&2
            status=1
        fi
    done
    if ((status)); then
        echo "stderr was:" >&2
        cat err.txt >&2
    fi
    ;;
*)
    echo "usage: $0 BUILD same|errors ..." >&2
    exit 2
    ;;
esac
exit $status
