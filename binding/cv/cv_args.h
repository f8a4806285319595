// Reading the arguments of image operations on the JS thread into OpenCV values. The
// facade validates first and gives the friendly messages; these checks make a direct call
// with garbage a typed error, and they hold the rules every operation shares: a live Mat,
// sizes in range, outputs under the pixel ceiling, the channel counts an operation needs.
#pragma once

#include <napi.h>

#include <opencv2/core.hpp>

#include <cstdint>
#include <initializer_list>
#include <string>

namespace tfcv {

// Outputs of image operations are capped (like OpenCV's own decode cap) so that a typo in
// a size is a LimitError instead of a multi-gigabyte allocation that the OS might grant.
constexpr int64_t kMaxOutputPixels = int64_t{1} << 30;

// The cv::Mat header of a live Mat (DisposedError otherwise). The copy pins the memory
// for as long as the caller keeps it, and makes the source non-exclusive meanwhile.
cv::Mat MatArg(const Napi::Value& value, const std::string& name);

// {width, height} with both in 1..2^31-1 and width * height <= kMaxOutputPixels.
cv::Size SizeArg(const Napi::Value& value, const std::string& name);
// {x, y, width, height}: x, y in +-2^30, width and height in 1..2^30-1.
cv::Rect RectArg(const Napi::Value& value, const std::string& name);
// {x, y}: integers.
cv::Point PointArg(const Napi::Value& value, const std::string& name);
// An array of 1..4 finite numbers (the facade repeats a single number per channel).
cv::Scalar ScalarArg(const Napi::Value& value, const std::string& name);
// 'nearest' | 'linear' | 'cubic' | 'area' | 'lanczos4' | 'linear-exact' | 'nearest-exact'.
int InterpolationArg(const Napi::Value& value, const std::string& name);
// 'binary' | 'binary-inv' | 'trunc' | 'tozero' | 'tozero-inv' | 'otsu' | 'binary-inv-otsu'.
int ThresholdTypeArg(const Napi::Value& value, const std::string& name);
// 'filled' (-1) or 1..1000.
int ThicknessArg(const Napi::Value& value, const std::string& name);
// 4 | 8 | 'aa'.
int LineTypeArg(const Napi::Value& value, const std::string& name);

// A contour: an Int32Array (or, with `allowFloat`, a Float32Array) of x, y pairs, as an
// N x 1 two-channel Mat header over the JS memory (zero-copy: use it before returning to
// JS). `minPoints` is checked.
cv::Mat PointsArg(const Napi::Value& value, const std::string& name, bool allowFloat, size_t minPoints);

// "480x640x3 uint8": how messages describe a Mat.
std::string DescribeMat(const cv::Mat& mat);
// ShapeError naming `what` when the Mat's channel count is not one of `allowed`.
void RequireChannels(const cv::Mat& mat, std::initializer_list<int> allowed, const std::string& what);
// DTypeError naming `what` when the Mat's depth is not one of `allowed` (CV_8U, ...).
void RequireDepth(const cv::Mat& mat, std::initializer_list<int> allowed, const std::string& what);
// LimitError when an output of width x height pixels would exceed kMaxOutputPixels.
void CheckOutputPixels(int64_t width, int64_t height, const std::string& what);

}  // namespace tfcv
