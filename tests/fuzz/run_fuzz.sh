#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Deterministic fuzz regression test of the plugin (ctest plugin.fuzz.*).
#
# Usage: run_fuzz.sh [options] <input>...
#   <input>         a .pcap/.pcapng capture, a .keys file, or a directory
#                   (its *.pcap, *.pcapng and *.keys are taken)
#   --build DIR     build directory whose plugin tshark loads (required);
#                   the plugin is DIR/plugin/*.so unless OSCORE_PLUGIN_SO
#   --mutator EXE   the pcap_mutate tool (required)
#   --work DIR      where mutated captures and logs go (required; emptied)
#   --seed N        PRNG seed (default 1); same seed, same captures
#   --variants N    copies of every input per batch (default 12)
#   --batches N     mutated files, each dissected three ways (default 4)
#   --jobs N        tshark runs at a time (default 2)
#   --leak-check    (plugin built with ASan, OL_FUZZ_ENV preloading it)
#                   LeakSanitizer on for the -T fields runs: a leak
#                   allocated by the plugin, the keys file loader or the
#                   engine fails the run; Wireshark's own are ignored
#
# Steps: pcapng inputs are converted to pcap (editcap); the keys files are
# merged into one, every context renamed "<file>:<name>" so none collide;
# pcap_mutate writes each batch (all inputs, N mutated copies each,
# mutations seeded by seed+batch); tshark runs on every batch with the
# plugin (scripts/tshark-with-plugin.sh) as
#   -V -x -2          (two passes, every tree item, every data source)
#   -T fields         (every oscore_layers field, all occurrences)
#   -q -z oscore_layers,tree -z oscore_layers,chains
#      -U "OSCORE decrypted CoAP" -w F -Y FILTER
#                     (the statistics tree, chains table and export, a
#                     filter on the plugin's fields; not the flow graph:
#                     tshark's text flow printer, Wireshark's own code,
#                     floods stderr with GLib CRITICALs on these batches
#                     even without the plugin, -z flow,any)
# each with one of four preference sets (layer cap, replay window,
# derived keys shown, built-in OSCORE dissector on). A run passes if
# tshark exits 0 and nothing on stderr (nor "Dissector bug"/"Malformed"
# items of our protocol in the tree) says a bug: crash, assertion,
# GLib/Wireshark ERROR, CRITICAL or WARNING, sanitizer report.
#
# On failure the batch capture and the merged keys stay in --work and the
# command that reproduces it is printed.
#
# Environment: TSHARK (default tshark) and OSCORE_PLUGIN_SO are passed to
# the wrapper; OL_FUZZ_ENV, if set, is a space-separated list of VAR=value
# put in tshark's environment (the sanitizer test sets LD_PRELOAD etc.).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
wrapper="$here/../../scripts/tshark-with-plugin.sh"

build="" mutator="" work="" seed=1 variants=12 batches=4 jobs=2 leak_check=0
inputs=()
while (($# > 0)); do
    case "$1" in
    --build) build=$2; shift 2 ;;
    --mutator) mutator=$2; shift 2 ;;
    --work) work=$2; shift 2 ;;
    --seed) seed=$2; shift 2 ;;
    --variants) variants=$2; shift 2 ;;
    --batches) batches=$2; shift 2 ;;
    --jobs) jobs=$2; shift 2 ;;
    --leak-check) leak_check=1; shift ;;
    --) shift; inputs+=("$@"); break ;;
    -*) echo "run_fuzz: unknown option $1" >&2; exit 2 ;;
    *) inputs+=("$1"); shift ;;
    esac
