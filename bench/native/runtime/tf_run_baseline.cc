// The floor for model latency: a plain C++ program making the same TF_SessionRun call tfcv
// makes (same SavedModel, session config, input and output tensors), timing each call.
// Prints one JSON line: {"median_ms":…,"p99_ms":…,"iterations":…}.
//
// usage: tf_run_baseline DIR INPUT_TENSOR OUTPUT_TENSOR BATCH H W C ITERATIONS CONFIG_HEX
#include "tf_helpers.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

int main(int argc, char** argv) {
  if (argc < 10) {
    std::fprintf(stderr, "usage: %s DIR INPUT OUTPUT BATCH H W C ITERATIONS CONFIG_HEX\n", argv[0]);
    return 2;
  }
  const int64_t dims[4] = {std::atoll(argv[4]), std::atoll(argv[5]), std::atoll(argv[6]), std::atoll(argv[7])};
  const int iterations = std::atoi(argv[8]);
  const std::string config = FromHex(argv[9]);

  LoadedModel model = LoadSavedModel(argv[1], config);
  TF_Graph* graph = model.graph;
  TF_Session* session = model.session;
  TF_Status* status = model.status;
  TF_Output input = Resolve(graph, argv[2]);
  TF_Output output = Resolve(graph, argv[3]);

  const size_t count = dims[0] * dims[1] * dims[2] * dims[3];
  TF_Tensor* x = TF_AllocateTensor(TF_FLOAT, dims, 4, count * sizeof(float));
  std::fill_n(static_cast<float*>(TF_TensorData(x)), count, 0.5f);

  std::vector<double> ms;
  for (int i = -20; i < iterations; ++i) {  // 20 warm-up runs
    TF_Tensor* y = nullptr;
    auto start = std::chrono::steady_clock::now();
    TF_SessionRun(session, nullptr, &input, &x, 1, &output, &y, 1, nullptr, 0, nullptr, status);
    auto end = std::chrono::steady_clock::now();
    Check(status, "run");
    TF_DeleteTensor(y);
    if (i >= 0) ms.push_back(std::chrono::duration<double, std::milli>(end - start).count());
  }
  PrintTimings(ms, iterations);

  TF_DeleteTensor(x);
  CloseModel(model);
  return 0;
}
