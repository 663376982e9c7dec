// The CUDA engine's own sources, compiled by g++ against the emulated runtime and cuBLAS.
#include "../cuda/attention.cu"
#include "../cuda/check.cu"
#include "../cuda/cuda_engine.cu"
#include "../cuda/cuda_model.cu"
#include "../cuda/gemm.cu"
#include "../cuda/kernels.cu"
