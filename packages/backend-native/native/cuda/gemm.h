// Row-major GEMMs on cuBLAS (which is column-major): C = α·op(A)·op(B) + β·C, where a
// row-major matrix is the transpose of the column-major one with the same leading dim.
#pragma once

#include <cuda_bf16.h>
#include <cuda_fp16.h>

#include "cublas.h"

namespace pretrain::cuda {

template <typename T>
constexpr cudaDataType dataType();
template <>
constexpr cudaDataType dataType<float>() { return CUDA_R_32F; }
template <>
constexpr cudaDataType dataType<__nv_bfloat16>() { return CUDA_R_16BF; }
template <>
constexpr cudaDataType dataType<__half>() { return CUDA_R_16F; }

/** One input: row-major with leading dimension `ld`, `stride` elements between batch entries. */
struct Operand {
  const void* data;
  cudaDataType type;
  int ld;
  long long stride = 0;
  bool transposed = false;
};

/** The output, as Operand (never transposed). */
struct Output {
  void* data;
  cudaDataType type;
  int ld;
  long long stride = 0;
};

/**
 * C[m×n] = α·op(A)[m×k]·op(B)[k×n] + β·C in fp32 arithmetic, `batch` times (strided).
 * @throws ModelError("device") when cuBLAS refuses the call.
 */
void gemm(CublasHandle handle, int m, int n, int k, float alpha, const Operand& a, const Operand& b, float beta,
          const Output& c, int batch = 1);

}  // namespace pretrain::cuda
