// See synthetic_shapes.h. Sizes and colours follow the segnet training generator: radii
// 4..16, ellipse axes 4..18 x 3..12, sides 6..28 (at 64 px), a foreground colour at least 70
// away from the background's mean in some channel, Gaussian noise with sigma 12.
#include "demo/synthetic_shapes.h"

#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>
#include <vector>

namespace tfcv {

const char* ShapeKindName(ShapeKind kind) {
  switch (kind) {
    case ShapeKind::kCircle:
      return "circle";
    case ShapeKind::kEllipse:
      return "ellipse";
    case ShapeKind::kSquare:
      return "square";
  }
  return "unknown";
}

SyntheticSample DrawSyntheticSample(cv::RNG& rng, int size, ShapeKind kind, bool maskOnly) {
  const double unit = size / 64.0;
  cv::Vec3d c0(rng.uniform(0.0, 255.0), rng.uniform(0.0, 255.0), rng.uniform(0.0, 255.0));
  cv::Vec3d c1(rng.uniform(0.0, 255.0), rng.uniform(0.0, 255.0), rng.uniform(0.0, 255.0));
  const double angle = rng.uniform(0.0, 2 * CV_PI);
  const double ca = std::cos(angle), sa = std::sin(angle);

  cv::Mat image(size, size, CV_32FC3);
  for (int y = 0; y < size; ++y) {
    auto* row = image.ptr<cv::Vec3f>(y);
    for (int x = 0; x < size; ++x) {
      double t = 0.5 + (x / (size - 1.0) - 0.5) * ca + (y / (size - 1.0) - 0.5) * sa;
      t = std::clamp(t, 0.0, 1.0);
      row[x] = cv::Vec3f(c0 * (1 - t) + c1 * t);
    }
  }
  const cv::Scalar backgroundMean = cv::mean(image);

  cv::Vec3d colour;
  for (;;) {
    colour = cv::Vec3d(rng.uniform(0.0, 255.0), rng.uniform(0.0, 255.0), rng.uniform(0.0, 255.0));
    double margin = 0;
    for (int c = 0; c < 3; ++c) margin = std::max(margin, std::abs(colour[c] - backgroundMean[c]));
    if (margin > 70) break;
  }

  SyntheticSample sample;
  sample.kind = kind;
  sample.mask = cv::Mat::zeros(size, size, CV_8U);
  const int margin = static_cast<int>(std::lround(8 * unit));
  const cv::Point center(rng.uniform(margin, size - margin), rng.uniform(margin, size - margin));
  switch (kind) {
    case ShapeKind::kCircle:
      cv::circle(sample.mask, center, static_cast<int>(std::lround(rng.uniform(4.0, 16.0) * unit)), 255, cv::FILLED);
      break;
    case ShapeKind::kEllipse: {
      cv::Size axes(static_cast<int>(std::lround(rng.uniform(4.0, 18.0) * unit)),
                    static_cast<int>(std::lround(rng.uniform(3.0, 12.0) * unit)));
      cv::ellipse(sample.mask, center, axes, rng.uniform(0.0, 180.0), 0, 360, 255, cv::FILLED);
      break;
    }
    case ShapeKind::kSquare: {
      const double side = rng.uniform(8.0, 28.0) * unit;
      cv::Point2f corners[4];
      cv::RotatedRect(cv::Point2f(center), cv::Size2f(side, side), static_cast<float>(rng.uniform(0.0, 90.0)))
          .points(corners);
      std::vector<cv::Point> polygon;
      for (const cv::Point2f& p : corners) polygon.emplace_back(cvRound(p.x), cvRound(p.y));
      cv::fillConvexPoly(sample.mask, polygon, 255);
      break;
    }
  }
  if (maskOnly) return sample;
  image.setTo(cv::Scalar(colour[0], colour[1], colour[2]), sample.mask);

  cv::Mat noise(size, size, CV_32FC3);
  rng.fill(noise, cv::RNG::NORMAL, 0, 12);
  image += noise;
  image.convertTo(sample.image, CV_8UC3);  // rounds and saturates to 0..255
  return sample;
}

}  // namespace tfcv
