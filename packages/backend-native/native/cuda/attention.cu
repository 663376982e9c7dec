#include "attention.h"

#include <cuda_bf16.h>
#include <cuda_fp16.h>

#include <algorithm>
#include <cmath>

#include "gemm.h"

// The bound on one call's fp32 scores (256 MiB): long rows are cut into query blocks,
// never held whole. The emulator build sets it small, so the tests take every cut.
#ifndef PRETRAIN_CUDA_SCORE_FLOATS
#define PRETRAIN_CUDA_SCORE_FLOATS (size_t{64} << 20)
#endif

namespace pretrain::cuda {

namespace {
constexpr size_t kScoreFloats = PRETRAIN_CUDA_SCORE_FLOATS;
}  // namespace

size_t attentionScratch(const AttentionShape& shape, int entries, int rowLength, int total) {
  const size_t group = shape.heads / shape.kvHeads, perEntry = group * rowLength * total;
  if (perEntry <= kScoreFloats) return std::min<size_t>(entries, kScoreFloats / perEntry) * perEntry;
  return group * std::clamp<size_t>(kScoreFloats / (group * total), 1, rowLength) * total;
}

// Per (row, kv head) entry: scores of its query heads against its keys, softmax, times
// values. Query heads sharing a kv head are adjacent, so an entry is one GEMM of
// group × T rows and many entries go in one strided batch. An entry whose scores alone
// pass the bound is cut into blocks of query rows instead, its group's heads batched.
template <typename T>
void attend(CublasHandle blas, cudaStream_t stream, const AttentionShape& shape, TokenRows rows, int capacity,
            const AttentionBuffers<T>& io, DeviceBuffer& scoreBuffer, DeviceBuffer& probBuffer, const float* alibi,
            int alibiStride) {
  const int hd = shape.headDim, group = shape.heads / shape.kvHeads, L = rows.rowLength;
  const int total = rows.start + L, entries = rows.count / L * shape.kvHeads;
  const long long groupRows = static_cast<long long>(group) * L;
  const size_t perEntry = static_cast<size_t>(groupRows) * total;
  const size_t floats = attentionScratch(shape, entries, L, total);
  scoreBuffer.reserve(floats * sizeof(float));
  probBuffer.reserve(floats * sizeof(T));
  const cudaDataType type = dataType<T>();
  const float scale = 1.f / std::sqrt(static_cast<float>(hd));
  // With ALiBi the GEMM leaves raw scores; the softmax adds the bias and scales.
  const float alpha = alibi == nullptr ? scale : 1.f;
  auto bias = [&](int firstEntry, int rowsPerHead) {
    return ScoreBias{alibi, alibiStride, scale, firstEntry, group * rowsPerHead, rowsPerHead, shape.kvHeads, group};
  };
  const long long kvStride = static_cast<long long>(capacity) * hd, qStride = groupRows * hd;
  const long long headStride = static_cast<long long>(L) * hd;
  float* scores = scoreBuffer.as<float>();
  T* probs = probBuffer.as<T>();
  if (perEntry <= kScoreFloats) {
    const int chunk = static_cast<int>(floats / perEntry);
    for (int first = 0; first < entries; first += chunk) {
      const int count = std::min(chunk, entries - first);
      gemm(blas, static_cast<int>(groupRows), total, hd, alpha,
           Operand{io.queries + first * qStride, type, hd, qStride},
           Operand{io.keys + first * kvStride, type, hd, kvStride, true}, 0.f,
           Output{scores, CUDA_R_32F, total, static_cast<long long>(perEntry)}, count);
      causalSoftmax<T>(scores, probs, static_cast<int>(count * groupRows), total, L, rows.start, bias(first, L),
                       stream);
      gemm(blas, static_cast<int>(groupRows), hd, total, 1.f,
           Operand{probs, type, total, static_cast<long long>(perEntry)},
           Operand{io.values + first * kvStride, type, hd, kvStride}, 0.f,
           Output{io.heads + first * qStride, type, hd, qStride}, count);
    }
  } else {
    const int block = static_cast<int>(floats / (static_cast<size_t>(group) * total));
    for (int entry = 0; entry < entries; entry++) {
      for (int first = 0; first < L; first += block) {
        const int count = std::min(block, L - first), seen = rows.start + first + count;
        const long long blockScores = static_cast<long long>(count) * seen;
        const long long offset = entry * qStride + static_cast<long long>(first) * hd;
        gemm(blas, count, seen, hd, alpha, Operand{io.queries + offset, type, hd, headStride},
             Operand{io.keys + entry * kvStride, type, hd, 0, true}, 0.f,
             Output{scores, CUDA_R_32F, seen, blockScores}, group);
        causalSoftmax<T>(scores, probs, group * count, seen, count, rows.start + first, bias(entry, count), stream);
        gemm(blas, count, hd, seen, 1.f, Operand{probs, type, seen, blockScores},
             Operand{io.values + entry * kvStride, type, hd, 0}, 0.f,
             Output{io.heads + offset, type, hd, headStride}, group);
      }
    }
  }
  mergeHeads<T>(io.heads, io.merged, rows, shape.heads, hd, stream);
}

#define PRETRAIN_CUDA_INSTANTIATE(T)                                                                        \
  template void attend<T>(CublasHandle, cudaStream_t, const AttentionShape&, TokenRows, int,                   \
                          const AttentionBuffers<T>&, DeviceBuffer&, DeviceBuffer&, const float*, int);
PRETRAIN_CUDA_INSTANTIATE(float)
PRETRAIN_CUDA_INSTANTIATE(__nv_bfloat16)
PRETRAIN_CUDA_INSTANTIATE(__half)
#undef PRETRAIN_CUDA_INSTANTIATE

}  // namespace pretrain::cuda
