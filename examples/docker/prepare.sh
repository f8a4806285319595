#!/usr/bin/env bash
# Writes examples/docker/app/ (package.json, package-lock.json and, before tfcv is on the
# registry, vendor/ with the tarballs of `npm run package`), which the Dockerfile installs with
# `npm ci`. With pack/*.tgz present those are used; otherwise tfcv comes from the registry.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
app="$here/app"
rm -rf "$app"
mkdir -p "$app"
cat >"$app/package.json" <<JSON
{ "name": "tfcv-server", "version": "1.0.0", "private": true }
JSON
cd "$app"
main="$(ls "$root"/pack/tfcv-[0-9]*.tgz 2>/dev/null | head -n 1 || true)"
platform="$(ls "$root"/pack/tfcv-linux-x64-gnu-*.tgz 2>/dev/null | head -n 1 || true)"
if [ -n "$main" ] && [ -n "$platform" ]; then
  mkdir vendor
  cp "$main" "$platform" vendor/
  # Both named: npm takes an optionalDependency from the registry, where a release publishes
  # the platform package; until then it comes from vendor/.
  npm install --package-lock-only --no-audit --no-fund "./vendor/$(basename "$main")" "./vendor/$(basename "$platform")"
else
  npm install --package-lock-only --no-audit --no-fund tfcv
fi
echo "examples/docker/app ready: $(ls "$app" | tr '\n' ' ')"
