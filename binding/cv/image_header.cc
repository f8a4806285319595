// See image_header.h. Each reader checks the magic bytes, then reads only the fields that
// hold the dimensions, with every offset bounds-checked through ByteReader.
#include "cv/image_header.h"

#include <cctype>
#include <cstring>
#include <string>

namespace tfcv {
namespace {

class ByteReader {
 public:
  ByteReader(const uint8_t* data, size_t size) : data_(data), size_(size) {}
  bool Has(size_t offset, size_t n) const { return offset <= size_ && n <= size_ - offset; }
  uint32_t U8(size_t o) const { return Has(o, 1) ? data_[o] : 0; }
  uint32_t U16BE(size_t o) const { return Has(o, 2) ? (uint32_t{data_[o]} << 8) | data_[o + 1] : 0; }
  uint32_t U16LE(size_t o) const { return Has(o, 2) ? (uint32_t{data_[o + 1]} << 8) | data_[o] : 0; }
  uint32_t U32BE(size_t o) const { return Has(o, 4) ? (U16BE(o) << 16) | U16BE(o + 2) : 0; }
  uint32_t U32LE(size_t o) const { return Has(o, 4) ? (U16LE(o + 2) << 16) | U16LE(o) : 0; }
  bool Magic(size_t o, const char* bytes, size_t n) const { return Has(o, n) && std::memcmp(data_ + o, bytes, n) == 0; }
  size_t size() const { return size_; }
  const uint8_t* data() const { return data_; }

