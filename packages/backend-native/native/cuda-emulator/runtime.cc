// The emulated CUDA runtime: memory, copies, streams, one device, and the fiber scheduler
// that runs kernels (see cuda_runtime.h).
#include <sys/mman.h>
#include <ucontext.h>
#include <unistd.h>

#include <algorithm>
#include <mutex>
#include <unordered_map>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <vector>

#include "cuda_runtime.h"

thread_local dim3 threadIdx, blockIdx, blockDim, gridDim;

namespace pretrain::emulator {

namespace {

constexpr size_t kStackBytes = 64 * 1024;

#if defined(__x86_64__)
// A fiber switch that saves only the callee-saved registers: swapcontext also saves the
// signal mask with two system calls, which made the emulated test suite several times slower.
extern "C" void pretrain_emulator_switch(void** save, void* load);
asm(R"(
  .text
  .p2align 4
  .globl pretrain_emulator_switch
  .hidden pretrain_emulator_switch
  .type pretrain_emulator_switch, @function
pretrain_emulator_switch:
  pushq %rbp
  pushq %rbx
  pushq %r12
  pushq %r13
  pushq %r14
  pushq %r15
  movq %rsp, (%rdi)
  movq %rsi, %rsp
  popq %r15
  popq %r14
  popq %r13
  popq %r12
  popq %rbx
  popq %rbp
  ret
  .size pretrain_emulator_switch, .-pretrain_emulator_switch
)");

struct Context {
  void* sp = nullptr;
};
void switchContext(Context& from, Context& to) { pretrain_emulator_switch(&from.sp, to.sp); }
void startContext(Context& context, char* stack, void (*entry)(), Context&) {
  auto top = reinterpret_cast<uintptr_t>(stack + kStackBytes) & ~uintptr_t{15};
  void** sp = reinterpret_cast<void**>(top);
  *--sp = nullptr;                            // where `entry` would return to: it never does
  *--sp = reinterpret_cast<void*>(entry);     // what the switch's `ret` jumps to
  for (int i = 0; i < 6; i++) *--sp = nullptr;  // rbp, rbx, r12-r15
  context.sp = sp;
}
#else
struct Context {
  ucontext_t context;
};
void switchContext(Context& from, Context& to) { swapcontext(&from.context, &to.context); }
void startContext(Context& context, char* stack, void (*entry)(), Context& link) {
  getcontext(&context.context);
  context.context.uc_stack.ss_sp = stack;
  context.context.uc_stack.ss_size = kStackBytes;
  context.context.uc_link = &link.context;
  makecontext(&context.context, entry, 0);
}
#endif

/** One block's threads, their fiber stacks reused across blocks and launches. */
struct Block {
  Context scheduler;
  std::vector<Context> fibers;
  std::vector<std::unique_ptr<char[]>> stacks;
  std::vector<char> done;
  std::vector<float> lanes;  // shuffle exchange, one slot per thread
  const std::function<void()>* body = nullptr;
  unsigned current = 0;
};

thread_local Block block;
thread_local cudaError_t lastError = cudaSuccess;

[[noreturn]] void fiberMain() {
  (*block.body)();
  block.done[block.current] = 1;
  switchContext(block.fibers[block.current], block.scheduler);
  __builtin_unreachable();  // a finished fiber is never resumed
}

/** Resume thread `t` until its next barrier or its end; true when it ended. */
bool resume(unsigned t) {
  block.current = t;
  threadIdx = dim3(t);
  switchContext(block.scheduler, block.fibers[t]);
  return block.done[t] != 0;
}

}  // namespace

void run(dim3 grid, dim3 threads, const std::function<void()>& body) {
  const unsigned n = threads.x;
  blockDim = threads;
  gridDim = grid;
  block.body = &body;
  block.fibers.resize(n);
  block.done.assign(n, 0);
  block.lanes.assign(n, 0.f);
  while (block.stacks.size() < n) block.stacks.emplace_back(new char[kStackBytes]);
  for (unsigned b = 0; b < grid.x; b++) {
    blockIdx = dim3(b);
    for (unsigned t = 0; t < n; t++) {
      startContext(block.fibers[t], block.stacks[t].get(), fiberMain, block.scheduler);
      block.done[t] = 0;
    }
    // Round robin: each pass moves every thread to its next barrier (or its end), so no
    // thread passes a barrier before all have reached it.
    unsigned finished = 0;
    while (finished < n) {
      unsigned endedThisPass = 0;
      for (unsigned t = 0; t < n; t++) {
        if (!block.done[t] && resume(t)) endedThisPass++;
      }
      finished += endedThisPass;
      if (endedThisPass != 0 && finished != n) {
        // Some threads ended while others wait at a barrier: undefined on a GPU.
        lastError = cudaErrorLaunchFailure;
        return;
      }
    }
  }
}

void barrier() { switchContext(block.fibers[block.current], block.scheduler); }

float shuffleXor(float value, int mask) {
  const unsigned t = block.current;
  block.lanes[t] = value;
  barrier();
  const float other = block.lanes[(t & ~31u) | ((t & 31u) ^ static_cast<unsigned>(mask))];
  barrier();
  return other;
}

cudaError_t takeLastError() {
  const cudaError_t error = lastError;
  lastError = cudaSuccess;
  return error;
}

}  // namespace pretrain::emulator

