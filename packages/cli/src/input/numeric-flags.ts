import { UsageError } from '@pretrain/core';

/**
 * Refuse a numeric flag that did not parse (yargs turns `--seq-len abc` into `NaN`), quoting
 * what was typed: `--seq-len needs a number, got "abc"`. Runs before any command, so no
 * command ever sees `NaN` or echoes it back.
 *
 * @param args the parsed arguments (kebab-case keys are checked; yargs adds camelCase copies)
 * @param argv the raw words, where the typed value is looked up
 */
export function checkNumericFlags(args: Readonly<Record<string, unknown>>, argv: readonly string[]): void {
  for (const [key, value] of Object.entries(args)) {
    if (/[A-Z]/.test(key) || key === '_' || key === '$0') continue;
    const values = Array.isArray(value) ? (value as unknown[]) : [value];
    if (!values.some((v) => typeof v === 'number' && Number.isNaN(v))) continue;
    const typed = typedValues(key, argv).find((word) => Number.isNaN(Number(word)) || word.trim() === '');
    throw new UsageError(
      `--${key} needs a number, got ${typed === undefined ? 'something else' : JSON.stringify(typed)}`,
      { hint: `give --${key} a number, e.g. --${key} 1` },
    );
  }
}

/** Every value given to `--key` in `argv` (`--key v` and `--key=v`). */
function typedValues(key: string, argv: readonly string[]): string[] {
  const found: string[] = [];
  argv.forEach((word, i) => {
    if (word === `--${key}` && i + 1 < argv.length) found.push(argv[i + 1] as string);
    else if (word.startsWith(`--${key}=`)) found.push(word.slice(key.length + 3));
  });
  return found;
}
