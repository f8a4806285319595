// The demo's synthetic inspection set, drawn with OpenCV at run time: one filled shape
// (circle, ellipse or rotated square) per image on a noisy two-colour gradient, with its
// exact mask. The same kind of picture segnet was trained on (scripts/fixtures/
// make_models.py), so its predictions are meaningful; cv::RNG with a seed makes every run
// and machine draw the same set. Native because the noise and the rotated ellipses are not
// public ops (see demo_api.h).
#pragma once

#include <opencv2/core.hpp>

#include <cstdint>
#include <string>

namespace tfcv {

enum class ShapeKind { kCircle = 0, kEllipse = 1, kSquare = 2 };

struct SyntheticSample {
  cv::Mat image;  // BGR uint8, size x size
  cv::Mat mask;   // uint8, 255 inside the shape, 0 elsewhere
  ShapeKind kind;
};

const char* ShapeKindName(ShapeKind kind);

// Shape sizes scale with `size` (the training set used 64). `maskOnly` skips the picture
// (benchmarks need thousands of large masks, not their images).
SyntheticSample DrawSyntheticSample(cv::RNG& rng, int size, ShapeKind kind, bool maskOnly = false);

}  // namespace tfcv
