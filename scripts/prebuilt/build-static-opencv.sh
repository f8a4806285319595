#!/usr/bin/env bash
# Builds the static, position-independent OpenCV 4.6 (core, imgproc, imgcodecs) and the codecs
# it uses (libjpeg-turbo with TurboJPEG, libpng, zlib, libwebp, libtiff) that the prebuilt
# tfcv.node links, so the platform package needs nothing from the system but glibc and
# libstdc++. Debian's own static .a files are not PIC, so every library is built from its
# Debian source package (apt-get source, needs a deb-src entry). Sources and outputs live in
# a cache outside the repository (${TFCV_CACHE:-~/.cache/tfcv}/static-opencv-<recipe>) and the
# build runs once: later runs print the prefix and exit.
#
# Prints the install prefix (include/, lib/*.a, lib/cmake/opencv4) as its last stdout line.
set -euo pipefail

RECIPE=1   # bump when the flags below change, so a stale cache is not reused
CACHE="${TFCV_CACHE:-$HOME/.cache/tfcv}"
BASE="$CACHE/static-opencv-4.6.0-r$RECIPE"
PREFIX="$BASE/prefix"
SRC="$BASE/src"
BUILD="$BASE/build"
JOBS="${TFCV_BUILD_JOBS:-$(nproc)}"

log() { echo "tfcv static-opencv: $*" >&2; }

if [ -f "$PREFIX/.complete" ]; then
  log "using the cached build in $PREFIX"
  echo "$PREFIX"
  exit 0
fi

for tool in cmake ninja cc c++ tar; do
  command -v "$tool" >/dev/null 2>&1 || { log "'$tool' is required (apt-get install cmake ninja-build build-essential)"; exit 1; }
done

# apt-get source needs a deb-src line. Add one for the configured Debian suites when we may.
has_deb_src() {
  grep -rqsE '^(deb-src |Types:.*deb-src)' /etc/apt/sources.list /etc/apt/sources.list.d/ 2>/dev/null
}
if ! has_deb_src; then
  codename="$(. /etc/os-release 2>/dev/null && echo "${VERSION_CODENAME:-}")"
  if [ "$(id -u)" = "0" ] && [ -n "$codename" ] && command -v apt-get >/dev/null 2>&1; then
    # The main suite only: the security mirror may not serve sources, and the main suite's
    # versions are the ones the recipe was checked with.
    log "adding a deb-src entry for Debian $codename main (/etc/apt/sources.list.d/tfcv-deb-src.sources)"
    printf 'Types: deb-src\nURIs: http://deb.debian.org/debian\nSuites: %s\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' \
      "$codename" >/etc/apt/sources.list.d/tfcv-deb-src.sources
    apt-get update -qq
  else
    log "apt-get source needs a deb-src entry in /etc/apt/sources.list(.d); add one (as root) and re-run"
    exit 1
  fi
fi

mkdir -p "$SRC" "$BUILD" "$PREFIX"

# fetch <source package> <dir name>: downloads the Debian source package into $SRC/<pkg>
# (orig tarball only; Debian's patches are packaging changes) and unpacks it into $SRC/<dir>.
fetch() {
  local pkg="$1" dir="$2"
  if [ -d "$SRC/$dir" ]; then return; fi
  mkdir -p "$SRC/dl-$pkg"
  (cd "$SRC/dl-$pkg" && { ls *.orig.tar.* >/dev/null 2>&1 || apt-get source --download-only -qq "$pkg" >&2; })
  local tarball
  tarball="$(ls "$SRC/dl-$pkg"/*.orig.tar.* | grep -v '\.asc$' | head -n 1)"
  log "unpacking $(basename "$tarball")"
  mkdir -p "$SRC/$dir.tmp"
  tar -xf "$tarball" -C "$SRC/$dir.tmp" --strip-components=1
  mv "$SRC/$dir.tmp" "$SRC/$dir"
}

# Shared CMake settings: static, PIC, release, installed into $PREFIX/{include,lib}.
CMAKE_COMMON=(-G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_POSITION_INDEPENDENT_CODE=ON
  -DBUILD_SHARED_LIBS=OFF -DCMAKE_INSTALL_PREFIX="$PREFIX" -DCMAKE_INSTALL_LIBDIR="$PREFIX/lib"
  -DCMAKE_PREFIX_PATH="$PREFIX" -DCMAKE_FIND_LIBRARY_SUFFIXES=.a)

