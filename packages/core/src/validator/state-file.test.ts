import { spawn } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../contracts/index.js';
import { loadValidatorState, saveValidatorState, type ValidatorState } from './state-file.js';

const state = (step: number): ValidatorState => ({
  version: 2022,
  step,
  tracker: { '5Hotkey': { id: { namespace: 'ns', name: 'm' }, block: 7 } },
  uidsToEval: [1, 2],
  pendingUids: [3],
  weights: [0, 0.25, 0.75, 0],
});

describe('validator state file', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pretrain-state-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('round-trips and leaves no temporary file', async () => {
    const path = join(dir, 'sub', 'state.json');
    await saveValidatorState(path, state(3));
    expect(await loadValidatorState(path, 2022, silentLogger)).toEqual(state(3));
    expect(await readdir(join(dir, 'sub'))).toEqual(['state.json']);
  });

  it('starts fresh on a missing file, bad JSON, a wrong shape or another version', async () => {
    const path = join(dir, 'state.json');
    expect(await loadValidatorState(path, 2022, silentLogger)).toBeUndefined();
    await writeFile(path, '{"version": 2022, "step"');
    expect(await loadValidatorState(path, 2022, silentLogger)).toBeUndefined();
    await writeFile(path, JSON.stringify({ ...state(1), weights: ['x'] }));
    expect(await loadValidatorState(path, 2022, silentLogger)).toBeUndefined();
    await saveValidatorState(path, state(1));
    expect(await loadValidatorState(path, 2023, silentLogger)).toBeUndefined();
  });

  it('keeps a damaged state file beside the new one instead of overwriting it', async () => {
    const path = join(dir, 'state.json');
    const damaged = ['{"version": 2022, "step"', JSON.stringify({ ...state(1), weights: ['x'] })];
    for (const text of damaged) {
      await writeFile(path, text);
      expect(await loadValidatorState(path, 2022, silentLogger)).toBeUndefined();
      await saveValidatorState(path, state(2));
      const aside = (await readdir(dir)).filter((f) => f.startsWith('state.json.corrupt-'));
      expect(aside).toHaveLength(1);
      expect(await readFile(join(dir, aside[0] as string), 'utf8')).toBe(text);
      await rm(join(dir, aside[0] as string));
    }
    // A state of another version is not damaged: it is replaced, not kept.
    await saveValidatorState(path, state(1));
    expect(await loadValidatorState(path, 2023, silentLogger)).toBeUndefined();
    expect(await readdir(dir)).toEqual(['state.json']);
  });

  it('keeps the previous state when a writer died before the rename', async () => {
    const path = join(dir, 'state.json');
    await saveValidatorState(path, state(4));
    // What a writer killed mid-write leaves behind: a truncated temporary file.
    await writeFile(`${path}.999.tmp`, JSON.stringify(state(5)).slice(0, 20));
    expect(await loadValidatorState(path, 2022, silentLogger)).toEqual(state(4));
  });

  it('always reads a whole state after a writer is killed with SIGKILL', async () => {
    const path = join(dir, 'state.json');
    const module = new URL('../../dist/validator/state-file.js', import.meta.url).href;
    const script = `
      const { saveValidatorState } = await import(${JSON.stringify(module)});
      const weights = Array.from({ length: 4096 }, (_, i) => i / 4096);
      for (let step = 0; ; step++) {
        await saveValidatorState(${JSON.stringify(path)}, { version: 2022, step, tracker: {}, uidsToEval: [], pendingUids: [], weights });
        if (step === 5) process.stdout.write('ready\\n');
      }`;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('close', resolve));
    const loaded = await loadValidatorState(path, 2022, silentLogger);
    expect(loaded?.step).toBeGreaterThanOrEqual(5);
    expect(loaded?.weights).toHaveLength(4096);
  });
});
