// What `nvidia-smi` says about the GPU bench: the card, and the device memory one process
// holds. Both are best effort: without nvidia-smi, or where it cannot see process ids (some
// containers), they come back undefined and the report shows a dash.
import { spawnSync } from 'node:child_process';

function query(args) {
  const child = spawnSync('nvidia-smi', [...args, '--format=csv,noheader,nounits'], { encoding: 'utf8' });
  return child.status === 0 ? child.stdout.trim().split('\n').filter(Boolean) : undefined;
}

/** The first GPU as `name, memory MiB, driver version`, or undefined. */
export function describeGpu() {
  const line = query(['--query-gpu=name,memory.total,driver_version'])?.[0];
  if (line === undefined) return undefined;
  const [name, memory, driver] = line.split(',').map((s) => s.trim());
  return `${name}, ${memory} MiB, driver ${driver}`;
}

/** Device memory held by process `pid` now (its CUDA context included), in bytes, or undefined. */
export function deviceBytesOf(pid) {
  const rows = query(['--query-compute-apps=pid,used_memory']) ?? [];
  const mine = rows.map((r) => r.split(',').map((s) => s.trim())).find(([p]) => Number(p) === pid);
  // "[N/A]" where the driver does not account memory per process.
  return mine === undefined || !/^\d+$/.test(mine[1]) ? undefined : Number(mine[1]) * 2 ** 20;
}
