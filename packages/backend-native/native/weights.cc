// Reading safetensors slices straight into fp32 model memory: one copy of the
// weights, no JS heap involved, half precision upcast exactly.
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "model.h"

namespace pretrain {

void AlignedFree::operator()(float* p) const { std::free(p); }

Buffer allocate(size_t floats) {
  const size_t bytes = ((floats * sizeof(float) + 63) / 64) * 64;
  void* memory = std::aligned_alloc(64, bytes == 0 ? 64 : bytes);
  if (memory == nullptr) throw ModelError("corrupt", "out of memory allocating " + std::to_string(bytes) + " bytes");
  return Buffer(static_cast<float*>(memory));
}

namespace {

// binary16 → binary32, exact for every value (subnormals, infinities, NaN payloads).
float halfToFloat(uint16_t h) {
  const uint32_t sign = static_cast<uint32_t>(h & 0x8000u) << 16;
  uint32_t exponent = (h >> 10) & 0x1fu;
  uint32_t fraction = h & 0x3ffu;
  uint32_t bits;
  if (exponent == 0x1f) {
    bits = sign | 0x7f800000u | (fraction << 13);
  } else if (exponent != 0) {
    bits = sign | ((exponent + 112) << 23) | (fraction << 13);
  } else if (fraction == 0) {
    bits = sign;
  } else {
    exponent = 113;
    while ((fraction & 0x400u) == 0) {
      fraction <<= 1;
      exponent--;
    }
    bits = sign | (exponent << 23) | ((fraction & 0x3ffu) << 13);
  }
  float value;
  std::memcpy(&value, &bits, sizeof value);
  return value;
}

void readExactly(int fd, char* into, size_t length, uint64_t offset, const TensorSource& source) {
  size_t done = 0;
  while (done < length) {
    const ssize_t got = pread(fd, into + done, length - done, static_cast<off_t>(offset + done));
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) {
      throw ModelError("corrupt", "weight file \"" + source.file + "\" ends before byte " +
                                      std::to_string(offset + length) + " (read " + std::to_string(done) +
                                      " of " + std::to_string(length) + " bytes)");
    }
    done += static_cast<size_t>(got);
  }
}

}  // namespace

void readRaw(const TensorSource& source, void* into) {
  const int fd = open(source.file.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw ModelError("corrupt", "cannot open weight file \"" + source.file + "\": " + std::strerror(errno));
  try {
    readExactly(fd, static_cast<char*>(into), source.count * elementBytes(source.dtype), source.offset, source);
  } catch (...) {
    close(fd);
    throw;
  }
  close(fd);
}

Buffer readTensor(const TensorSource& source) {
  Buffer out = allocate(source.count);
  if (source.dtype == Dtype::F32) {
    readRaw(source, out.get());
    return out;
  }
  const int fd = open(source.file.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw ModelError("corrupt", "cannot open weight file \"" + source.file + "\": " + std::strerror(errno));
  try {
    // Upcast through a small staging block so the half-precision copy never exists whole.
    const size_t block = 1 << 18;
    std::vector<uint16_t> staging(block);
    for (size_t start = 0; start < source.count; start += block) {
      const size_t n = std::min(block, static_cast<size_t>(source.count - start));
      readExactly(fd, reinterpret_cast<char*>(staging.data()), n * 2, source.offset + start * 2, source);
      float* dst = out.get() + start;
      if (source.dtype == Dtype::BF16) {
        for (size_t i = 0; i < n; i++) {
          const uint32_t bits = static_cast<uint32_t>(staging[i]) << 16;
          std::memcpy(dst + i, &bits, 4);
        }
      } else {
        for (size_t i = 0; i < n; i++) dst[i] = halfToFloat(staging[i]);
      }
    }
  } catch (...) {
    close(fd);
    throw;
  }
  close(fd);
  return out;
}

}  // namespace pretrain
