// Vectorised elementwise kernels of the forward pass (OpenMP across rows).
#pragma once

#include <cstdint>
#include <cstring>
#include <vector>

#include "model.h"

namespace pretrain {

/** Finite test on the bits, so -ffast-math cannot fold it away. */
inline bool finiteBits(float value) {
  uint32_t bits;
  std::memcpy(&bits, &value, sizeof bits);
  return (bits & 0x7f800000u) != 0x7f800000u;
}
inline bool finiteBits(double value) {
  uint64_t bits;
  std::memcpy(&bits, &value, sizeof bits);
  return (bits & 0x7ff0000000000000ull) != 0x7ff0000000000000ull;
}
/** NaN, tested on the bits. */
inline bool nanBits(double value) {
  uint64_t bits;
  std::memcpy(&bits, &value, sizeof bits);
  return (bits & 0x7ff0000000000000ull) == 0x7ff0000000000000ull && (bits & 0x000fffffffffffffull) != 0;
}
/** −∞, tested on the bits. */
inline bool negativeInfinityBits(float value) {
  uint32_t bits;
  std::memcpy(&bits, &value, sizeof bits);
  return bits == 0xff800000u;
}
/** A quiet NaN made from its bits, so -ffast-math cannot assume it away. */
inline double quietNaN() {
  const uint64_t bits = 0x7ff8000000000000ull;
  double value;
  std::memcpy(&value, &bits, sizeof value);
  return value;
}

/**
 * y = x Wᵀ + b (or x W + b when input-major) for `rows` rows; y has row stride `ldy`.
 * With `accumulate`, y += … instead (residual adds without a temporary).
 */
void linear(const float* x, int rows, const Linear& layer, float* y, int ldy, bool accumulate = false);
/** LayerNorm (with bias when given) or RMSNorm of each `width`-wide row. */
void norm(const float* x, float* y, int rows, int width, const Norm& n, bool rms, float eps);
/** In place: the activation of every element. */
void activate(float* x, size_t count, Activation activation);
/** In place: gate = act(gate) * up. */
void gatedActivate(float* gate, const float* up, size_t count, Activation activation);
/**
 * Rotary angles as HF computes them (inverse frequencies and angles in fp32): cos and
 * sin of position p, pair i at [p × dims/2 + i] of each table, for `positions` positions.
 */
void ropeTables(int positions, int dims, float theta, float* cos, float* sin);
/**
 * Rotary on the leading `dims` of a head slice at column `col` of each row: pair i is
 * (i, i + dims/2) (rotate-half), or (2i, 2i + 1) when `interleaved` (GPT-J's rotate-every-two).
 */
void rope(float* base, int rows, int ld, int col, int dims, const float* cos, const float* sin, bool interleaved);
/**
 * ALiBi on a [rows, width] block of raw scores whose first row is query position `first`:
 * s = (s + bias[key]) × scale for every key the query sees (bias: the head's row of biases).
 */
void alibiScores(float* scores, int rows, int width, int first, const float* bias, float scale);
/** Causal softmax of a [rows, width] block whose first row is query position `first`. */
void causalSoftmax(float* scores, int rows, int width, int first);
/**
 * One vocabulary slice [first, first + width) of each row's logits folded into a running
 * logsumexp (`top`, `sum`); `picked` takes the target's logit when it lies in the slice.
 */
void logSumExpUpdate(const float* logits, int rows, int width, int first, const int32_t* targets, float* top,
                     float* sum, float* picked);
/** Σ over rows of logsumexp − target logit; NaN or +∞ where PyTorch's loss would be (see kernels.cc). */
double crossEntropyFinish(int rows, const float* top, const float* sum, const float* picked);
/**
 * Index of the largest finite-or-infinite (never NaN) value not excluded; first on ties.
 * @throws ModelError("corrupt") when every value left is NaN (or every one is excluded).
 */
int argmaxExcluding(const float* values, int count, const std::vector<int32_t>& excluded);
/** Whether every element of the first `count` is finite. */
bool allFinite(const float* values, size_t count);

}  // namespace pretrain
