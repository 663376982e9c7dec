#include "model.h"

#include <cblas.h>
#include <omp.h>

#include <algorithm>
#include <cmath>

#include "kernels.h"

namespace pretrain {

namespace {
// Query rows per attention block: big enough for efficient GEMMs, small enough that
// the [block, T] scores of each thread stay a few MiB.
constexpr int kQueryBlock = 128;
// Positions per MLP block: bounds the [block, intermediate] activations (peak RSS) at
// the cost of packing the MLP weights once more per extra block.
constexpr int kMlpRows = 512;
}  // namespace

Model::Model(Config config) : c_(std::move(config)) {
  const int kvWidth = c_.kvHeads * c_.headDim;
  qkvWidth_ = c_.heads * c_.headDim + 2 * kvWidth;
}

void Model::load() {
  weights_.clear();
  weights_.reserve(c_.tensors.size());
  for (const TensorSource& source : c_.tensors) weights_.push_back(readTensor(source));
  if (c_.normWeightOffset != 0.f) {
    // Gemma's RMSNorm scales by (1 + w) formed in fp32: once here instead of every row.
    for (const int index : normWeightTensors(c_)) {
      float* w = weights_[index].get();
      for (uint64_t j = 0; j < c_.tensors[index].count; j++) w[j] = c_.normWeightOffset + w[j];
    }
  }
  layers_.clear();
  embeddingNorm_ = bind(c_.embeddingNorm);
  finalNorm_ = bind(c_.finalNorm);
  for (const LayerRef& r : c_.layerRefs) {
    gated_ = gated_ || r.gate.weight >= 0;
    layers_.push_back({bind(r.attnNorm), bind(r.mlpNorm), r.layout, bind(r.q), bind(r.k), bind(r.v), bind(r.qkv),
                       bind(r.o), bind(r.gate), bind(r.up), bind(r.down)});
  }
}

void Model::checkCancelled() const {
  if (cancelled_.load()) throw ModelError("cancelled", "the model was disposed while it was running");
}

size_t Model::workFloats(int length) const {
  const size_t n = static_cast<size_t>(length);
  const size_t attention = n * c_.heads * c_.headDim + static_cast<size_t>(std::max(1, c_.threads)) * kQueryBlock * n;
  return std::max({std::min<size_t>(n, kMlpRows) * c_.intermediate, attention, static_cast<size_t>(c_.vocab)});
}

// Buffers grow to the longest sequence seen (at most maxPositions) and are then reused.
void Model::plan(int length) {
  if (length <= planned_) return;
  const size_t n = static_cast<size_t>(length);
  x_ = allocate(n * c_.hidden);
  h_ = allocate(n * c_.hidden);
  qkv_ = allocate(n * qkvWidth_);
  work_ = allocate(workFloats(length));
  if (gated_) gate_ = allocate(std::min<size_t>(n, kMlpRows) * c_.intermediate);
  stats_ = allocate(3 * n);
  if (c_.rotary) {
    ropeCos_ = allocate(n * (c_.rotaryDims / 2));
    ropeSin_ = allocate(n * (c_.rotaryDims / 2));
    ropeTables(length, c_.rotaryDims, c_.theta, ropeCos_.get(), ropeSin_.get());
  }
  if (!c_.alibiSlopes.empty()) {
    alibi_ = allocate(n * c_.heads);
    for (int h = 0; h < c_.heads; h++) {
      for (int j = 0; j < length; j++) alibi_[static_cast<size_t>(h) * n + j] = alibiBias(c_.alibiSlopes[h], j);
    }
  }
  planned_ = length;
}

void Model::forward(const int32_t* tokens, int start, int count, KvCache* cache) {
  plan(start + count);
  const int d = c_.hidden;
  const float* embedding = tensor(c_.embedding);
  const float* positions = tensor(c_.positionEmbedding);
  if (positions != nullptr) positions += static_cast<size_t>(c_.positionOffset) * d;
  const float scale = c_.embeddingScale;
  float* x = x_.get();
#pragma omp parallel for schedule(static)
  for (int t = 0; t < count; t++) {
    const float* e = embedding + static_cast<size_t>(tokens[t]) * d;
    float* row = x + static_cast<size_t>(t) * d;
    for (int j = 0; j < d; j++) row[j] = e[j] * scale;
    if (positions != nullptr) {
      const float* p = positions + static_cast<size_t>(start + t) * d;
      for (int j = 0; j < d; j++) row[j] += p[j];
    }
  }
  if (embeddingNorm_.w != nullptr) norm(x, x, count, d, embeddingNorm_, c_.rmsNorm, c_.eps);
  // Pre-norm blocks read norm_attn(x) from h_; post-norm blocks read x itself.
  const float* input = c_.postNorm ? x : h_.get();
  for (size_t l = 0; l < layers_.size(); l++) {
    const Layer& layer = layers_[l];
    checkCancelled();
    if (!c_.postNorm) norm(x, h_.get(), count, d, layer.attnNorm, c_.rmsNorm, c_.eps);
    const int kv = c_.kvHeads * c_.headDim;
    if (layer.layout == QkvLayout::Separate) {
      linear(input, count, layer.q, qkv_.get(), qkvWidth_);
      linear(input, count, layer.k, qkv_.get() + c_.heads * c_.headDim, qkvWidth_);
      linear(input, count, layer.v, qkv_.get() + c_.heads * c_.headDim + kv, qkvWidth_);
    } else {
      linear(input, count, layer.qkv, qkv_.get(), qkvWidth_);
    }
    attention(start, count, layer.layout, cache == nullptr ? nullptr : &cache->layers[l]);
    if (c_.postNorm) {
      // x = norm_attn(x + attn(x)); x = norm_mlp(x + mlp(x)).
      linear(work_.get(), count, layer.o, x, d, true);
      norm(x, x, count, d, layer.attnNorm, c_.rmsNorm, c_.eps);
      copyToH(count);
      mlp(layer, h_.get(), x, count);
      norm(x, x, count, d, layer.mlpNorm, c_.rmsNorm, c_.eps);
      continue;
    }
    // Residual adds happen inside the GEMMs (beta = 1). Parallel residual: the MLP reads
    // norm_mlp of the block's input, so it is taken before attention output lands in x.
    if (c_.parallelResidual) norm(x, h_.get(), count, d, layer.mlpNorm, c_.rmsNorm, c_.eps);
    linear(work_.get(), count, layer.o, x, d, true);
    if (!c_.parallelResidual) norm(x, h_.get(), count, d, layer.mlpNorm, c_.rmsNorm, c_.eps);
    mlp(layer, h_.get(), x, count);
  }
  checkCancelled();
  if (finalNorm_.w != nullptr) norm(x, h_.get(), count, d, finalNorm_, c_.rmsNorm, c_.eps);
  else copyToH(count);
}

void Model::copyToH(int count) {
  std::copy(x_.get(), x_.get() + static_cast<size_t>(count) * c_.hidden, h_.get());
}

void Model::attention(int start, int count, QkvLayout layout, KvCache::Layer* cache) {
  const int H = c_.heads, KV = c_.kvHeads, hd = c_.headDim, group = H / KV, W = qkvWidth_;
  // Per head: [q_h | k_h | v_h]; per kv group j: [q of its `group` heads | k_j | v_j].
  const bool perHead = layout == QkvLayout::PerHead, perGroup = layout == QkvLayout::PerKvGroup;
  auto qCol = [&](int h) {
    return perHead ? h * 3 * hd : perGroup ? (h / group) * (group + 2) * hd + (h % group) * hd : h * hd;
  };
  auto kCol = [&](int j) {
    return perHead ? j * 3 * hd + hd : perGroup ? j * (group + 2) * hd + group * hd : H * hd + j * hd;
  };
  auto vCol = [&](int j) { return kCol(j) + (perHead || perGroup ? hd : KV * hd); };
  float* qkv = qkv_.get();
  if (c_.rotary) {
    const size_t offset = static_cast<size_t>(start) * (c_.rotaryDims / 2);
    const float* cos = ropeCos_.get() + offset;
    const float* sin = ropeSin_.get() + offset;
    const bool interleaved = c_.rotaryInterleaved;
    for (int h = 0; h < H; h++) rope(qkv, count, W, qCol(h), c_.rotaryDims, cos, sin, interleaved);
    for (int j = 0; j < KV; j++) rope(qkv, count, W, kCol(j), c_.rotaryDims, cos, sin, interleaved);
  }
  // Keys and values: straight from the projection, or appended to the cache and read there.
  const float* keys = qkv;
  const float* values = qkv;
  int ld = W;
  auto keyAt = [&](int j) { return cache == nullptr ? keys + kCol(j) : keys + j * hd; };
  auto valueAt = [&](int j) { return cache == nullptr ? values + vCol(j) : values + j * hd; };
  if (cache != nullptr) {
    ld = KV * hd;
    for (int r = 0; r < count; r++) {
      for (int j = 0; j < KV; j++) {
        const float* row = qkv + static_cast<size_t>(r) * W;
        std::copy(row + kCol(j), row + kCol(j) + hd, cache->keys.get() + static_cast<size_t>(start + r) * ld + j * hd);
        std::copy(row + vCol(j), row + vCol(j) + hd, cache->values.get() + static_cast<size_t>(start + r) * ld + j * hd);
      }
    }
    keys = cache->keys.get();
    values = cache->values.get();
  }
  const int total = start + count;
  const int blocks = (count + kQueryBlock - 1) / kQueryBlock;
  const float scale = 1.f / std::sqrt(static_cast<float>(hd));
  // ALiBi (Falcon): the bias joins the raw scores, and their sum is scaled, as transformers does.
  const bool alibi = !c_.alibiSlopes.empty();
  const int outWidth = H * hd;
  // Many small GEMMs: one per (head, query block), each on its own core.
#pragma omp parallel for schedule(dynamic)
  for (int task = 0; task < H * blocks; task++) {
    const int h = task / blocks, block = task % blocks;
    const int first = block * kQueryBlock, rows = std::min(kQueryBlock, count - first);
    const int seen = start + first + rows, j = h / group;
    float* scores = work_.get() + static_cast<size_t>(count) * outWidth +
                    static_cast<size_t>(omp_get_thread_num()) * kQueryBlock * total;
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, rows, seen, hd, alibi ? 1.f : scale,
                qkv + static_cast<size_t>(first) * W + qCol(h), W, keyAt(j), ld, 0.f, scores, seen);
    if (alibi) alibiScores(scores, rows, seen, start + first, alibi_.get() + static_cast<size_t>(h) * planned_, scale);
    causalSoftmax(scores, rows, seen, start + first);
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, rows, hd, seen, 1.f, scores, seen, valueAt(j), ld, 0.f,
                work_.get() + static_cast<size_t>(first) * outWidth + h * hd, outWidth);
  }
}

