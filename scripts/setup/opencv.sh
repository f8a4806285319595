#!/usr/bin/env bash
# Makes sure an OpenCV 4 (core, imgproc, imgcodecs) and libjpeg-turbo's TurboJPEG are there
# for a source build (the prebuilt binary needs neither). Found, in CMakeLists.txt's order:
# TFCV_OPENCV_DIR, pkg-config's opencv4, the Debian/Ubuntu -dev packages. Missing on a
# Debian/Ubuntu system as root: installed with apt-get. Otherwise the message says what to do
# on this system — never apt-get where there is none, and says so when not root.
set -euo pipefail

PACKAGES=(libopencv-core-dev libopencv-imgproc-dev libopencv-imgcodecs-dev libturbojpeg0-dev pkg-config)

have_turbojpeg() {
  [ -f /usr/include/turbojpeg.h ] || [ -f /usr/local/include/turbojpeg.h ] ||
    { [ -n "${TFCV_OPENCV_DIR:-}" ] && [ -f "$TFCV_OPENCV_DIR/include/turbojpeg.h" ]; } ||
    { command -v pkg-config >/dev/null 2>&1 && pkg-config --exists libturbojpeg; }
}

have_opencv() {
  if [ -n "${TFCV_OPENCV_DIR:-}" ]; then
    [ -d "$TFCV_OPENCV_DIR" ] || { echo "tfcv setup: TFCV_OPENCV_DIR=$TFCV_OPENCV_DIR is not a directory" >&2; exit 1; }
    return 0 # CMake looks inside it and names what is missing
  fi
  if command -v pkg-config >/dev/null 2>&1 && pkg-config --exists opencv4; then return 0; fi
  [ -f /usr/include/opencv4/opencv2/core.hpp ] &&
    [ -f /usr/include/opencv4/opencv2/imgproc.hpp ] &&
    [ -f /usr/include/opencv4/opencv2/imgcodecs.hpp ] &&
    ls /usr/lib/*/libopencv_imgcodecs.so >/dev/null 2>&1
}

if have_opencv && have_turbojpeg; then
  echo "tfcv setup: OpenCV 4 and TurboJPEG development files found"
  exit 0
fi

if command -v apt-get >/dev/null 2>&1; then
  if [ "$(id -u)" = "0" ]; then
    echo "tfcv setup: installing ${PACKAGES[*]} with apt-get"
    export DEBIAN_FRONTEND=noninteractive
    # The package lists of a fresh machine may be empty or stale.
    if apt-get update -qq && apt-get install -y -qq --no-install-recommends "${PACKAGES[@]}" >/dev/null; then
      have_opencv && have_turbojpeg && { echo "tfcv setup: OpenCV 4 installed"; exit 0; }
    fi
  fi
  {
    echo "tfcv setup: OpenCV 4 / TurboJPEG development files are missing (needed to build tfcv from source)."
    if [ "$(id -u)" != "0" ]; then
      echo "  This user ($(id -un)) is not root, so they cannot be installed from here. As root run:"
    else
      echo "  apt-get could not install them. Run:"
    fi
    echo "    apt-get install ${PACKAGES[*]}"
    echo "  or point TFCV_OPENCV_DIR at an OpenCV 4 install (its prefix, or the folder with OpenCVConfig.cmake),"
    echo "  then run: npx tfcv setup"
  } >&2
  exit 1
fi

{
  echo "tfcv setup: OpenCV 4 / TurboJPEG development files are missing (needed to build tfcv from source)."
  echo "  This system has no apt-get. Install OpenCV 4 (core, imgproc, imgcodecs) and libjpeg-turbo (with"
  echo "  TurboJPEG) with its package manager, then either make pkg-config find opencv4 and libturbojpeg"
  echo "  (PKG_CONFIG_PATH) or set TFCV_OPENCV_DIR to the OpenCV prefix (or the folder with OpenCVConfig.cmake),"
  echo "  then run: npx tfcv setup"
} >&2
exit 1
