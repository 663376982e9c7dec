import { UsageError } from '@pretrain/core';

/** bittensor's dotted flags (btcli, the SDK's argparse config) and the flags they stand for. */
export const DOTTED_FLAGS: ReadonlyMap<string, string> = new Map([
  ['wallet.name', 'wallet'],
  ['wallet.hotkey', 'hotkey'],
  ['wallet.path', 'wallet-path'],
  ['subtensor.network', 'network'],
  ['subtensor.chain_endpoint', 'network'],
]);

/**
 * Rewrite bittensor's dotted flags (`--wallet.name x`, `--subtensor.network=test`) into
 * ours, so a btcli command line works as it is. An unknown dotted flag is a usage error
 * naming the closest known one.
 */
export function translateDottedFlags(argv: readonly string[]): string[] {
  return argv.map((word) => {
    const match = /^--([a-z_]+\.[a-z_.]+)(=.*)?$/i.exec(word);
    if (!match) return word;
    const [, name, value = ''] = match as unknown as [string, string, string | undefined];
    const ours = DOTTED_FLAGS.get(name);
    if (ours !== undefined) return `--${ours}${value}`;
    const closest = [...DOTTED_FLAGS.keys()].sort((a, b) => distance(name, a) - distance(name, b))[0]!;
    throw new UsageError(`unknown flag --${name}`, {
      hint: `did you mean --${closest}? bittensor's dotted flags understood: ${[...DOTTED_FLAGS.keys()]
        .map((k) => `--${k}`)
        .join(', ')}`,
    });
  });
}

/** Levenshtein distance (flag names are short). */
function distance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    const next = [i];
    for (let j = 1; j <= b.length; j += 1) {
      next[j] = Math.min(row[j]! + 1, next[j - 1]! + 1, row[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    row = next;
  }
  return row[b.length]!;
}