void Model::mlp(const Layer& layer, const float* in, float* out, int length) {
  const int I = c_.intermediate, d = c_.hidden;
  float* up = work_.get();
  for (int first = 0; first < length; first += kMlpRows) {
    const int rows = std::min(kMlpRows, length - first);
    const float* input = in + static_cast<size_t>(first) * d;
    const size_t count = static_cast<size_t>(rows) * I;
    linear(input, rows, layer.up, up, I);
    float* hidden = up;
    if (layer.gate.w != nullptr) {
      linear(input, rows, layer.gate, gate_.get(), I);
      gatedActivate(gate_.get(), up, count, c_.activation);
      hidden = gate_.get();
    } else {
      activate(up, count, c_.activation);
    }
    linear(hidden, rows, layer.down, out + static_cast<size_t>(first) * d, d, true);
  }
}

void Model::useThreads() const {
  omp_set_num_threads(c_.threads);
  openblas_set_num_threads(1);  // parallel across OpenMP threads instead (kernels.cc linear)
}

double Model::lossSum(const int32_t* tokens, int rows, int length) {
  useThreads();
  plan(length);
  double total = 0.0;
  const int predictions = length - 1;  // the last position predicts nothing
  // Logits exist one vocabulary slice at a time, as wide as the work buffer of this
  // length allows (not of the planned one: the slicing, hence the bits, depend on T only).
  const int width = static_cast<int>(std::min<size_t>(c_.vocab, workFloats(length) / predictions));
  float* top = stats_.get();
  float* sum = top + planned_;
  float* picked = sum + planned_;
  for (int r = 0; r < rows; r++) {
    const int32_t* row = tokens + static_cast<size_t>(r) * length;
    forward(row, 0, length, nullptr);
    // Only predicting positions count, as in the reference (the last one's logits are unused).
    // A non-finite hidden state makes logits of ∞ − ∞: PyTorch's loss is NaN.
    if (!allFinite(h_.get(), static_cast<size_t>(predictions) * c_.hidden)) return quietNaN();
    for (int first = 0; first < c_.vocab; first += width) {
      checkCancelled();
      const int n = std::min(width, c_.vocab - first);
      const float* bias = tensor(c_.lmHeadBias);
      const Linear slice{tensor(c_.lmHead) + static_cast<size_t>(first) * c_.hidden,
                         bias == nullptr ? nullptr : bias + first, false, c_.hidden, n};
      linear(h_.get(), predictions, slice, work_.get(), n);
      logSumExpUpdate(work_.get(), predictions, n, first, row + 1, top, sum, picked);
    }
    total += crossEntropyFinish(predictions, top, sum, picked);
    if (nanBits(total)) return total;  // no later row changes a NaN
  }
  return total;
}

