import { stat } from 'node:fs/promises';
import { walkModelFiles } from '@pretrain/core';

/**
 * Total size of the files the directory hash covers: symlinked files by their target's
 * size, symlinked directories not entered, broken links counted as 0.
 */
export async function directoryBytes(dir: string): Promise<number> {
  let total = 0;
  for await (const file of walkModelFiles(dir)) total += (await stat(file).catch(() => undefined))?.size ?? 0;
  return total;
}
