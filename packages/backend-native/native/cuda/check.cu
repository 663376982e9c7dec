#include "check.h"

namespace pretrain::cuda {

void check(cudaError_t status, const char* what) {
  if (status == cudaSuccess) return;
  // A failed call can leave a sticky error behind: clear it so the next call reports its own.
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
