{
  "target_defaults": {
    "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")", "<!@(node scripts/native-flags.mjs include)"],
    "defines": ["NAPI_VERSION=8", "NAPI_CPP_EXCEPTIONS"],
    "cflags!": ["-fno-exceptions"],
    "cflags_cc!": ["-fno-exceptions", "-O2", "-O0"],
    "ldflags": ["-fopenmp"],
    "libraries": ["<!@(node scripts/native-flags.mjs libs)"]
  },
  "targets": [
    {
      "target_name": "pretrain_native",
      "sources": ["native/addon.cc", "native/config.cc", "native/kernels.cc", "native/model.cc", "native/weights.cc", "native/variants.cc", "<!@(node scripts/native-flags.mjs cuda-sources)"],
      "cflags_cc": ["-std=c++17", "-fexceptions", "-O3", "-ffast-math", "-fopenmp", "<!@(node scripts/native-flags.mjs arch)"],
      "libraries": ["<!@(node scripts/native-flags.mjs cuda-libs)"]
    }
  ]
}
