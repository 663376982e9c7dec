#include "config.h"

namespace pretrain {
namespace {

Napi::Value field(const Napi::Object& o, const char* name) {
  Napi::Value v = o.Get(name);
  if (v.IsUndefined()) throw Napi::TypeError::New(o.Env(), std::string("native plan: missing field ") + name);
  return v;
}
int integer(const Napi::Object& o, const char* name) { return field(o, name).As<Napi::Number>().Int32Value(); }
double number(const Napi::Object& o, const char* name) { return field(o, name).As<Napi::Number>().DoubleValue(); }
bool boolean(const Napi::Object& o, const char* name) { return field(o, name).As<Napi::Boolean>().Value(); }
std::string text(const Napi::Object& o, const char* name) { return field(o, name).As<Napi::String>().Utf8Value(); }

NormRef normRef(const Napi::Object& o) { return {integer(o, "weight"), integer(o, "bias")}; }

LinearRef linearRef(const Napi::Object& parent, const char* name) {
  Napi::Value v = parent.Get(name);
  if (v.IsUndefined() || v.IsNull()) return {};
  const Napi::Object o = v.As<Napi::Object>();
  return {integer(o, "weight"), integer(o, "bias"), boolean(o, "inputMajor"), integer(o, "in"), integer(o, "out")};
}

Activation activation(const std::string& name) {
  if (name == "gelu") return Activation::Gelu;
  if (name == "silu") return Activation::Silu;
  return Activation::GeluTanh;
}

QkvLayout layout(const std::string& name) {
  if (name == "blocks") return QkvLayout::Blocks;
  if (name == "per-head") return QkvLayout::PerHead;
  if (name == "per-kv-group") return QkvLayout::PerKvGroup;
  return QkvLayout::Separate;
}

Dtype dtype(const std::string& name) {
  if (name == "F16") return Dtype::F16;
  if (name == "BF16") return Dtype::BF16;
  return Dtype::F32;
}

}  // namespace

Config parseConfig(const Napi::Object& plan) {
  Config c;
  c.vocab = integer(plan, "vocab");
  c.hidden = integer(plan, "hidden");
  c.layers = integer(plan, "layers");
  c.heads = integer(plan, "heads");
  c.kvHeads = integer(plan, "kvHeads");
  c.headDim = integer(plan, "headDim");
  c.intermediate = integer(plan, "intermediate");
  c.maxPositions = integer(plan, "maxPositions");
  c.threads = integer(plan, "threads");
  c.rmsNorm = boolean(plan, "rmsNorm");
  c.eps = static_cast<float>(number(plan, "eps"));
  c.activation = activation(text(plan, "activation"));
  c.rotaryDims = integer(plan, "rotaryDims");
  c.rotary = c.rotaryDims > 0;
  c.theta = static_cast<float>(number(plan, "theta"));
  c.rotaryInterleaved = boolean(plan, "rotaryInterleaved");
  const Napi::Array slopes = field(plan, "alibiSlopes").As<Napi::Array>();
  for (uint32_t i = 0; i < slopes.Length(); i++) {
    c.alibiSlopes.push_back(static_cast<float>(slopes.Get(i).As<Napi::Number>().DoubleValue()));
  }
  if (!c.alibiSlopes.empty() && static_cast<int>(c.alibiSlopes.size()) != c.heads) {
    throw Napi::TypeError::New(plan.Env(), "native plan: alibiSlopes needs one slope per head");
  }
  c.normWeightOffset = static_cast<float>(number(plan, "normWeightOffset"));
  c.parallelResidual = boolean(plan, "parallelResidual");
  c.postNorm = boolean(plan, "postNorm");
  c.embeddingScale = static_cast<float>(number(plan, "embeddingScale"));
  c.positionOffset = integer(plan, "positionOffset");
  c.embedding = integer(plan, "embedding");
  c.positionEmbedding = integer(plan, "positionEmbedding");
  c.lmHead = integer(plan, "lmHead");
  c.lmHeadBias = integer(plan, "lmHeadBias");
  c.embeddingNorm = normRef(field(plan, "embeddingNorm").As<Napi::Object>());
  c.finalNorm = normRef(field(plan, "finalNorm").As<Napi::Object>());
  const Napi::Array layers = field(plan, "layerRefs").As<Napi::Array>();
  for (uint32_t i = 0; i < layers.Length(); i++) {
    const Napi::Object l = layers.Get(i).As<Napi::Object>();
    LayerRef r;
    r.attnNorm = normRef(field(l, "attnNorm").As<Napi::Object>());
    r.mlpNorm = normRef(field(l, "mlpNorm").As<Napi::Object>());
    r.layout = layout(text(l, "layout"));
    r.q = linearRef(l, "q");
    r.k = linearRef(l, "k");
    r.v = linearRef(l, "v");
    r.qkv = linearRef(l, "qkv");
    r.o = linearRef(l, "o");
    r.gate = linearRef(l, "gate");
    r.up = linearRef(l, "up");
    r.down = linearRef(l, "down");
    c.layerRefs.push_back(r);
  }
  const Napi::Array tensors = field(plan, "tensors").As<Napi::Array>();
  for (uint32_t i = 0; i < tensors.Length(); i++) {
    const Napi::Object t = tensors.Get(i).As<Napi::Object>();
    c.tensors.push_back({text(t, "file"), static_cast<uint64_t>(number(t, "offset")), dtype(text(t, "dtype")),
                         static_cast<uint64_t>(number(t, "count"))});
  }
  return c;
}

}  // namespace pretrain
