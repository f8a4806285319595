// A loaded TensorFlow model: graph + session, shared by the JS Model and every run in
// flight. Disposing the JS Model only drops its reference; the session is closed when the
// last in-flight run lets go, so a dispose() during a run never pulls the session away.
#pragma once

#include <tensorflow/c/c_api.h>

#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "common/shape.h"
#include "tf/graph_handles.h"
#include "tf/tensor_owner.h"

namespace tfcv {

struct OperationInfo {
  std::string name;
  std::string type;
  int numOutputs;
  std::string dtype;  // first output's dtype name ("" when not a tfcv dtype)
  bool hasShape;      // false: unknown rank
  Shape shape;        // -1 for unknown dims
  bool consumed;      // some op consumes output 0
};

class ModelCore {
 public:
  // Both throw TypedError (TfError with TensorFlow's code) on failure.
  static std::shared_ptr<ModelCore> LoadSavedModel(const std::string& dir, const std::vector<std::string>& tags,
                                                   const std::string& configProto, std::string* metaGraphDef);
  static std::shared_ptr<ModelCore> LoadFrozenGraph(const std::string& graphDef, const std::string& configProto);
  ~ModelCore();
  ModelCore(const ModelCore&) = delete;
  ModelCore& operator=(const ModelCore&) = delete;

  // "op" or "op:index" -> TF_Output; throws ArgumentError naming `what` when unknown.
  TF_Output Resolve(const std::string& tensorName, const std::string& what);

  // Runs the session (any thread). Returns one TensorRef per fetch; every tensor is freed
  // on every error path.
  std::vector<TensorRef> Run(const std::vector<TF_Output>& feeds, const std::vector<TensorRef>& values,
                             const std::vector<TF_Output>& fetches, const std::string& runOptions);

  std::vector<OperationInfo> Operations();
  // The operations feeding `opName`'s inputs (name, type): used to check that a SavedModel's
  // restore op assigns every variable its signatures read.
  std::vector<std::pair<std::string, std::string>> OperationInputs(const std::string& opName);

 private:
  ModelCore(GraphPtr graph, TF_Session* session) : graph_(std::move(graph)), session_(session) {}
  GraphPtr graph_;
  TF_Session* session_;
  std::mutex resolveMutex_;
  std::unordered_map<std::string, TF_Output> resolved_;
};

using ModelRef = std::shared_ptr<ModelCore>;

}  // namespace tfcv