 private:
  const uint8_t* data_;
  size_t size_;
};

ImageHeader Make(const char* format, int64_t w, int64_t h) {
  ImageHeader header;
  header.format = format;
  header.width = w;
  header.height = h;
  return header;
}

// Walks the JPEG markers to the first start-of-frame (SOF0..SOF15 except DHT/JPG/DAC).
ImageHeader Jpeg(const ByteReader& r) {
  size_t o = 2;
  while (r.Has(o, 4)) {
    if (r.U8(o) != 0xFF) return {};
    uint32_t marker = r.U8(o + 1);
    if (marker == 0xFF) {
      ++o;
      continue;
    }  // fill byte
    if (marker == 0xD8 || (marker >= 0xD0 && marker <= 0xD7) || marker == 0x01) {
      o += 2;
      continue;
    }
    uint32_t length = r.U16BE(o + 2);
    if (length < 2) return {};
    bool sof = marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
    if (sof) {
      if (!r.Has(o + 5, 4)) return {};
      return Make("jpeg", r.U16BE(o + 7), r.U16BE(o + 5));
    }
    if (marker == 0xD9 || marker == 0xDA) return {};  // end of image / scan before any frame
    o += 2 + length;
  }
  return {};
}

ImageHeader Png(const ByteReader& r) {
  if (!r.Magic(12, "IHDR", 4)) return {};
  ImageHeader header = Make("png", r.U32BE(16), r.U32BE(20));
  // Chunks: length, type, data, CRC. A complete file reaches IEND inside the buffer.
  header.truncated = true;
  for (size_t o = 8; r.Has(o, 12);) {
    const size_t length = r.U32BE(o);
    if (r.Magic(o + 4, "IEND", 4)) {
      header.truncated = false;
      break;
    }
    if (length > r.size()) break;
    o += 12 + length;
  }
  return header;
}

ImageHeader Bmp(const ByteReader& r) {
  uint32_t dib = r.U32LE(14);
  if (dib == 12) return Make("bmp", r.U16LE(18), r.U16LE(20));  // OS/2 BITMAPCOREHEADER
  if (dib < 40 || !r.Has(18, 8)) return {};
  auto w = static_cast<int32_t>(r.U32LE(18)), h = static_cast<int32_t>(r.U32LE(22));
  // Negative height means top-down rows; the magnitude is the height.
  ImageHeader header = Make("bmp", w, h < 0 ? -static_cast<int64_t>(h) : h);
  const uint32_t bitsPerPixel = r.U16LE(28), compression = r.U32LE(30);
  if (header.known() && (compression == 0 || compression == 3) && bitsPerPixel > 0 && bitsPerPixel <= 32) {
    // Uncompressed rows are padded to 4 bytes; the pixel array starts at the offset in the header.
    const int64_t rowBytes = (header.width * bitsPerPixel + 31) / 32 * 4;
    header.truncated = static_cast<int64_t>(r.U32LE(10)) + rowBytes * header.height > static_cast<int64_t>(r.size());
  }
  return header;
}

ImageHeader Webp(const ByteReader& r) {
  if (!r.Magic(8, "WEBP", 4)) return {};
  if (r.Magic(12, "VP8 ", 4)) {
    // Frame tag (3 bytes), start code 9d 01 2a, then 14-bit width and height.
    if (r.U8(23) != 0x9d || r.U8(24) != 0x01 || r.U8(25) != 0x2a) return {};
    return Make("webp", r.U16LE(26) & 0x3FFF, r.U16LE(28) & 0x3FFF);
  }
  if (r.Magic(12, "VP8L", 4)) {
    if (r.U8(20) != 0x2f || !r.Has(21, 4)) return {};
    uint32_t bits = r.U32LE(21);
    return Make("webp", (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1);
  }
  if (r.Magic(12, "VP8X", 4)) {
    if (!r.Has(24, 6)) return {};
    int64_t w = (r.U8(24) | (r.U8(25) << 8) | (r.U8(26) << 16)) + 1;
    int64_t h = (r.U8(27) | (r.U8(28) << 8) | (r.U8(29) << 16)) + 1;
    return Make("webp", w, h);
  }
  return {};
}

ImageHeader Tiff(const ByteReader& r) {
  bool le = r.U8(0) == 'I';
  auto u16 = [&](size_t o) { return le ? r.U16LE(o) : r.U16BE(o); };
  auto u32 = [&](size_t o) { return le ? r.U32LE(o) : r.U32BE(o); };
  size_t ifd = u32(4);
  uint32_t count = u16(ifd);
  if (!r.Has(ifd, 2 + size_t{count} * 12)) return {};
  int64_t w = 0, h = 0;
  for (uint32_t i = 0; i < count; ++i) {
    size_t e = ifd + 2 + size_t{i} * 12;
    uint32_t tag = u16(e), type = u16(e + 2);
    if (tag != 256 && tag != 257) continue;
    int64_t v = type == 3 ? u16(e + 8) : type == 4 ? u32(e + 8) : 0;  // SHORT or LONG
    (tag == 256 ? w : h) = v;
  }
  return Make("tiff", w, h);
}

// Netpbm headers are text: magic, then whitespace-separated numbers with # comments.
bool NextNumber(const ByteReader& r, size_t& o, int64_t& out) {
  while (o < r.size()) {
    uint8_t c = r.data()[o];
    if (c == '#') {
      while (o < r.size() && r.data()[o] != '\n') ++o;
    } else if (std::isspace(c)) {
      ++o;
    } else {
      break;
    }
  }
  if (o >= r.size() || !std::isdigit(r.data()[o])) {
    // PFM allows a negative scale, but only after the dimensions we need.
    return false;
  }
  out = 0;
  while (o < r.size() && std::isdigit(r.data()[o]) && out < (int64_t{1} << 40)) out = out * 10 + (r.data()[o++] - '0');
  return true;
}

ImageHeader Pnm(const ByteReader& r) {
  if (r.U8(1) == '7') {
    // PAM: "WIDTH n" and "HEIGHT n" lines before ENDHDR.
    std::string text(reinterpret_cast<const char*>(r.data()), r.size() < 512 ? r.size() : 512);
    auto field = [&](const char* key) -> int64_t {
      size_t at = text.find(key);
      if (at == std::string::npos) return 0;
      size_t o = at + std::strlen(key);
      int64_t v = 0;
      return NextNumber(r, o, v) ? v : 0;
    };
    return Make("pam", field("WIDTH"), field("HEIGHT"));
  }
  size_t o = 2;
  int64_t w = 0, h = 0;
  if (!NextNumber(r, o, w) || !NextNumber(r, o, h)) return {};
  return Make(r.U8(0) == 'P' && (r.U8(1) == 'F' || r.U8(1) == 'f') ? "pfm" : "pnm", w, h);
}

ImageHeader Radiance(const ByteReader& r) {
  // Header lines end with an empty line; the next line is "-Y <height> +X <width>".
  std::string text(reinterpret_cast<const char*>(r.data()), r.size() < 4096 ? r.size() : 4096);
  size_t blank = text.find("\n\n");
  if (blank == std::string::npos) return {};
  size_t o = blank + 2;
  if (text.compare(o, 3, "-Y ") != 0) return {};
  o += 3;
  int64_t h = 0, w = 0;
  if (!NextNumber(r, o, h)) return {};
  while (o < text.size() && text[o] == ' ') ++o;
  if (text.compare(o, 3, "+X ") != 0) return {};
  o += 3;
  if (!NextNumber(r, o, w)) return {};
  return Make("hdr", w, h);
}

}  // namespace

ImageHeader ReadImageHeader(const uint8_t* data, size_t size) {
  ByteReader r(data, size);
  if (r.Magic(0, "\xFF\xD8\xFF", 3)) return Jpeg(r);
  if (r.Magic(0, "\x89PNG\r\n\x1A\n", 8)) return Png(r);
  if (r.Magic(0, "BM", 2)) return Bmp(r);
  if (r.Magic(0, "RIFF", 4)) return Webp(r);
  if (r.Magic(0, "II*\0", 4) || r.Magic(0, "MM\0*", 4)) return Tiff(r);
  if (r.U8(0) == 'P' && ((r.U8(1) >= '1' && r.U8(1) <= '7') || r.U8(1) == 'F' || r.U8(1) == 'f') && r.Has(2, 1) &&
      std::isspace(r.U8(2)))
    return Pnm(r);
  if (r.Magic(0, "\x59\xA6\x6A\x95", 4)) return Make("sunraster", r.U32BE(4), r.U32BE(8));
  if (r.Magic(0, "#?RADIANCE", 10) || r.Magic(0, "#?RGBE", 6)) return Radiance(r);
  return {};
}

}  // namespace tfcv
