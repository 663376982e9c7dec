#include "cublas.h"

#include <dlfcn.h>

#include <atomic>
#include <mutex>
#include <string>

#include "../model.h"

namespace pretrain::cuda {

namespace {

template <typename Function>
void bind(void* library, const char* name, Function& into, const std::string& soname) {
  into = reinterpret_cast<Function>(dlsym(library, name));
  if (into == nullptr) throw ModelError("device", soname + " has no symbol " + name + ": it is too old for this addon");
}

Cublas open() {
  const char* names[] = {"libcublas.so.13", "libcublas.so.12", "libcublas.so.11", "libcublas.so"};
  std::string tried;
  for (const char* name : names) {
    void* library = dlopen(name, RTLD_NOW | RTLD_LOCAL);
    if (library == nullptr) {
      tried += std::string(tried.empty() ? "" : ", ") + name;
      continue;
    }
    Cublas api{};
    bind(library, "cublasCreate_v2", api.create, name);
    bind(library, "cublasDestroy_v2", api.destroy, name);
    bind(library, "cublasSetStream_v2", api.setStream, name);
    bind(library, "cublasGemmEx", api.gemmEx, name);
    bind(library, "cublasGemmStridedBatchedEx", api.gemmStridedBatchedEx, name);
    return api;  // the library stays open for the life of the process
  }
  throw ModelError("device", "cuBLAS was not found (tried " + tried +
                                 "): install the CUDA math libraries (libcublas) and make them visible to the "
                                 "loader (LD_LIBRARY_PATH or ldconfig)");
}

}  // namespace

const Cublas& cublas() {
  // Not a function-local static initialised by open(): a failure must be reported again
  // to every model that asks, not once and then as a half-built table. Every GEMM asks,
  // so the loaded table is read without the lock.
  static std::mutex mutex;
  static Cublas api{};
  static std::atomic<bool> loaded{false};
  if (loaded.load(std::memory_order_acquire)) return api;
  std::lock_guard<std::mutex> lock(mutex);
  if (!loaded.load(std::memory_order_relaxed)) {
    api = open();
    loaded.store(true, std::memory_order_release);
  }
  return api;
}

}  // namespace pretrain::cuda
