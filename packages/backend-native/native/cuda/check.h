// CUDA runtime errors as ModelErrors, and device memory owned like host memory.
#pragma once

#include <cuda_runtime.h>

#include <cstddef>
#include <string>

#include "../model.h"

namespace pretrain::cuda {

/** Throw ModelError("device") naming `what` unless `status` is cudaSuccess. */
void check(cudaError_t status, const char* what);

/** Device memory freed with its owner; grows by reallocation only (contents dropped). */
class DeviceBuffer {
 public:
  DeviceBuffer() = default;
  DeviceBuffer(const DeviceBuffer&) = delete;
  DeviceBuffer& operator=(const DeviceBuffer&) = delete;
  DeviceBuffer(DeviceBuffer&& other) noexcept : data_(other.data_), bytes_(other.bytes_) {
    other.data_ = nullptr;
    other.bytes_ = 0;
  }
  ~DeviceBuffer() { release(); }
  /** Make room for at least `bytes` (a new, uninitialised allocation when it grows). */
  void reserve(size_t bytes);
  template <typename T>
  T* as() const { return static_cast<T*>(data_); }
  size_t bytes() const { return bytes_; }

 private:
  void release();
  void* data_ = nullptr;
  size_t bytes_ = 0;
};

}  // namespace pretrain::cuda
