// Plain C++ baseline for bench/metrics.js: circularity of the largest contour and a 2-class
// pixel confusion matrix (mean IoU) over N masks, the way a C++ program would write it — one
// thread, one image after another, OpenCV calls as in docs/METRICS.md. Reads raw uint8 masks
// [N,H,W] (0/255), truth and predicted class ids [N,H,W] (0/1); prints timings as JSON.
//
//   metrics_baseline MASKS.raw TRUTH.raw PREDICTED.raw N H W ITERATIONS
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <vector>

namespace {

std::vector<uint8_t> ReadFile(const char* path, size_t bytes) {
  std::vector<uint8_t> data(bytes);
  std::ifstream in(path, std::ios::binary);
  if (!in.read(reinterpret_cast<char*>(data.data()), static_cast<std::streamsize>(bytes))) {
    std::fprintf(stderr, "cannot read %zu bytes from %s\n", bytes, path);
    std::exit(1);
  }
  return data;
}

double Circularity(const cv::Mat& mask) {
  cv::Mat binary;
  cv::threshold(mask, binary, 127, 255, cv::THRESH_BINARY);
  std::vector<std::vector<cv::Point>> contours;
  cv::findContours(binary, contours, cv::RETR_EXTERNAL, cv::CHAIN_APPROX_SIMPLE);
  if (contours.empty()) return 0.0;
  size_t best = 0;
  double bestArea = -1;
  for (size_t i = 0; i < contours.size(); ++i) {
    double area = cv::contourArea(contours[i]);
    if (area > bestArea) bestArea = area, best = i;
  }
  double perimeter = cv::arcLength(contours[best], true);
  return perimeter > 0 ? 4 * CV_PI * bestArea / (perimeter * perimeter) : 0.0;
}

double Millis(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 8) {
    std::fprintf(stderr, "usage: %s MASKS.raw TRUTH.raw PREDICTED.raw N H W ITERATIONS\n", argv[0]);
    return 2;
  }
  const int n = std::atoi(argv[4]), h = std::atoi(argv[5]), w = std::atoi(argv[6]), iterations = std::atoi(argv[7]);
  const size_t image = static_cast<size_t>(h) * w;
  std::vector<uint8_t> masks = ReadFile(argv[1], image * n);
  std::vector<uint8_t> truth = ReadFile(argv[2], image * n);
  std::vector<uint8_t> predicted = ReadFile(argv[3], image * n);
  cv::setNumThreads(1);  // "plain": no thread pool inside OpenCV calls either

  std::vector<double> circularityMs, meanIouMs;
  double circularitySum = 0, meanIou = 0;
  for (int it = 0; it < iterations; ++it) {
    auto start = std::chrono::steady_clock::now();
    circularitySum = 0;
    for (int i = 0; i < n; ++i) circularitySum += Circularity(cv::Mat(h, w, CV_8U, masks.data() + image * i));
    circularityMs.push_back(Millis(start));

    start = std::chrono::steady_clock::now();
    int64_t cm[4] = {0, 0, 0, 0};
    for (int i = 0; i < n; ++i) {
      const uint8_t* t = truth.data() + image * i;
      const uint8_t* p = predicted.data() + image * i;
      for (size_t j = 0; j < image; ++j) ++cm[t[j] * 2 + p[j]];
    }
    double iou0 = double(cm[0]) / (cm[0] + cm[1] + cm[2]), iou1 = double(cm[3]) / (cm[3] + cm[1] + cm[2]);
    meanIou = (iou0 + iou1) / 2;
    meanIouMs.push_back(Millis(start));
  }
  auto list = [](const std::vector<double>& xs) {
    std::string s = "[";
    for (size_t i = 0; i < xs.size(); ++i) s += (i ? "," : "") + std::to_string(xs[i]);
    return s + "]";
  };
  std::printf("{\"circularity_ms\":%s,\"mean_iou_ms\":%s,\"circularity_mean\":%.12f,\"mean_iou\":%.12f}\n",
              list(circularityMs).c_str(), list(meanIouMs).c_str(), circularitySum / n, meanIou);
  return 0;
}
