#!/usr/bin/env bash
# Writes examples/docker/app/ (package.json, package-lock.json and, before tfcv is on the
# registry, vendor/ with the three tarballs of `npm run package`), which the Dockerfile
# installs with `npm ci`. With pack/*.tgz present those are used — the platform packages
# through npm "overrides", so they arrive as tfcv's optionalDependencies, as from a registry;
# otherwise tfcv comes from the registry.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
app="$here/app"
rm -rf "$app"
mkdir -p "$app"
cd "$app"
main="$(ls "$root"/pack/tfcv-[0-9]*.tgz 2>/dev/null | head -n 1 || true)"
binary="$(ls "$root"/pack/tfcv-linux-x64-gnu-*.tgz 2>/dev/null | head -n 1 || true)"
library="$(ls "$root"/pack/tfcv-libtensorflow-linux-x64-*.tgz 2>/dev/null | head -n 1 || true)"
if [ -n "$main" ] && [ -n "$binary" ] && [ -n "$library" ]; then
  mkdir vendor
  cp "$main" "$binary" "$library" vendor/
  cat >package.json <<JSON
{
  "name": "tfcv-server",
  "version": "1.0.0",
  "private": true,
  "dependencies": { "tfcv": "file:vendor/$(basename "$main")" },
  "overrides": {
    "@tfcv/linux-x64-gnu": "file:vendor/$(basename "$binary")",
    "@tfcv/libtensorflow-linux-x64": "file:vendor/$(basename "$library")"
  }
}
JSON
  npm install --package-lock-only --no-audit --no-fund
else
  echo '{ "name": "tfcv-server", "version": "1.0.0", "private": true }' >package.json
  npm install --package-lock-only --no-audit --no-fund tfcv
fi
echo "examples/docker/app ready: $(ls "$app" | tr '\n' ' ')"
