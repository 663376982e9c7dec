#include "kernels.h"

#include <cblas.h>
#include <omp.h>

#include <algorithm>
#include <cmath>

namespace pretrain {

void linear(const float* x, int rows, const Linear& layer, float* y, int ldy, bool accumulate) {
  const float beta = accumulate ? 1.f : 0.f;
  // OpenBLAS runs single-threaded inside OpenMP threads, each on its own block of output
  // columns: its own pthread pool would otherwise spin beside our OpenMP team.
  const int out = layer.out, in = layer.in;
#pragma omp parallel
  {
    const int threads = omp_get_num_threads(), thread = omp_get_thread_num();
    const int step = ((out + threads - 1) / threads + 15) / 16 * 16;
    const int first = std::min(out, thread * step), n = std::min(out, first + step) - first;
    if (n > 0) {
      if (rows == 1 && layer.inputMajor) {
        // One position (greedy decoding): a GEMV streams the weights once, no packing.
        cblas_sgemv(CblasRowMajor, CblasTrans, in, n, 1.f, layer.w + first, out, x, 1, beta, y + first, 1);
      } else if (rows == 1) {
        cblas_sgemv(CblasRowMajor, CblasNoTrans, n, in, 1.f, layer.w + static_cast<size_t>(first) * in, in, x, 1,
                    beta, y + first, 1);
      } else if (layer.inputMajor) {
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, rows, n, in, 1.f, x, in, layer.w + first, out, beta,
                    y + first, ldy);
      } else {
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, rows, n, in, 1.f, x, in,
                    layer.w + static_cast<size_t>(first) * in, in, beta, y + first, ldy);
      }
      if (layer.b != nullptr) {
        const float* b = layer.b + first;
        for (int r = 0; r < rows; r++) {
          float* row = y + static_cast<size_t>(r) * ldy + first;
#pragma omp simd
          for (int j = 0; j < n; j++) row[j] += b[j];
        }
      }
    }
  }
}

void norm(const float* x, float* y, int rows, int width, const Norm& n, bool rms, float eps) {
#pragma omp parallel for schedule(static)
  for (int r = 0; r < rows; r++) {
    const float* in = x + static_cast<size_t>(r) * width;
    float* out = y + static_cast<size_t>(r) * width;
    float mean = 0.f;
    if (!rms) {
      float sum = 0.f;
#pragma omp simd reduction(+ : sum)
      for (int j = 0; j < width; j++) sum += in[j];
      mean = sum / width;
    }
    float square = 0.f;
#pragma omp simd reduction(+ : square)
    for (int j = 0; j < width; j++) square += (in[j] - mean) * (in[j] - mean);
    const float scale = 1.f / std::sqrt(square / width + eps);
    const float* w = n.w;
    if (n.b != nullptr) {
      const float* b = n.b;
#pragma omp simd
      for (int j = 0; j < width; j++) out[j] = (in[j] - mean) * scale * w[j] + b[j];
    } else {
#pragma omp simd
      for (int j = 0; j < width; j++) out[j] = w[j] * ((in[j] - mean) * scale);
    }
  }
}

// One loop per activation (the switch outside), so each loop vectorises (expf via libmvec).
template <typename Op>
static void eachParallel(float* x, const float* up, size_t count, Op op) {
  const long n = static_cast<long>(count);
  if (up == nullptr) {
#pragma omp parallel for simd schedule(static)
    for (long i = 0; i < n; i++) x[i] = op(x[i]);
  } else {
#pragma omp parallel for simd schedule(static)
    for (long i = 0; i < n; i++) x[i] = op(x[i]) * up[i];
  }
}

static void apply(float* x, const float* up, size_t count, Activation activation) {
  switch (activation) {
    case Activation::GeluTanh:
      // 0.5·v·(1 + tanh(u)) = v·sigmoid(2u): expf vectorises, tanhf does not.
      eachParallel(x, up, count, [](float v) {
        return v / (1.f + std::exp(-1.5957691216057308f * (v + 0.044715f * v * v * v)));
      });
      break;
    case Activation::Gelu:
      eachParallel(x, up, count, [](float v) { return 0.5f * v * (1.f + std::erf(v * 0.7071067811865476f)); });
      break;
    case Activation::Silu:
      eachParallel(x, up, count, [](float v) { return v / (1.f + std::exp(-v)); });
      break;
  }
}

void activate(float* x, size_t count, Activation activation) { apply(x, nullptr, count, activation); }

void gatedActivate(float* gate, const float* up, size_t count, Activation activation) {
  apply(gate, up, count, activation);
}

void ropeTables(int positions, int dims, float theta, float* cos, float* sin) {
  const int half = dims / 2;
  for (int i = 0; i < half; i++) {
    const float inv = 1.f / static_cast<float>(std::pow(static_cast<double>(theta),
                                                        static_cast<double>(static_cast<float>(2 * i) / dims)));
    for (int p = 0; p < positions; p++) {
      const float angle = static_cast<float>(p) * inv;
      cos[static_cast<size_t>(p) * half + i] = static_cast<float>(std::cos(static_cast<double>(angle)));
      sin[static_cast<size_t>(p) * half + i] = static_cast<float>(std::sin(static_cast<double>(angle)));
    }
  }
}

