#!/usr/bin/env bash
# Makes sure the ffmpeg program is there for live streams (tfcv.openVideo, tfcv watch):
# TFCV_FFMPEG or ffmpeg on PATH. Missing on a Debian/Ubuntu system as root: installed with
# apt-get. Otherwise a note says how to get it. Never fails the setup: only streams need it,
# and they say the same when they start. TFCV_SKIP_FFMPEG=1 skips the step.
set -uo pipefail

if [ "${TFCV_SKIP_FFMPEG:-}" = "1" ]; then exit 0; fi
if [ -n "${TFCV_FFMPEG:-}" ]; then
  [ -x "$TFCV_FFMPEG" ] && { echo "tfcv setup: ffmpeg from TFCV_FFMPEG=$TFCV_FFMPEG"; exit 0; }
  echo "tfcv setup: TFCV_FFMPEG=$TFCV_FFMPEG is not an executable file (live streams need ffmpeg)" >&2
  exit 0
fi
if command -v ffmpeg >/dev/null 2>&1; then
  echo "tfcv setup: ffmpeg found ($(command -v ffmpeg))"
  exit 0
fi
if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = "0" ]; then
  echo "tfcv setup: installing ffmpeg with apt-get (for live streams; TFCV_SKIP_FFMPEG=1 skips this)"
  export DEBIAN_FRONTEND=noninteractive
  if apt-get update -qq && apt-get install -y -qq --no-install-recommends ffmpeg >/dev/null; then
    command -v ffmpeg >/dev/null 2>&1 && { echo "tfcv setup: ffmpeg installed"; exit 0; }
  fi
  echo "tfcv setup: apt-get could not install ffmpeg; live streams need it: apt-get install ffmpeg" >&2
  exit 0
fi
{
  echo "tfcv setup: note: ffmpeg is not on PATH; live streams (openVideo, tfcv watch) need it."
  echo "  Install it with the system's package manager (Debian/Ubuntu as root: apt-get install ffmpeg),"
  echo "  or set TFCV_FFMPEG to an ffmpeg executable. Everything else works without it."
} >&2
exit 0
