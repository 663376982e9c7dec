// What the N-API layer drives: one model on one device. The CPU Model and the CUDA
// model implement it, so the addon's workers, promises and errors serve both.
#pragma once

#include <cstdint>
#include <vector>

namespace pretrain {

class Engine {
 public:
  virtual ~Engine() = default;
  /** Read every tensor and place it on the device; throws ModelError. */
  virtual void load() = 0;
  /** Sum of next-token losses of `rows` rows of `length` tokens (+Inf for a non-finite row). */
  virtual double lossSum(const int32_t* tokens, int rows, int length) = 0;
  /**
   * `count` greedy tokens after `prompt` (argmax, `excluded` ids skipped, NaN never
   * chosen): the prompt runs once, then one token per step against a KV cache.
   */
  virtual std::vector<int32_t> generate(const int32_t* prompt, int length, int count,
                                        const std::vector<int32_t>& excluded) = 0;
  /**
   * The fp32 logits of the last of `length` tokens (no cache kept): the greedy path of a
   * request with logits processors, which the host applies before choosing.
   */
  virtual std::vector<float> lastLogits(const int32_t* tokens, int length) = 0;
  /** Ask running work to stop at the next layer boundary. */
  virtual void cancel() = 0;
};

}  // namespace pretrain
