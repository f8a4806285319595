#!/usr/bin/env bash
# Resolves libtensorflow (the TensorFlow C API) and links it at deps/libtensorflow, the
# fixed place the addon's $ORIGIN-relative rpath points at. Order (DESIGN.md):
#   1. $TFCV_LIBTENSORFLOW_DIR in the official C-library layout (include/, lib/);
#   2. a system install (/usr/local or /usr);
#   3. the C API extracted from the tensorflow-cpu wheel, fetched with pip, kept in a cache
#      outside the repo (${TFCV_CACHE:-~/.cache/tfcv}) so a second run reuses it.
set -euo pipefail

TF_VERSION=2.21.0
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
CACHE="${TFCV_CACHE:-$HOME/.cache/tfcv}"
LINK="$ROOT/deps/libtensorflow"

# A usable root has the C API header and both shared libraries (official names, or the
# names the Python wheel ships under).
is_tf_root() {
  local dir="$1"
  [ -f "$dir/include/tensorflow/c/c_api.h" ] &&
    [ -f "$dir/lib/libtensorflow_framework.so.2" ] &&
    { [ -f "$dir/lib/libtensorflow.so.2" ] || [ -f "$dir/lib/libtensorflow_cc.so.2" ]; }
}

link_root() {
  mkdir -p "$ROOT/deps"
  rm -rf "$LINK"
  ln -s "$1" "$LINK"
  echo "tfcv setup: libtensorflow from $1 ($2)"
}

# 1. explicit directory
if [ -n "${TFCV_LIBTENSORFLOW_DIR:-}" ]; then
  if is_tf_root "$TFCV_LIBTENSORFLOW_DIR"; then
    link_root "$(cd "$TFCV_LIBTENSORFLOW_DIR" && pwd)" "TFCV_LIBTENSORFLOW_DIR"
    exit 0
  fi
  echo "tfcv setup: TFCV_LIBTENSORFLOW_DIR=$TFCV_LIBTENSORFLOW_DIR lacks include/tensorflow/c/c_api.h or lib/libtensorflow{,_framework}.so.2" >&2
  exit 1
fi

# 2. system install
for dir in /usr/local /usr; do
  if is_tf_root "$dir"; then
    link_root "$dir" "system install"
    exit 0
  fi
done

# 3. the wheel, extracted once into the cache
EXTRACTED="$CACHE/libtensorflow-$TF_VERSION"
if ! is_tf_root "$EXTRACTED"; then
  wheel_dir="$CACHE/wheel"
  mkdir -p "$wheel_dir"
  wheel="$(ls "$wheel_dir"/tensorflow_cpu-$TF_VERSION-*.whl 2>/dev/null | head -n 1 || true)"
  if [ -z "$wheel" ]; then
    pip_cmd=""
    if command -v pip3 >/dev/null 2>&1; then pip_cmd="pip3"; elif command -v python3 >/dev/null 2>&1; then pip_cmd="python3 -m pip"; fi
    if [ -n "$pip_cmd" ]; then
      echo "tfcv setup: fetching tensorflow-cpu==$TF_VERSION with pip download (once; cached in $wheel_dir)"
      # --retries 0: an index that cannot be reached fails fast instead of backing off.
      $pip_cmd download --no-deps --retries 0 --timeout 30 --only-binary=:all: \
        -d "$wheel_dir" "tensorflow-cpu==$TF_VERSION" >"$wheel_dir/pip.log" 2>&1 || true
      wheel="$(ls "$wheel_dir"/tensorflow_cpu-$TF_VERSION-*.whl 2>/dev/null | head -n 1 || true)"
    fi
  fi
  if [ -z "$wheel" ]; then
    cat >&2 <<MSG
tfcv setup: libtensorflow $TF_VERSION was not found. Provide it in one of three ways:
  1. set TFCV_LIBTENSORFLOW_DIR to a directory in the official C-library layout
     (include/tensorflow/c/c_api.h, lib/libtensorflow.so.2, lib/libtensorflow_framework.so.2);
  2. install the TensorFlow C library system-wide (/usr/local or /usr);
  3. make 'pip download --no-deps tensorflow-cpu==$TF_VERSION' work (see $wheel_dir/pip.log).
MSG
    exit 1
  fi
  echo "tfcv setup: extracting the C API from $(basename "$wheel")"
  staging="$EXTRACTED.tmp.$$"
  rm -rf "$staging"
  mkdir -p "$staging"
  # Only the two libraries and the C headers (with the tsl/xla headers they include).
  python3 - "$wheel" "$staging" <<'PY'
import os, shutil, sys, zipfile
wheel, out = sys.argv[1], sys.argv[2]
libs = {"tensorflow/libtensorflow_cc.so.2", "tensorflow/libtensorflow_framework.so.2"}
header_dirs = ("tensorflow/include/tensorflow/c/", "tensorflow/include/xla/tsl/c/",
               "tensorflow/include/tsl/platform/ctstring", "tensorflow/include/tensorflow/core/platform/ctstring")
with zipfile.ZipFile(wheel) as z:
    for info in z.infolist():
        name = info.filename
        if name.endswith("/"):
            continue
        if name in libs:
            dest = os.path.join(out, "lib", os.path.basename(name))
        elif name.startswith(header_dirs) and name.endswith(".h"):
            dest = os.path.join(out, "include", name[len("tensorflow/include/"):])
        else:
            continue
        os.makedirs(os.path.dirname(dest), exist_ok=True)
        with z.open(info) as src, open(dest, "wb") as dst:
            shutil.copyfileobj(src, dst, 1 << 20)
PY
  rm -rf "$EXTRACTED"
  mv "$staging" "$EXTRACTED"
  # The wheel is only a carrier; keep the cache lean.
  rm -f "$wheel"
fi
link_root "$EXTRACTED" "extracted from the tensorflow-cpu $TF_VERSION wheel"
