// The CUDA engine: matrices resident on the GPU in precision T (fp32, bf16 or f16),
// cuBLAS GEMMs with fp32 accumulation, our kernels for everything between them.
#pragma once

#include <cuda_runtime.h>

#include <atomic>
#include <vector>

#include "../engine.h"
#include "../model.h"
#include "check.h"
#include "cublas.h"
#include "attention.h"
#include "kernels.cuh"

namespace pretrain::cuda {

/** Which tensors of the table are matrices (embeddings, projections, the head). */
std::vector<bool> matrixTensors(const Config& config);

template <typename T>
class CudaModel final : public Engine {
 public:
  CudaModel(Config config, int device);
  ~CudaModel() override;
  void load() override;
  double lossSum(const int32_t* tokens, int rows, int length) override;
  std::vector<int32_t> generate(const int32_t* prompt, int length, int count,
                                const std::vector<int32_t>& excluded) override;
  std::vector<float> lastLogits(const int32_t* tokens, int length) override;
  void cancel() override { cancelled_.store(true); }

 private:
  struct Linear {
    const T* w = nullptr;
    const float* b = nullptr;
    bool inputMajor = false;
    int in = 0, out = 0;
  };
  struct Norm {
    const float* w = nullptr;
    const float* b = nullptr;
  };
  struct Layer {
    Norm attnNorm, mlpNorm;
    QkvLayout layout;
    Linear q, k, v, qkv, o, gate, up, down;
    const float* qkvBias = nullptr;  // the fused q|k|v bias in projected-column order
  };
  /** Keys and values of one layer, [kvHeads][capacity][headDim]. */
  struct KvLayer {
    DeviceBuffer keys, values;
  };

  void begin();
  /** Read tensor `index` onto the device; `offset` is added to it first (norm weights). */
  void upload(int index, bool matrix, float offset);
  void copyIn(void* to, const void* from, size_t bytes);
  const float* vector(int index) const { return index < 0 ? nullptr : weights_[index].template as<float>(); }
  const T* matrix(int index) const { return index < 0 ? nullptr : weights_[index].template as<T>(); }
  Linear bind(const LinearRef& r) const { return {matrix(r.weight), vector(r.bias), r.inputMajor, r.in, r.out}; }
  Norm bind(const NormRef& r) const { return {vector(r.weight), vector(r.bias)}; }
  const float* fuseBias(const LayerRef& r);
  /** Buffers for `tokens` tokens per pass and rotary tables for `positions` positions. */
  void plan(int tokens, int positions);
  /** Final-normed hidden states (h_) of the tokens in tokens_; K/V go to `cache` when given. */
  void forward(TokenRows rows, std::vector<KvLayer>* cache, int capacity);
  void mlp(const Layer& layer, int count);
  /** y (+)= x·Wᵀ (+ bias when not accumulating) for `rows` rows; y has row stride `ldy`. */
  void linear(const T* x, int rows, const Linear& layer, float* y, int ldy, bool accumulate);
  void checkCancelled() const;
  void synchronize();

  Config c_;
  int device_;
  cudaStream_t stream_ = nullptr;
  CublasHandle blas_ = nullptr;
  std::atomic<bool> cancelled_{false};
  std::vector<DeviceBuffer> weights_, fusedBiases_;
  std::vector<Layer> layers_;
  Norm embeddingNorm_, finalNorm_;
  AttentionShape attention_{};
  bool gated_ = false;
  int qkvWidth_ = 0, plannedTokens_ = 0, plannedPositions_ = 0;
  bool alibi_ = false;
  // Activations, planned for the largest pass seen and reused (fp32 where kernels.cuh says).
  DeviceBuffer tokens_, targets_, x_, h_, qkv_, q_, k_, v_, heads_, merged_, up_, gate_, hidden_, scores_, probs_,
      logits_, stats_, cos_, sin_;
  // ALiBi biases [heads, plannedPositions_] by key position (Falcon-RW).
  DeviceBuffer alibiTable_;
};

}  // namespace pretrain::cuda
