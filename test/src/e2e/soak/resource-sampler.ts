import { readdir, readFile, lstat } from 'node:fs/promises';
import { join } from 'node:path';

/** What one sample of the validator process holds. */
export interface ResourceSample {
  /** Resident set size, MiB (from /proc). */
  readonly rssMiB: number;
  /** V8 heap in use, MiB (from the validator's own metrics endpoint; NaN if unreachable). */
  readonly heapMiB: number;
  /** Open file descriptors (from /proc/<pid>/fd). */
  readonly fds: number;
  /** Live descendant processes (evaluation children). */
  readonly children: number;
  /** Bytes under the model directory (models and state), MiB. */
  readonly modelDirMiB: number;
}

const MiB = 1024 * 1024;

/** Sample `pid` from /proc (Linux), its metrics endpoint, and `modelDir` on disk. */
export async function sampleResources(
  pid: number,
  metricsUrl: string,
  modelDir: string,
): Promise<ResourceSample> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const rssKiB = Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1] ?? NaN);
  const fds = (await readdir(`/proc/${pid}/fd`)).length;
  return {
    rssMiB: rssKiB / 1024,
    heapMiB: (await heapUsedBytes(metricsUrl)) / MiB,
    fds,
    children: (await descendants(pid)).length,
    modelDirMiB: (await diskBytes(modelDir)) / MiB,
  };
}

async function heapUsedBytes(metricsUrl: string): Promise<number> {
  try {
    const response = await fetch(metricsUrl, { signal: AbortSignal.timeout(10_000) });
    const text = await response.text();
    return Number(/^nodejs_heap_size_used_bytes (\S+)/m.exec(text)?.[1] ?? NaN);
  } catch {
    return NaN;
  }
}

/** Every live process below `pid`, from the parent links in /proc. */
export async function descendants(pid: number): Promise<number[]> {
  const parents = new Map<number, number>();
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = await readFile(`/proc/${entry}/stat`, 'utf8');
      // The command name may hold spaces and parentheses: fields follow the last ')'.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (fields[0] !== 'Z') parents.set(Number(entry), Number(fields[1]));
    } catch {
      // Gone since the listing.
    }
  }
  const found: number[] = [];
  const frontier = [pid];
  while (frontier.length > 0) {
    const parent = frontier.pop()!;
    for (const [child, ppid] of parents) {
      if (ppid === parent) {
        found.push(child);
        frontier.push(child);
      }
    }
  }
  return found;
}

async function diskBytes(path: string): Promise<number> {
  let stats;
  try {
    stats = await lstat(path);
  } catch {
    return 0;
  }
  if (!stats.isDirectory()) return stats.isFile() ? stats.size : 0;
  let total = 0;
  let entries: string[] = [];
  try {
    entries = await readdir(path);
  } catch {
    return 0;
  }
  for (const entry of entries) total += await diskBytes(join(path, entry));
  return total;
}
