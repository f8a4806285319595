#!/usr/bin/env bash
# Kept for scripts and docs that call it: places libtensorflow at deps/libtensorflow for a
# source build (scripts/setup/libtensorflow.js does the work).
exec node "$(dirname "${BASH_SOURCE[0]}")/libtensorflow.js" "$@"
