// The machine's fp32 GEMM limit, measured two ways: onnxruntime's own MatMul (MLAS, the
// kernels backend-onnx runs on) and numpy's matmul (the system BLAS, e.g. OpenBLAS) when
// /usr/bin/python3 has numpy. The larger is the limit each backend's share is quoted against.
// For `--device cuda`, the GPU's bf16 GEMM rate through torch (cuBLAS) instead.
import { spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';

/** GEMM shapes [M, K, N]: GPT-2's MLP at T = 1024, and a large square one. */
const SHAPES = [
  [1024, 768, 3072],
  [2048, 2048, 2048],
];

/** Best-of-`runs` GFLOP/s of onnxruntime MatMul per shape, default session options. */
export async function onnxruntimeGemm(runs = 10) {
  const ort = (await import('onnxruntime-node')).default;
  const { onnx } = (await import('onnx-proto')).default;
  const results = [];
  for (const [M, K, N] of SHAPES) {
    const value = (name, dims) =>
      onnx.ValueInfoProto.create({
        name,
        type: { tensorType: { elemType: 1, shape: { dim: dims.map((d) => ({ dimValue: d })) } } },
      });
    const graph = onnx.GraphProto.create({
      name: 'gemm',
      node: [onnx.NodeProto.create({ opType: 'MatMul', input: ['A', 'B'], output: ['C'] })],
      input: [value('A', [M, K]), value('B', [K, N])],
      output: [value('C', [M, N])],
    });
    const model = onnx.ModelProto.encode(
      onnx.ModelProto.create({ irVersion: 8, opsetImport: [{ domain: '', version: 17 }], graph }),
    ).finish();
    const session = await ort.InferenceSession.create(model, { graphOptimizationLevel: 'all' });
    const a = new ort.Tensor(
      'float32',
      Float32Array.from({ length: M * K }, (_, i) => ((i % 97) - 48) / 97),
      [M, K],
    );
    const b = new ort.Tensor(
      'float32',
      Float32Array.from({ length: K * N }, (_, i) => ((i % 89) - 44) / 89),
      [K, N],
    );
    await session.run({ A: a, B: b });
    let best = Infinity;
    for (let i = 0; i < runs; i += 1) {
      const start = performance.now();
      await session.run({ A: a, B: b });
      best = Math.min(best, (performance.now() - start) / 1000);
    }
    await session.release();
    results.push({ shape: `${M}×${K}×${N}`, gflops: (2 * M * K * N) / best / 1e9 });
  }
  return { library: 'onnxruntime MatMul (MLAS)', results };
}

/** The same through numpy (system BLAS) in /usr/bin/python3, or undefined without numpy. */
export function numpyGemm(runs = 10) {
  const script = `
import json, time, numpy as np
out = []
for M, K, N in ${JSON.stringify(SHAPES)}:
    a = np.random.default_rng(0).standard_normal((M, K), dtype=np.float32)
    b = np.random.default_rng(1).standard_normal((K, N), dtype=np.float32)
    a @ b
    best = min((lambda s: (a @ b, time.perf_counter() - s)[1])(time.perf_counter()) for _ in range(${runs}))
    out.append({"shape": f"{M}×{K}×{N}", "gflops": 2 * M * K * N / best / 1e9})
print(json.dumps({"library": "numpy " + np.__version__ + " matmul (system BLAS)", "results": out}))
`;
  const child = spawnSync('/usr/bin/python3', ['-c', script], { encoding: 'utf8' });
  if (child.status !== 0) return undefined;
  return JSON.parse(child.stdout.trim().split('\n').at(-1));
}

/** GPU GEMM shapes: GPT-2's MLP at T = 1024, and two large square ones for the card's peak. */
const GPU_SHAPES = [
  [1024, 768, 3072],
  [4096, 4096, 4096],
  [8192, 8192, 8192],
];

/**
 * Best-of-`runs` GFLOP/s of a bf16 `torch.matmul` per shape on `device` (each timed run is
 * 10 back-to-back GEMMs between two synchronisations), or undefined when `python` cannot.
 */
export function torchGemm(python, { device = 'cuda', runs = 10, shapes = GPU_SHAPES } = {}) {
  const script = `
import json, time, torch
device = ${JSON.stringify(device)}
sync = torch.cuda.synchronize if device == "cuda" else (lambda: None)
out = []
for M, K, N in ${JSON.stringify(shapes)}:
    g = torch.Generator(device=device).manual_seed(0)
    a = torch.randn(M, K, device=device, generator=g).to(torch.bfloat16)
    b = torch.randn(K, N, device=device, generator=g).to(torch.bfloat16)
    a @ b
    best = float("inf")
    for _ in range(${runs}):
        sync()
        start = time.perf_counter()
        for _ in range(10):
            a @ b
        sync()
        best = min(best, (time.perf_counter() - start) / 10)
    out.append({"shape": f"{M}×{K}×{N}", "gflops": 2 * M * K * N / best / 1e9})
name = torch.cuda.get_device_name() if device == "cuda" else device
print(json.dumps({"library": f"torch {torch.__version__} bf16 matmul on {name}", "results": out}))
`;
  const child = spawnSync(python, ['-c', script], { encoding: 'utf8' });
  if (child.status !== 0) return undefined;
  return JSON.parse(child.stdout.trim().split('\n').at(-1));
}