done
if [[ -z "$build" || -z "$mutator" || -z "$work" || ${#inputs[@]} == 0 ]]; then
    sed -n '4,16p' "$0" >&2
    exit 2
fi
editcap=${EDITCAP:-editcap}
start_time=$SECONDS

rm -rf "$work"
mkdir -p "$work/in"
chmod 0755 "$work" "$work/in"
# The exports are written by tshark, which runs unprivileged.
mkdir -p "$work/export"
chmod 1777 "$work/export"

# ---- inputs ----
captures=() keyfiles=()
add_input() {
    case "$1" in
    *.pcap | *.pcapng) captures+=("$1") ;;
    *.keys) keyfiles+=("$1") ;;
    esac
}
for arg in "${inputs[@]}"; do
    if [[ -d "$arg" ]]; then
        while IFS= read -r -d '' f; do
            add_input "$f"
        done < <(find "$arg" -maxdepth 1 -type f \
            \( -name '*.pcap' -o -name '*.pcapng' -o -name '*.keys' \) \
            -print0 | LC_ALL=C sort -z)
    elif [[ -f "$arg" ]]; then
        add_input "$arg"
    fi
done
if ((${#captures[@]} == 0)); then
    echo "run_fuzz: no captures among the inputs" >&2
    exit 1
fi

pcaps=()
for c in "${captures[@]}"; do
    base=$(basename "$c")
    stem=${base%.*}
    dest="$work/in/$stem.pcap"
    if [[ -e "$dest" ]]; then
        dest="$work/in/$stem-${#pcaps[@]}.pcap"
    fi
    # editcap writes classic pcap for pcap and pcapng alike; a capture it
    # cannot write as pcap (several link types) is skipped, not failed.
    if ! "$editcap" -F pcap "$c" "$dest" 2>"$work/in/editcap.err"; then
        echo "run_fuzz: skipped $c: $(head -1 "$work/in/editcap.err")"
        rm -f "$dest"
        continue
    fi
    pcaps+=("$dest")
done

keys="$work/all.keys"
: >"$keys"
for k in "${keyfiles[@]}"; do
    stem=$(basename "$k" .keys)
    {
        printf '# ---- %s\n' "$k"
        # "[name]" -> "[stem:name]": contexts of different files never clash.
        sed -E "s|^([[:space:]]*)\[([^]]*)\]|\1[${stem}:\2]|" "$k"
        printf '\n'
    } >>"$keys"
done
chmod 0644 "$keys" "${pcaps[@]}"
echo "run_fuzz: ${#pcaps[@]} captures, ${#keyfiles[@]} keys files," \
    "seed $seed, $batches batches x $variants variants"

# ---- mutated batches ----
for ((b = 1; b <= batches; b++)); do
    "$mutator" --seed $((seed * 1000 + b)) --variants "$variants" \
        --keys "$keys" -o "$work/batch-$b.pcap" "${pcaps[@]}" \
        >"$work/batch-$b.mutate.log"
    chmod 0644 "$work/batch-$b.pcap"
done
resealed=$(awk '{s += $(NF-1)} END {print s + 0}' "$work"/batch-*.mutate.log)
frames=$(awk '{s += $(NF-3)} END {print s + 0}' "$work"/batch-*.mutate.log)
echo "run_fuzz: $frames frames written, $resealed resealed or wrapped"

# ---- tshark runs ----
# OL_FUZZ_ENV goes into tshark's environment only (not the wrapper's
# shell, cp, setpriv...): through a launcher that the wrapper runs as
# $TSHARK. It lives in /tmp so that the unprivileged user can run it
# wherever the repository is.
launcher_dir="" keep_launcher=0 leak_dir=""
# shellcheck disable=SC2317 # called through the EXIT trap
cleanup() {
    if [[ -n "$launcher_dir" ]] && ((!keep_launcher)); then
        rm -rf "$launcher_dir"
    fi
}
trap cleanup EXIT
if [[ -n "${OL_FUZZ_ENV:-}" ]]; then
    launcher_dir=$(mktemp -d /tmp/oscore-fuzz.XXXXXX)
    chmod 0755 "$launcher_dir"
    if ((leak_check)); then
        # Reports go to files named after the run (OL_FUZZ_RUN), which the
        # unprivileged user must be able to create.
        leak_dir="$launcher_dir/lsan"
        mkdir "$leak_dir"
        chmod 1777 "$leak_dir"
    fi
    "$here/make_launcher.sh" "$launcher_dir" "$leak_dir"
    export TSHARK="$launcher_dir/tshark"
fi

# Every field of the plugin, from its registration.
# (Its exit status is not ours to judge: with --leak-check, Wireshark's
# own leaks make it 23.)
fields=$("$wrapper" "$build" -G fields 2>/dev/null |
    awk -F'\t' '$1 == "F" && $5 == "oscore_layers" {print $3}') || true
if [[ -z "$fields" ]]; then
    echo "run_fuzz: the plugin registered no fields (not loaded?)" >&2
    exit 1
fi
field_args=()
while IFS= read -r f; do
    field_args+=(-e "$f")
done <<<"$fields"

prefs_for() {
    case $(($1 % 4)) in
    0) echo "" ;;
    1) echo "-o oscore_layers.show_derived_keys:TRUE -o oscore_layers.replay_window:1" ;;
    2) echo "-o oscore_layers.max_layers:2 -o oscore_layers.disable_builtin:FALSE" ;;
    3) echo "-o oscore_layers.max_layers:63 -o oscore_layers.replay_window:1024" ;;
    esac
}

