// Registers the demo's native helpers: the synthetic shape set and report overlays.
// Why they are native and ship in the addon, not TypeScript over the public ops: the
// overlay outlines the binary masks the metrics measure, made by the metrics' own kernel
// (metrics/binary_mask.h: grayscale, "pixel > t", NaN refused), so the picture cannot
// drift from the numbers; the shapes need a seeded Gaussian noise field and filled rotated
// ellipses, which are not public ops, and cv::RNG draws the same set on every machine.
// Both are small (about 300 lines with this entry point) and also serve the HTML report
// of `tfcv evaluate`, so they are part of the product, not a sample; demo/ sits above
// metrics/ in the layer order (tools/check-layers.js) for that shared kernel.
#pragma once

#include <napi.h>

namespace tfcv {
void RegisterDemoApi(Napi::Env env, Napi::Object exports);
}