# Each library is built once (a stamp per library), so a failure later resumes there.
cmake_build() {
  local name="$1"; shift
  local started=$SECONDS
  if [ -f "$BUILD/$name.done" ]; then return; fi
  log "building $name"
  rm -rf "$BUILD/$name"
  cd "$BUILD" # nothing a project resolves against the working directory lands elsewhere
  cmake -S "$SRC/$name" -B "$BUILD/$name" "${CMAKE_COMMON[@]}" "$@" >"$BUILD/$name.configure.log" 2>&1 ||
    { tail -n 30 "$BUILD/$name.configure.log" >&2; log "configure of $name failed (log: $BUILD/$name.configure.log)"; exit 1; }
  cmake --build "$BUILD/$name" -j "$JOBS" >"$BUILD/$name.build.log" 2>&1 ||
    { tail -n 30 "$BUILD/$name.build.log" >&2; log "build of $name failed (log: $BUILD/$name.build.log)"; exit 1; }
  cmake --install "$BUILD/$name" >>"$BUILD/$name.build.log" 2>&1
  touch "$BUILD/$name.done"
  log "built $name in $((SECONDS - started)) s"
}

fetch zlib zlib
fetch libjpeg-turbo libjpeg-turbo
fetch libpng1.6 libpng
fetch libwebp libwebp
fetch tiff tiff
fetch opencv opencv

# zlib: Debian's dfsg tarball lacks win32/, which its CMakeLists needs; its own configure
# script builds the static library (in a copy, since it builds in place).
build_zlib() {
  local started=$SECONDS
  if [ -f "$BUILD/zlib.done" ]; then return; fi
  log "building zlib"
  rm -rf "$BUILD/zlib"
  cp -r "$SRC/zlib" "$BUILD/zlib"
  (cd "$BUILD/zlib" && CFLAGS="-O2 -fPIC" ./configure --static --prefix="$PREFIX" --libdir="$PREFIX/lib" &&
    make -j "$JOBS" libz.a && make install) >"$BUILD/zlib.build.log" 2>&1 ||
    { tail -n 30 "$BUILD/zlib.build.log" >&2; log "build of zlib failed (log: $BUILD/zlib.build.log)"; exit 1; }
  touch "$BUILD/zlib.done"
  log "built zlib in $((SECONDS - started)) s"
}
build_zlib
cmake_build libjpeg-turbo -DENABLE_SHARED=OFF -DENABLE_STATIC=ON -DWITH_TURBOJPEG=ON -DWITH_JAVA=OFF
cmake_build libpng -DPNG_SHARED=OFF -DPNG_STATIC=ON -DPNG_TESTS=OFF -DPNG_EXECUTABLES=OFF \
  -DZLIB_LIBRARY="$PREFIX/lib/libz.a" -DZLIB_LIBRARY_RELEASE="$PREFIX/lib/libz.a" -DZLIB_INCLUDE_DIR="$PREFIX/include"
cmake_build libwebp -DWEBP_BUILD_ANIM_UTILS=OFF -DWEBP_BUILD_CWEBP=OFF -DWEBP_BUILD_DWEBP=OFF \
  -DWEBP_BUILD_GIF2WEBP=OFF -DWEBP_BUILD_IMG2WEBP=OFF -DWEBP_BUILD_VWEBP=OFF -DWEBP_BUILD_WEBPINFO=OFF \
  -DWEBP_BUILD_WEBPMUX=OFF -DWEBP_BUILD_EXTRAS=OFF -DWEBP_BUILD_WEBP_JS=OFF -DWEBP_BUILD_LIBWEBPMUX=OFF
# libtiff with the compressions that need no further library beyond zlib and jpeg.
cmake_build tiff -Dtiff-tools=OFF -Dtiff-tests=OFF -Dtiff-contrib=OFF -Dtiff-docs=OFF -Dcxx=OFF \
  -Djbig=OFF -Dlzma=OFF -Dzstd=OFF -Dwebp=OFF -Dlerc=OFF -Dlibdeflate=OFF -Djpeg12=OFF \
  -Dzlib=ON -Djpeg=ON -DZLIB_LIBRARY="$PREFIX/lib/libz.a" -DZLIB_LIBRARY_RELEASE="$PREFIX/lib/libz.a" -DZLIB_INCLUDE_DIR="$PREFIX/include" \
  -DJPEG_LIBRARY="$PREFIX/lib/libjpeg.a" -DJPEG_LIBRARY_RELEASE="$PREFIX/lib/libjpeg.a" -DJPEG_INCLUDE_DIR="$PREFIX/include"

