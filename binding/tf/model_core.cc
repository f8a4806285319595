// See model_core.h.
#include "tf/model_core.h"

#include <cstring>

#include "common/errors.h"
#include "common/stats.h"
#include "common/dtype.h"
#include "tf/status.h"
#include "tf/tensor_factory.h"

namespace tfcv {
namespace {

SessionOptionsPtr MakeSessionOptions(const std::string& configProto) {
  SessionOptionsPtr options = NewSessionOptions();
  if (!configProto.empty()) {
    StatusPtr status = NewStatus();
    TF_SetConfig(options.get(), configProto.data(), configProto.size(), status.get());
    CheckStatus(status.get(), "session options");
  }
  return options;
}

// Outputs that alias memory TensorFlow still uses (a constant, an input fed through an
// Identity) are copied: the caller gets tensors it may write into without corrupting
// the model or its inputs.
TensorRef OwnOutput(TF_Tensor* raw) {
  auto owner = std::make_shared<TensorOwner>(raw);
  if (owner->dtype().tf == TF_STRING || owner->IsUniquelyOwned()) return owner;
  const size_t bytes = owner->byteLength();
  Shape shape = owner->shape();
  std::vector<int64_t> dims(shape.begin(), shape.end());
  TF_Tensor* copy = TF_AllocateTensor(owner->dtype().tf, dims.data(), static_cast<int>(dims.size()), bytes);
  if (copy == nullptr) throw std::bad_alloc();
  if (bytes) std::memcpy(TF_TensorData(copy), owner->data(), bytes);
  Stats::Get().RecordCopy(static_cast<int64_t>(bytes));
  return std::make_shared<TensorOwner>(copy);
}

}  // namespace

std::shared_ptr<ModelCore> ModelCore::LoadSavedModel(const std::string& dir, const std::vector<std::string>& tags,
                                                     const std::string& configProto, std::string* metaGraphDef) {
  SessionOptionsPtr options = MakeSessionOptions(configProto);
  GraphPtr graph = NewGraph();
  BufferPtr meta = NewBuffer();
  StatusPtr status = NewStatus();
  std::vector<const char*> tagPtrs;
  for (const std::string& t : tags) tagPtrs.push_back(t.c_str());
  TF_Session* session =
      TF_LoadSessionFromSavedModel(options.get(), nullptr, dir.c_str(), tagPtrs.data(),
                                   static_cast<int>(tagPtrs.size()), graph.get(), meta.get(), status.get());
  if (TF_GetCode(status.get()) != TF_OK && session != nullptr) {
    StatusPtr ignored = NewStatus();
    TF_CloseSession(session, ignored.get());
    TF_DeleteSession(session, ignored.get());
  }
  CheckStatus(status.get(), "loadSavedModel('" + dir + "')");
  metaGraphDef->assign(static_cast<const char*>(meta->data), meta->length);
  return std::shared_ptr<ModelCore>(new ModelCore(std::move(graph), session));
}

std::shared_ptr<ModelCore> ModelCore::LoadFrozenGraph(const std::string& graphDef, const std::string& configProto) {
  SessionOptionsPtr options = MakeSessionOptions(configProto);
  GraphPtr graph = NewGraph();
  StatusPtr status = NewStatus();
  BufferPtr buffer = BufferFrom(graphDef);
  ImportOptionsPtr importOptions = NewImportOptions();
  TF_GraphImportGraphDef(graph.get(), buffer.get(), importOptions.get(), status.get());
  CheckStatus(status.get(), "loadFrozenGraph: importing the GraphDef");
  TF_Session* session = TF_NewSession(graph.get(), options.get(), status.get());
  CheckStatus(status.get(), "loadFrozenGraph: creating the session");
  return std::shared_ptr<ModelCore>(new ModelCore(std::move(graph), session));
}

ModelCore::~ModelCore() {
  StatusPtr status = NewStatus();
  TF_CloseSession(session_, status.get());
  TF_DeleteSession(session_, status.get());
}

TF_Output ModelCore::Resolve(const std::string& tensorName, const std::string& what) {
  std::lock_guard<std::mutex> lock(resolveMutex_);
  auto found = resolved_.find(tensorName);
  if (found != resolved_.end()) return found->second;
  std::string op = tensorName;
  int index = 0;
  size_t colon = tensorName.rfind(':');
  if (colon != std::string::npos) {
    const std::string digits = tensorName.substr(colon + 1);
    if (digits.empty() || digits.find_first_not_of("0123456789") != std::string::npos || digits.size() > 6)
      Fail(ErrorKind::kArgument, what + ": expected a tensor name 'op' or 'op:index', got '" + tensorName + "'");
    op = tensorName.substr(0, colon);
    index = std::stoi(digits);
  }
  TF_Operation* oper = TF_GraphOperationByName(graph_.get(), op.c_str());
  if (oper == nullptr) Fail(ErrorKind::kArgument, what + ": the graph has no operation '" + op + "'");
  if (index >= TF_OperationNumOutputs(oper))
    Fail(ErrorKind::kArgument, what + ": operation '" + op + "' has " + std::to_string(TF_OperationNumOutputs(oper)) +
                                   " outputs, got index " + std::to_string(index));
  TF_Output out{oper, index};
  resolved_.emplace(tensorName, out);
  return out;
}

std::vector<TensorRef> ModelCore::Run(const std::vector<TF_Output>& feeds, const std::vector<TensorRef>& values,
                                      const std::vector<TF_Output>& fetches, const std::string& runOptions) {
  // Row views (the batcher's outputs fed back) become TF_Tensors for this run only.
  std::vector<TensorRef> fed;
  std::vector<TF_Tensor*> inputs;
  fed.reserve(values.size());
  inputs.reserve(values.size());
  for (const TensorRef& v : values) {
    fed.push_back(FeedableTensor(v));
    inputs.push_back(fed.back()->get());
  }
  std::vector<TF_Tensor*> outputs(fetches.size(), nullptr);
  BufferPtr options = runOptions.empty() ? BufferPtr(nullptr, &TF_DeleteBuffer) : BufferFrom(runOptions);
  StatusPtr status = NewStatus();
  TF_SessionRun(session_, options.get(), feeds.data(), inputs.data(), static_cast<int>(inputs.size()), fetches.data(),
                outputs.data(), static_cast<int>(outputs.size()), nullptr, 0, nullptr, status.get());
  // Take ownership of whatever TensorFlow returned before anything can throw.
  std::vector<std::unique_ptr<TF_Tensor, decltype(&TF_DeleteTensor)>> owned;
  for (TF_Tensor* t : outputs) owned.emplace_back(t, &TF_DeleteTensor);
  CheckStatus(status.get(), "run");
  std::vector<TensorRef> result;
  for (auto& t : owned) {
    if (!t) Fail(ErrorKind::kTf, "run: TensorFlow returned no tensor for a fetch");
    result.push_back(OwnOutput(t.release()));
  }
  return result;
}

std::vector<std::pair<std::string, std::string>> ModelCore::OperationInputs(const std::string& opName) {
  TF_Operation* oper = TF_GraphOperationByName(graph_.get(), opName.c_str());
  if (oper == nullptr) Fail(ErrorKind::kArgument, "operation: the graph has no operation '" + opName + "'");
  std::vector<std::pair<std::string, std::string>> inputs;
  for (int i = 0, n = TF_OperationNumInputs(oper); i < n; ++i) {
    TF_Operation* producer = TF_OperationInput(TF_Input{oper, i}).oper;
    inputs.emplace_back(TF_OperationName(producer), TF_OperationOpType(producer));
  }
  return inputs;
}

std::vector<OperationInfo> ModelCore::Operations() {
  std::vector<OperationInfo> ops;
  size_t pos = 0;
  TF_Operation* oper;
  StatusPtr status = NewStatus();
  while ((oper = TF_GraphNextOperation(graph_.get(), &pos)) != nullptr) {
    OperationInfo info;
    info.name = TF_OperationName(oper);
    info.type = TF_OperationOpType(oper);
    info.numOutputs = TF_OperationNumOutputs(oper);
    info.hasShape = false;
    info.consumed = false;
    if (info.numOutputs > 0) {
      TF_Output out{oper, 0};
      const DType* d = DTypeByTf(TF_OperationOutputType(out));
      info.dtype = d ? d->name : "";
      info.consumed = TF_OperationOutputNumConsumers(out) > 0;
      int rank = TF_GraphGetTensorNumDims(graph_.get(), out, status.get());
      if (TF_GetCode(status.get()) == TF_OK && rank >= 0) {
        info.hasShape = true;
        info.shape.assign(rank, -1);
        if (rank > 0) TF_GraphGetTensorShape(graph_.get(), out, info.shape.data(), rank, status.get());
      }
    }
    ops.push_back(std::move(info));
  }
  return ops;
}

}  // namespace tfcv
