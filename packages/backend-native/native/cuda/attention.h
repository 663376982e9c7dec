// Causal attention over cuBLAS: scores, our masked softmax, probabilities times values,
// for rows of tokens against keys and values in the cache layout of kernels.cuh.
#pragma once

#include <cstddef>

#include "check.h"
#include "cublas.h"
#include "kernels.cuh"

namespace pretrain::cuda {

/** Head counts and size of a model's attention. */
struct AttentionShape {
  int heads, kvHeads, headDim;
};

/** Where one attention call reads and writes (device memory). */
template <typename T>
struct AttentionBuffers {
  const T* queries;  // [row][head][t][headDim]
  const T* keys;     // [row][kvHead][capacity][headDim]
  const T* values;   // as keys
  T* heads;          // [row][head][t][headDim], then merged into `merged`
  T* merged;         // [row × t][head × headDim]
};

/**
 * Scratch floats (fp32 scores, and as many probabilities in T) of one call over `entries`
 * (row, kv head) pairs, rows of `rowLength` queries seeing `total` keys; never more than
 * the bound per call unless a single query row needs more.
 */
size_t attentionScratch(const AttentionShape& shape, int entries, int rowLength, int total);

/**
 * Attention of `rows` (queries at positions start + t) against `capacity`-row caches,
 * `scores` and `probs` grown to attentionScratch() first. With `alibi` ([heads, alibiStride]
 * biases by key position), each raw score gets its head's bias before the scaling.
 */
template <typename T>
void attend(CublasHandle blas, cudaStream_t stream, const AttentionShape& shape, TokenRows rows, int capacity,
            const AttentionBuffers<T>& io, DeviceBuffer& scores, DeviceBuffer& probs, const float* alibi = nullptr,
            int alibiStride = 0);

}  // namespace pretrain::cuda
