// cuBLAS, opened at run time. The addon then builds where the toolkit has nvcc and
// cudart but no cuBLAS, loads on machines without a GPU, and says what is missing only
// when a model is put on CUDA. Declared from cuBLAS's public ABI (cublas_api.h, v2).
#pragma once

#include <cuda_runtime.h>
#include <library_types.h>

namespace pretrain::cuda {

using CublasHandle = void*;

/** cuBLAS enum values used here (cublasOperation_t, cublasComputeType_t, cublasGemmAlgo_t). */
enum CublasConstant : int { kOpN = 0, kOpT = 1, kCompute32F = 68, kGemmDefault = -1 };

/** The cuBLAS entry points this backend calls; every status is 0 on success. */
struct Cublas {
  int (*create)(CublasHandle*);
  int (*destroy)(CublasHandle);
  int (*setStream)(CublasHandle, cudaStream_t);
  int (*gemmEx)(CublasHandle, int transa, int transb, int m, int n, int k, const void* alpha, const void* a,
                cudaDataType aType, int lda, const void* b, cudaDataType bType, int ldb, const void* beta, void* c,
                cudaDataType cType, int ldc, int computeType, int algo);
  int (*gemmStridedBatchedEx)(CublasHandle, int transa, int transb, int m, int n, int k, const void* alpha,
                              const void* a, cudaDataType aType, int lda, long long strideA, const void* b,
                              cudaDataType bType, int ldb, long long strideB, const void* beta, void* c,
                              cudaDataType cType, int ldc, long long strideC, int batchCount, int computeType,
                              int algo);
};

/**
 * The process's cuBLAS (libcublas.so.13, .12, .11, then libcublas.so), opened once.
 * @throws ModelError("device") naming the libraries tried and what to install.
 */
const Cublas& cublas();

/** Throw ModelError("device") naming `what` unless a cuBLAS `status` is success. */
void checkCublas(int status, const char* what);

}  // namespace pretrain::cuda
