#include "check.h"

namespace pretrain::cuda {

void check(cudaError_t status, const char* what) {
  if (status == cudaSuccess) return;
  // Clear a non-sticky error so the next call reports its own. A sticky one (a fault in a
  // kernel) stays: CUDA then fails every later call in this process, each with this report.
  cudaGetLastError();
  throw ModelError("device", std::string("CUDA ") + what + " failed: " + cudaGetErrorName(status) + " (" +
                                 cudaGetErrorString(status) + ")");
}

void DeviceBuffer::reserve(size_t bytes) {
  if (bytes <= bytes_) return;
  release();
  void* memory = nullptr;
  const cudaError_t status = cudaMalloc(&memory, bytes);
  if (status == cudaErrorMemoryAllocation) {
    cudaGetLastError();
    throw ModelError("device", "out of GPU memory allocating " + std::to_string(bytes >> 20) + " MiB");
  }
  check(status, "cudaMalloc");
  data_ = memory;
  bytes_ = bytes;
}

void DeviceBuffer::release() {
  if (data_ != nullptr) cudaFree(data_);
  data_ = nullptr;
  bytes_ = 0;
}

}  // namespace pretrain::cuda
