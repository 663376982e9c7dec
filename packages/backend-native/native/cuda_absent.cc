// The CUDA entry points of a build made without nvcc: they say how to get a CUDA build.
#include "cuda/cuda_engine.h"

namespace pretrain {

namespace {
const char* kNoCuda =
    "this build of the native addon has no CUDA path: nvcc was not found when it was built "
    "(install the CUDA toolkit, then run npm run build:native)";
}  // namespace

bool cudaBuilt() { return false; }

int cudaDevices(std::string& reason) {
  reason = kNoCuda;
  return 0;
}

std::unique_ptr<Engine> makeCudaEngine(Config) { throw ModelError("device", kNoCuda); }

}  // namespace pretrain
