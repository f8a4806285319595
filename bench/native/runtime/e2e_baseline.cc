// The floor for the end-to-end case: JPEG bytes -> cv::imdecode -> resize to the model's
// input -> BGR->RGB -> float32 scaled to [-1, 1] written into the input tensor ->
// TF_SessionRun -> top-5, in plain C++ against the same OpenCV and libtensorflow as tfcv.
// Prints {"median_ms":…,"p99_ms":…,"iterations":…}.
// usage: e2e_baseline DIR INPUT OUTPUT JPEG_FILE SIZE ITERATIONS CONFIG_HEX
#include "tf_helpers.h"

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <numeric>
#include <string>
#include <vector>

int main(int argc, char** argv) {
  if (argc < 8) return 2;
  std::ifstream file(argv[4], std::ios::binary);
  std::vector<uchar> jpeg((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  const int size = std::atoi(argv[5]);
  const int iterations = std::atoi(argv[6]);
  const std::string config = FromHex(argv[7]);

  LoadedModel model = LoadSavedModel(argv[1], config);
  TF_Graph* graph = model.graph;
  TF_Session* session = model.session;
  TF_Status* status = model.status;
  TF_Output input = Resolve(graph, argv[2]), output = Resolve(graph, argv[3]);

  std::vector<double> ms;
  int top[5] = {0};
  for (int i = -5; i < iterations; ++i) {
    auto start = std::chrono::steady_clock::now();
    cv::Mat bgr = cv::imdecode(jpeg, cv::IMREAD_COLOR);
    cv::Mat resized, rgb;
    cv::resize(bgr, resized, cv::Size(size, size), 0, 0, cv::INTER_LINEAR);
    cv::cvtColor(resized, rgb, cv::COLOR_BGR2RGB);
    const int64_t dims[4] = {1, size, size, 3};
    TF_Tensor* x = TF_AllocateTensor(TF_FLOAT, dims, 4, sizeof(float) * size * size * 3);
    cv::Mat dst(size, size, CV_32FC3, TF_TensorData(x));
    rgb.convertTo(dst, CV_32F, 2.0 / 255.0, -1.0);
    TF_Tensor* y = nullptr;
    TF_SessionRun(session, nullptr, &input, &x, 1, &output, &y, 1, nullptr, 0, nullptr, status);
    Check(status, "run");
    const float* scores = static_cast<const float*>(TF_TensorData(y));
    const int classes = static_cast<int>(TF_Dim(y, 1));
    std::vector<int> order(classes);
    std::iota(order.begin(), order.end(), 0);
    std::partial_sort(order.begin(), order.begin() + 5, order.end(),
                      [&](int a, int b) { return scores[a] > scores[b]; });
    std::copy(order.begin(), order.begin() + 5, top);
    TF_DeleteTensor(y);
    TF_DeleteTensor(x);
    auto end = std::chrono::steady_clock::now();
    if (i >= 0) ms.push_back(std::chrono::duration<double, std::milli>(end - start).count());
  }
  std::sort(ms.begin(), ms.end());
  std::printf("{\"median_ms\":%.6f,\"p99_ms\":%.6f,\"iterations\":%d,\"top1\":%d}\n", ms[ms.size() / 2],
              ms[std::min(ms.size() - 1, static_cast<size_t>(ms.size() * 0.99))], iterations, top[0]);
  CloseModel(model);
  return 0;
}
