#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The field names of issue 3 are a contract (users' filters and these
# tests rely on them): each must be registered by the built plugin, as
# `tshark -G fields` lists them.
# Usage: check_fields.sh <build-dir>
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
build=$1

contract=(
    oscore_layers oscore_layers.count oscore_layers.removed
    oscore_layers.layer oscore_layers.layer.index oscore_layers.layer.context
    oscore_layers.layer.kid oscore_layers.layer.kid_context
    oscore_layers.layer.piv oscore_layers.layer.request_kid
    oscore_layers.layer.request_piv oscore_layers.layer.alg
    oscore_layers.layer.status oscore_layers.layer.code
    oscore_layers.layer.plaintext oscore_layers.inner.code
    oscore_layers.inner.payload
    # correlation and timing
    oscore_layers.layer.seen_in oscore_layers.layer.seen_leg
    oscore_layers.layer.proxy_time
    # options, e.g. the ones a proxy layer hides
    oscore_layers.opt.uri_host oscore_layers.opt.proxy_scheme
    oscore_layers.opt.oscore oscore_layers.opt.uri_path
)

listed=$("$here/../scripts/tshark-with-plugin.sh" "$build" -G fields |
    awk -F'\t' '$1 == "P" || $1 == "F" { print $3 }')
missing=0
for field in "${contract[@]}"; do
    if ! grep -qxF -- "$field" <<<"$listed"; then
        echo "FAIL: field $field is not registered" >&2
        missing=1
    fi
done
count=$(grep -c '^oscore_layers' <<<"$listed" || true)
echo "$count oscore_layers fields registered"
exit $missing