# One run: name, then tshark arguments. Writes $work/NAME.{out,err,rc}.
# The leak check (slow: exact stacks for every allocation) is done on the
# -T fields runs only, which dissect and draw every message as well.
run_one() {
    local name=$1
    shift
    local status=0 run=""
    if [[ "$name" == *.fields ]]; then
        run=$name
    fi
    OL_FUZZ_RUN=$run "$wrapper" "$build" "$@" >"$work/$name.out" \
        2>"$work/$name.err" || status=$?
    echo "$status" >"$work/$name.rc"
}

# With --leak-check: prints the sanitizer reports of run $1 that concern
# our code, and returns 1 if there are any: every report other than a
# leak, and each leak allocated BY our code: the first frame of its stack
# outside the allocators (sanitizer, GLib, libc, libgcrypt) is in the
# plugin, the keys file loader or the engine. (Memory that Wireshark
# allocates when we call it, e.g. stats tree nodes tshark never frees,
# is Wireshark's.)
our_frames='oscore_layers\.so|/plugin/[a-z_]+\.c|/reference-impl/keyfile/keyfile\.c|/reference-impl/src/'
allocator_frames='libsanitizer|libglib-2\.0|libc\.so|/libio/|/malloc/|libgcrypt|libgpg-error'
sanitizer_findings() {
    local logs=("$leak_dir/$1".*)
    [[ -e "${logs[0]}" ]] || return 0
    awk -v ours="$our_frames" -v alloc="$allocator_frames" '
        function judge() {
            if (inleak && owner ~ ours) { print block "\n"; found = 1 }
            inleak = 0
        }
        /ERROR: AddressSanitizer/ { bad = 1 }
        /^(Direct|Indirect) leak/ {
            judge(); block = $0; inleak = 1; owner = ""; next
        }
        inleak && /^$/ { judge(); next }
        inleak {
            block = block "\n" $0
            if (owner == "" && $1 ~ /^#[0-9]+$/ && $0 !~ alloc) owner = $0
            next
        }
        bad { print; found = 1 }
        END { judge(); exit !found }' "${logs[@]}" && return 1
    return 0
}

# Patterns of a bug on stderr (tshark's own warnings about the keys file
# are "tshark: OSCORE layers keys file: ..." and do not match).
bad_stderr='Segmentation fault|Assertion|ERROR|CRITICAL|WARNING \*\*|\[[A-Za-z]+ WARNING\]|AddressSanitizer|LeakSanitizer|runtime error:|Aborted|core dumped|Dissector bug'
# Our protocol's exception items in the tree.
bad_tree='Dissector bug, protocol OSCORE layers|Malformed Packet: OSCORE layers|\[Malformed Packet: oscore_layers'
# Stderr without the dissector bugs of OTHER protocols: fuzzed payloads
# that we (like the CoAP dissector) hand to the media type dissectors
# reach their bugs, which are Wireshark's (e.g. COSE in 4.0.17:
# "failed assertion "length >= 0"" on a garbage COSE_KeySet, with or
# without this plugin). They are counted, not failed.
own_stderr() {
    grep -v -E 'Dissector bug, protocol ' "$1" || true
    grep -E 'Dissector bug, protocol OSCORE layers' "$1" || true
}

run_names=() run_cmds=()
for ((b = 1; b <= batches; b++)); do
    read -r -a prefs <<<"$(prefs_for "$b")"
    base=(-r "$work/batch-$b.pcap" -o "oscore_layers.keys_file:$keys"
        ${prefs[@]+"${prefs[@]}"})
    run_names+=("batch-$b.verbose")
    # -l: output flushed per packet (a leak report ends tshark with
    # _exit, which would lose buffered output).
    run_cmds+=("$(printf '%q ' "${base[@]}" -V -x -2 -l)")
    run_names+=("batch-$b.fields")
    run_cmds+=("$(printf '%q ' "${base[@]}" -T fields -E occurrence=a \
        -E header=y "${field_args[@]}")")
    run_names+=("batch-$b.stats")
    run_cmds+=("$(printf '%q ' "${base[@]}" -q -z oscore_layers,tree \
        -z oscore_layers,chains \
        -U "OSCORE decrypted CoAP" -w "$work/export/batch-$b.pcapng" \
        -Y 'oscore_layers.layer.status != "decrypted" || coap')")
done

running=0 args=()
for i in "${!run_names[@]}"; do
    eval "args=(${run_cmds[$i]})"
    run_one "${run_names[$i]}" "${args[@]}" &
    running=$((running + 1))
    if ((running >= jobs)); then
        wait -n || true
        running=$((running - 1))
    fi
done
wait

failed=0
for i in "${!run_names[@]}"; do
    name=${run_names[$i]}
    rc=$(cat "$work/$name.rc")
    problem=""
    findings=""
    if [[ -n "$leak_dir" ]]; then
        findings=$(sanitizer_findings "$name" || true)
        # Exit status 23: the sanitizer reported, and only Wireshark's
        # own leaks if there are no findings.
        if [[ "$rc" == 23 && -z "$findings" ]]; then
            rc=0
        fi
    fi
    if [[ -n "$findings" ]]; then
        problem="the sanitizer reports our code"
    elif [[ "$rc" != 0 ]]; then
        problem="tshark exited with status $rc"
    elif [[ ! -s "$work/$name.out" ]]; then
        # Every run prints something; nothing means it did not run.
        problem="tshark printed nothing"
    elif own_stderr "$work/$name.err" | grep -Eq -- "$bad_stderr"; then
        problem="stderr reports a bug"
    elif [[ "$name" == *.verbose ]] && grep -Eq -- "$bad_tree" "$work/$name.out"; then
        problem="the tree has an exception item of the plugin"
    fi
    if [[ -n "$problem" ]]; then
        failed=1
        echo "FAIL $name: $problem"
        # From the first line reporting a bug on (a sanitizer's report
        # and stack), else the end of stderr.
        first=$(grep -E -n -m 1 -- "$bad_stderr" "$work/$name.err" | cut -d: -f1) || true
        if [[ -n "$first" ]]; then
            sed -n "${first},$((first + 40))p" "$work/$name.err"
        else
            tail -20 "$work/$name.err"
        fi
        if [[ -n "$findings" ]]; then
            head -60 <<<"$findings"
        fi
        if [[ "$name" == *.verbose ]]; then
            # The frames with such an item (the first five).
            awk -v pat="$bad_tree" '/^Frame [0-9]+:/ { frame = $0 }
                $0 ~ pat { print "  " frame; if (++n == 5) exit }' \
                "$work/$name.out"
        fi
        echo "  reproduce: ${launcher_dir:+TSHARK=$TSHARK }$wrapper $build ${run_cmds[$i]}"
    else
        foreign=$(grep -c -E 'Dissector bug, protocol ' "$work/$name.err") || true
        echo "ok   $name${foreign:+$( ((foreign)) && echo " ($foreign dissector bugs of other protocols)")}"
        rm -f "$work/$name.out"
    fi
done
echo "run_fuzz: ${#run_names[@]} tshark runs in $((SECONDS - start_time)) s"
if ((failed)); then
    keep_launcher=1
    echo "run_fuzz: FAILED; captures and keys kept in $work"
    exit 1
fi
# Keep the work directory small after a pass: the batches can be rebuilt
# from the seed.
rm -f "$work"/batch-*.pcap "$work"/*.out
exit 0
