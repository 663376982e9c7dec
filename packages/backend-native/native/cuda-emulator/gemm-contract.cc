// The emulated cuBLAS against OpenBLAS's column-major sgemm, whose BLAS semantics cuBLAS
// follows: every transpose pair with padded leading dimensions and β ≠ 0, strided batches,
// bf16 and f16 inputs against sgemm on the rounded values, and the argument checks.
// Built and run by src/cuda-emulator.test.ts; prints each mismatch and exits 1 on any.
#include <cblas.h>

#include <cmath>
#include <cstdio>
#include <random>
#include <vector>

#include "../cuda/cublas.h"
#include "cuda_bf16.h"
#include "cuda_fp16.h"

using pretrain::cuda::cublas;
using pretrain::cuda::kCompute32F;
using pretrain::cuda::kGemmDefault;
using pretrain::cuda::kOpN;
using pretrain::cuda::kOpT;

namespace {

int failures = 0;
std::mt19937 rng(7);

std::vector<float> randomMatrix(size_t count) {
  std::uniform_real_distribution<float> value(-1.f, 1.f);
  std::vector<float> out(count);
  for (float& v : out) v = value(rng);
  return out;
}

void expectClose(const std::vector<float>& got, const std::vector<float>& want, float tolerance, const char* what) {
  for (size_t i = 0; i < want.size(); i++) {
    if (!(std::fabs(got[i] - want[i]) <= tolerance)) {
      std::printf("%s: element %zu is %g, expected %g\n", what, i, got[i], want[i]);
      failures++;
      return;
    }
  }
}

void expectStatus(int got, int want, const char* what) {
  if (got != want) {
    std::printf("%s: status %d, expected %d\n", what, got, want);
    failures++;
  }
}

// C = α·op(A)·op(B) + β·C for every transpose pair, batched over `batch` strided entries.
void checkShapes(int batch) {
  const int m = 5, n = 7, k = 3;
  const float alpha = 0.75f, beta = -0.5f;
  for (int ta : {kOpN, kOpT}) {
    for (int tb : {kOpN, kOpT}) {
      const int lda = (ta == kOpN ? m : k) + 2, ldb = (tb == kOpN ? k : n) + 1, ldc = m + 3;
      const long long strideA = static_cast<long long>(lda) * (ta == kOpN ? k : m) + 4;
      const long long strideB = static_cast<long long>(ldb) * (tb == kOpN ? n : k) + 1;
      const long long strideC = static_cast<long long>(ldc) * n + 2;
      const std::vector<float> a = randomMatrix(strideA * batch), b = randomMatrix(strideB * batch);
      std::vector<float> c = randomMatrix(strideC * batch), want = c;
      for (int e = 0; e < batch; e++) {
        cblas_sgemm(CblasColMajor, ta == kOpN ? CblasNoTrans : CblasTrans, tb == kOpN ? CblasNoTrans : CblasTrans, m, n,
                    k, alpha, a.data() + e * strideA, lda, b.data() + e * strideB, ldb, beta,
                    want.data() + e * strideC, ldc);
      }
      const int status =
          batch == 1 ? cublas().gemmEx(nullptr, ta, tb, m, n, k, &alpha, a.data(), CUDA_R_32F, lda, b.data(),
                                       CUDA_R_32F, ldb, &beta, c.data(), CUDA_R_32F, ldc, kCompute32F, kGemmDefault)
                     : cublas().gemmStridedBatchedEx(nullptr, ta, tb, m, n, k, &alpha, a.data(), CUDA_R_32F, lda,
                                                     strideA, b.data(), CUDA_R_32F, ldb, strideB, &beta, c.data(),
                                                     CUDA_R_32F, ldc, strideC, batch, kCompute32F, kGemmDefault);
      expectStatus(status, 0, "fp32 gemm");
      expectClose(c, want, 1e-5f, batch == 1 ? "fp32 gemm" : "fp32 strided batched gemm");
    }
  }
}

// Half inputs: the same product as sgemm on the inputs rounded to that type; an fp32 output.
template <typename Half>
void checkHalfInputs(cudaDataType type, Half (*round)(float), float (*widen)(Half)) {
  const int m = 4, n = 6, k = 8;
  const float alpha = 1.f, beta = 0.f;
  std::vector<float> a = randomMatrix(m * k), b = randomMatrix(k * n);
  std::vector<Half> ah(a.size()), bh(b.size());
  for (size_t i = 0; i < a.size(); i++) a[i] = widen(ah[i] = round(a[i]));
  for (size_t i = 0; i < b.size(); i++) b[i] = widen(bh[i] = round(b[i]));
  std::vector<float> want(m * n), c(m * n, NAN);  // β = 0: C is never read, even NaN
  cblas_sgemm(CblasColMajor, CblasNoTrans, CblasTrans, m, n, k, alpha, a.data(), m, b.data(), n, beta, want.data(), m);
  expectStatus(cublas().gemmEx(nullptr, kOpN, kOpT, m, n, k, &alpha, ah.data(), type, m, bh.data(), type, n, &beta,
                               c.data(), CUDA_R_32F, m, kCompute32F, kGemmDefault),
               0, "half-input gemm");
  expectClose(c, want, 1e-5f, "half-input gemm");
}

void checkRefusals() {
  const float one = 1.f;
  std::vector<float> a(64), b(64), c(64);
  std::vector<__nv_bfloat16> h(64);
  expectStatus(cublas().gemmEx(nullptr, kOpN, kOpN, 4, 4, 4, &one, a.data(), CUDA_R_32F, 3, b.data(), CUDA_R_32F, 4,
                               &one, c.data(), CUDA_R_32F, 4, kCompute32F, kGemmDefault),
               7, "lda below m");
  expectStatus(cublas().gemmEx(nullptr, kOpN, kOpT, 4, 4, 4, &one, a.data(), CUDA_R_32F, 4, b.data(), CUDA_R_32F, 3,
                               &one, c.data(), CUDA_R_32F, 4, kCompute32F, kGemmDefault),
               7, "ldb below n for a transposed B");
  expectStatus(cublas().gemmEx(nullptr, kOpN, kOpN, 4, 4, 4, &one, a.data(), CUDA_R_32F, 4, h.data(), CUDA_R_16BF, 4,
                               &one, c.data(), CUDA_R_32F, 4, kCompute32F, kGemmDefault),
               15, "fp32 × bf16");
}

}  // namespace

int main() {
  checkShapes(1);
  checkShapes(3);
  checkHalfInputs<__nv_bfloat16>(CUDA_R_16BF, __float2bfloat16, __bfloat162float);
  checkHalfInputs<__half>(CUDA_R_16F, __float2half, __half2float);
  checkRefusals();
  std::printf(failures == 0 ? "emulated cuBLAS matches OpenBLAS\n" : "%d mismatches\n", failures);
  return failures == 0 ? 0 : 1;
}
