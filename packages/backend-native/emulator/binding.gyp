{
  "targets": [
    {
      "target_name": "pretrain_native_emulator",
      "sources": ["../native/addon.cc", "../native/config.cc", "../native/kernels.cc", "../native/model.cc", "../native/weights.cc", "../native/variants.cc", "../native/cuda-emulator/engine.cc", "../native/cuda-emulator/runtime.cc", "../native/cuda-emulator/cublas.cc"],
      "include_dirs": ["../native/cuda-emulator", "<!(node -p \"require('node-addon-api').include_dir\")", "<!@(node ../scripts/native-flags.mjs include)"],
      "defines": ["NAPI_VERSION=8", "NAPI_CPP_EXCEPTIONS"],
      "cflags!": ["-fno-exceptions"],
      "cflags_cc!": ["-fno-exceptions", "-O2", "-O0"],
      "cflags_cc": ["-std=c++17", "-fexceptions", "-O2", "-fopenmp"],
      "ldflags": ["-fopenmp"],
      "libraries": ["<!@(node ../scripts/native-flags.mjs libs)"]
    }
  ]
}
