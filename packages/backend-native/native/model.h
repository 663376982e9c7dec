// The runtime form of a ModelSpec: fp32 weights owned by the model, activation
// buffers planned once and reused, and the forward pass that ends in the loss.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "engine.h"

namespace pretrain {

enum class Dtype { F32, F16, BF16 };
enum class Activation { GeluTanh, Gelu, Silu };
// Column layout of the projected q|k|v buffer (see model-spec.ts AttentionProjections).
enum class QkvLayout { Separate, Blocks, PerHead, PerKvGroup };

/** Where one tensor's bytes live and how many elements it holds. */
struct TensorSource {
  std::string file;
  uint64_t offset = 0;
  Dtype dtype = Dtype::F32;
  uint64_t count = 0;
};

/** Indices into the tensor table; -1 = absent. */
struct LinearRef { int weight = -1; int bias = -1; bool inputMajor = false; int in = 0; int out = 0; };
struct NormRef { int weight = -1; int bias = -1; };
struct LayerRef {
  NormRef attnNorm, mlpNorm;
  QkvLayout layout = QkvLayout::Separate;
  LinearRef q, k, v, qkv, o, gate, up, down;
};

struct Config {
  int vocab = 0, hidden = 0, layers = 0, heads = 0, kvHeads = 0, headDim = 0, intermediate = 0;
  int maxPositions = 0, threads = 1;
  bool rmsNorm = false;
  float eps = 1e-5f;
  Activation activation = Activation::GeluTanh;
  /** Added to every norm weight once, in fp32, when read (Gemma's RMSNorm scales by 1 + w). */
  float normWeightOffset = 0.f;
  bool rotary = false;
  int rotaryDims = 0;
  float theta = 10000.f;
  /** Rotary pairs (2i, 2i+1) instead of (i, i + dims/2). */
  bool rotaryInterleaved = false;
  /** ALiBi slopes per query head (already bf16), empty without ALiBi. */
  std::vector<float> alibiSlopes;
  bool parallelResidual = false;
  /** Norms after each residual add instead of before each sublayer. */
  bool postNorm = false;
  /** Token embeddings are multiplied by this (fp32) before positions are added. */
  float embeddingScale = 1.f;
  /** Position p reads row p + positionOffset of the learned table. */
  int positionOffset = 0;
  int embedding = -1, positionEmbedding = -1, lmHead = -1, lmHeadBias = -1;
  /** Weight -1 when the model has none. */
  NormRef embeddingNorm, finalNorm;
  std::vector<LayerRef> layerRefs;
  std::vector<TensorSource> tensors;
};

/** A failure the JS side maps to a typed error (`code` is its kind). */
struct ModelError : std::runtime_error {
  ModelError(std::string kind, const std::string& message) : std::runtime_error(message), kind(std::move(kind)) {}
  std::string kind;  // "corrupt" | "cancelled" | "usage" | "device"
};

/** `value` rounded to the nearest bfloat16 (ties to even), as torch's `.bfloat16()` does. */
float bf16Round(float value);
/** ALiBi bias of key position `position` for a head of (bf16) `slope`: bf16(slope × bf16(position)). */
inline float alibiBias(float slope, int position) {
  return bf16Round(slope * bf16Round(static_cast<float>(position)));
}
/** The tensor indices of every norm weight (each once), to which normWeightOffset applies. */
std::vector<int> normWeightTensors(const Config& config);

struct Linear { const float* w = nullptr; const float* b = nullptr; bool inputMajor = false; int in = 0, out = 0; };
struct Norm { const float* w = nullptr; const float* b = nullptr; };
struct Layer { Norm attnNorm, mlpNorm; QkvLayout layout; Linear q, k, v, qkv, o, gate, up, down; };

/** 64-byte aligned float storage, freed with the owner. */
struct AlignedFree { void operator()(float* p) const; };
using Buffer = std::unique_ptr<float[], AlignedFree>;
Buffer allocate(size_t floats);
/** Read one tensor from its file as fp32; throws ModelError("corrupt") on a short file. */
Buffer readTensor(const TensorSource& source);
/** Read one tensor's bytes as stored (count × 2 or 4 bytes) into `into`; throws like readTensor. */
void readRaw(const TensorSource& source, void* into);
/** Bytes per element of a stored dtype. */
inline size_t elementBytes(Dtype dtype) { return dtype == Dtype::F32 ? 4 : 2; }

/** Keys and values of earlier positions, [positions, kvHeads × headDim] per layer. */
struct KvCache {
  struct Layer { Buffer keys, values; };
  std::vector<Layer> layers;
};

/** The CPU engine: fp32 weights in host memory, OpenBLAS GEMMs, OpenMP kernels. */
class Model : public Engine {
 public:
  explicit Model(Config config);
  /** Read every tensor (upcast to fp32) and bind the layers; throws ModelError("corrupt"). */
  void load() override;
  double lossSum(const int32_t* tokens, int rows, int length) override;
  std::vector<int32_t> generate(const int32_t* prompt, int length, int count,
                                const std::vector<int32_t>& excluded) override;
  std::vector<float> lastLogits(const int32_t* tokens, int length) override;
  void cancel() override { cancelled_.store(true); }
  const Config& config() const { return c_; }

 private:
  void plan(int length);
  /** Hidden states (final-normed, in h_) of `count` tokens at positions start…; K/V cached when given. */
  void forward(const int32_t* tokens, int start, int count, KvCache* cache);
  void attention(int start, int count, QkvLayout layout, KvCache::Layer* cache);
  /** Copy x_ into h_ (the input of a sublayer or the head where no norm comes first). */
  void copyToH(int count);
  /** out += mlp(in), in blocks of rows. */
  void mlp(const Layer& layer, const float* in, float* out, int length);
  void useThreads() const;
  size_t workFloats(int length) const;
  void checkCancelled() const;
  const float* tensor(int index) const { return index < 0 ? nullptr : weights_[index].get(); }
  Linear bind(const LinearRef& r) const { return {tensor(r.weight), tensor(r.bias), r.inputMajor, r.in, r.out}; }
  Norm bind(const NormRef& r) const { return {tensor(r.weight), tensor(r.bias)}; }

  Config c_;
  std::vector<Buffer> weights_;
  std::vector<Layer> layers_;
  Norm embeddingNorm_, finalNorm_;
  std::atomic<bool> cancelled_{false};
  int planned_ = 0;  // rows the buffers hold
  bool gated_ = false;
  int qkvWidth_ = 0;
  // Activations, [planned_, width] each, planned once for the longest sequence seen.
  // `work_` is time-shared: attention output + score blocks, then the MLP's up
  // projection, then vocabulary slices of the logits.
  Buffer x_, h_, qkv_, work_, gate_, stats_, ropeCos_, ropeSin_;
  // ALiBi biases [heads, planned_]: row h, column j = alibiBias(slope h, j).
  Buffer alibi_;
};

}  // namespace pretrain
