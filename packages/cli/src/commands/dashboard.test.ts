import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../testing/run-cli.js';
import { dashboardCommand } from './dashboard.js';

describe('pretrain dashboard', () => {
  it('refuses a directory without a step history with exit 2 and a hint', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pretrain-no-history-'));
    try {
      const result = await runCli(['dashboard', '--data-dir', dir], {
        commands: [dashboardCommand],
        cwd: dir,
      });
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/no step history under .*\nhint: pass the --data-dir/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
