// See overlay.h.
#include "demo/overlay.h"

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "common/errors.h"
#include "metrics/binary_mask.h"

namespace tfcv {
namespace {

cv::Mat DisplayableBgr(const cv::Mat& image) {
  cv::Mat bytes;
  if (image.depth() == CV_8U)
    bytes = image;
  else if (image.depth() == CV_32F || image.depth() == CV_64F || image.depth() == CV_16F)
    image.convertTo(bytes, CV_8U, 255.0);
  else
    cv::normalize(image, bytes, 0, 255, cv::NORM_MINMAX, CV_8U);
  cv::Mat bgr;
  switch (bytes.channels()) {
    case 1:
      cv::cvtColor(bytes, bgr, cv::COLOR_GRAY2BGR);
      break;
    case 3:
      bgr = bytes;
      break;
    case 4:
      cv::cvtColor(bytes, bgr, cv::COLOR_BGRA2BGR);
      break;
    default:
      Fail(ErrorKind::kShape, "image: expected 1, 3 or 4 channels, got " + std::to_string(bytes.channels()));
  }
  return bgr;
}

void DrawOutline(cv::Mat& canvas, const cv::Mat& binary, int scale, const cv::Scalar& colour) {
  std::vector<std::vector<cv::Point>> contours;
  cv::findContours(binary, contours, cv::RETR_EXTERNAL, cv::CHAIN_APPROX_NONE);
  // Contour points are pixel indices: draw through the centres of the enlarged pixels.
  for (auto& contour : contours)
    for (cv::Point& p : contour) p = p * scale + cv::Point(scale / 2, scale / 2);
  cv::drawContours(canvas, contours, -1, colour, std::max(1, scale / 2), cv::LINE_AA);
}

}  // namespace

std::vector<uint8_t> OverlayPng(const OverlayInput& in) {
  if (in.scale < 1 || in.scale > 32) Fail(ErrorKind::kArgument, "options.scale: expected an integer in 1..32");
  // Models often see a resized image: predictions and truth are drawn at the image's size.
  cv::Mat predicted = in.predicted, truth = in.truth;
  if (predicted.channels() != 1)
    Fail(ErrorKind::kShape, "prediction: expected one channel, got " + std::to_string(predicted.channels()));
  if (predicted.depth() == CV_16F || predicted.depth() == CV_8S || predicted.depth() == CV_32S)
    predicted.convertTo(predicted, CV_32F);
  if (predicted.size() != in.image.size()) {
    cv::Mat resized;
    cv::resize(predicted, resized, in.image.size(), 0, 0, cv::INTER_LINEAR);
    predicted = resized;
  }
  if (!truth.empty() && truth.size() != in.image.size()) {
    cv::Mat resized;
    cv::resize(truth, resized, in.image.size(), 0, 0, cv::INTER_NEAREST);
    truth = resized;
  }
  cv::Mat canvas;
  cv::resize(DisplayableBgr(in.image), canvas, cv::Size(), in.scale, in.scale, cv::INTER_NEAREST);
  if (!truth.empty()) {
    if (truth.channels() != 1) Fail(ErrorKind::kShape, "truth: expected a one-channel mask");
    cv::Mat truthBinary;
    BinaryMask(truth, 0, truthBinary, "truth");
    DrawOutline(canvas, truthBinary, in.scale, cv::Scalar(60, 200, 60));
  }
  cv::Mat predictedBinary;
  BinaryMask(predicted, in.threshold, predictedBinary, "prediction");
  DrawOutline(canvas, predictedBinary, in.scale, cv::Scalar(40, 40, 230));
  std::vector<uint8_t> png;
  if (!cv::imencode(".png", canvas, png)) Fail(ErrorKind::kCv, "imencode: PNG encoding failed");
  return png;
}

}  // namespace tfcv
