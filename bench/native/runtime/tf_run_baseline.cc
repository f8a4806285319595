// The floor for model latency: a plain C++ program making the same TF_SessionRun call tfcv
// makes (same SavedModel, session config, input and output tensors), timing each call.
// Prints one JSON line: {"median_ms":…,"p99_ms":…,"iterations":…}.
//
// usage: tf_run_baseline DIR INPUT_TENSOR OUTPUT_TENSOR BATCH H W C ITERATIONS CONFIG_HEX
#include <tensorflow/c/c_api.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

static void Check(TF_Status* s, const char* what) {
  if (TF_GetCode(s) != TF_OK) {
    std::fprintf(stderr, "%s: %s\n", what, TF_Message(s));
    std::exit(1);
  }
}

static std::string FromHex(const std::string& hex) {
  std::string out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2) out.push_back(static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16)));
  return out;
}

static TF_Output Resolve(TF_Graph* g, const std::string& name) {
  size_t colon = name.rfind(':');
  TF_Operation* op = TF_GraphOperationByName(g, name.substr(0, colon).c_str());
  if (!op) {
    std::fprintf(stderr, "no operation %s\n", name.c_str());
    std::exit(1);
  }
  return TF_Output{op, colon == std::string::npos ? 0 : std::atoi(name.c_str() + colon + 1)};
}

int main(int argc, char** argv) {
  if (argc < 10) {
    std::fprintf(stderr, "usage: %s DIR INPUT OUTPUT BATCH H W C ITERATIONS CONFIG_HEX\n", argv[0]);
    return 2;
  }
  const int64_t dims[4] = {std::atoll(argv[4]), std::atoll(argv[5]), std::atoll(argv[6]), std::atoll(argv[7])};
  const int iterations = std::atoi(argv[8]);
  const std::string config = FromHex(argv[9]);

  TF_Status* status = TF_NewStatus();
  TF_SessionOptions* options = TF_NewSessionOptions();
  TF_SetConfig(options, config.data(), config.size(), status);
  Check(status, "config");
  TF_Graph* graph = TF_NewGraph();
  const char* tags[] = {"serve"};
  TF_Session* session = TF_LoadSessionFromSavedModel(options, nullptr, argv[1], tags, 1, graph, nullptr, status);
  Check(status, "load");
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
  std::sort(ms.begin(), ms.end());
  std::printf("{\"median_ms\":%.6f,\"p99_ms\":%.6f,\"iterations\":%d}\n", ms[ms.size() / 2],
              ms[std::min(ms.size() - 1, static_cast<size_t>(ms.size() * 0.99))], iterations);

  TF_DeleteTensor(x);
  TF_CloseSession(session, status);
  TF_DeleteSession(session, status);
  TF_DeleteGraph(graph);
  TF_DeleteSessionOptions(options);
  TF_DeleteStatus(status);
  return 0;
}
