#!/usr/bin/env bash
# Brings the one lint tool npm does not: clang-format (Debian's package). Used by .ci/run
# before `npm run lint`; eslint and prettier come with the devDependencies.
set -euo pipefail
if command -v clang-format >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -qq --no-install-recommends clang-format >/dev/null 2>&1 ||
    { apt-get update -qq && apt-get install -y -qq --no-install-recommends clang-format >/dev/null; }
  exit 0
fi
echo "tfcv lint: clang-format is missing; install it (Debian/Ubuntu: apt-get install clang-format)" >&2
exit 1
