#include "cuda_model.h"

#include <cuda_bf16.h>
#include <cuda_fp16.h>

#include <algorithm>
#include <cmath>

#include "../kernels.h"
#include "attention.h"
#include "gemm.h"

namespace pretrain::cuda {

// Tokens per loss pass (rows are batched until their GEMMs are this tall), and the bound
// on the logits of one vocabulary slice (256 MiB): large vocabularies are cut, never held
// whole. The emulator build sets them small, so the tests take every cut.
#ifndef PRETRAIN_CUDA_PASS_TOKENS
#define PRETRAIN_CUDA_PASS_TOKENS 16384
#endif
#ifndef PRETRAIN_CUDA_LOGIT_FLOATS
#define PRETRAIN_CUDA_LOGIT_FLOATS (size_t{64} << 20)
#endif

namespace {
constexpr int kPassTokens = PRETRAIN_CUDA_PASS_TOKENS;
constexpr size_t kLogitFloats = PRETRAIN_CUDA_LOGIT_FLOATS;

template <typename T>
constexpr Dtype storedAs();
template <>
constexpr Dtype storedAs<float>() { return Dtype::F32; }
template <>
constexpr Dtype storedAs<__nv_bfloat16>() { return Dtype::BF16; }
template <>
constexpr Dtype storedAs<__half>() { return Dtype::F16; }
}  // namespace

std::vector<bool> matrixTensors(const Config& c) {
  std::vector<bool> matrix(c.tensors.size(), false);
  auto mark = [&](int index) {
    if (index >= 0) matrix[index] = true;
  };
  mark(c.embedding);
  mark(c.positionEmbedding);
  mark(c.lmHead);
  for (const LayerRef& r : c.layerRefs) {
    for (const LinearRef* l : {&r.q, &r.k, &r.v, &r.qkv, &r.o, &r.gate, &r.up, &r.down}) mark(l->weight);
  }
  return matrix;
}

template <typename T>
CudaModel<T>::CudaModel(Config config, int device) : c_(std::move(config)), device_(device) {
  qkvWidth_ = (c_.heads + 2 * c_.kvHeads) * c_.headDim;
  alibi_ = !c_.alibiSlopes.empty();
  attention_ = {c_.heads, c_.kvHeads, c_.headDim};
  begin();
  check(cudaStreamCreateWithFlags(&stream_, cudaStreamNonBlocking), "cudaStreamCreateWithFlags");
  try {
    checkCublas(cublas().create(&blas_), "cublasCreate");
    checkCublas(cublas().setStream(blas_, stream_), "cublasSetStream");
  } catch (...) {
    if (blas_ != nullptr) cublas().destroy(blas_);
    cudaStreamDestroy(stream_);
    throw;
  }
}

template <typename T>
CudaModel<T>::~CudaModel() {
  cudaSetDevice(device_);
  if (blas_ != nullptr) cublas().destroy(blas_);
  if (stream_ != nullptr) cudaStreamDestroy(stream_);
}

// libuv runs each call on whichever worker thread is free; the device is per thread.
template <typename T>
void CudaModel<T>::begin() {
  check(cudaSetDevice(device_), "cudaSetDevice");
}

template <typename T>
void CudaModel<T>::checkCancelled() const {
  if (cancelled_.load()) throw ModelError("cancelled", "the model was disposed while it was running");
}

template <typename T>
void CudaModel<T>::synchronize() {
  check(cudaStreamSynchronize(stream_), "stream synchronize");
}

template <typename T>
void CudaModel<T>::upload(int index, bool isMatrix, float offset) {
  const TensorSource& source = c_.tensors[index];
  DeviceBuffer& into = weights_[index];
  if (!isMatrix || storedAs<T>() == Dtype::F32) {
    const Buffer host = readTensor(source);  // fp32, half precision upcast exactly
    // Gemma's RMSNorm scales by (1 + w) formed in fp32: once here instead of every row.
    if (offset != 0.f) {
      for (uint64_t j = 0; j < source.count; j++) host[j] = offset + host[j];
    }
    into.reserve(source.count * sizeof(float));
    copyIn(into.as<void>(), host.get(), source.count * sizeof(float));
    return;
  }
  if (source.dtype != storedAs<T>()) {
    throw ModelError("usage", "matrix \"" + std::to_string(index) + "\" is not in the model's GEMM precision");
  }
  std::vector<uint16_t> host(source.count);
  readRaw(source, host.data());
  into.reserve(source.count * sizeof(T));
  copyIn(into.as<void>(), host.data(), source.count * sizeof(T));
}

// On the model's stream (which does not wait for the legacy one), and finished before
// the host memory goes away.
template <typename T>
void CudaModel<T>::copyIn(void* to, const void* from, size_t bytes) {
  check(cudaMemcpyAsync(to, from, bytes, cudaMemcpyHostToDevice, stream_), "host to device copy");
  synchronize();
}

// Separate q, k and v biases become one vector in projected-column order (absent ones zero).
template <typename T>
const float* CudaModel<T>::fuseBias(const LayerRef& r) {
  if (r.layout != QkvLayout::Separate) return vector(r.qkv.bias);
  if (r.q.bias < 0 && r.k.bias < 0 && r.v.bias < 0) return nullptr;
  DeviceBuffer fused;
  fused.reserve(qkvWidth_ * sizeof(float));
  check(cudaMemsetAsync(fused.as<void>(), 0, qkvWidth_ * sizeof(float), stream_), "cudaMemsetAsync");
  int column = 0;
  for (const LinearRef* l : {&r.q, &r.k, &r.v}) {
    if (l->bias >= 0) {
      check(cudaMemcpyAsync(fused.as<float>() + column, vector(l->bias), l->out * sizeof(float),
                            cudaMemcpyDeviceToDevice, stream_),
            "bias copy");
    }
    column += l->out;
  }
  fusedBiases_.push_back(std::move(fused));
  return fusedBiases_.back().template as<float>();
}

template <typename T>
void CudaModel<T>::load() {
  begin();
  const std::vector<bool> isMatrix = matrixTensors(c_);
  layers_.clear();  // before the weights they point into
  weights_.clear();
  weights_.resize(c_.tensors.size());
  std::vector<float> offsets(c_.tensors.size(), 0.f);
  for (const int index : normWeightTensors(c_)) offsets[index] = c_.normWeightOffset;
  for (size_t i = 0; i < c_.tensors.size(); i++) upload(static_cast<int>(i), isMatrix[i], offsets[i]);
  layers_.clear();
  fusedBiases_.clear();
  fusedBiases_.reserve(c_.layerRefs.size());
  embeddingNorm_ = bind(c_.embeddingNorm);
  finalNorm_ = bind(c_.finalNorm);
  for (const LayerRef& r : c_.layerRefs) {
    gated_ = gated_ || r.gate.weight >= 0;
    layers_.push_back({bind(r.attnNorm), bind(r.mlpNorm), r.layout, bind(r.q), bind(r.k), bind(r.v), bind(r.qkv),
                       bind(r.o), bind(r.gate), bind(r.up), bind(r.down), fuseBias(r)});
  }
}

template <typename T>
void CudaModel<T>::plan(int tokens, int positions) {
  if (tokens > plannedTokens_) {
    plannedTokens_ = 0;  // a failed reserve below leaves buffers released: plan again next time
    const size_t n = static_cast<size_t>(tokens);
    const size_t d = c_.hidden, attention = static_cast<size_t>(c_.heads) * c_.headDim,
                 kv = static_cast<size_t>(c_.kvHeads) * c_.headDim, I = c_.intermediate;
    tokens_.reserve(n * sizeof(int32_t));
    targets_.reserve(n * sizeof(int32_t));
    x_.reserve(n * d * sizeof(float));
    h_.reserve(n * d * sizeof(T));
    qkv_.reserve(n * qkvWidth_ * sizeof(float));
    q_.reserve(n * attention * sizeof(T));
    k_.reserve(n * kv * sizeof(T));
    v_.reserve(n * kv * sizeof(T));
    heads_.reserve(n * attention * sizeof(T));
    merged_.reserve(n * attention * sizeof(T));
    up_.reserve(n * I * sizeof(float));
    if (gated_) gate_.reserve(n * I * sizeof(float));
    hidden_.reserve(n * I * sizeof(T));
    stats_.reserve(3 * n * sizeof(float));
    plannedTokens_ = tokens;
  }
  if ((c_.rotary || alibi_) && positions > plannedPositions_) {
    plannedPositions_ = 0;
    if (c_.rotary) {
      const size_t half = c_.rotaryDims / 2, count = static_cast<size_t>(positions) * half;
      std::vector<float> cos(count), sin(count);
      ropeTables(positions, c_.rotaryDims, c_.theta, cos.data(), sin.data());
      cos_.reserve(count * sizeof(float));
      sin_.reserve(count * sizeof(float));
      copyIn(cos_.as<void>(), cos.data(), count * sizeof(float));
      copyIn(sin_.as<void>(), sin.data(), count * sizeof(float));
    }
    if (alibi_) {
      const size_t count = static_cast<size_t>(positions) * c_.heads;
      std::vector<float> table(count);
      for (int h = 0; h < c_.heads; h++) {
        for (int j = 0; j < positions; j++) table[static_cast<size_t>(h) * positions + j] = alibiBias(c_.alibiSlopes[h], j);
      }
      alibiTable_.reserve(count * sizeof(float));
      copyIn(alibiTable_.as<void>(), table.data(), count * sizeof(float));
    }
    plannedPositions_ = positions;
  }
}

template <typename T>
void CudaModel<T>::linear(const T* x, int rows, const Linear& layer, float* y, int ldy, bool accumulate) {
  const cudaDataType type = dataType<T>();
  const Operand weights = layer.inputMajor ? Operand{layer.w, type, layer.out} : Operand{layer.w, type, layer.in, 0, true};
  gemm(blas_, rows, layer.out, layer.in, 1.f, Operand{x, type, layer.in}, weights, accumulate ? 1.f : 0.f,
       Output{y, CUDA_R_32F, ldy});
}

template <typename T>
void CudaModel<T>::forward(TokenRows rows, std::vector<KvLayer>* cache, int capacity) {
  const int d = c_.hidden, n = rows.count, H = c_.heads, KV = c_.kvHeads, hd = c_.headDim;
  float* x = x_.as<float>();
  T* h = h_.as<T>();
  float* qkv = qkv_.as<float>();
  const T* positions = matrix(c_.positionEmbedding);
  if (positions != nullptr) positions += static_cast<size_t>(c_.positionOffset) * d;
  embed<T>(tokens_.as<int32_t>(), rows, matrix(c_.embedding), positions, d, c_.embeddingScale, x, stream_);
  if (embeddingNorm_.w != nullptr) {
    norm<float>(x, x, n, d, embeddingNorm_.w, embeddingNorm_.b, c_.rmsNorm, c_.eps, stream_);
  }
  const size_t elements = static_cast<size_t>(n) * d;
  for (size_t l = 0; l < layers_.size(); l++) {
    checkCancelled();
    const Layer& layer = layers_[l];
    // Pre-norm blocks read norm_attn(x); post-norm blocks read x itself.
    if (c_.postNorm) toActivations<T>(x, h, elements, stream_);
    else norm<T>(x, h, n, d, layer.attnNorm.w, layer.attnNorm.b, c_.rmsNorm, c_.eps, stream_);
    if (layer.layout == QkvLayout::Separate) {
      linear(h, n, layer.q, qkv, qkvWidth_, false);
      linear(h, n, layer.k, qkv + H * hd, qkvWidth_, false);
      linear(h, n, layer.v, qkv + (H + KV) * hd, qkvWidth_, false);
    } else {
      linear(h, n, layer.qkv, qkv, qkvWidth_, false);
    }
    T* keys = cache == nullptr ? k_.as<T>() : (*cache)[l].keys.template as<T>();
    T* values = cache == nullptr ? v_.as<T>() : (*cache)[l].values.template as<T>();
    const HeadShape shape{H, KV, hd, qkvWidth_, layer.layout, c_.rotaryDims, c_.rotaryInterleaved};
    splitHeads<T>(qkv, layer.qkvBias, rows, capacity, shape, cos_.as<float>(), sin_.as<float>(), q_.as<T>(), keys,
                  values, stream_);
    attend<T>(blas_, stream_, attention_, rows, capacity, {q_.as<T>(), keys, values, heads_.as<T>(), merged_.as<T>()},
              scores_, probs_, alibi_ ? alibiTable_.as<float>() : nullptr, plannedPositions_);
    if (c_.postNorm) {
      // x = norm_attn(x + attn(x)); x = norm_mlp(x + mlp(x)).
      if (layer.o.b != nullptr) addBias(x, layer.o.b, n, d, stream_);
      linear(merged_.as<T>(), n, layer.o, x, d, true);
      norm<float>(x, x, n, d, layer.attnNorm.w, layer.attnNorm.b, c_.rmsNorm, c_.eps, stream_);
      toActivations<T>(x, h, elements, stream_);
      mlp(layer, n);
      norm<float>(x, x, n, d, layer.mlpNorm.w, layer.mlpNorm.b, c_.rmsNorm, c_.eps, stream_);
      continue;
    }
    // Parallel residual: the MLP reads norm_mlp of the block's input, taken before the
    // attention output lands in x. Biases of residual adds go in first, the GEMM adds onto them.
    if (c_.parallelResidual) norm<T>(x, h, n, d, layer.mlpNorm.w, layer.mlpNorm.b, c_.rmsNorm, c_.eps, stream_);
    if (layer.o.b != nullptr) addBias(x, layer.o.b, n, d, stream_);
    linear(merged_.as<T>(), n, layer.o, x, d, true);
    if (!c_.parallelResidual) norm<T>(x, h, n, d, layer.mlpNorm.w, layer.mlpNorm.b, c_.rmsNorm, c_.eps, stream_);
    mlp(layer, n);
  }
  checkCancelled();
  if (finalNorm_.w != nullptr) norm<T>(x, h, n, d, finalNorm_.w, finalNorm_.b, c_.rmsNorm, c_.eps, stream_);
  else toActivations<T>(x, h, elements, stream_);
}

template <typename T>
void CudaModel<T>::mlp(const Layer& layer, int count) {
  const int I = c_.intermediate, d = c_.hidden;
  const bool gated = layer.gate.w != nullptr;
  linear(h_.as<T>(), count, layer.up, up_.as<float>(), I, false);
  if (gated) linear(h_.as<T>(), count, layer.gate, gate_.as<float>(), I, false);
  activate<T>(up_.as<float>(), layer.up.b, gated ? gate_.as<float>() : nullptr, layer.gate.b, hidden_.as<T>(), count,
              I, c_.activation, stream_);
  if (layer.down.b != nullptr) addBias(x_.as<float>(), layer.down.b, count, d, stream_);
  linear(hidden_.as<T>(), count, layer.down, x_.as<float>(), d, true);
}

template <typename T>
double CudaModel<T>::lossSum(const int32_t* tokens, int rows, int length) {
  begin();
  const int perPass = std::clamp(kPassTokens / length, 1, rows);
  const int predictions = length - 1, d = c_.hidden, V = c_.vocab;
  plan(perPass * length, length);
  std::vector<int32_t> targets(static_cast<size_t>(perPass) * predictions);
  std::vector<float> stats(3 * targets.size());
  const cudaDataType type = dataType<T>();
  double total = 0.0;
  for (int first = 0; first < rows; first += perPass) {
    const int count = std::min(perPass, rows - first);
    const int32_t* chunk = tokens + static_cast<size_t>(first) * length;
    for (int r = 0; r < count; r++) {
      std::copy(chunk + static_cast<size_t>(r) * length + 1, chunk + static_cast<size_t>(r + 1) * length,
                targets.begin() + static_cast<size_t>(r) * predictions);
    }
    const int positions = count * predictions;
    check(cudaMemcpyAsync(tokens_.as<void>(), chunk, static_cast<size_t>(count) * length * sizeof(int32_t),
                          cudaMemcpyHostToDevice, stream_),
          "token copy");
    check(cudaMemcpyAsync(targets_.as<void>(), targets.data(), positions * sizeof(int32_t), cudaMemcpyHostToDevice,
                          stream_),
          "target copy");
    forward({count * length, length, 0}, nullptr, length);
    // Logits of every predicting position (not the last of each row), a vocabulary slice at a time.
    const int width = static_cast<int>(std::clamp<size_t>(kLogitFloats / positions, 1, V));
    logits_.reserve(static_cast<size_t>(positions) * width * sizeof(float));
    float* top = stats_.as<float>();
    for (int slice = 0; slice < V; slice += width) {
      checkCancelled();
      const int n = std::min(width, V - slice);
      gemm(blas_, predictions, n, d, 1.f, Operand{h_.as<T>(), type, d, static_cast<long long>(length) * d},
           Operand{matrix(c_.lmHead) + static_cast<size_t>(slice) * d, type, d, 0, true}, 0.f,
           Output{logits_.as<float>(), CUDA_R_32F, n, static_cast<long long>(predictions) * n}, count);
      if (c_.lmHeadBias >= 0) addBias(logits_.as<float>(), vector(c_.lmHeadBias) + slice, positions, n, stream_);
      logSumExpUpdate(logits_.as<float>(), positions, n, slice, targets_.as<int32_t>(), top, top + positions,
                      top + 2 * positions, stream_);
    }
    check(cudaMemcpyAsync(stats.data(), top, 3 * positions * sizeof(float), cudaMemcpyDeviceToHost, stream_),
          "loss copy");
    synchronize();
    total += crossEntropyFinish(positions, stats.data(), stats.data() + positions, stats.data() + 2 * positions);
    if (nanBits(total)) return total;  // no later chunk changes a NaN
  }
  return total;
}

template <typename T>
std::vector<int32_t> CudaModel<T>::generate(const int32_t* prompt, int length, int count,
                                            const std::vector<int32_t>& excluded) {
  begin();
  std::vector<int32_t> out;
  if (count <= 0) return out;
  // The last generated token is never fed back, so the cache holds length + count - 1 rows.
  const int capacity = length + count - 1, d = c_.hidden, V = c_.vocab;
  plan(length, capacity);
  std::vector<KvLayer> cache(layers_.size());
  const size_t cacheBytes = static_cast<size_t>(capacity) * c_.kvHeads * c_.headDim * sizeof(T);
  for (KvLayer& layer : cache) {
    layer.keys.reserve(cacheBytes);
    layer.values.reserve(cacheBytes);
  }
  // Attention scratch for the prompt and for the longest step, so no step reallocates.
  const size_t floats =
      std::max(attentionScratch(attention_, c_.kvHeads, length, length), attentionScratch(attention_, c_.kvHeads, 1, capacity));
  scores_.reserve(floats * sizeof(float));
  probs_.reserve(floats * sizeof(T));
  logits_.reserve(static_cast<size_t>(V) * sizeof(float));
  std::vector<float> logits(V);
  const cudaDataType type = dataType<T>();
  check(cudaMemcpyAsync(tokens_.as<void>(), prompt, length * sizeof(int32_t), cudaMemcpyHostToDevice, stream_),
        "token copy");
  int start = 0, fed = length;
  while (true) {
    forward({fed, fed, start}, &cache, capacity);
    gemm(blas_, 1, V, d, 1.f, Operand{h_.as<T>() + static_cast<size_t>(fed - 1) * d, type, d},
         Operand{matrix(c_.lmHead), type, d, 0, true}, 0.f, Output{logits_.as<float>(), CUDA_R_32F, V});
    if (c_.lmHeadBias >= 0) addBias(logits_.as<float>(), vector(c_.lmHeadBias), 1, V, stream_);
    check(cudaMemcpyAsync(logits.data(), logits_.as<void>(), V * sizeof(float), cudaMemcpyDeviceToHost, stream_),
          "logit copy");
    synchronize();
    out.push_back(argmaxExcluding(logits.data(), V, excluded));
    if (static_cast<int>(out.size()) == count) return out;
    start += fed;
    fed = 1;
    check(cudaMemcpyAsync(tokens_.as<void>(), &out.back(), sizeof(int32_t), cudaMemcpyHostToDevice, stream_),
          "token copy");
  }
}

template <typename T>
std::vector<float> CudaModel<T>::lastLogits(const int32_t* tokens, int length) {
  begin();
  const int d = c_.hidden, V = c_.vocab;
  plan(length, length);
  logits_.reserve(static_cast<size_t>(V) * sizeof(float));
  std::vector<float> logits(V);
  check(cudaMemcpyAsync(tokens_.as<void>(), tokens, length * sizeof(int32_t), cudaMemcpyHostToDevice, stream_),
        "token copy");
  forward({length, length, 0}, nullptr, length);
  gemm(blas_, 1, V, d, 1.f, Operand{h_.as<T>() + static_cast<size_t>(length - 1) * d, dataType<T>(), d},
       Operand{matrix(c_.lmHead), dataType<T>(), d, 0, true}, 0.f, Output{logits_.as<float>(), CUDA_R_32F, V});
  if (c_.lmHeadBias >= 0) addBias(logits_.as<float>(), vector(c_.lmHeadBias), 1, V, stream_);
  check(cudaMemcpyAsync(logits.data(), logits_.as<void>(), V * sizeof(float), cudaMemcpyDeviceToHost, stream_),
        "logit copy");
  synchronize();
  return logits;
}

template class CudaModel<float>;
template class CudaModel<__nv_bfloat16>;
template class CudaModel<__half>;

}  // namespace pretrain::cuda
