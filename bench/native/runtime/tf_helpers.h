// What the plain C++ baselines share: failing loudly on a TF_Status, loading a SavedModel
// session, resolving "op:index" tensor names, decoding the hex-encoded ConfigProto the bench scripts pass, and the
// median/p99 line every baseline prints.
#pragma once

#include <tensorflow/c/c_api.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

inline void Check(TF_Status* s, const char* what) {
  if (TF_GetCode(s) != TF_OK) {
    std::fprintf(stderr, "%s: %s\n", what, TF_Message(s));
    std::exit(1);
  }
}

inline TF_Output Resolve(TF_Graph* g, const std::string& name) {
  size_t colon = name.rfind(':');
  TF_Operation* op = TF_GraphOperationByName(g, name.substr(0, colon).c_str());
  if (!op) {
    std::fprintf(stderr, "no operation %s\n", name.c_str());
    std::exit(1);
  }
  return TF_Output{op, colon == std::string::npos ? 0 : std::atoi(name.c_str() + colon + 1)};
}

inline std::string FromHex(const std::string& hex) {
  std::string out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2)
    out.push_back(static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16)));
  return out;
}

// A SavedModel session (tag 'serve') with the serialized ConfigProto the bench passed, as
// tfcv creates it. Everything lives until the process exits: these are one-shot programs.
struct LoadedModel {
  TF_Graph* graph;
  TF_Session* session;
  TF_Status* status;
};

inline LoadedModel LoadSavedModel(const char* dir, const std::string& config) {
  LoadedModel m{TF_NewGraph(), nullptr, TF_NewStatus()};
  TF_SessionOptions* options = TF_NewSessionOptions();
  TF_SetConfig(options, config.data(), config.size(), m.status);
  Check(m.status, "config");
  const char* tags[] = {"serve"};
  m.session = TF_LoadSessionFromSavedModel(options, nullptr, dir, tags, 1, m.graph, nullptr, m.status);
  Check(m.status, "load");
  TF_DeleteSessionOptions(options);
  return m;
}

inline void CloseModel(LoadedModel& m) {
  TF_CloseSession(m.session, m.status);
  TF_DeleteSession(m.session, m.status);
  TF_DeleteGraph(m.graph);
  TF_DeleteStatus(m.status);
}

inline void PrintTimings(std::vector<double> ms, int iterations) {
  std::sort(ms.begin(), ms.end());
  std::printf("{\"median_ms\":%.6f,\"p99_ms\":%.6f,\"iterations\":%d}\n", ms[ms.size() / 2],
              ms[std::min(ms.size() - 1, static_cast<size_t>(ms.size() * 0.99))], iterations);
}
