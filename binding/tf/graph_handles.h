// RAII over the TensorFlow C API handles a model needs: graph, session options, buffers,
// import options. A session is closed and deleted by ModelCore (it needs a status).
#pragma once

#include <tensorflow/c/c_api.h>

#include <memory>
#include <string>

namespace tfcv {

using GraphPtr = std::unique_ptr<TF_Graph, decltype(&TF_DeleteGraph)>;
using SessionOptionsPtr = std::unique_ptr<TF_SessionOptions, decltype(&TF_DeleteSessionOptions)>;
using BufferPtr = std::unique_ptr<TF_Buffer, decltype(&TF_DeleteBuffer)>;
using ImportOptionsPtr = std::unique_ptr<TF_ImportGraphDefOptions, decltype(&TF_DeleteImportGraphDefOptions)>;

inline GraphPtr NewGraph() { return GraphPtr(TF_NewGraph(), &TF_DeleteGraph); }
inline SessionOptionsPtr NewSessionOptions() {
  return SessionOptionsPtr(TF_NewSessionOptions(), &TF_DeleteSessionOptions);
}
inline BufferPtr NewBuffer() { return BufferPtr(TF_NewBuffer(), &TF_DeleteBuffer); }
// A buffer that copies `bytes` (TF_NewBufferFromString copies).
inline BufferPtr BufferFrom(const std::string& bytes) {
  return BufferPtr(TF_NewBufferFromString(bytes.data(), bytes.size()), &TF_DeleteBuffer);
}
inline ImportOptionsPtr NewImportOptions() {
  return ImportOptionsPtr(TF_NewImportGraphDefOptions(), &TF_DeleteImportGraphDefOptions);
}

}  // namespace tfcv
