// A CPU stand-in for the CUDA runtime, for tests only: with this directory first on the
// include path, native/cuda builds with g++ and its host code and kernels run here.
// Device memory is host memory, streams run each call at once, a kernel's blocks run one
// after another and a block's threads run as fibers that switch at __syncthreads and at
// warp shuffles. It checks what a GPU would not forgive silently: divergent barriers,
// writes or reads past the end of device memory, and reads of memory nothing wrote.
#pragma once

#include <cmath>
#include <cstddef>
#include <functional>

#include "library_types.h"

enum cudaError_t {
  cudaSuccess = 0,
  cudaErrorInvalidValue = 1,
  cudaErrorMemoryAllocation = 2,
  cudaErrorInsufficientDriver = 35,
  cudaErrorLaunchFailure = 719,
};
enum cudaMemcpyKind {
  cudaMemcpyHostToHost = 0,
  cudaMemcpyHostToDevice = 1,
  cudaMemcpyDeviceToHost = 2,
  cudaMemcpyDeviceToDevice = 3,
};
using cudaStream_t = struct EmulatedStream*;
constexpr unsigned cudaStreamNonBlocking = 1;

struct cudaDeviceProp {
  char name[256];
  int major, minor;
};

struct dim3 {
  unsigned x, y, z;
  dim3(unsigned x = 1, unsigned y = 1, unsigned z = 1) : x(x), y(y), z(z) {}
};

cudaError_t cudaMalloc(void** pointer, size_t bytes);
cudaError_t cudaFree(void* pointer);
cudaError_t cudaMemcpy(void* to, const void* from, size_t bytes, cudaMemcpyKind kind);
cudaError_t cudaMemcpyAsync(void* to, const void* from, size_t bytes, cudaMemcpyKind kind, cudaStream_t stream);
cudaError_t cudaMemsetAsync(void* to, int value, size_t bytes, cudaStream_t stream);
cudaError_t cudaStreamCreateWithFlags(cudaStream_t* stream, unsigned flags);
cudaError_t cudaStreamDestroy(cudaStream_t stream);
cudaError_t cudaStreamSynchronize(cudaStream_t stream);
cudaError_t cudaSetDevice(int device);
cudaError_t cudaGetDeviceCount(int* count);
cudaError_t cudaGetDeviceProperties(cudaDeviceProp* properties, int device);
cudaError_t cudaRuntimeGetVersion(int* version);
cudaError_t cudaGetLastError();
const char* cudaGetErrorName(cudaError_t error);
const char* cudaGetErrorString(cudaError_t error);

#define __global__
#define __device__
#define __host__
#define __forceinline__ inline
// One block runs at a time on a thread, so a per-thread static is the block's shared memory.
#define __shared__ static thread_local

extern thread_local dim3 threadIdx, blockIdx, blockDim, gridDim;

namespace pretrain::emulator {

/** Run `body` once per thread of every block of `grid` × `block` (x only). */
void run(dim3 grid, dim3 block, const std::function<void()>& body);
/** The calling fiber waits until every thread of its block has arrived. */
void barrier();
/** The value `value` of lane (own lane XOR `mask`) in the calling thread's warp. */
float shuffleXor(float value, int mask);
/** The last launch error (a divergent barrier), cleared by reading it. */
cudaError_t takeLastError();

/** What a `kernel<<<grid, block, 0, stream>>>` launch becomes: call it with the kernel's arguments. */
template <typename Kernel>
struct Launch {
  dim3 grid, block;
  Kernel kernel;
  template <typename... Args>
  void operator()(Args... args) const {
    run(grid, block, [&] { kernel(args...); });
  }
};
template <typename Kernel>
Launch<Kernel> launch(dim3 grid, dim3 block, Kernel kernel) {
  return {grid, block, kernel};
}

}  // namespace pretrain::emulator

#define PRETRAIN_LAUNCH(kernel, grid, block, stream) \
  ::pretrain::emulator::launch(grid, block, [](auto... args) { kernel(args...); })
// Two warps per block (cross-warp reductions still happen), and tiny work bounds so
// the small test models take every cut the engine makes for large ones.
#define PRETRAIN_CUDA_THREADS 64
#define PRETRAIN_CUDA_PASS_TOKENS 40
#define PRETRAIN_CUDA_SCORE_FLOATS size_t{1536}
#define PRETRAIN_CUDA_LOGIT_FLOATS size_t{65536}

inline void __syncthreads() { pretrain::emulator::barrier(); }
inline float __shfl_xor_sync(unsigned, float value, int mask) { return pretrain::emulator::shuffleXor(value, mask); }
using std::max;
using std::min;
