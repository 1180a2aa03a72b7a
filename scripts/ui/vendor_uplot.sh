#!/usr/bin/env bash
# Vendors uPlot (MIT, npm package `uplot`), the dashboard's chart library, into src/ui/vendor/:
# its minified IIFE build, its stylesheet and its licence. The files are committed, so building
# sluice needs no network; run this only to move to another version, then review the diff.
set -euo pipefail
version="${1:-1.6.32}"
repo="$(cd "$(dirname "$0")/../.." && pwd)"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
(cd "$scratch" && npm pack --silent "uplot@$version" >/dev/null && tar -xzf "uplot-$version.tgz")
out="$repo/src/ui/vendor"
mkdir -p "$out"
cp "$scratch/package/dist/uPlot.iife.min.js" "$out/uplot.min.js"
cp "$scratch/package/dist/uPlot.min.css" "$out/uplot.min.css"
cp "$scratch/package/LICENSE" "$out/uplot.LICENSE"
echo "uplot $version (MIT) from the npm registry, vendored by scripts/ui/vendor_uplot.sh" \
  > "$out/README"
echo "vendored uplot $version into src/ui/vendor"
