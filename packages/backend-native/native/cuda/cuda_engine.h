// The CUDA path seen from plain C++ (the addon): no CUDA types, so addon.cc builds the
// same with or without it. Defined in cuda/*.cu, or by cuda_absent.cc in a CPU-only build.
#pragma once

#include <memory>
#include <string>

#include "../model.h"

namespace pretrain {

/** Whether this build has the CUDA path (false: nvcc was not found when it was built). */
bool cudaBuilt();
/** How many CUDA devices can run models; 0 with `reason` saying why none can. */
int cudaDevices(std::string& reason);
/**
 * A model on the current CUDA device. Matrices stay in their stored precision when all
 * of them share one half type (bf16 or f16 GEMMs, fp32 accumulation), else in fp32.
 * @throws ModelError("device") when CUDA or cuBLAS cannot run here.
 */
std::unique_ptr<Engine> makeCudaEngine(Config config);

}  // namespace pretrain