void rope(float* base, int rows, int ld, int col, int dims, const float* cos, const float* sin, bool interleaved) {
  const int half = dims / 2;
  // Element i's partner sits `stride` further on; pairs start `step` apart.
  const int stride = interleaved ? 1 : half, step = interleaved ? 2 : 1;
#pragma omp parallel for schedule(static)
  for (int r = 0; r < rows; r++) {
    float* x = base + static_cast<size_t>(r) * ld + col;
    const float* c = cos + static_cast<size_t>(r) * half;
    const float* s = sin + static_cast<size_t>(r) * half;
#pragma omp simd
    for (int i = 0; i < half; i++) {
      const float a = x[i * step], b = x[i * step + stride];
      x[i * step] = a * c[i] - b * s[i];
      x[i * step + stride] = b * c[i] + a * s[i];
    }
  }
}

void alibiScores(float* scores, int rows, int width, int first, const float* bias, float scale) {
  for (int r = 0; r < rows; r++) {
    float* row = scores + static_cast<size_t>(r) * width;
    const int valid = std::min(first + r + 1, width);
#pragma omp simd
    for (int j = 0; j < valid; j++) row[j] = (row[j] + bias[j]) * scale;
  }
}

void causalSoftmax(float* scores, int rows, int width, int first) {
  for (int r = 0; r < rows; r++) {
    float* row = scores + static_cast<size_t>(r) * width;
    const int valid = std::min(first + r + 1, width);
    float top = row[0];
    for (int j = 1; j < valid; j++) top = std::max(top, row[j]);
    float sum = 0.f;
#pragma omp simd reduction(+ : sum)
    for (int j = 0; j < valid; j++) {
      row[j] = std::exp(row[j] - top);
      sum += row[j];
    }
    const float inverse = 1.f / sum;
#pragma omp simd
    for (int j = 0; j < valid; j++) row[j] *= inverse;
    for (int j = valid; j < width; j++) row[j] = 0.f;
  }
}

void logSumExpUpdate(const float* logits, int rows, int width, int first, const int32_t* targets, float* top,
                     float* sum, float* picked) {
#pragma omp parallel for schedule(static)
  for (int r = 0; r < rows; r++) {
    const float* row = logits + static_cast<size_t>(r) * width;
    float chunkTop = row[0];
    for (int j = 1; j < width; j++) chunkTop = std::max(chunkTop, row[j]);
    float chunkSum = 0.f;
#pragma omp simd reduction(+ : chunkSum)
    for (int j = 0; j < width; j++) chunkSum += std::exp(row[j] - chunkTop);
    if (first == 0) {
      top[r] = chunkTop;
      sum[r] = chunkSum;
    } else {
      const float merged = std::max(top[r], chunkTop);
      sum[r] = sum[r] * std::exp(top[r] - merged) + chunkSum * std::exp(chunkTop - merged);
      top[r] = merged;
    }
    const int target = targets[r] - first;
    if (target >= 0 && target < width) picked[r] = row[target];
  }
}

double crossEntropyFinish(int rows, const float* top, const float* sum, const float* picked) {
  // What PyTorch's cross-entropy gives, decided on the bits (-ffast-math cannot be trusted
  // with NaN or ∞): NaN when a row's log-sum-exp is not finite (a NaN or +∞ logit: ∞ − ∞),
  // +∞ when only the target's logit is −∞, else the sum. NaN wins over +∞, as in a mean.
  double total = 0.0;
  bool nan = false;
  bool infinite = false;
  for (int r = 0; r < rows; r++) {
    if (!finiteBits(top[r]) || !finiteBits(sum[r])) {
      nan = true;
      continue;
    }
    if (!finiteBits(picked[r])) {
      if (negativeInfinityBits(picked[r])) infinite = true;
      else nan = true;
      continue;
    }
    const double loss = static_cast<double>(top[r]) + std::log(static_cast<double>(sum[r])) - picked[r];
    if (finiteBits(loss)) total += loss;
    else nan = true;
  }
  if (nan) return quietNaN();
  return infinite ? HUGE_VAL : total;
}

int argmaxExcluding(const float* values, int count, const std::vector<int32_t>& excluded) {
  int best = -1;
  float bestValue = 0.f;
  for (int i = 0; i < count; i++) {
    uint32_t bits;
    std::memcpy(&bits, &values[i], sizeof bits);
    const bool nan = (bits & 0x7f800000u) == 0x7f800000u && (bits & 0x007fffffu) != 0;
    if (nan || std::find(excluded.begin(), excluded.end(), i) != excluded.end()) continue;
    if (best == -1 || values[i] > bestValue) {
      best = i;
      bestValue = values[i];
    }
  }
  // Fed back as a token, -1 would read before the embedding table. The JS side refuses a
  // request that excludes every token, so what is left is a model whose logits are all NaN.
  if (best < 0) throw ModelError("corrupt", "greedy decoding found no token: every logit that is not excluded is NaN");
  return best;
}

bool allFinite(const float* values, size_t count) {
  uint32_t any = 0;
  const uint32_t* bits = reinterpret_cast<const uint32_t*>(values);
  for (size_t i = 0; i < count; i++) any |= static_cast<uint32_t>((bits[i] & 0x7f800000u) == 0x7f800000u);
  return any == 0;
}

}  // namespace pretrain
