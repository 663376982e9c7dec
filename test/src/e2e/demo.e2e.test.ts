import { describe, expect, it } from 'vitest';
import { devnetDemoCommand } from '../../../packages/cli/src/commands/demo.js';
import { runCli } from '../../../packages/cli/src/testing/run-cli.js';

/** The README's first command, run the way a user runs it (in-process, real devnet). */
describe('pretrain devnet demo', () => {
  it('runs the subnet end to end, the best original wins and the copier loses on epsilon', async () => {
    const devnet = { command: 'devnet', describe: 'local devnet', subcommands: [devnetDemoCommand] };
    const result = await runCli(['devnet', 'demo', '--steps', '2', '--pages-per-eval', '1'], {
      commands: [devnet],
      cwd: process.cwd(),
    });
    expect(result.stderr).not.toMatch(/error:/);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/\[5\/5\] weights set by the validator, read back from the chain/);
    expect(result.stdout).toMatch(/the best original \(unigram, uid \d+\) holds the largest weight on chain/);
    expect(result.stdout).toMatch(
      /the copier \(uid \d+\) scores the same loss .* loses every match to the original on epsilon/,
    );
  }, 400_000);
});
