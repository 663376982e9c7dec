// Turning the plain config object built in TypeScript (model-plan.ts) into a Config.
#pragma once

#include <napi.h>

#include "model.h"

namespace pretrain {

/** Parse the plan object; throws Napi::TypeError naming the first bad field. */
Config parseConfig(const Napi::Object& plan);

}  // namespace pretrain