std::vector<int32_t> Model::generate(const int32_t* prompt, int length, int count,
                                     const std::vector<int32_t>& excluded) {
  useThreads();
  std::vector<int32_t> out;
  if (count <= 0) return out;
  // The last generated token is never fed back, so the cache holds length + count - 1 rows.
  const int total = length + count - 1;
  plan(total);
  KvCache cache;
  for (size_t l = 0; l < layers_.size(); l++) {
    const size_t floats = static_cast<size_t>(total) * c_.kvHeads * c_.headDim;
    cache.layers.push_back({allocate(floats), allocate(floats)});
  }
  const Linear head{tensor(c_.lmHead), tensor(c_.lmHeadBias), false, c_.hidden, c_.vocab};
  int start = 0, fed = length;
  const int32_t* input = prompt;
  int32_t next = 0;
  while (true) {
    forward(input, start, fed, &cache);
    linear(h_.get() + static_cast<size_t>(fed - 1) * c_.hidden, 1, head, work_.get(), c_.vocab);
    next = argmaxExcluding(work_.get(), c_.vocab, excluded);
    out.push_back(next);
    if (static_cast<int>(out.size()) == count) return out;
    start += fed;
    fed = 1;
    input = &out.back();
  }
}

std::vector<float> Model::lastLogits(const int32_t* tokens, int length) {
  useThreads();
  plan(length);
  forward(tokens, 0, length, nullptr);
  const Linear head{tensor(c_.lmHead), tensor(c_.lmHeadBias), false, c_.hidden, c_.vocab};
  linear(h_.get() + static_cast<size_t>(length - 1) * c_.hidden, 1, head, work_.get(), c_.vocab);
  return std::vector<float>(work_.get(), work_.get() + c_.vocab);
}

}  // namespace pretrain
