// cuBLAS for the CPU emulator: GemmEx and GemmStridedBatchedEx with cuBLAS's column-major
// semantics, argument checks (leading dimensions, type combinations) and status codes,
// accumulating in fp32 and rounding once to the output type as cuBLAS does.
#include "../cuda/cublas.h"

#include <string>

#include "../model.h"
#include "cuda_bf16.h"
#include "cuda_fp16.h"

namespace pretrain::cuda {

namespace {

constexpr int kSuccess = 0, kInvalidValue = 7, kNotSupported = 15;

float load(const void* base, cudaDataType type, size_t index) {
  switch (type) {
    case CUDA_R_16BF:
      return __bfloat162float(static_cast<const __nv_bfloat16*>(base)[index]);
    case CUDA_R_16F:
      return __half2float(static_cast<const __half*>(base)[index]);
    default:
      return static_cast<const float*>(base)[index];
  }
}

void store(void* base, cudaDataType type, size_t index, float value) {
  switch (type) {
    case CUDA_R_16BF:
      static_cast<__nv_bfloat16*>(base)[index] = __float2bfloat16(value);
      break;
    case CUDA_R_16F:
      static_cast<__half*>(base)[index] = __float2half(value);
      break;
    default:
      static_cast<float*>(base)[index] = value;
  }
}

size_t bytes(cudaDataType type) { return type == CUDA_R_32F ? 4 : 2; }

// What cublasGemmEx accepts with CUBLAS_COMPUTE_32F: all fp32, or equal half inputs with
// a same-half or fp32 output.
bool supported(cudaDataType a, cudaDataType b, cudaDataType c, int compute) {
  if (compute != kCompute32F || a != b) return false;
  return a == CUDA_R_32F ? c == CUDA_R_32F : c == a || c == CUDA_R_32F;
}

int stridedBatched(CublasHandle, int transa, int transb, int m, int n, int k, const void* alpha, const void* a,
                   cudaDataType aType, int lda, long long strideA, const void* b, cudaDataType bType, int ldb,
                   long long strideB, const void* beta, void* c, cudaDataType cType, int ldc, long long strideC,
                   int batch, int compute, int algo) {
  if (!supported(aType, bType, cType, compute) || algo != kGemmDefault) return kNotSupported;
  const bool ta = transa == kOpT, tb = transb == kOpT;
  if ((transa != kOpN && !ta) || (transb != kOpN && !tb)) return kInvalidValue;
  if (m < 0 || n < 0 || k < 0 || batch < 1) return kInvalidValue;
  if (lda < std::max(1, ta ? k : m) || ldb < std::max(1, tb ? n : k) || ldc < std::max(1, m)) return kInvalidValue;
  const float al = *static_cast<const float*>(alpha), be = *static_cast<const float*>(beta);
  for (int e = 0; e < batch; e++) {
    const char* A = static_cast<const char*>(a) + e * strideA * bytes(aType);
    const char* B = static_cast<const char*>(b) + e * strideB * bytes(bType);
    char* C = static_cast<char*>(c) + e * strideC * bytes(cType);
    for (int j = 0; j < n; j++) {
      for (int i = 0; i < m; i++) {
        float sum = 0.f;
        for (int p = 0; p < k; p++) {
          const size_t ai = ta ? p + static_cast<size_t>(i) * lda : i + static_cast<size_t>(p) * lda;
          const size_t bi = tb ? j + static_cast<size_t>(p) * ldb : p + static_cast<size_t>(j) * ldb;
          sum += load(A, aType, ai) * load(B, bType, bi);
        }
        const size_t ci = i + static_cast<size_t>(j) * ldc;
        // With β = 0, C is never read (it may hold garbage, even NaN), as in cuBLAS.
        store(C, cType, ci, al * sum + (be == 0.f ? 0.f : be * load(C, cType, ci)));
      }
    }
  }
  return kSuccess;
}

int single(CublasHandle handle, int transa, int transb, int m, int n, int k, const void* alpha, const void* a,
           cudaDataType aType, int lda, const void* b, cudaDataType bType, int ldb, const void* beta, void* c,
           cudaDataType cType, int ldc, int compute, int algo) {
  return stridedBatched(handle, transa, transb, m, n, k, alpha, a, aType, lda, 0, b, bType, ldb, 0, beta, c, cType,
                        ldc, 0, 1, compute, algo);
}

int create(CublasHandle* handle) {
  *handle = new char;
  return kSuccess;
}
int destroy(CublasHandle handle) {
  delete static_cast<char*>(handle);
  return kSuccess;
}
int setStream(CublasHandle, cudaStream_t) { return kSuccess; }

}  // namespace

const Cublas& cublas() {
  static const Cublas api{create, destroy, setStream, single, stridedBatched};
  return api;
}

}  // namespace pretrain::cuda
