// tfcv.node: a small front for the real addon (tfcv_core.node, beside it). libtensorflow
// prints absl/oneDNN INFO lines from its static initialisers the moment it is loaded, before
// any code of ours could lower a log level, and TF_CPP_MIN_LOG_LEVEL does not reach them.
// This front loads the core (and with it libtensorflow) while stderr points at /dev/null when
// the INFO level is filtered (TF_CPP_MIN_LOG_LEVEL >= 1; lib/native.ts sets 2 unless the user
// chose), then hands Node-API registration to the core. Load errors come back through
// dlerror() and are thrown with the loader's own text. Only libc: it must load anywhere.
// In a worker_thread, process.env is a copy, so lib/native.ts's default never reaches the
// process environment TensorFlow reads: the front sets the same default there, once.
#include <dlfcn.h>
#include <fcntl.h>
#include <node_api.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <mutex>
#include <string>

namespace {

using RegisterFn = napi_value (*)(napi_env, napi_value);

std::mutex g_mutex;
void* g_core = nullptr;
std::string g_error;

// tfcv's default log level (errors only) in the process environment, unless the user set
// one there. Runs before libtensorflow is loaded, so no TensorFlow thread reads the
// environment meanwhile. On the main thread lib/native.ts has already set it (process.env
// writes through); only a first load inside a worker_thread gets here with it unset.
void DefaultLogLevel() { setenv("TF_CPP_MIN_LOG_LEVEL", "2", 0); }

bool InfoLogsFiltered() {
  const char* level = getenv("TF_CPP_MIN_LOG_LEVEL");
  return level != nullptr && atoi(level) >= 1;
}

std::string CorePath() {
  Dl_info info{};
  if (dladdr(reinterpret_cast<void*>(&CorePath), &info) == 0 || info.dli_fname == nullptr) return "tfcv_core.node";
  std::string self = info.dli_fname;
  size_t slash = self.rfind('/');
  return (slash == std::string::npos ? std::string() : self.substr(0, slash + 1)) + "tfcv_core.node";
}

// Loads the core once per process (worker threads register again, the library stays
// loaded); after a failure the next require tries again (e.g. after `npx tfcv setup`).
void LoadCore() {
  std::lock_guard<std::mutex> lock(g_mutex);
  if (g_core != nullptr) return;
  const std::string path = CorePath();
  DefaultLogLevel();
  int saved = -1;
  if (InfoLogsFiltered()) {
    fflush(stderr);
    saved = dup(STDERR_FILENO);
    int devnull = open("/dev/null", O_WRONLY | O_CLOEXEC);
    if (saved >= 0 && devnull >= 0) dup2(devnull, STDERR_FILENO);
    if (devnull >= 0) close(devnull);
  }
  g_core = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (g_core == nullptr) {
    const char* why = dlerror();
    g_error = why != nullptr ? why : ("cannot load " + path);
  }
  if (saved >= 0) {
    fflush(stderr);
    dup2(saved, STDERR_FILENO);
    close(saved);
  }
}

}  // namespace

extern "C" {

NAPI_MODULE_EXPORT int32_t node_api_module_get_api_version_v1(void) { return NAPI_VERSION; }

NAPI_MODULE_EXPORT napi_value napi_register_module_v1(napi_env env, napi_value exports) {
  LoadCore();
  if (g_core == nullptr) {
    napi_throw_error(env, nullptr, g_error.c_str());
    return nullptr;
  }
  auto reg = reinterpret_cast<RegisterFn>(dlsym(g_core, "napi_register_module_v1"));
  if (reg == nullptr) {
    napi_throw_error(env, nullptr, "tfcv_core.node has no napi_register_module_v1");
    return nullptr;
  }
  return reg(env, exports);
}

}  // extern "C"
