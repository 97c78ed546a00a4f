#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Keys files (and libcoap and aiocoap key sources) with every kind of
# error, given to tshark with the plugin
# (ctest plugin.fuzz.keys_files, and plugin.asan.keys_files on the
# sanitized plugin).
#
# Usage: bad_keys.sh <build-dir> <work-dir> <nested-5.9-ex3.pcap>
#                    <nested-example-5.9.keys> <group-oscore.pcap> <group-member.keys>
#
# Each case runs tshark -T fields on a capture with one keys file and
# passes when tshark exits 0 (within 60 s: a FIFO or /dev/zero must not
# hang it), stderr has a line matching each expected pattern, stderr has
# no bug report (crash, assertion, GLib/Wireshark ERROR/CRITICAL/WARNING,
# sanitizer) and no raw control bytes (the file's text is escaped in the
# messages), no stderr line is longer than 1000 bytes, and, where the
# file also holds good contexts, those still decrypt.
#
# The special files (FIFO) and every generated file live in a directory
# under /tmp, so that the unprivileged user tshark runs as can reach them
# wherever the build directory is. Environment: as run_fuzz.sh (TSHARK,
# OSCORE_PLUGIN_SO, OL_FUZZ_ENV).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
wrapper="$here/../../scripts/tshark-with-plugin.sh"
if (($# != 6)); then
    sed -n '7,8p' "$0" >&2
    exit 2
fi
build=$1 work=$2 nested=$3 nested_keys=$4 group_pcap=$5 group_keys=$6
start_time=$SECONDS

rm -rf "$work"
mkdir -p "$work"
tmp=$(mktemp -d /tmp/oscore-bad-keys.XXXXXX)
chmod 0755 "$tmp"
# shellcheck disable=SC2317 # called through the EXIT trap
cleanup() {
    rm -rf "$tmp"
}
trap cleanup EXIT
if [[ -n "${OL_FUZZ_ENV:-}" ]]; then
    "$here/make_launcher.sh" "$tmp"
    export TSHARK="$tmp/tshark"
fi
cp "$nested" "$tmp/nested.pcap"
cp "$group_pcap" "$tmp/group.pcap"
chmod 0644 "$tmp"/*.pcap

# ---- the keys files ----
good="$tmp/good.keys" # the contexts of the nested example
cp "$nested_keys" "$good"

mkdir "$tmp/dir.keys"
: >"$tmp/empty.keys"
printf '# only a comment\n\n   \n' >"$tmp/comments.keys"
mkfifo "$tmp/fifo.keys"
chmod 0666 "$tmp/fifo.keys"
cp "$nested" "$tmp/capture-as-keys.keys" # a binary file chosen by mistake

# Every generated file is made with bash, awk, head and tr (no other
# tools): deterministic, the same on every run.

# n copies of a string, without newlines.
repeat() {
    local s=$1 n=$2
    head -c "$((${#s} * n))" < <(yes "$s" | tr -d '\n')
}
# Hex of n pseudo-random 32-bit words from an awk LCG seeded with $1.
contexts() { # prefix count sender-format recipient-format
    awk -v prefix="$1" -v count="$2" -v sfmt="$3" -v rfmt="$4" 'BEGIN {
        x = 12345
        for (i = 0; i < count; i++) {
            secret = ""
            for (k = 0; k < 4; k++) {
                x = (x * 1103515245 + 12345) % 2147483648
                secret = secret sprintf("%08x", x)
            }
            printf "[%s%d]\nmaster_secret = %s\n", prefix, i, secret
            printf "sender_id = " sfmt "\nrecipient_id = " rfmt "\n", i, i + 10000
        }
    }'
}

# Binary data (an ELF header has NUL bytes on its first line), then the
# good contexts.
{
    head -c 4096 "$(command -v tshark)"
    printf '\n'
    cat "$good"
} >"$tmp/garbage.keys"
# 10000 contexts with distinct IDs, the real ones after them.
{
    contexts ctx 10000 '%04x' '%04x'
    cat "$good"
} >"$tmp/many.keys"
# 10000 contexts before the real ones, all with the kid of the client's
# requests on the C-P leg (20): the engine tries the first 32 candidates
# of a kid only, so layer 1 fails authentication there (with that said
# in the tree) - it must not take long or crash.
{
    contexts same 10000 '20%.0s' '%04x'
    cat "$good"
} >"$tmp/same-id.keys"
# Huge values and lines, then the good contexts.
{
    printf '[big-secret]\nmaster_secret = '
    repeat ab 500000
    printf '\nsender_id = 01\nrecipient_id = 02\n'
    printf '[big-idctx]\nmaster_secret = 00\nid_context = '
    repeat cd 300
    printf '\nsender_id = 01\nrecipient_id = 02\n'
    printf '[long-id]\nmaster_secret = 00\nsender_id = 0102030405060708\n'
    printf 'recipient_id = 02\n'
    repeat x 2000000
    printf '\n[unknown-alg]\nmaster_secret = 00\nsender_id = 01\n'
    printf 'recipient_id = 02\naead = '
    repeat Z 100000
    printf '\n'
    cat "$good"
} >"$tmp/huge.keys"
# Larger than any keys file.
{
    cat "$good"
    repeat '#' $((17 * 1024 * 1024))
} >"$tmp/too-big.keys"
# Names GKeyFile refuses (it used to refuse the whole file with them),
# text that is not UTF-8, a terminal escape sequence, a NUL byte.
{
    printf '[a\x01b]\nmaster_secret = 00\nsender_id = 01\nrecipient_id = 02\n'
    printf '[bad\xff\xfename]\nmaster_secret = 00\nsender_id = 01\n'
    printf 'recipient_id = 02\n'
    printf '[\x1b]0;pwned\x07]\nmaster_secret = 00\n'
    printf '[nul]\nmaster_secret = 00\x0000\nsender_id = 01\nrecipient_id = 02\n'
    printf '[grp]\ngroup = true\nmaster_secret = 00\nid_context = 01\n'
    printf 'member.x]y = 00\n'
    cat "$good"
} >"$tmp/names.keys"
# Windows: byte order mark and CRLF line ends.
{
    printf '\xef\xbb\xbf'
    sed 's/$/\r/' "$good"
} >"$tmp/bom-crlf.keys"
# Old Mac line ends, CR only (issue 12: such a file loaded as one
# comment line, "no security contexts", without a hint why).
tr '\n' '\r' <"$good" >"$tmp/cr-only.keys"
# A context defined again after the good ones, next to a real context
# named " duplicate 1" (the name repeats used to be renamed to, which
# merged the two): reported with both lines, dropped, the rest loads.
{
    cat "$good"
    printf '[c-s]\nmaster_secret = 00\nsender_id = 01\nrecipient_id = 02\n'
    printf '[ duplicate 1]\nmaster_secret = 00\nsender_id = 03\n'
    printf 'recipient_id = 04\n'
} >"$tmp/repeated.keys"
# A thousand bad lines: only the first problems are reported.
{
    awk 'BEGIN { for (i = 0; i < 1000; i++) print "this is not a keys file" }'
    cat "$good"
} >"$tmp/many-errors.keys"
# Group contexts with bad credentials and parameters, then the good group.
cred=$(sed -n 's/^member\.25[[:space:]]*=[[:space:]]*\([0-9a-f]*\).*/\1/p' \
    "$group_keys")
if [[ -z "$cred" ]]; then
    echo "bad_keys: no member.25 credential in $group_keys" >&2
    exit 1
fi
wrong_curve=${cred/2006/2001} # crv 1 (P-256) instead of 6 (Ed25519)
group() { # name body
    printf '[%s]\ngroup = true\nmaster_secret = 0102030405060708090a0b0c0d0e0f10\n' "$1"
    printf 'id_context = 44616c\n%s' "$2"
}
{
    group g-garbage-cred $'member.25 = a1\n'
    group g-wrong-curve "member.25 = $wrong_curve"$'\n'
    group g-not-hex "member.25 = zz$cred"$'\n'
    group g-bad-id "member.zz = $cred"$'\n'
    group g-long-id "member.0102030405060708 = $cred"$'\n'
    group g-short-key "member.25 = $cred"$'\nmember.25.private_key = 0102\n'
    group g-orphan-key "member.25 = $cred"$'\n'"member.26.private_key = $(repeat 00 32)"$'\n'
    group g-sig "signature = ES256"$'\n'"member.25 = $cred"$'\n'
    group g-gm-cred $'gm_cred = xyz\n'
    group g-x509 $'member.25 = 3082010a02010002\n'
    group g-ctr-aead $'aead = A128CTR\n'"member.25 = $cred"$'\n'
    group g-sender-id $'sender_id = 01\n'
    group g-same-id "member.ab = $cred"$'\n'"member.AB = $cred"$'\n'
    printf '[g-no-gid]\ngroup = true\nmaster_secret = 00\n'
    printf '[plain-with-member]\nmaster_secret = 00\nsender_id = 01\n'
    printf 'recipient_id = 02\nmember.25 = %s\n' "$cred"
    cat "$group_keys"
} >"$tmp/group-bad.keys"
chmod 0644 "$tmp"/*.keys
chmod 0755 "$tmp/dir.keys"

# The other formats (keys/README.md, "Other formats"): a libcoap file with
# terminal escapes, a non-UTF-8 byte and a NUL; an aiocoap credentials
# map whose key holds control characters, pointing to the nested
# example's c-p context and to a missing directory; an aiocoap context
# directory whose settings.json is a FIFO.
{
    printf 'master_secret,hex,"1112131415161718191a1b1c1d1e1f20"\n'
    printf 'sender_id,hex,"20"\nrecipient_id,hex,"50"\n'
    printf '\033]0;pwned\007,hex,"01"\n'
    printf 'master_salt,ascii,"\377\376"\n'
    printf 'id_context,hex,"0\0001"\n'
} >"$tmp/bad-libcoap.conf"
mkdir -p "$tmp/aiocoap/cp" "$tmp/aiocoap-fifo"
printf '{"sender-id_hex": "20", "recipient-id_hex": "50",\n "secret_hex": "%s"}\n' \
    1112131415161718191a1b1c1d1e1f20 >"$tmp/aiocoap/cp/settings.json"
printf '{":\\u001b]0;pwned\\u0007": {"oscore": {"basedir": "cp"}},\n' \
    >"$tmp/aiocoap/credentials.json"
printf ' ":gone": {"oscore": {"basedir": "missing"}}}\n' \
    >>"$tmp/aiocoap/credentials.json"
mkfifo "$tmp/aiocoap-fifo/settings.json"
chmod -R a+rX "$tmp/bad-libcoap.conf" "$tmp/aiocoap" "$tmp/aiocoap-fifo"
chmod 0666 "$tmp/aiocoap-fifo/settings.json"

# ---- the cases ----
# case NAME PCAP KEYS DECRYPTS(yes|no) PATTERN...
# KEYS is a keys file, or "uat:TABLE:ROW" for a row of a context table
# given with -o (tshark then exits 1 by design: it refuses invalid -o
# values, after saying why).
names=() specs=()
case_() {
    names+=("$1")
    local spec
    spec=$(printf '%q ' "${@:2}")
    specs+=("$spec")
}
N="$tmp/nested.pcap" G="$tmp/group.pcap"
case_ nonexistent "$N" "$tmp/missing/x.keys" no \
    'x\.keys:0: cannot read: No such file or directory'
# A directory is read as an aiocoap security context (keys/README.md);
# an empty one is none, and says so.
case_ directory "$N" "$tmp/dir.keys" no \
    'dir\.keys:0: neither settings\.json nor secret\.json in it'
case_ empty "$N" "$tmp/empty.keys" no 'empty\.keys: no security contexts in it'
case_ comments-only "$N" "$tmp/comments.keys" no 'comments\.keys: no security contexts'
case_ fifo "$N" "$tmp/fifo.keys" no 'fifo\.keys:0: cannot read: not a regular file'
case_ dev-zero "$N" /dev/zero no '/dev/zero:0: cannot read: not a regular file'
case_ too-big "$N" "$tmp/too-big.keys" no \
    'too-big\.keys:0: cannot read: [0-9]+ bytes, more than a keys file can have'
case_ capture-as-keys "$N" "$tmp/capture-as-keys.keys" no \
    'capture-as-keys\.keys:[0-9]+: NUL byte in the line'
case_ garbage "$N" "$tmp/garbage.keys" yes 'garbage\.keys:1: NUL byte in the line'
case_ many-contexts "$N" "$tmp/many.keys" yes
case_ same-id "$N" "$tmp/same-id.keys" no
case_ huge-values "$N" "$tmp/huge.keys" yes \
    'huge\.keys:2: \[big-secret\] master_secret: "(ab){20}\.\.\." is not a hex byte string of at most 64 bytes' \
    'huge\.keys:7: \[big-idctx\] id_context: "(cd){20}\.\.\." is not a hex byte string of at most 255 bytes' \
    'huge\.keys:12: \[long-id\] sender_id: "0102030405060708" is not a hex byte string of at most 7 bytes' \
    'huge\.keys:14: expected "\[name\]" or "key = value", got "x{40}\.\.\."' \
    'huge\.keys:19: \[unknown-alg\] aead: unknown or unsupported "Z{40}\.\.\."'
case_ names "$N" "$tmp/names.keys" yes \
    'names\.keys:1: bad group header "\[a\\x01b\]"' \
    'names\.keys:5: bad group header "\[bad\\xff\\xfename\]"' \
    'names\.keys:9: bad group header "\[\\x1b\]0;pwned\\x07\]"' \
    'names\.keys:12: NUL byte in the line' \
    'names\.keys:19: unknown key "member\.x\]y" in \[grp\]'
case_ bom-crlf "$N" "$tmp/bom-crlf.keys" yes
case_ cr-only "$N" "$tmp/cr-only.keys" yes
case_ repeated-name "$N" "$tmp/repeated.keys" yes \
    'repeated\.keys:22: context \[c-s\] defined again \(first on line 6\); this one is ignored'
case_ many-errors "$N" "$tmp/many-errors.keys" yes \
    'many-errors\.keys:20: expected' 'many-errors\.keys: 980 more problems not shown'
case_ uat-binary-name "$N" 'uat:oscore_layers_contexts:"\x01\xff","11","","","20","50","",""' no \
    'name: not UTF-8 text'
case_ uat-bad-values "$N" 'uat:oscore_layers_contexts:"x","11","","","2020202020202020","50","",""' no \
    'sender_id: "2020202020202020" is not a hex byte string of at most 7 bytes'
case_ uat-group-binary-name "$G" 'uat:oscore_layers_groups:"\x01\xff","00","","01","","","","","",""' no \
    'name: not UTF-8 text'
case_ uat-group-bad-values "$G" 'uat:oscore_layers_groups:"g","00","","01","","A128CTR","ES384","","",""' no \
    'signature: unknown or unsupported "ES384"'
case_ uat-member-escape "$G" 'uat:oscore_layers_group_members:"g","\x1b]0;pwned\x0725","a1",""' no \
    'member\.\\x1b\]0;pwned\\x0725: the Sender ID'
case_ bad-libcoap "$N" "$tmp/bad-libcoap.conf" no \
    'bad-libcoap\.conf:4: unknown keyword "\\x1b\]0;pwned\\x07"' \
    'bad-libcoap\.conf:0: NUL byte in the file'
case_ aiocoap-credentials "$N" "$tmp/aiocoap/credentials.json" yes \
    'aiocoap/missing:0: not a directory'
case_ aiocoap-fifo "$N" "$tmp/aiocoap-fifo" no \
    'aiocoap-fifo/settings\.json:0: cannot read: not a regular file'
case_ group-bad-credentials "$G" "$tmp/group-bad.keys" yes \
    'group-bad\.keys:5: \[g-garbage-cred\] member\.25: not a CCS credential with an Ed25519 \(OKP, crv 6\) or P-256 \(EC2, crv 1\) key' \
    'group-bad\.keys:10: \[g-wrong-curve\] member\.25: not a CCS credential' \
    'group-bad\.keys:15: \[g-not-hex\] member\.25: "zza1.*\.\.\." is not a hex byte string' \
    'group-bad\.keys:20: \[g-bad-id\] member\.zz: the Sender ID after "member\." must be hex' \
    'group-bad\.keys:25: \[g-long-id\] member\.0102030405060708: the Sender ID' \
    'group-bad\.keys:31: \[g-short-key\] member\.25\.private_key: a private key \(Ed25519 seed or P-256 scalar\) has 32 bytes' \
    'group-bad\.keys:37: \[g-orphan-key\] member\.26\.private_key: no "member\.26" credential given' \
    'group-bad\.keys:43: \[g-sig\] member\.25: credential key of the wrong curve \(Ed25519, the Signature Algorithm needs P-256\)' \
    'group-bad\.keys:48: \[g-gm-cred\] gm_cred: "xyz" is not a hex byte string' \
    'group-bad\.keys:53: \[g-x509\] member\.25: unsupported credential format \(X\.509, C509 or CWT\)' \
    'group-bad\.keys:58: \[g-ctr-aead\] aead: unknown or unsupported "A128CTR"' \
    'group-bad\.keys:64: \[g-sender-id\] sender_id: a group names its members' \
    'group-bad\.keys:70: \[g-same-id\] member\.AB: Sender ID given twice \(also member\.ab\)' \
    'group-bad\.keys:71: \[g-no-gid\] id_context: missing' \
    'group-bad\.keys:78: \[plain-with-member\] "member\.25" belongs to a group context'

bad_stderr='Segmentation fault|Assertion|ERROR|CRITICAL|WARNING \*\*|\[[A-Za-z]+ WARNING\]|AddressSanitizer|LeakSanitizer|runtime error:|Aborted|core dumped|Dissector bug'

run_case() {
    local name=$1 pcap=$2 keys=$3
    local status=0
    local t0=$SECONDS
    local option="oscore_layers.keys_file:$keys"
    if [[ "$keys" == uat:* ]]; then
        option=$keys
    fi
    timeout 60 "$wrapper" "$build" -r "$pcap" -o "$option" \
        -T fields -E occurrence=a -e oscore_layers.layer.status \
        -e oscore_layers.layer.context \
        >"$work/$name.out" 2>"$work/$name.err" || status=$?
    echo "$status" >"$work/$name.rc"
    echo "$((SECONDS - t0))" >"$work/$name.time"
}

running=0
for i in "${!names[@]}"; do
    eval "spec=(${specs[$i]})"
    run_case "${names[$i]}" "${spec[0]}" "${spec[1]}" &
    running=$((running + 1))
    if ((running >= 2)); then
        wait -n || true
        running=$((running - 1))
    fi
done
wait

failed=0
for i in "${!names[@]}"; do
    name=${names[$i]}
    eval "spec=(${specs[$i]})"
    decrypts=${spec[2]}
    err="$work/$name.err"
    problems=()
    rc=$(cat "$work/$name.rc")
    expected_rc=0
    if [[ "${spec[1]}" == uat:* ]]; then
        expected_rc=1
    fi
    if [[ "$rc" == 124 ]]; then
        problems+=("tshark did not finish within 60 s")
    elif [[ "$rc" != "$expected_rc" ]]; then
        problems+=("tshark exited with status $rc, not $expected_rc")
    fi
    if grep -Eq -- "$bad_stderr" "$err"; then
        problems+=("stderr reports a bug")
    fi
    if LC_ALL=C grep -q '[[:cntrl:]]' <(tr -d '\n\t' <"$err"); then
        problems+=("raw control bytes on stderr")
    fi
    if LC_ALL=C awk 'length($0) > 1000 {found = 1} END {exit !found}' "$err"; then
        problems+=("a stderr line longer than 1000 bytes")
    fi
    for p in "${spec[@]:3}"; do
        if ! grep -Eq -- "$p" "$err"; then
            problems+=("no stderr line matches /$p/")
        fi
    done
    if [[ "$decrypts" == yes ]] && ! grep -q decrypted "$work/$name.out"; then
        problems+=("the good contexts of the file did not decrypt")
    fi
    if ((${#problems[@]})); then
        failed=1
        echo "FAIL $name:"
        printf '  %s\n' "${problems[@]}"
        echo "  stderr (first lines):"
        head -c 3000 "$err" | head -25 | sed 's/^/    /'
    else
        echo "ok   $name ($(wc -l <"$err") stderr lines, $(cat "$work/$name.time") s)"
    fi
done
echo "bad_keys: ${#names[@]} cases in $((SECONDS - start_time)) s"
exit $failed
