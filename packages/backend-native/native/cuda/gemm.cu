#include "gemm.h"

#include <string>

#include "../model.h"

namespace pretrain::cuda {

void checkCublas(int status, const char* what) {
  if (status != 0) throw ModelError("device", std::string("cuBLAS ") + what + " failed with status " + std::to_string(status));
}

void gemm(CublasHandle handle, int m, int n, int k, float alpha, const Operand& a, const Operand& b, float beta,
          const Output& c, int batch) {
  // Row-major C = op(A)·op(B) is column-major Cᵀ = op(B)ᵀ·op(A)ᵀ: swap the operands and
  // the sizes m and n; each keeps its own transpose flag and leading dimension.
  const Cublas& api = cublas();
  const int opA = b.transposed ? kOpT : kOpN;
  const int opB = a.transposed ? kOpT : kOpN;
  if (batch == 1) {
    checkCublas(api.gemmEx(handle, opA, opB, n, m, k, &alpha, b.data, b.type, b.ld, a.data, a.type, a.ld, &beta,
                           c.data, c.type, c.ld, kCompute32F, kGemmDefault),
                "cublasGemmEx");
  } else {
    checkCublas(api.gemmStridedBatchedEx(handle, opA, opB, n, m, k, &alpha, b.data, b.type, b.ld, b.stride, a.data,
                                         a.type, a.ld, a.stride, &beta, c.data, c.type, c.ld, c.stride, batch,
                                         kCompute32F, kGemmDefault),
                "cublasGemmStridedBatchedEx");
  }
}

}  // namespace pretrain::cuda
