// Plain C++ NMS baseline: cv::dnn::NMSBoxes on boxes read from raw files, timed around the
// call only (the vectors are built before). Prints JSON: the time of each pass in ms and the
// kept indices, so the bench also checks that tfcv keeps the same boxes as OpenCV's own code.
//   nms_baseline boxes.f64 scores.f32 count iouThreshold scoreThreshold passes
#include <opencv2/core.hpp>
#include <opencv2/dnn.hpp>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <vector>

template <typename T>
std::vector<T> ReadRaw(const char* file, size_t count) {
  std::vector<T> out(count);
  std::ifstream in(file, std::ios::binary);
  in.read(reinterpret_cast<char*>(out.data()), static_cast<std::streamsize>(count * sizeof(T)));
  if (!in) {
    std::cerr << "cannot read " << file << "\n";
    std::exit(1);
  }
  return out;
}

int main(int argc, char** argv) {
  if (argc != 7) {
    std::cerr << "usage: nms_baseline boxes.f64 scores.f32 count iouThreshold scoreThreshold passes\n";
    return 2;
  }
  const size_t n = std::strtoul(argv[3], nullptr, 10);
  const float iou = std::strtof(argv[4], nullptr), scoreThreshold = std::strtof(argv[5], nullptr);
  const int passes = std::atoi(argv[6]);
  std::vector<double> coords = ReadRaw<double>(argv[1], n * 4);
  std::vector<float> scores = ReadRaw<float>(argv[2], n);
  std::vector<cv::Rect2d> boxes(n);
  for (size_t i = 0; i < n; ++i)
    boxes[i] = cv::Rect2d(coords[4 * i], coords[4 * i + 1], coords[4 * i + 2], coords[4 * i + 3]);
  std::vector<int> kept;
  std::printf("{\"ms\":[");
  for (int p = 0; p < passes; ++p) {
    const auto t0 = std::chrono::steady_clock::now();
    cv::dnn::NMSBoxes(boxes, scores, scoreThreshold, iou, kept);
    const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    std::printf("%s%.4f", p ? "," : "", ms);
  }
  std::printf("],\"opencv\":\"%s\",\"kept\":[", CV_VERSION);
  for (size_t i = 0; i < kept.size(); ++i) std::printf("%s%d", i ? "," : "", kept[i]);
  std::printf("]}\n");
  return 0;
}
