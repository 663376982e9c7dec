#include <cuda_bf16.h>
#include <cuda_fp16.h>

#include "check.h"
#include "kernels.cuh"

namespace pretrain::cuda {

// A kernel launch. The CPU emulator the tests run this code on defines its own.
#ifndef PRETRAIN_LAUNCH
#define PRETRAIN_LAUNCH(kernel, grid, block, stream) kernel<<<grid, block, 0, stream>>>
#endif
// Threads per block (a multiple of 32); the emulator uses fewer.
#ifndef PRETRAIN_CUDA_THREADS
#define PRETRAIN_CUDA_THREADS 256
#endif

namespace {

constexpr int kThreads = PRETRAIN_CUDA_THREADS;

__device__ __forceinline__ float toFloat(float v) { return v; }
__device__ __forceinline__ float toFloat(__nv_bfloat16 v) { return __bfloat162float(v); }
__device__ __forceinline__ float toFloat(__half v) { return __half2float(v); }

template <typename T>
__device__ __forceinline__ T fromFloat(float v);
template <>
__device__ __forceinline__ float fromFloat<float>(float v) { return v; }
template <>
__device__ __forceinline__ __nv_bfloat16 fromFloat<__nv_bfloat16>(float v) { return __float2bfloat16(v); }
template <>
__device__ __forceinline__ __half fromFloat<__half>(float v) { return __float2half(v); }

struct Add {
  __device__ float operator()(float a, float b) const { return a + b; }
};
// Unlike fmaxf, a NaN on either side wins, so a NaN logit reaches the loss as non-finite.
struct MaxNan {
  __device__ float operator()(float a, float b) const { return (a != a || a > b) ? a : b; }
};

/** Reduce one value per thread over the block (blockDim a multiple of 32); every thread gets the result. */
template <typename Op>
__device__ float blockReduce(float value, Op op) {
  __shared__ float partial[32];
  for (int offset = 16; offset > 0; offset >>= 1) value = op(value, __shfl_xor_sync(0xffffffffu, value, offset));
  if ((threadIdx.x & 31) == 0) partial[threadIdx.x >> 5] = value;
  __syncthreads();
  float result = partial[0];
  for (int w = 1; w < static_cast<int>(blockDim.x >> 5); w++) result = op(result, partial[w]);
  __syncthreads();  // `partial` is reused by the next reduction
  return result;
}

void launched(const char* kernel) { check(cudaGetLastError(), kernel); }

unsigned blocksFor(size_t elements) {
  const size_t blocks = (elements + kThreads - 1) / kThreads;
  return static_cast<unsigned>(blocks < 65535u * 16u ? blocks : 65535u * 16u);
}

template <typename W>
__global__ void embedKernel(const int32_t* tokens, TokenRows rows, const W* table, const W* positions, int width,
                            float scale, float* x) {
  const int i = blockIdx.x;
  const size_t position = static_cast<size_t>(rows.start + i % rows.rowLength);
  const W* e = table + static_cast<size_t>(tokens[i]) * width;
  const W* p = positions == nullptr ? nullptr : positions + position * width;
  float* out = x + static_cast<size_t>(i) * width;
  for (int j = threadIdx.x; j < width; j += blockDim.x) {
    out[j] = toFloat(e[j]) * scale + (p == nullptr ? 0.f : toFloat(p[j]));
  }
}

template <typename T>
__global__ void toActivationsKernel(const float* x, T* y, size_t count) {
  for (size_t i = blockIdx.x * static_cast<size_t>(blockDim.x) + threadIdx.x; i < count;
       i += static_cast<size_t>(gridDim.x) * blockDim.x) {
    y[i] = fromFloat<T>(x[i]);
  }
}

template <typename T>
__global__ void normKernel(const float* x, T* y, int width, const float* weight, const float* bias, bool rms,
                           float eps) {
  const float* in = x + static_cast<size_t>(blockIdx.x) * width;
  T* out = y + static_cast<size_t>(blockIdx.x) * width;
  float mean = 0.f;
  if (!rms) {
    float sum = 0.f;
    for (int j = threadIdx.x; j < width; j += blockDim.x) sum += in[j];
    mean = blockReduce(sum, Add()) / width;
  }
  float square = 0.f;
  for (int j = threadIdx.x; j < width; j += blockDim.x) square += (in[j] - mean) * (in[j] - mean);
  const float scale = 1.f / sqrtf(blockReduce(square, Add()) / width + eps);
  for (int j = threadIdx.x; j < width; j += blockDim.x) {
    const float centred = (in[j] - mean) * scale;
    out[j] = fromFloat<T>(bias != nullptr ? centred * weight[j] + bias[j] : weight[j] * centred);
  }
}

/** Column of element `e` of head `head` of q (part 0), k (1) or v (2) in a projected row. */
__device__ __forceinline__ int sourceColumn(const HeadShape& s, int part, int head, int e) {
  if (s.layout == QkvLayout::PerHead) return head * 3 * s.headDim + part * s.headDim + e;
  if (s.layout == QkvLayout::PerKvGroup) {
    // Per kv group j: [q of its `group` heads | k_j | v_j]; `head` is a query head for part 0.
    const int group = s.heads / s.kvHeads;
    if (part == 0) return ((head / group) * (group + 2) + head % group) * s.headDim + e;
    return (head * (group + 2) + group + part - 1) * s.headDim + e;
  }
  const int base = part == 0 ? 0 : part == 1 ? s.heads * s.headDim : (s.heads + s.kvHeads) * s.headDim;
  return base + head * s.headDim + e;
}

template <typename T>
__global__ void splitHeadsKernel(const float* qkv, const float* bias, TokenRows rows, int capacity, HeadShape s,
                                 const float* cos, const float* sin, T* q, T* k, T* v) {
  const int i = blockIdx.x;
  const int row = i / rows.rowLength, t = i % rows.rowLength, position = rows.start + t;
  const float* in = qkv + static_cast<size_t>(i) * s.width;
  const int hd = s.headDim, half = s.rotaryDims / 2;
  const int slots = (s.heads + 2 * s.kvHeads) * hd;
  for (int slot = threadIdx.x; slot < slots; slot += blockDim.x) {
    const int part = slot < s.heads * hd ? 0 : slot < (s.heads + s.kvHeads) * hd ? 1 : 2;
    const int local = part == 0 ? slot : part == 1 ? slot - s.heads * hd : slot - (s.heads + s.kvHeads) * hd;
    const int head = local / hd, e = local % hd;
    auto value = [&](int element) {
      const int col = sourceColumn(s, part, head, element);
      return in[col] + (bias == nullptr ? 0.f : bias[col]);
    };
    float out = value(e);
    if (part < 2 && e < s.rotaryDims) {
      // Rotate-half: the pair (e, e + half) turns by the angle of pair index e mod half;
      // interleaved: the pair (2i, 2i + 1) by the angle of pair i.
      const bool first = s.interleaved ? (e & 1) == 0 : e < half;
      const int pair = s.interleaved ? e >> 1 : first ? e : e - half;
      const int partner = s.interleaved ? (first ? e + 1 : e - 1) : (first ? e + half : e - half);
      const float c = cos[static_cast<size_t>(position) * half + pair];
      const float sn = sin[static_cast<size_t>(position) * half + pair];
      out = first ? out * c - value(partner) * sn : out * c + value(partner) * sn;
    }
    if (part == 0) {
      q[((static_cast<size_t>(row) * s.heads + head) * rows.rowLength + t) * hd + e] = fromFloat<T>(out);
    } else {
      T* cache = part == 1 ? k : v;
      cache[((static_cast<size_t>(row) * s.kvHeads + head) * capacity + position) * hd + e] = fromFloat<T>(out);
    }
  }
}

template <typename T>
__global__ void causalSoftmaxKernel(const float* scores, T* probs, int total, int rowLength, int start, ScoreBias bias) {
  const size_t r = blockIdx.x;
  const float* in = scores + r * total;
  T* out = probs + r * total;
  const int valid = min(start + static_cast<int>(r % rowLength) + 1, total);
  const float* alibi = nullptr;
  if (bias.table != nullptr) {
    const int row = static_cast<int>(r);
    const int entry = bias.firstEntry + row / bias.rowsPerEntry;
    const int head = (entry % bias.kvHeads) * bias.group + row % bias.rowsPerEntry / bias.rowsPerHead;
    alibi = bias.table + static_cast<size_t>(head) * bias.stride;
  }
  // ALiBi joins the raw score before the scaling, as transformers' Falcon does.
  auto score = [&](int j) { return alibi == nullptr ? in[j] : (in[j] + alibi[j]) * bias.scale; };
  float top = -INFINITY;
  for (int j = threadIdx.x; j < valid; j += blockDim.x) top = MaxNan()(top, score(j));
  top = blockReduce(top, MaxNan());
  float sum = 0.f;
  for (int j = threadIdx.x; j < valid; j += blockDim.x) sum += expf(score(j) - top);
  const float inverse = 1.f / blockReduce(sum, Add());
  for (int j = threadIdx.x; j < total; j += blockDim.x) out[j] = fromFloat<T>(j < valid ? expf(score(j) - top) * inverse : 0.f);
}

template <typename T>
__global__ void mergeHeadsKernel(const T* heads, T* out, TokenRows rows, int headCount, int headDim) {
  const int i = blockIdx.x;
  const int row = i / rows.rowLength, t = i % rows.rowLength, width = headCount * headDim;
  for (int j = threadIdx.x; j < width; j += blockDim.x) {
    const int head = j / headDim, e = j % headDim;
    out[static_cast<size_t>(i) * width + j] =
        heads[((static_cast<size_t>(row) * headCount + head) * rows.rowLength + t) * headDim + e];
  }
}

__global__ void addBiasKernel(float* y, const float* bias, size_t elements, int width) {
  for (size_t i = blockIdx.x * static_cast<size_t>(blockDim.x) + threadIdx.x; i < elements;
       i += static_cast<size_t>(gridDim.x) * blockDim.x) {
    y[i] += bias[i % width];
  }
}

__device__ __forceinline__ float applyActivation(float v, Activation activation) {
  switch (activation) {
    case Activation::GeluTanh:
      return v / (1.f + expf(-1.5957691216057308f * (v + 0.044715f * v * v * v)));
    case Activation::Gelu:
      return 0.5f * v * (1.f + erff(v * 0.7071067811865476f));
    default:
      return v / (1.f + expf(-v));
  }
}

template <typename T>
__global__ void activateKernel(const float* up, const float* upBias, const float* gate, const float* gateBias, T* out,
                               size_t elements, int width, Activation activation) {
  for (size_t i = blockIdx.x * static_cast<size_t>(blockDim.x) + threadIdx.x; i < elements;
       i += static_cast<size_t>(gridDim.x) * blockDim.x) {
    const int j = static_cast<int>(i % width);
    const float u = up[i] + (upBias == nullptr ? 0.f : upBias[j]);
    const float value = gate == nullptr ? applyActivation(u, activation)
                                        : applyActivation(gate[i] + (gateBias == nullptr ? 0.f : gateBias[j]), activation) * u;
    out[i] = fromFloat<T>(value);
  }
}

__global__ void logSumExpKernel(const float* logits, int width, int first, const int32_t* targets, float* top,
                                float* sum, float* picked) {
  const int r = blockIdx.x;
  const float* row = logits + static_cast<size_t>(r) * width;
  float chunkTop = -INFINITY;
  for (int j = threadIdx.x; j < width; j += blockDim.x) chunkTop = MaxNan()(chunkTop, row[j]);
  chunkTop = blockReduce(chunkTop, MaxNan());
  float chunkSum = 0.f;
  for (int j = threadIdx.x; j < width; j += blockDim.x) chunkSum += expf(row[j] - chunkTop);
  chunkSum = blockReduce(chunkSum, Add());
  if (threadIdx.x != 0) return;
  if (first == 0) {
    top[r] = chunkTop;
    sum[r] = chunkSum;
  } else {
    const float merged = MaxNan()(top[r], chunkTop);
    sum[r] = sum[r] * expf(top[r] - merged) + chunkSum * expf(chunkTop - merged);
    top[r] = merged;
  }
  const int target = targets[r] - first;
  if (target >= 0 && target < width) picked[r] = row[target];
}

}  // namespace

template <typename W>
void embed(const int32_t* tokens, TokenRows rows, const W* table, const W* positions, int width, float scale,
           float* x, cudaStream_t stream) {
  PRETRAIN_LAUNCH(embedKernel, rows.count, kThreads, stream)(tokens, rows, table, positions, width, scale, x);
  launched("embedding kernel");
}

template <typename T>
void toActivations(const float* x, T* y, size_t count, cudaStream_t stream) {
  PRETRAIN_LAUNCH(toActivationsKernel, blocksFor(count), kThreads, stream)(x, y, count);
  launched("conversion kernel");
}

template <typename T>
void norm(const float* x, T* y, int rows, int width, const float* weight, const float* bias, bool rms, float eps,
          cudaStream_t stream) {
  PRETRAIN_LAUNCH(normKernel, rows, kThreads, stream)(x, y, width, weight, bias, rms, eps);
  launched("norm kernel");
}

template <typename T>
void splitHeads(const float* qkv, const float* bias, TokenRows rows, int capacity, const HeadShape& shape,
                const float* cos, const float* sin, T* q, T* k, T* v, cudaStream_t stream) {
  PRETRAIN_LAUNCH(splitHeadsKernel, rows.count, kThreads, stream)(qkv, bias, rows, capacity, shape, cos, sin, q, k, v);
  launched("head split kernel");
}

template <typename T>
void causalSoftmax(const float* scores, T* probs, int count, int total, int rowLength, int start,
                   const ScoreBias& bias, cudaStream_t stream) {
  PRETRAIN_LAUNCH(causalSoftmaxKernel, count, kThreads, stream)(scores, probs, total, rowLength, start, bias);
  launched("softmax kernel");
}

template <typename T>
void mergeHeads(const T* heads, T* out, TokenRows rows, int headCount, int headDim, cudaStream_t stream) {
  PRETRAIN_LAUNCH(mergeHeadsKernel, rows.count, kThreads, stream)(heads, out, rows, headCount, headDim);
  launched("head merge kernel");
}

void addBias(float* y, const float* bias, int rows, int width, cudaStream_t stream) {
  const size_t elements = static_cast<size_t>(rows) * width;
  PRETRAIN_LAUNCH(addBiasKernel, blocksFor(elements), kThreads, stream)(y, bias, elements, width);
  launched("bias kernel");
}

template <typename T>
void activate(const float* up, const float* upBias, const float* gate, const float* gateBias, T* out, int rows,
              int width, Activation activation, cudaStream_t stream) {
  const size_t elements = static_cast<size_t>(rows) * width;
  PRETRAIN_LAUNCH(activateKernel, blocksFor(elements), kThreads, stream)(up, upBias, gate, gateBias, out, elements, width,
                                                               activation);
  launched("activation kernel");
}

void logSumExpUpdate(const float* logits, int rows, int width, int first, const int32_t* targets, float* top,
                     float* sum, float* picked, cudaStream_t stream) {
  PRETRAIN_LAUNCH(logSumExpKernel, rows, kThreads, stream)(logits, width, first, targets, top, sum, picked);
  launched("cross-entropy kernel");
}

#define PRETRAIN_CUDA_INSTANTIATE(T)                                                                              \
  template void embed<T>(const int32_t*, TokenRows, const T*, const T*, int, float, float*, cudaStream_t);       \
  template void toActivations<T>(const float*, T*, size_t, cudaStream_t);                                        \
  template void norm<T>(const float*, T*, int, int, const float*, const float*, bool, float, cudaStream_t);       \
  template void splitHeads<T>(const float*, const float*, TokenRows, int, const HeadShape&, const float*,          \
                              const float*, T*, T*, T*, cudaStream_t);                                            \
  template void causalSoftmax<T>(const float*, T*, int, int, int, int, const ScoreBias&, cudaStream_t);          \
  template void mergeHeads<T>(const T*, T*, TokenRows, int, int, cudaStream_t);                                  \
  template void activate<T>(const float*, const float*, const float*, const float*, T*, int, int, Activation,     \
                            cudaStream_t);
PRETRAIN_CUDA_INSTANTIATE(float)
PRETRAIN_CUDA_INSTANTIATE(__nv_bfloat16)
PRETRAIN_CUDA_INSTANTIATE(__half)
#undef PRETRAIN_CUDA_INSTANTIATE

}  // namespace pretrain::cuda
