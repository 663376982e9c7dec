// Helpers of the layout variants both engines share: bf16 rounding for ALiBi and the
// set of norm weights that take Gemma's `1 + w` offset.
#include <algorithm>
#include <cstring>

#include "model.h"

namespace pretrain {

// Integer arithmetic on the bits, so -ffast-math cannot change it (NaN stays NaN).
float bf16Round(float value) {
  uint32_t bits;
  std::memcpy(&bits, &value, sizeof bits);
  if ((bits & 0x7f800000u) == 0x7f800000u && (bits & 0x007fffffu) != 0) return value;
  bits = (bits + 0x7fffu + ((bits >> 16) & 1u)) & 0xffff0000u;
  float rounded;
  std::memcpy(&rounded, &bits, sizeof rounded);
  return rounded;
}

std::vector<int> normWeightTensors(const Config& c) {
  std::vector<int> indices;
  auto add = [&](const NormRef& n) {
    if (n.weight >= 0 && std::find(indices.begin(), indices.end(), n.weight) == indices.end()) {
      indices.push_back(n.weight);
    }
  };
  add(c.embeddingNorm);
  add(c.finalNorm);
  for (const LayerRef& r : c.layerRefs) {
    add(r.attnNorm);
    add(r.mlpNorm);
  }
  return indices;
}

}  // namespace pretrain
