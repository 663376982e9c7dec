#include "cuda_engine.h"

#include <cuda_bf16.h>
#include <cuda_fp16.h>
#include <cuda_runtime.h>

#include "cublas.h"
#include "cuda_model.h"

namespace pretrain {

namespace {

// bf16 GEMMs and the kernels' bf16 conversions need Ampere or newer (the build targets sm_80+).
constexpr int kMinimumMajor = 8;

/** The first device able to run the kernels, or -1 with `reason` set. */
int firstUsableDevice(std::string& reason, int* usableCount) {
  int count = 0;
  const cudaError_t status = cudaGetDeviceCount(&count);
  if (status != cudaSuccess) {
    cudaGetLastError();
    int runtime = 0;
    cudaRuntimeGetVersion(&runtime);
    const std::string version = std::to_string(runtime / 1000) + "." + std::to_string(runtime % 1000 / 10);
    // The runtime is linked in statically; the driver (libcuda) is the machine's.
    reason = status == cudaErrorInsufficientDriver
                 ? "no NVIDIA driver for CUDA " + version + " was found (libcuda is missing or older)"
                 : std::string("no usable CUDA device (") + cudaGetErrorString(status) + ")";
    return -1;
  }
  int first = -1, usable = 0;
  std::string older;
  for (int i = 0; i < count; i++) {
    cudaDeviceProp properties{};
    if (cudaGetDeviceProperties(&properties, i) != cudaSuccess) continue;
    if (properties.major >= kMinimumMajor) {
      usable++;
      if (first < 0) first = i;
    } else {
      older += std::string(older.empty() ? "" : ", ") + properties.name + " (" + std::to_string(properties.major) +
               "." + std::to_string(properties.minor) + ")";
    }
  }
  if (usableCount != nullptr) *usableCount = usable;
  if (first < 0) {
    reason = count == 0 ? "no CUDA device is visible"
                        : "no CUDA device has compute capability 8.0 or newer: " + older;
  }
  return first;
}

/** bf16 or f16 when every matrix is stored so; fp32 for fp32 or mixed matrices. */
Dtype gemmPrecision(const Config& c) {
  const std::vector<bool> matrix = cuda::matrixTensors(c);
  bool allBf16 = true, allF16 = true;
  for (size_t i = 0; i < matrix.size(); i++) {
    if (!matrix[i]) continue;
    allBf16 = allBf16 && c.tensors[i].dtype == Dtype::BF16;
    allF16 = allF16 && c.tensors[i].dtype == Dtype::F16;
  }
  return allBf16 ? Dtype::BF16 : allF16 ? Dtype::F16 : Dtype::F32;
}

}  // namespace

bool cudaBuilt() { return true; }

int cudaDevices(std::string& reason) {
  int usable = 0;
  firstUsableDevice(reason, &usable);
  return usable;
}

std::unique_ptr<Engine> makeCudaEngine(Config config) {
  std::string reason;
  const int device = firstUsableDevice(reason, nullptr);
  if (device < 0) throw ModelError("device", reason);
  cuda::cublas();  // fail here, before any weight is read, when cuBLAS is missing
  switch (gemmPrecision(config)) {
    case Dtype::BF16:
      return std::make_unique<cuda::CudaModel<__nv_bfloat16>>(std::move(config), device);
    case Dtype::F16:
      return std::make_unique<cuda::CudaModel<__half>>(std::move(config), device);
    default:
      return std::make_unique<cuda::CudaModel<float>>(std::move(config), device);
  }
}

}  // namespace pretrain
