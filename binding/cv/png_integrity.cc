// See png_integrity.h.
#include "cv/png_integrity.h"

#include <zlib.h>

#include <array>
#include <cstring>

#include "common/errors.h"

namespace tfcv {
namespace {

uint32_t U32(const uint8_t* p) {
  return (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | uint32_t{p[3]};
}

// Bytes of filtered scanlines libpng expects for one (sub)image: rows * (1 + row bytes).
uint64_t RawBytes(uint64_t width, uint64_t height, uint64_t bitsPerPixel) {
  if (width == 0 || height == 0) return 0;
  return height * (1 + (width * bitsPerPixel + 7) / 8);
}

// The IDAT stream's expected inflated size, or 0 when the IHDR is invalid (libpng reports that).
uint64_t ExpectedRawSize(uint32_t width, uint32_t height, int bitDepth, int colorType, int interlace) {
  int channels;
  switch (colorType) {
    case 0:
      channels = 1;
      break;
    case 2:
      channels = 3;
      break;
    case 3:
      channels = 1;
      break;
    case 4:
      channels = 2;
      break;
    case 6:
      channels = 4;
      break;
    default:
      return 0;
  }
  if (bitDepth != 1 && bitDepth != 2 && bitDepth != 4 && bitDepth != 8 && bitDepth != 16) return 0;
  if (width == 0 || height == 0 || width > 0x7fffffffu || height > 0x7fffffffu) return 0;
  const uint64_t bpp = static_cast<uint64_t>(channels) * bitDepth;
  if (interlace == 0) return RawBytes(width, height, bpp);
  if (interlace != 1) return 0;
  // Adam7: pass origins and steps.
  static const int kX0[7] = {0, 4, 0, 2, 0, 1, 0}, kDx[7] = {8, 8, 4, 4, 2, 2, 1};
  static const int kY0[7] = {0, 0, 4, 0, 2, 0, 1}, kDy[7] = {8, 8, 8, 4, 4, 2, 2};
  uint64_t total = 0;
  for (int p = 0; p < 7; ++p) {
    const uint64_t w = width > static_cast<uint32_t>(kX0[p]) ? (width - kX0[p] + kDx[p] - 1) / kDx[p] : 0;
    const uint64_t h = height > static_cast<uint32_t>(kY0[p]) ? (height - kY0[p] + kDy[p] - 1) / kDy[p] : 0;
    total += RawBytes(w, h, bpp);
  }
  return total;
}

[[noreturn]] void Corrupt(const std::string& argName, const std::string& what) {
  Fail(ErrorKind::kDecode, argName + ": corrupt PNG (" + what + ")");
}

struct Inflater {
  z_stream z{};
  bool open = false;
  Inflater() {
    if (inflateInit(&z) != Z_OK) throw std::bad_alloc();
    open = true;
  }
  ~Inflater() {
    if (open) inflateEnd(&z);
  }
};

}  // namespace

void CheckPngIntegrity(const uint8_t* data, size_t size, const std::string& argName) {
  if (size < 8 + 25) return;  // too short for an IHDR: libpng says so
  uint64_t expected = 0;
  bool sawIhdr = false, streamEnded = false, sawIdat = false, idatDone = false;
  uint64_t inflated = 0;
  Inflater inflater;
  std::array<uint8_t, 65536> scratch;
  size_t o = 8;
  while (o + 12 <= size) {
    const uint32_t length = U32(data + o);
    if (length > 0x7fffffffu || length > size - o - 12) Corrupt(argName, "a chunk runs past the end of the data");
    const uint8_t* type = data + o + 4;
    const uint8_t* body = data + o + 8;
    const uint32_t crc = static_cast<uint32_t>(crc32(crc32(0L, Z_NULL, 0), type, length + 4));
    if (crc != U32(body + length))
      Corrupt(argName, std::string("CRC error in chunk ") + std::string(reinterpret_cast<const char*>(type), 4));
    if (std::memcmp(type, "IHDR", 4) == 0 && length >= 13 && !sawIhdr) {
      sawIhdr = true;
      expected = ExpectedRawSize(U32(body), U32(body + 4), body[8], body[9], body[12]);
      if (expected == 0) return;  // invalid header: libpng's own error follows
    } else if (std::memcmp(type, "IDAT", 4) == 0) {
      if (!sawIhdr) return;
      if (idatDone) Corrupt(argName, "IDAT chunks are not consecutive");
      sawIdat = true;
      if (streamEnded) {
        if (length > 0) Corrupt(argName, "extra compressed data after the end of the image data");
      } else {
        inflater.z.next_in = const_cast<Bytef*>(body);
        inflater.z.avail_in = length;
        while (inflater.z.avail_in > 0 && !streamEnded) {
          inflater.z.next_out = scratch.data();
          inflater.z.avail_out = static_cast<uInt>(scratch.size());
          const int ret = inflate(&inflater.z, Z_NO_FLUSH);
          inflated += scratch.size() - inflater.z.avail_out;
          if (inflated > expected) Corrupt(argName, "too much image data for its size");
          if (ret == Z_STREAM_END) {
            streamEnded = true;
            if (inflater.z.avail_in > 0) Corrupt(argName, "extra compressed data after the end of the image data");
          } else if (ret != Z_OK) {
            Corrupt(argName, std::string("image data: ") + (inflater.z.msg ? inflater.z.msg : "zlib error"));
          }
        }
      }
    } else if (sawIdat) {
      idatDone = true;
    }
    if (std::memcmp(type, "IEND", 4) == 0) break;
    o += 12 + static_cast<size_t>(length);
  }
  if (!sawIhdr || !sawIdat) return;  // libpng reports a missing IHDR / IDAT itself
  if (!streamEnded) Corrupt(argName, "the image data ends early");
  if (inflated != expected)
    Corrupt(argName,
            "not enough image data: " + std::to_string(inflated) + " of " + std::to_string(expected) + " bytes");
}

}  // namespace tfcv
