// The elementwise and row kernels of the CUDA forward pass. Activations that feed a GEMM
// are `T` (the model's matrix precision); the residual stream, GEMM outputs, norms'
// statistics, softmax and cross-entropy are fp32, as in the CPU path.
#pragma once

#include <cuda_runtime.h>

#include <cstdint>

#include "../model.h"

namespace pretrain::cuda {

/** Where q, k and v sit in a projected row, and the rotary part of each head. */
struct HeadShape {
  int heads, kvHeads, headDim, width;
  QkvLayout layout;
  int rotaryDims;
  /** Rotary pairs (2i, 2i+1) instead of (i, i + rotaryDims/2). */
  bool interleaved;
};

/**
 * ALiBi for a call's score rows (absent: `table` null). Row r belongs to entry
 * firstEntry + r / rowsPerEntry (entry e = batch row e / kvHeads, kv head e mod kvHeads),
 * whose query heads take `rowsPerHead` rows each; its raw scores become
 * (s + table[head × stride + key]) × scale.
 */
struct ScoreBias {
  const float* table;
  int stride;
  float scale;
  int firstEntry, rowsPerEntry, rowsPerHead, kvHeads, group;
};

/**
 * A batch of `count` tokens: rows of `rowLength` tokens whose first sits at position
 * `start` (0 for the loss; the cache length while generating).
 */
struct TokenRows {
  int count, rowLength, start;
};

/** x[i] = table[token i] × scale (+ positions[position of i]) in fp32. */
template <typename W>
void embed(const int32_t* tokens, TokenRows rows, const W* table, const W* positions, int width, float scale,
           float* x, cudaStream_t stream);

/** y = x in the activations' precision (a post-norm block's or a norm-less head's input). */
template <typename T>
void toActivations(const float* x, T* y, size_t count, cudaStream_t stream);

/** LayerNorm (with bias when given) or RMSNorm of each `width`-wide fp32 row into `y`. */
template <typename T>
void norm(const float* x, T* y, int rows, int width, const float* weight, const float* bias, bool rms, float eps,
          cudaStream_t stream);

/**
 * Bias, rotary and the split of projected rows into heads: q → [row][head][t][headDim],
 * k and v → [row][kvHead][capacity][headDim] at position start + t (the cache layout).
 */
template <typename T>
void splitHeads(const float* qkv, const float* bias, TokenRows rows, int capacity, const HeadShape& shape,
                const float* cos, const float* sin, T* q, T* k, T* v, cudaStream_t stream);

/**
 * Softmax of `count` score rows of `total` keys into probabilities, keys after the query
 * masked: row r is query position start + r mod rowLength.
 */
template <typename T>
void causalSoftmax(const float* scores, T* probs, int count, int total, int rowLength, int start,
                   const ScoreBias& bias, cudaStream_t stream);

/** [row][head][t][headDim] → [row × t][head × headDim], the input of the output projection. */
template <typename T>
void mergeHeads(const T* heads, T* out, TokenRows rows, int headCount, int headDim, cudaStream_t stream);

/** y[r][j] += bias[j] for `rows` rows of `width`. */
void addBias(float* y, const float* bias, int rows, int width, cudaStream_t stream);

/** out = act(gate + gateBias) · (up + upBias), or act(up + upBias) without a gate. */
template <typename T>
void activate(const float* up, const float* upBias, const float* gate, const float* gateBias, T* out, int rows,
              int width, Activation activation, cudaStream_t stream);

/**
 * Fold vocabulary slice [first, first + width) of each row's logits into its running
 * logsumexp (`top`, `sum`), as kernels.cc's logSumExpUpdate; NaN is carried, not dropped.
 */
void logSumExpUpdate(const float* logits, int rows, int width, int first, const int32_t* targets, float* top,
                     float* sum, float* picked, cudaStream_t stream);

}  // namespace pretrain::cuda
