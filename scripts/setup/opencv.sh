#!/usr/bin/env bash
# Makes sure the system OpenCV 4 that the addon links against is present.
# tfcv uses Debian's OpenCV (core, imgproc, imgcodecs) rather than bundling one, so a
# fresh machine needs those -dev packages; as root we install them, otherwise we stop
# with the exact command to run.
set -euo pipefail

PACKAGES=(libopencv-core-dev libopencv-imgproc-dev libopencv-imgcodecs-dev libturbojpeg0-dev pkg-config)

have_opencv() {
  [ -f /usr/include/opencv4/opencv2/core.hpp ] &&
    [ -f /usr/include/opencv4/opencv2/imgproc.hpp ] &&
    [ -f /usr/include/opencv4/opencv2/imgcodecs.hpp ] &&
    ls /usr/lib/*/libopencv_imgcodecs.so >/dev/null 2>&1 &&
    [ -f /usr/include/turbojpeg.h ]
}

if have_opencv; then
  echo "tfcv setup: OpenCV 4 development files found"
  exit 0
fi

if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "tfcv setup: installing ${PACKAGES[*]} with apt-get"
  export DEBIAN_FRONTEND=noninteractive
  # The package lists of a fresh machine may be empty or stale.
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${PACKAGES[@]}" >/dev/null
  have_opencv && { echo "tfcv setup: OpenCV 4 installed"; exit 0; }
fi

echo "tfcv setup: OpenCV 4 development files are missing." >&2
echo "  Install them (as root): apt-get install ${PACKAGES[*]}" >&2
exit 1