# OpenCV: the three modules, the codecs above, no 3rdparty (the dfsg tarball has none), no
# video/GUI/OpenCL/IPP/threading libraries; the default pthreads parallel backend.
# (A relative libdir here: OpenCVConfig.cmake finds its prefix by walking up from lib/cmake.)
cmake_build opencv -DCMAKE_INSTALL_LIBDIR=lib -DBUILD_LIST=core,imgproc,imgcodecs \
  -DBUILD_TESTS=OFF -DBUILD_PERF_TESTS=OFF -DBUILD_EXAMPLES=OFF -DBUILD_DOCS=OFF -DBUILD_opencv_apps=OFF \
  -DBUILD_JAVA=OFF -DBUILD_opencv_python3=OFF -DBUILD_opencv_python2=OFF -DOPENCV_GENERATE_PKGCONFIG=OFF \
  -DBUILD_ZLIB=OFF -DBUILD_JPEG=OFF -DBUILD_PNG=OFF -DBUILD_TIFF=OFF -DBUILD_WEBP=OFF \
  -DBUILD_OPENJPEG=OFF -DBUILD_JASPER=OFF -DBUILD_OPENEXR=OFF -DBUILD_PROTOBUF=OFF \
  -DWITH_PROTOBUF=OFF -DWITH_QUIRC=OFF -DWITH_ADE=OFF -DWITH_ITT=OFF -DWITH_IPP=OFF \
  -DWITH_OPENCL=OFF -DWITH_OPENCL_SVM=OFF -DWITH_VA=OFF -DWITH_VA_INTEL=OFF -DWITH_CUDA=OFF \
  -DWITH_GTK=OFF -DWITH_QT=OFF -DWITH_OPENGL=OFF -DWITH_VTK=OFF -DWITH_FFMPEG=OFF -DWITH_GSTREAMER=OFF \
  -DWITH_V4L=OFF -DWITH_1394=OFF -DWITH_TBB=OFF -DWITH_OPENMP=OFF -DWITH_EIGEN=OFF -DWITH_LAPACK=OFF \
  -DWITH_OPENEXR=OFF -DWITH_JASPER=OFF -DWITH_OPENJPEG=OFF -DWITH_GDAL=OFF -DWITH_GDCM=OFF \
  -DWITH_IMGCODEC_HDR=ON -DWITH_IMGCODEC_SUNRASTER=ON -DWITH_IMGCODEC_PXM=ON -DWITH_IMGCODEC_PFM=ON \
  -DWITH_JPEG=ON -DWITH_PNG=ON -DWITH_TIFF=ON -DWITH_WEBP=ON \
  -DZLIB_LIBRARY="$PREFIX/lib/libz.a" -DZLIB_LIBRARY_RELEASE="$PREFIX/lib/libz.a" -DZLIB_INCLUDE_DIR="$PREFIX/include" \
  -DJPEG_LIBRARY="$PREFIX/lib/libjpeg.a" -DJPEG_LIBRARY_RELEASE="$PREFIX/lib/libjpeg.a" -DJPEG_INCLUDE_DIR="$PREFIX/include" \
  -DPNG_LIBRARY="$PREFIX/lib/libpng16.a" -DPNG_LIBRARY_RELEASE="$PREFIX/lib/libpng16.a" -DPNG_PNG_INCLUDE_DIR="$PREFIX/include" \
  -DTIFF_LIBRARY="$PREFIX/lib/libtiff.a" -DTIFF_INCLUDE_DIR="$PREFIX/include" \
  -DWEBP_LIBRARY="$PREFIX/lib/libwebp.a" -DWEBP_INCLUDE_DIR="$PREFIX/include" \
  -DOPENCV_SKIP_VISIBILITY_HIDDEN=OFF

touch "$PREFIX/.complete"
log "done: $PREFIX"
echo "$PREFIX"