namespace {

// Device memory ends against an inaccessible page, so a kernel or GEMM that runs past the
// end of a buffer faults at once, and it starts filled with 0xff bytes (NaN in fp32, bf16
// and f16), so reading what nothing wrote poisons the loss instead of passing as zeros.
struct Mapping {
  void* base;
  size_t length;
};
std::mutex mappingsMutex;
std::unordered_map<void*, Mapping> mappings;

}  // namespace

cudaError_t cudaMalloc(void** pointer, size_t bytes) {
  const size_t page = static_cast<size_t>(sysconf(_SC_PAGESIZE));
  const size_t used = (std::max<size_t>(bytes, 1) + 15) / 16 * 16;
  const size_t length = (used + page - 1) / page * page + page;
  void* base = mmap(nullptr, length, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (base == MAP_FAILED) return cudaErrorMemoryAllocation;
  char* guard = static_cast<char*>(base) + length - page;
  mprotect(guard, page, PROT_NONE);
  *pointer = guard - used;
  std::memset(*pointer, 0xff, used);
  std::lock_guard<std::mutex> lock(mappingsMutex);
  mappings[*pointer] = {base, length};
  return cudaSuccess;
}
cudaError_t cudaFree(void* pointer) {
  if (pointer == nullptr) return cudaSuccess;
  std::lock_guard<std::mutex> lock(mappingsMutex);
  const auto found = mappings.find(pointer);
  if (found == mappings.end()) return cudaErrorInvalidValue;
  munmap(found->second.base, found->second.length);
  mappings.erase(found);
  return cudaSuccess;
}
cudaError_t cudaMemcpy(void* to, const void* from, size_t bytes, cudaMemcpyKind) {
  std::memmove(to, from, bytes);
  return cudaSuccess;
}
cudaError_t cudaMemcpyAsync(void* to, const void* from, size_t bytes, cudaMemcpyKind kind, cudaStream_t) {
  return cudaMemcpy(to, from, bytes, kind);
}
cudaError_t cudaMemsetAsync(void* to, int value, size_t bytes, cudaStream_t) {
  std::memset(to, value, bytes);
  return cudaSuccess;
}
cudaError_t cudaStreamCreateWithFlags(cudaStream_t* stream, unsigned) {
  *stream = reinterpret_cast<cudaStream_t>(new char);
  return cudaSuccess;
}
cudaError_t cudaStreamDestroy(cudaStream_t stream) {
  delete reinterpret_cast<char*>(stream);
  return cudaSuccess;
}
cudaError_t cudaStreamSynchronize(cudaStream_t) { return pretrain::emulator::takeLastError(); }
cudaError_t cudaSetDevice(int device) { return device == 0 ? cudaSuccess : cudaErrorInvalidValue; }
cudaError_t cudaGetDeviceCount(int* count) {
  *count = 1;
  return cudaSuccess;
}
cudaError_t cudaGetDeviceProperties(cudaDeviceProp* properties, int) {
  std::strcpy(properties->name, "CPU emulator");
  properties->major = 9;
  properties->minor = 0;
  return cudaSuccess;
}
cudaError_t cudaRuntimeGetVersion(int* version) {
  *version = 13000;
  return cudaSuccess;
}
cudaError_t cudaGetLastError() { return pretrain::emulator::takeLastError(); }
const char* cudaGetErrorName(cudaError_t error) {
  return error == cudaSuccess ? "cudaSuccess" : "cudaErrorEmulated";
}
const char* cudaGetErrorString(cudaError_t error) {
  return error == cudaErrorLaunchFailure ? "threads of a block diverged at __syncthreads (emulator)"
                                         : "emulated CUDA error";
}
